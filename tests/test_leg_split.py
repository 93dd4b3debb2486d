"""Knees touching in every frame (movelab.kinematics.leg_split): the knee's width from the shank below, on drawn
outlines of touching legs with known widths and shank angles."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import xarray as xr

from movelab.kinematics import leg_split
from movelab.kinematics.frontal_legs import frontal_leg_centres
from movelab.kinematics.joint_angles import frontal_angles
from movelab.landmarks import KEYPOINTS

# true joints (px, y down) of a valgus squat seen from the front: the knees come in, the ankles stay out
HIPS = {"left": (120.0, 0.0), "right": (180.0, 0.0)}
KNEES = {"left": (138.0, 200.0), "right": (162.0, 200.0)}
ANKLES = {"left": (118.0, 380.0), "right": (182.0, 380.0)}
KNEE_WIDTH, ANKLE_WIDTH, THIGH_WIDTH = 40.0, 24.0, 50.0  # horizontal widths; the shank tapers linearly
# seen from behind the calf makes the shank widest high up: a steep taper to CALF_WIDTH at CALF_SHARE of the way
# to the ankle, then a gentle one to the ankle (BACK_ANKLE_WIDTH)
CALF_SHARE, CALF_WIDTH, BACK_ANKLE_WIDTH = 0.45, 25.6, 20.0


def _leg_quads(side: str, *, calf: bool = False) -> list[np.ndarray]:
    """The thigh and the shank of one leg as polygons (horizontal widths as set above; with ``calf``, the shank
    as seen from behind)."""
    (hx, hy), (kx, ky), (ax, ay) = HIPS[side], KNEES[side], ANKLES[side]
    thigh = [
        (hx - THIGH_WIDTH / 2, hy),
        (hx + THIGH_WIDTH / 2, hy),
        (kx + KNEE_WIDTH / 2, ky),
        (kx - KNEE_WIDTH / 2, ky),
    ]
    shank = [
        (kx - KNEE_WIDTH / 2, ky),
        (kx + KNEE_WIDTH / 2, ky),
        (ax + ANKLE_WIDTH / 2, ay),
        (ax - ANKLE_WIDTH / 2, ay),
    ]
    if calf:
        cx, cy = kx + CALF_SHARE * (ax - kx), ky + CALF_SHARE * (ay - ky)
        shank = [
            (kx - KNEE_WIDTH / 2, ky),
            (kx + KNEE_WIDTH / 2, ky),
            (cx + CALF_WIDTH / 2, cy),
            (ax + BACK_ANKLE_WIDTH / 2, ay),
            (ax - BACK_ANKLE_WIDTH / 2, ay),
            (cx - CALF_WIDTH / 2, cy),
        ]
    return [np.asarray(thigh), np.asarray(shank)]


def drawn_outline(scale: int = 4, *, calf: bool = False) -> np.ndarray:
    """The person mask of a pelvis block and two touching legs, drawn at ``scale`` times the resolution and traced
    as extraction traces it (the outer contour), in the joints' pixels; with ``calf`` the shanks as seen from
    behind (:func:`_leg_quads`)."""
    top = 60
    mask = np.zeros(((400 + top) * scale, 300 * scale), dtype=np.uint8)
    shapes = [np.asarray([(60.0, -50.0), (240.0, -50.0), (240.0, 20.0), (60.0, 20.0)])]
    shapes += _leg_quads("left", calf=calf) + _leg_quads("right", calf=calf)
    for shape in shapes:
        pts = np.round((shape + (0.0, top)) * scale).astype(np.int32)
        cv2.fillPoly(mask, [pts], 255)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=len)[:, 0, :].astype(float)
    return (contour + 0.5) / scale - (0.0, top)


def positions(n: int, *, knee_inset_px: float = 6.0) -> xr.DataArray:
    """``n`` frames of landmarks on the true joints, the knee landmarks ``knee_inset_px`` inside the true knees
    (as the pose model reads pressed knees)."""
    values = np.full((n, len(KEYPOINTS), 2), np.nan)
    points = {"left_shoulder": (130.0, -300.0), "right_shoulder": (170.0, -300.0)}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        points |= {f"{side}_hip": HIPS[side], f"{side}_ankle": ANKLES[side]}
        points[f"{side}_knee"] = (KNEES[side][0] + sign * knee_inset_px, KNEES[side][1])
    for name, xy in points.items():
        values[:, KEYPOINTS.index(name)] = xy
    return xr.DataArray(
        values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": list(KEYPOINTS), "space_2d": ["x", "y"]}
    )


def _true_fppa() -> np.ndarray:
    values = np.full((1, len(KEYPOINTS), 2), np.nan)
    points = {"left_shoulder": (130.0, -300.0), "right_shoulder": (170.0, -300.0)}
    for side in ("left", "right"):
        points |= {f"{side}_hip": HIPS[side], f"{side}_knee": KNEES[side], f"{side}_ankle": ANKLES[side]}
    for name, xy in points.items():
        values[:, KEYPOINTS.index(name)] = xy
    pos = xr.DataArray(
        values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": list(KEYPOINTS), "space_2d": ["x", "y"]}
    )
    return frontal_angles(pos, side=np.array([1.0]))[["knee_fppa_left", "knee_fppa_right"]].values[0]


def test_the_drawn_knees_touch_and_the_shanks_part_below():
    """The drawing is what the tests below need: one outline interval holds both knees, two hold the shanks
    lower down (they part about 0.29 of the way to the ankles)."""
    outline = drawn_outline()
    widths = leg_split.leg_widths_below(outline, KNEES["left"], ANKLES["left"], KNEES["right"], ANKLES["right"])
    merged = ~np.isfinite(widths)
    assert merged[:5].all() and not merged[7:].any()


def test_leg_widths_below_are_the_tapered_shank_widths_where_the_legs_part():
    """Where the shanks stand alone their widths are the drawn ones: 40 px at the knee to 24 px at the ankle."""
    outline = drawn_outline()
    widths = leg_split.leg_widths_below(outline, KNEES["left"], ANKLES["left"], KNEES["right"], ANKLES["right"])
    expected = KNEE_WIDTH + leg_split.SHARES * (ANKLE_WIDTH - KNEE_WIDTH)
    ok = np.isfinite(widths)
    np.testing.assert_allclose(widths[ok], expected[ok], atol=0.6)


def test_knee_half_width_is_extrapolated_up_the_taper():
    """The knees touch in every frame; half the knee's width (20 px) comes from the tapering shank below."""
    outline = drawn_outline()
    n = leg_split.MIN_FRAMES
    raw = positions(n).values
    kp = list(KEYPOINTS)
    half = leg_split.knee_half_width_below(
        raw,
        np.stack([outline] * n),
        frames=np.ones(n, dtype=bool),
        knee=kp.index("left_knee"),
        ankle=kp.index("left_ankle"),
        other_knee=kp.index("right_knee"),
        other_ankle=kp.index("right_ankle"),
    )
    assert half == pytest.approx(KNEE_WIDTH / 2, abs=0.5)


def test_touching_knees_in_every_frame_get_their_true_fppa():
    """With the knees touching in every frame (none shows them apart), the knees go half their extrapolated
    width inside the merged outline's outer edges and the FPPA is the drawn one (within 1°), where before
    it was not measured."""
    n = leg_split.MIN_FRAMES
    outline = drawn_outline()
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    out = frontal_leg_centres(positions(n), np.stack([outline] * n), np.ones(n, dtype=bool), **options)
    knees = out.sel(keypoint=["left_knee", "right_knee"]).values[-1]
    np.testing.assert_allclose(knees[:, 0], [KNEES["left"][0], KNEES["right"][0]], atol=0.6)
    assert not out.coords["knees_merged"].values.any()
    fppa = frontal_angles(out, side=np.ones(n))[["knee_fppa_left", "knee_fppa_right"]].values[-1]
    assert (np.abs(_true_fppa()) > 10.0).all()  # a real valgus (11.5°) the split has to recover
    np.testing.assert_allclose(fppa, _true_fppa(), atol=1.0)


def _fppa_of_touching_knees(outline: np.ndarray) -> np.ndarray:
    n = leg_split.MIN_FRAMES
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    out = frontal_leg_centres(positions(n), np.stack([outline] * n), np.ones(n, dtype=bool), **options)
    return frontal_angles(out, side=np.ones(n))[["knee_fppa_left", "knee_fppa_right"]].values[-1]


def test_the_calf_from_behind_flattens_the_lower_shank():
    """The drawing from behind: the legs part about a quarter of the way down; the widths there fall fast
    (the calf) and below ``CALF_SHARE`` slowly, so a line through all of them under-reads the knee."""
    widths = leg_split.leg_widths_below(
        drawn_outline(calf=True), KNEES["left"], ANKLES["left"], KNEES["right"], ANKLES["right"]
    )
    ok = np.isfinite(widths)
    assert ok.sum() >= 10 and leg_split.SHARES[ok][0] <= 0.3
    steep = ok & (leg_split.SHARES < CALF_SHARE)
    np.testing.assert_allclose(widths[steep], KNEE_WIDTH - 32.0 * leg_split.SHARES[steep], atol=0.6)


def test_touching_knees_seen_from_behind_get_their_true_fppa(monkeypatch):
    """From behind (a calf bulge): the knee's width comes from the taper just below the merge, and the FPPA is
    the drawn one (within 1°); a line through every height where the leg stands alone (the method before,
    ``FIT_SHARES`` covering all heights) under-reads the width and the FPPA by more than 1°."""
    outline = drawn_outline(calf=True)
    np.testing.assert_allclose(_fppa_of_touching_knees(outline), _true_fppa(), atol=1.0)
    monkeypatch.setattr(leg_split, "FIT_SHARES", len(leg_split.SHARES))
    before = _fppa_of_touching_knees(outline)
    assert (np.abs(before - _true_fppa()) > 1.0).all() and (np.abs(before) < np.abs(_true_fppa())).all()  # less valgus


def test_the_width_is_not_guessed_from_too_few_frames():
    """One frame fewer than ``MIN_FRAMES``: the knee's width is unknown (NaN) and so is the touching knees'
    FPPA."""
    n = leg_split.MIN_FRAMES - 1
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    with pytest.warns(UserWarning, match="knee FPPA not measured"):
        out = frontal_leg_centres(positions(n), np.stack([drawn_outline()] * n), np.ones(n, dtype=bool), **options)
    assert np.isnan(out.sel(keypoint=["left_knee", "right_knee"]).values).all()
    assert out.coords["knees_merged"].values.all()


@pytest.mark.parametrize(
    "widths, expected",
    [
        # a straight taper, first alone at share 0.3: extrapolated to share 0
        (np.where(leg_split.SHARES >= 0.29, 40.0 - 20.0 * leg_split.SHARES, np.nan), 40.0),
        # the legs part only below half the shank: too far to extrapolate
        (np.where(leg_split.SHARES >= 0.55, 40.0 - 20.0 * leg_split.SHARES, np.nan), np.nan),
        # too few heights alone
        (np.where((leg_split.SHARES >= 0.29) & (leg_split.SHARES < 0.44), 40.0, np.nan), np.nan),
        # widening fast towards the knee (a thigh's outline, not a shank's): more than MAX_GROWTH
        (np.where(leg_split.SHARES >= 0.29, 80.0 - 100.0 * leg_split.SHARES, np.nan), np.nan),
    ],
)
def test_quality_gate(widths, expected):
    got = leg_split._width_at_knee(np.asarray(widths, dtype=float))
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize("fallback, expected", [("standing_knees", KNEE_WIDTH / 2), ("standing_first", 16.0)])
def test_which_knee_width_comes_first(fallback, expected):
    """Knees touching in every frame: ``"standing_knees"`` takes the width from the shank below (20 px, the
    drawn knee) before the standing knees; ``"standing_first"`` a quarter of the merged interval at the knee
    landmarks' height first (the drawn knees overlap: 24 px apart, 40 px wide, 64 px merged, so 16 px)."""
    from movelab.kinematics.frontal_legs import _touching_knee_half_widths

    n = leg_split.MIN_FRAMES
    position = positions(n)
    kp = position.get_index("keypoint")
    half = _touching_knee_half_widths(
        position.values,
        np.stack([drawn_outline()] * n),
        frontal=np.ones(n, dtype=bool),
        kp=kp,
        li=kp.get_loc("left_knee"),
        ri=kp.get_loc("right_knee"),
        fallback=fallback,
    )
    assert list(half.values()) == pytest.approx([expected, expected], abs=0.5)
