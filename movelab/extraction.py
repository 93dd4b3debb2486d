"""The extraction pipeline: video → the client's landmark Dataset (+ a summary), cached.

Frames stream from :mod:`movelab.io.video` into the pose model one at a time; the client is chosen and
kept by :mod:`movelab.pose.tracking`; each frame's person mask is reduced at once to outline points
(:mod:`movelab.pose.mask_features`), so memory holds only landmarks, never frames or masks.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from movelab import landmarks as lm
from movelab.cache import file_sha256, landmark_cache_path
from movelab.pose.config import ExtractConfig
from movelab.errors import LandmarkFileError, NoPersonError
from movelab.landmarks import summarise
from movelab.io.video import VideoReader, open_video
from movelab.pose.landmarker import Candidate, PoseModel
from movelab.pose.mask_features import outline_from_mask
from movelab.pose.tracking import ClientTracker, Detection, TrackedFrame

__all__ = ["extract", "summarise"]

PERSON_RULE = (
    "client = the person with the largest sum of box area x landmark presence x centrality, times "
    "1 + their travel in torso heights (capped at 3), over the first 5 s in which anyone is seen; "
    "then followed by hip-centre tracking; see docs/pose.md"
)


def extract(
    source: str | os.PathLike | int,
    *,
    config: ExtractConfig = ExtractConfig(),
    use_cache: bool = True,
    progress: bool = False,
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
        Show a progress bar on stderr.

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
    from movelab.pose.bundle import resolve_model

    with open_video(source, max_frames=config.max_frames) as reader:  # bad input fails before anything
        model_path = resolve_model(config.model)  # builds the default model on first use, saying so
        video_sha256 = file_sha256(reader.info.path) if reader.info.source == "file" else ""
        cache_path = None
        if video_sha256 and use_cache:
            cache_path = landmark_cache_path(
                video_sha256=video_sha256,
                model_sha256=file_sha256(model_path),
                settings=config.cache_key_fields(),
                schema_version=lm.SCHEMA_VERSION,
            )
            cached = _load_cached(cache_path, reader.info.path)
            if cached is not None:
                return cached
        ds = _run(reader, model_path, config, progress=progress)
        ds.attrs["source_sha256"] = video_sha256
    if cache_path is not None:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        lm.save(ds, cache_path)
    return ds


def _load_cached(path: Path, source_path: str) -> xr.Dataset | None:
    if not path.is_file():
        return None
    try:
        ds = lm.load(path)
    except LandmarkFileError:
        return None  # a damaged cache entry is recomputed
    ds.attrs["source_path"] = str(source_path)
    ds.attrs["from_cache"] = True
    return ds


def _run(reader: VideoReader, model_path: Path, config: ExtractConfig, *, progress: bool) -> xr.Dataset:
    info = reader.info
    tracker = ClientTracker(
        info.width_px, info.height_px, person=config.person, max_jump=config.max_track_jump
    )
    rows = _Rows(n_outline=config.outline_points if config.outline else 0)
    with PoseModel(
        model_path,
        num_poses=config.num_poses,
        output_masks=config.outline,
        min_pose_detection_confidence=config.min_pose_detection_confidence,
        min_pose_presence_confidence=config.min_pose_presence_confidence,
        min_tracking_confidence=config.min_tracking_confidence,
    ) as model:
        try:
            for frame in _progress(reader, progress):
                candidates = model.detect(frame.image, frame.time_s)
                detections = [_detection(c, info.width_px, info.height_px) for c in candidates]
                rows.extend(tracker.update(frame.index, frame.time_s, detections), config)
                for held in tracker.held_detections():
                    held.payload.reduce(config)  # frames held in the look-ahead window keep no mask
        except KeyboardInterrupt:
            if info.source != "webcam":
                raise
            # Ctrl-C is how a webcam recording ends: keep every frame recorded so far.
        rows.extend(tracker.finish(), config)
    return _dataset(rows, reader, model_path, config)


def _progress(reader: VideoReader, enabled: bool):
    if not enabled:
        return reader
    from tqdm import tqdm

    return tqdm(reader, total=reader.info.n_frames_declared, unit="frame", desc="pose", leave=False)


@dataclass
class _Payload:
    """A candidate waiting for the tracker's decision; its mask becomes outline points once reduced."""

    candidate: Candidate
    outline: np.ndarray | None = None

    def reduce(self, config: ExtractConfig) -> None:
        if self.outline is None and config.outline:
            mask = self.candidate.mask
            anchor = None
            if mask is not None:
                h, w = mask.shape
                anchor = self.candidate.pixels(w, h)[[23, 24]].mean(axis=0)
                self.outline = outline_from_mask(mask, n_points=config.outline_points, anchor_px=anchor)
            else:
                self.outline = np.full((config.outline_points, 2), np.nan, dtype=np.float32)
        self.candidate = Candidate(
            self.candidate.norm, self.candidate.world_m, self.candidate.visibility,
            self.candidate.presence, None,
        )


def _detection(candidate: Candidate, width_px: int, height_px: int) -> Detection:
    return Detection(candidate.pixels(width_px, height_px), candidate.presence, _Payload(candidate))


@dataclass
class _Rows:
    """Per-frame results accumulated in order (small arrays only)."""

    n_outline: int
    time_s: list = field(default_factory=list)
    frame: list = field(default_factory=list)
    n_people: list = field(default_factory=list)
    clients: list = field(default_factory=list)

    def extend(self, decided, config: ExtractConfig) -> None:
        for tracked in decided:
            payload = tracked.client.payload if tracked.client is not None else None
            if payload is not None:
                payload.reduce(config)
            self.time_s.append(tracked.time_s)
            self.frame.append(tracked.index)
            self.n_people.append(tracked.n_people)
            self.clients.append(payload)


def _dataset(rows: _Rows, reader: VideoReader, model_path: Path, config: ExtractConfig) -> xr.Dataset:
    from movelab.version import __version__
    from movelab.pose.bundle import model_name

    info = reader.info
    n = len(rows.time_s)
    if not any(p is not None for p in rows.clients):
        raise NoPersonError(f"{info.path or 'webcam'}: no person was found in any of the {n} frames")
    arrays = lm.empty_landmarks(n, width_px=info.width_px, height_px=info.height_px)
    outline = np.full((n, rows.n_outline, 2), np.nan, dtype=np.float32)
    for i, payload in enumerate(rows.clients):
        if payload is None:
            continue
        c = payload.candidate
        arrays["position_px"][i] = c.pixels(info.width_px, info.height_px)
        arrays["position_norm"][i] = c.norm
        arrays["position_world_m"][i] = c.world_m
        arrays["visibility"][i] = c.visibility
        arrays["presence"][i] = c.presence
        arrays["detected"][i] = True
        if rows.n_outline:
            outline[i] = payload.outline
    extra = {"n_people": xr.DataArray(np.asarray(rows.n_people, dtype=np.int64), dims=("time",))}
    if rows.n_outline:
        extra["outline_px"] = xr.DataArray(
            outline, dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}
        )
    attrs = {
        "movelab_version": __version__,
        "source_path": str(info.path) if info.path else "webcam",
        "video_info": info.to_dict(),
        "fps_nominal": float(info.fps_nominal or 0.0),
        "rotation_deg": int(info.rotation_deg),
        "model_name": model_name(model_path),
        "model_sha256": file_sha256(model_path),
        "settings_json": json.loads(config.to_json()),
        "person_rule": PERSON_RULE,
        "truncated": reader.truncation is not None,
        "truncation": reader.truncation or "",
    }
    return lm.from_arrays(
        time_s=np.asarray(rows.time_s), frame=np.asarray(rows.frame), **arrays,
        width_px=info.width_px, height_px=info.height_px, attrs=attrs, extra=extra,
    )
