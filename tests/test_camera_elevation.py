"""The camera's line-of-sight elevation from left/right landmark pairs, and the marker tilt's parallax correction.

A pinhole camera (``movelab.synth.camera``) looks at a side-view figure made of left/right landmark pairs at
known heights and depths: the elevation read from the picture must equal the camera's, in sign and size, and
ASIS/PSIS dots at different depths must give the pelvis's true tilt once corrected, whatever the camera height.
Exact geometry, no pose model: the calibration is the identity here (the fitted one maps the pose model's
far-side landmarks, which show only part of the parallax).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from movelab import landmarks as lm
from movelab.extraction import _marker_arrays, _Payload
from movelab.kinematics.camera_elevation import ElevationCalibration, line_of_sight
from movelab.kinematics.markers import MarkerConfig, marker_pelvic_tilt
from movelab.pose.markers import Dots
from movelab.synth.camera import camera_for_view

#: Heights (m) and half widths (m) of the pairs: shoulder, hip, knee, ankle, heel, toe.
PAIRS = {"shoulder": (1.42, 0.18), "hip": (0.95, 0.09), "knee": (0.52, 0.1), "ankle": (0.09, 0.1),
         "heel": (0.03, 0.1), "foot_index": (0.02, 0.1)}  # fmt: skip
#: The exact pinhole line through the pairs (no pose model's compressed far side to calibrate away).
IDENTITY = ElevationCalibration(scale=1.0, offset_tan=0.0, sd_tan=0.002, row_line=True, slope_scale=1.0)
WIDE = ElevationCalibration(scale=1.0, offset_tan=0.0, sd_tan=0.05, row_line=True, slope_scale=1.0)
LEVEL = ElevationCalibration(scale=1.0, offset_tan=0.0, sd_tan=0.002, slope_scale=1.0)  # the default method
PELVIS_Y_M = 1.03  # the stickers' height


def _world(n: int = 3, *, tilt_deg: float = 12.0, asis_depth_m: float = 0.05):
    """Landmark points (world: x forward, y up, z to the figure's right) and the ASIS/PSIS sticker centres of
    the near (right) side of a figure facing +x, pelvis tilted ``tilt_deg``."""
    points = {}
    for part, (y, half) in PAIRS.items():
        x = 0.12 if part == "foot_index" else (-0.05 if part == "heel" else 0.0)
        points[f"left_{part}"] = np.array([x, y, -half])
        points[f"right_{part}"] = np.array([x, y, half])
    t = math.radians(tilt_deg)
    length = 0.15
    asis = np.array([0.07, PELVIS_Y_M, 0.11])
    psis = asis + np.array([-length * math.cos(t), length * math.sin(t), -asis_depth_m])
    return points, asis, psis


def _dataset(camera_height_m: float, *, distance_m: float = 5.5, asis_depth_m: float = 0.05, tilt_deg: float = 12.0):
    cam = camera_for_view("side_right", distance_m=distance_m, camera_height_m=camera_height_m)
    points, asis, psis = _world(tilt_deg=tilt_deg, asis_depth_m=asis_depth_m)
    names = list(lm.KEYPOINTS)
    n = 3
    px = np.full((n, len(names), 2), np.nan)
    world = np.full((n, len(names), 3), np.nan)
    hip_mid = 0.5 * (points["left_hip"] + points["right_hip"])
    for name, p in points.items():
        k = names.index(name)
        px[:, k] = cam.project(p)
        rel = p - hip_mid  # pose-model world frame: x right on screen (figure forward), y down, z away
        world[:, k] = [rel[0], -rel[1], -rel[2]]
    ds = lm.from_arrays(time_s=np.arange(n) / 30.0, position_px=px, position_world_m=world, width_px=640, height_px=480)
    a, p = cam.project(asis), cam.project(psis)
    dots = Dots(np.array(sorted([a, p], key=lambda d: d[0])), np.array([30.0, 30.0]), 2)
    clients = [_Payload(None, dots={"green": dots}) for _ in range(n)]  # type: ignore[arg-type]
    true_tan = (camera_height_m - PELVIS_Y_M) / np.hypot(*(np.asarray(cam.position_m) - asis)[[0, 2]])
    return ds.assign(_marker_arrays(clients, "green")), true_tan


@pytest.mark.parametrize("camera_height_m", [0.6, 1.0, 1.5])
def test_the_pairs_give_the_cameras_elevation_at_the_pelvis(camera_height_m):
    ds, true_tan = _dataset(camera_height_m)
    sight = line_of_sight(ds, calibration=IDENTITY)
    assert sight is not None and sight.pairs == 6
    row = float(np.nanmedian(ds["marker_px"].sel(marker_colour="green").values[..., 1]))
    # a pitched camera's tan(e) is nearly, not exactly, linear in the row
    assert float(sight.tan_elevation(row)) == pytest.approx(true_tan, rel=0.08, abs=0.004)
    assert np.sign(sight.tan_elevation(row)) == np.sign(camera_height_m - PELVIS_Y_M)  # above: looking down


def test_no_world_landmarks_or_no_side_view_gives_no_elevation():
    ds, _ = _dataset(0.6)
    assert line_of_sight(ds.drop_vars("position_world_m")) is None
    front = ds.copy(deep=True)
    front["position_world_m"].loc[dict(space_3d="z")] = 0.0  # left and right at one depth: no parallax to read
    assert line_of_sight(front) is None


@pytest.mark.parametrize("camera_height_m", [0.5, 0.8, 1.4])
def test_a_camera_below_or_above_the_pelvis_gives_the_true_tilt_once_corrected(camera_height_m):
    ds, _ = _dataset(camera_height_m, asis_depth_m=0.05)
    exact = MarkerConfig(sticker_depth_m=0.05, sticker_depth_sd_m=0.0, elevation=IDENTITY)
    raw = marker_pelvic_tilt(ds, "side_right", config=MarkerConfig(correct_parallax=False)).table
    fixed = marker_pelvic_tilt(ds, "side_right", config=exact)
    parallax = abs(raw["pelvic_tilt"].iloc[0] - 12.0)
    assert parallax > (0.4 if camera_height_m != 0.8 else 0.1)  # the raw dots' line errs
    assert fixed.table["pelvic_tilt"].to_numpy() == pytest.approx(12.0, abs=0.1)
    assert "parallax" in fixed.note and np.isfinite(fixed.elevation_tan)
    assert (fixed.table["pelvic_tilt_raw"] == raw["pelvic_tilt"]).all()


def test_the_tilt_sd_grows_with_the_elevations_uncertainty_and_the_camera_height():
    low, _ = _dataset(0.5)
    level, _ = _dataset(1.03)
    sd = {
        (name, cal): float(marker_pelvic_tilt(ds, "side_right", config=MarkerConfig(elevation=cal)).table[
            "pelvic_tilt_sd"].iloc[0])
        for name, ds in (("low", low), ("level", level))
        for cal in (IDENTITY, WIDE)
    }  # fmt: skip
    assert all(v > 0 for v in sd.values())
    assert sd[("low", IDENTITY)] < sd[("low", WIDE)]
    assert sd[("level", IDENTITY)] < sd[("low", IDENTITY)]  # the sticker depth's spread counts more when low


def test_the_motion_carries_the_markers_sd_per_frame_and_the_report_its_median():
    from movelab.kinematics import compute_motion

    ds, _ = _dataset(0.5)
    motion = compute_motion(ds, views="side_right")
    sd = motion.outline["pelvic_tilt_marker_sd"].to_numpy()
    assert np.isfinite(sd).all() and (sd > 0).all()
    info = motion.pelvic_tilt_source
    assert info["mode"] == "markers" and info["median_sd_deg"] == pytest.approx(float(np.median(sd)))
    assert info["elevation_deg"] < 0 and "sd_deg" not in info  # looking up at the pelvis; JSON-ready


def _pair_tans(ds):
    from movelab.kinematics.camera_elevation import pair_elevations

    return pair_elevations(ds)[1]


@pytest.mark.parametrize("camera_height_m", [0.6, 1.5])
def test_the_level_is_the_pairs_median_at_the_hips_row_and_moves_with_the_slope_along_the_rows(camera_height_m):
    ds, _ = _dataset(camera_height_m)
    sight = line_of_sight(ds, calibration=LEVEL)
    hip_row = float(np.nanmedian(ds["position_px"].sel(keypoint=["left_hip", "right_hip"]).values[..., 1]))
    assert sight.ref_row_px == pytest.approx(hip_row)
    assert float(sight.tan_elevation(hip_row)) == pytest.approx(float(np.median(_pair_tans(ds))), abs=1e-9)
    # away from the hips' row it changes by slope_scale times the pairs' slope: 2x it here
    steeper = line_of_sight(ds, calibration=ElevationCalibration(scale=1.0, offset_tan=0.0, slope_scale=2.0))
    step = float(steeper.tan_elevation(hip_row + 100) - steeper.tan_elevation(hip_row))
    assert step == pytest.approx(2.0 * 100 * sight.slope_per_px) and sight.slope_per_px > 0  # lower rows: down
    # the exact geometry's slope is the pinhole's, so LEVEL and IDENTITY differ by the pairs' median's row offset
    exact = line_of_sight(ds, calibration=IDENTITY)
    assert float(exact.tan_elevation(hip_row)) != pytest.approx(float(sight.tan_elevation(hip_row)), abs=1e-3)


def test_one_misplaced_far_side_pair_moves_the_median_level_less_than_the_line():
    """The pose model places a hidden far-side landmark partly by its prior: here the far knee 25 px low."""
    ds, _ = _dataset(1.3)
    bad = ds.copy(deep=True)
    bad["position_px"].loc[dict(keypoint="left_knee", space_2d="y")] += 25.0
    hip_row = float(np.nanmedian(ds["position_px"].sel(keypoint=["left_hip", "right_hip"]).values[..., 1]))
    moved = {
        name: abs(float(line_of_sight(bad, calibration=cal).tan_elevation(hip_row))
                  - float(line_of_sight(ds, calibration=cal).tan_elevation(hip_row)))
        for name, cal in (("line", IDENTITY), ("level", LEVEL))
    }  # fmt: skip
    assert moved["line"] > 0.02  # the line's extrapolation to the hips carries the knee's error
    assert moved["level"] < 0.5 * moved["line"]
