"""movelab: movement analysis from ordinary video for clinicians treating low back pain.

Public API::

    import movelab
    ds = movelab.extract("squat.mp4")          # the client's landmarks, an xarray.Dataset
    movelab.save_landmarks(ds, "squat.nc")
    ds2 = movelab.load_landmarks("squat.nc")  # equal to ds

Errors are in :mod:`movelab.errors`; settings in :mod:`movelab.config`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from movelab.config import Config, ExtractConfig
from movelab.errors import (
    ConfigError,
    InputError,
    LandmarkFileError,
    ModelUnavailableError,
    MovelabError,
    NoPersonError,
    NotAVideoError,
    UnreadableVideoError,
    VideoNotFoundError,
)
from movelab.extraction import extract, summarise
from movelab.landmarks import KEYPOINTS
from movelab.landmarks import load as load_landmarks
from movelab.landmarks import save as save_landmarks

__all__ = [
    "__version__",
    "extract",
    "summarise",
    "load_landmarks",
    "save_landmarks",
    "KEYPOINTS",
    "Config",
    "ExtractConfig",
    "MovelabError",
    "InputError",
    "VideoNotFoundError",
    "NotAVideoError",
    "UnreadableVideoError",
    "LandmarkFileError",
    "NoPersonError",
    "ModelUnavailableError",
    "ConfigError",
]
