"""Write RGB frames to an H.264 MP4 with PyAV (yuv420p, constant frame rate)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from movelab.errors import ConfigError

__all__ = ["write_mp4"]


def write_mp4(
    frames: Iterable[np.ndarray], path: str | Path, *, fps: float, crf: int = 26, preset: str = "medium"
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
                # mbtree off: with it, the same frames gave different bytes from one call to the next
                # (measured: the first encode in a process differs, and more so with frames rendered
                # lazily), and so different landmarks downstream
                stream.options = {"crf": str(crf), "preset": preset, "threads": "1", "x264-params": "mbtree=0"}
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
            vf.pts = n
            for packet in stream.encode(vf):
                container.mux(packet)
            n += 1
        if stream is not None:
            for packet in stream.encode(None):
                container.mux(packet)
    return n
