"""Whole-body left/right mirrors in front and back views (movelab.kinematics.mirrors) on a synthetic stick figure."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics import KinematicsConfig, compute_motion, detect_views
from movelab.kinematics.mirrors import PAIRED, detect_frontal_mirrors, exchange_labels
from movelab.kinematics.stickfigure import stick_figure
from movelab.landmarks import KEYPOINTS

FPS = 30.0
N = 90  # 3 s
OBLIQUITY_DEG = 6.0


def standing(view="back", *, heel_drop_px: float = 0.0) -> xr.Dataset:
    """A figure standing 3 s with its pelvis 6° oblique (left hip higher), seen as ``view`` (a name or a yaw per
    frame); the heels ``heel_drop_px`` lower in the picture than the toes (a camera looking down: > 0 from
    behind)."""
    ds = stick_figure(np.arange(N) / FPS, view=view, pose={"pelvic_obliquity": OBLIQUITY_DEG})
    if heel_drop_px:
        heels = [KEYPOINTS.index(f"{s}_heel") for s in ("left", "right")]
        position = ds["position_px"].values.copy()
        position[:, heels, 1] += heel_drop_px
        ds["position_px"] = ds["position_px"].copy(data=position)
    return ds


def mirrored(ds: xr.Dataset, seconds: float) -> xr.Dataset:
    """``ds`` with every left/right label exchanged over its first ``seconds``: the pose model reading someone
    seen from behind as facing the camera while it settles (rendered body H from behind, issue 18)."""
    return exchange_labels(ds, ds["time"].values < seconds - 1e-9, PAIRED, "test_mirror")


def with_face(ds: xr.Dataset, seen: float | np.ndarray) -> xr.Dataset:
    """``ds`` with the pixel cue ``frontal_face`` (1 a face found, 0 none, NaN not looked) per frame."""
    return ds.assign(frontal_face=("time", np.broadcast_to(np.asarray(seen, dtype=float), (ds.sizes["time"],))))


def test_back_view_whose_first_half_second_reads_as_a_mirrored_front_is_a_back_view_from_its_first_frame():
    clean = standing("back")
    ds = mirrored(clean, 0.5)
    found = detect_frontal_mirrors(ds).values
    np.testing.assert_array_equal(found, np.arange(N) < 15)
    views = detect_views(ds)
    assert list(views["view"]) == ["back"] and views["start_frame"].iloc[0] == 0
    motion = compute_motion(ds)
    assert motion.landmarks.attrs["frontal_mirror_frames"] == 15  # the later stages read the labels put back
    np.testing.assert_allclose(motion.landmarks["position_px"].values, clean["position_px"].values, atol=1e-9)
    obliquity = motion.angles["pelvic_obliquity"].to_numpy()
    expected = compute_motion(clean).angles["pelvic_obliquity"].to_numpy()
    assert np.all(np.abs(obliquity) <= 90.0)
    np.testing.assert_allclose(obliquity[:15], expected[:15], atol=0.05)
    assert np.all(np.sign(obliquity[:15]) == np.sign(expected[:15]))


def test_without_the_fix_the_mirrored_frames_read_as_a_front_view_with_the_pelvis_reversed():
    """The failure the fix removes, shown on the same figure: the labels alone say front."""
    ds = mirrored(standing("back"), 0.5)
    off = KinematicsConfig(fix_frontal_mirrors=False)
    assert detect_views(ds, config=off)["view"].iloc[0] == "front"
    obliquity = compute_motion(ds, config=off).angles["pelvic_obliquity"].to_numpy()
    assert np.nanmedian(obliquity[:15]) * np.nanmedian(obliquity[30:]) < 0


def test_the_feet_tell_a_mirror_that_holds_most_of_the_chain():
    ds = mirrored(standing("back", heel_drop_px=8.0), 2.0)
    np.testing.assert_array_equal(detect_frontal_mirrors(ds).values, np.arange(N) < 60)
    assert list(detect_views(ds)["view"]) == ["back"]


def test_without_the_feet_most_of_the_chain_wins():
    """Heels level with the toes (a camera at floor height): the reading of most frames is taken."""
    ds = mirrored(standing("back"), 2.0)
    np.testing.assert_array_equal(detect_frontal_mirrors(ds).values, np.arange(N) >= 60)


@pytest.mark.parametrize("yaw", [(0.0, 180.0), (180.0, 0.0), (0.0, -180.0)])
def test_a_real_turn_between_front_and_back_is_not_a_mirror(yaw):
    turning = np.interp(np.arange(N), [30, 60], yaw)  # half a turn in 1 s
    ds = standing(turning)
    assert not detect_frontal_mirrors(ds).values.any()
    assert {"front", "back"} <= set(detect_views(ds)["view"])


def test_labels_that_agree_throughout_are_left_as_read():
    """A whole clip read mirrored has no flip to give it away: nothing is changed."""
    ds = mirrored(standing("back", heel_drop_px=8.0), 10.0)
    assert not detect_frontal_mirrors(ds).values.any()


def test_shoulders_flipping_alone_are_not_a_whole_body_mirror():
    ds = standing("back")
    shoulders = ds["time"].values < 0.5
    ds = exchange_labels(ds, shoulders, ["shoulder"], "test_shoulders")
    assert not detect_frontal_mirrors(ds).values.any()


def test_no_face_in_the_picture_keeps_a_back_view_whose_feet_were_redrawn_for_the_mirror():
    """Body T from behind: the model read most frames as a front view and drew the feet for it (heels above the
    toes); the feet then say front, and only the face missing from the picture tells the back view."""
    ds = mirrored(standing("back", heel_drop_px=-8.0), 2.0)
    np.testing.assert_array_equal(detect_frontal_mirrors(ds).values, np.arange(N) >= 60)  # the feet's call
    np.testing.assert_array_equal(detect_frontal_mirrors(with_face(ds, 0.0)).values, np.arange(N) < 60)
    assert list(detect_views(with_face(ds, 0.0))["view"]) == ["back"]


def test_a_face_in_the_picture_makes_a_front_view_read_mostly_as_a_back_view():
    ds = mirrored(standing("front", heel_drop_px=8.0), 2.0)
    np.testing.assert_array_equal(detect_frontal_mirrors(with_face(ds, 1.0)).values, np.arange(N) < 60)
    assert list(detect_views(with_face(ds, 1.0))["view"]) == ["front"]


def test_a_face_looked_at_in_fewer_than_half_the_frames_leaves_the_call_to_the_feet():
    ds = mirrored(standing("back", heel_drop_px=-8.0), 2.0)
    seen = np.where(np.arange(N) < 40, 0.0, np.nan)
    np.testing.assert_array_equal(detect_frontal_mirrors(with_face(ds, seen)).values, np.arange(N) >= 60)
    seen = np.where(np.arange(N) < 50, 0.0, np.nan)
    np.testing.assert_array_equal(detect_frontal_mirrors(with_face(ds, seen)).values, np.arange(N) < 60)


def test_a_face_found_in_half_the_frames_does_not_tell():
    ds = mirrored(standing("back", heel_drop_px=-8.0), 2.0)
    seen = (np.arange(N) % 2).astype(float)
    np.testing.assert_array_equal(detect_frontal_mirrors(with_face(ds, seen)).values, np.arange(N) >= 60)


def test_a_chain_read_one_way_throughout_is_left_as_read_even_against_face_and_feet():
    """On design body E from behind, 5 scattered frames read front in a confused last 0.5 s: putting them back
    on face and feet turned 16 frames side-on in the views; nothing is changed without a flip."""
    ds = mirrored(standing("back", heel_drop_px=8.0), 10.0)
    assert not detect_frontal_mirrors(with_face(ds, 0.0)).values.any()


@pytest.mark.parametrize(
    "option",
    [
        dict(frontal_mirror_min_width=1.5),
        dict(frontal_turn_min_s=-0.1),
        dict(frontal_mirror_feet_margin=-1),
        dict(frontal_mirror_face_margin=0.6),
    ],
)
def test_mirror_settings_are_checked(option):
    with pytest.raises(ConfigError, match=next(iter(option))):
        KinematicsConfig(**option)
