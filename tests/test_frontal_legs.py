"""The FPPA joint centres (movelab.kinematics.frontal_legs) on hand-made positions and outlines with exact
answers."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.kinematics.frontal_legs import _leg_middle, frontal_leg_centres
from movelab.landmarks import KEYPOINTS


def positions(points: dict[str, tuple[float, float]], n: int = 1) -> xr.DataArray:
    values = np.full((n, len(KEYPOINTS), 2), np.nan)
    for name, xy in points.items():
        values[:, KEYPOINTS.index(name)] = xy
    return xr.DataArray(
        values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": list(KEYPOINTS), "space_2d": ["x", "y"]}
    )


def polygon(*corners) -> np.ndarray:
    """A closed outline, NaN-padded to 16 points as extraction pads it."""
    out = np.full((16, 2), np.nan)
    out[: len(corners)] = corners
    return out


# two legs as rectangles hanging from a pelvis block: left leg x 100-140, right leg x 160-200 (image x)
LEGS = polygon((90, 0), (210, 0), (210, 400), (160, 400), (160, 100), (140, 100), (140, 400), (90, 400))


@pytest.mark.parametrize(
    "x, other, expected",
    [(110.0, 190.0, 115.0), (125.0, 190.0, 115.0), (185.0, 110.0, 185.0), (100.0, 120.0, 100.0), (130.0, 110.0, 130.0)],
)
def test_leg_middle_is_the_middle_of_the_interval_holding_the_landmark(x, other, expected):
    """At y = 200 the outline's interior is [90, 140] and [160, 210]; [90, 140] shared with the other leg's
    landmark is split at the two landmarks' midpoint (110 for 100 and 120: [90, 110] -> 100; 120 for 130 and
    110: [120, 140] -> 130)."""
    assert _leg_middle(LEGS, 200.0, x, other) == pytest.approx(expected)


def test_leg_middle_outside_the_outline_is_nan():
    assert np.isnan(_leg_middle(LEGS, 200.0, 150.0, 190.0))
    assert np.isnan(_leg_middle(LEGS, 500.0, 110.0, 190.0))


def test_knees_move_halfway_to_the_outline_middle_and_the_ankle_onto_the_shank_line():
    """Straight vertical legs in the outline; the model's left knee sits 10 px off the leg's middle and its
    ankle 6 px the other way: the knee moves halfway back (5 px off), and the ankle then lies straight below
    the corrected knee, since the shank's outline midline is vertical. Torso constant: hips drop
    ``a`` torso lengths."""
    pos = positions(
        {
            "left_shoulder": (130, -300),
            "right_shoulder": (170, -300),
            "left_hip": (115, 0),
            "right_hip": (185, 0),
            "left_knee": (125, 200),
            "right_knee": (185, 200),
            "left_ankle": (109, 380),
            "right_ankle": (185, 380),
        }
    )
    out = frontal_leg_centres(pos, LEGS[None], np.array([True]), hip_drop=(0.1, 0.5))
    get = lambda name: out.sel(keypoint=name).values[0]  # noqa: E731
    np.testing.assert_allclose(get("left_knee"), [120.0, 200.0])  # (125 + 115) / 2
    np.testing.assert_allclose(get("left_ankle"), [120.0, 380.0])
    np.testing.assert_allclose(get("right_knee"), [185.0, 200.0])  # already in the middle of [160, 210]
    np.testing.assert_allclose(get("left_hip"), [115.0, 30.0])  # 0.1 x the 300 px torso
    np.testing.assert_allclose(pos.sel(keypoint="left_knee").values[0], [125.0, 200.0])  # the input is kept


def test_frames_outside_front_and_back_views_are_unchanged():
    pos = positions(
        {
            "left_hip": (115, 0),
            "right_hip": (185, 0),
            "left_knee": (125, 200),
            "left_ankle": (109, 380),
            "left_shoulder": (130, -300),
            "right_shoulder": (170, -300),
        }
    )
    out = frontal_leg_centres(pos, LEGS[None], np.array([False]), hip_drop=(0.1, 0.5))
    xr.testing.assert_equal(out, pos)
