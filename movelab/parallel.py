"""Extract one long video in parallel: time chunks in worker processes, one tracker over the whole video.

Each worker decodes one stretch of the video and runs the pose model on it, starting ``overlap_s`` before
its stretch so that MediaPipe's own tracking has settled by the seam (those warm-up frames are dropped);
it reduces every person's mask to outline points at once and returns plain arrays. The calling process
runs the first stretch itself (no warm-up, no process start-up, so on a long video it is given the
warm-up's and :data:`WORKER_START_S`'s frames more) while ``jobs - 1`` workers start on the others. The parent then runs
the one :class:`movelab.pose.tracking.ClientTracker` over all the chunks' people in time order, exactly as
single-process extraction does, so the client is chosen once and kept across the seams by construction.
Landmarks agree with a single-process run within the model's own frame-to-frame noise (MediaPipe's
tracking state differs for the first frames after a seam's warm-up; tests/test_parallel.py measures it).
"""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import xarray as xr

from movelab.io.frames import VideoReader
from movelab.io.video_file import read_frame_times
from movelab.pose.config import ExtractConfig

__all__ = ["run_chunks", "chunk_rows", "chunk_bounds", "WORKER_START_S"]

#: A worker process's start (spawn, imports, the pose model's set-up) in seconds of video this process extracts
#: meanwhile. Measured on ``squat_30s`` with ``--jobs 2`` (load 7-8): with only the warm-up added to the first
#: chunk the worker finished 6 s after this process, with 2 s more 0.6 s apart (docs/pose-accuracy.md, Speed).
WORKER_START_S = 2.0


@dataclass(frozen=True)
class _Chunk:
    """One worker's stretch: frames with ``start_s <= time < end_s``, the model started at ``warm_s``."""

    path: str
    warm_s: float
    start_s: float
    end_s: float


def chunk_bounds(
    times_s: np.ndarray, n_chunks: int, *, overlap_s: float, first_extra_s: float = 0.0
) -> list[tuple[float, float, float]]:
    """``(warm_s, start_s, end_s)`` of ``n_chunks`` stretches with equal frame counts, the first one longer
    by ``first_extra_s`` of frames (it has no warm-up) unless that is more than a quarter of a chunk.

    ``start_s``/``end_s`` are frame times (the last ``end_s`` is infinite); ``warm_s`` is ``overlap_s``
    before ``start_s`` (the first chunk has no warm-up).
    """
    n = len(times_s)
    extra = 0
    if first_extra_s > 0 and n > 1 and n_chunks > 1:
        frame_s = float(np.median(np.diff(times_s)))
        extra = int(round(first_extra_s / frame_s)) if frame_s > 0 else 0
        if extra > n / n_chunks / 4:  # a short video: equal chunks (a seam placed as before)
            extra = 0
    step = (n - extra) / n_chunks
    cuts = [0] + [int(round(extra + i * step)) for i in range(1, n_chunks)] + [n]
    bounds = []
    for k in range(n_chunks):
        start = -math.inf if k == 0 else float(times_s[cuts[k]])
        end = math.inf if k == n_chunks - 1 else float(times_s[cuts[k + 1]])
        bounds.append((start if k == 0 else start - overlap_s, start, end))
    return bounds


def run_chunks(
    reader: VideoReader,
    model_path: Path,
    config: ExtractConfig,
    *,
    jobs: int,
    overlap_s: float = 2.0,
    progress: bool = False,
) -> xr.Dataset:
    """The landmark Dataset of a video file, extracted by ``jobs`` processes (see the module docstring)."""
    from movelab.extraction_rows import build_dataset

    rows, attrs = chunk_rows(reader, model_path, config, jobs=jobs, overlap_s=overlap_s, progress=progress)
    try:
        ds = build_dataset(rows, reader, model_path, config)
    finally:
        rows.close()
    ds.attrs.update(attrs)
    return ds


def chunk_rows(
    reader: VideoReader,
    model_path: Path,
    config: ExtractConfig,
    *,
    jobs: int,
    overlap_s: float = 2.0,
    progress: bool = False,
    scratch_dir: Path | None = None,
):
    """:func:`run_chunks`'s per-frame results as :class:`movelab.extraction_rows.Rows` (streamed to temporary
    files in ``scratch_dir``; the caller closes them) and the scene's attributes, for
    :func:`movelab.extraction_rows.write_dataset` to write chunk by chunk."""
    from movelab.extraction_rows import Rows, detection
    from movelab.pose.scene_lines import SceneLines
    from movelab.pose.tracking import ClientTracker

    info = reader.info
    all_times = read_frame_times(info.path)
    times = all_times if config.max_frames is None else all_times[: config.max_frames]
    n_chunks = max(1, min(jobs, len(times) // 30))  # at least a second of frames per chunk
    # This process runs the first chunk at once while the workers start and warm up: it gets more frames.
    bounds = chunk_bounds(times, n_chunks, overlap_s=overlap_s, first_extra_s=overlap_s + WORKER_START_S)
    if len(all_times) > len(times):  # the last chunk stops at max_frames
        bounds[-1] = (*bounds[-1][:2], float(all_times[len(times)]))
    chunks = [_Chunk(str(info.path), *b) for b in bounds]
    tracker = ClientTracker(info.width_px, info.height_px, person=config.person, max_jump=config.max_track_jump)
    rows = Rows(
        n_outline=config.outline_points if config.outline else 0,
        width_px=info.width_px,
        height_px=info.height_px,
        scratch_dir=scratch_dir,
        outline_edges=config.outline_edges,
    )
    scene = SceneLines()  # the chunks' line readings, pooled (movelab.pose.scene_lines)
    index = 0
    mirror_frames = 0
    try:
        with ProcessPoolExecutor(max_workers=max(n_chunks - 1, 1), mp_context=get_context("spawn")) as pool:
            results = _chunk_results(pool, chunks, model_path, config, picture_px=(info.width_px, info.height_px))
            for records, chunk_scene, chunk_mirror_frames in _progress(results, n_chunks, progress):
                scene.merge(chunk_scene)
                mirror_frames += chunk_mirror_frames
                for time_s, payloads in records:
                    if config.max_frames is not None and index >= config.max_frames:
                        break
                    detections = [detection(p.candidate, info.width_px, info.height_px, payload=p) for p in payloads]
                    rows.extend(tracker.update(index, time_s, detections), config)
                    index += 1
        rows.extend(tracker.finish(), config)
    except BaseException:
        rows.close()
        raise
    return rows, {**scene.attrs(), "mirror_frames": mirror_frames}


def _chunk_results(
    pool: ProcessPoolExecutor, chunks: list[_Chunk], model_path: Path, config: ExtractConfig, *, picture_px: tuple
):
    """The chunks' results in time order: the first chunk run in this process while the workers start on the
    others (one process start-up fewer, and the first chunk's results are not copied between processes)."""
    later = [pool.submit(_run_chunk, chunk, model_path, config, picture_px) for chunk in chunks[1:]]
    try:
        yield _run_chunk(chunks[0], model_path, config, picture_px)
        for future in later:
            yield future.result()
    finally:
        for future in later:
            future.cancel()


def _progress(results, total: int, enabled: bool):
    if not enabled:
        return results
    from tqdm import tqdm

    return tqdm(results, total=total, unit="chunk", desc="pose", leave=False)


def _run_chunk(
    chunk: _Chunk, model_path: Path, config: ExtractConfig, picture_px: tuple[int, int]
) -> tuple[list[tuple[float, list]], object, int]:
    """In a worker: every frame of the chunk as ``(time_s, payloads)``, each person's mask already an outline
    and the hips averaged with the mirror image's where ``config.mirror_hips`` wants it (the worker's own
    mirror model, :class:`movelab.pose.mirror_pass.MirrorPass`), the scene's line readings of the chunk's own
    frames (:class:`movelab.pose.scene_lines.SceneLines`) and the frames the mirror model read."""
    from movelab.extraction_rows import Payload
    from movelab.io.prefetch import prefetched
    from movelab.io.seek import stretch_frames
    from movelab.pose.mirror_pass import MirrorPass
    from movelab.pose.scene_lines import SceneLines
    from movelab.pose.schedule import model_for
    from movelab.pose.tracking import ClientTracker

    records = []
    scene = SceneLines()
    with (
        # a sparse schedule starts dense in the first chunk, where the tracker chooses the client
        model_for(
            model_path, config, dense_first_s=ClientTracker.window_s if chunk.warm_s == -math.inf else 0.0
        ) as model,
        MirrorPass(model_path, config, source="file") as mirror,
    ):
        frames = stretch_frames(
            chunk.path, from_s=chunk.warm_s, until_s=chunk.end_s, max_side_px=config.max_image_side_px
        )
        for time_s, image in prefetched(frames):
            candidates = mirror.apply(image, time_s, model.detect(image, time_s))
            if time_s < chunk.start_s:
                continue  # warm-up: lets the models' tracking settle before the seam
            payloads = [Payload(c, picture_px) for c in candidates]
            if scene.wants(time_s):
                h, w = image.shape[:2]
                scene.add(image, time_s, [c.pixels(w, h) for c in candidates])
            for payload in payloads:
                payload.look_at(image, config)
                payload.reduce(config)
            records.append((time_s, payloads))
    return records, scene, mirror.frames
