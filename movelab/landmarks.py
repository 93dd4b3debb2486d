"""The landmark data model: one labelled ``xarray.Dataset`` for a tracked client.

Schema (version 1) is described in ``docs/architecture.md``. In short: dims ``time``, ``keypoint``,
``space_2d`` (x, y) and ``space_3d`` (x, y, z); ``time`` in seconds from the container's real frame
timestamps with the decode index ``frame`` beside it; positions in pixels of the upright picture,
MediaPipe normalised coordinates, and MediaPipe world coordinates in metres; ``visibility``,
``presence`` and a per-frame ``detected`` flag. Frames where the client was not found stay in the
record with NaN positions and ``detected = False``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from movelab.errors import LandmarkFileError

__all__ = [
    "KEYPOINTS",
    "SCHEMA_VERSION",
    "summarise",
    "SKELETON",
    "empty_landmarks",
    "from_arrays",
    "validate",
    "save",
    "save_streamed",
    "summarise_file",
    "set_file_attrs",
    "check_file",
    "load",
    "keypoint",
]

#: Landmark pairs drawn as bones (MediaPipe names).
SKELETON: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)

SCHEMA_VERSION = 1

#: The 33 BlazePose landmarks, in MediaPipe's index order.
KEYPOINTS: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

COORDINATE_SYSTEM = (
    "position_px: pixels of the upright picture, origin top-left, x right, y down. "
    "position_norm: MediaPipe normalised image coordinates (x, y in [0, 1] of the upright picture; "
    "z relative depth on the scale of x, smaller is nearer the camera). "
    "position_world_m: MediaPipe world landmarks in metres, origin between the hips. "
    "time: seconds from the container's presentation timestamps; frame: decode index from 0."
)

_VARIABLES: dict[str, tuple[str, ...]] = {
    "position_px": ("time", "keypoint", "space_2d"),
    "position_norm": ("time", "keypoint", "space_3d"),
    "position_world_m": ("time", "keypoint", "space_3d"),
    "visibility": ("time", "keypoint"),
    "presence": ("time", "keypoint"),
    "detected": ("time",),
}

_UNITS = {
    "position_px": "px",
    "position_norm": "1 (fraction of picture width/height)",
    "position_world_m": "m",
    "visibility": "1",
    "presence": "1",
}


def from_arrays(
    *,
    time_s: np.ndarray,
    frame: np.ndarray | None = None,
    position_px: np.ndarray,
    position_norm: np.ndarray | None = None,
    position_world_m: np.ndarray | None = None,
    visibility: np.ndarray | None = None,
    presence: np.ndarray | None = None,
    detected: np.ndarray | None = None,
    width_px: int,
    height_px: int,
    attrs: Mapping[str, Any] | None = None,
    extra: Mapping[str, xr.DataArray] | None = None,
) -> xr.Dataset:
    """Build a landmark Dataset from plain arrays.

    Parameters
    ----------
    time_s
        Frame times in seconds, shape ``(n,)``, strictly increasing.
    frame
        Decode indices, shape ``(n,)``; defaults to ``0 .. n-1``.
    position_px
        Pixel positions in the upright picture, shape ``(n, 33, 2)``; NaN where missing.
    position_norm, position_world_m
        Shape ``(n, 33, 3)``; default NaN (normalised x, y are derived from pixels when omitted).
    visibility, presence
        Shape ``(n, 33)``; default 1 where the position is finite, else 0.
    detected
        Shape ``(n,)``; defaults to "any finite keypoint in that frame".
    width_px, height_px
        Size of the upright picture.
    attrs
        Extra attributes (source, model, settings...).
    extra
        Extra per-frame variables (e.g. outline features) to merge in.

    Returns
    -------
    xarray.Dataset
        Validated landmark Dataset (see module docstring).
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    n = time_s.shape[0]
    position_px = np.asarray(position_px, dtype=np.float64)
    finite = np.isfinite(position_px).all(axis=-1)
    if position_norm is None:
        position_norm = np.full((n, len(KEYPOINTS), 3), np.nan)
        position_norm[..., 0] = position_px[..., 0] / width_px
        position_norm[..., 1] = position_px[..., 1] / height_px
    if position_world_m is None:
        position_world_m = np.full((n, len(KEYPOINTS), 3), np.nan)
    if visibility is None:
        visibility = finite.astype(np.float64)
    if presence is None:
        presence = finite.astype(np.float64)
    if detected is None:
        detected = finite.any(axis=1)
    if frame is None:
        frame = np.arange(n, dtype=np.int64)
    data = {
        "position_px": position_px,
        "position_norm": np.asarray(position_norm, dtype=np.float64),
        "position_world_m": np.asarray(position_world_m, dtype=np.float64),
        "visibility": np.asarray(visibility, dtype=np.float64),
        "presence": np.asarray(presence, dtype=np.float64),
        "detected": np.asarray(detected, dtype=bool),
    }
    ds = xr.Dataset(
        {name: (_VARIABLES[name], value) for name, value in data.items()},
        coords={
            "time": ("time", time_s, {"units": "s"}),
            "frame": ("time", np.asarray(frame, dtype=np.int64)),
            "keypoint": list(KEYPOINTS),
            "space_2d": ["x", "y"],
            "space_3d": ["x", "y", "z"],
        },
    )
    for name, unit in _UNITS.items():
        ds[name].attrs["units"] = unit
    if extra:
        ds = ds.assign(dict(extra))
    ds.attrs.update(
        {
            "schema_version": SCHEMA_VERSION,
            "width_px": int(width_px),
            "height_px": int(height_px),
            "coordinate_system": COORDINATE_SYSTEM,
        }
    )
    ds.attrs.update(attrs or {})
    validate(ds)
    return ds


def empty_landmarks(n_frames: int, *, width_px: int, height_px: int) -> dict[str, np.ndarray]:
    """Preallocated NaN arrays for ``n_frames`` frames, keyed like :func:`from_arrays`' arguments."""
    k = len(KEYPOINTS)
    return {
        "position_px": np.full((n_frames, k, 2), np.nan),
        "position_norm": np.full((n_frames, k, 3), np.nan),
        "position_world_m": np.full((n_frames, k, 3), np.nan),
        "visibility": np.zeros((n_frames, k)),
        "presence": np.zeros((n_frames, k)),
        "detected": np.zeros(n_frames, dtype=bool),
    }


def validate(ds: xr.Dataset) -> xr.Dataset:
    """Check that ``ds`` follows the landmark schema; raise :class:`LandmarkFileError` if not.

    Returns ``ds`` unchanged so it can be used inline.
    """
    version = ds.attrs.get("schema_version")
    if version is None:
        raise LandmarkFileError("not a movelab landmark dataset: no schema_version attribute")
    if int(version) > SCHEMA_VERSION:
        raise LandmarkFileError(
            f"landmark schema version {version} is newer than this movelab understands "
            f"({SCHEMA_VERSION}); upgrade movelab"
        )
    for name, dims in _VARIABLES.items():
        if name not in ds:
            raise LandmarkFileError(f"landmark dataset lacks the variable {name!r}")
        if ds[name].dims != dims:
            raise LandmarkFileError(f"{name} has dims {ds[name].dims}, expected {dims}")
    if tuple(ds["keypoint"].values.tolist()) != KEYPOINTS:
        raise LandmarkFileError("keypoint names differ from the 33 MediaPipe landmarks")
    time = ds["time"].values
    if time.size > 1 and not np.all(np.diff(time) > 0):
        raise LandmarkFileError("time must be strictly increasing")
    return ds


def keypoint(ds: xr.Dataset, name: str, *, variable: str = "position_px") -> xr.DataArray:
    """One keypoint's trajectory, e.g. ``keypoint(ds, "left_hip")`` → ``(time, space_2d)``."""
    if name not in KEYPOINTS:
        raise KeyError(f"unknown keypoint {name!r}; expected one of the 33 MediaPipe names")
    return ds[variable].sel(keypoint=name)


def _encodable_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if isinstance(value, (dict, list, tuple)) or value is None:
            out[key] = "json:" + json.dumps(value)
        elif isinstance(value, (bool, np.bool_)):
            out[key] = "json:" + json.dumps(bool(value))
        else:
            out[key] = value
    return out


def _decoded_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if isinstance(value, str) and value.startswith("json:"):
            out[key] = json.loads(value[5:])
        elif isinstance(value, np.generic):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def save(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` to a netCDF4 file atomically (temp file + rename) and return the path."""
    validate(ds)
    encoded = _encoded(ds)
    return _write_atomically(Path(path), lambda tmp: encoded.to_netcdf(tmp, engine="h5netcdf"))


def save_streamed(
    ds: xr.Dataset,
    path: str | os.PathLike,
    *,
    streamed: Sequence[str],
    read: Callable[[str, int, int], np.ndarray],
    chunk_frames: int = 2048,
) -> Path:
    """Like :func:`save`, but the per-frame variables named in ``streamed`` are written ``chunk_frames``
    frames at a time from ``read(name, start, stop)``, so a long recording is never held in memory whole.

    In ``ds`` those variables are templates (their dims, dtype and attributes count, not their values: a
    zero-copy ``numpy.broadcast_to`` view will do). Loading the file gives what :func:`save` of ``ds`` with
    the values filled in would give.
    """
    validate(ds)
    encoded = _encoded(ds)

    def write(tmp: str) -> None:
        import h5netcdf

        encoded.drop_vars(list(streamed)).to_netcdf(tmp, engine="h5netcdf")
        with h5netcdf.File(tmp, "a") as handle:
            for name in streamed:
                _write_frames(
                    handle,
                    encoded[name],
                    read=lambda start, stop, name=name: read(name, start, stop),
                    chunk_frames=chunk_frames,
                )

    return _write_atomically(Path(path), write)


def _write_frames(handle, template: xr.DataArray, *, read: Callable[[int, int], np.ndarray], chunk_frames: int) -> None:
    for dim, size in template.sizes.items():
        if dim not in handle.dimensions:
            handle.dimensions[dim] = size
    floating = np.issubdtype(template.dtype, np.floating)
    variable = handle.create_variable(
        template.name, template.dims, template.dtype, fillvalue=template.dtype.type(np.nan) if floating else None
    )
    variable.attrs.update(template.attrs)
    n = template.sizes["time"]
    for start in range(0, n, chunk_frames):
        stop = min(start + chunk_frames, n)
        variable[start:stop] = read(start, stop)


def _encoded(ds: xr.Dataset) -> xr.Dataset:
    encoded = ds.copy()
    encoded.attrs = _encodable_attrs(ds.attrs)
    encoded["detected"] = ds["detected"].astype("int8")
    encoded["detected"].attrs["flag"] = "bool"
    for name in encoded.data_vars:
        encoded[name].attrs = _encodable_attrs(encoded[name].attrs)
    return encoded


def _write_atomically(path: Path, write: Callable[[str], Any]) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def set_file_attrs(path: str | os.PathLike, attrs: Mapping[str, Any]) -> None:
    """Change global attributes of a landmark file in place (encoded as :func:`save` encodes them)."""
    import h5netcdf

    with h5netcdf.File(path, "a") as handle:
        for key, value in _encodable_attrs(attrs).items():
            handle.attrs[key] = value


def check_file(path: str | os.PathLike) -> None:
    """Raise :class:`LandmarkFileError` unless ``path`` opens as a landmark file (without reading its arrays)."""
    try:
        with xr.open_dataset(path, engine="h5netcdf") as stored:
            stored.attrs = _decoded_attrs(stored.attrs)
            validate(stored)
    except (OSError, ValueError) as err:
        raise LandmarkFileError(f"{path}: not a movelab landmark file ({err})") from None


def summarise_file(path: str | os.PathLike) -> dict[str, Any]:
    """:func:`summarise` of a landmark file, reading its arrays a chunk of frames at a time."""
    with xr.open_dataset(path, engine="h5netcdf") as stored:
        stored.attrs = _decoded_attrs(stored.attrs)
        return summarise(stored)


def load(path: str | os.PathLike) -> xr.Dataset:
    """Read a landmark file written by :func:`save`; the result equals the saved Dataset."""
    path = Path(path)
    if not path.is_file():
        raise LandmarkFileError(f"{path}: no such landmark file")
    try:
        with xr.open_dataset(path, engine="h5netcdf") as stored:
            ds = stored.load()
    except (OSError, ValueError) as err:
        raise LandmarkFileError(f"{path}: not a movelab landmark file ({err})") from None
    ds.attrs = _decoded_attrs(ds.attrs)
    for name in ds.data_vars:
        ds[name].attrs = _decoded_attrs(ds[name].attrs)
    if "detected" in ds:
        ds["detected"] = ds["detected"].astype(bool)
        ds["detected"].attrs = {}
    for name in ("keypoint", "space_2d", "space_3d"):
        ds[name] = ds[name].astype(str)
    # The schema's variables first, whatever order the file holds them in (save_streamed writes them last).
    ds = ds[[*(v for v in _VARIABLES if v in ds), *(v for v in ds.data_vars if v not in _VARIABLES)]]
    return validate(ds)


_SUMMARY_CHUNK_FRAMES = 4096


def summarise(ds: xr.Dataset) -> dict[str, Any]:
    """The ``summary.json`` content: video facts and pose detection facts of a landmark Dataset."""
    time = ds["time"].values
    n = int(time.size)
    step = float(np.median(np.diff(time))) if n > 1 else 0.0
    duration_s = float(time[-1] - time[0] + step) if n else 0.0
    detected = ds["detected"].values.astype(bool)
    boxes = []  # per detected frame: min x, min y, max x, max y; a chunk of frames at a time (a file stays on disk)
    for start in range(0, n, _SUMMARY_CHUNK_FRAMES):
        part = slice(start, start + _SUMMARY_CHUNK_FRAMES)
        xy = ds["position_norm"][part].values[detected[part]][..., :2]
        if xy.size:
            boxes.append(np.concatenate([np.nanmin(xy, axis=1), np.nanmax(xy, axis=1)], axis=1))
    bbox = [round(float(v), 4) for v in np.nanmedian(np.concatenate(boxes), axis=0)] if boxes else None
    video_info = ds.attrs.get("video_info", {})
    return {
        "video": {
            "path": ds.attrs.get("source_path"),
            "fps": round(n / duration_s, 3) if duration_s > 0 else None,
            "fps_nominal": ds.attrs.get("fps_nominal"),
            "variable_frame_rate": bool(n > 2 and np.ptp(np.diff(time)) > 0.25 * step),
            "frames": n,
            "duration_s": round(duration_s, 4),
            "width": int(ds.attrs["width_px"]),
            "height": int(ds.attrs["height_px"]),
            "rotation_deg": int(ds.attrs.get("rotation_deg", 0)),
            "codec": video_info.get("codec"),
            "truncated": bool(ds.attrs.get("truncated", False)),
            "truncation": ds.attrs.get("truncation") or None,
        },
        "pose": {
            "model": ds.attrs.get("model_name"),
            "detected_frames": int(detected.sum()),
            "detection_rate": round(float(detected.mean()) if n else 0.0, 4),
            "subject_bbox_norm": bbox,
            "max_people_in_view": int(ds["n_people"].max()) if "n_people" in ds and n else None,
            "person_rule": ds.attrs.get("person_rule"),
        },
    }
