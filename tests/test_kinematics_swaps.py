"""Left/right leg swap detection and correction on a synthetic side-view walk."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics import detect_leg_swaps, fix_leg_swaps, swap_legs
from movelab.kinematics.stickfigure import stick_figure

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
@pytest.mark.parametrize("swapped", [[(30, 50)], [(0, 20)], [(100, 120)], [(52, 56)], [(10, 25), (70, 95)]],
                         ids=str)
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
    np.testing.assert_array_equal(once["position_world_m"].sel(keypoint="left_heel")[4],
                                  ds["position_world_m"].sel(keypoint="right_heel")[4])
    np.testing.assert_array_equal(once["position_px"].sel(keypoint="left_shoulder"),
                                  ds["position_px"].sel(keypoint="left_shoulder"))
    assert once.attrs["leg_labels_exchanged"] == 2
    xr.testing.assert_equal(swap_legs(once, where)["position_px"], ds["position_px"])


def test_swap_legs_rejects_wrong_length():
    with pytest.raises(ConfigError, match="one flag per frame \\(120\\), got shape \\(3,\\)"):
        swap_legs(walk(), [True, False, True])
