"""Open a video file or a webcam and stream upright RGB frames with real timestamps.

Files are read with PyAV (one decoded frame at a time, so memory does not grow with the
length of the video); webcams with OpenCV.

Conventions
-----------
Frames
    ``Frame.image`` is ``(height, width, 3)`` ``uint8`` RGB, C-contiguous, of the **upright**
    picture: the display rotation stored in the file has already been applied.
Time
    ``Frame.time_s`` is the frame's presentation timestamp, ``pts * time_base`` in seconds, as the
    container gives it (the first frame may be at ``t > 0``; nothing is shifted). Times are made
    strictly increasing: a duplicate or decreasing pts becomes the previous time + 1 µs, a missing
    pts the previous time + 1/fps, each with one warning. For a webcam, ``time_s`` is
    ``time.monotonic()`` seconds since the camera was opened.
Rotation
    ``VideoInfo.rotation_deg`` is the **clockwise** rotation, in degrees (0, 90, 180 or 270),
    that was applied to the stored pixels to make them upright, exactly as ffmpeg/ffplay
    auto-rotate them. It is computed as ``(-frame.rotation) % 360``: PyAV's ``frame.rotation``
    is ``av_display_rotation_get()`` of the display matrix, i.e. counter-clockwise degrees,
    in [-180, 180]. Verified with av 18.1 (FFmpeg 8.1) against ffmpeg's own auto-rotation:

    ========================================  ==================  ================
    file                                      ``frame.rotation``  ``rotation_deg``
    ========================================  ==================  ================
    ``ffmpeg -display_rotation 90 ...``       90                  270
    ``ffmpeg -display_rotation 180 ...``      -180                180
    ``ffmpeg -display_rotation 270 ...``      -90                 90
    ``ffmpeg -display_rotation -90 ...``      -90                 90
    ========================================  ==================  ================

    ffmpeg's ``-display_rotation N`` means "rotate N degrees counter-clockwise for display",
    so ``rotation_deg == (-N) % 360``. A phone's portrait video stored landscape (ffprobe:
    "rotation of -90.00 degrees") has ``rotation_deg == 90``. OpenCV 5 reports the same number
    as ``CAP_PROP_ORIENTATION_META``. Mirroring in a display matrix is not applied.
Damaged files
    A file cut short yields the frames before the break (including those the decoder still
    held) and then warns :class:`~movelab.errors.TruncatedVideoWarning`; the evidence is a
    decode error, fewer frames than declared, frames ending short of the declared duration,
    or a last packet the demuxer flags as corrupt. A file with no decodable first frame raises
    :class:`~movelab.errors.UnreadableVideoError`.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from typing import Any, Literal

import av
import av.error
import cv2
import numpy as np

from movelab._native import native_stderr_silenced
from movelab.errors import (
    ConfigError,
    InputError,
    NotAVideoError,
    TruncatedVideoWarning,
    UnreadableVideoError,
    VideoNotFoundError,
)

__all__ = ["Frame", "VideoInfo", "VideoReader", "open_video", "probe_video", "read_frame_times"]

_NUDGE_S = 1e-6
"""Step added to a duplicate or decreasing timestamp to keep times strictly increasing."""

_MIN_MISSING_FRAMES = 2
"""A clean end this many frames (or frame intervals) short of the declared length is a truncation."""

_CW_ROTATE_CODES = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


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
        return _shrunk(self._info.width_px, self._info.height_px, self._max_side_px)

    def _frames(self) -> Iterator[Frame]:
        raise NotImplementedError

    def _limit_reached(self, n_read: int) -> bool:
        return self._max_frames is not None and n_read >= self._max_frames

    def _refine_frame_rate(self, intervals: _Intervals, *, complete: bool) -> None:
        """Set ``info.variable_frame_rate`` from the intervals seen (False only after a full read)."""
        varies = intervals.vary()
        if varies is None or not (varies or complete):
            return
        self._info = replace(self._info, variable_frame_rate=varies)


# ----------------------------------------------------------------------------- files


class _FileReader(VideoReader):
    """Frames of a video file, decoded by PyAV."""

    def __init__(
        self,
        path: str,
        container: Any,
        stream: Any,
        decoder: _Decoder,
        first: av.VideoFrame,
        *,
        max_frames: int | None,
    ) -> None:
        super().__init__(_file_info(path, container, stream, first), max_frames=max_frames)
        self._path = path
        self._container = container
        self._stream = stream
        self._first: av.VideoFrame | None = first
        self._decoder = decoder

    def close(self) -> None:
        self._first = None
        self._container.close()

    def _frames(self) -> Iterator[Frame]:
        clock = _Clock(self._info.fps_nominal)
        intervals = _Intervals(tick_s=float(self._stream.time_base))
        n_read, exhausted = 0, False
        while not self._limit_reached(n_read):
            av_frame = self._next_av_frame()
            if av_frame is None:
                exhausted = True
                break
            time_s, note = clock.next(_pts_s(av_frame, self._stream.time_base))
            if note is not None:
                warnings.warn(f"'{self._path}': {note}", stacklevel=2)
            intervals.add(time_s)
            yield Frame(index=n_read, time_s=time_s, image=self._upright_rgb(av_frame))
            n_read += 1
        reason = _truncation_reason(self._info, self._decoder, n_read, clock.last_s) if exhausted else None
        if reason is not None:
            self.truncation = reason
            message = f"'{self._path}' ended early ({reason}); kept the {n_read} frames read before the break"
            warnings.warn(message, TruncatedVideoWarning, stacklevel=2)
        elif self._decoder.n_corrupt:
            message = f"'{self._path}': skipped {self._decoder.n_corrupt} damaged packet(s) the file flags as corrupt"
            warnings.warn(message, stacklevel=2)
        self._refine_frame_rate(intervals, complete=exhausted and reason is None)

    def _next_av_frame(self) -> av.VideoFrame | None:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return next(self._decoder, None)

    def _upright_rgb(self, av_frame: av.VideoFrame) -> np.ndarray:
        if self._max_side_px is None:
            rgb: np.ndarray = av_frame.to_ndarray(format="rgb24")
        else:  # scaled by the decoder's conversion (swscale), in the stored orientation
            width, height = _shrunk(av_frame.width, av_frame.height, self._max_side_px)
            rgb = av_frame.to_ndarray(format="rgb24", width=width, height=height)
        code = _CW_ROTATE_CODES.get(self._info.rotation_deg)
        if code is not None:
            return cv2.rotate(rgb, code)  # a new C-contiguous array
        return np.ascontiguousarray(rgb)


class _Decoder:
    """Iterate over the decoded frames of ``stream``, one packet at a time.

    Packets the demuxer flags as corrupt (the last packet of a cut file is one) are counted and
    not decoded: the threaded decoder would otherwise silently drop the good frames it holds.
    On a demux or decode error it reads no further packets, drains the frames the decoder
    already holds (frame threading and B-frame reordering keep several back), then stops.

    Attributes
    ----------
    error : av.error.FFmpegError or None
        The error that stopped reading.
    n_corrupt : int
        Corrupt packets skipped.
    last_packet_corrupt : bool
        Whether the last data packet read was corrupt (the file was most likely cut there).
    """

    def __init__(self, container: Any, stream: Any) -> None:
        self.error: av.error.FFmpegError | None = None
        self.n_corrupt = 0
        self.last_packet_corrupt = False
        self._frames = self._decode(container, stream)

    def __iter__(self) -> Iterator[av.VideoFrame]:
        return self._frames

    def __next__(self) -> av.VideoFrame:
        return next(self._frames)

    def _decode(self, container: Any, stream: Any) -> Iterator[av.VideoFrame]:
        try:
            for packet in container.demux(stream):
                if packet.size > 0:
                    self.last_packet_corrupt = packet.is_corrupt
                if packet.is_corrupt:
                    self.n_corrupt += 1
                    continue
                yield from packet.decode()
        except av.error.FFmpegError as exc:
            self.error = exc
            yield from _drain(stream)


def _drain(stream: Any) -> Iterator[av.VideoFrame]:
    """Flush the decoder after an error; stop quietly if that fails too."""
    try:
        yield from stream.codec_context.decode(None)
    except av.error.FFmpegError:
        return


def _open_file(path: str) -> tuple[Any, Any, _Decoder, av.VideoFrame]:
    """Open ``path`` and decode its first frame, raising a movelab error on failure.

    Returns
    -------
    container, stream, decoder, first_frame
        The open PyAV container (caller closes it), its first video stream with threaded
        decoding enabled, the :class:`_Decoder` to keep reading from (one for the whole
        pass: a packet can release several frames), and the first decoded frame.
    """
    _check_path(path)
    container = _open_container(path)
    try:
        stream = _video_stream(container, path)
        decoder = _Decoder(container, stream)
        first = _first_frame(decoder, stream, path)
    except InputError:
        container.close()
        raise
    return container, stream, decoder, first


def _check_path(path: str) -> None:
    if not os.path.exists(path):
        raise VideoNotFoundError(f"video file not found: '{path}'; check the path")
    if os.path.isdir(path):
        raise VideoNotFoundError(f"'{path}' is a directory, expected a video file")
    if os.path.getsize(path) == 0:
        raise NotAVideoError(f"'{path}' is empty (0 bytes), expected a video file")


def _open_container(path: str) -> Any:
    try:
        return av.open(path, mode="r")
    except av.error.PermissionError as exc:
        raise InputError(f"cannot read '{path}': permission denied ({_one_line(exc)})") from exc
    except (av.error.EOFError, av.error.OSError) as exc:
        raise UnreadableVideoError(
            f"'{path}' ends before its first video frame could be read ({_one_line(exc)}); "
            "the file may be cut short or still being written"
        ) from exc
    except av.error.FFmpegError as exc:
        kind = _container_signature(path)
        if kind is not None:
            raise UnreadableVideoError(
                f"'{path}' starts like {kind} file but ffmpeg cannot parse it ({_one_line(exc)}); "
                "it may be cut short (an MP4 whose index is at the end cannot be read at all when cut)"
            ) from exc
        raise NotAVideoError(f"'{path}' is not a video file that ffmpeg can read ({_one_line(exc)})") from exc


def _container_signature(path: str) -> str | None:
    """Name the container family the file's first bytes announce (MP4/MOV, Matroska, AVI), if any."""
    with open(path, "rb") as file:
        head = file.read(12)
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "an MP4/MOV"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "a Matroska/WebM"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "an AVI"
    return None


def _video_stream(container: Any, path: str) -> Any:
    if not container.streams.video:
        found = ", ".join(stream.type for stream in container.streams) or "none"
        kind = None if container.streams.audio else _container_signature(path)
        if kind is not None:
            raise UnreadableVideoError(
                f"'{path}' starts like {kind} file but ffmpeg finds no video or audio stream in it "
                f"(streams found: {found}); it may be cut short (an MP4 whose index is at the end "
                "cannot be read at all when cut)"
            )
        raise NotAVideoError(f"'{path}' has no video stream (streams found: {found}); expected a video file")
    stream = container.streams.video[0]
    if stream.codec_context is None:
        raise UnreadableVideoError(
            f"'{path}': the codec of its video stream is unknown to ffmpeg; the file may be corrupt or cut short"
        )
    stream.thread_type = "AUTO"
    return stream


def _first_frame(decoder: _Decoder, stream: Any, path: str) -> av.VideoFrame:
    first = next(decoder, None)
    if first is not None:
        return first
    codec = stream.codec_context.name
    problem = "the stream ended before any frame" if decoder.error is None else _one_line(decoder.error)
    raise UnreadableVideoError(
        f"'{path}': no frame of its {codec} video stream could be decoded ({problem}); "
        "the file may be corrupt, cut short, or use an unsupported codec"
    )


def _file_info(path: str, container: Any, stream: Any, first: av.VideoFrame) -> VideoInfo:
    rotation_deg = _clockwise_rotation_deg(first.rotation, path)
    width, height = first.width, first.height
    if rotation_deg in (90, 270):
        width, height = height, width
    return VideoInfo(
        path=path,
        source="file",
        codec=stream.codec_context.name,
        container_format=container.format.name,
        width_px=width,
        height_px=height,
        rotation_deg=rotation_deg,
        fps_nominal=_nominal_fps(stream),
        n_frames_declared=stream.frames or None,
        duration_s_declared=_declared_duration_s(container, stream),
        variable_frame_rate=_header_says_vfr(stream),
        size_bytes=os.path.getsize(path),
    )


def _clockwise_rotation_deg(ccw_deg: float, path: str) -> int:
    """Turn PyAV's counter-clockwise ``frame.rotation`` into clockwise 0/90/180/270."""
    clockwise = round(-ccw_deg / 90.0) * 90 % 360
    if abs((-ccw_deg - clockwise + 180) % 360 - 180) > 1:
        warnings.warn(
            f"'{path}': display rotation {ccw_deg:g}° is not a multiple of 90°; using {clockwise}° clockwise",
            stacklevel=2,
        )
    return clockwise


def _nominal_fps(stream: Any) -> float:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate:
            return float(rate)
    return math.nan


def _header_says_vfr(stream: Any) -> bool:
    average, base = stream.average_rate, stream.base_rate
    if not average or not base:
        return False
    return abs(float(average) / float(base) - 1.0) > 0.01


def _declared_duration_s(container: Any, stream: Any) -> float | None:
    """Duration of the video stream: stream header, Matroska DURATION tag, else container."""
    if stream.duration:
        return float(stream.duration * stream.time_base)
    tag = stream.metadata.get("DURATION")
    if tag:
        hours, minutes, seconds = tag.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    if container.duration and len(container.streams) == 1:
        return container.duration / av.time_base
    return None


def _pts_s(av_frame: av.VideoFrame, time_base: Fraction) -> float | None:
    return None if av_frame.pts is None else float(av_frame.pts * time_base)


def _truncation_reason(info: VideoInfo, decoder: _Decoder, n_read: int, last_s: float | None) -> str | None:
    """Why the reading stopped early, or None when it did not.

    Without a declared frame count, the last frame's end (its time + 1/fps, from t = 0) is compared
    with the declared duration. Containers disagree on whether that duration counts from 0 or from
    the first frame; measuring from 0 errs towards no warning.
    """
    if decoder.error is not None:
        return f"decode error: {_one_line(decoder.error)}"
    if info.n_frames_declared is not None and info.n_frames_declared - n_read >= _MIN_MISSING_FRAMES:
        return f"{n_read} of {info.n_frames_declared} declared frames"
    if info.n_frames_declared is None and _short_of_duration(info, last_s):
        return f"frames end at {last_s:.3f} s of {info.duration_s_declared:.3f} s declared"
    if decoder.last_packet_corrupt:
        return "its last packet is cut short"
    return None


def _short_of_duration(info: VideoInfo, last_s: float | None) -> bool:
    """The last frame ends at least ``_MIN_MISSING_FRAMES`` intervals before the declared duration."""
    fps, duration_s = info.fps_nominal, info.duration_s_declared
    if duration_s is None or last_s is None or not fps > 0:
        return False
    return duration_s - (last_s + 1.0 / fps) >= _MIN_MISSING_FRAMES / fps


def _shrunk(width: int, height: int, max_side_px: int | None) -> tuple[int, int]:
    """``(width, height)`` scaled so the longer side is at most ``max_side_px`` (even sizes, never enlarged)."""
    if max_side_px is None or max(width, height) <= max_side_px:
        return width, height
    scale = max_side_px / max(width, height)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


# ----------------------------------------------------------------------------- timestamps


class _Clock:
    """Make frame times strictly increasing, reporting each kind of fix once."""

    def __init__(self, fps: float) -> None:
        self.last_s: float | None = None
        self._step_s = 1.0 / fps if fps > 0 else 1.0 / 30.0
        self._reported: set[str] = set()

    def next(self, time_s: float | None) -> tuple[float, str | None]:
        """Return the fixed time and a note the first time a given fix is needed."""
        note = None
        if time_s is None:
            time_s = 0.0 if self.last_s is None else self.last_s + self._step_s
            note = self._once("missing", "a frame has no timestamp; using previous + 1/fps")
        elif self.last_s is not None and time_s <= self.last_s:
            note = self._once(
                "order",
                f"frame timestamp {time_s:.6f} s is not after the previous one ({self.last_s:.6f} s); "
                "nudged to previous + 1 µs",
            )
            time_s = self.last_s + _NUDGE_S
        self.last_s = time_s
        return time_s, note

    def _once(self, kind: str, note: str) -> str | None:
        if kind in self._reported:
            return None
        self._reported.add(kind)
        return note


class _Intervals:
    """Running min / max / mean of frame intervals, in constant memory."""

    def __init__(self, *, tick_s: float) -> None:
        self._tick_s = tick_s
        self._first_s: float | None = None
        self._last_s: float | None = None
        self._n = 0
        self._min_s = math.inf
        self._max_s = 0.0

    def add(self, time_s: float) -> None:
        if self._last_s is not None:
            step = time_s - self._last_s
            self._min_s, self._max_s = min(self._min_s, step), max(self._max_s, step)
        else:
            self._first_s = time_s
        self._last_s = time_s
        self._n += 1

    def vary(self) -> bool | None:
        """True when intervals differ by more than 2 ticks + 1 % of the mean; None if < 3 frames."""
        if self._n < 3 or self._first_s is None or self._last_s is None:
            return None
        mean_s = (self._last_s - self._first_s) / (self._n - 1)
        return self._max_s - self._min_s > 2 * self._tick_s + 0.01 * mean_s


# ----------------------------------------------------------------------------- webcams


class _WebcamReader(VideoReader):
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
        clock = _Clock(self._info.fps_nominal)
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


# ----------------------------------------------------------------------------- public functions


def open_video(source: str | os.PathLike[str] | int, *, max_frames: int | None = None) -> VideoReader:
    """Open a video file or a webcam for streaming.

    Parameters
    ----------
    source : str, os.PathLike or int
        A video file path, or a webcam index: an ``int`` or a ``str`` of digits (``"0"``).
        To open a *file* named with digits, pass a ``pathlib.Path`` or ``"./0"``.
    max_frames : int, optional
        Stop after this many frames (no truncation warning is given then).

    Returns
    -------
    VideoReader
        A context manager with ``.info`` and single-pass iteration over :class:`Frame`.

    Raises
    ------
    VideoNotFoundError
        The path does not exist or is a directory.
    NotAVideoError
        The file is empty, is not a container ffmpeg knows, or has no video stream.
    UnreadableVideoError
        The video stream has no decodable first frame.
    InputError
        A webcam cannot be opened, or the file cannot be read (permissions).
    ConfigError
        ``max_frames`` is not a positive integer.

    Warns
    -----
    TruncatedVideoWarning
        During iteration, when the video ends early (decode error, or fewer frames than
        declared); the frames before the break are yielded.
    UserWarning
        During iteration, once, when timestamps had to be fixed to stay strictly increasing.

    Examples
    --------
    >>> with open_video("squat.mp4") as video:  # doctest: +SKIP
    ...     print(video.info.width_px, video.info.height_px)
    ...     for frame in video:
    ...         process(frame.time_s, frame.image)
    """
    _check_max_frames(max_frames)
    if isinstance(source, bool):
        raise ConfigError(f"video source must be a path or a webcam index, got {source!r}")
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        return _WebcamReader(int(source), max_frames=max_frames)
    path = os.fspath(source)
    container, stream, decoder, first = _open_file(path)
    return _FileReader(path, container, stream, decoder, first, max_frames=max_frames)


def probe_video(path: str | os.PathLike[str]) -> VideoInfo:
    """Return the :class:`VideoInfo` of a video file, decoding only its first frame.

    The first frame is decoded because PyAV exposes the display rotation on frames, and
    because it proves the stream can be decoded. Raises the same errors as :func:`open_video`.
    ``variable_frame_rate`` is the header's guess; see :func:`read_frame_times` for the truth.
    """
    path = os.fspath(path)
    container, stream, _, first = _open_file(path)
    try:
        return _file_info(path, container, stream, first)
    finally:
        container.close()


def read_frame_times(path: str | os.PathLike[str]) -> np.ndarray:
    """Presentation times of all video packets, in seconds, sorted, without decoding.

    Demuxes the packets of the first video stream (reading the file once, decoding nothing)
    and returns ``pts * time_base`` of every packet that carries a pts and is not marked
    for discard. Duplicates are kept as the container gives them (:func:`open_video` nudges
    them apart). Useful to check a variable frame rate quickly.

    Parameters
    ----------
    path : str or os.PathLike
        A video file.

    Returns
    -------
    numpy.ndarray
        ``(n_packets,)`` float64 seconds, ascending.

    Raises
    ------
    VideoNotFoundError, NotAVideoError, InputError
        As :func:`open_video` (the stream is not decoded, so no UnreadableVideoError).

    Warns
    -----
    TruncatedVideoWarning
        The demuxer failed part-way; the times read before the break are returned.
    """
    path = os.fspath(path)
    _check_path(path)
    with _open_container(path) as container:
        stream = _video_stream(container, path)
        pts: list[int] = []
        try:
            for packet in container.demux(stream):
                if packet.pts is not None and packet.size > 0 and not packet.is_discard:
                    pts.append(packet.pts)
        except av.error.FFmpegError as exc:
            warnings.warn(
                f"'{path}' ended early ({_one_line(exc)}); kept the {len(pts)} packet times read before the break",
                TruncatedVideoWarning,
                stacklevel=2,
            )
        time_base = stream.time_base
    ticks = np.sort(np.asarray(pts, dtype=np.int64))
    return ticks * time_base.numerator / time_base.denominator  # rounds like float(pts * time_base)


def _check_max_frames(max_frames: int | None) -> None:
    if max_frames is None:
        return
    if isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 1:
        raise ConfigError(f"max_frames must be a positive integer or None, got {max_frames!r}")
