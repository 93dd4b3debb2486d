"""The hip landmark's height taken from the soles while the legs stand straight (issue 13, both facing directions).

MediaPipe's hip landmark rises along the body as the pelvis tilts forward, by a rate that differs between bodies
and with the facing direction (a body's mirror image reads differently); the sacral chord's levels are heights
above it, so the rise flattens the tilt sweep. With the legs straight the hip joint keeps its height above the
floor, which the outline's lowest point shows: the outline method sets the hip there. Drawn outlines and the
stick figure (no pose model).

Fast: pure geometry and the stick figure, no pose model.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr
from test_outline_registration import TORSO_PX, silhouette, to_image

from movelab.kinematics import KinematicsConfig, outline_estimates
from movelab.kinematics.outline import _floor_anchored_hip
from movelab.kinematics.stickfigure import stick_figure

#: offsets and gains off: the estimate is the drawn sacral chord's fixed point, comparable across hip landmarks
PLAIN = KinematicsConfig(
    outline_tilt_offset_deg=0.0,
    outline_tilt_population_shift_deg=0.0,
    outline_lordosis_offset_deg=0.0,
    outline_tilt_gain=1.0,
    outline_lordosis_sacral_gain=1.0,
)


def tilt_sweep_dataset(tilts: np.ndarray, rise_per_deg: float, *, view: str = "side_right") -> xr.Dataset:
    """The stick figure standing still while its drawn pelvis tilts through ``tilts`` (degrees), the outline
    (soles 1.9 torso lengths below the hip joint) drawn about the true hip joint, the hip landmark rising by
    ``rise_per_deg`` torso lengths per degree of tilt above 11 (as MediaPipe's does); no elbows or wrists."""
    n = tilts.size
    ds = stick_figure(np.arange(n) / 30.0, view=view)
    facing = 1.0 if view == "side_right" else -1.0
    pos = ds["position_px"].transpose("time", "keypoint", ...).values.copy()
    names = list(ds["keypoint"].values)
    hips = [names.index("left_hip"), names.index("right_hip")]
    true_hip = pos[:, hips].mean(axis=1)
    outlines = np.stack(
        [to_image(silhouette(tilt_deg=t), hip_px=true_hip[i], facing=facing, n=512) for i, t in enumerate(tilts)]
    )
    pos[:, hips, 1] -= (rise_per_deg * (tilts - 11.0) * TORSO_PX)[:, None]
    pos[:, [names.index(f"{s}_{p}") for s in ("left", "right") for p in ("elbow", "wrist")]] = np.nan
    ds = ds.assign(position_px=(ds["position_px"].transpose("time", "keypoint", ...).dims, pos))
    outline_px = xr.DataArray(
        outlines.astype(np.float32), dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}
    )
    return ds.assign(outline_px=outline_px)


def _sweep_slope(rise_per_deg: float, config: KinematicsConfig, view: str) -> float:
    tilts = 10.0 + 10.0 * np.sin(2 * np.pi * np.arange(90) / 90.0)
    table = outline_estimates(tilt_sweep_dataset(tilts, rise_per_deg, view=view), views=view, config=config)
    tilt = table["pelvic_tilt"].to_numpy()
    ok = np.isfinite(tilt)
    assert ok.mean() > 0.9
    return float(np.polyfit(tilts[ok], tilt[ok], 1)[0])


@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_a_hip_landmark_rising_with_the_tilt_does_not_flatten_the_tilt_sweep(view):
    """The landmark rises 0.004 torso lengths per degree of tilt (design4's mirror image: 0.0042): from the
    floor the sweep reads as with a landmark at the joint; from the landmark it reads flatter by over 0.1."""
    exact = _sweep_slope(0.0, PLAIN, view)
    anchored = _sweep_slope(0.004, PLAIN, view)
    landmark = _sweep_slope(0.004, dataclasses.replace(PLAIN, outline_hip_from_floor=False), view)
    assert anchored == pytest.approx(exact, abs=0.02)
    assert exact - landmark > 0.1


def _frames(n: int, *, hip_y: float = 300.0, floor_y: float = 600.0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` frames of a square outline whose lowest point is ``floor_y``, and a hip landmark at ``hip_y``."""
    square = np.array([[100.0, floor_y - 400.0], [200.0, floor_y - 400.0], [200.0, floor_y], [100.0, floor_y]])
    outline = np.repeat(square[None], n, axis=0)
    hip = np.tile([150.0, hip_y], (n, 1))
    return outline, hip


def test_the_hip_is_set_to_its_standing_height_above_the_soles():
    """Ten frames with the landmark at 300 px and the soles at 600 px, then five with the landmark risen 12 px:
    those are put back to 300; with the legs half bent (weight 0.5) half way; x never changes."""
    outline, hip = _frames(15)
    hip[10:, 1] -= 12.0
    legs = np.ones(15)
    legs[14] = 0.5
    out = _floor_anchored_hip(outline, hip, legs, np.zeros(15), config=KinematicsConfig(), height_px=720)
    np.testing.assert_allclose(out[:14, 1], 300.0)
    assert out[14, 1] == pytest.approx(294.0)
    np.testing.assert_array_equal(out[:, 0], hip[:, 0])


@pytest.mark.parametrize(
    "case",
    ["soles cut off by the picture's edge", "knees bent", "no outline", "too few upright frames"],
)
def test_the_hip_landmark_is_kept_where_the_soles_cannot_anchor_it(case):
    """The landmark as the pose model put it when the outline reaches the bottom edge (the feet are not seen),
    the legs are bent (weight 0), the outline is missing, or fewer than outline_registration_min_frames
    frames stand upright with straight legs to measure the hip's height above the soles."""
    outline, hip = _frames(10, floor_y=719.0 if case.startswith("soles") else 600.0)
    hip[5:, 1] -= 12.0
    legs = np.zeros(10) if case == "knees bent" else np.ones(10)
    lean = np.zeros(10)
    if case == "no outline":
        outline[:] = np.nan
    if case == "too few upright frames":
        lean[:] = 20.0
        lean[:4] = 0.0
    out = _floor_anchored_hip(outline, hip, legs, lean, config=KinematicsConfig(), height_px=720)
    np.testing.assert_array_equal(out, hip)
