"""Small helpers shared by the kinematics modules: keypoint arrays, midpoints, torso length, input checks."""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from movelab import landmarks
from movelab.errors import ConfigError, InputError
from movelab.kinematics.config import KinematicsConfig

LEG_PARTS: tuple[str, ...] = ("hip", "knee", "ankle", "heel", "foot_index")


def check_landmarks(ds) -> xr.Dataset:
    """Raise a clear error unless ``ds`` is a landmark Dataset (see ``movelab.landmarks``)."""
    if not isinstance(ds, xr.Dataset):
        raise InputError(
            f"expected a landmark xarray.Dataset (movelab.landmarks.from_arrays or load), got {type(ds).__name__}"
        )
    return landmarks.validate(ds)


def check_config(config) -> KinematicsConfig:
    if not isinstance(config, KinematicsConfig):
        raise ConfigError(f"config must be a KinematicsConfig, got {type(config).__name__}")
    return config


def point(position: xr.DataArray, name: str) -> np.ndarray:
    """``(time, 2)`` or ``(time, 3)`` float array of one keypoint."""
    if position.dims[:2] == ("time", "keypoint"):
        index = position.get_index("keypoint").get_loc(name)
        return np.array(position.values[:, index], dtype=np.float64)
    return np.asarray(position.sel(keypoint=name).transpose("time", ...).values, dtype=np.float64)


def midpoint(position: xr.DataArray, stem: str, *, fallback: np.ndarray | bool = False) -> np.ndarray:
    """Midpoint of ``left_<stem>`` and ``right_<stem>``.

    Where ``fallback`` is true (a bool or a per-frame mask) and only one side is finite, that side is used.
    """
    left, right = point(position, f"left_{stem}"), point(position, f"right_{stem}")
    mid = (left + right) / 2.0
    fallback = np.broadcast_to(np.asarray(fallback, dtype=bool), mid.shape[:1])
    if fallback.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            one = np.nanmean(np.stack([left, right]), axis=0)
        use = fallback & ~np.isfinite(mid).all(axis=1)
        mid[use] = one[use]
    return mid


def torso_length(position: xr.DataArray) -> np.ndarray:
    """Per-frame distance from ``hip_mid`` to ``shoulder_mid`` (one side used when the other is missing)."""
    trunk = midpoint(position, "shoulder", fallback=True) - midpoint(position, "hip", fallback=True)
    return np.hypot(trunk[:, 0], trunk[:, 1])


def median_torso_length(position: xr.DataArray) -> float:
    """Median torso length over the frames where it is measurable; NaN if it never is."""
    length = torso_length(position)
    length = length[np.isfinite(length) & (length > 0)]
    return float(np.median(length)) if length.size else float("nan")


def scene_positions(ds: xr.Dataset, variable: str, config: KinematicsConfig) -> xr.DataArray:
    """Positions gated on ``presence`` only (landmark inside the picture, occluded or not).

    View detection and swap detection use these: a hidden far shoulder or leg is still placed by the model
    behind the near one, and that placement is the evidence they need.
    """
    keep = (ds["presence"] >= config.min_confidence) & ds["detected"]
    return ds[variable].where(keep)
