"""What every video source yields: :class:`VideoInfo`, :class:`Frame` and the :class:`VideoReader` that
streams them (conventions in :mod:`movelab.io.video`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np

from movelab.errors import ConfigError
from movelab.io.timestamps import Intervals

__all__ = ["VideoInfo", "Frame", "VideoReader", "check_max_frames", "shrunk_size"]


@dataclass(frozen=True)
class VideoInfo:
    """What is known about a video before (or after) reading its frames.

    Attributes
    ----------
    path : str or None
        The file path as given, or None for a webcam.
    source : {"file", "webcam"}
        Where the frames come from.
    codec : str or None
        The decoder name (e.g. ``"h264"``); None for a webcam.
    container_format : str or None
        ffmpeg's demuxer name (e.g. ``"mov,mp4,m4a,3gp,3g2,mj2"``, ``"matroska,webm"``);
        None for a webcam.
    width_px, height_px : int
        Size of the **upright** picture, after rotation.
    rotation_deg : int
        Clockwise rotation applied to the stored pixels, one of 0, 90, 180, 270
        (see the module docstring for the sign convention).
    fps_nominal : float
        Average frame rate declared by the container (NaN when unknown).
    n_frames_declared : int or None
        Frame count declared by the container, None when it declares none.
    duration_s_declared : float or None
        Duration of the video stream declared by the container, in seconds.
    variable_frame_rate : bool
        A guess from the header (average and base frame rates differ by more than 1 %);
        :class:`VideoReader` refines it from the observed frame intervals after reading.
    size_bytes : int or None
        File size; None for a webcam.
    """

    path: str | None
    source: Literal["file", "webcam"]
    codec: str | None
    container_format: str | None
    width_px: int
    height_px: int
    rotation_deg: int
    fps_nominal: float
    n_frames_declared: int | None
    duration_s_declared: float | None
    variable_frame_rate: bool
    size_bytes: int | None

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain, JSON-serialisable dictionary."""
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame (compared by identity: its image is an array).

    Attributes
    ----------
    index : int
        Decode order, from 0.
    time_s : float
        Presentation time in seconds (container ``pts * time_base``; for a webcam,
        monotonic seconds since it was opened). Strictly increasing along a video.
    image : numpy.ndarray
        ``(height, width, 3)`` uint8 RGB, upright, C-contiguous.
    """

    index: int
    time_s: float
    image: np.ndarray


class VideoReader:
    """Stream the frames of an opened video, one at a time.

    Use as a context manager and iterate once; get one from :func:`open_video`.
    ``info`` is available at once; after a complete pass its ``variable_frame_rate``
    reflects the frame intervals actually seen.
    """

    def __init__(self, info: VideoInfo, *, max_frames: int | None) -> None:
        self._info = info
        self._max_frames = max_frames
        self._started = False
        self._max_side_px: int | None = None
        #: Why the video ended before its declared end (``None`` when it did not).
        self.truncation: str | None = None

    @property
    def info(self) -> VideoInfo:
        """Metadata of the video (see :class:`VideoInfo`)."""
        return self._info

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Frame]:
        if self._started:
            raise RuntimeError("a VideoReader can be iterated only once; open the video again")
        self._started = True
        return self._frames()

    def close(self) -> None:
        """Release the file or the camera. Safe to call more than once."""
        raise NotImplementedError

    def shrink_to(self, max_side_px: int | None) -> None:
        """Deliver file frames scaled down (aspect kept, never enlarged) so their longer side is at most
        ``max_side_px``; the scaling is done by the decoder's colour conversion, in the same pass.

        ``info`` keeps the video's own size; :attr:`image_size` is the size of the delivered images. Call
        before iterating. None delivers the full size. Webcam frames are not scaled.
        """
        if max_side_px is not None and max_side_px < 16:
            raise ConfigError(f"max_side_px must be at least 16 pixels, got {max_side_px}")
        self._max_side_px = max_side_px

    @property
    def image_size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels of the upright images this reader delivers."""
        return shrunk_size(self._info.width_px, self._info.height_px, self._max_side_px)

    def _frames(self) -> Iterator[Frame]:
        raise NotImplementedError

    def _limit_reached(self, n_read: int) -> bool:
        return self._max_frames is not None and n_read >= self._max_frames

    def _refine_frame_rate(self, intervals: Intervals, *, complete: bool) -> None:
        """Set ``info.variable_frame_rate`` from the intervals seen (False only after a full read)."""
        varies = intervals.vary()
        if varies is None or not (varies or complete):
            return
        self._info = replace(self._info, variable_frame_rate=varies)


def check_max_frames(max_frames: int | None) -> None:
    if max_frames is None:
        return
    if isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 1:
        raise ConfigError(f"max_frames must be a positive integer or None, got {max_frames!r}")


def shrunk_size(width: int, height: int, max_side_px: int | None) -> tuple[int, int]:
    """``(width, height)`` scaled so the longer side is at most ``max_side_px`` (even sizes, never enlarged)."""
    if max_side_px is None or max(width, height) <= max_side_px:
        return width, height
    scale = max_side_px / max(width, height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)
