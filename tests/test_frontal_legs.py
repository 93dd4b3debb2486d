"""The FPPA joint centres (movelab.kinematics.frontal_legs) on hand-made positions and outlines with exact
answers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from movelab.kinematics.frontal_legs import (
    _edge_bisector,
    _leg_middle,
    _shank_midline,
    _standing_frames,
    _thigh_points,
    frontal_leg_centres,
    thighs_merged_throughout,
    thighs_touch,
)
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


# ----------------------------------------------------------------------------- method="outline" (the default)

STANDING = {"left_shoulder": (130, -300), "right_shoulder": (170, -300)}  # torso 300 px while the hips sit at 0


def centres(points, *, back=False, **options):
    pos = positions({**STANDING, **points})
    options = {"hip_drop": (0.0, 0.0), "method": "outline", **options}
    out = frontal_leg_centres(pos, LEGS[None], np.array([True]), back=np.array([back]), **options)
    return lambda name: out.sel(keypoint=name).values[0]


def test_hips_are_centred_on_the_pelvis_outline_half_its_width_apart():
    """At the hips' height (y = 0... 50) the outline is [90, 210]: the hip landmarks, both shifted 7 px to one
    side and 60 px apart, become 150 ∓ 30 (half the 120 px width apart, about its middle)."""
    get = centres({"left_hip": (118, 0), "right_hip": (178, 0)}, hip_width_share=0.5)
    np.testing.assert_allclose(get("left_hip"), [120.0, 0.0])
    np.testing.assert_allclose(get("right_hip"), [180.0, 0.0])
    get = centres({"left_hip": (118, 0), "right_hip": (178, 0)}, hip_width_share=0.4)
    np.testing.assert_allclose(get("left_hip")[0], 150.0 - 24.0)


def test_hips_are_kept_where_the_outline_is_implausibly_wide_for_a_pelvis():
    """Hips 40 px apart in a 120 px interval (3 times their distance: arms against the hips) are kept."""
    get = centres({"left_hip": (130, 0), "right_hip": (170, 0)})
    np.testing.assert_allclose(get("left_hip"), [130.0, 0.0])
    np.testing.assert_allclose(get("right_hip"), [170.0, 0.0])


def test_knee_and_ankle_move_onto_the_shank_midline():
    """The left shank's outline is [90, 140] (midline x = 115) from y = 100 down; the model's knee sits 10 px
    off it and the ankle 6 px the other way: both move onto x = 115, their heights kept."""
    get = centres({"left_knee": (125, 200), "left_ankle": (109, 380), "right_knee": (185, 200)}, knee_outline_share=0.0)
    np.testing.assert_allclose(get("left_knee"), [115.0, 200.0])
    np.testing.assert_allclose(get("left_ankle"), [115.0, 380.0])
    np.testing.assert_allclose(get("right_knee"), [185.0, 200.0])


def test_front_view_knee_moves_its_share_towards_the_outline_middle_at_its_height():
    """Knee landmarks at y = 60, above the legs' split, where the outline [90, 210] holds both knees: it is split
    at its middle (150), so the left knee's interval is [90, 150], middle 120; the shank midline is 115. With
    ``knee_outline_share`` 0.5 the knee goes to 117.5; the ankle stays on the midline."""
    points = {"left_knee": (128, 60), "right_knee": (185, 60), "left_ankle": (109, 380), "right_ankle": (185, 380)}
    get = centres(points, knee_outline_share=0.5)
    np.testing.assert_allclose(get("left_knee"), [117.5, 60.0])
    np.testing.assert_allclose(get("left_ankle"), [115.0, 380.0])
    np.testing.assert_allclose(centres(points, knee_outline_share=0.0)("left_knee"), [115.0, 60.0])


def test_back_view_uses_its_hip_fit_raises_the_knees_and_keeps_them_on_the_shank_midline():
    """Back view, torso 300 px throughout: the hips move by the back fit's ``a`` (-0.05 x 300 = 15 px up),
    the knees 0.1 x 300 = 30 px up along the (vertical) shank midline; the front-view outline share is not
    used from behind."""
    points = {"left_hip": (118, 0), "right_hip": (178, 0), "left_knee": (128, 200), "left_ankle": (109, 380)}
    get = centres(
        points, back=True, hip_drop=(0.1, 0.5), hip_drop_back=(-0.05, 0.5), knee_raise_back=0.1, knee_outline_share=1
    )
    assert get("left_hip")[1] == pytest.approx(-15.0, abs=0.01)
    np.testing.assert_allclose(get("left_knee"), [115.0, 170.0], atol=0.01)
    front = centres(points, back=False, hip_drop=(0.1, 0.5), hip_drop_back=(-0.05, 0.5), knee_raise_back=0.1)
    assert front("left_hip")[1] == pytest.approx(30.0, abs=0.01)
    np.testing.assert_allclose(front("left_knee")[1], 200.0)


def test_the_corrected_fppa_of_a_valgus_leg_drawn_in_an_outline():
    """A left leg drawn as a thigh and a shank strip whose midlines meet at the knee (150, 200) with 20° of
    valgus between them; the model's knee sits 8 px off sideways, the ankle 5 px: the corrected joint centres
    give the drawn FPPA within 0.5°, the landmarks do not. A knee landmark 12 px below the joint (on the
    shank) is not corrected in front views: about 1° less valgus."""
    from movelab.kinematics.joint_angles import frontal_angles

    hip, knee = np.array([120.0, 0.0]), np.array([150.0, 200.0])
    thigh = (knee - hip) / np.linalg.norm(knee - hip)
    turn = np.radians(-20.0)  # the shank turns towards image left (lateral for the client's left leg, front view)
    shank = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]) @ thigh
    ankle = knee + shank * 200 / shank[1]
    normal = np.array([shank[1], -shank[0]])
    leg = polygon(knee + 20 * normal, ankle + 20 * normal, ankle - 20 * normal, knee - 20 * normal)
    offset = np.array([8.0, 0.0])
    points = {**STANDING, "left_hip": tuple(hip), "right_hip": (240, 0), "left_knee": tuple(knee + offset)}
    points["left_ankle"] = tuple(ankle + np.array([5.0, 0.0]))
    pos = positions(points)
    out = frontal_leg_centres(pos, leg[None], np.array([True]), hip_drop=(0.0, 0.0), method="outline")
    side = np.array([1.0])
    exact = positions({**points, "left_knee": tuple(knee), "left_ankle": tuple(ankle)})
    drawn = frontal_angles(exact, side=side)["knee_fppa_left"].iloc[0]
    assert abs(drawn) == pytest.approx(20.0)
    read = frontal_angles(out, side=side)["knee_fppa_left"].iloc[0]
    raw = frontal_angles(pos, side=side)["knee_fppa_left"].iloc[0]
    assert read == pytest.approx(drawn, abs=0.5)
    assert abs(raw - drawn) > 2.0
    pos.loc[dict(keypoint="left_knee", space_2d="y")] += 12.0
    low = frontal_leg_centres(pos, leg[None], np.array([True]), hip_drop=(0.0, 0.0), method="outline")
    assert drawn - 2.0 < frontal_angles(low, side=side)["knee_fppa_left"].iloc[0] < drawn - 0.5


@pytest.mark.parametrize(
    "options",
    [
        dict(fppa_joint_centres="outline_mid"),
        dict(fppa_knee_outline_share=1.5),
        dict(fppa_hip_width_share=-0.1),
        dict(fppa_knee_height="thigh"),
        dict(fppa_knee_touching="middle"),
        dict(fppa_hip_spacing="pelvis"),
        dict(fppa_hip_merged_thighs="outline"),
        dict(fppa_shank_top="knee"),
        dict(fppa_shank_merged="middle"),
        dict(fppa_knee_bend_fallback="outer_edge"),
        dict(fppa_knee_bend_min_slope=-0.1),
        dict(fppa_knee_bend_edge_share=0.6),
        dict(fppa_knee_bend_max_span_share=0.3),
        dict(fppa_knee_height_back="landmark"),
        dict(fppa_knee_bend_min_slope_back=-0.1),
        dict(fppa_knee_bend_raise_back=0.6),
        dict(fppa_hip_thighs_back="outline"),
        dict(fppa_hip_thighs_front="outline"),
        dict(fppa_shank_axis="middles"),
        dict(fppa_hip_beside_hands="outline"),
    ],
)
def test_fppa_settings_out_of_range_are_refused(options):
    from movelab.errors import ConfigError
    from movelab.kinematics import KinematicsConfig

    with pytest.raises(ConfigError):
        KinematicsConfig(**options)


def test_split_at_the_interval_middle_ignores_the_landmarks_shared_shift():
    """Both knee landmarks 8 px to the right in an interval [90, 210] shared by both: split at the landmarks'
    midpoint (158) the left leg's middle is 124; split at the interval's middle (150) it is 120."""
    assert _leg_middle(LEGS, 50.0, 128.0, 188.0) == pytest.approx(124.0)
    assert _leg_middle(LEGS, 50.0, 128.0, 188.0, split="middle") == pytest.approx(120.0)


# a left leg seen from the front at the bottom of a squat, midline x = 150: the shank's half-width grows
# slowly from 12 px at the ankle (y = 380) to 20 px at the knee (y = 200), the foreshortened thigh's fast,
# to 50 px at y = 140; the right ankle is far to image right, so the left leg's outer edge is its left one
SQUAT_LEG = polygon((100, 140), (130, 200), (138, 380), (162, 380), (170, 200), (200, 140))
# the same leg with the thigh widening as slowly as the shank (no bend at the knee)
STRAIGHT_LEG = polygon((127.3, 140), (130, 200), (138, 380), (162, 380), (170, 200), (172.7, 140))


def _squat_leg(outline: np.ndarray, **options):
    points = {"left_hip": (150, 130), "left_knee": (150, 170), "left_ankle": (150, 380), "right_ankle": (300, 380)}
    out = frontal_leg_centres(
        positions(points), outline[None], np.array([True]), hip_drop=(0.0, 0.0), method="outline", **options
    )
    return out.sel(keypoint="left_knee").values[0]


def test_front_view_knee_height_comes_from_the_bend_of_the_leg_outline():
    """The knee landmark sits 30 px above the joint (as on thick-legged rendered bodies): with
    ``knee_height="outline_bend"`` the knee goes to where the outer outline's widening changes from the
    shank's to the thigh's, y = 200 (within a pixel); with ``"landmark"`` it stays at 170."""
    knee = _squat_leg(SQUAT_LEG, knee_height="outline_bend")
    assert knee[1] == pytest.approx(200.0, abs=1.0)
    assert knee[0] == pytest.approx(150.0, abs=0.5)
    np.testing.assert_allclose(_squat_leg(SQUAT_LEG, knee_height="landmark"), [150.0, 170.0])


def test_knee_landmark_height_is_kept_where_the_leg_outline_does_not_bend():
    """A thigh that widens no faster than the shank (upright, not foreshortened) gives no bend: the knee keeps
    its landmark's height."""
    np.testing.assert_allclose(_squat_leg(STRAIGHT_LEG, knee_height="outline_bend"), [150.0, 170.0], atol=1e-6)


def test_knee_height_from_a_bend_only_where_the_leg_is_bent():
    """Ten frames of a straight leg (hip 280 px above the ankle) whose outline bends at y = 200 anyway (as a
    hem or the crotch does on a standing leg), then one bent frame (hip 250 px above the ankle, 0.89 of the
    straight leg's): with ``knee_bend_max_span_share=0.9`` the straight frames keep the landmark's height (170)
    and the bent one takes the bend's (200); with None every frame takes the bend's."""
    pos = positions(
        {"left_hip": (150, 100), "left_knee": (150, 170), "left_ankle": (150, 380), "right_ankle": (300, 380)}, n=11
    )
    pos.loc[dict(keypoint="left_hip", space_2d="y")] = [100.0] * 10 + [130.0]
    outlines = np.stack([SQUAT_LEG] * 11)
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_height="outline_bend")

    def knee_heights(max_span):
        out = frontal_leg_centres(pos, outlines, np.ones(11, dtype=bool), knee_bend_max_span_share=max_span, **options)
        return out.sel(keypoint="left_knee", space_2d="y").values

    guarded, unguarded = knee_heights(0.9), knee_heights(None)
    np.testing.assert_allclose(guarded[:10], 170.0)
    assert guarded[10] == pytest.approx(200.0, abs=1.0)
    np.testing.assert_allclose(unguarded, 200.0, atol=1.0)


def _bends_over_time(median_s):
    """Five frames 1/30 s apart: the squat leg whose outline bends at y = 200, but the third frame's outline is
    straight (no bend: on realistic renders folds and shading hide it in single frames) and the fourth's bends 30
    px lower; the knee landmark sits at 170. The knee's height per frame."""
    pos = positions(
        {"left_hip": (150, 130), "left_knee": (150, 170), "left_ankle": (150, 380), "right_ankle": (300, 380)}, n=5
    )
    pos = pos.assign_coords(time=np.arange(5) / 30.0)
    low_bend = SQUAT_LEG.copy()
    low_bend[:, 1] = np.where(low_bend[:, 1] == 200, 230, low_bend[:, 1])
    outlines = np.stack([SQUAT_LEG, SQUAT_LEG, STRAIGHT_LEG, low_bend, SQUAT_LEG])
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_height="outline_bend", knee_bend_median_s=median_s)
    out = frontal_leg_centres(pos, outlines, np.ones(5, dtype=bool), **options)
    return out.sel(keypoint="left_knee", space_2d="y").values


def test_knee_height_is_the_running_median_of_the_outline_bends():
    """Per frame the knee jumps to the landmark (170) where the outline does not bend and 30 px down where it
    bends lower; as the median over ± 0.1 s of the bends found every frame sits at the usual bend (200)."""
    own = _bends_over_time(None)
    assert own[2] == pytest.approx(170.0) and own[3] == pytest.approx(230.0, abs=1.0)
    np.testing.assert_allclose(_bends_over_time(0.1), 200.0, atol=1.0)


# the squat leg with a straight outer edge (as at 0° valgus on thick-legged rendered bodies) whose inner edge
# still bends at the knee (y = 200)
INNER_BEND_LEG = polygon((127.3, 140), (130, 200), (138, 380), (162, 380), (170, 200), (200, 140))


def test_knee_height_from_the_inner_edge_where_the_outer_edge_does_not_bend():
    """Outer edge straight, inner edge bending at y = 200: ``knee_bend_fallback="inner_edge"`` puts the knee
    there (within a pixel); ``"landmark"`` keeps the landmark's 170."""
    knee = _squat_leg(INNER_BEND_LEG, knee_height="outline_bend", knee_bend_fallback="inner_edge")
    assert knee[1] == pytest.approx(200.0, abs=1.0)
    assert _squat_leg(INNER_BEND_LEG, knee_height="outline_bend", knee_bend_fallback="landmark")[1] == 170.0
    np.testing.assert_allclose(
        _squat_leg(STRAIGHT_LEG, knee_height="outline_bend", knee_bend_fallback="inner_edge"), [150.0, 170.0], atol=1e-6
    )


# a left leg at the bottom of a squat whose knee landmark sits 90 px above the joint (y = 200): the shank is
# [135, 165] (midline x = 150) from y = 200 down to 380; above the knee the foreshortened thigh's outer edge
# widens fast, to x = 75 at y = 110, its inner edge stays at 165
HIGH_KNEE_LEG = polygon((75, 110), (135, 200), (135, 380), (165, 380), (165, 110))


def test_shank_midline_is_fitted_below_the_knee_as_placed_not_the_high_knee_landmark():
    """Fitted from the knee landmark (y = 110) down, the shank's midline takes in the thigh's widening outline
    at its top height and tilts: knee and ankle land about 3 px off x = 150 on opposite sides. Fitted below
    the knee placed at the outline's bend (y = 200), it is the shank's own midline."""
    points = {"left_hip": (150, 60), "left_knee": (150, 110), "left_ankle": (150, 380), "right_ankle": (300, 380)}

    def placed(shank_top: str):
        out = frontal_leg_centres(
            positions(points),
            HIGH_KNEE_LEG[None],
            np.array([True]),
            hip_drop=(0.0, 0.0),
            method="outline",
            knee_height="outline_bend",
            shank_top=shank_top,
        )
        return out.sel(keypoint="left_knee").values[0], out.sel(keypoint="left_ankle").values[0]

    knee, ankle = placed("lower_knee")
    np.testing.assert_allclose(knee, [150.0, 200.0], atol=0.5)
    np.testing.assert_allclose(ankle, [150.0, 380.0], atol=0.5)
    knee, ankle = placed("knee_landmark")
    assert knee[0] < 148.0 and ankle[0] > 152.0


def test_back_view_shank_midline_starts_at_the_knee_landmark_below_the_raised_knee():
    """From behind the knee landmark sits below the joint and the knee is raised: the fit starts at the lower
    of the two, the landmark (y = 200, the joint of ``HIGH_KNEE_LEG``), so the knee raised 90 px onto the thigh
    (0.3 of a 300 px torso) keeps the shank's own midline x = 150 and the ankle stays on it."""
    points = {
        "left_shoulder": (150, -240),
        "right_shoulder": (300, -240),
        "left_hip": (150, 60),
        "right_hip": (300, 60),
        "left_knee": (150, 200),
        "left_ankle": (150, 380),
        "right_ankle": (300, 380),
    }
    out = frontal_leg_centres(
        positions(points),
        HIGH_KNEE_LEG[None],
        np.array([True]),
        back=np.array([True]),
        hip_drop=(0.0, 0.0),
        method="outline",
        knee_raise_back=0.3,
        shank_top="lower_knee",
    )
    np.testing.assert_allclose(out.sel(keypoint="left_knee").values[0], [150.0, 110.0], atol=0.5)
    np.testing.assert_allclose(out.sel(keypoint="left_ankle").values[0], [150.0, 380.0], atol=0.5)


def _back_squat_leg(outline: np.ndarray, **options):
    """``outline`` seen from behind: the knee landmark 15 px below the joint (y = 215, as the pose model puts it
    from behind), the torso 300 px long (shoulders at y = -170, hips at y = 130); the left knee as placed."""
    points = {
        "left_shoulder": (150, -170),
        "right_shoulder": (300, -170),
        "left_hip": (150, 130),
        "right_hip": (300, 130),
        "left_knee": (150, 215),
        "left_ankle": (150, 380),
        "right_ankle": (300, 380),
    }
    options = {"hip_drop": (0.0, 0.0), "method": "outline", "back": np.array([True]), **options}
    out = frontal_leg_centres(positions(points), outline[None], np.array([True]), **options)
    return out.sel(keypoint="left_knee").values[0]


def test_back_view_knee_height_comes_from_the_bend_of_the_leg_outline_raised_by_its_share():
    """From behind with ``knee_height_back="outline_bend"`` the knee goes to the outer outline's bend (y = 200)
    raised by 0.02 of the 300 px torso, y = 194 (within a pixel), on the shank's midline x = 150; with
    ``"raise"`` to the landmark raised by 0.1 of the torso, 215 - 30 = 185."""
    options = dict(knee_raise_back=0.1, knee_bend_raise_back=0.02, knee_bend_min_slope_back=0.2)
    knee = _back_squat_leg(SQUAT_LEG, knee_height_back="outline_bend", **options)
    assert knee[1] == pytest.approx(194.0, abs=1.0)
    assert knee[0] == pytest.approx(150.0, abs=0.5)
    np.testing.assert_allclose(_back_squat_leg(SQUAT_LEG, knee_height_back="raise", **options), [150.0, 185.0])


def test_back_view_knee_keeps_the_raised_landmark_where_the_outline_does_not_bend():
    """No bend (a thigh widening as slowly as the shank) or a bend gentler than ``knee_bend_min_slope_back``
    (the squat leg's thigh widens 0.5 px/px): the landmark raised by ``knee_raise_back``, y = 185."""
    options = dict(knee_height_back="outline_bend", knee_raise_back=0.1, knee_bend_raise_back=0.02)
    np.testing.assert_allclose(_back_squat_leg(STRAIGHT_LEG, **options), [150.0, 185.0], atol=1e-6)
    np.testing.assert_allclose(
        _back_squat_leg(SQUAT_LEG, knee_bend_min_slope_back=0.6, **options), [150.0, 185.0], atol=1e-6
    )


def test_front_view_knee_ignores_the_back_views_knee_options():
    """The same leg from the front (``back`` False): the back view's bend raise and slope gate change nothing."""
    front = dict(back=np.array([False]), knee_height="outline_bend")
    plain = _back_squat_leg(SQUAT_LEG, **front)
    for options in (dict(knee_height_back="outline_bend", knee_bend_raise_back=0.1), dict(knee_height_back="raise")):
        np.testing.assert_array_equal(_back_squat_leg(SQUAT_LEG, **front, **options), plain)


def test_back_view_knee_options_must_be_known():
    with pytest.raises(ValueError, match="knee_height_back must be"):
        _back_squat_leg(SQUAT_LEG, knee_height_back="landmark")
    with pytest.raises(ValueError, match="hip_thighs_back must be"):
        _back_squat_leg(SQUAT_LEG, hip_thighs_back="outline")


def test_back_view_knee_and_hip_defaults_reach_the_joint_centres():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    options = fppa_centre_options(KinematicsConfig(), back=np.array([True]))
    assert options["knee_height_back"] == "outline_bend"
    assert (options["knee_bend_min_slope_back"], options["knee_bend_raise_back"]) == (0.2, 0.02)
    assert options["hip_thighs_back"] == "through_shank"
    assert options["knee_shank_width_back"] == "below_or_merged"


def test_shank_top_default_fits_below_the_knee_as_placed():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    assert fppa_centre_options(KinematicsConfig(), back=np.array([False]))["shank_top"] == "lower_knee"


def test_knee_bend_gate_defaults_reach_the_joint_centres():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    options = fppa_centre_options(KinematicsConfig(), back=np.array([False]))
    assert (options["knee_bend_min_slope"], options["knee_bend_edge_share"]) == (0.15, 0.07)
    assert options["knee_bend_max_span_share"] == 0.9


def test_bend_of_a_two_piece_width_profile():
    """Widths growing 0.05 px per px below y = 60 and 0.5 above bend at 60; a straight profile has no bend."""
    from movelab.kinematics.frontal_legs import _bend

    ys = np.arange(0.0, 100.0)
    widths = 20 + 0.05 * (100 - ys) + 0.45 * np.clip(60 - ys, 0, None)
    assert _bend(ys, widths, 2.0) == pytest.approx(60.0)
    assert np.isnan(_bend(ys, 20 + 0.05 * (100 - ys), 2.0))


def test_a_bend_below_a_slow_widening_does_not_count_with_a_higher_min_slope():
    """Above y = 60 the widths grow 0.12 px per px (a calf's gentle widening at 0° valgus, not a thigh's), below
    0.04: the best bend is at 60 and counts with the 0.1 px/px floor, not with 0.15."""
    from movelab.kinematics.frontal_legs import _bend

    ys = np.arange(0.0, 100.0)
    widths = 20 + 0.04 * (100 - ys) + 0.08 * np.clip(60 - ys, 0, None)
    assert _bend(ys, widths, 2.0) == pytest.approx(60.0)
    assert np.isnan(_bend(ys, widths, 2.0, min_slope=0.15))


def test_a_bend_at_the_windows_top_edge_does_not_count():
    """The widths bend at y = 6, six rows below the first height: the outline bends at or above the window's
    top, not within it. It counts with ``edge_px`` 5 (and 0), not with 8."""
    from movelab.kinematics.frontal_legs import _bend

    ys = np.arange(0.0, 100.0)
    widths = 20 + 0.05 * (100 - ys) + 0.45 * np.clip(6 - ys, 0, None)
    assert _bend(ys, widths, 2.0) == pytest.approx(6.0)
    assert _bend(ys, widths, 2.0, edge_px=5.0) == pytest.approx(6.0)
    assert np.isnan(_bend(ys, widths, 2.0, edge_px=8.0))


# the squat leg (midline x = 150, shank 0.044 px/px per side) whose outer edge bends 6 px below the bend search's
# top (y = 180, 20 % of the way from the hip at 130 to the ankle at 380), at y = 186, where the thigh's upper
# outline meets a straight outer edge at 0° valgus, and whose inner edge bends at the knee, y = 200
EDGE_BEND_LEG = polygon((106.4, 140), (129.378, 186), (138, 380), (162, 380), (170, 200), (200, 140))


def test_an_outer_bend_at_the_search_windows_top_gives_way_to_the_inner_edges_bend():
    """With ``knee_bend_edge_share`` 0.07 (17.5 px of the 250 px from hip to ankle) the outer edge's bend at
    y = 186, 6 px below the window's top, does not count and the inner edge's bend at the knee (y = 200) is
    taken; without it the knee goes to 186 (each within a pixel)."""
    options = dict(knee_height="outline_bend", knee_bend_fallback="inner_edge")
    assert _squat_leg(EDGE_BEND_LEG, **options)[1] == pytest.approx(186.0, abs=1.0)
    knee = _squat_leg(EDGE_BEND_LEG, knee_bend_edge_share=0.07, knee_bend_min_slope=0.15, **options)
    assert knee[1] == pytest.approx(200.0, abs=1.0)
    assert knee[0] == pytest.approx(150.0, abs=0.5)


# ----------------------------------------------------------------------------- knees touching (merged outlines)

# frame 0: the legs apart (LEGS: knees 50 px wide); frame 1: the knees pressed together, their outlines merged
# into one interval [112, 188] from y = 150 to 260 (narrower than the two 50 px knees side by side: they
# overlap), the shanks apart again below y = 270
TOUCHING = polygon(
    (90, 0), (210, 0), (210, 100), (188, 150), (188, 260), (195, 400), (165, 400), (150, 270),
    (135, 400), (105, 400), (112, 260), (112, 150), (90, 100),
)  # fmt: skip
# the same with the merged interval as wide as the pelvis block (thick thighs or the pelvis, not two knees)
WIDE_MERGE = polygon(
    (90, 0), (210, 0), (210, 260), (195, 400), (165, 400), (150, 270), (135, 400), (105, 400), (90, 260),
)  # fmt: skip


def _two_frames(first: np.ndarray, second: np.ndarray, *, n_first: int = 10, **options):
    """``n_first`` frames of the ``first`` outline (knee landmarks on the legs' middles), then one of the
    ``second`` with the knee landmarks 6 px inside the true knees (as the pose model reads pressed knees);
    returns the knees of the first and the last frame."""
    pos = positions(
        {**STANDING, "left_hip": (120, 0), "right_hip": (180, 0), "left_ankle": (120, 380), "right_ankle": (180, 380)},
        n=n_first + 1,
    )
    knees = np.array([[[120, 200], [180, 200]]] * n_first + [[[138, 200], [162, 200]]], dtype=float)
    for i, name in enumerate(("left_knee", "right_knee")):
        pos.loc[dict(keypoint=name)] = knees[:, i]
    outlines = np.stack([first] * n_first + [second])
    options = {"hip_drop": (0.0, 0.0), "method": "outline", **options}
    out = frontal_leg_centres(pos, outlines, np.ones(n_first + 1, dtype=bool), **options)
    return out.sel(keypoint=["left_knee", "right_knee"]).values[[0, -1]]  # (first/last frame, knee, xy)


def test_touching_knees_go_half_a_knee_width_inside_the_merged_outlines_outer_edges():
    """In frame 0 the knees are 50 px wide; in frame 1 their outlines merge into [112, 188]: each knee goes
    25 px inside its outer edge (137 and 163), where the shank midlines fitted with the merged interval split
    at its middle put them further apart."""
    knees = _two_frames(LEGS, TOUCHING, knee_touching="outer_edge")
    np.testing.assert_allclose(knees[1, :, 0], [137.0, 163.0])
    np.testing.assert_allclose(knees[1, :, 1], [200.0, 200.0])
    np.testing.assert_allclose(knees[0, :, 0], [115.0, 185.0], atol=1e-9)  # apart: on the shank midlines
    split = _two_frames(LEGS, TOUCHING, knee_touching="split")
    assert split[1, 0, 0] < 136.0 and split[1, 1, 0] > 164.0


# the legs merged from the knees down to the feet (no height below the knees shows a shank alone)
MERGED_TO_FEET = polygon((90, 0), (210, 0), (210, 100), (188, 150), (188, 400), (112, 400), (112, 150), (90, 100))


def test_touching_knees_without_a_frame_showing_them_apart_are_not_measured():
    """The knees touch in every frame (or are apart in fewer than 10) and their legs stay merged down to the
    feet: their width cannot be measured, at the knees or extrapolated from the shanks below
    (:mod:`movelab.kinematics.leg_split`, tests/test_leg_split.py), so the touching knees (and their FPPA) are
    NaN rather than a guess."""
    from movelab.kinematics.joint_angles import frontal_angles

    with pytest.warns(UserWarning, match="too few frames show them apart"):
        knees = _two_frames(MERGED_TO_FEET, MERGED_TO_FEET, knee_touching="outer_edge")
    assert np.isnan(knees).all()
    with pytest.warns(UserWarning, match="knee FPPA not measured in 2 knee-frames"):  # 9 frames apart: too few
        knees = _two_frames(LEGS, MERGED_TO_FEET, n_first=9, knee_touching="outer_edge")
    assert np.isnan(knees[1]).all() and np.isfinite(knees[0]).all()
    points = {"left_hip": (120, 0), "right_hip": (180, 0), "left_knee": (138, 200), "right_knee": (162, 200)}
    pos = positions({**STANDING, **points, "left_ankle": (120, 380), "right_ankle": (180, 380)})
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    with pytest.warns(UserWarning, match="knee FPPA not measured in 2 knee-frames"):
        out = frontal_leg_centres(pos, TOUCHING[None], np.array([True]), **options)
    angles = frontal_angles(out, side=np.array([1.0]))
    assert angles[["knee_fppa_left", "knee_fppa_right"]].isna().all(axis=None)
    assert out.coords["knees_merged"].values.tolist() == [True]  # the reason travels with the centres


def test_knees_merged_is_false_where_the_knees_were_placed():
    """Knees apart in a front view: no frame is marked."""
    options = dict(hip_drop=(0.0, 0.0), method="outline", knee_touching="outer_edge")
    points = {"left_hip": (120, 0), "right_hip": (180, 0), "left_knee": (138, 200), "right_knee": (162, 200)}
    pos = positions({**STANDING, **points, "left_ankle": (120, 380), "right_ankle": (180, 380)})
    out = frontal_leg_centres(pos, LEGS[None], np.array([True]), **options)
    assert out.coords["knees_merged"].values.tolist() == [False]


def test_a_merged_interval_wider_than_two_knees_is_not_taken_for_touching_knees():
    """Thick thighs merged with the pelvis at the knees' height ([90, 210], 120 px against two 50 px knees):
    the knees stay where the shank midlines put them."""
    np.testing.assert_allclose(
        _two_frames(LEGS, WIDE_MERGE, knee_touching="outer_edge"), _two_frames(LEGS, WIDE_MERGE, knee_touching="split")
    )


def test_a_merged_interval_narrower_than_one_knee_per_side_gives_no_fppa():
    """Merged knees only 40 px wide where each knee measured 50 px apart: neither fits its half, so the
    placement is refused (NaN) rather than a knee put across the middle."""
    narrow = polygon(
        (90, 0), (210, 0), (210, 100), (170, 150), (170, 260), (195, 400), (165, 400), (150, 270),
        (135, 400), (105, 400), (130, 260), (130, 150), (90, 100),
    )  # fmt: skip
    with pytest.warns(UserWarning, match="knee FPPA not measured"):
        knees = _two_frames(LEGS, narrow, knee_touching="outer_edge")
    assert np.isnan(knees[1]).all()


# ------------------------------------------------------------------ hip spacing from the standing thighs

# a thick body standing: soft tissue makes the pelvis outline 150 px wide ([75, 225]) at the hips' height, the
# thighs below it hang as strips whose midlines (the joints' line) are 120 and 180, 60 px apart
THICK_STANDING = polygon(
    (75, -50), (225, -50), (225, 100), (200, 100), (200, 400), (160, 400), (160, 100),
    (140, 100), (140, 400), (100, 400), (100, 100), (75, 100),
)  # fmt: skip
# the same body's thighs touching from the crotch down to y = 300, below the knee landmarks ([95, 205]
# split at 150: midlines 122.5 and 177.5, 55 px apart), the shanks apart below
THICK_TOUCHING = polygon(
    (75, -50), (225, -50), (225, 100), (205, 100), (205, 400), (155, 400), (155, 300), (145, 300),
    (145, 400), (95, 400), (95, 100), (75, 100),
)  # fmt: skip


def _thick_squat(standing: np.ndarray, *, n_standing: int = 10, **options):
    """``n_standing`` frames standing in ``standing`` (knee landmarks 250 px below the hips), then one at the
    bottom of a squat (thighs towards the camera: knee landmarks 100 px below the hips, the ankle landmarks
    300 px, the legs no longer straight) in the same pelvis outline, the hip landmarks 60 px apart and both
    shifted 3 px to the right; the hips of the last frame."""
    n = n_standing + 1
    pos = positions(
        {**STANDING, "left_hip": (123, 0), "right_hip": (183, 0), "left_ankle": (120, 380), "right_ankle": (180, 380)},
        n=n,
    )
    for name, x in (("left_knee", 120.0), ("right_knee", 180.0)):
        pos.loc[dict(keypoint=name)] = np.array([[x, 250.0]] * n_standing + [[x, 100.0]])
    for name, x in (("left_ankle", 120.0), ("right_ankle", 180.0)):
        pos.loc[dict(keypoint=name)] = np.array([[x, 380.0]] * n_standing + [[x, 300.0]])
    options = {"hip_drop": (0.0, 0.0), "method": "outline", **options}
    out = frontal_leg_centres(pos, np.stack([standing] * n), np.ones(n, dtype=bool), **options)
    return out.sel(keypoint=["left_hip", "right_hip"]).values[-1]


def test_hips_sit_as_far_apart_as_the_standing_thighs_midlines():
    """The pelvis outline is 150 px wide, the standing thighs' midlines 60 px apart: at the bottom the hips go
    30 px either side of the outline's middle (half the outline's width apart would be 75 px, too wide)."""
    hips = _thick_squat(THICK_STANDING, hip_spacing="standing_thighs")
    np.testing.assert_allclose(hips[:, 0], [120.0, 180.0])
    np.testing.assert_allclose(hips[:, 1], [0.0, 0.0])
    share = _thick_squat(THICK_STANDING, hip_spacing="outline_share", hip_width_share=0.5)
    np.testing.assert_allclose(share[:, 0], [112.5, 187.5])


def test_hips_take_the_outline_share_where_it_is_narrower_than_the_standing_thighs():
    """Soft tissue only widens both estimates, so the narrower wins: 0.3 of the 150 px outline (45 px) is
    less than the thighs' 60 px."""
    hips = _thick_squat(THICK_STANDING, hip_spacing="standing_thighs", hip_width_share=0.3)
    np.testing.assert_allclose(hips[:, 0], [127.5, 172.5])


# wide hips over slim thighs: the thighs (midlines 120 and 180, 40 px wide) make the outline's edges at the hips'
# height ([95, 205], 110 px: the joints' distance plus a thigh's width, less the 5 px the pelvis reaches past it)
SLIM_WIDE = polygon(
    (95, -50), (205, -50), (205, 100), (200, 100), (200, 400), (160, 400), (160, 100),
    (140, 100), (140, 400), (100, 400), (100, 100), (95, 100),
)  # fmt: skip


def test_uncapped_hips_sit_as_far_apart_as_slim_standing_thighs_under_wide_hips():
    """Half the 110 px outline (55 px) is narrower than the thighs' 60 px: capped by the outline's share the
    hips go 55 px apart, uncapped (``hip_cap="none"``) 60 px, either side of the outline's middle, 150."""
    capped = _thick_squat(SLIM_WIDE, hip_spacing="standing_thighs", hip_cap="outline_share", hip_width_share=0.5)
    np.testing.assert_allclose(capped[:, 0], [122.5, 177.5])
    uncapped = _thick_squat(SLIM_WIDE, hip_spacing="standing_thighs", hip_cap="none", hip_width_share=0.5)
    np.testing.assert_allclose(uncapped[:, 0], [120.0, 180.0])


# THICK_STANDING with the hands hanging against the hips: the outline's interval at the hips' height is 260 px
# wide, more than 2.6 times any hip landmarks' distance below 100 px
HANDS_AT_HIPS = polygon(
    (20, -50), (280, -50), (280, 100), (200, 100), (200, 400), (160, 400), (160, 100),
    (140, 100), (140, 400), (100, 400), (100, 100), (20, 100),
)  # fmt: skip


def test_hips_beside_hanging_hands_go_the_standing_thighs_distance_apart_about_the_landmarks():
    """Standing thighs 60 px apart (midlines 120 and 180), the hip landmarks 80 px apart about x = 153 and an
    outline 260 px wide at their height (hands against the hips): with ``hip_beside_hands="standing_distance"``
    the hips go 60 px apart about the landmarks' middle (123, 183); with ``"landmarks"`` they stay (113, 193)."""
    n = 11
    pos = positions(
        {**STANDING, "left_hip": (113, 0), "right_hip": (193, 0), "left_ankle": (120, 380), "right_ankle": (180, 380)},
        n=n,
    )
    for name, x in (("left_knee", 120.0), ("right_knee", 180.0)):
        pos.loc[dict(keypoint=name)] = [x, 250.0]
    options = dict(hip_drop=(0.0, 0.0), method="outline", hip_spacing="standing_thighs", hip_cap="none")

    def hips(beside: str):
        out = frontal_leg_centres(
            pos, np.stack([HANDS_AT_HIPS] * n), np.ones(n, dtype=bool), hip_beside_hands=beside, **options
        )
        return out.sel(keypoint=["left_hip", "right_hip"], space_2d="x").values[-1]

    np.testing.assert_allclose(hips("standing_distance"), [123.0, 183.0])
    np.testing.assert_allclose(hips("landmarks"), [113.0, 193.0])
    with pytest.raises(ValueError, match="hip_beside_hands must be"):
        hips("middle")


def test_uncapped_hips_without_enough_standing_frames_take_the_outline_share():
    hips = _thick_squat(SLIM_WIDE, n_standing=9, hip_spacing="standing_thighs", hip_cap="none", hip_width_share=0.5)
    np.testing.assert_allclose(hips[:, 0], [122.5, 177.5])


def test_hip_cap_must_be_known_and_its_default_lets_the_standing_thighs_set_the_hips():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    with pytest.raises(ValueError, match="hip_cap must be"):
        _thick_squat(SLIM_WIDE, hip_spacing="standing_thighs", hip_cap="thigh_width")
    assert fppa_centre_options(KinematicsConfig(), back=np.array([False]))["hip_cap"] == "none"


def test_touching_standing_thighs_are_split_at_their_shared_intervals_middle():
    """Thighs merged down past the knees: their shared interval is split at its middle, the fitted midlines
    x = 122.5 and 177.5 are 55 px apart."""
    hips = _thick_squat(THICK_TOUCHING, hip_spacing="standing_thighs")
    np.testing.assert_allclose(hips[:, 0], [122.5, 177.5])


def test_standing_frames_are_those_with_the_hips_high_above_the_ankles_not_the_longest_thighs():
    """Twelve frames standing (hips 380 px above the ankles, knee landmarks half way), then six at the bottom
    of a squat (hips 260 px above the ankles) whose knee landmarks slid down the shank, so that the thighs'
    landmark lengths are the longest of the clip (as the pose model read realistic renders): the twelve are
    the standing frames, the six are not."""
    standing, squat = 12, 6
    pos = positions({**STANDING, "left_ankle": (120, 380), "right_ankle": (180, 380)}, n=standing + squat)
    for name, x in (("left", 120.0), ("right", 180.0)):
        pos.loc[dict(keypoint=f"{name}_hip")] = np.array([[x, 0.0]] * standing + [[x, 120.0]] * squat)
        pos.loc[dict(keypoint=f"{name}_knee")] = np.array([[x, 190.0]] * standing + [[x, 340.0]] * squat)
    pos.loc[dict(keypoint=["left_shoulder", "right_shoulder"], space_2d="y")] = (
        pos.sel(keypoint=["left_hip", "right_hip"], space_2d="y").values - 300.0
    )
    found = _standing_frames(
        pos.transpose("time", "keypoint", "space_2d").values,
        frontal=np.ones(standing + squat, dtype=bool),
        kp=pos.get_index("keypoint"),
    )
    np.testing.assert_array_equal(found, [True] * standing + [False] * squat)


def test_too_few_standing_frames_fall_back_to_the_outline_share():
    """Nine standing frames (under ten) do not set the hips' distance: half the outline's width it is."""
    hips = _thick_squat(THICK_STANDING, n_standing=9, hip_spacing="standing_thighs", hip_width_share=0.5)
    np.testing.assert_allclose(hips[:, 0], [112.5, 187.5])


# the thick body's thighs (midlines 120 and 180) bridged by the outline from the crotch down to y = 180: one
# interval [100, 200] there, split at its middle 5 px inside each thigh's midline; apart below
THICK_BRIDGED = polygon(
    (75, -50), (225, -50), (225, 100), (200, 100), (200, 400), (160, 400), (160, 180), (140, 180),
    (140, 400), (100, 400), (100, 100), (75, 100),
)  # fmt: skip
# bridged only down to y = 140: the upper one of the nine heights a thigh's midline is fitted at
THICK_BRIDGED_TOP = polygon(
    (75, -50), (225, -50), (225, 100), (200, 100), (200, 400), (160, 400), (160, 140), (140, 140),
    (140, 400), (100, 400), (100, 100), (75, 100),
)  # fmt: skip


def _merged_share(outline: np.ndarray) -> float:
    """The share of the left thigh's nine fitted heights (hip landmark at y 0, knee landmark at y 250) where one
    outline interval holds both thighs."""
    points = _thigh_points(outline, (120.0, 0.0), (120.0, 250.0), 180.0, 180.0)
    return float(points[2].mean())


@pytest.mark.parametrize(
    "outline, share, touching",
    [
        (THICK_STANDING, 0.0, False),
        (THICK_BRIDGED_TOP, 1 / 9, False),
        (THICK_BRIDGED, 4 / 9, True),
        (THICK_TOUCHING, 1.0, True),
    ],
)
def test_touching_thighs_are_told_from_the_share_of_heights_where_their_outlines_merge(outline, share, touching):
    """Heights 137.5-237.5 (0.55-0.95 of the way to the knee): merged at none (apart), at one (a bridge
    above y = 140, not touching), at four (down to y = 180) or at all (touching down past the knees)."""
    assert _merged_share(outline) == pytest.approx(share)
    assert thighs_touch([_merged_share(outline)] * 10) is touching


def test_thighs_touch_takes_the_median_frame_and_needs_a_frame():
    assert thighs_touch([0.0, 0.0, 0.5, 0.6, 0.7]) is True
    assert thighs_touch([0.0, 0.0, 0.0, 0.6, 0.7]) is False
    assert thighs_touch([np.nan, 0.5]) is True
    assert thighs_touch([]) is False


def test_touching_standing_thighs_take_their_slope_from_the_landmarks():
    """Bridged thighs: the split interval's middles sit 5 px inside the midlines at the four upper heights.
    A line fitted through all nine middles tilts and reaches the hips' height 31 px apart; with the thighs
    detected as touching each midline takes the landmarks' (upright) slope through the middles' median, the
    true midlines 120 and 180, 60 px apart."""
    pos = positions(
        {**STANDING, "left_hip": (120, 0), "right_hip": (180, 0), "left_ankle": (120, 380), "right_ankle": (180, 380)},
        n=11,
    )
    for name, x in (("left_knee", 120.0), ("right_knee", 180.0)):
        pos.loc[dict(keypoint=name)] = np.array([[x, 250.0]] * 10 + [[x, 100.0]])
    options = {"hip_drop": (0.0, 0.0), "method": "outline", "hip_spacing": "standing_thighs"}
    out = frontal_leg_centres(pos, np.stack([THICK_BRIDGED] * 11), np.ones(11, dtype=bool), **options)
    np.testing.assert_allclose(out.sel(keypoint=["left_hip", "right_hip"]).values[-1, :, 0], [120.0, 180.0])


# a thick body standing with its thighs merged at every fitted height: thighs 60 px wide whose outlines just
# touch ([90, 150] and [150, 210], midlines 120 and 180) from the crotch (y = 100) down to y = 260, below the
# knee landmarks (y = 250); below it the shanks stand apart, [100, 140] and [160, 200] (the same midlines)
THICK_MERGED = polygon(
    (75, -50), (225, -50), (225, 100), (210, 100), (210, 260), (200, 260), (200, 400), (160, 400),
    (160, 260), (140, 260), (140, 400), (100, 400), (100, 260), (90, 260), (90, 100), (75, 100),
)  # fmt: skip
# the same with the legs merged down to the feet: no height of the shank shows them apart
THICK_MERGED_LEGS = polygon((75, -50), (225, -50), (225, 100), (210, 100), (210, 400), (90, 400), (90, 100), (75, 100))


def _merged_thighs_squat(outline: np.ndarray, *, back: bool = False, **options):
    """Ten standing frames in ``outline`` (hip landmarks 6 px wide of the thighs' midlines at (114, 0) and
    (186, 0), knee landmarks (120, 250) and (180, 250), ankle landmarks (120, 380) and (180, 380)), then the
    bottom of a squat (knee landmarks 100 px below the hips); the hips of the last frame."""
    points = {"left_hip": (114, 0), "right_hip": (186, 0), "left_ankle": (120, 380), "right_ankle": (180, 380)}
    pos = positions({**STANDING, **points}, n=11)
    for name, x in (("left_knee", 120.0), ("right_knee", 180.0)):
        pos.loc[dict(keypoint=name)] = np.array([[x, 250.0]] * 10 + [[x, 100.0]])
    options = {"hip_drop": (0.0, 0.0), "method": "outline", "hip_spacing": "standing_thighs", **options}
    view = np.full(11, back)
    out = frontal_leg_centres(pos, np.stack([outline] * 11), np.ones(11, dtype=bool), back=view, **options)
    return out.sel(keypoint=["left_hip", "right_hip"]).values[-1]


def test_thighs_merged_at_every_height_take_their_line_through_the_shanks_apart_below():
    """Every fitted height (137.5-237.5) holds both thighs in one interval [90, 210], split at 150: middles 120
    and 180. With the landmarks' slope (hip landmarks 6 px wide over the 250 px thigh, 0.024) the midlines
    reach the hips' height 4.5 px wide each, 69 px apart; through the shanks' middles (120 and 180 at
    282.5-353.75, apart) they are upright and meet the hips 60 px apart, the thighs' midlines."""
    np.testing.assert_allclose(_merged_thighs_squat(THICK_MERGED, hip_merged_thighs="through_shank")[:, 0], [120, 180])
    landmarks = _merged_thighs_squat(THICK_MERGED, hip_merged_thighs="landmark_slope")
    np.testing.assert_allclose(landmarks[:, 0], [115.5, 184.5])


def test_merged_thighs_keep_the_landmarks_slope_from_behind_as_front_and_where_no_shank_stands_apart():
    """From behind with ``hip_thighs_back="as_front"`` and where the legs merge down to the feet (no shank
    middle apart: no line) the midlines keep the landmarks' slope: 69 px apart."""
    behind = _merged_thighs_squat(
        THICK_MERGED, back=True, hip_merged_thighs="through_shank", hip_thighs_back="as_front"
    )
    np.testing.assert_allclose(behind[:, 0], [115.5, 184.5])
    merged = _merged_thighs_squat(THICK_MERGED_LEGS, hip_merged_thighs="through_shank")
    np.testing.assert_allclose(merged[:, 0], [115.5, 184.5])


@pytest.mark.parametrize("outline", [THICK_MERGED, THICK_BRIDGED])
def test_back_view_thighs_take_their_line_through_the_shanks_whether_or_not_they_merge_throughout(outline):
    """From behind with ``hip_thighs_back="through_shank"`` each standing thigh's midline runs through its
    middles' median and the shanks' middles apart below (120 and 180), for thighs merged at every fitted height
    and for thighs bridged at four of nine (the front view's rule: the landmarks' slope, 69 px apart, or
    the bridged middles' own tilted line): the hips 60 px apart, the thighs' midlines."""
    behind = _merged_thighs_squat(outline, back=True, hip_thighs_back="through_shank")
    np.testing.assert_allclose(behind[:, 0], [120.0, 180.0])
    front = _merged_thighs_squat(outline, back=False, hip_thighs_back="through_shank")
    assert abs(front[1, 0] - front[0, 0] - 60.0) > 1.0


def test_thighs_merged_throughout_needs_every_height_merged_in_the_median_frame():
    assert thighs_merged_throughout([1.0, 1.0, 8 / 9]) is True
    assert thighs_merged_throughout([1.0, 8 / 9, 8 / 9]) is False
    assert thighs_merged_throughout([np.nan, 1.0]) is True
    assert thighs_merged_throughout([]) is False


def test_merged_thighs_option_must_be_known():
    with pytest.raises(ValueError, match="hip_merged_thighs must be"):
        _merged_thighs_squat(THICK_MERGED, hip_merged_thighs="outline")


def test_hip_spacing_must_be_a_known_method():
    with pytest.raises(ValueError, match="hip_spacing must be"):
        _thick_squat(THICK_STANDING, hip_spacing="pelvis")


# THICK_STANDING with a hand hanging against the left thigh's outer side from y = 130 to 160 (x 85-100): the
# thigh's interval there is [85, 140], 1.38 times its width of 40 elsewhere, and its middle 7.5 px outward
THICK_WITH_HAND = polygon(
    (75, -50), (225, -50), (225, 100), (200, 100), (200, 400), (160, 400), (160, 100), (140, 100),
    (140, 400), (100, 400), (100, 160), (85, 160), (85, 130), (100, 130), (100, 100), (75, 100),
)  # fmt: skip


def test_a_thigh_height_whose_interval_a_hanging_hand_widens_is_left_out_of_the_midline():
    """Heights 137.5-237.5: the hand widens the interval at 137.5 and 150 (middle 112.5 instead of 120); those
    two are NaN, the seven below keep the thigh's middle 120, so the fitted midline stays vertical at x 120."""
    ys, xs, merged = _thigh_points(THICK_WITH_HAND, (120.0, 0.0), (120.0, 250.0), 180.0, 180.0)
    assert np.isnan(xs[:2]).all()
    np.testing.assert_allclose(xs[2:], 120.0)
    assert not merged.any()


def test_a_thigh_of_even_width_keeps_every_height():
    ys, xs, _ = _thigh_points(THICK_STANDING, (120.0, 0.0), (120.0, 250.0), 180.0, 180.0)
    np.testing.assert_allclose(xs, 120.0)


@pytest.mark.parametrize("merged, tilted", [("split", True), ("alone", False)])
def test_shank_midline_fitted_where_the_leg_stands_alone_is_not_tilted_by_a_bridged_top(merged, tilted):
    """THICK_BRIDGED: the legs (midlines 120 and 180) share one interval [100, 200] down to y = 180. Knee landmark
    at y 100, ankle at 300: of the seven heights 150-260, 150 and 168.3 are merged (split middle 125), the five
    below hold the left leg alone (middle 120). ``"alone"`` fits those five: x = 120 at every height."""
    slope, intercept = _shank_midline(
        THICK_BRIDGED, (120.0, 100.0), (120.0, 300.0), 180.0, 180.0, split="middle", merged=merged
    )
    at_knee, at_ankle = slope * 100.0 + intercept, slope * 300.0 + intercept
    if tilted:
        assert at_knee > 121.0 and at_ankle < 120.0
    else:
        assert at_knee == pytest.approx(120.0) and at_ankle == pytest.approx(120.0)


def test_shank_merged_must_be_known():
    with pytest.raises(ValueError, match="shank_merged must be 'split' or 'alone'"):
        frontal_leg_centres(
            positions({}), None, np.ones(1, dtype=bool), hip_drop=(0.0, 0.0), method="outline", shank_merged="middle"
        )


@pytest.mark.parametrize("back, ankle_x", [(False, 120.0), (True, None)])
def test_shank_merged_alone_acts_in_front_views_only(back, ankle_x):
    """THICK_BRIDGED, knees at y 100 and ankles at y 300 on the legs' midlines 120 and 180: a front view fits the
    left shank where it stands alone (ankle on x = 120); a back view keeps every height, whose bridged top
    tilts the line and puts the ankle inward of 120."""
    pos = positions(
        {
            "left_hip": (120.0, 0.0),
            "right_hip": (180.0, 0.0),
            "left_knee": (120.0, 100.0),
            "right_knee": (180.0, 100.0),
            "left_ankle": (120.0, 300.0),
            "right_ankle": (180.0, 300.0),
        }
    )
    centres = frontal_leg_centres(
        pos,
        THICK_BRIDGED[None],
        np.ones(1, dtype=bool),
        hip_drop=(0.0, 0.0),
        method="outline",
        back=np.full(1, back),
        shank_merged="alone",
    )
    x = float(centres.sel(keypoint="left_ankle").values[0, 0])
    if ankle_x is None:
        assert x < 119.0
    else:
        assert x == pytest.approx(ankle_x)


@pytest.mark.parametrize("outline", [THICK_MERGED, THICK_BRIDGED])
def test_front_view_thighs_take_their_line_through_the_shanks_with_hip_thighs_front(outline):
    """From the front with ``hip_thighs_front="through_shank"`` every standing thigh's midline runs through its
    middles' median and the shanks' middles apart below (120 and 180), as from behind: the hips 60 px apart,
    for thighs merged at every fitted height and for thighs bridged at four of nine."""
    front = _merged_thighs_squat(outline, hip_thighs_front="through_shank", hip_merged_thighs="landmark_slope")
    np.testing.assert_allclose(front[:, 0], [120.0, 180.0])


# the thick body standing apart (THICK_STANDING) with a hand hanging beside the left thigh: the left thigh's
# outer edge runs from x = 100 at y = 250 out to x = 90 at y = 130 (the middles of its fitted heights tilt)
THICK_HAND = polygon(
    (75, -50), (225, -50), (225, 100), (200, 100), (200, 400), (160, 400), (160, 100),
    (140, 100), (140, 400), (100, 400), (100, 250), (90, 130), (90, 100), (75, 100),
)  # fmt: skip


def test_a_hand_beside_a_standing_thigh_tilts_its_own_line_more_than_the_line_through_the_shank():
    """The hand moves the left thigh's middles from 119.6 (y = 237.5) out to 115.3 (y = 137.5): their own
    line (``"by_touch"``, the thighs apart) reaches the hips' height (y = 0) at 109.6, 70.4 px from the right
    thigh's 180. Through the middles' median (117.4 at y = 187.5) and the shank's (120 at y = 318.1) the line
    reaches it at 113.7: 66.3 px apart. The hips are centred on the outline's middle, 150."""
    own = _merged_thighs_squat(THICK_HAND, hip_thighs_front="by_touch")
    shank = _merged_thighs_squat(THICK_HAND, hip_thighs_front="through_shank")
    np.testing.assert_allclose(own[1, 0] - own[0, 0], 70.4, atol=0.1)
    np.testing.assert_allclose(shank[1, 0] - shank[0, 0], 66.3, atol=0.1)
    np.testing.assert_allclose(0.5 * (shank[0, 0] + shank[1, 0]), 150.0)


def test_front_view_thigh_option_must_be_known_and_its_default_reaches_the_joint_centres():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    with pytest.raises(ValueError, match="hip_thighs_front must be"):
        _merged_thighs_squat(THICK_MERGED, hip_thighs_front="outline")
    assert fppa_centre_options(KinematicsConfig(), back=np.array([False]))["hip_thighs_front"] == "through_shank"


def _leaning_shank(knee=(150.0, 100.0), ankle=(250.0, 400.0), radii=(20.0, 8.0)) -> np.ndarray:
    """A shank's outline: a trapezoid about the axis ``knee`` → ``ankle`` (leaning 18.4° from upright, as in a
    wide stance), ``radii[0]`` px either side of it square to the axis at the knee, ``radii[1]`` at the ankle."""
    k, a = np.asarray(knee), np.asarray(ankle)
    u = (a - k) / np.linalg.norm(a - k)
    n = np.array([u[1], -u[0]])
    return np.array([k + radii[0] * n, a + radii[1] * n, a - radii[1] * n, k - radii[0] * n])


def test_a_tapering_leaning_shanks_axis_is_the_bisector_of_its_edges_not_the_rows_middles():
    """The axis x = 150 + (y − 100) / 3. Its two edges lean at different slopes (the shank tapers): the bisector
    of the lines fitted to them is the axis; the middles of the horizontal rows lie 0.27 px towards the knee's
    side of the lean at the knee's height (towards smaller x) and 0.11 px at the ankle's."""
    outline = _leaning_shank()
    bisector = _shank_midline(outline, (150, 100), (250, 400), 400.0, 400.0, split="middle", axis="edge_bisector")
    np.testing.assert_allclose(bisector, (1 / 3, 350 / 3))
    slope, intercept = _shank_midline(outline, (150, 100), (250, 400), 400.0, 400.0, split="middle")
    np.testing.assert_allclose([slope * 100 + intercept, slope * 400 + intercept], [149.733, 249.893], atol=1e-3)


def test_knee_and_ankle_go_onto_the_bisector_of_the_shanks_edges_with_shank_axis():
    """The leaning shank's knee and ankle landmarks 10 px off its axis go onto it at their heights."""
    pos = positions({**STANDING, "left_knee": (160, 100), "left_ankle": (240, 400), "right_knee": (400, 100)})
    pos.loc[dict(keypoint="right_ankle")] = [[400.0, 400.0]]
    options = {"hip_drop": (0.0, 0.0), "method": "outline", "shank_axis": "edge_bisector"}
    out = frontal_leg_centres(pos, _leaning_shank()[None], np.array([True]), **options)
    np.testing.assert_allclose(out.sel(keypoint="left_knee").values[0], [150.0, 100.0])
    np.testing.assert_allclose(out.sel(keypoint="left_ankle").values[0], [250.0, 400.0])


def test_shank_axis_option_must_be_known_and_its_default_reaches_the_joint_centres():
    from movelab.kinematics import KinematicsConfig
    from movelab.kinematics.angles import fppa_centre_options

    with pytest.raises(ValueError, match="shank_axis must be"):
        _squat_leg(SQUAT_LEG, shank_axis="middles")
    assert fppa_centre_options(KinematicsConfig(), back=np.array([False]))["shank_axis"] == "edge_bisector"


# ------------------------------------------------------------------ the other leg's landmarks missing

_ONE_ANKLE_MISSING = {"left_hip": (120, 0), "right_hip": (180, 0), "left_knee": (125, 200), "right_knee": (175, 200)}


def _left_leg_with_the_right_ankle_missing(**options):
    """The legs merged from the knees down to the feet ([112, 188]), the right ankle's landmark missing; the left
    knee and ankle as placed."""
    pos = positions({**STANDING, **_ONE_ANKLE_MISSING, "left_ankle": (125, 380)})
    options = {"hip_drop": (0.0, 0.0), "method": "outline", **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = frontal_leg_centres(pos, MERGED_TO_FEET[None], np.array([True]), **options)
    return out.sel(keypoint=["left_knee", "left_ankle"]).values[0]


def test_a_leg_beside_a_missing_ankle_is_split_from_it_at_its_knee():
    """Without the right ankle the merged interval below the knees cannot be split by the two legs' places, and
    taken whole it put the left leg in the middle of both (x 150). ``"nearest_joint"`` marks the right leg by its
    knee: the interval is split at its middle and the left shank's midline runs at 131 (the middle of
    [112, 150]); ``"not_measured"`` leaves the left knee and ankle NaN."""
    whole = _left_leg_with_the_right_ankle_missing(other_leg_missing="whole_interval")
    np.testing.assert_allclose(whole[:, 0], [150.0, 150.0])
    nearest = _left_leg_with_the_right_ankle_missing(other_leg_missing="nearest_joint")
    np.testing.assert_allclose(nearest[:, 0], [131.0, 131.0])
    assert np.isnan(_left_leg_with_the_right_ankle_missing(other_leg_missing="not_measured")).all()


def test_a_leg_without_the_other_legs_knee_or_ankle_is_not_measured_with_a_warning():
    pos = positions({**STANDING, **_ONE_ANKLE_MISSING, "left_ankle": (125, 380)})
    options = {"hip_drop": (0.0, 0.0), "method": "outline", "other_leg_missing": "not_measured"}
    with pytest.warns(UserWarning, match="knee FPPA not measured in 1 leg-frames: the other leg's knee or ankle"):
        out = frontal_leg_centres(pos, MERGED_TO_FEET[None], np.array([True]), **options)
    assert np.isnan(out.sel(keypoint=["left_knee", "left_ankle"]).values).all()
    assert np.isfinite(out.sel(keypoint="right_knee").values).all()  # its own ankle is the one missing


def test_the_other_legs_missing_joint_defaults_to_its_nearest_landmark():
    from movelab.kinematics import KinematicsConfig

    assert KinematicsConfig().fppa_other_leg_missing == "nearest_joint"
    with pytest.raises(ValueError):
        frontal_leg_centres(
            positions({**STANDING, **_ONE_ANKLE_MISSING}),
            MERGED_TO_FEET[None],
            np.array([True]),
            hip_drop=(0.0, 0.0),
            method="outline",
            other_leg_missing="guess",
        )


# legs merged from the pelvis down to a crotch notch at y = 330 (one interval), apart below it down to the feet at
# y = 400: the left leg's outer edge x = 100 - (y - 100) / 30, its inner edge below the notch from (150, 330) to
# (130, 400); the right leg mirrored about x = 150
NOTCHED_LOW = polygon(
    (100, 0), (200, 0), (200, 100), (210, 400), (170, 400), (150, 330), (130, 400), (90, 400), (100, 100),
)  # fmt: skip


def test_shank_midline_adds_the_heights_down_to_the_ankle_where_too_few_hold_the_shank_alone():
    """Knee landmark at y = 200, ankle landmark at 380 (as a realistic render's high ankle landmark sits): of the
    seven heights at 25-80 % only the lowest (344) lies below the notch. ``"alone"`` then fits every height, the
    merged ones split at the middle (x = 150), and the midline leans; ``"alone_to_ankle"`` adds the heights at
    85-100 % that hold the shank alone and fits those five: the bisector of the two edges below the notch."""
    args = (NOTCHED_LOW, (115.0, 200.0), (110.0, 380.0), 185.0, 190.0)
    options = dict(split="middle", axis="edge_bisector")
    to_ankle = _shank_midline(*args, merged="alone_to_ankle", **options)
    outer, inner = (-1.0 / 30.0, 100.0 + 100.0 / 30.0), (-2.0 / 7.0, 150.0 + 330.0 * 2.0 / 7.0)
    np.testing.assert_allclose(to_ankle, _edge_bisector(outer, inner), atol=1e-6)
    alone = _shank_midline(*args, merged="alone", **options)
    at_ankle = lambda line: line[0] * 380.0 + line[1]  # noqa: E731
    assert abs(at_ankle(alone) - at_ankle(to_ankle)) > 2.0
    # where three heights of the band hold the shank alone, nothing is added
    band_alone = _shank_midline(NOTCHED_LOW, (115.0, 290.0), (110.0, 380.0), 185.0, 190.0, merged="alone", **options)
    np.testing.assert_allclose(
        _shank_midline(NOTCHED_LOW, (115.0, 290.0), (110.0, 380.0), 185.0, 190.0, merged="alone_to_ankle", **options),
        band_alone,
    )
