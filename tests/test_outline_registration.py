"""The hip landmark's drift with the trunk's lean, found by registering the pelvis's back outline (issue 13).

MediaPipe's hip landmark slides along the body as the trunk sways with the pelvis still, at a rate that differs
between bodies; the sacral chord's levels are heights above it, so the drift reads as tilt. The back of the
pelvis (buttock and sacrum) moves with the hip joint, so laying each frame's profile onto the clip's upright
reference tells where the joint is. Drawn outlines with a rounded buttock (no pose model): the registration
recovers a known shift and turn, and a sway whose hip landmark drifts twice as fast as the population's rate
leaves the tilt still only when the registration is on. Also the hanging-arm swing gate.

Fast: pure geometry and the stick figure, no pose model.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import xarray as xr
from drawing import turn

from movelab.kinematics import KinematicsConfig, outline_estimates
from movelab.kinematics.outline import _PROFILE_HEIGHTS, _REFERENCE_HEIGHTS, _elbow_swing
from movelab.kinematics.outline_method import back_profile, register_profile
from movelab.kinematics.stickfigure import stick_figure

TORSO_PX = 150.0  # the stick figure's hip-to-shoulder distance (0.5 m at 300 px/m)
HIP_PX = np.array([640.0, 420.0])


def silhouette(*, tilt_deg: float = 11.0, sway_deg: float = 0.0) -> np.ndarray:
    """A side-view outline, ``(forward, up)`` torso lengths, hip joint at the origin: a rounded buttock (bulging
    0.07 behind the line ``x = -0.22`` around 0.02 below the hip) up to S1 at 0.33 in the pelvis frame, turned by
    the tilt; a straight lumbar back (lordosis 25 deg) to T; the thorax turned by ``sway_deg`` about T."""
    h = np.arange(-0.40, 0.3301, 0.01)
    pelvis = turn(np.column_stack([-0.22 - 0.07 * np.exp(-(((h + 0.02) / 0.14) ** 2)), h]), tilt_deg)
    lam = math.radians(tilt_deg - 25.0)
    t_point = pelvis[-1] + 0.48 * np.array([math.sin(lam), math.cos(lam)])
    thorax = t_point + np.array(
        [(0.32, 0.77), (0.45, 0.64), (0.42, 0.46), (0.50, 0.27), (0.52, 0.07), (-0.06, 0.25), (0.20, 0.44),
         (0.22, 0.62)]
    )  # fmt: skip
    thorax = turn(thorax, sway_deg, about=t_point)
    front = [(0.22, 0.35), (0.21, 0.0), (0.13, -0.35), (0.10, -1.80), (0.30, -1.90), (-0.05, -1.90), (-0.08, -1.80),
             (-0.10, -0.40)]  # fmt: skip
    return np.vstack([thorax[:5], front, pelvis, [t_point], thorax[5:]])


def to_image(points, *, hip_px=HIP_PX, facing: float = 1.0, n: int = 1024) -> np.ndarray:
    """Sagittal torso lengths → image pixels, resampled to ``n`` points by arc length."""
    p = np.asarray(points, dtype=np.float64)
    px = np.column_stack([hip_px[0] + facing * p[:, 0] * TORSO_PX, hip_px[1] - p[:, 1] * TORSO_PX])
    closed = np.vstack([px, px[:1]])
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(closed, axis=0).T))])
    s = np.linspace(0.0, arc[-1], n, endpoint=False)
    return np.column_stack([np.interp(s, arc, closed[:, 0]), np.interp(s, arc, closed[:, 1])])


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize("drop, turn_deg", [(0.03, 0.0), (-0.02, 0.0), (0.03, 4.0), (0.0, -5.0)])
def test_registration_recovers_the_hip_landmark_shift_and_the_pelvisturn(drop, turn_deg, facing):
    """The hip landmark placed ``drop`` torso lengths below the joint, the pelvis turned by ``turn_deg``: the
    fit lays the frame on the reference with the turn undone and the landmark's error as the shift."""
    ref = back_profile(
        to_image(silhouette(), facing=facing),
        hip_px=HIP_PX,
        facing=facing,
        torso_px=TORSO_PX,
        heights=_REFERENCE_HEIGHTS,
    )
    landmark = HIP_PX + [0.0, drop * TORSO_PX]
    x = back_profile(
        to_image(silhouette(tilt_deg=11.0 + turn_deg), facing=facing),
        hip_px=landmark,
        facing=facing,
        torso_px=TORSO_PX,
        heights=_PROFILE_HEIGHTS,
    )
    phi, tx, ty, rms = register_profile(x, _PROFILE_HEIGHTS, ref, _REFERENCE_HEIGHTS)
    assert phi == pytest.approx(-turn_deg, abs=0.3)
    assert -ty == pytest.approx(drop, abs=0.003)  # the frame's points lie `drop` higher above the landmark
    assert tx == pytest.approx(0.0, abs=0.003)
    assert rms < 0.002


def test_profile_is_nan_without_an_outline():
    out = back_profile(np.full((64, 2), np.nan), hip_px=HIP_PX, facing=1.0, torso_px=TORSO_PX, heights=_PROFILE_HEIGHTS)
    assert np.isnan(out).all()
    assert all(math.isnan(v) for v in register_profile(out, _PROFILE_HEIGHTS, out, _PROFILE_HEIGHTS))


def sway_dataset(leans: np.ndarray, rate_per_deg: float, *, view: str = "side_right", fps: float = 30.0) -> xr.Dataset:
    """The stick figure swaying its trunk with the pelvis still at 11 deg, its hip landmark drifting down the
    body by ``rate_per_deg`` torso lengths per degree of lean (as MediaPipe's does), the outline drawn about the
    true hip joint; no elbows or wrists. Frames at ``fps``."""
    n = leans.size
    ds = stick_figure(np.arange(n) / fps, view=view, pose={"trunk_lean": leans})
    facing = 1.0 if view == "side_right" else -1.0
    pos = ds["position_px"].transpose("time", "keypoint", ...).values.copy()
    names = list(ds["keypoint"].values)
    hips = [names.index("left_hip"), names.index("right_hip")]
    true_hip = pos[:, hips].mean(axis=1)
    outlines = np.stack(
        [to_image(silhouette(sway_deg=lean), hip_px=true_hip[i], facing=facing, n=512) for i, lean in enumerate(leans)]
    )
    pos[:, hips, 1] += (rate_per_deg * leans * TORSO_PX)[:, None]
    return drawn_clip(ds, pos, outlines)


def drawn_clip(ds: xr.Dataset, pos: np.ndarray, outlines: np.ndarray) -> xr.Dataset:
    """The stick figure ``ds`` with its pixel keypoints replaced by ``pos`` ``(time, keypoint, 2)`` less the
    elbows and wrists (its arms hang straight down and would be gated behind a backward sway: not the subject
    of these tests), and ``outlines`` ``(time, point, 2)`` as its ``outline_px``."""
    names = list(ds["keypoint"].values)
    pos[:, [names.index(f"{s}_{p}") for s in ("left", "right") for p in ("elbow", "wrist")]] = np.nan
    ds = ds.assign(position_px=(ds["position_px"].transpose("time", "keypoint", ...).dims, pos))
    outline_px = xr.DataArray(
        np.asarray(outlines).astype(np.float32), dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}
    )
    return ds.assign(outline_px=outline_px)


def _sway_slope(config: KinematicsConfig, view: str = "side_right") -> float:
    leans = 10.0 * np.sin(2 * np.pi * np.arange(90) / 90.0)
    table = outline_estimates(sway_dataset(leans, 0.004, view=view), views=view, config=config)
    tilt = table["pelvic_tilt"].to_numpy()
    ok = np.isfinite(tilt)
    assert ok.mean() > 0.9
    return float(np.polyfit(leans[ok], tilt[ok], 1)[0])


@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_a_drifting_hip_landmark_does_not_make_a_sway_read_as_tilt(view):
    """The landmark drifts 0.004 torso lengths per degree, twice the population's rate: with the registration
    the tilt stays still; with the fixed rate alone (0.002) half the drift reads as tilt."""
    config = KinematicsConfig(
        outline_tilt_offset_deg=0.0,
        outline_tilt_population_shift_deg=0.0,
        outline_lordosis_offset_deg=0.0,
        outline_hip_from_floor=False,  # the soles would hold the hip too (tests/test_outline_floor.py)
    )
    registered = _sway_slope(config, view)
    fixed = _sway_slope(dataclasses.replace(config, outline_hip_registration=False), view)
    assert abs(registered) < 0.03
    assert abs(fixed) > 0.1


def test_the_drift_rate_weighs_the_clips_lean_by_time_not_by_frames():
    """One 2 s sway (trunk +-10 deg, landmark drifting 0.004 per degree) filmed at 15 and at 30 fps: the same
    movement, so the drift rate measured against the prior is the same and so is the tilt in the frames both
    have (time filters off: they differ between frame rates by design). Counting frames instead of seconds,
    the 15 fps clip leaned twice as hard on the prior (0.002 per degree) and read up to 0.19 deg apart."""
    config = KinematicsConfig(reject_outliers=False, lowpass=False)
    tilts = {}
    for fps in (15.0, 30.0):
        n = int(2.0 * fps)
        leans = 10.0 * np.sin(2 * np.pi * np.arange(n) / n)
        tilts[fps] = outline_estimates(sway_dataset(leans, 0.004, fps=fps), views="side_right", config=config)[
            "pelvic_tilt"
        ].to_numpy()
    both = np.isfinite(tilts[15.0]) & np.isfinite(tilts[30.0][::2])
    assert both.mean() > 0.9
    assert np.abs(tilts[15.0] - tilts[30.0][::2])[both].max() < 0.01


def test_elbow_swing_gates_an_arm_swung_back_from_where_it_hangs_standing():
    """The hanging arm's elbow, relative to its median over the near-upright frames: up to 0.04 behind is
    kept, 0.06 behind and more is gated, in between a linear ramp; no hanging arm (-inf) is kept."""
    config = KinematicsConfig()
    assert config.outline_elbow_swing_limits == (0.04, 0.06)
    elbow = np.array([0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.07, 0.10, -np.inf, np.nan])
    lean = np.array([0.0, 1.0, -1.0, 2.0, -2.0, -5.0, -7.0, -9.0, 0.0, 0.0])
    np.testing.assert_allclose(_elbow_swing(elbow, lean, config), [1, 1, 1, 1, 1, 1, 0.5, 0, 1, 1])
    # fewer than outline_registration_min_frames upright frames: nothing to compare with, nothing gated
    assert (_elbow_swing(elbow[4:], lean[4:], config) == 1.0).all()
    off = dataclasses.replace(config, outline_elbow_swing_limits=None)
    assert (_elbow_swing(elbow, lean, off) == 1.0).all()
