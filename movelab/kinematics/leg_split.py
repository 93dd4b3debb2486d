"""A knee's width where the knees touch in every frame: measured on the shank just below, where the legs part.

Touching knees are placed half a knee's width inside their merged outline's outer edge
(:func:`movelab.kinematics.frontal_legs._touching_knees_from_outer_edges`), the width measured at the knee
landmark's height in the frames where the knees are apart. Knees that touch in every frame (a heavy body in a
narrow stance: they touch standing, and at depth with valgus) leave no such frame. Below the knee the shanks
taper and part: this module measures the leg's outline width there, at shares of the way from the knee
landmark to the ankle landmark, and extrapolates it up to the knee landmark's height along a straight line
fitted to the ``FIT_SHARES`` highest heights where the leg stands alone (the taper just below the merge). A line
through every height under-reads the knee from behind: there the calf makes the shank's outline widest high up
and nearly straight lower down, so the lower heights flatten the line.

Quality gate (NaN rather than a guess): in a frame, at least ``MIN_SHARES`` heights where the leg's interval
holds it alone, the highest within ``MAX_FIRST_SHARE`` of the shank below the knee (else the line would reach
too far up), and the extrapolated width within ``MAX_GROWTH`` times the width measured highest; over the clip,
at least ``MIN_FRAMES`` such frames (the median is taken).

Measured on design body K (knees touching standing and at depth in the narrow stance; docs/findings-decisions.md,
*Knees touching in every frame* and *seen from behind*).
"""

from __future__ import annotations

import numpy as np

from movelab.kinematics.geometry import row_crossings_x

__all__ = ["knee_half_width_below", "leg_widths_below"]

#: Where below the knee the leg's width is measured: shares of the way from the knee landmark to the ankle's.
SHARES = np.linspace(0.0, 0.8, 17)
#: A frame counts when the leg stands alone in at least this many of the heights ...
MIN_SHARES = 4
#: ... the highest of them at most this share of the way down the shank ...
MAX_FIRST_SHARE = 0.5
#: ... and the width extrapolated to the knee is at most this many times the width measured highest.
MAX_GROWTH = 1.35
#: The line is fitted to this many of the highest heights where the leg stands alone (design body K from behind:
#: the standing knee's width within 0.2 px, all heights 0.9-1.4 px under; docs/findings-decisions.md).
FIT_SHARES = 4
#: The clip's knee width needs at least this many frames that count.
MIN_FRAMES = 10


def leg_widths_below(outline: np.ndarray, knee, ankle, other_knee, other_ankle) -> np.ndarray:
    """Per share of ``SHARES``: the width (px) of the outline's interval holding the point that share of the
    way from ``knee`` to ``ankle`` (``(x, y)`` landmarks), NaN where that interval also holds the other leg's
    point at the same share (the legs merged there) or where no interval holds it (within 2 px)."""
    widths = np.full(len(SHARES), np.nan)
    points = np.asarray([knee, ankle, other_knee, other_ankle], dtype=float)
    if not np.isfinite(points).all() or points[1, 1] - points[0, 1] < 4:
        return widths
    for i, s in enumerate(SHARES):
        (x, y), other_x = points[0] + s * (points[1] - points[0]), points[2, 0] + s * (points[3, 0] - points[2, 0])
        xs = row_crossings_x(outline, y)
        for lo, hi in zip(xs[0::2], xs[1::2]):
            if lo - 2.0 <= x <= hi + 2.0:
                if not lo <= other_x <= hi:
                    widths[i] = hi - lo
                break
    return widths


def _width_at_knee(widths: np.ndarray) -> float:
    """The width at the knee landmark's height (share 0) from a straight line through the ``FIT_SHARES``
    highest finite ``widths`` (per ``SHARES``), or NaN where the quality gate (module notes) fails."""
    alone = np.flatnonzero(np.isfinite(widths))
    if len(alone) < MIN_SHARES or SHARES[alone[0]] > MAX_FIRST_SHARE:
        return np.nan
    fit = alone[:FIT_SHARES]
    slope, intercept = np.polyfit(SHARES[fit], widths[fit], 1)
    return float(intercept) if 0.0 < intercept <= MAX_GROWTH * widths[alone[0]] else np.nan


def knee_half_width_below(
    raw: np.ndarray,
    outline: np.ndarray,
    *,
    frames,
    knee: int,
    ankle: int,
    other_knee: int,
    other_ankle: int,
) -> float:
    """Half a knee's width at its landmark's height, extrapolated from the leg's outline widths below it
    (:func:`leg_widths_below`) over ``frames`` (median; NaN in fewer than ``MIN_FRAMES`` frames that pass the
    quality gate).

    Parameters
    ----------
    raw
        Pixel landmarks ``(time, keypoint, 2)``.
    outline
        The person outline ``(time, outline_point, 2)``.
    frames
        Bool per frame: the frames to measure in (front or back views).
    knee, ankle, other_knee, other_ankle
        Keypoint indices of this leg's knee and ankle and the other leg's.
    """
    widths = [
        _width_at_knee(
            leg_widths_below(outline[f], raw[f, knee], raw[f, ankle], raw[f, other_knee], raw[f, other_ankle])
        )
        for f in np.flatnonzero(frames)
    ]
    widths = np.asarray(widths, dtype=float)
    widths = widths[np.isfinite(widths)]
    return 0.5 * float(np.median(widths)) if len(widths) >= MIN_FRAMES else np.nan
