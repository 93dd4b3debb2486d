"""Reading video: files through PyAV, webcams through OpenCV.

See :mod:`movelab.io.video` for the conventions (upright RGB frames, real timestamps, rotation).
"""

from __future__ import annotations

from movelab.io.video import (
    Frame,
    VideoInfo,
    VideoReader,
    open_video,
    probe_video,
    read_frame_times,
)

__all__ = [
    "Frame",
    "VideoInfo",
    "VideoReader",
    "open_video",
    "probe_video",
    "read_frame_times",
]
