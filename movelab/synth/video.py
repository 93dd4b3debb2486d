"""Write RGB frames to an H.264 MP4 with PyAV (yuv420p, constant frame rate)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from movelab.errors import ConfigError

__all__ = ["write_mp4", "reencode_mp4"]


def _options(crf: int, preset: str, bitrate_kbps: int | None, fps: float) -> dict[str, str]:
    # mbtree off: with it, the same frames gave different bytes from one call to the next
    # (measured: the first encode in a process differs, and more so with frames rendered
    # lazily), and so different landmarks downstream
    if bitrate_kbps is None:
        return {"crf": str(crf), "preset": preset, "threads": "1", "x264-params": "mbtree=0"}
    keyint = max(int(round(fps)), 1)
    return {
        "preset": "veryfast",
        "threads": "1",
        "maxrate": f"{int(bitrate_kbps * 1.5)}k",
        "bufsize": f"{int(bitrate_kbps * 2)}k",
        "x264-params": f"mbtree=0:bframes=0:keyint={keyint}:min-keyint={keyint}:scenecut=0",
    }


def write_mp4(
    frames: Iterable[np.ndarray],
    path: str | Path,
    *,
    fps: float,
    crf: int = 26,
    preset: str = "medium",
    bitrate_kbps: int | None = None,
) -> int:
    """Encode ``frames`` (each ``(height, width, 3)`` RGB ``uint8``) as H.264 in an MP4 file.

    Parameters
    ----------
    frames : iterable of ndarray
    path : str or Path
    fps : float
        Constant frame rate; frame ``i`` gets the presentation time ``i / fps``.
    crf : int
        x264 constant rate factor (lower = larger and sharper; 18-30 is sensible).
    preset : str
        x264 speed preset.
    bitrate_kbps : int, optional
        Encode like a phone instead: this average bitrate (peaks to 1.5 times), a keyframe every second, no
        B-frames, preset ``veryfast``; ``crf`` and ``preset`` are then unused.

    Returns
    -------
    int
        Number of frames written.

    Notes
    -----
    x264 is deterministic with these settings: the same frames give the same bytes with the same libraries.
    Its macroblock-tree rate control is off (``mbtree=0``): with it on (PyAV 18, the x264 of its wheel) the
    first encode in a process could differ from later ones of the same frames.
    """
    if not 0 <= crf <= 51:
        raise ConfigError(f"crf must be in [0, 51], got {crf!r}")
    rate = Fraction(fps).limit_denominator(1001)
    n = 0
    with av.open(str(path), mode="w") as container:
        stream = None
        for frame in frames:
            if stream is None:
                stream = container.add_stream("libx264", rate=rate)
                stream.width, stream.height = frame.shape[1], frame.shape[0]
                stream.pix_fmt = "yuv420p"
                if bitrate_kbps is not None:
                    stream.bit_rate = int(bitrate_kbps) * 1000
                stream.options = _options(crf, preset, bitrate_kbps, fps)
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
            vf.pts = n
            for packet in stream.encode(vf):
                container.mux(packet)
            n += 1
        if stream is not None:
            for packet in stream.encode(None):
                container.mux(packet)
    return n


def reencode_mp4(path: str | Path, *, fps: float, bitrate_kbps: int) -> int:
    """Decode ``path`` and encode it again in place at ``bitrate_kbps`` (as :func:`write_mp4` does for a
    phone), as a messaging app does with a shared clip; the file is replaced only when the new one is whole.

    Returns
    -------
    int
        Number of frames written.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.reencode.mp4")

    def decoded():
        with av.open(str(path)) as container:
            for frame in container.decode(video=0):
                yield frame.to_ndarray(format="rgb24")

    try:
        n = write_mp4(decoded(), tmp, fps=fps, bitrate_kbps=bitrate_kbps)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
