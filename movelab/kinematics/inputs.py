"""Input checks shared by the kinematics and events stages: a landmark Dataset, a kinematics config, and the
presence-gated positions that view and leg-swap detection read."""

from __future__ import annotations

import xarray as xr

from movelab import landmarks
from movelab.errors import ConfigError, InputError
from movelab.kinematics.config import KinematicsConfig

__all__ = ["check_landmarks", "check_config", "scene_positions"]


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


def scene_positions(ds: xr.Dataset, variable: str, config: KinematicsConfig) -> xr.DataArray:
    """Positions gated on ``presence`` only (landmark inside the picture, occluded or not).

    View detection and swap detection use these: a hidden far shoulder or leg is still placed by the model
    behind the near one, and that placement is the evidence they need.
    """
    keep = (ds["presence"] >= config.min_confidence) & ds["detected"]
    return ds[variable].where(keep)
