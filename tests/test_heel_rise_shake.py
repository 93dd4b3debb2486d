"""Heel rise under a moving camera: the heights are read in the picture, so a picture that sways reads as the
heels rising. The heel-lift finding measures that sway where the truth is known (the quiet-standing frames,
``movelab.findings.foot.standing_spread_deg``) and does not read the rise where it exceeds the method's error.

A side-view stick figure (movelab.kinematics.stickfigure) squats with flat feet, kept in place at the toes."""

from __future__ import annotations

import numpy as np
import pytest
from test_findings_helpers import make_segmentation

from movelab.findings import FindingsConfig, detect_findings, heel_rise_deg
from movelab.findings.foot import standing_spread_deg
from movelab.kinematics import compute_motion
from movelab.kinematics.stickfigure import stick_figure
from movelab.landmarks import KEYPOINTS

FPS = 30.0
REPS = [{"index": 0, "start_s": 1.2, "bottom_s": 2.0, "end_s": 2.8}]
METHOD_ERROR_DEG = FindingsConfig().method_error.heel_rise.value


def flat_footed_squat():
    """4 s: standing, one squat (thigh 90°, knee 110°, the shin's tilt matched at the ankle so the foot stays
    flat) from 1.2 to 2.8 s, standing; every point moved so that the left toe keeps its place (the figure is
    drawn hip-fixed)."""
    t = np.arange(int(round(4.0 * FPS))) / FPS
    (rep,) = REPS
    depth = np.where((t > rep["start_s"]) & (t < rep["end_s"]), np.sin(np.pi * (t - 1.2) / 1.6), 0.0)
    pose = {}
    for side in ("left", "right"):
        pose |= {f"thigh_angle_{side}": 90 * depth, f"knee_flexion_{side}": 110 * depth}
        pose |= {f"ankle_dorsiflexion_{side}": 20 * depth}
    ds = stick_figure(t, view="side_right", pose=pose | {"trunk_lean": 35 * depth})
    px = ds["position_px"].values
    toe = px[:, KEYPOINTS.index("left_foot_index")].copy()
    px -= (toe - toe[0])[:, None, :]
    ds["position_px"].values[:] = px
    return ds


def swayed(ds, *, amplitude_px: float = 8.0):
    """The picture moved up and down (a slow hand-held sway, 0.5 Hz) so that it is highest at the bottom."""
    out = ds.copy(deep=True)
    t = out["time"].values
    dy = -amplitude_px * np.cos(np.pi * (t - REPS[0]["bottom_s"]))
    out["position_px"].values[..., 1] += dy[:, None]
    return out


def findings_and_rise(ds):
    motion = compute_motion(ds, views="side_right")
    found = detect_findings(motion, make_segmentation("squat", reps=REPS))
    return found, motion


def test_a_still_camera_reads_flat_feet_flat_and_the_heel_lift_is_assessed():
    found, motion = findings_and_rise(flat_footed_squat())
    heel = [f for f in found if f.code == "heel_lift"]
    assert heel == []  # assessed, nothing raised, no note


def test_a_swaying_picture_gives_the_note_not_a_false_heel_lift():
    found, motion = findings_and_rise(swayed(flat_footed_squat()))
    (heel,) = [f for f in found if f.code == "heel_lift"]
    assert heel.severity == "info" and "camera" in heel.message and "stood still" in heel.message
    # the control: the rise read at the bottom passes the finding's threshold, so without the standing spread
    # the flat feet would have been reported as lifting
    from movelab.findings.detect import context_of

    ctx = context_of(motion, make_segmentation("squat", reps=REPS))
    rise = heel_rise_deg(motion.positions.cleaned, ctx.standing_mask())
    assert ctx.at(rise, REPS[0]["bottom_s"]) > FindingsConfig().heel_lift.value + METHOD_ERROR_DEG
    assert standing_spread_deg(rise, ctx.standing_mask()) > METHOD_ERROR_DEG


def test_the_standing_spread_of_a_lifted_heel_is_its_standing_jitter_only():
    """A real lift happens outside the standing frames: it does not count against the measurement."""
    t = np.arange(40) / FPS
    standing = t < 0.6
    rise = np.where(standing, np.random.default_rng(1).normal(0, 0.5, t.size), 15.0)
    assert standing_spread_deg(rise, standing) == pytest.approx(np.percentile(np.abs(rise[standing]), 95))
    assert standing_spread_deg(rise, standing) < 2.0
    assert np.isnan(standing_spread_deg(rise, np.zeros(t.size, bool)))
