"""Extraction's per-frame results and the landmark Dataset built from them (shared by one-process and
chunked extraction, :mod:`movelab.extraction` and :mod:`movelab.parallel`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xarray as xr

from movelab import landmarks as lm
from movelab.cache import file_sha256
from movelab.errors import NoPersonError
from movelab.io.frames import VideoReader
from movelab.pose.config import ExtractConfig
from movelab.pose.landmarker import Candidate
from movelab.pose.markers import parse_marker_spec
from movelab.pose.mask_features import outline_from_mask
from movelab.pose.tracking import Detection

__all__ = ["PERSON_RULE", "Payload", "Rows", "detection", "build_dataset", "marker_arrays"]

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
    dots: dict | None = None

    def reduce(self, config: ExtractConfig) -> None:
        if self.outline is None and config.outline:
            mask = self.candidate.mask
            anchor = None
            if mask is not None:
                h, w = mask.shape
                anchor = self.candidate.pixels(w, h)[[23, 24]].mean(axis=0)
                outline = outline_from_mask(mask, n_points=config.outline_points, anchor_px=anchor)
                # Pixels of the (possibly scaled-down) image the model saw -> pixels of the video.
                if self.picture_px is not None and self.picture_px != (w, h):
                    outline = outline * np.array(self.picture_px, dtype=np.float32) / np.array([w, h], np.float32)
                self.outline = outline
            else:
                self.outline = np.full((config.outline_points, 2), np.nan, dtype=np.float32)
        self.candidate = Candidate(
            self.candidate.norm,
            self.candidate.world_m,
            self.candidate.visibility,
            self.candidate.presence,
            None,
        )


def detection(candidate: Candidate, width_px: int, height_px: int, *, payload: Payload | None = None) -> Detection:
    return Detection(
        candidate.pixels(width_px, height_px), candidate.presence, payload or Payload(candidate, (width_px, height_px))
    )


@dataclass
class Rows:
    """Per-frame results accumulated in order (small arrays only)."""

    n_outline: int
    time_s: list = field(default_factory=list)
    frame: list = field(default_factory=list)
    n_people: list = field(default_factory=list)
    clients: list = field(default_factory=list)
    others_face: list = field(default_factory=list)  # per frame: (n_others, 11, 2) face landmarks, px

    def extend(self, decided, config: ExtractConfig) -> None:
        for tracked in decided:
            payload = tracked.client.payload if tracked.client is not None else None
            if payload is not None:
                payload.reduce(config)
            self.time_s.append(tracked.time_s)
            self.frame.append(tracked.index)
            self.n_people.append(tracked.n_people)
            self.clients.append(payload)
            self.others_face.append(
                np.asarray([d.xy_px[:_N_FACE] for d in tracked.others], dtype=np.float32).reshape(-1, _N_FACE, 2)
            )


_N_FACE = 11  # MediaPipe pose landmarks 0-10 are the face (nose, eyes, ears, mouth)


def _others_face(per_frame: list[np.ndarray]) -> xr.DataArray:
    """Face landmarks (0-10: nose, eyes, ears, mouth) of everyone but the client, NaN-padded per frame."""
    n_other = max([len(f) for f in per_frame] + [1])  # at least 1: netCDF keeps no empty dimension
    faces = np.full((len(per_frame), n_other, _N_FACE, 2), np.nan, dtype=np.float32)
    for i, f in enumerate(per_frame):
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
    from movelab.pose.bundle import model_name
    from movelab.version import __version__

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
    extra = {
        "n_people": xr.DataArray(np.asarray(rows.n_people, dtype=np.int64), dims=("time",)),
        "others_face_px": _others_face(rows.others_face),
    }
    if rows.n_outline:
        extra["outline_px"] = xr.DataArray(outline, dims=("time", "outline_point", "space_2d"), attrs={"units": "px"})
    if config.markers:
        extra.update(marker_arrays(rows.clients, config.markers))
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
        time_s=np.asarray(rows.time_s),
        frame=np.asarray(rows.frame),
        **arrays,
        width_px=info.width_px,
        height_px=info.height_px,
        attrs=attrs,
        extra=extra,
    )


def marker_arrays(clients: list, spec_text: str) -> dict[str, xr.DataArray]:
    """Per-frame sticker dots of the client, for each colour searched: ``marker_px`` (time, marker_colour,
    marker, space_2d) with the two dots sorted by image x (``marker`` = ``image_left``, ``image_right``; NaN
    unless that colour gave exactly two), ``marker_area_px`` and ``marker_count`` (dots of that colour found:
    2 a pair, 0/1 missing or hidden, >2 ambiguous)."""
    names = [name for name, _ in parse_marker_spec(spec_text).colours]
    n, k = len(clients), len(names)
    centres = np.full((n, k, 2, 2), np.nan)
    areas = np.full((n, k, 2), np.nan)
    counts = np.zeros((n, k), dtype=np.int64)
    for i, payload in enumerate(clients):
        dots = payload.dots if payload is not None else None
        for j, name in enumerate(names):
            if dots is not None and name in dots:
                centres[i, j], areas[i, j], counts[i, j] = dots[name].centres_px, dots[name].areas_px, dots[name].count
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
        "marker_count": xr.DataArray(
            counts, dims=("time", "marker_colour"), coords={"marker_colour": names}, attrs={"units": "1"}
        ),
    }
