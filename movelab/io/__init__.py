"""Reading video: files through PyAV, webcams through OpenCV.

See :mod:`movelab.io.video` for the conventions (upright RGB frames, real timestamps, rotation).
The names below are imported on first use (PEP 562), so that ``movelab.io.outputs`` (writing result
files, used by the report) loads neither PyAV nor OpenCV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from movelab._lazy import lazy_getattr

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


__getattr__ = lazy_getattr(__name__, dict.fromkeys(__all__, "movelab.io.video"), globals())
