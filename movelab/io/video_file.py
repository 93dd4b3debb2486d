"""Reading a video file with PyAV: one decoded frame at a time (memory does not grow with the length of the
video), upright (the display rotation applied), with the container's timestamps, and the evidence of a file
cut short. Conventions in :mod:`movelab.io.video`."""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import av
import av.error
import cv2
import numpy as np

from movelab.errors import InputError, NotAVideoError, TruncatedVideoWarning, UnreadableVideoError, VideoNotFoundError
from movelab.io.frames import Frame, VideoInfo, VideoReader, shrunk_size
from movelab.io.timestamps import Clock, Intervals

__all__ = ["FileReader", "open_file", "probe_video", "read_frame_times"]

_MIN_MISSING_FRAMES = 2
"""A clean end this many frames (or frame intervals) short of the declared length is a truncation."""

_CW_ROTATE_CODES = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


class FileReader(VideoReader):
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
        clock = Clock(self._info.fps_nominal)
        intervals = Intervals(tick_s=float(self._stream.time_base))
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
            width, height = shrunk_size(av_frame.width, av_frame.height, self._max_side_px)
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


def open_file(path: str) -> tuple[Any, Any, _Decoder, av.VideoFrame]:
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


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def probe_video(path: str | os.PathLike[str]) -> VideoInfo:
    """Return the :class:`VideoInfo` of a video file, decoding only its first frame.

    The first frame is decoded because PyAV exposes the display rotation on frames, and
    because it proves the stream can be decoded. Raises the same errors as :func:`open_video`.
    ``variable_frame_rate`` is the header's guess; see :func:`read_frame_times` for the truth.
    """
    path = os.fspath(path)
    container, stream, _, first = open_file(path)
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
