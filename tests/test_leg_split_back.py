"""Touching knees seen from behind at depth (movelab.kinematics.leg_split.shank_edge_x, shank_half_width): on a
drawn outline whose foreshortened thighs cover the knees' height, the knee goes half the shank's width inside
the shank's outer edge read just below it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import xarray as xr

from movelab.kinematics import leg_split
from movelab.kinematics.frontal_legs import frontal_leg_centres
from movelab.kinematics.joint_angles import frontal_angles
from movelab.landmarks import KEYPOINTS

# true joints (px, y down) at the bottom of a valgus squat seen from behind: the thighs foreshortened (60 px tall)
# and running up and out from knees pulled in, the ankles out
HIPS = {"left": (100.0, 0.0), "right": (200.0, 0.0)}
KNEES = {"left": (140.0, 60.0), "right": (160.0, 60.0)}
ANKLES = {"left": (125.0, 240.0), "right": (175.0, 240.0)}
THIGH_RADIUS = 22.0  # the thigh: a band this far either side of its axis, round at the knee
SHANK_HALF, ANKLE_HALF, TAPER_SHARE = 16.0, 10.0, 0.45  # the shank's horizontal half-width: even to TAPER_SHARE


def _thigh(side: str) -> list[np.ndarray]:
    (hx, hy), (kx, ky) = np.asarray(HIPS[side]), np.asarray(KNEES[side])
    axis = np.array([kx - hx, ky - hy]) / np.hypot(kx - hx, ky - hy)
    normal = THIGH_RADIUS * np.array([-axis[1], axis[0]])
    band = np.asarray([(hx, hy) + normal, (kx, ky) + normal, (kx, ky) - normal, (hx, hy) - normal])
    angles = np.linspace(0.0, 2.0 * np.pi, 73)[:-1]
    cap = np.column_stack([kx + THIGH_RADIUS * np.cos(angles), ky + THIGH_RADIUS * np.sin(angles)])
    return [band, cap]


def _shank(side: str) -> np.ndarray:
    (kx, ky), (ax, ay) = KNEES[side], ANKLES[side]
    tx, ty = kx + TAPER_SHARE * (ax - kx), ky + TAPER_SHARE * (ay - ky)
    return np.asarray(
        [
            (kx - SHANK_HALF, ky),
            (kx + SHANK_HALF, ky),
            (tx + SHANK_HALF, ty),
            (ax + ANKLE_HALF, ay),
            (ax - ANKLE_HALF, ay),
            (tx - SHANK_HALF, ty),
        ]
    )


def drawn_outline(scale: int = 4) -> np.ndarray:
    """The person mask (a pelvis block, the two thighs and shanks) drawn at ``scale`` times the resolution and
    traced as extraction traces it (the outer contour), in the joints' pixels."""
    top = 60
    mask = np.zeros(((260 + top) * scale, 320 * scale), dtype=np.uint8)
    shapes = [np.asarray([(10.0, -50.0), (290.0, -50.0), (290.0, 10.0), (10.0, 10.0)])]
    for side in ("left", "right"):
        shapes += [*_thigh(side), _shank(side)]
    for shape in shapes:
        cv2.fillPoly(mask, [np.round((shape + (0.0, top)) * scale).astype(np.int32)], 255)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=len)[:, 0, :].astype(float)
    return (contour + 0.5) / scale - (0.0, top)


def _points(knees: dict) -> xr.DataArray:
    values = np.full((leg_split.MIN_FRAMES, len(KEYPOINTS), 2), np.nan)
    points = {"left_shoulder": (120.0, -300.0), "right_shoulder": (180.0, -300.0)}
    for side in ("left", "right"):
        points |= {f"{side}_hip": HIPS[side], f"{side}_knee": knees[side], f"{side}_ankle": ANKLES[side]}
    for name, xy in points.items():
        values[:, KEYPOINTS.index(name)] = xy
    return xr.DataArray(
        values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": list(KEYPOINTS), "space_2d": ["x", "y"]}
    )


def _fppa(position: xr.DataArray) -> np.ndarray:
    return frontal_angles(position, side=-np.ones(position.sizes["time"]))[
        ["knee_fppa_left", "knee_fppa_right"]
    ].values[-1]


def _centres(knee_touching_back: str) -> xr.DataArray:
    n = leg_split.MIN_FRAMES
    landmarks = _points({"left": (KNEES["left"][0] + 6.0, 60.0), "right": (KNEES["right"][0] - 6.0, 60.0)})
    return frontal_leg_centres(
        landmarks,
        np.stack([drawn_outline()] * n),
        np.ones(n, dtype=bool),
        back=np.ones(n, dtype=bool),
        hip_drop=(0.0, 0.0),
        method="outline",
        knee_touching="outer_edge",
        knee_touching_back=knee_touching_back,
    )


def test_the_thighs_cover_the_knees_height_and_the_shanks_part_below():
    """The drawing is what the tests below need: at the knees' height one interval holds both knees and its
    outer edge is the thigh's, 22 / cos(33.7°) = 26.4 px outside the knee; the shanks part below 0.4 of the way
    down."""
    outline = drawn_outline()
    widths = leg_split.leg_widths_below(outline, KNEES["left"], ANKLES["left"], KNEES["right"], ANKLES["right"])
    assert not np.isfinite(widths[leg_split.SHARES < 0.39]).any() and np.isfinite(widths[leg_split.SHARES > 0.41]).all()
    from movelab.kinematics.geometry import row_crossings_x

    xs = row_crossings_x(outline, KNEES["left"][1])
    assert len(xs) == 2 and xs[0] == pytest.approx(KNEES["left"][0] - 26.4, abs=0.5)


def test_shank_edge_x_reads_the_shank_below_the_thigh():
    """The shank's outer edge below the knee, extrapolated up: 16 px outside each knee (the thigh's edge at the
    knee's height is 26.4 px out)."""
    outline = drawn_outline()
    for side, outward in (("left", -1.0), ("right", 1.0)):
        leg_x = (KNEES[side][0], ANKLES[side][0])
        edge = leg_split.shank_edge_x(outline, KNEES[side], ANKLES[side], leg_x=leg_x, outward=outward)
        assert edge == pytest.approx(KNEES[side][0] + outward * SHANK_HALF, abs=0.5)


_NEAR_KNEE = (leg_split.SHARES >= 0.09) & (leg_split.SHARES <= 0.21)  # 0.1, 0.15, 0.2: the edge's heights


@pytest.mark.parametrize(
    "measured, expected",
    [
        # measured at the edge's heights (31, 31.5, 32 px): half their median
        (np.where(_NEAR_KNEE, 30.0 + 10.0 * leg_split.SHARES, np.nan), 15.75),
        # the legs part lower down: half the width at the highest share that is measured (0.45: 31 px)
        (np.where(leg_split.SHARES >= 0.44, 40.0 - 20.0 * leg_split.SHARES, np.nan), 15.5),
        # never apart
        (np.full(len(leg_split.SHARES), np.nan), np.nan),
    ],
)
def test_shank_half_width(measured, expected):
    widths = np.stack([measured] * leg_split.MIN_FRAMES)
    assert leg_split.shank_half_width(widths) == pytest.approx(expected, abs=1e-9, nan_ok=True)


_LOW = leg_split.SHARES >= 0.69  # the legs part 0.7 of the way down, where the shank has tapered to 26 px


@pytest.mark.parametrize(
    "merged_width, expected",
    [
        # the shanks side by side just below the knees, 62 px together: a quarter of that, not the tapered 13
        (62.0, 15.5),
        # never side by side in enough frames: the tapered width below
        (np.nan, 13.0),
    ],
)
def test_shank_half_width_where_the_legs_part_low(merged_width, expected):
    """Where the legs part only below ``MAX_FIRST_SHARE`` of the shank, a quarter of the shanks' merged width
    just below the knees (``merged``) rather than half the tapered width down there."""
    widths = np.stack([np.where(_LOW, 26.0, np.nan)] * leg_split.MIN_FRAMES)
    merged = np.full((leg_split.MIN_FRAMES, len(leg_split.EDGE_SHARES)), merged_width)
    assert leg_split.shank_half_width(widths, merged=merged) == pytest.approx(expected)
    assert leg_split.shank_half_width(widths) == pytest.approx(13.0)


def test_shank_half_width_where_the_legs_part_high_keeps_the_width_below():
    """Legs parting within the shank's upper half: half the width where they part, ``merged`` or not."""
    widths = np.stack([np.where(leg_split.SHARES >= 0.44, 31.0, np.nan)] * leg_split.MIN_FRAMES)
    merged = np.full((leg_split.MIN_FRAMES, len(leg_split.EDGE_SHARES)), 70.0)
    assert leg_split.shank_half_width(widths, merged=merged) == pytest.approx(15.5)


def test_merged_widths_below_are_the_shared_interval_where_the_shanks_touch():
    """On the drawn squat the shanks share one interval down to 0.4 of the way to the ankles: at the edge's
    heights ``merged_widths_below`` is that interval's width (the outer edges 16 px outside each knee's axis), and
    NaN where the shanks stand apart."""
    outline = drawn_outline()
    merged = leg_split.merged_widths_below(outline, KNEES["left"], ANKLES["left"], KNEES["right"], ANKLES["right"])
    assert np.isfinite(merged).all()
    for share, width in zip(leg_split.EDGE_SHARES, merged):
        left, right = (KNEES[s][0] + share * (ANKLES[s][0] - KNEES[s][0]) for s in ("left", "right"))
        assert width == pytest.approx(right - left + 2.0 * SHANK_HALF, abs=0.6)
    apart = leg_split.merged_widths_below(outline, (125.0, 200.0), ANKLES["left"], (175.0, 200.0), ANKLES["right"])
    assert np.isnan(apart).all()


def test_shank_half_width_needs_enough_frames():
    """A share measured in one frame fewer than ``MIN_FRAMES`` does not count."""
    widths = np.stack([np.where(leg_split.SHARES >= 0.44, 30.0, np.nan)] * (leg_split.MIN_FRAMES - 1))
    assert np.isnan(leg_split.shank_half_width(widths))


def test_touching_knees_from_behind_get_their_true_fppa():
    """Back view, knees touching in every frame: ``"shank_edge"`` puts the knees on the true joints (within 0.6 px)
    and the FPPA within 1° of the drawn one; ``"knee_row"`` (half the knee's width inside the outer edge at the
    knee's height, which is the thigh's) puts them more than 3 px too far out: too little valgus."""
    true = _fppa(_points(KNEES))
    assert (true > 15.0).all()
    out = _centres("shank_edge")
    knees = out.sel(keypoint=["left_knee", "right_knee"]).values[-1]
    np.testing.assert_allclose(knees[:, 0], [KNEES["left"][0], KNEES["right"][0]], atol=0.6)
    np.testing.assert_allclose(_fppa(out), true, atol=1.0)
    before = _centres("knee_row").sel(keypoint=["left_knee", "right_knee"]).values[-1]
    assert before[0, 0] < KNEES["left"][0] - 3.0 and before[1, 0] > KNEES["right"][0] + 3.0
    assert (_fppa(_centres("knee_row")) < true - 3.0).all()


def test_front_views_are_left_alone():
    """Without back-view frames ``knee_touching_back`` changes nothing."""
    n = leg_split.MIN_FRAMES
    landmarks = _points({"left": (146.0, 60.0), "right": (154.0, 60.0)})
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    outline = np.stack([drawn_outline()] * n)
    a = frontal_leg_centres(landmarks, outline, np.ones(n, dtype=bool), knee_touching_back="shank_edge", **options)
    b = frontal_leg_centres(landmarks, outline, np.ones(n, dtype=bool), knee_touching_back="knee_row", **options)
    np.testing.assert_array_equal(a.values, b.values)


def test_an_unknown_option_is_refused():
    with pytest.raises(ValueError, match="knee_touching_back"):
        frontal_leg_centres(
            _points(KNEES), None, np.ones(leg_split.MIN_FRAMES, dtype=bool), hip_drop=(0.0, 0.0), knee_touching_back="x"
        )
