"""The hips' obliquity as filmed, mirrored and averaged over the two pictures
(scripts/accuracy/frontal_hips_mirrored.py). Synthetic hip points with exact answers; no pose model."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from scripts.accuracy.frontal_hips_mirrored import (
    averaged_hips,
    image_right_lower_px,
    obliquity_deg,
    with_averaged_hips,
)

WIDTH_PX = 640


def _hips(left_xy, right_xy, n=3):
    return np.tile(np.asarray(left_xy, float), (n, 1)), np.tile(np.asarray(right_xy, float), (n, 1))


def _mirror(left, right):
    """What a mirror-equivariant pose model finds in the mirror image: each hip's x flipped, and the labels
    swapped (the mirrored figure's left hip is the filmed one's right)."""

    def flipped(xy):
        return np.column_stack([WIDTH_PX - 1 - xy[:, 0], xy[:, 1]])

    return flipped(right), flipped(left)


@pytest.mark.parametrize("back", [True, False])
def test_obliquity_is_positive_when_the_left_hip_is_higher_in_either_facing_direction(back):
    left_x, right_x = (300.0, 340.0) if back else (340.0, 300.0)  # from behind the left hip is on the image's left
    left, right = _hips((left_x, 200.0), (right_x, 200.0 + 40.0 * np.tan(np.radians(5.0))))
    np.testing.assert_allclose(obliquity_deg(left, right), 5.0)


def test_a_bias_that_follows_the_picture_cancels_in_the_average_and_a_real_obliquity_stays():
    """A 5° real obliquity (left higher) plus a pose model that puts the hip on the image's right 3 px low in
    any picture: filmed from behind the right hip reads 3 px lower, in the mirror image the filmed left hip
    does; the average of each hip with its mirror twin keeps the 5° and drops the bias."""
    rise = 40.0 * np.tan(np.radians(5.0))
    left, right = _hips((300.0, 200.0), (340.0, 200.0 + rise))
    mirror_left, mirror_right = _mirror(left, right)
    left_read, right_read = left.copy(), right.copy()
    right_read[:, 1] += 3.0  # the image's right, as filmed
    mirror_right[:, 1] += 3.0  # the image's right in the mirror: the mirrored figure's right = filmed left
    assert obliquity_deg(left_read, right_read)[0] > 8.0
    np.testing.assert_allclose(obliquity_deg(*averaged_hips(left_read, right_read, mirror_left, mirror_right)), 5.0)
    np.testing.assert_allclose(image_right_lower_px(left_read, right_read), rise + 3.0)
    np.testing.assert_allclose(image_right_lower_px(mirror_left, mirror_right), 3.0 - rise)


def test_with_averaged_hips_changes_only_the_hips_heights():
    keypoints = ["left_hip", "right_hip", "left_knee"]
    filmed = np.array([[[300.0, 200.0], [340.0, 204.0], [300.0, 300.0]]])
    mirrored = np.array([[[299.0, 201.0], [339.0, 202.0], [339.0, 310.0]]])

    def dataset(values):
        da = xr.DataArray(
            values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": keypoints, "space_2d": ["x", "y"]}
        )
        return xr.Dataset({"position_px": da})

    out = with_averaged_hips(dataset(filmed), dataset(mirrored))["position_px"].values
    np.testing.assert_allclose(out[0, 0], [300.0, 0.5 * (200.0 + 202.0)])  # the left hip with the mirror's right
    np.testing.assert_allclose(out[0, 1], [340.0, 0.5 * (204.0 + 201.0)])
    np.testing.assert_allclose(out[0, 2], filmed[0, 2])
