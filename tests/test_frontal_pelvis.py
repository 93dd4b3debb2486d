"""Pelvic obliquity in front and back views (movelab.kinematics.frontal_pelvis) and pelvic drop in lunges,
fast tier: stick-figure landmarks (exact frontal angles) with the arms drawn hanging or with the hands on the
hips, and the renderer's hands-on-hips lunge by forward kinematics (no pose model)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_findings_helpers import make_segmentation

from movelab.errors import ConfigError
from movelab.findings import detect_findings
from movelab.kinematics import KinematicsConfig, compute_motion
from movelab.kinematics.frontal_pelvis import hands_obliquity_deg, hands_on_hips, hip_obliquity_deg, pelvic_obliquity
from movelab.kinematics.stickfigure import stick_figure
from movelab.landmarks import KEYPOINTS

FPS = 30.0
DURATION_S = 4.0
# one lunge; the client stands 1.2 s before it and 0.8 s after it
REPS = [{"index": 0, "start_s": 1.2, "bottom_s": 2.2, "end_s": 3.2, "lead_leg": "left"}]
#: The measured back-view gain of the hands' line off: the stick figure's wrists show the drop exactly.
EXACT = KinematicsConfig(hands_obliquity_gain_back=1.0)


def time_s() -> np.ndarray:
    return np.arange(int(round(DURATION_S * FPS))) / FPS


def depth_profile(t: np.ndarray) -> np.ndarray:
    """0 standing, rising to 1 at the rep's bottom and back (a half sine over the rep)."""
    rep = REPS[0]
    inside = (t >= rep["start_s"]) & (t <= rep["end_s"])
    out = np.zeros_like(t)
    out[inside] = np.sin(np.pi * (t[inside] - rep["start_s"]) / (rep["end_s"] - rep["start_s"]))
    return out


def figure(view: str = "front", *, hip_drop_deg: float = 0.0):
    """A stick figure in a front or back view whose hip landmarks tilt by ``hip_drop_deg`` at the rep's bottom
    (left side higher positive: the right side dropping), arms hanging."""
    t = time_s()
    return stick_figure(t, view=view, pose={"pelvic_obliquity": hip_drop_deg * depth_profile(t)})


def px_of(ds, name: str) -> np.ndarray:
    return ds["position_px"].values[:, KEYPOINTS.index(name)]


def put_hands_on_hips(ds, *, drop_deg: float = 0.0):
    """``ds`` with the hands on the hips: each wrist 1.5 half hip-widths out from the hip midpoint and 0.25
    torso lengths above it, the wrists' line tilted by ``drop_deg`` at the rep's bottom (left side higher
    positive) as hands resting on a dropping pelvis would; each elbow 0.3 torso lengths further out and 0.25
    higher (a shoulder-elbow-wrist angle of about 90°)."""
    out = ds.copy(deep=True)
    px = out["position_px"].values
    left, right = px_of(ds, "left_hip"), px_of(ds, "right_hip")
    mid = (left + right) / 2
    half = np.abs(left[:, 0] - right[:, 0])[:, None] / 2
    lateral = np.sign(left[:, 0] - right[:, 0])[:, None]  # image x of the client's left
    torso = np.linalg.norm((px_of(ds, "left_shoulder") + px_of(ds, "right_shoulder")) / 2 - mid, axis=1)[:, None]
    theta = np.radians(drop_deg) * depth_profile(ds["time"].values)[:, None]
    for side, s in (("left", 1.0), ("right", -1.0)):
        across, up = s * 1.5 * half * np.cos(theta), s * 1.5 * half * np.sin(theta) + 0.25 * torso
        wrist = np.column_stack([mid[:, 0:1] + lateral * across, mid[:, 1:2] - up])
        elbow = wrist + np.column_stack([lateral * s * 0.3 * torso, -0.25 * torso])
        px[:, KEYPOINTS.index(f"{side}_wrist")] = wrist
        px[:, KEYPOINTS.index(f"{side}_elbow")] = elbow
    out["position_px"].values[:] = px
    return out


def lunge_findings(ds, view: str, *, config: KinematicsConfig = EXACT):
    motion = compute_motion(ds, views=view, config=config)
    found = detect_findings(motion, make_segmentation("lunge", reps=REPS))
    return motion, [f for f in found if f.code == "pelvic_drop"]


# ----------------------------------------------------------------------------- the measures


@pytest.mark.parametrize("view", ["front", "back"])
def test_hands_on_hips_accepts_bent_arms_at_the_hips_and_not_hanging_arms(view):
    ds = figure(view)
    hanging = ds["position_px"]
    on_hips = put_hands_on_hips(ds)["position_px"]
    assert not hands_on_hips(hanging).any()
    assert hands_on_hips(on_hips).all()
    assert not hands_on_hips(on_hips, config=KinematicsConfig(hands_on_hips_max_elbow_deg=80.0)).any()


def test_arms_passing_through_a_hands_on_hips_pose_for_a_moment_do_not_count():
    """Arms reaching forward in a squat, seen from behind, pass the tests for a frame or two: only a pose held
    for ``hands_on_hips_min_s`` (0.5 s) counts."""
    hanging, on_hips = figure("back"), put_hands_on_hips(figure("back"))
    blip = hanging.copy(deep=True)
    frames = np.arange(60, 66)  # 0.17 s
    for name in ("left_elbow", "right_elbow", "left_wrist", "right_wrist"):
        k = KEYPOINTS.index(name)
        blip["position_px"].values[frames, k] = on_hips["position_px"].values[frames, k]
    assert hands_on_hips(blip["position_px"], config=KinematicsConfig(hands_on_hips_min_s=0.0))[frames].all()
    assert not hands_on_hips(blip["position_px"]).any()


@pytest.mark.parametrize("view, sign", [("front", 1.0), ("back", -1.0)])
@pytest.mark.parametrize("drop_deg", [-10.0, 0.0, 7.0])
def test_the_wrists_line_gives_the_obliquity_when_the_hands_are_on_the_hips(view, sign, drop_deg):
    ds = put_hands_on_hips(figure(view), drop_deg=drop_deg)  # the hip landmarks stay level
    result = pelvic_obliquity(ds["position_px"], np.full(ds.sizes["time"], sign), config=EXACT)
    assert (result.source == "hands").all()
    expected = drop_deg * depth_profile(ds["time"].values)
    np.testing.assert_allclose(result.value_deg, expected, atol=1e-6)


def shrunk_hands_on_hips(view: str, drop_deg: float):
    """:func:`put_hands_on_hips` with the wrists' height difference divided by 1.12 (as the pose model reads
    hands on a dropping pelvis from behind)."""
    ds = put_hands_on_hips(figure(view), drop_deg=drop_deg)
    px = ds["position_px"].values
    left, right = KEYPOINTS.index("left_wrist"), KEYPOINTS.index("right_wrist")
    mid_y = (px[:, left, 1] + px[:, right, 1]) / 2
    for k in (left, right):
        px[:, k, 1] = mid_y + (px[:, k, 1] - mid_y) / 1.12
    return ds


def shrunk_wrists(view: str, drop_deg: float):
    """The arms of :func:`shrunk_hands_on_hips`."""
    return shrunk_hands_on_hips(view, drop_deg)["position_px"]


@pytest.mark.parametrize("drop_deg", [-10.0, 0.0, 7.0])
def test_from_behind_the_wrists_height_difference_is_scaled_by_the_back_gain(drop_deg):
    """Wrists whose height difference reads 1/1.12 of a drop give the drop from behind with the default gain;
    the same wrists in a front view read as they are; a level line stays level."""
    expected = drop_deg * depth_profile(time_s())
    n = len(expected)
    gain = KinematicsConfig().hands_obliquity_gain_back
    back = hands_obliquity_deg(shrunk_wrists("back", drop_deg), np.full(n, -1.0), back_gain=gain)
    np.testing.assert_allclose(back, expected, atol=1e-6)
    front = hands_obliquity_deg(shrunk_wrists("front", drop_deg), np.full(n, 1.0), back_gain=gain)
    np.testing.assert_allclose(front, np.degrees(np.arctan(np.tan(np.radians(expected)) / 1.12)), atol=1e-6)


def test_with_hanging_arms_the_hips_line_is_used():
    ds = figure("front", hip_drop_deg=8.0)
    result = pelvic_obliquity(ds["position_px"], np.ones(ds.sizes["time"]))
    assert (result.source == "hips").all()
    np.testing.assert_allclose(result.value_deg, 8.0 * depth_profile(ds["time"].values), atol=1e-6)


def test_outside_front_and_back_views_nothing_is_measured():
    ds = put_hands_on_hips(figure("front"))
    result = pelvic_obliquity(ds["position_px"], np.full(ds.sizes["time"], np.nan))
    assert np.isnan(result.value_deg).all() and (result.source == "").all()


def test_hip_obliquity_is_nan_where_the_pose_model_draws_the_hips_together():
    """As at the bottom of a shaky back-view lunge: in three frames the hips come to 40 % of their distance
    and one sits 5 px high, which would read 12° on a level pelvis (the hips are 60 px apart)."""
    ds = figure("back")
    px = ds["position_px"].values
    left, right = KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")
    frames = [60, 61, 62]
    mid = (px[frames, left, 0] + px[frames, right, 0]) / 2
    for k in (left, right):
        px[frames, k, 0] = mid + 0.4 * (px[frames, k, 0] - mid)
    px[frames, left, 1] -= 5.0
    side = np.full(ds.sizes["time"], -1.0)
    gated = hip_obliquity_deg(ds["position_px"], side, min_width_share=0.75)
    ungated = hip_obliquity_deg(ds["position_px"], side, min_width_share=0.0)
    assert np.isnan(gated[frames]).all()
    assert np.nanmin(np.abs(ungated[frames])) > 10  # the control: without the gate they read a tilt
    others = np.setdiff1d(np.arange(ds.sizes["time"]), frames)
    np.testing.assert_allclose(gated[others], 0.0, atol=1e-6)


def test_hidden_wrists_from_behind_still_show_the_hands_on_the_hips():
    """From behind the pose model judges a hand on the hip hidden (low visibility) while placing it well: the
    arms are read from positions gated on presence, so the wrists' line is still used."""
    ds = put_hands_on_hips(figure("back"), drop_deg=10.0)
    for name in ("left_wrist", "right_wrist"):
        ds["visibility"].values[:, KEYPOINTS.index(name)] = 0.1
    motion = compute_motion(ds, views="back", config=EXACT)
    assert np.isnan(motion.positions.cleaned.sel(keypoint="left_wrist").values).all()  # gated in the cleaned
    source = motion.pelvic_obliquity_source
    assert (source == "hands").mean() > 0.9
    bottom = np.abs(motion.time_s - REPS[0]["bottom_s"]) < 0.02
    assert motion.angles["pelvic_obliquity"].to_numpy()[bottom] == pytest.approx(10.0, abs=0.3)


# ----------------------------------------------------------------------------- pelvic drop in lunges


@pytest.mark.parametrize("view", ["front", "back"])
@pytest.mark.parametrize("drop_deg, side", [(10.0, "right"), (-10.0, "left")])
def test_a_lunge_with_the_hands_on_the_hips_raises_pelvic_drop_at_its_size(view, drop_deg, side):
    """The hip landmarks stay level (as the pose model's nearly do); the hands show the 10° drop."""
    motion, found = lunge_findings(put_hands_on_hips(figure(view), drop_deg=drop_deg), view)
    (drop,) = [f for f in found if f.severity != "info"]
    assert drop.side == side
    assert drop.value == pytest.approx(10.0, abs=0.5)
    assert "wrists" in drop.reference


@pytest.mark.parametrize(
    "view, expected", [("back", 10.0), ("front", math.degrees(math.atan(math.tan(math.radians(10.0)) / 1.12)))]
)
def test_a_back_view_lunge_whose_wrists_read_the_drop_short_is_raised_at_its_true_size(view, expected):
    """Wrists showing 1/1.12 of a 10° drop, as the pose model's did from behind on the design lunges: with the
    default back-view gain the finding reads 10°; the same wrists in a front view read atan(tan 10° / 1.12)."""
    _, found = lunge_findings(shrunk_hands_on_hips(view, 10.0), view, config=KinematicsConfig())
    (drop,) = [f for f in found if f.severity != "info"]
    assert drop.side == "right"
    assert drop.value == pytest.approx(expected, abs=0.3)


@pytest.mark.parametrize("view", ["front", "back"])
def test_a_level_lunge_with_the_hands_on_the_hips_raises_nothing(view):
    _, found = lunge_findings(put_hands_on_hips(figure(view, hip_drop_deg=7.0)), view)  # hips read 7°
    assert [f for f in found if f.severity != "info"] == []


def test_a_lunge_with_hanging_arms_gets_a_note_not_an_under_read_drop():
    _, found = lunge_findings(figure("front", hip_drop_deg=10.0), "front")
    (note,) = found
    assert note.severity == "info" and note.value is None
    assert "hands on the hips" in note.message


def test_a_squat_with_hanging_arms_is_still_judged_on_the_hips():
    motion = compute_motion(figure("front", hip_drop_deg=9.0), views="front")
    found = detect_findings(motion, make_segmentation("squat", reps=REPS))
    (drop,) = [f for f in found if f.code == "pelvic_drop" and f.severity != "info"]
    assert drop.side == "right" and drop.value == pytest.approx(9.0, abs=0.5)
    assert "hip landmarks" in drop.reference


# ----------------------------------------------------------------------------- the renderer's arm pose


def test_the_rendered_hands_on_hips_follow_the_dropping_pelvis():
    from movelab.synth import BodyProportions, Lunge
    from movelab.synth.skeleton import forward_kinematics

    body = BodyProportions()
    lunge = Lunge(lead_side="left", pelvic_drop_deg=10.0, arms="hips", reps=1)
    bottom = next(e for e in lunge.events(body) if e.event == "rep_bottom").time_s
    points = forward_kinematics(lunge.sample(bottom, body).pose, body).points

    def frontal_angle(left: str, right: str) -> float:  # in the figure's frontal plane (world z left-right)
        v = points[left] - points[right]
        return math.degrees(math.atan2(v[1], -v[2]))

    assert frontal_angle("left_hip", "right_hip") == pytest.approx(10.0, abs=0.01)
    assert frontal_angle("left_wrist", "right_wrist") == pytest.approx(10.0, abs=0.01)
    elbow_out = abs(points["left_elbow"][2] - points["hip_mid"][2]) > abs(
        points["left_wrist"][2] - points["hip_mid"][2]
    )
    assert elbow_out


def test_lunge_arms_must_be_hanging_or_hips():
    from movelab.synth import Lunge

    with pytest.raises(ConfigError, match="arms must be 'hanging' or 'hips'"):
        Lunge(arms="folded")
