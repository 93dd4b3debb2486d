"""View and facing detection on synthetic stick figures turned to known yaws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from movelab.errors import ConfigError
from movelab.kinematics import (
    UNKNOWN,
    KinematicsConfig,
    classify_views,
    detect_views,
    estimate_yaw,
    facing_sign,
    frontal_sign,
    views_per_frame,
)
from movelab.kinematics.stickfigure import stick_figure

FPS = 30.0


def turning(yaw_knots: list[tuple[float, float]], duration_s: float, **kwargs):
    """A standing figure whose yaw follows straight lines between ``(time_s, yaw_deg)`` knots."""
    t = np.arange(int(round(duration_s * FPS))) / FPS
    knots_t, knots_yaw = zip(*yaw_knots)
    return stick_figure(t, view=np.interp(t, knots_t, knots_yaw), **kwargs)


@pytest.fixture
def walk_turn_walk():
    """Facing image right for 2 s, turns to face the camera over 1 s, stays 2 s, turns on to face image
    left over 1 s, stays 2 s (8 s)."""
    return turning([(0, 90), (2, 90), (3, 0), (5, 0), (6, -90), (8, -90)], 8.0)


@pytest.mark.parametrize("world", [True, False], ids=["world+picture", "picture-only"])
@pytest.mark.parametrize("view", ["side_right", "side_left", "front", "back", "oblique"])
def test_each_view_is_recognised(view, world):
    ds = stick_figure(np.arange(30) / FPS, view=view, world=world)
    table = detect_views(ds)
    assert table["view"].tolist() == [view]
    assert (table["start_s"].iloc[0], table["end_s"].iloc[0]) == (0.0, ds["time"].values[-1])
    assert (table["start_frame"].iloc[0], table["end_frame"].iloc[0]) == (0, 29)


@pytest.mark.parametrize("yaw", [-150.0, -90.0, -45.0, 0.0, 20.0, 60.0, 90.0, 135.0, 180.0])
def test_world_yaw_estimate(yaw):
    """With world landmarks the yaw is read within a few degrees (the picture cue assumes a shoulder
    width of 0.8 torso; the figure's is 0.76)."""
    est = estimate_yaw(stick_figure(np.arange(3) / FPS, view=yaw)).values
    assert np.all(np.abs((est - yaw + 180) % 360 - 180) < 10)


@pytest.mark.parametrize(
    "hidden, cue",
    [
        (("nose", "left_ear", "right_ear"), "feet"),
        (("left_heel", "right_heel", "left_foot_index", "right_foot_index"), "head"),
    ],
)
@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_facing_from_either_cue_alone(view, hidden, cue):
    """Profile without world landmarks, with the head or the feet out of the picture."""
    ds = stick_figure(np.arange(30) / FPS, view=view, world=False)
    ds["presence"].loc[{"keypoint": list(hidden)}] = 0.0
    assert detect_views(ds)["view"].tolist() == [view], cue


def test_facing_unknown_without_cues_gives_unknown_not_a_guess():
    """Profile with neither head nor feet nor world landmarks: the facing direction is unknown."""
    ds = stick_figure(np.arange(30) / FPS, view="side_right", world=False)
    hidden = ["nose", "left_ear", "right_ear", "left_heel", "right_heel", "left_foot_index", "right_foot_index"]
    ds["presence"].loc[{"keypoint": hidden}] = 0.0
    assert (classify_views(ds).values == UNKNOWN).all()
    assert detect_views(ds).empty


def test_stretches_follow_a_turn(walk_turn_walk):
    table = detect_views(walk_turn_walk)
    assert table["view"].tolist() == ["side_right", "front", "side_left"]
    # Boundaries where the yaw crosses the middle of the oblique band (45°): t = 2.5 s and 5.5 s.
    np.testing.assert_allclose(table["end_s"].iloc[:2], [2.5, 5.5], atol=0.1)
    assert table["start_s"].iloc[0] == 0.0 and table["end_s"].iloc[-1] == walk_turn_walk["time"].values[-1]
    assert (table["start_frame"].iloc[1:].to_numpy() == table["end_frame"].iloc[:-1].to_numpy() + 1).all()


def test_slow_turn_has_an_oblique_stretch():
    """Turning from profile to the camera over 3 s: about 1 s is spent in the oblique band."""
    table = detect_views(turning([(0, 90), (1, 90), (4, 0), (5, 0)], 5.0))
    assert table["view"].tolist() == ["side_right", "oblique", "front"]
    np.testing.assert_allclose(table["start_s"].iloc[1:], [2.0, 3.0], atol=0.1)


def test_short_flicker_is_merged():
    """A profile walk with a 0.2 s glance towards the camera (yaw 45°)."""
    t = np.arange(90) / FPS
    yaw = np.where((t >= 1.4) & (t < 1.6), 45.0, 90.0)
    assert detect_views(stick_figure(t, view=yaw))["view"].tolist() == ["side_right"]


def test_long_absence_is_no_stretch_short_absence_is_bridged():
    """Profile for 3 s; the client is missing 0.2 s (frames 20–25) and later 1 s (frames 40–69)."""
    ds = stick_figure(np.arange(90) / FPS, view="side_right")
    for frames in (slice(20, 26), slice(40, 70)):
        ds["presence"][frames] = 0.0
        ds["detected"][frames] = False
    assert (classify_views(ds).values[40:70] == UNKNOWN).all()
    table = detect_views(ds)
    assert table["view"].tolist() == ["side_right", "side_right"]
    assert table["start_frame"].tolist() == [0, 70] and table["end_frame"].tolist() == [39, 89]


def test_min_view_duration_is_configurable(walk_turn_walk):
    """Each half turn spends 1/3 s in the oblique band: kept with a 0.2 s minimum, shared out between
    the neighbouring views with the default 0.5 s."""
    short = detect_views(walk_turn_walk, config=KinematicsConfig(min_view_s=0.2))
    assert short["view"].tolist() == ["side_right", "oblique", "front", "oblique", "side_left"]
    np.testing.assert_allclose(short["start_s"].iloc[1:3], [2.33, 2.67], atol=0.05)
    assert len(detect_views(walk_turn_walk)) == 3


def test_views_per_frame_and_signs(walk_turn_walk):
    per_frame = views_per_frame(walk_turn_walk, detect_views(walk_turn_walk))
    assert per_frame.dims == ("time",) and per_frame.sizes["time"] == walk_turn_walk.sizes["time"]
    facing, side = facing_sign(per_frame), frontal_sign(per_frame)
    assert facing[0] == 1 and facing[-1] == -1 and np.isnan(facing[120])
    assert side[120] == 1 and np.isnan(side[0])
    everywhere = views_per_frame(walk_turn_walk, "back")
    assert (frontal_sign(everywhere) == -1).all()
    gaps = views_per_frame(walk_turn_walk, pd.DataFrame({"start_s": [1.0], "end_s": [2.0], "view": ["front"]}))
    assert (gaps.values[:30] == UNKNOWN).all() and (gaps.values[30:61] == "front").all()


@pytest.mark.parametrize(
    "views, match",
    [
        ("profile", "unknown view\\(s\\) \\['profile'\\]; expected one of"),
        (pd.DataFrame({"start": [0.0], "end_s": [1.0], "view": ["front"]}), "missing \\['start_s'\\]"),
        (np.array(["front"] * 5), "views must be a view name, a DataFrame"),
    ],
)
def test_bad_views_are_rejected(walk_turn_walk, views, match):
    with pytest.raises(ConfigError, match=match):
        views_per_frame(walk_turn_walk, views)


def test_per_frame_views_must_match_the_frames(walk_turn_walk):
    short = classify_views(walk_turn_walk).isel(time=slice(0, 10))
    with pytest.raises(ConfigError, match="240 frames"):
        views_per_frame(walk_turn_walk, short)
