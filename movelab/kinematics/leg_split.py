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

**Seen from behind at depth** the merged outline's outer edge at the knee's height is not the knee's: the thigh,
foreshortened and running up and out from a knee pulled in, covers that height, and the outer edge there lay
19-26 px from the projected knee against a knee half-width of about 18 px (design bodies K and P, 8-25° of
valgus; below the knee the outer edge stayed 15-17 px from the shank's axis at every valgus amount).
:func:`shank_edge_x` reads the outer edge on the shank just below the knee instead (``EDGE_SHARES`` of the way
from the knee as placed to the ankle landmark), extrapolated up to the knee's height along a straight line, and
:func:`shank_half_width` gives half the shank's width at those heights, measured where the leg stands alone.

**Where the legs part only low down** (tall, heavy-legged bodies in the narrow stance: the calves touch in every
frame) the shank's width where it stands alone is the tapered lower shank's: design body AW, its legs parting
0.75 of the way to the ankles, read half-widths of 12.5-13.3 px there against the 14.9-15.6 px the knee needs.
Where the legs part more than ``MAX_FIRST_SHARE`` of the way down (or nowhere), :func:`shank_half_width` takes
a quarter of the two shanks' merged interval at ``EDGE_SHARES`` instead (:func:`merged_widths_below`; median over
the clip's frames, which standing side by side show the shanks' full widths): 15.5-15.8 px on AW.
"""

from __future__ import annotations

import numpy as np

from movelab.kinematics.geometry import row_interval

__all__ = [
    "knee_half_width_below",
    "leg_alone_intervals",
    "leg_widths_below",
    "merged_widths_below",
    "shank_edge_x",
    "shank_half_width",
]

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
#: Back views: where the shank's outer edge is read below the knee (shares of the way from the knee as placed to
#: the ankle landmark): below the thigh's outline at depth, above the shank's taper (design bodies K and P from
#: behind; docs/findings-decisions.md, *seen from behind, second round*).
EDGE_SHARES = np.linspace(0.1, 0.3, 5)


def _leg_intervals(outline: np.ndarray, knee, ankle, other_knee, other_ankle, *, shares) -> tuple:
    """``rows, both``: per share of the way from ``knee`` to ``ankle`` (``(x, y)`` landmarks), the row ``y`` and the
    outline's interval ``lo, hi`` holding the leg's point there (within 2 px; NaN where none does, or without all
    four landmarks), and whether that interval also holds the other leg's point at the same share."""
    rows, both = np.full((len(shares), 3), np.nan), np.zeros(len(shares), dtype=bool)
    points = np.asarray([knee, ankle, other_knee, other_ankle], dtype=float)
    if not np.isfinite(points).all() or points[1, 1] - points[0, 1] < 4:
        return rows, both
    for i, s in enumerate(shares):
        (x, y), other_x = points[0] + s * (points[1] - points[0]), points[2, 0] + s * (points[3, 0] - points[2, 0])
        interval = row_interval(outline, y, x)
        if interval is not None:
            rows[i], both[i] = (y, *interval), interval[0] <= other_x <= interval[1]
    return rows, both


def leg_alone_intervals(outline: np.ndarray, knee, ankle, other_knee, other_ankle, *, shares) -> np.ndarray:
    """``(share, 3)``: per share of the way from ``knee`` to ``ankle`` (``(x, y)`` landmarks), the row ``y`` and
    the outline's interval ``lo, hi`` holding the leg's point there (within 2 px); NaN where that interval also
    holds the other leg's point at the same share (the legs merged there), where no interval holds it, or
    without all four landmarks."""
    rows, both = _leg_intervals(outline, knee, ankle, other_knee, other_ankle, shares=shares)
    rows[both] = np.nan
    return rows


def merged_widths_below(outline: np.ndarray, knee, ankle, other_knee, other_ankle) -> np.ndarray:
    """Per share of ``EDGE_SHARES``: the width (px) of the outline's interval holding both legs' points that share
    of the way from each knee to its ankle (``(x, y)`` landmarks; the shanks touching there), NaN where the legs
    part, where no interval holds the leg's point, or without all four landmarks."""
    rows, both = _leg_intervals(outline, knee, ankle, other_knee, other_ankle, shares=EDGE_SHARES)
    return np.where(both, rows[:, 2] - rows[:, 1], np.nan)


def leg_widths_below(outline: np.ndarray, knee, ankle, other_knee, other_ankle) -> np.ndarray:
    """Per share of ``SHARES``: the width (px) of the outline's interval holding the point that share of the
    way from ``knee`` to ``ankle`` (``(x, y)`` landmarks), NaN where that interval also holds the other leg's
    point at the same share (the legs merged there) or where no interval holds it (within 2 px)."""
    rows = leg_alone_intervals(outline, knee, ankle, other_knee, other_ankle, shares=SHARES)
    return rows[:, 2] - rows[:, 1]


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


def _per_share_medians(widths: np.ndarray) -> np.ndarray:
    """Per column of ``widths`` ``(frame, share)``: the median over its finite rows, NaN in fewer than
    ``MIN_FRAMES``."""
    counted = np.isfinite(widths).sum(axis=0) >= MIN_FRAMES
    per_share = np.full(widths.shape[1], np.nan)
    per_share[counted] = np.nanmedian(widths[:, counted], axis=0)
    return per_share


def shank_half_width(widths: np.ndarray, *, shares=EDGE_SHARES, merged=None) -> float:
    """Half the shank's width at ``shares`` (of the way from the knee to the ankle) from per-frame ``widths``
    ``(frame, SHARES)`` (:func:`leg_widths_below`, NaN where the legs merge): per share the median over the
    frames (at least ``MIN_FRAMES``), then the median over ``shares``. Where none of them is measured, half the
    width at the highest share below them that is; with ``merged`` ``(frame, EDGE_SHARES)``
    (:func:`merged_widths_below`, the same medians), where that share lies more than ``MAX_FIRST_SHARE`` down the
    shank or none is measured, a quarter of the shanks' merged width at ``EDGE_SHARES`` instead where that is
    measured (the shank tapers below the calf, so that far down it is too narrow: module notes). NaN where
    neither is measured."""
    per_share = _per_share_medians(np.asarray(widths, dtype=float).reshape(-1, len(SHARES)))
    near = np.isclose(SHARES[:, None], np.asarray(shares, dtype=float)[None, :]).any(axis=1)
    measured = np.isfinite(per_share)
    if (near & measured).any():
        return 0.5 * float(np.median(per_share[near & measured]))
    below = np.flatnonzero(measured & (SHARES > np.max(shares)))
    if merged is not None and not (len(below) and SHARES[below[0]] <= MAX_FIRST_SHARE):
        per_merged = _per_share_medians(np.asarray(merged, dtype=float).reshape(-1, len(EDGE_SHARES)))
        if np.isfinite(per_merged).any():  # the shanks side by side in one interval: each about half of it
            return 0.25 * float(np.nanmedian(per_merged))
    return 0.5 * float(per_share[below[0]]) if len(below) else np.nan


def shank_edge_x(outline: np.ndarray, knee, ankle, *, leg_x: tuple[float, float], outward: float) -> float:
    """The ``x`` of the leg's outer edge at ``knee``'s height, on a straight line through the outer edge at
    ``EDGE_SHARES`` of the way from ``knee`` (the knee as placed, ``(x, y)``) to ``ankle`` (at least 3 heights),
    or NaN. ``leg_x``: the leg's ``x`` at the knee's and the ankle's heights (landmarks), which picks the
    outline's interval at each height (within 2 px); ``outward``: +1 where the outer edge is the interval's
    right end (larger ``x``), -1 where it is the left."""
    ky, ay = knee[1], ankle[1]
    if not np.isfinite([ky, ay, *leg_x]).all() or ay - ky < 4:
        return np.nan
    ys, edges = [], []
    for s in EDGE_SHARES:
        y, x = ky + s * (ay - ky), leg_x[0] + s * (leg_x[1] - leg_x[0])
        interval = row_interval(outline, y, x)
        if interval is not None:
            ys.append(y)
            edges.append(interval[1] if outward > 0 else interval[0])
    if len(ys) < 3:
        return np.nan
    slope, intercept = np.polyfit(ys, edges, 1)
    return float(slope * ky + intercept)
