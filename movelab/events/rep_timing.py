"""Timing a rep: where its start and end leave and regain standing, and its bottom (docs/events.md, *Reps*).

Each signal that changes from standing at first order is tried in turn (:func:`first_timing`: the knees'
flexion, a stepping foot, the pelvis's displacement, the head's drop seen face on), else the pelvis drop
(:func:`pelvis_onset`); a split squat's onsets come from its lead knee or a fit of the pelvis height
(:func:`split_flexion_onset`, :func:`split_onset`) and replace the first timing where found
(:func:`with_onsets`). Onsets are the zero of a straight line fitted to a root of the change from standing
(:func:`fitted_onset`).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from movelab.events._quantile import nanpercentile
from movelab.events._signals import crossing_time
from movelab.events.config import EventsConfig

__all__ = [
    "Rep",
    "TimingSignals",
    "TIMED_BY",
    "first_timing",
    "pelvis_onset",
    "with_onsets",
    "split_onset",
    "split_flexion_onset",
    "fitted_onset",
    "standing_stretch",
    "bottom_of",
    "moved_from",
]

#: What timed a rep's start and end (the ``timed_by`` column; docs/events-accuracy.md gives each one's measured error).
TIMED_BY: dict[str, str] = {
    "knee_flexion": "the knees' flexion leaving and regaining its standing level (squat, side view)",
    "stepping_foot": "the stepping foot's distance from where it stood (forward lunge, side or back view)",
    "pelvis_motion": "the pelvis's distance from where it stood",
    "head_drop": "the ears' drop, fourth-root fit (squat or forward lunge seen face on)",
    "lead_knee_flexion": "the front knee's flexion (split squat, side view)",
    "pelvis_height_fit": "the pelvis height fitted as c + a·τ² + b·τ⁴ (split squat, front or back view)",
    "pelvis_drop": "the pelvis drop, square-root fit",
    "pelvis_95pct": "the pelvis crossing 95 % of its standing height (OpenCap's rule; fires late)",
}


@dataclass(frozen=True)
class Rep:
    """Times (s) of one rep, its depth (leg lengths) and the frame indices bounding its standing levels."""

    start_s: float
    bottom_s: float
    end_s: float
    time_at_bottom_s: float
    depth: float
    bottom: int
    stand_before: slice
    #: the signals that timed the start and the end (names of :data:`TIMED_BY`)
    timed_by: tuple[str, str]


class TimingSignals(NamedTuple):
    """The per-frame signals that can time a rep (NaN where not measured; see :func:`first_timing`)."""

    flexion: np.ndarray  #: (time,) knee flexion, degrees
    feet: np.ndarray  #: (time, 2, 2) ankle positions, leg lengths
    pelvis: np.ndarray  #: (time, 2) pelvis position, leg lengths
    head: np.ndarray  #: (time,) head height, leg lengths
    frontal: np.ndarray  #: (time,) bool, seen face on


def moved_from(points: np.ndarray, rest) -> np.ndarray | None:
    """Per frame, the distance of ``points`` (``(time, 2)``) from their median position over the samples
    ``rest`` (a slice or mask: where they stood); None when they were never seen there."""
    stood = points[rest]
    stood = stood[np.isfinite(stood).all(axis=1)]
    if not len(stood):
        return None
    return np.hypot(*(points - np.median(stood, axis=0)).T)


def pelvis_onset(
    t: np.ndarray,
    h: np.ndarray,
    *,
    p: int,
    step: int,
    level: float,
    depth: float,
    limit: int,
    edge: int,
    config: EventsConfig,
) -> tuple[float, str]:
    """Start (``step`` −1) or end (+1) of the dip at ``p`` from the pelvis height ``h`` itself, with what
    timed it: the square-root fit of its drop from the standing ``level``, else its crossing of
    ``rep_standing_level`` between sample ``edge`` and its neighbour towards the bottom."""
    onset = fitted_onset(t, level - h, p, step, depth, config=config, limit=limit)
    if onset is not None:
        return onset, "pelvis_drop"
    pair = (edge, edge + 1) if step < 0 else (edge - 1, edge)
    return crossing_time(t, h, *pair, h[p] + config.rep_standing_level * depth), "pelvis_95pct"


def first_timing(
    t: np.ndarray,
    timing: TimingSignals,
    *,
    p: int,
    stand_b: slice,
    stand_a: slice,
    bounds: tuple[int, int],
    depth: float,
    config: EventsConfig,
) -> tuple[float, float, tuple[str, str]] | tuple[None, None, None]:
    """Start, end and (twice) the name of the first timing signal seen through the rep (see
    :func:`find_reps`; :data:`TIMED_BY`), or Nones; ``bounds`` are the neighbouring reps' bottoms (or the run's ends),
    ``depth`` the pelvis drop (leg lengths)."""
    flexion, feet, pelvis, head, frontal = timing.flexion, timing.feet, timing.pelvis, timing.head, timing.frontal
    tries: list[tuple[str, Callable[[], tuple[float | None, float | None]]]] = [
        ("knee_flexion", lambda: _flexion_onsets(t, flexion, p, stand_b, stand_a, config=config, bounds=bounds)),
        ("stepping_foot", lambda: _step_onsets(t, feet, p, stand_b, stand_a, config=config, bounds=bounds)),
        (
            "pelvis_motion",
            lambda: (
                _moved_onset(t, pelvis, p, -1, stand_b, config=config),
                _moved_onset(t, pelvis, p, +1, stand_a, config=config),
            ),
        ),
    ]
    if frontal[stand_b].mean() > 0.5 and frontal[stand_a].mean() > 0.5:
        tries.append(
            ("head_drop", lambda: _head_onsets(t, head, p, stand_b, stand_a, config=config, bounds=bounds, depth=depth))
        )
    for name, timed in tries:
        start, end = timed()
        if start is not None and end is not None:
            return start, end, (name, name)
    return None, None, None


def _flexion_onsets(
    t: np.ndarray,
    flexion: np.ndarray,
    p: int,
    stand_b: slice,
    stand_a: slice,
    *,
    config: EventsConfig,
    bounds: tuple[int, int],
) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the knee flexion, when it is measured through the rep and
    bends by at least ``rep_min_flexion_deg``, fitted over ``rep_flexion_onset_fit`` (:func:`fitted_onset`).

    The standing level is the low end (20th percentile) of the pelvis's standing stretch, then re-taken
    from the 0.3 s beyond each estimate of the onset (at most five times; it settles in two to four), and
    the onset is searched up to the neighbouring reps' bottoms ``bounds``, not only through that stretch:
    the pelvis drop grows with the square of the knee angle, so on a slow descent the pelvis is still
    at 95 % of its standing height while the knees have bent 5-15°. Taken from that stretch the level was
    too high and the search too short, and the start came up to 6 frames late (30 fps) even from the true
    knee angle of rendered side-view squats (docs/events-decisions.md)."""
    span = slice(stand_b.start, stand_a.stop)
    if np.isfinite(flexion[span]).mean() < 0.8:
        return None, None
    flex_b, flex_a = nanpercentile(flexion[stand_b], 20), nanpercentile(flexion[stand_a], 20)
    peak = np.nanmax(flexion[span])
    if peak - max(flex_b, flex_a) < config.rep_min_flexion_deg:
        return None, None
    out: list[float | None] = []
    for standing, step, limit in ((stand_b, -1, bounds[0]), (stand_a, +1, bounds[1])):

        def estimate(rest: np.ndarray, step: int = step, limit: int = limit) -> float | None:
            level = nanpercentile(flexion[rest], 20)
            return fitted_onset(
                t, flexion - level, p, step, peak - level, config=config, limit=limit, fit=config.rep_flexion_onset_fit
            )

        out.append(_settled_onset(t, np.isfinite(flexion), standing, step, estimate, passes=5, keep_last=True))
    return out[0], out[1]


def _step_onsets(
    t: np.ndarray,
    feet: np.ndarray,
    p: int,
    stand_b: slice,
    stand_a: slice,
    *,
    config: EventsConfig,
    bounds: tuple[int, int],
) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the foot that moves farthest from where it stood, when it
    moves at least ``rep_min_step`` leg lengths (a forward lunge's step out and back) and is seen in 90 %
    of the rep (``stand_b`` to ``stand_a``). When the stepping foot is not (MediaPipe lost the far foot in
    the first frames of a side view) the other foot does not stand in for it: its heel lifts and its ankle
    moves, but not with the step (a side-view lunge was timed 5 frames early and 7 late by it;
    docs/events-decisions.md).

    Where a foot stood is taken from the foot itself: between the rep's bottom and the neighbouring rep's
    bottom (``bounds``), the samples where it is at least 90 % as far from its place at this bottom (median
    over 0.1 s either side) as it ever is there. The pelvis's standing stretch does not serve: it can lie
    after the foot has set off (the pelvis drops late), and a foot that moved within it gave no start and
    the rep fell back on the pelvis (5 frames late: docs/events-decisions.md)."""
    out: list[float | None] = []
    span = slice(stand_b.start, stand_a.stop)
    seen = np.isfinite(feet[span]).all(axis=2).mean(axis=0)
    at_bottom = np.abs(t - t[p]) <= 0.1
    away = {k: moved_from(feet[:, k], at_bottom) for k in np.flatnonzero(seen > 0)}  # from its place at the bottom
    for step, limit in ((-1, bounds[0]), (+1, bounds[1])):
        between = np.zeros(t.size, dtype=bool)
        between[min(limit, p) : max(limit, p) + 1] = True
        travel = np.full(feet.shape[1], -np.inf)
        moved = np.full(feet.shape[:2], np.nan)
        for k, off in away.items():
            if off is None or not np.isfinite(off[between]).any():
                continue
            distance = moved_from(feet[:, k], between & (off >= 0.9 * np.nanmax(off[between])))
            if distance is not None:
                moved[:, k] = distance
                travel[k] = np.nanmax(moved[span, k])
        foot = int(np.argmax(travel))
        if not travel[foot] >= config.rep_min_step or seen[foot] < 0.9:
            return None, None  # no step, or the stepping foot not seen through it (not the other foot)
        out.append(fitted_onset(t, moved[:, foot], p, step, float(travel[foot]), config=config, limit=limit))
    return out[0], out[1]


def _moved_onset(
    t: np.ndarray, points: np.ndarray, p: int, step: int, standing: slice, *, config: EventsConfig
) -> float | None:
    """Start (``step`` −1) or end (+1) of the rep at ``p`` from the distance of ``points`` from where they
    were while standing. The standing position is the median over the standing stretch, then re-taken
    from the 0.3 s beyond the first estimate (the pelvis may still be at its standing height while it
    already moves back or forward), and the onset found again. None when not seen through the rep."""
    span = slice(min(standing.start, p), max(standing.stop, p + 1))
    if np.isfinite(points[span]).all(axis=1).mean() < 0.9:
        return None
    limit = standing.start if step < 0 else standing.stop - 1

    def estimate(rest: np.ndarray) -> float | None:
        moved = moved_from(points, rest)
        depth = float(np.nanmax(moved[span])) if moved is not None else math.nan
        return fitted_onset(t, moved, p, step, depth, config=config, limit=limit) if depth > 0 else None

    return _settled_onset(t, np.isfinite(points).all(axis=1), standing, step, estimate, passes=2)


def _head_onsets(
    t: np.ndarray,
    head: np.ndarray,
    p: int,
    stand_b: slice,
    stand_a: slice,
    *,
    config: EventsConfig,
    bounds: tuple[int, int],
    depth: float,
) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the drop of the head, for a squat seen face on.

    From the front or back every picture signal is second order in the knee angle (the knees travel
    towards the camera; a height falls with ``1 − cos``): near the start the drop grows as the square of
    the knee angle, itself growing as the square of time, so the fourth root of the drop, not its square
    root, is a straight line in time (fitted over ``rep_front_onset_fit`` of the head's largest drop). The
    head rather than the pelvis: it drops further (the trunk leans as well) and MediaPipe's hip landmarks,
    guessed inside the trunk from the front, wobble up and jump as the thighs begin to bend (measured on
    rendered clips, docs/events-decisions.md). The standing level is re-taken from the 0.3 s beyond the first
    estimate, as in :func:`_moved_onset`.

    Used when the head is seen (finite) through the rep and drops at least ``rep_front_head_min_drop`` of
    the pelvis's drop ``depth``; each onset must lie between the rep's neighbours ``bounds`` and on the
    standing side of the pelvis's 95 % crossings. Else None, None (the pelvis drop times the rep).
    """
    before, after = bounds
    span = slice(stand_b.start, stand_a.stop)
    if not np.isfinite(head[span]).mean() >= 0.9:
        return None, None
    out: list[float | None] = []
    for standing, step in ((stand_b, -1), (stand_a, +1)):

        def estimate(rest: np.ndarray, step: int = step) -> float | None:
            if not np.isfinite(head[rest]).any():
                return None
            drop = np.nanmedian(head[rest]) - head
            largest = float(np.nanmax(drop[span]))
            if not largest >= config.rep_front_head_min_drop * depth:
                return None
            return fitted_onset(
                t,
                drop,
                p,
                step,
                largest,
                config=config,
                limit=before if step < 0 else after,
                fit=config.rep_front_onset_fit,
                root=4.0,
            )

        onset = _settled_onset(t, np.isfinite(head), standing, step, estimate, passes=2)
        edge = float(t[standing.stop - 1] if step < 0 else t[standing.start])  # the pelvis's 95 % crossing
        if onset is None or (onset - edge) * step < 0 or not t[before] <= onset <= t[after]:
            return None, None
        out.append(onset)
    return out[0], out[1]


def _settled_onset(
    t: np.ndarray,
    seen: np.ndarray,
    standing: slice,
    step: int,
    estimate: Callable[[np.ndarray], float | None],
    *,
    passes: int,
    keep_last: bool = False,
) -> float | None:
    """An onset whose standing level is re-taken from where the client really stood: ``estimate(rest)``
    gives the onset from the standing samples ``rest`` (first the ``standing`` stretch, then the 0.3 s
    beyond the last estimate, on the standing side of it, where ``seen``), up to ``passes`` times. A signal
    still at its standing value may already move: the stretch next to the pelvis's 95 % crossing can hold
    the start of the movement. When an estimate fails: the one before it with ``keep_last``, else None."""
    rest = np.zeros(t.size, dtype=bool)
    rest[standing] = True
    onset = None
    for _ in range(passes):
        found = estimate(rest)
        if found is None:
            return onset if keep_last else None
        onset = found
        rest = ((t - onset) * step >= 0) & (np.abs(t - onset) <= 0.3) & seen
        if rest.sum() < 2:
            break
    return onset


def standing_stretch(
    t: np.ndarray, h: np.ndarray, above: np.ndarray, edge: int, step: int, *, config: EventsConfig
) -> slice | None:
    """Samples of the standing stretch next to a rep: the run of ``above`` samples that ends (``step``
    −1) or begins (+1) at ``edge``, limited to ``rep_standing_window_s``; None if it is a single sample at
    the end of the data (the client was not seen standing)."""
    members = set(above.tolist())
    i = edge
    while (i + step) in members and abs(t[i + step] - t[edge]) <= config.rep_standing_window_s:
        i += step
    lo, hi = (i, edge) if step < 0 else (edge, i)
    at_data_end = (lo == 0) if step < 0 else (hi == h.size - 1)
    if hi - lo < 2 and at_data_end:
        return None
    return slice(lo, hi + 1)


def fitted_onset(
    t: np.ndarray,
    drop: np.ndarray,
    bottom: int,
    step: int,
    depth: float,
    *,
    config: EventsConfig,
    limit: int,
    fit: tuple[float, float] | None = None,
    root: float = 2.0,
) -> float | None:
    """Where ``drop`` (a change from standing: knee flexion, a foot's or the pelvis's displacement, the pelvis
    drop) begins (``step`` −1: walking from
    the bottom back in time) or ends (``step`` +1: walking forward), not beyond sample ``limit``.

    Near its start a smooth movement's displacement grows as the square of time, so ``sqrt(drop)`` is a
    straight line in time; fitted (least squares) over the stretch nearest the standing level where the
    drop is between the two fractions ``rep_onset_fit`` of ``depth``, its zero is the onset. None when
    fewer than two samples are in that range. A signal growing as a higher power of time near its start
    is fitted with that ``root`` (4: the drop of a squat seen face on) over the fractions ``fit``.
    """
    low, high = config.rep_onset_fit if fit is None else fit
    chosen = []
    for i, frac in _walk(drop, depth, bottom, step, limit):
        if not math.isfinite(frac) or (frac < low and chosen):
            break
        if low <= frac < high:
            chosen.append(i)
        elif chosen:
            chosen = []  # the drop rose again (a wobble): keep only the stretch nearest standing
    if len(chosen) < 2:
        return None
    x = t[chosen]
    y = np.clip(drop[chosen] / depth, 0.0, None)
    y = np.sqrt(y) if root == 2.0 else y ** (1.0 / root)
    slope, intercept = line_fit(x, y)
    if slope * step >= 0:
        return None
    onset = -intercept / slope
    # within half a second of the fitted stretch, never inside it
    nearest = float(x[-1])
    lo, hi = sorted((nearest, nearest + step * 0.5))
    return float(np.clip(onset, lo, hi))


def line_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.float64, np.float64]:
    """``numpy.polyfit(x, y, 1)`` (slope, intercept) of 1-D float arrays of two or more samples, the same
    floats: its steps (the columns ``x`` and 1 scaled to unit length, least squares with ``rcond`` ``n`` times
    the float64 epsilon, the scale taken out) without its checks and general set-up (the reps' onsets take
    thousands of fits of a few samples); its ``RankWarning`` too when all ``x`` are equal."""
    lhs = np.empty((x.size, 2))
    lhs[:, 0] = x
    lhs[:, 0] += 0.0  # as polyfit's ``x + 0.0``: -0.0 becomes 0.0
    lhs[:, 1] = 1.0
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs /= scale
    c, _, rank, _ = np.linalg.lstsq(lhs, np.asarray(y, dtype=np.float64) + 0.0, rcond=x.size * _EPS)
    if rank != 2:
        warnings.warn("Polyfit may be poorly conditioned", np.exceptions.RankWarning, stacklevel=2)
    c = c / scale
    return c[0], c[1]


_EPS = float(np.finfo(np.float64).eps)


def _walk(drop: np.ndarray, depth: float, bottom: int, step: int, limit: int):
    """``(i, drop[i] / depth)`` for the samples ``i`` from the one after ``bottom`` (``step`` ±1) to ``limit``, the
    fractions divided as one array (the same values as sample by sample) and handed out as plain floats."""
    if (limit - bottom) * step <= 0:
        return zip((), ())
    first = bottom + step
    lo, hi = min(first, limit), max(first, limit)
    fracs = (drop[lo : hi + 1] / np.float64(depth)).tolist()
    if step < 0:
        fracs.reverse()
    return zip(range(first, limit + step, step), fracs)


def bottom_of(t: np.ndarray, h: np.ndarray, p: int, band: float) -> tuple[float, float]:
    """Middle of the stretch around sample ``p`` where ``h`` is within ``band`` of its value there, and
    the length of that stretch (crossings interpolated)."""
    level = h[p] + band
    i = p
    while i > 0 and np.isfinite(h[i - 1]) and h[i - 1] <= level:
        i -= 1
    j = p
    while j < h.size - 1 and np.isfinite(h[j + 1]) and h[j + 1] <= level:
        j += 1
    begin = crossing_time(t, h, i - 1, i, level) if i > 0 else float(t[i])
    end = crossing_time(t, h, j, j + 1, level) if j < h.size - 1 else float(t[j])
    return 0.5 * (begin + end), end - begin


def with_onsets(rep: Rep, start: float | None, end: float | None, name: str) -> Rep:
    """``rep`` with the start and end found by the signal ``name`` where found (each kept as it was where
    not), unless they do not enclose its bottom."""
    by_start, by_end = (kept if found is None else name for found, kept in zip((start, end), rep.timed_by))
    start = rep.start_s if start is None else start
    end = rep.end_s if end is None else end
    if not start < rep.bottom_s < end:
        return rep
    return dataclasses.replace(rep, start_s=start, end_s=end, timed_by=(by_start, by_end))


def split_flexion_onset(
    t: np.ndarray, flexion: np.ndarray, p: int, step: int, far: int, *, config: EventsConfig
) -> float | None:
    """Start (``step`` −1) or end (+1) of the split squat's rep with its bottom at sample ``p`` from the lead
    knee's flexion (side view), with the square-root fit of :func:`fitted_onset`, searched up to sample ``far``
    (half way to the neighbouring rep). The standing flexion is the 10th percentile between ``far`` and
    ``p``: the pelvis height, which first rises, does not mark the standing stretch of a split squat. None
    unless the flexion is measured in 80 % of that stretch (gaps are bridged linearly) and bends
    ``rep_min_flexion_deg``."""
    span = slice(min(far, p), max(far, p) + 1)
    if np.isfinite(flexion[span]).mean() < 0.8:
        return None
    standing = nanpercentile(flexion[span], 10)
    peak = float(np.nanmax(flexion[span]))
    if peak - standing < config.rep_min_flexion_deg:
        return None
    seen = np.isfinite(flexion)  # bridge the frames where the knee was not measured (linearly)
    flexion = np.interp(t, t[seen], flexion[seen])
    return fitted_onset(t, flexion - standing, p, step, peak - standing, config=config, limit=far)


def split_onset(
    t: np.ndarray, h: np.ndarray, rep: Rep, step: int, neighbour: int, *, config: EventsConfig
) -> float | None:
    """Start (``step`` −1) or end (+1) of a split squat's rep from the pelvis height ``h`` seen from the
    front or back.

    The pelvis first moves forward over the front foot and, the legs being inclined, rises (first order in
    the movement), then drops (the knees bend): ``h`` is neither a pure square nor a pure fourth power of
    the time ``τ`` since the start, so it is fitted (least squares) as ``c + a·τ² + b·τ⁴`` after the start and
    ``c`` before it, over the ``lunge_split_fit`` window (seconds) before the drop first reaches the fraction
    ``lunge_split_fit`` of the rep's depth, not beyond sample ``neighbour`` (half way to the neighbouring
    rep's bottom); the start is searched on a 1/10-frame grid. None when the window holds under 6 samples
    or the best start lies on its edge."""
    frac, window = config.lunge_split_fit
    p = rep.bottom
    level = h[p] + (1.0 - frac) * rep.depth
    i = p
    while 0 <= i + step < t.size and (i - neighbour) * step < 0 and not h[i] >= level:
        i += step
    lo_t, hi_t = sorted((t[i], t[i] + step * window))
    idx = np.flatnonzero((t >= lo_t) & (t <= hi_t) & np.isfinite(h))
    idx = idx[(idx - neighbour) * step <= 0]
    if idx.size < 6:
        return None
    tt, hh = t[idx], h[idx]
    rate = 1.0 / float(np.median(np.diff(tt)))
    grid = np.arange(tt.min(), tt.max(), 0.1 / rate)
    best, onset = math.inf, None
    for t0 in grid:
        tau = np.clip((t0 - tt) * step, 0.0, None)
        design = np.column_stack([np.ones_like(tt), tau**2, tau**4])
        coef = np.linalg.lstsq(design, hh, rcond=None)[0]
        residual = float(np.sum((design @ coef - hh) ** 2))
        if residual < best:
            best, onset = residual, float(t0)
    if onset is None or onset - grid[0] < 0.5 / rate or grid[-1] - onset < 0.5 / rate:
        return None
    return onset
