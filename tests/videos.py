"""Small test videos written on demand (plain functions, no pytest fixtures).

Import from a test module as ``from videos import write_video, marker_frames`` (pytest puts
``tests/`` on ``sys.path``). Every function takes the destination path and returns it as a
:class:`pathlib.Path`. Pictures are RGB ``uint8`` arrays ``(height, width, 3)``.

Rotation convention (see :mod:`movelab.io.video`): ``rotation_deg`` is always the **clockwise**
rotation a player applies to the stored pixels, i.e. what ``VideoInfo.rotation_deg`` reports.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import av
import imageio_ffmpeg
import numpy as np

__all__ = [
    "MARKER_RGB",
    "marker_frames",
    "moving_frames",
    "find_marker",
    "write_video",
    "make_rotated",
    "make_vfr",
    "make_retimed",
    "make_truncated",
    "make_undecodable",
    "make_text_file",
    "make_audio_only",
    "ffmpeg_exe",
]

MARKER_RGB = (255, 0, 0)
"""Colour of the corner marker drawn by :func:`marker_frames`."""

_FINE_TIME_BASE = Fraction(1, 90000)

FrameSource = Iterable[np.ndarray] | Callable[[int], np.ndarray]


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped by ``imageio-ffmpeg``."""
    return imageio_ffmpeg.get_ffmpeg_exe()


def marker_frames(n_frames: int, size: tuple[int, int], *, marker_px: int = 8) -> Iterator[np.ndarray]:
    """Grey pictures with a red square in the top-left corner, and a frame counter bar.

    Parameters
    ----------
    n_frames : int
        Number of pictures.
    size : (width, height)
        Picture size in pixels.
    marker_px : int
        Side of the red square.
    """
    width, height = size
    for i in range(n_frames):
        image = np.full((height, width, 3), 128, dtype=np.uint8)
        image[:marker_px, :marker_px] = MARKER_RGB
        image[height // 2 :, width // 2 :, 1] = (i * 8) % 256
        yield image


def moving_frames(n_frames: int, size: tuple[int, int]) -> Iterator[np.ndarray]:
    """A horizontally scrolling colour gradient: cheap to make and to encode."""
    width, height = size
    base = np.zeros((height, 2 * width, 3), dtype=np.uint8)
    base[..., 0] = np.arange(2 * width) % 256
    base[..., 1] = (np.arange(height) % 256)[:, None]
    for i in range(n_frames):
        start = (4 * i) % width
        yield np.ascontiguousarray(base[:, start : start + width])


def find_marker(image: np.ndarray) -> tuple[float, float]:
    """Centre ``(row, col)`` of the red marker, as fractions of the picture's height and width."""
    red = (image[..., 0] > 180) & (image[..., 1] < 90) & (image[..., 2] < 90)
    rows, cols = np.nonzero(red)
    if rows.size == 0:
        raise AssertionError("no red marker in the picture")
    return (rows.mean() + 0.5) / image.shape[0], (cols.mean() + 0.5) / image.shape[1]


def write_video(
    path: str | os.PathLike[str],
    frames: FrameSource,
    *,
    n_frames: int | None = None,
    fps: float = 30,
    size: tuple[int, int] | None = None,
    codec: str = "libx264",
    pix_fmt: str = "yuv420p",
    faststart: bool = True,
    options: dict[str, str] | None = None,
) -> Path:
    """Encode RGB pictures into a video file with PyAV (constant frame rate, pts 0, 1, 2 ...).

    Parameters
    ----------
    path : path-like
        Output file; the container follows the extension (``.mp4``, ``.mkv`` ...).
    frames : iterable of numpy.ndarray, or callable
        The pictures, or ``fn(i) -> picture`` called for ``i in range(n_frames)``.
    n_frames : int, optional
        Required when ``frames`` is callable; otherwise a cap on how many are taken.
    fps : float
        Frame rate.
    size : (width, height), optional
        Picture size; by default the first picture's. Pictures of another size are an error.
    codec, pix_fmt : str
        Encoder and its pixel format.
    faststart : bool
        For MP4/MOV, put the ``moov`` index at the front (needed to read a truncated copy).
    options : dict, optional
        Encoder options, e.g. ``{"preset": "ultrafast"}``.
    """
    path = Path(path)
    pictures = _pictures(frames, n_frames)
    first = next(pictures)
    width, height = size if size is not None else (first.shape[1], first.shape[0])
    container_options = {"movflags": "+faststart"} if faststart and path.suffix in (".mp4", ".mov") else {}
    with av.open(str(path), mode="w", options=container_options) as container:
        stream = container.add_stream(codec, rate=Fraction(fps).limit_denominator(100_000), options=options or {})
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        for picture in _chain(first, pictures):
            _check_size(picture, width, height)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(stream.encode())
    return path


def make_rotated(src: str | os.PathLike[str], dst: str | os.PathLike[str], rotation_deg: int) -> Path:
    """Copy ``src`` with a display matrix that players turn ``rotation_deg`` clockwise.

    Uses ``ffmpeg -display_rotation (-rotation_deg) -i src -c copy dst``: ffmpeg's option is
    counter-clockwise, so the sign is flipped here and the reader then reports
    ``rotation_deg`` (e.g. 90 for a phone's portrait video stored landscape).
    """
    dst = Path(dst)
    _ffmpeg("-display_rotation", str(-rotation_deg), "-i", os.fspath(src), "-c", "copy", str(dst))
    return dst


def make_vfr(
    path: str | os.PathLike[str],
    times_s: Sequence[float],
    size: tuple[int, int],
    *,
    codec: str = "libx264",
) -> Path:
    """Encode one picture per entry of ``times_s`` with exactly those presentation times.

    The stream time base is 1/90000 s, so MP4 keeps the times exactly; Matroska rounds them
    to its 1 ms time base. Pictures come from :func:`marker_frames`.
    """
    path = Path(path)
    width, height = size
    options = {"movflags": "+faststart"} if path.suffix in (".mp4", ".mov") else {}
    with av.open(str(path), mode="w", options=options) as container:
        stream = container.add_stream(codec, rate=30)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = stream.codec_context.time_base = _FINE_TIME_BASE
        for time_s, picture in zip(times_s, marker_frames(len(times_s), size), strict=True):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts, frame.time_base = round(time_s / _FINE_TIME_BASE), _FINE_TIME_BASE
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def make_retimed(path: str | os.PathLike[str], times_ms: Sequence[int], size: tuple[int, int]) -> Path:
    """A Matroska file whose packets carry ``times_ms`` as given, duplicates included.

    Pictures are encoded intra-only (each packet a key frame), then muxed with
    ``pts = dts = times_ms[i]`` in a 1 ms time base. Matroska accepts equal timestamps, so this
    makes the "container gives a duplicate pts" case real.
    """
    path = Path(path)
    width, height = size
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mjpeg", rate=30)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        stream.time_base = Fraction(1, 1000)
        packets = []
        for picture in marker_frames(len(times_ms), size):
            packets += stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24"))
        packets += stream.encode()
        for packet, time_ms in zip(packets, times_ms, strict=True):
            packet.pts = packet.dts = time_ms
            packet.time_base = Fraction(1, 1000)
            container.mux(packet)
    return path


def make_truncated(src: str | os.PathLike[str], dst: str | os.PathLike[str], keep_fraction: float) -> Path:
    """Copy the first ``keep_fraction`` of the bytes of ``src`` into ``dst``."""
    data = Path(src).read_bytes()
    dst = Path(dst)
    dst.write_bytes(data[: int(len(data) * keep_fraction)])
    return dst


def make_undecodable(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Path:
    """Copy a faststart MP4 with its index intact but the frame data (``mdat``) replaced by noise."""
    data = bytearray(Path(src).read_bytes())
    start = data.find(b"mdat")
    if start < 0:
        raise ValueError(f"{src} has no mdat box")
    payload = slice(start + 4, len(data))
    noise = np.random.default_rng(0).integers(0, 256, len(data) - start - 4, dtype=np.uint8)
    data[payload] = noise.tobytes()
    dst = Path(dst)
    dst.write_bytes(bytes(data))
    return dst


def make_text_file(path: str | os.PathLike[str]) -> Path:
    """A short text file (give it a video extension to fake a video)."""
    path = Path(path)
    path.write_text("This is a text file, not a video.\nIt only has a video's name.\n")
    return path


def make_audio_only(path: str | os.PathLike[str], *, duration_s: float = 1.0) -> Path:
    """A sine tone with no video stream (AAC; use ``.mp4`` or ``.m4a``)."""
    path = Path(path)
    _ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={duration_s}", "-c:a", "aac", str(path))
    return path


def _ffmpeg(*args: str) -> None:
    command = [ffmpeg_exe(), "-nostdin", "-v", "error", "-y", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def _pictures(frames: FrameSource, n_frames: int | None) -> Iterator[np.ndarray]:
    if callable(frames):
        if n_frames is None:
            raise TypeError("n_frames is required when frames is a function")
        return (frames(i) for i in range(n_frames))
    pictures = iter(frames)
    if n_frames is None:
        return pictures
    return (picture for _, picture in zip(range(n_frames), pictures, strict=False))


def _chain(first: np.ndarray, rest: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
    yield first
    yield from rest


def _check_size(picture: np.ndarray, width: int, height: int) -> None:
    if picture.shape != (height, width, 3) or picture.dtype != np.uint8:
        raise ValueError(f"expected a ({height}, {width}, 3) uint8 picture, got {picture.shape} {picture.dtype}")


class FakeCamera:
    """Stands in for ``cv2.VideoCapture(index)``: serves the demo clip's frames (BGR) as a webcam would,
    then raises KeyboardInterrupt (the user pressing Ctrl-C) after ``stop_after`` frames."""

    def __init__(self, frames_bgr: list[np.ndarray], stop_after: int) -> None:
        self.frames, self.stop_after, self.served = frames_bgr, stop_after, 0

    def isOpened(self) -> bool:
        return True

    def read(self):
        if self.served >= self.stop_after:
            raise KeyboardInterrupt
        frame = self.frames[self.served % len(self.frames)]
        self.served += 1
        return True, frame.copy()

    fps = 30.0

    def get(self, prop) -> float:
        return self.fps

    def clock_s(self) -> float:
        """A camera's clock: the frames served so far at its 30 frames/s (the wall clock of a busy test machine
        would put seconds between frames that are 1/30 s apart in the picture)."""
        return self.served / self.fps

    def release(self) -> None:
        pass
