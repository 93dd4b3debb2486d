"""Reading a webcam with OpenCV, each frame timed with the monotonic clock since the camera was opened
(conventions in :mod:`movelab.io.video`)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

import cv2
import numpy as np

from movelab._native import native_stderr_silenced
from movelab.errors import InputError
from movelab.io.frames import Frame, VideoInfo, VideoReader
from movelab.io.timestamps import Clock

__all__ = ["WebcamReader"]


class WebcamReader(VideoReader):
    """Frames of a webcam, read by OpenCV, timed with the monotonic clock."""

    def __init__(self, index: int, *, max_frames: int | None) -> None:
        with native_stderr_silenced():  # OpenCV logs every backend it tries
            capture = cv2.VideoCapture(index)
        if not capture.isOpened():
            raise InputError(f"cannot open webcam {index}: no camera at this index, or it is in use")
        self._opened_at = time.monotonic()
        first = self._read(capture)
        if first is None:
            capture.release()
            raise InputError(f"cannot open webcam {index}: it opened but gave no frame")
        self._capture = capture
        self._first: tuple[np.ndarray, float] | None = first
        super().__init__(_webcam_info(capture, first[0]), max_frames=max_frames)

    def close(self) -> None:
        self._first = None
        self._capture.release()

    @property
    def image_size(self) -> tuple[int, int]:
        return self._info.width_px, self._info.height_px  # webcam frames are not scaled

    def _frames(self) -> Iterator[Frame]:
        clock = Clock(self._info.fps_nominal)
        n_read = 0
        while not self._limit_reached(n_read):
            captured = self._next_capture()
            if captured is None:
                break
            bgr, time_s = captured
            time_s, _ = clock.next(time_s)
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            yield Frame(index=n_read, time_s=time_s, image=np.ascontiguousarray(rgb))
            n_read += 1

    def _next_capture(self) -> tuple[np.ndarray, float] | None:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return self._read(self._capture)

    def _read(self, capture: Any) -> tuple[np.ndarray, float] | None:
        """One BGR picture and its monotonic time since opening, or None when the camera gives none."""
        ok, bgr = capture.read()
        return (bgr, time.monotonic() - self._opened_at) if ok else None


def _webcam_info(capture: Any, first_bgr: np.ndarray) -> VideoInfo:
    fps = capture.get(cv2.CAP_PROP_FPS)
    return VideoInfo(
        path=None,
        source="webcam",
        codec=None,
        container_format=None,
        width_px=int(first_bgr.shape[1]),
        height_px=int(first_bgr.shape[0]),
        rotation_deg=0,
        fps_nominal=float(fps) if fps and fps > 0 else math.nan,
        n_frames_declared=None,
        duration_s_declared=None,
        variable_frame_rate=True,
        size_bytes=None,
    )
