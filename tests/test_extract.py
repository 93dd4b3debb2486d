"""Landmark extraction end to end on real video: the client is chosen and kept, rotation and variable
frame rate are honoured, results round-trip through storage and the cache."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest
import xarray as xr

import movelab
from movelab.config import ExtractConfig
from movelab.extraction import extract, summarise

sys.path.insert(0, str(Path(__file__).parent))
from videos import FakeCamera, make_rotated  # noqa: E402

pytestmark = pytest.mark.slow

WALKER_FIRST = 19  # first frame of demo_clip in which the walker is in view


def hip_y_norm(ds: xr.Dataset) -> np.ndarray:
    hips = ds["position_norm"].sel(keypoint=["left_hip", "right_hip"], space_3d="y").mean("keypoint")
    return hips.values


@pytest.fixture(scope="module")
def clip_ds(demo_clip: Path) -> xr.Dataset:
    return extract(demo_clip, use_cache=False)


def test_every_frame_is_in_the_record_with_real_times(clip_ds):
    assert clip_ds.sizes["time"] == 120
    np.testing.assert_array_equal(clip_ds["frame"].values, np.arange(120))
    np.testing.assert_allclose(np.diff(clip_ds["time"].values), 1 / 30, atol=1e-3)


def test_walker_is_the_client_and_is_kept(clip_ds):
    detected = clip_ds["detected"].values
    assert detected[WALKER_FIRST:].mean() >= 0.95
    # the walker's hips are low in the picture (~0.73); the person on the box has them at ~0.25
    assert np.all(hip_y_norm(clip_ds)[detected] > 0.55)


def test_the_face_cue_is_stored_per_frame_and_only_where_the_client_is(clip_ds):
    face = clip_ds["frontal_face"]
    assert face.dims == ("time",)
    looked = face.values[np.isfinite(face.values)]
    assert set(np.unique(looked)) <= {0.0, 1.0}
    assert np.isnan(face.values[~clip_ds["detected"].values]).all()


def test_frames_before_the_client_enters_stay_missing(clip_ds):
    """The other person is in view from the first frame; those frames are missing, not filled."""
    early = clip_ds.isel(time=slice(0, WALKER_FIRST - 2))
    assert not early["detected"].values.any()
    assert np.isnan(early["position_px"].values).all()
    assert (early["n_people"].values >= 1).mean() > 0.7  # the model needs a few frames to find them


def test_outline_features_follow_the_client(clip_ds):
    detected = clip_ds["detected"].values
    outline = clip_ds["outline_px"].values[detected]
    assert np.isfinite(outline).all()
    hips_x = clip_ds["position_px"].sel(keypoint="left_hip", space_2d="x").values[detected]
    # the hip lies between the outline's left and right extremes in every frame
    assert np.all((outline[..., 0].min(axis=1) < hips_x) & (hips_x < outline[..., 0].max(axis=1)))


def test_the_outline_moved_onto_the_pictures_edges_is_kept_beside_the_masks(clip_ds):
    """``outline_edges_px``: the mask's points, each moved at most the search radius along the contour, many of them
    moved (the mask's edge is not the picture's), none where the client is missing."""
    from movelab.pose.outline_edges import EDGE_RADIUS_PX

    detected = clip_ds["detected"].values
    mask, edges = clip_ds["outline_px"].values, clip_ds["outline_edges_px"].values
    assert np.isnan(edges[~detected]).all() and np.isfinite(edges[detected]).all()
    moved = np.linalg.norm(edges[detected] - mask[detected], axis=-1)
    assert moved.max() <= EDGE_RADIUS_PX + 0.01
    assert 0.3 < (moved > 0.25).mean() < 1.0


@pytest.mark.parametrize("choice", [1, (0.42 * 884, 0.20 * 498)], ids=["index", "point"])
def test_user_can_choose_the_other_person(demo_clip, choice):
    ds = extract(demo_clip, config=ExtractConfig(person=choice), use_cache=False)
    detected = ds["detected"].values
    assert detected[5:WALKER_FIRST].all()  # the person on the box is there from the start
    assert np.all(hip_y_norm(ds)[detected] < 0.45)


def test_portrait_phone_file_comes_out_upright(demo_clip, clip_ds, tmp_path):
    """The clip stored with a 90° display rotation (as phones store portrait video)."""
    rotated = make_rotated(demo_clip, tmp_path / "portrait.mp4", 90)
    ds = extract(rotated, use_cache=False)
    summary = summarise(ds)["video"]
    assert (summary["width"], summary["height"], summary["rotation_deg"]) == (498, 884, 90)
    both = ds["detected"].values & clip_ds["detected"].values
    assert both.sum() > 40  # the walker is small in this portrait picture: the detector finds her later
    # 90° clockwise: (x, y) in the stored picture → (H - y, x) upright, H the stored height
    x0 = clip_ds["position_px"].sel(keypoint="left_hip").values[both]
    x1 = ds["position_px"].sel(keypoint="left_hip").values[both]
    expected = np.column_stack([498 - x0[:, 1], x0[:, 0]])
    assert np.median(np.linalg.norm(x1 - expected, axis=1)) < 0.02 * 884


def test_variable_frame_rate_times_are_the_containers(demo_clip, tmp_path):
    """Frames re-timed with irregular intervals (1/30, 1/60, 1/24 s ...) keep exactly those times."""
    intervals = np.resize([1 / 30, 1 / 60, 1 / 24, 1 / 45], 119)
    times = np.concatenate([[0.5], 0.5 + np.cumsum(intervals)])
    vfr = tmp_path / "vfr.mp4"
    base = Fraction(1, 90000)
    with av.open(str(demo_clip)) as src, av.open(str(vfr), "w") as dst:
        stream = dst.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 884, 498, "yuv420p"
        stream.time_base = stream.codec_context.time_base = base
        for t, frame in zip(times, src.decode(video=0)):
            out = av.VideoFrame.from_ndarray(frame.to_ndarray(format="rgb24"), format="rgb24")
            out.pts, out.time_base = round(t / base), base
            dst.mux(stream.encode(out))
        dst.mux(stream.encode())
    ds = extract(vfr, use_cache=False)
    np.testing.assert_allclose(ds["time"].values, times, atol=1e-3)
    assert summarise(ds)["video"]["variable_frame_rate"] is True


def test_summary_has_the_documented_fields(clip_ds, demo_clip):
    summary = summarise(clip_ds)
    video, pose = summary["video"], summary["pose"]
    assert {"path", "fps", "frames", "duration_s", "width", "height", "rotation_deg"} <= set(video)
    assert {"model", "detected_frames", "detection_rate", "subject_bbox_norm"} <= set(pose)
    assert video["path"] == str(demo_clip) and video["frames"] == 120
    assert (video["width"], video["height"], video["rotation_deg"]) == (884, 498, 0)
    assert video["fps"] == pytest.approx(30, abs=0.01) and video["duration_s"] == pytest.approx(4.0, abs=0.01)
    assert pose["model"] == "pose_landmarker_full"
    assert pose["detection_rate"] == pytest.approx(pose["detected_frames"] / 120, abs=1e-4)
    x0, y0, x1, y1 = pose["subject_bbox_norm"]
    assert 0 <= x0 < x1 <= 1 and 0.3 < y0 < y1 <= 1.05  # the walker, low in the picture


def test_storage_round_trip_is_lossless(clip_ds, tmp_path):
    path = movelab.save_landmarks(clip_ds, tmp_path / "clip.nc")
    xr.testing.assert_identical(movelab.load_landmarks(path), clip_ds)


def test_same_video_again_comes_from_the_cache(demo_clip, clip_ds, tmp_path, monkeypatch):
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path / "cache"))
    first = extract(demo_clip, config=ExtractConfig(max_frames=30))
    assert list((tmp_path / "cache" / "landmarks").glob("*.nc"))

    def no_model(*args, **kwargs):
        raise AssertionError("the pose model ran although the result was cached")

    monkeypatch.setattr("movelab.extraction.model_for", no_model)
    again = extract(demo_clip, config=ExtractConfig(max_frames=30))
    assert again.attrs["from_cache"] is True
    xr.testing.assert_equal(again, first)
    with pytest.raises(AssertionError, match="cached"):  # other settings: a different key
        extract(demo_clip, config=ExtractConfig(max_frames=31))


WALKER_IN_VIEW = slice(59, 202)  # frames of the full demo in which the walker is in the picture


@pytest.mark.parametrize("rotation_deg", [0, 90], ids=["side-view", "portrait"])
def test_real_walker_found_in_95_percent_of_her_frames(demo_video, tmp_path, rotation_deg):
    """The whole real demo (1768x994), as filmed and as a portrait phone file: the walker is the
    client in ≥ 95% of the frames where she is in view, and nobody else is ever reported."""
    video = demo_video if rotation_deg == 0 else make_rotated(demo_video, tmp_path / "p.mp4", rotation_deg)
    ds = extract(video, use_cache=False)
    detected = ds["detected"].values
    assert detected[WALKER_IN_VIEW].mean() >= 0.95
    assert detected.sum() <= (WALKER_IN_VIEW.stop - WALKER_IN_VIEW.start) + 3  # nobody else filled in
    assert summarise(ds)["video"]["rotation_deg"] == rotation_deg


def test_webcam_recording_keeps_frames_until_ctrl_c(demo_clip, monkeypatch):
    with av.open(str(demo_clip)) as box:
        frames = [f.to_ndarray(format="bgr24") for i, f in zip(range(75), box.decode(video=0))]
    camera = FakeCamera(frames[35:], stop_after=35)  # the walker is fully in view from frame ~30
    monkeypatch.setattr("movelab.io.webcam.cv2.VideoCapture", lambda index: camera)
    monkeypatch.setattr("movelab.io.webcam.time", SimpleNamespace(monotonic=camera.clock_s))
    ds = extract(0, use_cache=False)
    assert ds.sizes["time"] == 35
    assert ds.attrs["source_path"] == "webcam"
    assert np.all(np.diff(ds["time"].values) > 0)
    assert ds["detected"].values.mean() > 0.9
