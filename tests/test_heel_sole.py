"""Heel rise from the sole's edge in the person mask's outline (``movelab.kinematics.sole``).

A side-view figure's outline: a shin standing on a shoe 80 px long and 20 px high, its sole on the floor at
y = 400 while standing (10 frames), then rolled on the ball of the foot (60 px forward of the heel) by a set
pitch. The heel landmark sits 10 px inside the shoe's back, the toe landmark at the ball: the landmark distance
``L`` is 50 px, shorter than the shoe, as the pose model's is.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from movelab import landmarks as lm
from movelab.findings import heel_rise_deg
from movelab.kinematics.sole import sole_pitch_deg

FLOOR_Y, HEEL_X, BALL_X, TOE_TIP_X, SHOE_H = 400.0, 250.0, 300.0, 320.0, 20.0
STANDING = np.arange(20) < 10
N_POINTS = 400


def _outline(pitch_deg: float) -> np.ndarray:
    """One frame's contour: the shoe (rear part pitched about the ball) and a shin rising from it."""
    p = math.radians(pitch_deg)
    back = HEEL_X - 10.0
    # the sole from the shoe's back to the toe tip, the rear part (behind the ball) pitched up
    sole_x = np.linspace(back, TOE_TIP_X, N_POINTS // 2)
    behind = sole_x < BALL_X
    sole = np.column_stack([sole_x, np.full(sole_x.size, FLOOR_Y)])
    d = BALL_X - sole_x[behind]
    sole[behind] = np.column_stack([BALL_X - d * math.cos(p), FLOOR_Y - d * math.sin(p)])
    # the top: shoe top, then the shin up to y = 250 and back down behind it
    top_x = np.linspace(TOE_TIP_X, back, N_POINTS // 4)
    top = np.column_stack([top_x, np.full(top_x.size, FLOOR_Y - SHOE_H)])
    top[top_x < BALL_X, 1] -= (BALL_X - top_x[top_x < BALL_X]) * math.sin(p)
    shin = np.column_stack(
        [
            np.full(N_POINTS - sole.shape[0] - top.shape[0], back + 20.0),
            np.linspace(380, 250, N_POINTS - sole.shape[0] - top.shape[0]),
        ]
    )
    return np.vstack([sole, top, shin])


def _clip(pitch_deg: float, *, shift_px: float = 0.0):
    """Outlines ``(time, point, 2)`` and landmark positions: 10 standing frames, then ``pitch_deg``, the whole
    picture moved up by ``shift_px`` from frame 10 on (a camera that sways)."""
    n = STANDING.size
    outline = np.stack([_outline(0.0 if s else pitch_deg) for s in STANDING]).astype(np.float32)
    outline[~STANDING, :, 1] -= shift_px
    px = np.full((n, len(lm.KEYPOINTS), 2), np.nan)
    for side in ("left", "right"):
        px[:, lm.KEYPOINTS.index(f"{side}_heel")] = [HEEL_X, FLOOR_Y - 5]
        px[:, lm.KEYPOINTS.index(f"{side}_foot_index")] = [BALL_X, FLOOR_Y - 5]
        px[:, lm.KEYPOINTS.index(f"{side}_ankle")] = [HEEL_X + 10, FLOOR_Y - 25]
    ds = lm.from_arrays(time_s=np.arange(n) / 30.0, position_px=px, width_px=640, height_px=480)
    return outline, ds["position_px"]


def _pitch(outline, position, **kwargs):
    heel = np.stack([position.sel(keypoint=f"{s}_heel").values for s in ("left", "right")], axis=1)
    toe = np.stack([position.sel(keypoint=f"{s}_foot_index").values for s in ("left", "right")], axis=1)
    return sole_pitch_deg(outline, heel, toe, STANDING, **kwargs)


@pytest.mark.parametrize("pitch_deg", [0.0, 5.0, 15.0, 25.0])
def test_the_sole_reads_the_pitch_of_a_foot_rolling_on_its_ball(pitch_deg):
    pitch = _pitch(*_clip(pitch_deg))
    assert pitch[STANDING] == pytest.approx(0.0, abs=1e-6)
    assert pitch[~STANDING] == pytest.approx(pitch_deg, abs=1.0)


def test_a_picture_moving_up_moves_the_whole_sole_and_reads_no_pitch():
    """The landmarks' heights read a sway of the picture as a rise; the sole's slope does not change."""
    pitch = _pitch(*_clip(0.0, shift_px=8.0))
    assert np.abs(pitch) == pytest.approx(0.0, abs=1e-6)


def test_a_sole_on_the_pictures_last_row_is_cut_off():
    outline, position = _clip(15.0)
    assert np.isnan(_pitch(outline, position, picture_height_px=FLOOR_Y + 1)).all()
    assert np.isfinite(_pitch(outline, position, picture_height_px=FLOOR_Y + 20)).all()


def test_heel_rise_reads_the_sole_when_given_the_outline_and_the_landmarks_without():
    """The landmarks here stay put (a heel landmark that does not follow the heel): without the outline the
    rise reads 0; with it, the sole's 15°."""
    outline, position = _clip(15.0)
    assert heel_rise_deg(position, STANDING)[~STANDING] == pytest.approx(0.0, abs=1e-9)
    rise = heel_rise_deg(position, STANDING, outline_px=outline, picture_height_px=480.0)
    assert rise[~STANDING] == pytest.approx(15.0, abs=1.0)


def test_an_outline_never_seen_while_standing_falls_back_to_the_landmarks():
    outline, position = _clip(15.0)
    outline[STANDING] = np.nan
    rise = heel_rise_deg(position, STANDING, outline_px=outline, picture_height_px=480.0)
    assert rise[~STANDING] == pytest.approx(0.0, abs=1e-9)


def test_an_outline_of_another_length_is_refused():
    outline, position = _clip(0.0)
    with pytest.raises(ValueError, match="one row per frame"):
        heel_rise_deg(position, STANDING, outline_px=outline[:5])


def test_the_outline_is_read_in_chunks_of_frames_with_the_same_result():
    from movelab.kinematics.sole import _lowest

    outline, _ = _clip(15.0)
    columns = np.array([255.0, 270.0, 290.0])
    whole = _lowest(outline, columns, top=300.0)
    assert np.isfinite(whole).all()
    np.testing.assert_array_equal(_lowest(outline, columns, top=300.0, chunk=3), whole)


def squat_with_sole(lift_deg: float):
    """The stick figure of ``test_heel_rise_shake`` squatting with flat feet (its landmarks' heels stay down),
    with an outline whose sole tips ``lift_deg`` about the toe landmark at the bottom (its body above closing
    the contour)."""
    from test_heel_rise_shake import REPS, flat_footed_squat

    ds = flat_footed_squat()
    px = ds["position_px"].values
    heel, toe = px[0, lm.KEYPOINTS.index("left_heel")], px[0, lm.KEYPOINTS.index("left_foot_index")]
    t = ds["time"].values
    (rep,) = REPS
    depth = np.where((t > rep["start_s"]) & (t < rep["end_s"]), np.sin(np.pi * (t - 1.2) / 1.6), 0.0)
    outline = np.empty((t.size, 300, 2))
    for i, d in enumerate(depth):
        x = np.linspace(heel[0] - 8, toe[0] + 12, 150)  # the sole, pitched about the toe landmark
        pitch = math.radians(lift_deg * d)
        sole = np.column_stack([x, np.full(x.size, toe[1])])
        back = x < toe[0]
        sole[back] = np.column_stack(
            [toe[0] - (toe[0] - x[back]) * math.cos(pitch), toe[1] - (toe[0] - x[back]) * math.sin(pitch)]
        )
        top = np.column_stack([x[::-1], np.full(x.size, 200.0)])
        outline[i] = np.vstack([sole, top])
    ds["outline_px"] = (("time", "outline_point", "space_2d"), outline.astype(np.float32))
    return ds


def test_the_heel_lift_finding_reads_the_sole_of_the_outline_extraction_kept():
    """End to end on a stick figure squatting with flat feet (the landmarks' heels stay down) whose outline's
    sole tips 15° at the bottom: ``heel_lift`` is raised at about 15°; the same outline kept flat raises nothing."""
    from test_findings_helpers import make_segmentation
    from test_heel_rise_shake import REPS

    from movelab.findings import detect_findings
    from movelab.kinematics import compute_motion

    def with_sole(lift_deg: float):
        motion = compute_motion(squat_with_sole(lift_deg), views="side_right")
        return [f for f in detect_findings(motion, make_segmentation("squat", reps=REPS)) if f.code == "heel_lift"]

    (heel,) = with_sole(15.0)
    assert heel.severity != "info" and heel.value == pytest.approx(15.0, abs=1.5)
    assert with_sole(0.0) == []


@pytest.mark.parametrize("outline", [True, False])
def test_the_reps_table_reads_the_heel_rise_the_finding_reads(outline):
    """The segmentation's rep on the same figure: its ``heel_lift_deg`` is the heel-lift finding's reading of
    that rep (the sole's 15°; without the outline the landmarks', which stay down and read about 0), not the
    landmark method's while the finding reads the sole."""
    from movelab.events import segment
    from movelab.findings import detect_findings
    from movelab.findings.detect import context_of
    from movelab.kinematics import compute_motion

    ds = squat_with_sole(15.0)
    if not outline:
        ds = ds.drop_vars("outline_px")
    motion = compute_motion(ds, views="side_right")
    seg = segment(motion, movement="squat")
    (rep,) = seg.reps.to_dict("records")
    ctx = context_of(motion, seg)
    finding_rise = heel_rise_deg(
        ctx.positions, ctx.standing_mask(), outline_px=ctx.outline_px, picture_height_px=ctx.picture_height_px
    )
    assert rep["heel_lift_deg"] == pytest.approx(ctx.at(finding_rise, rep["bottom_s"]), abs=1e-6)
    heel = [f for f in detect_findings(motion, seg) if f.code == "heel_lift"]
    if outline:
        assert rep["heel_lift_deg"] == pytest.approx(15.0, abs=1.5)
        assert heel[0].value == pytest.approx(rep["heel_lift_deg"], abs=1e-6)
    else:
        assert abs(rep["heel_lift_deg"]) < 2.0 and heel == []


@pytest.mark.parametrize("shape", [(0, 6), (1, 3), (2, 6), (7, 2, 2), (31, 6)])
def test_the_sorted_median_is_numpys_nanmedian(shape):
    from movelab.kinematics.sole import _nanmedian0

    values = np.random.default_rng(0).normal(size=shape) * 100
    values[np.random.default_rng(1).random(shape) < 0.3] = np.nan
    values[:, 0] = np.nan  # a column never read
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(values, axis=0)
    np.testing.assert_array_equal(_nanmedian0(values), expected)


def _awkward_outlines(seed: int) -> np.ndarray:
    """Random closed contours (float32, as extraction keeps them) with what the screened crossing search must not
    get wrong: points on the columns and on ``top`` to float32 precision, vertical segments, NaN points and NaN
    frames, segments wholly left or right of the columns and ones spanning all of them."""
    rng = np.random.default_rng(seed)
    n, m = 60, 48
    x = rng.choice([260.0, 270.0, 280.0, 290.0, 300.0, 230.0, 340.0], size=(n, m)) + rng.choice(
        [0.0, 0.0, 1e-6, -1e-6, 3.7], size=(n, m)
    )
    y = rng.choice([299.99999999, 300.0, 300.00000001, 320.0, 250.0], size=(n, m)) + rng.normal(0, 5, (n, m)) * (
        rng.random((n, m)) < 0.5
    )
    outline = np.stack([x, y], axis=-1).astype(np.float32)
    outline[rng.random((n, m)) < 0.05] = np.nan
    outline[5] = np.nan
    outline[7, :, 0] = 270.0  # all on one column
    return outline


def _lowest_direct(outline: np.ndarray, columns: np.ndarray, *, top: float) -> np.ndarray:
    """:func:`movelab.kinematics.sole._lowest` the straightforward way, every segment of every frame in float64
    (the search it replaced; the reference the screened search must equal)."""
    out = np.full((outline.shape[0], columns.size), np.nan)
    part = np.asarray(outline, dtype=np.float64)
    x, y = part[..., 0], part[..., 1]
    x1, y1 = np.roll(x, -1, axis=1), np.roll(y, -1, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, column in enumerate(columns):
            at = y + (y1 - y) * (column - x) / (x1 - x)
            hit = (np.minimum(x, x1) <= column) & (np.maximum(x, x1) >= column) & (x != x1) & (at > top)
            best = np.where(hit, at, -np.inf).max(axis=1, initial=-np.inf)
            out[:, k] = np.where(np.isfinite(best), best, np.nan)
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("top", [300.0, 300.0 - 1e-9, 300.0 + 1e-9, 299.99998, 310.5])
def test_the_screened_crossing_search_is_the_straightforward_one(seed, top):
    """The crossings are screened in float32 on the kept outline before being computed exactly (the warm
    analysis reads 36 000 outlines twice): byte for byte what every segment in float64 gives."""
    from movelab.kinematics.sole import _lowest

    outline = _awkward_outlines(seed)
    columns = np.array([260.0, 270.0 + 1e-9, 280.0, 290.0, 300.0 - 1e-9])
    expected = _lowest_direct(outline, columns, top=top)
    assert np.isfinite(expected).any() and np.isnan(expected).any()
    for chunk in (7, 4096):
        np.testing.assert_array_equal(_lowest(outline, columns, top=top, chunk=chunk), expected)


@pytest.mark.parametrize("lift_deg", [0.0, 15.0])
@pytest.mark.parametrize("with_outline", [True, False])
def test_heel_rise_from_held_tracks_is_heel_rise_from_the_positions(lift_deg, with_outline):
    """The reps table hands the feet's tracks it holds (:func:`heel_rise_of_points`) rather than positions
    selected again: the same values as :func:`heel_rise_deg`, from the sole and from the landmarks."""
    from movelab.kinematics.geometry import point
    from movelab.kinematics.sole import heel_rise_of_points

    ds = squat_with_sole(lift_deg)
    position = ds["position_px"]
    standing = ds["time"].values < 1.0
    kwargs = {"outline_px": ds["outline_px"].values} if with_outline else {}
    expected = heel_rise_deg(position, standing, **kwargs)
    assert np.isfinite(expected).any()
    tracks = {name: point(position, name) for name in lm.KEYPOINTS}
    np.testing.assert_array_equal(heel_rise_of_points(tracks.__getitem__, standing, **kwargs), expected)


def _front_lost(outline: np.ndarray, *, cut_x: float, rise_px: float) -> np.ndarray:
    """The outline with the shoe forward of ``cut_x`` raised by ``rise_px`` in the frames after standing: the
    person mask dropped the shoe's front, and the columns there cross the shin's front edge instead."""
    out = outline.copy()
    front = (out[..., 0] > cut_x) & ~STANDING[:, None]
    out[..., 1] = np.where(front, out[..., 1] - rise_px, out[..., 1])
    return out


def test_a_sole_lost_near_the_toes_is_not_read_as_a_pitch():
    """On design renders from 1.2-1.3 m the mask dropped the white shoe's front at depth: the front columns
    rose 30-40 px and the flat foot read -63 deg. Such a frame is NaN, not a toe lift."""
    outline, position = _clip(0.0)
    lost = _front_lost(outline, cut_x=HEEL_X + 0.5 * (BALL_X - HEEL_X), rise_px=35.0)
    assert np.nanmin(_pitch(outline, position)[~STANDING]) > -1.0  # the outline as drawn reads flat
    pitch = _pitch(lost, position)
    assert np.isfinite(pitch[STANDING]).all()
    assert np.isnan(pitch[~STANDING]).all()


def test_a_front_within_the_tolerance_is_still_read():
    """A front that rose 0.15 L above the back (the most the design squats showed with the shoe kept) is read."""
    outline, position = _clip(0.0)
    lifted = _front_lost(outline, cut_x=HEEL_X + 0.5 * (BALL_X - HEEL_X), rise_px=0.15 * (BALL_X - HEEL_X))
    pitch = _pitch(lifted, position)
    assert np.isfinite(pitch[~STANDING]).all()
    assert (pitch[~STANDING] < 0).all()


@pytest.mark.parametrize("pitch_deg", [5.0, 25.0])
def test_a_heel_raise_with_the_shoe_kept_is_never_taken_for_a_lost_sole(pitch_deg):
    pitch = _pitch(*_clip(pitch_deg))
    assert np.isfinite(pitch).all()


def test_a_sole_lost_at_the_bottom_of_every_rep_is_named_in_the_note():
    """The stick figure's flat-footed squat with the front of the sole lost (raised half a foot length) around
    the bottom: no heel-lift value, and the note names the sole's outline, not the landmarks."""
    from test_findings_helpers import make_segmentation
    from test_heel_rise_shake import REPS

    from movelab.findings import detect_findings
    from movelab.kinematics import compute_motion

    ds = squat_with_sole(0.0)
    px = ds["position_px"].values
    heel, toe = px[0, lm.KEYPOINTS.index("left_heel")], px[0, lm.KEYPOINTS.index("left_foot_index")]
    (rep,) = REPS
    t = ds["time"].values
    near_bottom = np.abs(t - rep["bottom_s"]) < 0.3
    outline = ds["outline_px"].values.copy()
    front = (outline[..., 0] > 0.5 * (heel[0] + toe[0])) & (outline[..., 1] > 250.0) & near_bottom[:, None]
    outline[..., 1] = np.where(front, outline[..., 1] - 0.5 * (toe[0] - heel[0]), outline[..., 1])
    ds["outline_px"] = (ds["outline_px"].dims, outline)
    motion = compute_motion(ds, views="side_right")
    (note,) = [f for f in detect_findings(motion, make_segmentation("squat", reps=REPS)) if f.code == "heel_lift"]
    assert note.severity == "info" and note.value is None
    assert "outline was not readable" in note.message and "landmarks it needs" not in note.message
