"""movelab: movement analysis from ordinary video for clinicians treating low back pain.

Public API::

    import movelab
    ds = movelab.extract("squat.mp4")          # the client's landmarks, an xarray.Dataset
    movelab.save_landmarks(ds, "squat.nc")
    ds2 = movelab.load_landmarks("squat.nc")  # equal to ds

Errors are in :mod:`movelab.errors`; settings in :mod:`movelab.config`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from movelab._lazy import lazy_getattr
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
from movelab.version import __version__

if TYPE_CHECKING:  # the names the package root offers lazily (PEP 562), for type checkers
    from movelab.config import Config, ExtractConfig
    from movelab.extraction import extract, summarise
    from movelab.landmarks import KEYPOINTS
    from movelab.landmarks import load as load_landmarks
    from movelab.landmarks import save as save_landmarks

#: name -> (module, attribute): imported on first use, so that ``import movelab.kinematics`` (or
#: ``movelab.events``, ``movelab.findings``) loads neither OpenCV, PyAV nor MediaPipe.
_LAZY: dict[str, tuple[str, str]] = {
    "extract": ("movelab.extraction", "extract"),
    "summarise": ("movelab.extraction", "summarise"),
    "load_landmarks": ("movelab.landmarks", "load"),
    "save_landmarks": ("movelab.landmarks", "save"),
    "KEYPOINTS": ("movelab.landmarks", "KEYPOINTS"),
    "Config": ("movelab.config", "Config"),
    "ExtractConfig": ("movelab.config", "ExtractConfig"),
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
