"""Reading video: files through PyAV, webcams through OpenCV.

See :mod:`movelab.io.video` for the conventions (upright RGB frames, real timestamps, rotation).
The names below are imported on first use (PEP 562), so that ``movelab.io.outputs`` (writing result
files, used by the report) loads neither PyAV nor OpenCV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movelab.io.video import Frame, VideoInfo, VideoReader, open_video, probe_video, read_frame_times

__all__ = [
    "Frame",
    "VideoInfo",
    "VideoReader",
    "open_video",
    "probe_video",
    "read_frame_times",
]


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module 'movelab.io' has no attribute {name!r}")
    from movelab.io import video

    value = getattr(video, name)
    globals()[name] = value
    return value
