"""Extraction's per-frame results stream to files (flat memory): the landmark file written a chunk of frames
at a time loads equal to the Dataset built the old way, in memory from every frame's candidate.

Fast tier: made-up candidates stand in for the pose model; ``tests/test_extract.py`` has the real clip.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab import extraction_rows
from movelab import landmarks as lm
from movelab.extraction_rows import Payload, Rows, build_dataset, detection, write_dataset
from movelab.io.frames import VideoInfo
from movelab.pose.config import ExtractConfig
from movelab.pose.landmarker import Candidate
from movelab.pose.tracking import TrackedFrame

W, H, N_OUTLINE = 640, 480, 16


class _Reader:
    """What the Dataset builders read of a video reader."""

    truncation = None
    info = VideoInfo(
        path="made_up.mp4",
        source="file",
        codec="h264",
        container_format="mp4",
        width_px=W,
        height_px=H,
        rotation_deg=0,
        fps_nominal=30.0,
        n_frames_declared=None,
        duration_s_declared=None,
        variable_frame_rate=False,
        size_bytes=None,
    )


def _candidate(rng: np.random.Generator) -> Candidate:
    return Candidate(
        rng.random((33, 3), dtype=np.float32),
        rng.normal(size=(33, 3)).astype(np.float32),
        rng.random(33, dtype=np.float32),
        rng.random(33, dtype=np.float32),
        None,
    )


def _frames(n: int, seed: int = 0) -> list[TrackedFrame]:
    """``n`` decided frames: the client missing in every 7th, one or two other people in every 5th."""
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n):
        client = None
        if i % 7 != 3:
            payload = Payload(_candidate(rng), (W, H), outline=rng.random((N_OUTLINE, 2), dtype=np.float32) * W)
            payload.face = [0.0, 1.0, float("nan")][i % 3]  # the face cue: none, found, not looked
            client = detection(payload.candidate, W, H, payload=payload)
        others = tuple(detection(_candidate(rng), W, H) for _ in range(1 + i % 2)) if i % 5 == 0 else ()
        frames.append(TrackedFrame(i, i / 30.0 + 0.01, client, 1 + len(others), others))
    return frames


def _old_way(frames: list[TrackedFrame], config: ExtractConfig) -> xr.Dataset:
    """The Dataset as extraction built it before streaming: every frame's arrays into preallocated arrays."""
    n = len(frames)
    arrays = lm.empty_landmarks(n, width_px=W, height_px=H)
    outline = np.full((n, N_OUTLINE, 2), np.nan, dtype=np.float32)
    n_other = max([len(f.others) for f in frames] + [1])
    faces = np.full((n, n_other, 11, 2), np.nan, dtype=np.float32)
    frontal_face = np.full(n, np.nan)
    for i, f in enumerate(frames):
        for j, other in enumerate(f.others):
            faces[i, j] = other.xy_px[:11]
        if f.client is None:
            continue
        c = f.client.payload.candidate
        arrays["position_px"][i] = c.pixels(W, H)
        arrays["position_norm"][i] = c.norm
        arrays["position_world_m"][i] = c.world_m
        arrays["visibility"][i] = c.visibility
        arrays["presence"][i] = c.presence
        arrays["detected"][i] = True
        outline[i] = f.client.payload.outline
        frontal_face[i] = f.client.payload.face
    streamed = build_dataset(_rows(frames, config), _Reader(), _model_file(), config)  # for the attributes
    return lm.from_arrays(
        time_s=np.array([f.time_s for f in frames]),
        frame=np.array([f.index for f in frames]),
        **arrays,
        width_px=W,
        height_px=H,
        attrs=streamed.attrs,
        extra={
            "n_people": xr.DataArray(np.array([f.n_people for f in frames], dtype=np.int64), dims=("time",)),
            "others_face_px": xr.DataArray(
                faces, dims=("time", "other", "face_point", "space_2d"), attrs=streamed["others_face_px"].attrs
            ),
            "frontal_face": xr.DataArray(frontal_face, dims=("time",), attrs=streamed["frontal_face"].attrs),
            "outline_px": xr.DataArray(outline, dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}),
        },
    )


_MODEL = {}


def _model_file():
    import tempfile
    from pathlib import Path

    if "path" not in _MODEL:
        path = Path(tempfile.mkdtemp()) / "pose_landmarker_full.task"
        path.write_bytes(b"not a model: only its name and hash are recorded")
        _MODEL["path"] = path
    return _MODEL["path"]


def _rows(frames: list[TrackedFrame], config: ExtractConfig) -> Rows:
    rows = Rows(n_outline=N_OUTLINE, width_px=W, height_px=H)
    for start in range(0, len(frames), 4):  # the tracker decides a few frames at a time
        rows.extend(frames[start : start + 4], config)
    return rows


@pytest.mark.parametrize("n_frames", [1, 5, 23, 40])
def test_streamed_rows_give_the_dataset_built_in_memory_the_old_way(monkeypatch, tmp_path, n_frames):
    monkeypatch.setattr(extraction_rows, "CHUNK_FRAMES", 5)  # many chunks, and a partial one at the end
    config = ExtractConfig(outline_points=N_OUTLINE)
    frames = _frames(n_frames)
    expected = _old_way(frames, config)
    rows = _rows(frames, config)
    xr.testing.assert_identical(build_dataset(rows, _Reader(), _model_file(), config), expected)
    write_dataset(rows, _Reader(), _model_file(), config, tmp_path / "streamed.nc", attrs={"source_sha256": "x"})
    lm.save(expected.assign_attrs(source_sha256="x"), tmp_path / "saved.nc")
    streamed, saved = lm.load(tmp_path / "streamed.nc"), lm.load(tmp_path / "saved.nc")
    xr.testing.assert_identical(streamed, saved)
    assert list(streamed.data_vars) == list(saved.data_vars)
    assert lm.summarise_file(tmp_path / "streamed.nc") == lm.summarise(expected)


def test_rows_keep_no_per_frame_arrays_in_memory(monkeypatch):
    """Between chunks, the rows hold one chunk of arrays; the rest is in their files."""
    monkeypatch.setattr(extraction_rows, "CHUNK_FRAMES", 8)
    config = ExtractConfig(outline_points=N_OUTLINE)
    rows = _rows(_frames(40), config)
    assert len(rows) == 40 and rows._used == 0  # 40 = 5 full chunks, all written out
    assert rows._buffer["outline_px"].shape[0] == 8
    assert len(rows.others_face) == 8  # only frames with other people keep their faces
    folder = rows._folder
    assert (folder / "outline_px").stat().st_size == 40 * N_OUTLINE * 2 * 4
    rows.close()
    assert not folder.exists()


def test_summary_of_a_file_equals_the_summary_of_the_loaded_dataset(monkeypatch, tmp_path):
    monkeypatch.setattr(lm, "_SUMMARY_CHUNK_FRAMES", 6)
    config = ExtractConfig(outline_points=N_OUTLINE)
    ds = build_dataset(_rows(_frames(31), config), _Reader(), _model_file(), config)
    lm.save(ds, tmp_path / "l.nc")
    monkeypatch.setattr(lm, "_SUMMARY_CHUNK_FRAMES", 10_000)
    assert lm.summarise_file(tmp_path / "l.nc") == lm.summarise(lm.load(tmp_path / "l.nc"))


@pytest.mark.slow
def test_real_clip_streamed_to_a_file_equals_the_extracted_dataset(monkeypatch, tmp_path):
    """The pose model on 40 frames of the sample squat, streamed in chunks of 7 frames: the file
    ``extract_to_file`` writes (fresh, then copied from the landmark cache) loads equal to ``extract``'s Dataset."""
    from pathlib import Path

    from movelab.extraction import extract, extract_to_file

    video = Path(__file__).resolve().parents[1] / "sample_videos" / "squat_side.mp4"
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(extraction_rows, "CHUNK_FRAMES", 7)
    config = ExtractConfig(max_frames=40)
    in_memory = extract(video, config=config, use_cache=False)
    summary = extract_to_file(video, tmp_path / "fresh.nc", config=config)
    xr.testing.assert_identical(lm.load(tmp_path / "fresh.nc"), in_memory)
    assert summary == lm.summarise(in_memory)
    again = extract_to_file(video, tmp_path / "cached.nc", config=config)  # from the landmark cache
    cached = lm.load(tmp_path / "cached.nc")
    assert cached.attrs.pop("from_cache") is True and again == summary
    xr.testing.assert_identical(cached, in_memory)
    from_cache = extract(video, config=config)
    assert from_cache.attrs.pop("from_cache") is True
    xr.testing.assert_identical(from_cache, in_memory)
