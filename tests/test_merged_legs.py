"""Standing legs whose outlines merge from the crotch to the ankles (movelab.kinematics.merged_legs and the knees'
width fallback of movelab.kinematics.frontal_legs): drawn outlines of two straight legs pressed side by side, with
known joints, that part only below the ankles (the feet)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import xarray as xr

from movelab.kinematics import merged_legs
from movelab.kinematics.frontal_legs import frontal_leg_centres
from movelab.landmarks import KEYPOINTS

# true joints (px, y down) of two straight standing legs, mirrored about x = 150; each leg as wide as the legs'
# distance at every height, so that they touch from the hips to the ankles
HIPS = {"left": (120.0, 0.0), "right": (180.0, 0.0)}
KNEES = {"left": (128.0, 200.0), "right": (172.0, 200.0)}
ANKLES = {"left": (136.0, 400.0), "right": (164.0, 400.0)}
FOOT_WIDTH, FOOT_PX = 20.0, 20.0  # the feet below the ankles: narrower than the legs' distance, so they part


def _width(side: str, y: float) -> float:
    """The leg's width at height ``y``: the legs' distance there (they touch)."""
    return 2.0 * abs(150.0 - _axis_x(side, y))


def _axis_x(side: str, y: float) -> float:
    (hx, hy), (ax, ay) = HIPS[side], ANKLES[side]
    return hx + (y - hy) / (ay - hy) * (ax - hx)


def drawn_outline(*, feet_apart: bool = True, scale: int = 4) -> np.ndarray:
    """The outer contour of a pelvis block, two legs touching from hip to ankle and (``feet_apart``) two feet
    that part below the ankles (else the legs run on touching to the ground), in the joints' pixels."""
    top = 60
    mask = np.zeros(((460 + top) * scale, 300 * scale), dtype=np.uint8)
    shapes = [np.asarray([(60.0, -50.0), (240.0, -50.0), (240.0, 10.0), (60.0, 10.0)])]
    bottom = ANKLES["left"][1] + (0.0 if feet_apart else FOOT_PX)
    for side in ("left", "right"):
        half_top, half_bottom = _width(side, 0.0) / 2, _width(side, bottom) / 2
        x0, x1 = _axis_x(side, 0.0), _axis_x(side, bottom)
        shapes.append(
            np.asarray(
                [(x0 - half_top, 0.0), (x0 + half_top, 0.0), (x1 + half_bottom, bottom), (x1 - half_bottom, bottom)]
            )
        )
        if feet_apart:
            ax, ay = ANKLES[side]
            shapes.append(
                np.asarray(
                    [
                        (ax - FOOT_WIDTH / 2, ay),
                        (ax + FOOT_WIDTH / 2, ay),
                        (ax + FOOT_WIDTH / 2, ay + FOOT_PX),
                        (ax - FOOT_WIDTH / 2, ay + FOOT_PX),
                    ]
                )
            )
    for shape in shapes:
        cv2.fillPoly(mask, [np.round((shape + (0.0, top)) * scale).astype(np.int32)], 255)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=len)[:, 0, :].astype(float)
    return (contour + 0.5) / scale - (0.0, top)


def positions(n: int, *, hip_out_px: float = 0.0) -> xr.DataArray:
    """``n`` standing frames of landmarks on the true joints, the hip landmarks ``hip_out_px`` outside them (as
    the pose model reads a heavy body's hips) and the ankle landmarks 1 px above the ankles."""
    values = np.full((n, len(KEYPOINTS), 2), np.nan)
    points = {"left_shoulder": (125.0, -300.0), "right_shoulder": (175.0, -300.0)}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        points[f"{side}_hip"] = (HIPS[side][0] + sign * hip_out_px, HIPS[side][1])
        points[f"{side}_knee"] = KNEES[side]
        points[f"{side}_ankle"] = (ANKLES[side][0], ANKLES[side][1] - 1.0)
    for name, xy in points.items():
        values[:, KEYPOINTS.index(name)] = xy
    return xr.DataArray(
        values, dims=("time", "keypoint", "space_2d"), coords={"keypoint": list(KEYPOINTS), "space_2d": ["x", "y"]}
    )


def _distance(outline: np.ndarray, n: int = merged_legs.MIN_FRAMES) -> float:
    kp = list(KEYPOINTS)
    return merged_legs.knee_ankle_hip_distance(
        positions(n).values,
        np.stack([outline] * n),
        frames=np.ones(n, dtype=bool),
        hip_y=np.zeros(n),
        knees=(kp.index("left_knee"), kp.index("right_knee")),
        ankles=(kp.index("left_ankle"), kp.index("right_ankle")),
    )


def test_the_drawn_legs_merge_from_the_hips_to_the_ankles():
    """The drawing is what the tests below need: one outline interval at the knees and just above the ankles,
    two just below the ankles (the feet)."""
    from movelab.kinematics.geometry import row_crossings_x

    outline = drawn_outline()
    assert len(row_crossings_x(outline, 200.0)) == 2
    assert len(row_crossings_x(outline, 390.0)) == 2
    assert len(row_crossings_x(outline, 405.0)) == 4


def test_the_hips_distance_from_the_knees_and_the_ankles():
    """The line through the touching knees' quarter points and the feet's middles meets the hips' height at the
    drawn hips' distance (60 px) within 1.5 px."""
    assert _distance(drawn_outline()) == pytest.approx(60.0, abs=1.5)


def test_not_measured_where_the_legs_part_nowhere():
    """Legs that touch down to the ground leave no ankles' distance: NaN, not a guess."""
    assert np.isnan(_distance(drawn_outline(feet_apart=False)))


def test_not_measured_in_too_few_frames():
    assert np.isnan(_distance(drawn_outline(), n=merged_legs.MIN_FRAMES - 1))


def _standing_thighs_hips_x(**options) -> np.ndarray:
    """The hips' x (left, right) in the last of 12 frames of the drawn merged legs, hip landmarks 6 px outside
    the joints, with the hips' distance from the standing thighs (uncapped) and ``options``."""
    n = 12
    out = frontal_leg_centres(
        positions(n, hip_out_px=6.0),
        np.stack([drawn_outline()] * n),
        np.ones(n, dtype=bool),
        hip_drop=(0.0, 0.0),
        method="outline",
        hip_spacing="standing_thighs",
        hip_cap="none",
        **options,
    )
    return out.sel(keypoint=["left_hip", "right_hip"]).values[-1, :, 0]


@pytest.mark.parametrize("merged_legs_option, within", [("knees_ankles", True), ("landmark_slope", False)])
def test_hips_of_legs_merged_to_the_ankles(merged_legs_option, within):
    """Hip landmarks 6 px outside the joints on each side: the landmarks' slope through the thighs' split middles
    carries them; the line through the knees and the ankles puts the hips within 1.5 px of the drawn joints."""
    hips_x = _standing_thighs_hips_x(hip_thighs_front="through_shank", hip_merged_legs=merged_legs_option)
    error = np.abs(hips_x - [HIPS["left"][0], HIPS["right"][0]])
    assert (error <= 1.5).all() == within


def test_thighs_merged_at_every_height_take_the_knees_and_ankles_first():
    """``hip_merged_thighs="knees_ankles"``: front views whose standing thighs merge at every fitted height get
    the hips from the knees and the ankles (within 1.5 px of the drawn joints) before the shanks' route."""
    hips_x = _standing_thighs_hips_x(hip_merged_thighs="knees_ankles")
    np.testing.assert_allclose(hips_x, [HIPS["left"][0], HIPS["right"][0]], atol=1.5)


@pytest.mark.parametrize("fallback", ["none", "standing_knees", "standing_first"])
def test_touching_knees_width_from_the_standing_knees(fallback):
    """Knees merged in every frame and shanks merged to the ankles: no frame apart and no shank below gives the
    knee's width. ``"none"`` leaves the knees NaN; ``"standing_knees"`` and ``"standing_first"`` take a quarter
    of the standing knees' merged interval, which puts each knee on its drawn joint (within 1 px)."""
    n = 12
    with pytest.warns(UserWarning) if fallback == "none" else _no_warning():
        out = frontal_leg_centres(
            positions(n),
            np.stack([drawn_outline()] * n),
            np.ones(n, dtype=bool),
            hip_drop=(0.0, 0.0),
            method="outline",
            knee_touching="outer_edge",
            knee_width_fallback=fallback,
        )
    knees_x = out.sel(keypoint=["left_knee", "right_knee"]).values[-1, :, 0]
    if fallback == "none":
        assert np.isnan(knees_x).all() and out.coords["knees_merged"].values.all()
    else:
        np.testing.assert_allclose(knees_x, [KNEES["left"][0], KNEES["right"][0]], atol=1.0)
        assert not out.coords["knees_merged"].values.any()


def _no_warning():
    import contextlib
    import warnings

    @contextlib.contextmanager
    def manager():
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            yield

    return manager()


@pytest.mark.parametrize("thighs_back, within", [("merged_knees_ankles", True), ("through_shank", False)])
def test_back_views_thighs_merged_at_every_height_take_the_knees_and_ankles_first(thighs_back, within):
    """From behind, ``hip_thighs_back="merged_knees_ankles"`` gives standing thighs merged at every fitted height
    the front view's rule: the hips from the knees and the ankles (within 1.5 px of the drawn joints).
    ``"through_shank"`` tries the shanks first; here they merge to the ankles too and the landmarks' slope
    (``hip_merged_legs="landmark_slope"``) carries the landmarks' 6 px."""
    n = 12
    hips_x = _standing_thighs_hips_x(back=np.ones(n, dtype=bool), hip_drop_back=(0.0, 0.0), hip_thighs_back=thighs_back)
    error = np.abs(hips_x - [HIPS["left"][0], HIPS["right"][0]])
    assert (error <= 1.5).all() == within
