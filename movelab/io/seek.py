"""Frames of one stretch of a video file, read after a seek (for extracting a video in time chunks)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import av
import cv2
import numpy as np

from movelab.io.frames import shrunk_size
from movelab.io.video_file import _CW_ROTATE_CODES, _clockwise_rotation_deg

__all__ = ["stretch_frames"]


def stretch_frames(
    path: str | os.PathLike, *, from_s: float, until_s: float, max_side_px: int | None = None
) -> Iterator[tuple[float, np.ndarray]]:
    """``(time_s, image)`` of the frames with ``from_s <= time_s < until_s``, upright RGB.

    Seeks to the key frame at or before ``from_s`` and decodes from there (threaded), dropping the frames
    before ``from_s``; frames without a timestamp, or not after the previous one, are skipped. Images are
    scaled down by the decoder like :meth:`movelab.io.video.VideoReader.shrink_to` does.
    """
    path = os.fspath(path)
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if math.isfinite(from_s) and from_s > 0:
            container.seek(int(from_s / stream.time_base), stream=stream, backward=True)
        last = -math.inf
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            time_s = float(frame.pts * stream.time_base)
            if time_s < from_s or time_s <= last:
                continue
            if time_s >= until_s:
                return
            last = time_s
            width, height = shrunk_size(frame.width, frame.height, max_side_px)
            image = frame.to_ndarray(format="rgb24", width=width, height=height)
            code = _CW_ROTATE_CODES.get(_clockwise_rotation_deg(frame.rotation, path))
            yield time_s, (cv2.rotate(image, code) if code is not None else np.ascontiguousarray(image))
