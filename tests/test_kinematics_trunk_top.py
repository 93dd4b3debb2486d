"""The side-view trunk line's upper end (``KinematicsConfig.side_view_shoulder_shift_max``,
:func:`movelab.kinematics.joint_angles.trunk_top`): the shoulders' midpoint moved forward towards the
camera-side shoulder by a capped amount, since the pose model puts the hidden far shoulder behind its joint."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.kinematics import KinematicsConfig, compute_angles
from movelab.kinematics.joint_angles import trunk_top
from movelab.kinematics.stickfigure import stick_figure

FPS = 30.0
MIDPOINT = KinematicsConfig(side_view_shoulder_shift_max=0.0)


def _squat(view="side_right"):
    t = np.arange(90) / FPS
    depth = (1 - np.cos(2 * np.pi * t / 3.0)) / 2
    pose = {"trunk_lean": 5 + 35 * depth}
    for s in ("left", "right"):
        pose[f"thigh_angle_{s}"] = 95 * depth
        pose[f"knee_flexion_{s}"] = 110 * depth
        pose[f"ankle_dorsiflexion_{s}"] = 15 * depth
    return stick_figure(t, view=view, pose=pose), pose


def _far_shoulder_moved(ds, forward_px: float, *, far: str = "left", facing: float = 1.0):
    moved = ds.copy(deep=True)
    moved["position_px"].loc[{"keypoint": f"{far}_shoulder", "space_2d": "x"}] += facing * forward_px
    return moved


def _torso_px(ds) -> float:
    px = ds["position_px"]
    shoulders = px.sel(keypoint=["left_shoulder", "right_shoulder"]).mean("keypoint")
    hips = px.sel(keypoint=["left_hip", "right_hip"]).mean("keypoint")
    return float(np.median(np.hypot(*(shoulders - hips).values.T)))


@pytest.mark.parametrize("view, far, facing", [("side_right", "left", 1.0), ("side_left", "right", -1.0)])
def test_far_shoulder_placed_behind_its_joint_is_taken_back(view, far, facing):
    """The far shoulder 6 px behind its joint (as MediaPipe puts it in profile) tilts the midpoint's trunk
    line upright by about 1°; the shift takes it back to the truth, in both facing directions."""
    ds, pose = _squat(view)
    behind = _far_shoulder_moved(ds, -6.0, far=far, facing=facing)
    assert 6.0 / 2 < 0.03 * _torso_px(ds)  # the midpoint's 3 px error lies within the cap
    midpoint_error = compute_angles(behind, config=MIDPOINT)["trunk_lean"].to_numpy() - pose["trunk_lean"]
    shifted = compute_angles(behind)
    assert np.mean(midpoint_error) < -0.8
    assert np.max(np.abs(shifted["trunk_lean"].to_numpy() - pose["trunk_lean"])) < 0.1
    hip = shifted[f"hip_flexion_{'right' if far == 'left' else 'left'}"].to_numpy()
    near = "right" if far == "left" else "left"
    assert np.max(np.abs(hip - (pose[f"thigh_angle_{near}"] + pose["trunk_lean"]))) < 0.1


def test_the_shift_is_capped():
    """30 px behind: the midpoint is 15 px off, the shift takes back only 0.03 torso lengths, so the lean
    moves by at most atan(0.03) = 1.72° from the midpoint's and stays on the truth's side of it."""
    ds, pose = _squat()
    behind = _far_shoulder_moved(ds, -30.0)
    midpoint = compute_angles(behind, config=MIDPOINT)["trunk_lean"].to_numpy()
    shifted = compute_angles(behind)["trunk_lean"].to_numpy()
    change = shifted - midpoint
    assert np.all(change > 0.5)
    assert np.all(change <= np.degrees(np.arctan(0.03)) + 0.05)
    assert np.all(shifted < pose["trunk_lean"])  # still short of the truth: 15 px is beyond the cap


def test_far_shoulder_ahead_of_the_near_one_is_left_alone():
    ds, _ = _squat()
    ahead = _far_shoulder_moved(ds, +6.0)
    assert np.array_equal(
        compute_angles(ahead)["trunk_lean"].to_numpy(), compute_angles(ahead, config=MIDPOINT)["trunk_lean"].to_numpy()
    )


@pytest.mark.parametrize("yaw_deg", [70.0, 80.0, 100.0, 110.0])
def test_off_profile_the_lean_moves_by_at_most_the_cap(yaw_deg):
    """Up to 20° off profile the two shoulder joints project apart for real; whatever the shift does there is
    bounded by atan(shift_max)."""
    ds, _ = _squat(yaw_deg)
    midpoint = compute_angles(ds, config=MIDPOINT)["trunk_lean"].to_numpy()
    shifted = compute_angles(ds)["trunk_lean"].to_numpy()
    assert np.isfinite(shifted).all()
    assert np.max(np.abs(shifted - midpoint)) <= np.degrees(np.arctan(0.03)) + 0.05


def test_front_view_angles_do_not_use_the_shift():
    ds, _ = _squat("front")
    a, b = compute_angles(ds), compute_angles(ds, config=MIDPOINT)
    assert a.equals(b)


def test_trunk_top_keeps_the_midpoint_without_a_camera_side_shoulder():
    mid = np.array([[10.0, 100.0], [10.0, 100.0], [10.0, 100.0]])
    near = np.array([[14.0, 100.0], [np.nan, np.nan], [30.0, 100.0]])
    hip = np.zeros((3, 2))
    top = trunk_top(mid, near, hip, shift_max=0.03)
    cap = 0.03 * np.hypot(10.0, 100.0)  # 3.015 px of a 100.5 px torso
    assert top[0, 0] == pytest.approx(10.0 + cap)  # 4 px ahead: capped
    assert top[1, 0] == 10.0
    assert top[2, 0] == pytest.approx(10.0 + cap)
    assert trunk_top(mid, mid + [2.0, 0.0], hip, shift_max=0.03)[0, 0] == pytest.approx(12.0)  # within the cap
    assert np.array_equal(top[:, 1], mid[:, 1])
    assert np.array_equal(trunk_top(mid, near, hip, shift_max=0.0), mid)


@pytest.mark.parametrize("value", [-0.01, 0.6, "0.03"])
def test_config_rejects_a_bad_shift(value):
    with pytest.raises(ConfigError, match="side_view_shoulder_shift_max must be a number in"):
        KinematicsConfig(side_view_shoulder_shift_max=value)
