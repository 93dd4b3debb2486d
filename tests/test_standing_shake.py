"""Issue 18, fast tier: quiet standing under a handheld camera's shake.

The standing reference judges stillness from the body's shape (hips, shoulders and ankles relative to each
other, movelab.kinematics.shape_speeds), so a picture that shifts and turns as a whole keeps the standing frames
of the still picture, while a real movement of the body still breaks standing. Stick-figure landmarks
(movelab.kinematics.stickfigure), shaken here by a common translation and rotation of every landmark."""

from __future__ import annotations

import numpy as np
import pytest
from test_findings_views import REPS, findings_of, front_squat_landmarks

from movelab.findings import FindingsConfig
from movelab.findings.standing import quiet_standing
from movelab.kinematics import compute_motion
from movelab.kinematics.geometry import support_speeds
from movelab.kinematics.shape_speeds import rigid_residuals, shape_speeds
from movelab.kinematics.stickfigure import stick_figure
from movelab.landmarks import KEYPOINTS

FPS = 30.0


def standing_landmarks(duration_s: float = 3.0, *, pose=None):
    t = np.arange(int(round(duration_s * FPS))) / FPS
    return stick_figure(t, view="front", pose=pose)


def shaken(ds, *, shift_px: float = 10.0, roll_deg: float = 0.6):
    """Every landmark moved by the same smooth shake: a translation of up to ``shift_px`` (sinusoids of 1.3 and
    2.1 Hz) and a turn of up to ``roll_deg`` about the picture's centre (0.9 Hz). On this figure (torso 150 px)
    the hip centre's image speed reaches about 1 torso length/s, four times the quiet-standing limit."""
    out = ds.copy(deep=True)
    t = out["time"].values
    dx = shift_px * np.sin(2 * np.pi * 1.3 * t + 0.4)
    dy = 0.7 * shift_px * np.sin(2 * np.pi * 2.1 * t + 1.1)
    roll = np.radians(roll_deg) * np.sin(2 * np.pi * 0.9 * t)
    centre = np.array([out.attrs["width_px"], out.attrs["height_px"]], float) / 2
    px = out["position_px"].transpose("time", "keypoint", ...).values.copy()
    rel = px[..., :2] - centre
    cos, sin = np.cos(roll)[:, None], np.sin(roll)[:, None]
    px[..., 0] = centre[0] + cos * rel[..., 0] - sin * rel[..., 1] + dx[:, None]
    px[..., 1] = centre[1] + sin * rel[..., 0] + cos * rel[..., 1] + dy[:, None]
    out["position_px"] = out["position_px"].transpose("time", "keypoint", ...).copy(data=px)
    if "position_norm" in out:
        norm = out["position_norm"].transpose("time", "keypoint", ...).values.copy()
        norm[..., 0], norm[..., 1] = px[..., 0] / out.attrs["width_px"], px[..., 1] / out.attrs["height_px"]
        out["position_norm"] = out["position_norm"].transpose("time", "keypoint", ...).copy(data=norm)
    return out


def standing_of(ds, *, config=FindingsConfig()):
    motion = compute_motion(ds, views="front")
    time = np.asarray(motion.time_s)
    return quiet_standing(
        time, np.ones(time.size, bool), angles=motion.angles, positions=motion.positions.cleaned, config=config
    ).mask, motion


def step_sideways(ds, *, start_s: float, dx_px: float = 45.0, duration_s: float = 0.4):
    """The left foot (ankle, heel, toes) and knee step ``dx_px`` outwards over ``duration_s`` and stay there."""
    out = ds.copy(deep=True)
    t = out["time"].values
    ramp = np.clip((t - start_s) / duration_s, 0.0, 1.0)
    px = out["position_px"].transpose("time", "keypoint", ...).values.copy()
    for name in ("left_ankle", "left_heel", "left_foot_index", "left_knee"):
        px[:, KEYPOINTS.index(name), 0] += dx_px * ramp
    out["position_px"] = out["position_px"].transpose("time", "keypoint", ...).copy(data=px)
    return out


# ----------------------------------------------------------------------------- the rigid fit


def test_a_common_shift_and_turn_leaves_no_residual_and_a_moved_point_keeps_its_move():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 500, size=(20, 4, 2))
    theta = rng.uniform(-0.1, 0.1, size=20)
    rot = np.stack([np.stack([np.cos(theta), -np.sin(theta)], -1), np.stack([np.sin(theta), np.cos(theta)], -1)], 1)
    b = np.einsum("fij,fpj->fpi", rot, a) + rng.uniform(-30, 30, size=(20, 1, 2))
    np.testing.assert_allclose(rigid_residuals(a, b), 0.0, atol=1e-9)
    moved = b.copy()
    moved[:, 2] += [40.0, 0.0]
    residual = rigid_residuals(a, moved)
    np.testing.assert_allclose(residual[:, 2], 40.0, atol=1e-6)  # left out of the fit: its whole move
    np.testing.assert_allclose(np.delete(residual, 2, axis=1), 0.0, atol=1e-6)


def test_points_not_measured_in_both_frames_are_nan_and_one_point_is_no_fit():
    a = np.array([[[0, 0], [0, 100], [50, 0], [np.nan, np.nan]], [[0, 0], [np.nan, 1], [np.nan, 2], [np.nan, 3]]])
    residual = rigid_residuals(a, a + 5.0)
    np.testing.assert_allclose(residual[0, :3], 0.0, atol=1e-9)
    assert np.isnan(residual[0, 3]) and np.isnan(residual[1]).all()


# ----------------------------------------------------------------------------- quiet standing under shake


def test_a_shaken_picture_keeps_the_standing_frames_of_the_still_picture():
    still = standing_landmarks()
    still_mask, _ = standing_of(still)
    shaken_mask, motion = standing_of(shaken(still))
    assert still_mask.sum() >= 70  # 3 s less the 0.5 s of settling: 75 frames
    assert shaken_mask[still_mask].all()
    # the control: the picture's own speeds (the rule before) see the shake as movement in most frames
    image = support_speeds(motion.positions.cleaned, time_s=np.asarray(motion.time_s), hip_fallback=False)
    assert (np.nanmax(image, axis=0)[still_mask] > FindingsConfig().standing_max_speed).mean() > 0.5


@pytest.mark.parametrize("picture", ["still", "shaken"])
def test_a_step_sideways_breaks_standing_in_a_still_or_shaken_picture(picture):
    ds = step_sideways(standing_landmarks(), start_s=1.5)
    mask, motion = standing_of(shaken(ds) if picture == "shaken" else ds)
    t = np.asarray(motion.time_s)
    stepping = (t > 1.55) & (t < 1.85)
    assert not mask[stepping].any()
    assert mask[(t > 0.6) & (t < 1.3)].all() and mask[t > 2.2].all()  # standing before and after the step


@pytest.mark.parametrize("picture", ["still", "shaken"])
def test_a_sideways_sway_of_the_trunk_within_the_upright_limit_breaks_standing(picture):
    t = np.arange(int(round(3.0 * FPS))) / FPS
    sway = np.where((t > 1.5) & (t < 2.5), 8.0 * np.sin(2 * np.pi * (t - 1.5)), 0.0)  # within 10° of upright
    ds = standing_landmarks(pose={"trunk_lateral_lean": sway})
    mask, _ = standing_of(shaken(ds) if picture == "shaken" else ds)
    swaying = (t > 1.6) & (t < 2.4) & (np.abs(np.cos(2 * np.pi * (t - 1.5))) > 0.5)  # the trunk's fast phases
    assert not mask[swaying].any()
    assert mask[(t > 0.6) & (t < 1.4)].all()


def test_a_real_drop_under_shake_is_measured_against_standing_not_a_note():
    """The pelvic-drop squat of test_findings_views, filmed shaking: the finding, with the standing reference
    of the still picture."""
    ds = front_squat_landmarks()
    t = ds["time"].values
    at_bottom = np.zeros(t.size, bool)
    for rep in REPS:
        at_bottom |= np.abs(t - rep["bottom_s"]) <= 0.2
    ds["position_px"].values[at_bottom, KEYPOINTS.index("right_hip"), 1] += 12.0
    _, still = findings_of(ds)
    _, moving = findings_of(shaken(ds, shift_px=6.0, roll_deg=0.4))
    (drop_still,) = [f for f in still if f.code == "pelvic_drop" and f.severity != "info"]
    (drop,) = [f for f in moving if f.code == "pelvic_drop" and f.severity != "info"]
    assert drop.side == "right" and drop.value == pytest.approx(drop_still.value, abs=1.0)
    assert drop.to_dict()["baseline"]["frames"] == drop_still.to_dict()["baseline"]["frames"]


def test_shape_speeds_of_a_standing_figure_under_shake_stay_far_below_the_limit():
    ds = shaken(standing_landmarks())
    motion = compute_motion(ds, views="front")
    speeds = shape_speeds(motion.positions.cleaned, time_s=np.asarray(motion.time_s), window_s=0.2)
    assert speeds.shape == (4, ds.sizes["time"])
    assert np.nanmax(speeds) < 0.1 * FindingsConfig().standing_max_speed
