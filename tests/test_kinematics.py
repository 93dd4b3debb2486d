"""The angle table on synthetic stick figures with exactly known angles (no video, no model).

Every motion is posed with :func:`movelab.kinematics.stickfigure.stick_figure`, which builds the figure by
forward kinematics and never calls the angle code. "Exact" checks run with the default cleaning chain
(swap fix, gate, Hampel, gap fill, 6 Hz zero-lag low-pass) unless a test says otherwise; the only
allowance is the low-pass edge transient in the first and last 0.2 s of fast motions (docs/kinematics.md).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from movelab import landmarks
from movelab.errors import ConfigError, InputError, LandmarkFileError
from movelab.kinematics import (
    ANGLE_NAMES,
    FRONTAL,
    SAGITTAL,
    KinematicsConfig,
    compute_angles,
    signed_angle_deg,
    swap_legs,
    unsigned_angle_deg,
)
from movelab.kinematics.stickfigure import stick_figure

FPS = 30.0
TOL_DEG = 0.1
EDGE = 6  # frames (0.2 s) at each end where the low-pass edge transient is allowed on fast motions


def squat_pose(t: np.ndarray) -> dict[str, np.ndarray]:
    """One slow deep squat over 3 s: thighs 0→95°, knees 0→110°, trunk lean 5→40°, feet flat."""
    depth = (1 - np.cos(2 * np.pi * t / 3.0)) / 2
    pose = {"trunk_lean": 5 + 35 * depth}
    for s in ("left", "right"):
        pose[f"thigh_angle_{s}"] = 95 * depth
        pose[f"knee_flexion_{s}"] = 110 * depth
        pose[f"ankle_dorsiflexion_{s}"] = 15 * depth  # knee − thigh: the foot stays flat
    return pose


def gait_pose(t: np.ndarray) -> dict[str, np.ndarray]:
    """Walking at 1 stride/s: thighs 5 ± 20° in antiphase, knees 4–60°, ankles ± 4°, trunk 5 ± 2°."""
    pose = {"trunk_lean": 5 + 2 * np.sin(4 * np.pi * t)}
    for s, shift in (("left", 0.0), ("right", np.pi)):
        phase = 2 * np.pi * t + shift
        pose[f"thigh_angle_{s}"] = 5 + 20 * np.sin(phase)
        pose[f"knee_flexion_{s}"] = 32 - 28 * np.cos(phase + 0.6)
        pose[f"ankle_dorsiflexion_{s}"] = 4 * np.sin(phase + 1.2)
    return pose


def frontal_pose(t: np.ndarray) -> dict[str, np.ndarray]:
    """Single-leg-squat-like sway over 3 s: pelvis drops ±6°, trunk leans ±8°, left knee valgus up to
    12°, right knee from 6° varus to 6° valgus (no sagittal motion)."""
    s = np.sin(2 * np.pi * t / 3.0)
    return {
        "pelvic_obliquity": -6 * s,
        "trunk_lateral_lean": 8 * s,
        "knee_fppa_left": 12 * s**2,
        "knee_fppa_right": -6 * s,
    }


def expected_sagittal(pose: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The sagittal angles implied by a pose (hip_flexion = thigh_angle + trunk_lean)."""
    out = {"trunk_lean": pose["trunk_lean"]}
    for s in ("left", "right"):
        out[f"knee_flexion_{s}"] = pose[f"knee_flexion_{s}"]
        out[f"thigh_angle_{s}"] = pose[f"thigh_angle_{s}"]
        out[f"hip_flexion_{s}"] = pose[f"thigh_angle_{s}"] + pose["trunk_lean"]
        out[f"ankle_dorsiflexion_{s}"] = pose[f"ankle_dorsiflexion_{s}"]
    return out


def assert_angles(table: pd.DataFrame, expected: dict[str, np.ndarray], *, edge: int = 0, tol: float = TOL_DEG):
    rows = slice(edge, len(table) - edge)
    for name, want in expected.items():
        got = table[name].to_numpy()[rows]
        want = np.broadcast_to(want, (len(table),))[rows]
        assert np.all(np.isfinite(got)), f"{name} has NaN"
        error = np.max(np.abs(got - want))
        assert error < tol, f"{name}: max error {error:.3f} deg"


@pytest.fixture(scope="module")
def time_3s() -> np.ndarray:
    """90 frames at 30 fps."""
    return np.arange(90) / FPS


@pytest.fixture(scope="module")
def squat_side(time_3s) -> tuple[xr.Dataset, dict]:
    """The slow squat seen from the client's right side (client faces image right), 300 px/m.
    Shared by the module: tests that alter it work on a copy."""
    pose = squat_pose(time_3s)
    return stick_figure(time_3s, view="side_right", pose=pose), pose


@pytest.fixture(scope="module")
def squat_table(squat_side) -> pd.DataFrame:
    """The angle table of ``squat_side`` with the default settings."""
    return compute_angles(squat_side[0])


@pytest.fixture(scope="module")
def gait_side() -> tuple[xr.Dataset, dict]:
    """Four strides walking towards image right across the picture at 1.2 m/s, 30 fps."""
    t = np.arange(120) / FPS
    pose = gait_pose(t)
    return stick_figure(t, view="side_right", pose=pose, forward_m=1.2 * t - 2.4), pose


# --- the table -----------------------------------------------------------------------------------------


def test_columns_are_time_frame_and_every_angle_in_order(squat_side, squat_table):
    ds, _ = squat_side
    table = squat_table
    assert table.index.name == "time_s"
    assert list(table.columns) == ["frame", *ANGLE_NAMES]
    assert len(table) == ds.sizes["time"]
    np.testing.assert_array_equal(table.index, ds["time"].values)
    np.testing.assert_array_equal(table["frame"], ds["frame"].values)
    assert table["frame"].dtype == np.int64
    assert all(table[name].dtype == np.float64 for name in ANGLE_NAMES)


def test_squat_side_view_every_sagittal_angle(squat_side, squat_table):
    assert_angles(squat_table, expected_sagittal(squat_side[1]))


def test_squat_side_view_frontal_and_outline_angles_are_nan(squat_table):
    table = squat_table
    for name in (*FRONTAL, "pelvic_tilt", "lumbar_lordosis", "hip_flexion_pelvic_left", "hip_flexion_pelvic_right"):
        assert table[name].isna().all(), name


def test_gait_every_sagittal_angle_both_legs(gait_side):
    ds, pose = gait_side
    assert_angles(compute_angles(ds), expected_sagittal(pose), edge=EDGE)


def test_geometry_is_exact_without_filtering(gait_side):
    ds, pose = gait_side
    config = KinematicsConfig(lowpass=False, reject_outliers=False)
    assert_angles(compute_angles(ds, config=config), expected_sagittal(pose), tol=1e-6)


@pytest.mark.parametrize("view", ["front", "back"])
def test_frontal_angles_in_front_and_back_view(time_3s, view):
    pose = frontal_pose(time_3s)
    table = compute_angles(stick_figure(time_3s, view=view, pose=pose))
    assert_angles(table, pose)
    assert table[list(SAGITTAL)].isna().all().all()


def test_front_and_back_view_give_the_same_signs(time_3s):
    pose = frontal_pose(time_3s)
    front = compute_angles(stick_figure(time_3s, view="front", pose=pose))
    back = compute_angles(stick_figure(time_3s, view="back", pose=pose))
    np.testing.assert_allclose(front[list(FRONTAL)], back[list(FRONTAL)], atol=1e-6)


def test_valgus_is_positive_on_both_knees(time_3s):
    """Both knees 10° valgus (ankles lateral of the knees) seen from the front."""
    ds = stick_figure(time_3s, view="front", pose={"knee_fppa_left": 10, "knee_fppa_right": 10})
    table = compute_angles(ds)
    np.testing.assert_allclose(table[["knee_fppa_left", "knee_fppa_right"]], 10, atol=TOL_DEG)


def test_right_hip_drop_is_positive_obliquity(time_3s):
    """The pelvis tilts so that the right hip is 5° lower: the left hip is higher."""
    table = compute_angles(stick_figure(time_3s, view="back", pose={"pelvic_obliquity": 5}))
    np.testing.assert_allclose(table["pelvic_obliquity"], 5, atol=TOL_DEG)


@pytest.mark.parametrize("view", ["oblique", 50.0, -130.0])
def test_oblique_view_gives_no_angle(time_3s, view):
    ds = stick_figure(time_3s, view=view, pose=squat_pose(time_3s))
    assert compute_angles(ds)[list(ANGLE_NAMES)].isna().all().all()


# --- invariance ----------------------------------------------------------------------------------------


def test_mirrored_walk_right_to_left_gives_the_same_angles(gait_side):
    """The same walk towards image left (the picture mirrored): same signs and values."""
    ds, pose = gait_side
    t = ds["time"].values
    mirrored = stick_figure(t, view="side_left", pose=pose, forward_m=1.2 * t - 2.4)
    right, left = compute_angles(ds), compute_angles(mirrored)
    np.testing.assert_allclose(left[list(SAGITTAL)], right[list(SAGITTAL)], atol=1e-6)


def test_mirroring_the_pixels_gives_the_same_angles(squat_side):
    """x → width − x on the very same Dataset: the client now faces image left."""
    ds, pose = squat_side
    mirrored = ds.copy(deep=True)
    mirrored["position_px"].loc[{"space_2d": "x"}] = ds.attrs["width_px"] - ds["position_px"].sel(space_2d="x")
    mirrored["position_world_m"].loc[{"space_3d": "x"}] = -ds["position_world_m"].sel(space_3d="x")
    mirrored["position_world_m"].loc[{"space_3d": "z"}] = -ds["position_world_m"].sel(space_3d="z")
    assert_angles(compute_angles(mirrored), expected_sagittal(pose))


@pytest.mark.parametrize("px_per_m, width, height", [(120.0, 640, 480), (900.0, 3840, 2160)])
def test_scaled_picture_and_person_give_the_same_angles(time_3s, px_per_m, width, height):
    pose = squat_pose(time_3s)
    reference = compute_angles(stick_figure(time_3s, view="side_right", pose=pose))
    scaled = compute_angles(
        stick_figure(time_3s, view="side_right", pose=pose, px_per_m=px_per_m, width_px=width, height_px=height)
    )
    np.testing.assert_allclose(scaled[list(ANGLE_NAMES)], reference[list(ANGLE_NAMES)], atol=1e-6)


@pytest.mark.parametrize("start, stop", [(30, 50), (0, 20), (100, 120), (52, 56)])
def test_left_right_swapped_labels_are_restored(gait_side, start, stop):
    """The pose model exchanges the legs' labels for a stretch of frames."""
    ds, pose = gait_side
    where = np.zeros(ds.sizes["time"], dtype=bool)
    where[start:stop] = True
    swapped = swap_legs(ds, where)
    uncorrected = compute_angles(swapped, config=KinematicsConfig(fix_leg_swaps=False))
    assert np.nanmax(np.abs(uncorrected["knee_flexion_left"] - pose["knee_flexion_left"])) > 10
    assert_angles(compute_angles(swapped), expected_sagittal(pose), edge=EDGE)


def test_explicit_views_override_detection(squat_side):
    ds, pose = squat_side
    stretches = pd.DataFrame({"start_s": [0.0], "end_s": [1.0], "view": ["side_right"]})
    table = compute_angles(ds, views=stretches)
    inside = table.index <= 1.0
    assert table.loc[inside, "knee_flexion_left"].notna().all()
    assert table.loc[~inside, list(ANGLE_NAMES)].isna().all().all()
    assert compute_angles(ds, views="front")[list(SAGITTAL)].isna().all().all()


# --- missing data --------------------------------------------------------------------------------------


def _undetect(ds: xr.Dataset, frames: slice) -> xr.Dataset:
    out = ds.copy(deep=True)
    for name in ("position_px", "position_norm", "position_world_m"):
        out[name][frames] = np.nan
    out["visibility"][frames] = 0.0
    out["presence"][frames] = 0.0
    out["detected"][frames] = False
    return out


def test_short_gap_is_filled_and_long_gap_stays_nan(squat_side):
    """The client is lost for 2 frames (0.1 s between valid frames: filled) and later for 10 frames."""
    ds, pose = squat_side
    holed = _undetect(_undetect(ds, slice(20, 22)), slice(50, 60))
    table = compute_angles(holed)
    assert table.iloc[20:22]["knee_flexion_left"].notna().all()
    np.testing.assert_allclose(table.iloc[20:22]["knee_flexion_left"], pose["knee_flexion_left"][20:22], atol=0.5)
    assert table.iloc[50:60][list(ANGLE_NAMES)].isna().all().all()
    assert table.iloc[40:47]["knee_flexion_left"].notna().all()


def test_keypoint_below_confidence_gate_gives_nan_for_its_angles_only(squat_side):
    """The left ankle's visibility is 0.2 for 10 frames (below the 0.3 gate): too long to fill."""
    ds, _ = squat_side
    low = ds.copy(deep=True)
    low["visibility"].loc[{"keypoint": "left_ankle"}] = np.where(np.arange(90) // 10 == 4, 0.2, 1.0)
    table = compute_angles(low)
    assert table.iloc[40:50][["knee_flexion_left", "ankle_dorsiflexion_left"]].isna().all().all()
    assert table.iloc[40:50][["knee_flexion_right", "thigh_angle_left", "trunk_lean"]].notna().all().all()


def test_far_side_hip_and_shoulder_hidden_in_profile_still_give_trunk_angles(squat_side):
    """The far (left) hip and shoulder score 0.1 throughout, as when occluded in profile: hip_mid and
    shoulder_mid fall back to the near side, which projects onto the same point."""
    ds, pose = squat_side
    hidden = ds.copy(deep=True)
    hidden["visibility"].loc[{"keypoint": ["left_hip", "left_shoulder"]}] = 0.1
    table = compute_angles(hidden)
    assert_angles(
        table, {"trunk_lean": pose["trunk_lean"], "hip_flexion_right": pose["thigh_angle_right"] + pose["trunk_lean"]}
    )
    assert table["hip_flexion_left"].isna().all()  # needs the left hip itself
    strict = compute_angles(hidden, config=KinematicsConfig(side_view_midpoint_fallback=False))
    assert strict["trunk_lean"].isna().all()


def test_spike_on_a_keypoint_is_rejected(squat_side):
    """The left knee jumps 80 px forward in frame 45 only (a pose-model glitch)."""
    ds, pose = squat_side
    glitch = ds.copy(deep=True)
    glitch["position_px"].loc[{"keypoint": "left_knee", "space_2d": "x"}][45] += 80.0
    table = compute_angles(glitch)
    raw = compute_angles(glitch, config=KinematicsConfig(reject_outliers=False, lowpass=False))
    assert abs(raw["knee_flexion_left"].iloc[45] - pose["knee_flexion_left"][45]) > 10
    assert abs(table["knee_flexion_left"].iloc[45] - pose["knee_flexion_left"][45]) < 0.5


def test_csv_header_is_exactly_the_column_names(tmp_path, squat_side, squat_table):
    ds, _ = squat_side
    path = tmp_path / "angles.csv"
    squat_table.to_csv(path)
    assert path.read_text().splitlines()[0] == ",".join(["time_s", "frame", *ANGLE_NAMES])
    assert pd.read_csv(path).shape == (ds.sizes["time"], 2 + len(ANGLE_NAMES))


def test_client_never_detected_gives_nan_table_and_warns(squat_side):
    ds, _ = squat_side
    with pytest.warns(UserWarning, match="not detected in any frame"):
        table = compute_angles(_undetect(ds, slice(None)))
    assert table[list(ANGLE_NAMES)].isna().all().all()


def test_low_frame_rate_warns_and_skips_lowpass():
    """A still stick figure filmed at 10 fps: 6 Hz is above the 5 Hz Nyquist frequency."""
    t = np.arange(30) / 10.0
    with pytest.warns(UserWarning, match="too low to low-pass"):
        table = compute_angles(stick_figure(t, view="side_right", pose={"knee_flexion_left": 20}))
    np.testing.assert_allclose(table["knee_flexion_left"], 20, atol=1e-6)


def test_variable_frame_rate_is_handled():
    """The squat sampled at jittered times (±30 % of the frame interval), as from a phone."""
    rng = np.random.default_rng(0)
    t = np.arange(90) / FPS + rng.uniform(-0.3, 0.3, 90) / FPS
    pose = squat_pose(t)
    assert_angles(compute_angles(stick_figure(t, view="side_right", pose=pose)), expected_sagittal(pose))


# --- outline hook --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "u, v, expected",
    [
        ((1, 0), (0, 1), 90.0),
        ((1, 0), (0, -1), -90.0),
        ((1, 0), (-1, 0), 180.0),
        ((1, 0), (-1, -0.0), 180.0),  # atan2(-0, -1) = -180 is reported as +180
        ((0, -1), (1, -1), 45.0),
        ((2, 0), (3, 3), 45.0),
    ],
)
def test_signed_angle(u, v, expected):
    assert signed_angle_deg(np.array(u, float), np.array(v, float)) == pytest.approx(expected)


def test_signed_angle_range_and_zero_vectors():
    theta = np.radians(np.linspace(-359, 359, 1001))
    v = np.column_stack([np.cos(theta), np.sin(theta)])
    angle = signed_angle_deg(np.array([1.0, 0.0]), v)
    assert np.all((angle > -180) & (angle <= 180))
    assert np.isnan(signed_angle_deg([0.0, 0.0], [1.0, 0.0]))
    assert np.isnan(unsigned_angle_deg([1.0, 0.0], [np.nan, 0.0]))


def test_unsigned_angle():
    assert unsigned_angle_deg([1.0, 0.0], [0.0, -1.0]) == pytest.approx(90.0)
    assert unsigned_angle_deg([1.0, 0.0], [-1.0, 1e-12]) == pytest.approx(180.0)


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, error, match",
    [
        ({"a": 1}, InputError, "expected a landmark xarray.Dataset"),
        (xr.Dataset(), LandmarkFileError, "schema_version"),
    ],
)
def test_compute_angles_rejects_non_landmark_input(bad, error, match):
    with pytest.raises(error, match=match):
        compute_angles(bad)


@pytest.mark.parametrize(
    "views, match",
    [
        ("sideways", "unknown view"),
        (pd.DataFrame({"start_s": [0.0], "end_s": [1.0]}), "missing \\['view'\\]"),
        (pd.DataFrame({"start_s": [0.0], "end_s": [1.0], "view": ["left"]}), "unknown view"),
        (42, "views must be a view name"),
    ],
)
def test_compute_angles_rejects_bad_views(squat_side, views, match):
    ds, _ = squat_side
    with pytest.raises(ConfigError, match=match):
        compute_angles(ds, views=views)


def test_compute_angles_rejects_a_non_config(squat_side):
    ds, _ = squat_side
    with pytest.raises(ConfigError, match="config must be a KinematicsConfig, got dict"):
        compute_angles(ds, config={"cutoff_hz": 6})


@pytest.mark.parametrize(
    "change, match",
    [
        ({"min_confidence": 1.5}, "min_confidence must be a number in \\[0.0, 1.0\\], got 1.5"),
        ({"max_gap_s": -0.1}, "max_gap_s must be a number in"),
        ({"cutoff_hz": 0}, "cutoff_hz must be a positive number, got 0"),
        ({"filter_order": 3}, "filter_order .* even integer >= 2, got 3"),
        ({"confidence": "likelihood"}, "confidence must be one of"),
        ({"front_tolerance_deg": 60, "side_tolerance_deg": 40}, "must not exceed 90"),
        ({"side_tolerance_deg": 0}, "must lie in \\(0, 90\\)"),
        ({"swap_cost_ratio": 2.0}, "swap_cost_ratio must be a number in"),
    ],
)
def test_config_rejects_bad_values(change, match):
    with pytest.raises(ConfigError, match=match):
        KinematicsConfig(**change)


def test_config_is_frozen_and_serialisable():
    config = KinematicsConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.cutoff_hz = 5.0  # type: ignore[misc]
    assert '"cutoff_hz": 6.0' in config.to_json()
    assert dataclasses.replace(config, cutoff_hz=5.0).cutoff_hz == 5.0


def test_kinematics_modules_import_no_video_or_plotting_library():
    """Static check of every module of movelab.kinematics (the package ``movelab/__init__.py`` itself
    is outside kinematics and may import the extraction stack)."""
    import ast
    from pathlib import Path

    import movelab.kinematics

    for path in Path(movelab.kinematics.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        for name in names:
            root = name.split(".")[0]
            assert root not in {"cv2", "mediapipe", "matplotlib"}, f"{path.name} imports {name}"
            assert not name.startswith(("movelab.pose", "movelab.io", "movelab.extract")), f"{path.name} imports {name}"


def test_landmark_round_trip_keeps_the_angles(tmp_path, squat_side):
    ds, pose = squat_side
    loaded = landmarks.load(landmarks.save(ds, tmp_path / "squat.nc"))
    assert_angles(compute_angles(loaded), expected_sagittal(pose))
