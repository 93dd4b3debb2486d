"""Which sticker colours to look for: named HSV ranges and the ``--markers`` text (no OpenCV here, so the
extraction settings can check it without loading the image stack)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MARKER_COLOURS", "MARKER_DETECTOR_VERSION", "MarkerSpec", "HsvRange", "parse_marker_spec"]

#: Version of the sticker detector's output (part of the landmark cache key in marker mode): 2 added each
#: dot's hidden share and cut uncertainty (``marker_hidden``, ``marker_cut_sd_px``).
MARKER_DETECTOR_VERSION = 2

HsvRange = tuple[tuple[int, int, int], tuple[int, int, int]]

#: Named sticker colours as HSV ranges (OpenCV scale). Saturation and value floors are low enough for a
#: 4-6 px dot after H.264's chroma subsampling at crf 30, high enough to skip skin, denim and grey cloth.
MARKER_COLOURS: dict[str, tuple[HsvRange, ...]] = {
    "green": (((40, 90, 60), (85, 255, 255)),),
    "magenta": (((140, 90, 70), (168, 255, 255)),),
    "yellow": (((24, 110, 100), (34, 255, 255)),),
    "blue": (((96, 140, 70), (125, 255, 255)),),
    "orange": (((8, 150, 60), (22, 255, 255)),),
    "red": (((0, 150, 70), (7, 255, 255)), ((172, 150, 70), (179, 255, 255))),
}


@dataclass(frozen=True)
class MarkerSpec:
    """Which colours to look for: one named or HSV-range colour, or every named colour (``auto``)."""

    name: str
    colours: tuple[tuple[str, tuple[HsvRange, ...]], ...]


def parse_marker_spec(text: str) -> MarkerSpec:
    """``auto``, a colour name of :data:`MARKER_COLOURS`, or ``hsv:H,S,V:H,S,V`` (low and high, OpenCV scale).

    Raises
    ------
    ValueError
        Anything else, saying what is accepted.
    """
    key = text.strip().lower()
    if key == "auto":
        return MarkerSpec("auto", tuple(MARKER_COLOURS.items()))
    if key in MARKER_COLOURS:
        return MarkerSpec(key, ((key, MARKER_COLOURS[key]),))
    m = re.fullmatch(r"hsv:(\d+),(\d+),(\d+):(\d+),(\d+),(\d+)", key)
    if m:
        v = [int(x) for x in m.groups()]
        lo, hi = tuple(v[:3]), tuple(v[3:])
        if lo[0] <= hi[0] <= 179 and all(a <= b <= 255 for a, b in zip(lo[1:], hi[1:])):
            return MarkerSpec(key, ((key, ((lo, hi),)),))
    raise ValueError(
        f"--markers expects 'auto', one of {', '.join(MARKER_COLOURS)}, or 'hsv:H,S,V:H,S,V' "
        f"(low:high, hue 0-179, saturation and value 0-255), got {text!r}"
    )
