"""Extraction's per-frame results and the landmark Dataset built from them (shared by one-process and
chunked extraction, :mod:`movelab.extraction` and :mod:`movelab.parallel`)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from array import array
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import xarray as xr

from movelab import landmarks as lm
from movelab.cache import file_sha256
from movelab.errors import NoPersonError
from movelab.io.frames import VideoReader
from movelab.pose.config import ExtractConfig
from movelab.pose.face_cue import frontal_face, frontal_face_array
from movelab.pose.landmarker import Candidate
from movelab.pose.markers import parse_marker_spec
from movelab.pose.mask_features import outline_from_mask
from movelab.pose.outline_edges import snap_outline_to_edges
from movelab.pose.tracking import Detection

__all__ = ["PERSON_RULE", "Payload", "Rows", "detection", "build_dataset", "write_dataset", "marker_arrays"]

PERSON_RULE = (
    "client = the person with the largest sum of box area x landmark presence x centrality, times "
    "1 + their travel in torso heights (capped at 3), over the first 5 s in which anyone is seen; "
    "then followed by hip-centre tracking; see docs/pose.md"
)


@dataclass
class Payload:
    """A candidate waiting for the tracker's decision; its mask becomes outline points once reduced."""

    candidate: Candidate
    picture_px: tuple[int, int] | None = None
    outline: np.ndarray | None = None
    outline_edges: np.ndarray | None = None
    dots: dict | None = None
    face: float = float("nan")

    def look_at(self, image: np.ndarray, config: ExtractConfig) -> None:
        """What extraction reads from the picture the model saw, while it is at hand: the face cue
        (:meth:`look_for_face`) and the outline moved onto the picture's edges (:meth:`outline_at_edges`)."""
        self.look_for_face(image, config)
        self.outline_at_edges(image, config)

    def look_for_face(self, image: np.ndarray, config: ExtractConfig) -> None:
        """Whether the candidate's face is seen in ``image`` (the picture the model saw), as ``frontal_face``
        stores it (:mod:`movelab.pose.face_cue`)."""
        h, w = image.shape[:2]
        self.face = frontal_face(image, self.candidate.pixels(w, h), min_share=config.mirror_min_shoulder_share)

    def outline_at_edges(self, image: np.ndarray, config: ExtractConfig) -> None:
        """The mask's outline and its copy moved onto ``image``'s edges (:mod:`movelab.pose.outline_edges`),
        while the picture the model saw is at hand (``outline_edges``; :meth:`reduce` then keeps them)."""
        if self.outline is None and config.outline and config.outline_edges and self.candidate.mask is not None:
            outline = self._mask_outline(config)
            gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
            if gray.shape != self.candidate.mask.shape:  # the mask is the model's picture's size
                gray = cv2.resize(gray, self.candidate.mask.shape[::-1], interpolation=cv2.INTER_AREA)
            self.outline_edges = self._to_video_px(snap_outline_to_edges(gray, outline))
            self.outline = self._to_video_px(outline)

    def reduce(self, config: ExtractConfig) -> None:
        if self.candidate.mask is None and (self.outline is not None or not config.outline):
            return  # reduced already (frames held in the look-ahead window are offered again each frame)
        if self.outline is None and config.outline:
            if self.candidate.mask is not None:
                self.outline = self._to_video_px(self._mask_outline(config))
            else:
                self.outline = np.full((config.outline_points, 2), np.nan, dtype=np.float32)
        self.candidate = Candidate(
            self.candidate.norm,
            self.candidate.world_m,
            self.candidate.visibility,
            self.candidate.presence,
            None,
        )

    def _mask_outline(self, config: ExtractConfig) -> np.ndarray:
        """The mask's outline in pixels of the (possibly scaled-down) picture the model saw."""
        mask = self.candidate.mask
        h, w = mask.shape
        anchor = self.candidate.pixels(w, h)[[23, 24]].mean(axis=0)
        return outline_from_mask(mask, n_points=config.outline_points, anchor_px=anchor)

    def _to_video_px(self, outline: np.ndarray) -> np.ndarray:
        """Pixels of the picture the model saw -> pixels of the video."""
        h, w = self.candidate.mask.shape
        if self.picture_px is not None and self.picture_px != (w, h):
            outline = outline * np.array(self.picture_px, dtype=np.float32) / np.array([w, h], np.float32)
        return outline


def detection(candidate: Candidate, width_px: int, height_px: int, *, payload: Payload | None = None) -> Detection:
    return Detection(
        candidate.pixels(width_px, height_px), candidate.presence, payload or Payload(candidate, (width_px, height_px))
    )


_N_FACE = 11  # MediaPipe pose landmarks 0-10 are the face (nose, eyes, ears, mouth)

#: Frames held in memory before they are appended to the rows' files (a few MB at most).
CHUNK_FRAMES = 512


class Rows:
    """Per-frame results in frame order, streamed to temporary files so memory does not grow with the video.

    The client's landmarks and outline of ``CHUNK_FRAMES`` frames are kept in preallocated arrays (the
    same arrays, dtypes and fill values as :func:`movelab.landmarks.empty_landmarks`), then appended to one
    raw file per variable in a temporary folder; per frame only a few numbers stay in memory (time, frame,
    people, detected) and the faces of other people where there are any. :func:`build_dataset` reads the
    files into an in-memory Dataset; :func:`write_dataset` copies them into a landmark file chunk by chunk.
    """

    def __init__(
        self,
        *,
        n_outline: int,
        width_px: int,
        height_px: int,
        keep_dots: bool = False,
        scratch_dir: str | os.PathLike | None = None,
        outline_edges: bool = False,
    ) -> None:
        self.n_outline = n_outline
        self.outline_edges = bool(n_outline and outline_edges)
        self.width_px, self.height_px = width_px, height_px
        self.time_s = array("d")
        self.frame = array("q")
        self.n_people = array("q")
        self.detected = array("b")
        self.face = array("d")  # frontal_face per frame (movelab.pose.face_cue)
        self.others_face: dict[int, np.ndarray] = {}  # frame row -> (n_others, 11, 2) face landmarks, px
        self.dots: list | None = [] if keep_dots else None  # per frame: a Payload holding the sticker dots, or None
        # beside the output when given (a tmpfs /tmp would hold the "files" in memory after all)
        self._folder = Path(tempfile.mkdtemp(prefix=".movelab-rows-", dir=scratch_dir))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._buffer = self._empty_chunk()
        self._used = 0

    def __len__(self) -> int:
        return len(self.time_s)

    def extend(self, decided, config: ExtractConfig) -> None:
        for tracked in decided:
            payload = tracked.client.payload if tracked.client is not None else None
            if payload is not None:
                payload.reduce(config)
                self._put(payload)
            self.detected.append(payload is not None)
            self.face.append(payload.face if payload is not None else float("nan"))
            if self.dots is not None:
                self.dots.append(Payload(None, dots=payload.dots) if payload is not None else None)  # type: ignore[arg-type]
            if tracked.others:
                faces = np.asarray([d.xy_px[:_N_FACE] for d in tracked.others], dtype=np.float32)
                self.others_face[len(self.time_s)] = faces.reshape(-1, _N_FACE, 2)
            self.time_s.append(tracked.time_s)
            self.frame.append(tracked.index)
            self.n_people.append(tracked.n_people)
            self._used += 1
            if self._used == CHUNK_FRAMES:
                self._flush()

    def _put(self, payload: Payload) -> None:
        i, c, buf = self._used, payload.candidate, self._buffer
        buf["position_px"][i] = c.pixels(self.width_px, self.height_px)
        buf["position_norm"][i] = c.norm
        buf["position_world_m"][i] = c.world_m
        buf["visibility"][i] = c.visibility
        buf["presence"][i] = c.presence
        if self.n_outline:
            buf["outline_px"][i] = payload.outline
        if self.outline_edges and payload.outline_edges is not None:
            buf["outline_edges_px"][i] = payload.outline_edges

    def _empty_chunk(self) -> dict[str, np.ndarray]:
        arrays = lm.empty_landmarks(CHUNK_FRAMES, width_px=self.width_px, height_px=self.height_px)
        del arrays["detected"]
        if self.n_outline:
            arrays["outline_px"] = np.full((CHUNK_FRAMES, self.n_outline, 2), np.nan, dtype=np.float32)
        if self.outline_edges:
            arrays["outline_edges_px"] = np.full((CHUNK_FRAMES, self.n_outline, 2), np.nan, dtype=np.float32)
        return arrays

    def _flush(self) -> None:
        for name, values in self._buffer.items():
            with open(self._folder / name, "ab") as handle:
                handle.write(np.ascontiguousarray(values[: self._used]).tobytes())
        self._buffer = self._empty_chunk()
        self._used = 0

    def column_names(self) -> list[str]:
        """The streamed variables (landmark arrays, then ``outline_px`` and ``outline_edges_px`` when outlines are
        kept)."""
        return list(self._buffer)

    def column(self, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Frames ``start:stop`` of one streamed variable, read from its file (all frames are flushed first)."""
        if self._used:
            self._flush()
        template = self._buffer[name]
        stop = len(self) if stop is None else min(stop, len(self))
        count = max(stop - start, 0)
        row_items = int(np.prod(template.shape[1:]))
        path = self._folder / name
        if not count or not path.exists():
            return np.empty((count, *template.shape[1:]), dtype=template.dtype)
        values = np.fromfile(path, dtype=template.dtype, count=count * row_items, offset=start * template.strides[0])
        return values.reshape(count, *template.shape[1:])

    def close(self) -> None:
        """Remove the temporary files (also done when the object is collected)."""
        self._cleanup()


def _others_face(per_frame: dict[int, np.ndarray], n_frames: int) -> xr.DataArray:
    """Face landmarks (0-10: nose, eyes, ears, mouth) of everyone but the client, NaN-padded per frame."""
    n_other = max([len(f) for f in per_frame.values()] + [1])  # at least 1: netCDF keeps no empty dimension
    faces = np.full((n_frames, n_other, _N_FACE, 2), np.nan, dtype=np.float32)
    for i, f in per_frame.items():
        faces[i, : len(f)] = f
    return xr.DataArray(
        faces,
        dims=("time", "other", "face_point", "space_2d"),
        attrs={
            "units": "px",
            "description": "face landmarks 0-10 of the other people seen in each frame (for blurring their faces)",
        },
    )


def build_dataset(rows: Rows, reader: VideoReader, model_path: Path, config: ExtractConfig) -> xr.Dataset:
    """The landmark Dataset of ``rows``, in memory."""
    return _dataset(rows, reader, model_path, config, columns={name: rows.column(name) for name in rows.column_names()})


def write_dataset(
    rows: Rows, reader: VideoReader, model_path: Path, config: ExtractConfig, path: Path, *, attrs: dict | None = None
) -> Path:
    """Write the landmark Dataset of ``rows`` (with ``attrs`` added) to the landmark file ``path``, its
    per-frame arrays copied from the rows' files a chunk of frames at a time: memory does not grow with the
    video. Loading the file gives what :func:`build_dataset` + :func:`movelab.landmarks.save` would."""
    n = len(rows)
    views = {}  # zero-copy stand-ins with the right shape and dtype; the values come from the files
    for name in rows.column_names():
        empty = rows.column(name, 0, 0)
        views[name] = np.broadcast_to(np.zeros((), dtype=empty.dtype), (n, *empty.shape[1:]))
    template = _dataset(rows, reader, model_path, config, columns=views)
    template.attrs.update(attrs or {})
    return lm.save_streamed(template, path, streamed=list(views), read=rows.column, chunk_frames=4 * CHUNK_FRAMES)


def _dataset(
    rows: Rows, reader: VideoReader, model_path: Path, config: ExtractConfig, *, columns: dict[str, np.ndarray]
) -> xr.Dataset:
    from movelab.pose.bundle import model_name
    from movelab.version import __version__

    info = reader.info
    n = len(rows)
    detected = np.asarray(rows.detected, dtype=bool)
    if not detected.any():
        raise NoPersonError(f"{info.path or 'webcam'}: no person was found in any of the {n} frames")
    extra = {
        "n_people": xr.DataArray(np.asarray(rows.n_people, dtype=np.int64), dims=("time",)),
        "others_face_px": _others_face(rows.others_face, n),
        "frontal_face": frontal_face_array(np.asarray(rows.face, dtype=np.float64), None),
    }
    if rows.n_outline:
        extra["outline_px"] = xr.DataArray(
            columns["outline_px"], dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}
        )
    if rows.outline_edges:
        extra["outline_edges_px"] = xr.DataArray(
            columns["outline_edges_px"], dims=("time", "outline_point", "space_2d"), attrs={"units": "px"}
        )
    if config.markers:
        extra.update(marker_arrays(rows.dots or [], config.markers))
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
        time_s=np.asarray(rows.time_s, dtype=np.float64),
        frame=np.asarray(rows.frame, dtype=np.int64),
        position_px=columns["position_px"],
        position_norm=columns["position_norm"],
        position_world_m=columns["position_world_m"],
        visibility=columns["visibility"],
        presence=columns["presence"],
        detected=detected,
        width_px=info.width_px,
        height_px=info.height_px,
        attrs=attrs,
        extra=extra,
    )


#: The landmark Dataset's sticker-dot variables (:func:`marker_arrays`).
MARKER_VARIABLES = ("marker_px", "marker_area_px", "marker_hidden", "marker_cut_sd_px", "marker_count")


def marker_arrays(clients: list, spec_text: str) -> dict[str, xr.DataArray]:
    """Per-frame sticker dots of the client, for each colour searched: ``marker_px`` (time, marker_colour,
    marker, space_2d) with the two dots sorted by image x (``marker`` = ``image_left``, ``image_right``; NaN
    unless that colour gave exactly two), ``marker_area_px``, ``marker_hidden`` and ``marker_cut_sd_px`` (a dot cut by
    an edge: the share of its height hidden and its centre's added uncertainty, :class:`movelab.pose.markers.Dots`)
    and ``marker_count`` (dots of that colour
    found: 2 a pair, 0/1 missing or hidden, >2 ambiguous)."""
    names = [name for name, _ in parse_marker_spec(spec_text).colours]
    n, k = len(clients), len(names)
    centres = np.full((n, k, 2, 2), np.nan)
    areas = np.full((n, k, 2), np.nan)
    hidden = np.full((n, k, 2), np.nan)
    cut_sd = np.full((n, k, 2), np.nan)
    counts = np.zeros((n, k), dtype=np.int64)
    for i, payload in enumerate(clients):
        dots = payload.dots if payload is not None else None
        for j, name in enumerate(names):
            if dots is not None and name in dots:
                centres[i, j], areas[i, j], counts[i, j] = dots[name].centres_px, dots[name].areas_px, dots[name].count
                hidden[i, j], cut_sd[i, j] = dots[name].hidden, dots[name].cut_sd_px
    coords = {"marker_colour": names, "marker": ["image_left", "image_right"]}
    return {
        "marker_px": xr.DataArray(
            centres,
            dims=("time", "marker_colour", "marker", "space_2d"),
            coords=coords,
            attrs={"units": "px", "markers": spec_text},
        ),
        "marker_area_px": xr.DataArray(
            areas, dims=("time", "marker_colour", "marker"), coords=coords, attrs={"units": "px^2"}
        ),
        "marker_hidden": xr.DataArray(
            hidden, dims=("time", "marker_colour", "marker"), coords=coords, attrs={"units": "1"}
        ),
        "marker_cut_sd_px": xr.DataArray(
            cut_sd, dims=("time", "marker_colour", "marker"), coords=coords, attrs={"units": "px"}
        ),
        "marker_count": xr.DataArray(
            counts, dims=("time", "marker_colour"), coords={"marker_colour": names}, attrs={"units": "1"}
        ),
    }
