"""Left/right leg swap detection and correction on a synthetic side-view walk."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics import KinematicsConfig, detect_leg_swaps, fix_leg_swaps, swap_legs
from movelab.kinematics.stickfigure import stick_figure
from movelab.kinematics.swaps import detect_partial_leg_swaps, detect_stance_swaps

FPS = 30.0
N = 120


def walk(view: str = "side_right", *, world: bool = True, noise_px: float = 0.0) -> xr.Dataset:
    """Four strides at 1 stride/s crossing the picture at 1.2 m/s: thighs 5 ± 20° in antiphase, knees
    4–60°, so the legs cross twice per stride. Optional Gaussian pixel noise (seeded)."""
    t = np.arange(N) / FPS
    pose = {}
    for s, shift in (("left", 0.0), ("right", np.pi)):
        phase = 2 * np.pi * t + shift
        pose[f"thigh_angle_{s}"] = 5 + 20 * np.sin(phase)
        pose[f"knee_flexion_{s}"] = 32 - 28 * np.cos(phase + 0.6)
        pose[f"ankle_dorsiflexion_{s}"] = 4 * np.sin(phase + 1.2)
    ds = stick_figure(t, view=view, pose=pose, forward_m=1.2 * t - 2.4, world=world)
    if noise_px:
        rng = np.random.default_rng(7)
        ds["position_px"] = ds["position_px"] + rng.normal(0.0, noise_px, ds["position_px"].shape)
    return ds


def frames(*ranges: tuple[int, int]) -> np.ndarray:
    flags = np.zeros(N, dtype=bool)
    for start, stop in ranges:
        flags[start:stop] = True
    return flags


@pytest.mark.parametrize("world", [True, False])
@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_correct_labels_are_left_untouched(view, world):
    ds = walk(view, world=world)
    assert not detect_leg_swaps(ds).any()
    fixed = fix_leg_swaps(ds)
    xr.testing.assert_identical(fixed["position_px"], ds["position_px"])


@pytest.mark.parametrize("world", [True, False], ids=["depth+continuity", "continuity-only"])
@pytest.mark.parametrize("swapped", [[(30, 50)], [(0, 20)], [(100, 120)], [(52, 56)], [(10, 25), (70, 95)]], ids=str)
def test_swapped_stretches_are_found_and_undone(world, swapped):
    ds = walk(world=world)
    where = frames(*swapped)
    faulty = swap_legs(ds, where)
    detected = detect_leg_swaps(faulty)
    np.testing.assert_array_equal(detected.values, where)
    fixed = swap_legs(faulty, detected)
    np.testing.assert_allclose(fixed["position_px"].values, ds["position_px"].values)
    np.testing.assert_allclose(fixed["visibility"].values, ds["visibility"].values)


def test_swap_over_most_of_the_clip_needs_the_depth_cue():
    """Labels swapped in frames 0–79 of 120. Depth (the right leg nearer the camera when facing right)
    tells which labelling is true; without it, the majority of frames is taken as the truth."""
    where = frames((0, 80))
    np.testing.assert_array_equal(detect_leg_swaps(swap_legs(walk(), where)).values, where)
    without_depth = detect_leg_swaps(swap_legs(walk(world=False), where)).values
    np.testing.assert_array_equal(without_depth, ~where)


def test_noisy_keypoints_no_false_swap_and_swap_found():
    """2 px of independent noise on every keypoint (torso ≈ 150 px)."""
    ds = walk(world=False, noise_px=2.0)
    assert not detect_leg_swaps(ds).any()
    where = frames((40, 64))
    np.testing.assert_array_equal(detect_leg_swaps(swap_legs(ds, where)).values, where)


def test_front_view_is_not_examined():
    """The walk seen from the front with the legs' labels exchanged in frames 30–49."""
    ds = swap_legs(walk("front"), frames((30, 50)))
    assert not detect_leg_swaps(ds).any()
    assert not detect_leg_swaps(swap_legs(walk(), frames((30, 50))), views="front").any()


def test_gap_starts_a_new_chain_decided_by_depth():
    """The client is lost for 0.5 s (frames 50–64) and comes back with the legs' labels exchanged."""
    ds = walk()
    ds["presence"][50:65] = 0.0
    ds["detected"][50:65] = False
    where = frames((65, 90))
    np.testing.assert_array_equal(detect_leg_swaps(swap_legs(ds, where)).values, where)


def test_swap_legs_exchanges_every_keypoint_variable_and_is_its_own_inverse():
    ds = walk()
    ds["visibility"].loc[{"keypoint": "left_knee"}] = 0.4
    where = frames((3, 5))
    once = swap_legs(ds, where)
    assert float(once["visibility"].sel(keypoint="right_knee")[3]) == pytest.approx(0.4)
    assert float(once["visibility"].sel(keypoint="right_knee")[5]) == pytest.approx(1.0)
    np.testing.assert_array_equal(
        once["position_world_m"].sel(keypoint="left_heel")[4], ds["position_world_m"].sel(keypoint="right_heel")[4]
    )
    np.testing.assert_array_equal(
        once["position_px"].sel(keypoint="left_shoulder"), ds["position_px"].sel(keypoint="left_shoulder")
    )
    assert once.attrs["leg_labels_exchanged"] == 2
    xr.testing.assert_equal(swap_legs(once, where)["position_px"], ds["position_px"])


def test_swap_legs_rejects_wrong_length():
    with pytest.raises(ConfigError, match="one flag per frame \\(120\\), got shape \\(3,\\)"):
        swap_legs(walk(), [True, False, True])


FOOT = ("ankle", "heel", "foot_index")
KNEE_DOWN = ("knee", *FOOT)
LOWER = [f"{side}_{part}" for side in ("left", "right") for part in KNEE_DOWN]


def swap_parts(ds: xr.Dataset, where: np.ndarray, parts) -> xr.Dataset:
    """``ds`` with only ``parts`` of the legs exchanged in the frames of ``where`` (a partial leg flip)."""
    out = ds.copy(deep=True)
    for part in parts:
        left, right = f"left_{part}", f"right_{part}"
        for name in ("position_px", "position_world_m", "visibility"):
            a = out[name].sel(keypoint=left).values.copy()
            b = out[name].sel(keypoint=right).values.copy()
            a[where], b[where] = b[where], a[where].copy()
            out[name].loc[{"keypoint": left}] = a
            out[name].loc[{"keypoint": right}] = b
    return out


@pytest.mark.parametrize("noise_px", [0.0, 2.0], ids=["clean", "noisy"])
@pytest.mark.parametrize("parts", [FOOT, KNEE_DOWN], ids=["foot", "knee-down"])
@pytest.mark.parametrize("flipped", [(40, 42), (60, 63), (84, 86), (0, 2), (117, 120), (30, 31)], ids=str)
def test_brief_partial_flips_are_found_and_undone(flipped, parts, noise_px):
    """Only the distal points (ankle, heel, foot_index, or from the knee down) exchanged for 1–3 frames
    while the hips (and knees) keep their labels, as MediaPipe does when the legs pass each other."""
    ds = walk(world=False, noise_px=noise_px)
    where = frames(flipped)
    faulty = swap_parts(ds, where, parts)
    found = detect_partial_leg_swaps(faulty).values
    np.testing.assert_array_equal(found != 0, where)
    fixed = fix_leg_swaps(faulty)
    # Where both legs' points coincide (the hips in profile, the knees as they cross) either label is right.
    tolerance = 12.0 if noise_px else 1e-6
    np.testing.assert_allclose(
        fixed["position_px"].sel(keypoint=LOWER).values, ds["position_px"].sel(keypoint=LOWER).values, atol=tolerance
    )
    assert fixed.attrs["leg_parts_exchanged"] == where.sum()


@pytest.mark.parametrize("noise_px", [0.0, 2.0], ids=["clean", "noisy"])
@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_correct_input_has_no_partial_swap(view, noise_px):
    ds = walk(view, world=False, noise_px=noise_px)
    assert not detect_partial_leg_swaps(ds).any()
    fixed = fix_leg_swaps(ds)
    xr.testing.assert_identical(fixed["position_px"], ds["position_px"])
    assert "leg_parts_exchanged" not in fixed.attrs


def test_partial_flip_longer_than_the_limit_is_left_alone():
    """A foot flip over 10 frames (0.33 s) is longer than swap_partial_max_s (0.25 s): not a brief flip."""
    faulty = swap_parts(walk(world=False), frames((40, 50)), FOOT)
    assert not detect_partial_leg_swaps(faulty).any()
    config = KinematicsConfig(swap_partial_max_s=0.4)
    np.testing.assert_array_equal(detect_partial_leg_swaps(faulty, config=config).values != 0, frames((40, 50)))


def test_partial_fix_can_be_switched_off_and_front_view_is_not_examined():
    where = frames((60, 63))
    faulty = swap_parts(walk(world=False), where, FOOT)
    off = fix_leg_swaps(faulty, config=KinematicsConfig(swap_partial=False))
    whole_only = swap_legs(faulty, detect_leg_swaps(faulty))
    xr.testing.assert_identical(off["position_px"], whole_only["position_px"])
    assert "leg_parts_exchanged" not in off.attrs
    assert not detect_partial_leg_swaps(swap_parts(walk("front"), where, FOOT)).any()


def test_partial_settings_are_checked():
    with pytest.raises(ConfigError):
        KinematicsConfig(swap_partial_penalty=-1.0)
    with pytest.raises(ConfigError):
        KinematicsConfig(swap_accel_cap=0.0)


# Split stance (lunges, split squats): thighs and feet out of order.

THIGH = ("hip", "knee")


def split_squat(view: str = "side_right", *, n: int = 90) -> xr.Dataset:
    """A split squat in profile, 3 s, left leg in front: feet planted about 0.7 m apart (1.4 torso
    lengths), the front knee bending 20–60° and the rear 15–55° twice, both feet moving under 0.5 torso
    lengths/s."""
    t = np.arange(n) / FPS
    bend = 0.5 - 0.5 * np.cos(2 * np.pi * t / 1.5)  # 0 → 1 → 0, twice
    pose = {
        "thigh_angle_left": 30 + 10 * bend,
        "knee_flexion_left": 20 + 40 * bend,
        "thigh_angle_right": -25 + 10 * bend,
        "knee_flexion_right": 15 + 40 * bend,
    }
    return stick_figure(t, view=view, pose=pose, world=False)


@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_split_stance_in_order_is_left_untouched(view):
    ds = split_squat(view)
    assert not detect_stance_swaps(ds).any()
    xr.testing.assert_identical(fix_leg_swaps(ds)["position_px"], ds["position_px"])


@pytest.mark.parametrize("view", ["side_right", "side_left"])
@pytest.mark.parametrize(
    ("parts", "group"), [(THIGH, "thigh"), (FOOT, "foot"), (THIGH + FOOT, None)], ids=["thigh", "foot", "leg"]
)
@pytest.mark.parametrize("swapped", [(0, 15), (30, 42), (70, 90)], ids=str)
def test_split_stance_thigh_or_foot_out_of_order_is_put_back(view, parts, group, swapped):
    """The rear leg's labels on the front thigh (or foot, or leg) for 12–20 frames, longer than a brief
    flip, with no depth cue: only the legs' order in the stance tells, and the fix restores every point."""
    ds = split_squat(view)
    where = np.zeros(ds.sizes["time"], dtype=bool)
    where[slice(*swapped)] = True
    faulty = swap_parts(ds, where, parts)
    found = detect_stance_swaps(faulty)
    for name in ("thigh", "foot"):
        expected = where if group in (name, None) else np.zeros_like(where)
        np.testing.assert_array_equal(found.sel(group=name).values, expected)
    fixed = fix_leg_swaps(faulty)
    np.testing.assert_allclose(fixed["position_px"].values, ds["position_px"].values)
    # A whole leg is already put back by the whole-leg step (continuity and the majority of the chain).
    assert fixed.attrs.get("stance_parts_exchanged", 0) == (where.sum() if group else 0)


def test_walking_has_no_split_stance():
    """Feet apart but never both planted for a second: the legs' order changes for real at each step."""
    faulty = swap_parts(walk(world=False), frames((30, 50)), THIGH)
    assert not detect_stance_swaps(walk(world=False)).any()
    assert not detect_stance_swaps(faulty).any()


def test_stance_fix_can_be_switched_off_and_settings_are_checked():
    ds = split_squat()
    faulty = swap_parts(ds, np.arange(ds.sizes["time"]) < 15, THIGH)
    off = fix_leg_swaps(faulty, config=KinematicsConfig(swap_stance=False))
    xr.testing.assert_identical(off["position_px"], faulty["position_px"])
    with pytest.raises(ConfigError):
        KinematicsConfig(swap_stance_min_spread=0.0)
    with pytest.raises(ConfigError):
        KinematicsConfig(swap_stance_margin=-0.1)
