"""The extraction pipeline: video → the client's landmark Dataset (+ a summary), cached.

Frames stream from :mod:`movelab.io.video` into the pose model one at a time; the client is chosen and
kept by :mod:`movelab.pose.tracking`; each frame's person mask is reduced at once to outline points
(:mod:`movelab.pose.mask_features`), so memory holds only landmarks, never frames or masks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Union

import numpy as np
import xarray as xr

from movelab import landmarks as lm
from movelab.errors import LandmarkFileError
from movelab.extraction_rows import MARKER_VARIABLES
from movelab.extraction_rows import Payload as _Payload
from movelab.extraction_rows import Rows as _Rows
from movelab.extraction_rows import build_dataset as _dataset
from movelab.extraction_rows import detection as _detection
from movelab.extraction_rows import marker_arrays as _marker_arrays
from movelab.extraction_rows import write_dataset as _write_rows
from movelab.io.frames import Frame
from movelab.io.prefetch import HandOff, prefetched
from movelab.io.video import VideoReader, open_video
from movelab.landmark_cache import cache_entry, load_cached
from movelab.landmarks import summarise
from movelab.pose.config import ExtractConfig
from movelab.pose.landmarker import Candidate
from movelab.pose.markers import Dots, DotSearch, MarkerSpec, find_dots, parse_marker_spec
from movelab.pose.mirror_pass import MirrorPass
from movelab.pose.scene_lines import SceneLines
from movelab.pose.schedule import model_for
from movelab.pose.tracking import ClientTracker

__all__ = ["extract", "extract_to_file", "summarise", "add_markers", "find_dots_again", "Progress"]

#: Frames whose pose-model results may wait for the tracker and the outline (each holds its picture and masks).
AFTER_MODEL_DEPTH = 4

#: ``True`` for a progress bar on stderr, or a callable told ``(frames_done, frames_declared)`` after each
#: frame the pose model has seen (``frames_declared`` is the container's count, ``None`` when unknown).
Progress = Union[bool, Callable[[int, int | None], None]]  # noqa: UP007 (a runtime alias on Python 3.10)


def extract(
    source: str | os.PathLike | int,
    *,
    config: ExtractConfig = ExtractConfig(),
    use_cache: bool = True,
    progress: Progress = False,
    jobs: int = 1,
) -> xr.Dataset:
    """Landmarks of the client in a video file or webcam stream.

    Parameters
    ----------
    source
        A video file path, or a webcam index (``int``).
    config
        Extraction settings (model, people, outline, ...).
    use_cache
        Reuse (and store) the result for the same video content, model and settings.
    progress
        Show a progress bar on stderr, or call this with ``(frames_done, frames_declared)`` per frame
        (one process only: with ``jobs`` > 1 a callable is not called).
    jobs
        Worker processes for a video file: more than 1 splits it into time chunks extracted in parallel
        (:mod:`movelab.parallel`; landmarks equal within the model's frame-to-frame noise; no markers).

    Returns
    -------
    xarray.Dataset
        The landmark Dataset (see :mod:`movelab.landmarks`), with ``outline_px`` when
        ``config.outline`` and ``n_people`` per frame.

    Raises
    ------
    movelab.errors.InputError
        The video is missing, not a video, or unreadable.
    movelab.errors.NoPersonError
        Nobody was found in any frame.
    """
    with open_video(source, max_frames=config.max_frames) as reader:  # bad input fails before anything
        model_path, video_sha256, cache_path = _cache_entry(reader, config, use_cache=use_cache)
        if cache_path is not None:
            cached = load_cached(cache_path, reader.info.path)
            if cached is not None:
                return cached
        scratch = _cache_folder(cache_path).parent if cache_path is not None else None
        if jobs > 1 and reader.info.source == "file":
            rows, attrs = _run_parallel(reader, model_path, config, jobs=jobs, progress=progress, scratch=scratch)
        else:
            rows, attrs = _run(reader, model_path, config, progress=progress, scratch_dir=scratch)
        try:
            attrs["source_sha256"] = video_sha256
            ds = _dataset(rows, reader, model_path, config)
            ds.attrs.update(attrs)
            if cache_path is not None:
                _write_rows(rows, reader, model_path, config, _cache_folder(cache_path), attrs=attrs)
        finally:
            rows.close()
    return ds


def extract_to_file(
    source: str | os.PathLike | int,
    path: str | os.PathLike,
    *,
    config: ExtractConfig = ExtractConfig(),
    use_cache: bool = True,
    progress: Progress = False,
    jobs: int = 1,
) -> dict:
    """Like :func:`extract`, but the landmarks go straight to the landmark file ``path`` (written a chunk of
    frames at a time, so memory stays flat however long the video) and the summary
    (:func:`movelab.landmarks.summarise`) is returned. Loading ``path`` gives what :func:`extract` returns."""
    path = Path(path)
    with open_video(source, max_frames=config.max_frames) as reader:  # bad input fails before anything
        model_path, video_sha256, cache_path = _cache_entry(reader, config, use_cache=use_cache)
        if cache_path is not None and _copy_cached(cache_path, path, reader.info.path):
            return lm.summarise_file(path)
        if jobs > 1 and reader.info.source == "file":  # the chunks' rows, written chunk by chunk as below
            rows, attrs = _run_parallel(reader, model_path, config, jobs=jobs, progress=progress, scratch=path.parent)
        else:
            rows, attrs = _run(reader, model_path, config, progress=progress, scratch_dir=path.parent)
        try:
            attrs["source_sha256"] = video_sha256
            _write_rows(rows, reader, model_path, config, path, attrs=attrs)
        finally:
            rows.close()
    if cache_path is not None:
        _cache_folder(cache_path)
        _copy_atomically(path, cache_path)
    return lm.summarise_file(path)


def _cache_entry(reader: VideoReader, config: ExtractConfig, *, use_cache: bool) -> tuple[Path, str, Path | None]:
    """The model file, the video's SHA-256 (empty for a webcam) and the cache file (``None``: no cache)."""
    path = reader.info.path if reader.info.source == "file" else None
    return cache_entry(path, config, use_cache=use_cache)


def _cache_folder(cache_path: Path) -> Path:
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    return cache_path


def _run_parallel(
    reader: VideoReader, model_path: Path, config: ExtractConfig, *, jobs: int, progress: Progress, scratch: Path | None
) -> tuple[_Rows, dict]:
    if config.markers:
        from movelab.errors import ConfigError

        raise ConfigError("sticker markers are found in one process only; drop --jobs or --markers")
    from movelab.parallel import chunk_rows

    return chunk_rows(reader, model_path, config, jobs=jobs, progress=progress is True, scratch_dir=scratch)


def _copy_cached(cache_path: Path, path: Path, source_path: str) -> bool:
    """Copy a usable cache entry to ``path`` (marked as read from the cache, as
    :func:`movelab.landmark_cache.load_cached` marks it)."""
    if not cache_path.is_file():
        return False
    try:
        lm.check_file(cache_path)
    except LandmarkFileError:
        return False  # a damaged cache entry is recomputed
    _copy_atomically(cache_path, path)
    lm.set_file_attrs(path, {"source_path": str(source_path), "from_cache": True})
    return True


def _copy_atomically(src: Path, dst: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _run(
    reader: VideoReader,
    model_path: Path,
    config: ExtractConfig,
    *,
    progress: Progress,
    scratch_dir: Path | None = None,
) -> tuple[_Rows, dict]:
    """The client's per-frame results (streamed to temporary files) and the scene's attributes."""
    info = reader.info
    tracker = ClientTracker(info.width_px, info.height_px, person=config.person, max_jump=config.max_track_jump)
    rows = _Rows(
        n_outline=config.outline_points if config.outline else 0,
        width_px=info.width_px,
        height_px=info.height_px,
        keep_dots=bool(config.markers),
        scratch_dir=scratch_dir,
        outline_edges=config.outline_edges,
    )
    spec = parse_marker_spec(config.markers) if config.markers else None
    scene = SceneLines()  # the camera's roll from the room's straight edges (movelab.pose.scene_lines)
    reader.shrink_to(config.max_image_side_px)
    frames = prefetched(reader) if info.source == "file" else reader
    with (
        # a sparse schedule starts dense: the client is chosen as without it
        model_for(model_path, config, dense_first_s=tracker.window_s) as model,
        MirrorPass(model_path, config, source=info.source) as mirror,
    ):

        def after_model(item: tuple[Frame, list[Candidate]]) -> None:
            frame, candidates = item
            detections = [_detection(c, info.width_px, info.height_px) for c in candidates]
            if scene.wants(frame.time_s):
                scale = frame.image.shape[1] / info.width_px  # a shrunk picture: boxes in its pixels
                scene.add(frame.image, frame.time_s, [d.xy_px * scale for d in detections])
            for det in detections:
                det.payload.look_at(frame.image, config)
            if spec is not None:
                for det in detections:
                    det.payload.dots = _dots(frame.image, det.payload.candidate, spec)
            rows.extend(tracker.update(frame.index, frame.time_s, detections), config)
            for held in tracker.held_detections():
                held.payload.reduce(config)  # frames held in the look-ahead window keep no mask

        # the model runs here while the frames before are tracked and outlined in a thread (same results)
        with HandOff(after_model, depth=AFTER_MODEL_DEPTH) as after:
            try:
                for frame in _progress(frames, reader, progress):
                    candidates = model.detect(frame.image, frame.time_s)
                    after.put((frame, mirror.apply(frame.image, frame.time_s, candidates)))
            except KeyboardInterrupt:
                if info.source != "webcam":
                    raise
                # Ctrl-C is how a webcam recording ends: keep every frame recorded so far.
        rows.extend(tracker.finish(), config)
    return rows, {**scene.attrs(), "mirror_frames": mirror.frames}


def _progress(frames, reader: VideoReader, progress: Progress):
    if callable(progress):
        return _reported(frames, reader.info.n_frames_declared, progress)
    if not progress:
        return frames
    from tqdm import tqdm

    return tqdm(frames, total=reader.info.n_frames_declared, unit="frame", desc="pose", leave=False)


def _reported(frames, total: int | None, report: Callable[[int, int | None], None]):
    for done, frame in enumerate(frames, start=1):
        yield frame
        report(done, total)


def _dots(image: np.ndarray, candidate: Candidate, spec) -> dict[str, Dots]:
    """The sticker dots near this candidate's hips (see :mod:`movelab.pose.markers`)."""
    h, w = image.shape[:2]
    px = candidate.pixels(w, h)
    return find_dots(image, hip_px=px[[23, 24]].mean(axis=0), shoulder_px=px[[11, 12]].mean(axis=0), spec=spec)


def add_markers(ds: xr.Dataset, source: str | os.PathLike, markers: str) -> xr.Dataset:
    """``ds`` with the sticker dots of ``markers`` found again in the video ``source`` (decoded, no pose
    model), near the client's hip landmarks already in ``ds``: for landmarks kept without markers or with
    another colour setting. The video must be the one ``ds`` was extracted from."""
    found = find_dots_again(ds, source, parse_marker_spec(markers))
    clients = [None if dots is None else _Payload(None, dots=dots) for dots in found]  # type: ignore[arg-type]
    out = ds.drop_vars([v for v in MARKER_VARIABLES if v in ds])
    out = out.drop_dims([d for d in ("marker_colour", "marker") if d in out.dims])
    return out.assign(_marker_arrays(clients, markers))


def find_dots_again(
    ds: xr.Dataset, source: str | os.PathLike, spec: MarkerSpec, *, search: DotSearch = DotSearch()
) -> list[dict[str, Dots] | None]:
    """:func:`movelab.pose.markers.find_dots` on each frame of ``source`` in which ``ds`` found the client,
    near the client's hip and shoulder landmarks in ``ds``; None for the other frames (``ds``'s order)."""
    px = ds["position_px"].values
    detected = ds["detected"].values
    index = {int(f): i for i, f in enumerate(ds["frame"].values)}
    found: list[dict[str, Dots] | None] = [None] * len(index)
    with open_video(source) as reader:
        for frame in reader:
            i = index.get(frame.index)
            if i is None or not bool(detected[i]):
                continue
            found[i] = find_dots(
                frame.image,
                hip_px=px[i, [23, 24]].mean(axis=0),
                shoulder_px=px[i, [11, 12]].mean(axis=0),
                spec=spec,
                search=search,
            )
    return found
