"""Every error movelab raises on purpose, in one place.

All derive from :class:`MovelabError`. The CLI prints ``str(error)`` as one line and exits
with :attr:`MovelabError.exit_code`; anything else is a bug and keeps its traceback.

Hierarchy::

    MovelabError
    ├── InputError                 the user's input cannot be used (exit 2)
    │   ├── VideoNotFoundError     path missing, or a directory
    │   ├── NotAVideoError         empty, text, unknown container, no video stream
    │   ├── UnreadableVideoError   a video stream that cannot be decoded (codec, corruption at the start)
    │   └── LandmarkFileError      a landmarks file that is not one of ours or has a newer schema
    ├── NoPersonError              the pose model found nobody (exit 3)
    ├── ModelUnavailableError      the pose model file is missing and cannot be built (exit 4)
    └── ConfigError                an option with a value it cannot take (exit 2)

Messages say what was expected, what arrived, and what the user can do.
"""

from __future__ import annotations

__all__ = [
    "MovelabError",
    "InputError",
    "VideoNotFoundError",
    "NotAVideoError",
    "UnreadableVideoError",
    "LandmarkFileError",
    "NoPersonError",
    "ModelUnavailableError",
    "ConfigError",
    "TruncatedVideoWarning",
]


class MovelabError(Exception):
    """Base of every deliberate movelab error."""

    exit_code: int = 1


class InputError(MovelabError):
    """The input given by the user cannot be used."""

    exit_code = 2


class VideoNotFoundError(InputError):
    """The video path does not exist or is not a file."""


class NotAVideoError(InputError):
    """The file exists but is not a video we can open (empty, text, no video stream)."""


class UnreadableVideoError(InputError):
    """The file has a video stream but no frame of it can be decoded."""


class LandmarkFileError(InputError):
    """A landmarks file that movelab did not write, or wrote with a newer schema."""


class NoPersonError(MovelabError):
    """The pose model found no person in the video."""

    exit_code = 3


class ModelUnavailableError(MovelabError):
    """The pose model bundle is missing and could not be built or found."""

    exit_code = 4


class ConfigError(MovelabError):
    """An option was given a value it cannot take."""

    exit_code = 2


class TruncatedVideoWarning(UserWarning):
    """The video ended early with a decode error; frames before the break were kept."""
