"""Issue 18, fast tier: the standing reference, front/back left-right swaps, and body parts out of the picture,
on stick-figure landmarks (movelab.kinematics.stickfigure: exact frontal angles in front and back views)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from test_findings_helpers import make_segmentation

from movelab.findings import FindingsConfig, detect_findings
from movelab.kinematics import compute_angles, compute_motion
from movelab.kinematics.joint_angles import obliquity_deg
from movelab.kinematics.stickfigure import stick_figure
from movelab.kinematics.swaps import detect_frontal_swaps
from movelab.landmarks import KEYPOINTS

FPS = 30.0
DURATION_S = 4.0
# two squats back to back; the client stands 0.6 s before and 0.4 s after (frames 0-17 and 109-119): the
# first 0.5 s are most of the frames outside the reps
REPS = [
    {"index": 0, "start_s": 0.6, "bottom_s": 1.35, "end_s": 2.1},
    {"index": 1, "start_s": 2.1, "bottom_s": 2.85, "end_s": 3.6},
]
SETTLING_S = 0.5


def time_s() -> np.ndarray:
    return np.arange(int(round(DURATION_S * FPS))) / FPS


def front_squat_landmarks(view: str = "front"):
    """A stick figure seen from the front (or back) with a level pelvis throughout; the knees cave in to 6°
    at each rep's bottom (below every threshold). The reps are given to the findings, not segmented."""
    t = time_s()
    depth = np.zeros_like(t)
    for rep in REPS:
        inside = (t >= rep["start_s"]) & (t <= rep["end_s"])
        depth[inside] = np.sin(np.pi * (t[inside] - rep["start_s"]) / (rep["end_s"] - rep["start_s"]))
    return stick_figure(t, view=view, pose={"knee_fppa_left": 6 * depth, "knee_fppa_right": 6 * depth})


def settling(ds, *, until_s: float = SETTLING_S, drop_px: float = 20.0):
    """The pose model settling: for the first ``until_s`` the left hip sits ``drop_px`` low (an obliquity of
    about -18° on this figure, whose hips are 60 px apart) and every keypoint jitters by up to 3 px."""
    out = ds.copy(deep=True)
    early = out["time"].values < until_s
    rng = np.random.default_rng(18)
    px = out["position_px"].values
    px[early] += rng.uniform(-3, 3, size=px[early].shape)
    px[early, KEYPOINTS.index("left_hip"), 1] += drop_px
    out["position_px"].values[:] = px
    return out


def swap_hips(ds, frames):
    """The hips' left/right labels exchanged in ``frames`` (the other keypoints kept)."""
    out = ds.copy(deep=True)
    left, right = KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")
    for name in ("position_px", "position_norm", "position_world_m"):
        values = out[name].values
        values[frames, left], values[frames, right] = values[frames, right].copy(), values[frames, left].copy()
    return out


def findings_of(ds, *, config=FindingsConfig(), view="front"):
    motion = compute_motion(ds, views=view)
    return motion.angles, detect_findings(motion, make_segmentation("squat", reps=REPS), config=config)


def raised(findings) -> set:
    return {(f.code, f.side) for f in findings if f.severity != "info"}


# ----------------------------------------------------------------------------- obliquity range


@pytest.mark.parametrize(
    "vector, expected",
    [
        ((1, 0), 0.0),
        ((1, 1), 45.0),
        ((1, -1), -45.0),
        ((0, 1), 90.0),
        ((0, -1), 90.0),
        ((-1, 0.1), np.nan),
        ((-1, -1), np.nan),
    ],
)
def test_obliquity_is_a_line_angle_in_minus_90_to_90_and_a_reversed_pair_is_nan(vector, expected):
    np.testing.assert_allclose(obliquity_deg(np.array([vector], float)), [expected], atol=1e-9)


# ----------------------------------------------------------------------------- the standing reference


def test_settling_pose_is_not_the_standing_reference():
    ds = settling(front_squat_landmarks())
    angles, found = findings_of(ds)
    assert raised(found) == set()
    obliquity = angles["pelvic_obliquity"].to_numpy()
    assert np.nanmax(np.abs(obliquity)) <= 90
    assert np.nanmin(obliquity[:10]) < -8  # the settling frames really read a tilted pelvis


def test_settling_pose_taken_as_standing_would_have_flagged_a_drop():
    """The control: the same landmarks with no settling time and no stillness rule raise pelvic_drop, so the
    test above fails if the rule is lost."""
    config = FindingsConfig(standing_settle_s=0.0, standing_max_speed=1e9)
    _, found = findings_of(settling(front_squat_landmarks()), config=config)
    assert ("pelvic_drop", "right") in raised(found)  # against a left-low "standing", level reads right-low


def test_a_real_drop_is_measured_against_the_settled_standing_and_says_how_it_was_taken():
    ds = settling(front_squat_landmarks())
    t = ds["time"].values
    at_bottom = np.zeros(t.size, bool)
    for rep in REPS:
        at_bottom |= np.abs(t - rep["bottom_s"]) <= 0.2
    ds["position_px"].values[at_bottom, KEYPOINTS.index("right_hip"), 1] += 12.0  # the right side drops 11.3°
    angles, found = findings_of(ds)
    (drop,) = [f for f in found if f.code == "pelvic_drop" and f.severity != "info"]
    assert drop.side == "right"
    assert drop.value == pytest.approx(np.degrees(np.arctan2(12.0, 60.0)), abs=0.3)
    baseline = drop.to_dict()["baseline"]
    assert baseline["frames"] >= 9 and baseline["spans_s"][0][0] >= SETTLING_S
    assert all(a >= SETTLING_S and not (0.6 <= a <= 3.6) for a, _ in baseline["spans_s"])
    assert f"{baseline['frames']} frames" in drop.reference
    json.dumps(drop.to_dict())  # report.json can hold it


def test_standing_shorter_than_the_minimum_gives_a_note_not_a_number():
    config = FindingsConfig(min_baseline_s=1.0)
    _, found = findings_of(front_squat_landmarks(), config=config)
    (note,) = [f for f in found if f.code == "pelvic_drop"]
    assert note.severity == "info" and note.value is None and "standing still" in note.message


# ----------------------------------------------------------------------------- front/back swaps


@pytest.mark.parametrize("view", ["front", "back"])
def test_hips_swapped_in_a_few_frames_give_no_finding_and_no_obliquity_beyond_90(view):
    frames = [5, 40, 41, 42, 80, 112, 113, 117]
    ds = swap_hips(front_squat_landmarks(view), frames)
    found_swaps = detect_frontal_swaps(ds, views=view)
    np.testing.assert_array_equal(np.flatnonzero(found_swaps.sel(part="hip").values), frames)
    assert not found_swaps.sel(part="knee").values.any()
    angles, found = findings_of(ds, view=view)
    obliquity = angles["pelvic_obliquity"].to_numpy()
    assert np.nanmax(np.abs(obliquity)) < 0.5  # level again: the labels were exchanged back
    assert raised(found) == set()


def test_without_the_fix_a_swapped_pair_is_nan_never_near_180():
    from movelab.kinematics import KinematicsConfig

    ds = swap_hips(front_squat_landmarks(), [40, 41, 42])
    config = KinematicsConfig(fix_leg_swaps=False, reject_outliers=False, lowpass=False)
    obliquity = compute_angles(ds, views="front", config=config)["pelvic_obliquity"].to_numpy()
    assert np.isnan(obliquity[[40, 41, 42]]).all()
    assert np.nanmax(np.abs(obliquity)) <= 90


# ----------------------------------------------------------------------------- out of the picture


def side_squat_landmarks():
    """A side-view squat (facing image right) whose trunk leans 60° at the bottom against a shin at 20°:
    excessive trunk lean when the whole body is seen."""
    t = time_s()
    depth = np.zeros_like(t)
    for rep in REPS:
        inside = (t >= rep["start_s"]) & (t <= rep["end_s"])
        depth[inside] = np.sin(np.pi * (t[inside] - rep["start_s"]) / (rep["end_s"] - rep["start_s"]))
    pose = {f"thigh_angle_{s}": 80 * depth for s in ("left", "right")}
    pose |= {f"knee_flexion_{s}": 100 * depth for s in ("left", "right")}
    pose["trunk_lean"] = 60 * depth
    return stick_figure(t, view="side_right", pose=pose)


def cut_at_the_shins(ds):
    """The picture's bottom cut off above the ankles (the pose model still places them, outside)."""
    ankle_y = float(ds["position_px"].sel(keypoint="left_ankle", space_2d="y").min())
    knee_y = float(ds["position_px"].sel(keypoint="left_knee", space_2d="y").max())
    out = ds.copy()
    out.attrs["height_px"] = int(0.5 * (ankle_y + knee_y))
    return out


def test_feet_out_of_the_picture_raise_no_finding_and_the_note_names_the_feet():
    full = side_squat_landmarks()
    motion = compute_motion(full, views="side_right")
    segmentation = make_segmentation("squat", reps=REPS)
    whole = detect_findings(motion, segmentation)
    assert ("excessive_trunk_lean", None) in raised(whole)
    cut = detect_findings(dataclasses.replace(motion, landmarks=cut_at_the_shins(full)), segmentation)
    assert raised(cut) <= raised(whole)
    assert ("excessive_trunk_lean", None) not in raised(cut)
    notes = {f.code: f.message for f in cut if f.severity == "info"}
    for code in ("excessive_trunk_lean", "heel_lift"):
        assert "feet were out of the picture" in notes[code]
        assert "side view" not in notes[code]
    assert "limited_squat_depth" not in notes  # knees and hips were in the picture: depth was assessed


def test_a_note_names_the_view_only_when_the_video_has_another():
    ds = front_squat_landmarks()
    _, found = findings_of(ds)
    notes = {f.code: f.message for f in found if f.severity == "info"}
    assert (
        "needs a side view" in notes["excessive_trunk_lean"] and "seen from the front" in notes["excessive_trunk_lean"]
    )


@pytest.mark.parametrize(
    "name, value, match",
    [("standing_settle_s", -1.0, "standing_settle_s"), ("standing_max_speed", float("nan"), "standing_max_speed")],
)
def test_bad_standing_settings_are_refused(name, value, match):
    from movelab.errors import ConfigError

    with pytest.raises(ConfigError, match=match):
        dataclasses.replace(FindingsConfig(), **{name: value})


def test_a_squats_standing_posture_finding_says_which_frames_were_standing():
    """Synthetic side squat (tests/test_findings.py): reps 0.5-2.5 s and 3.0-5.0 s of a 5.47 s table; tilt 27°
    outside them. Standing: 2.53-2.97 s and 5.03-5.47 s (0-0.5 s is the pose model settling) = 28 frames."""
    from test_findings import SQUAT, flagged, side_squat
    from test_findings_helpers import REPS as SYNTHETIC_REPS

    table = side_squat()
    standing = ~np.any([(table.index >= a) & (table.index <= c) for a, _, c in SYNTHETIC_REPS], axis=0)
    table.loc[standing, "pelvic_tilt"] = 27.0
    (f,) = flagged(detect_findings(table, SQUAT), "anterior_pelvic_tilt")
    baseline = f.to_dict()["baseline"]
    expected = int((standing & (table.index >= 0.5 - 1e-9)).sum())
    assert baseline["frames"] == expected == 28
    assert baseline["spans_s"][0][0] > 2.5 and f"{expected} frames" in f.quantity


def test_the_outline_note_in_a_side_view_names_the_outline_not_the_view():
    """Issue 18: a note names the missing condition, not a view the video already has."""
    from movelab.findings._context import _view_text

    side = _context_with_view_text(_view_text("side_right"))
    (note,) = side.outline_note("excessive_lumbar_lordosis", "The lower-back curve")
    assert "outline was not measured clearly enough in this side view" in note.message
    assert "needs a side view" not in note.message
    front = _context_with_view_text(_view_text("front"))
    (note,) = front.outline_note("excessive_lumbar_lordosis", "The lower-back curve")
    assert "it needs a side view" in note.message and "seen from the front" in note.message


def _context_with_view_text(view_text):
    """A findings context that holds only what the notes read (the view's text, the clip's times, the config)."""
    from movelab.findings._context import Context

    fields = {f.name: None for f in dataclasses.fields(Context)}
    return Context(**{**fields, "view_text": view_text, "time": np.array([0.0, 1.0]), "config": FindingsConfig()})
