"""Squat and lunge repetitions from the height of the pelvis, and what each rep measured.

The pelvis height is the ``hip_mid`` height in the picture divided by the client's leg length, so camera
distance does not matter. Reps are its dips (OpenCap's squat method, Uhlrich et al. 2023: minima at least
0.5 s apart) with the client seen standing before and after; the bottom is the middle of the stretch spent
at the lowest point; the start and end are where the movement leaves and regains standing, timed by the
knee flexion (squats) or the stepping foot (lunges), which change from the first instant, rather than by
the pelvis drop, which grows with the square of the knee angle and comes late. A squat seen from the front
or back, where no picture signal changes from the first instant, is timed by the head's drop with a fit
that allows for it growing with the square of the knee angle. Details and sources in ``docs/events.md``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

from movelab.events._signals import SIDES, Signals, crossing_time, nanmean_rows, runs
from movelab.events.config import EventsConfig
from movelab.kinematics.geometry import heel_rise_pitch_deg

__all__ = ["REP_COLUMNS", "LUNGE_COLUMNS", "TIMED_BY", "detect_reps", "pelvis_height", "head_height"]

#: Views in which a squat is seen face on (front or back): every picture signal is second order in the
#: knee angle there, so reps are timed by the head's drop with a fourth-root fit (docs/events.md).
FRONTAL_VIEWS: tuple[str, str] = ("front", "back")

#: What timed a rep's start and end (the ``timed_by`` column; docs/events.md gives each one's measured error).
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

#: Columns of the reps table of a squat.
REP_COLUMNS: list[str] = [
    "index", "start_s", "bottom_s", "end_s", "start_frame", "bottom_frame", "end_frame", "timed_by",
    "descent_s", "ascent_s", "duration_s", "time_at_bottom_s", "pelvis_drop_pct_leg", "partial",
    "peak_knee_flexion_deg", "peak_hip_flexion_deg", "trunk_lean_at_depth_deg",
    "pelvic_tilt_change_descent_deg", "heel_lift_px", "heel_lift_pct_leg", "heel_lift_deg",
    "knee_fppa_left_at_depth_deg", "knee_fppa_right_at_depth_deg", "pelvic_obliquity_at_depth_deg",
]
#: Columns of the reps table of a lunge or split squat.
LUNGE_COLUMNS: list[str] = [
    "index", "start_s", "bottom_s", "end_s", "start_frame", "bottom_frame", "end_frame", "timed_by",
    "descent_s", "ascent_s", "duration_s", "time_at_bottom_s", "pelvis_drop_pct_leg", "partial",
    "lead_leg", "peak_knee_flexion_deg", "peak_rear_knee_flexion_deg", "peak_hip_flexion_deg",
    "trunk_lean_at_depth_deg", "pelvic_tilt_change_descent_deg", "pelvic_obliquity_at_depth_deg",
    "knee_fppa_lead_at_depth_deg",
]


@dataclass(frozen=True)
class _Rep:
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


def pelvis_height(signals: Signals) -> np.ndarray:
    """Height of ``hip_mid`` in leg lengths, ``−y / leg_px`` (up positive; only its changes matter)."""
    return -signals.hip_mid()[:, 1] / signals.leg_px


def head_height(signals: Signals) -> np.ndarray:
    """Height of the ears in leg lengths, ``−y / leg_px`` (mean of the two, the one seen when the other is
    not; NaN when neither is)."""
    return -nanmean_rows(*(signals.point(f"{side}_ear")[:, 1] for side in SIDES)) / signals.leg_px


def ankle_gap_px(signals: Signals, axis: int) -> np.ndarray:
    """Per frame, how far apart the ankles are along the picture's ``axis`` (0: x, 1: y), pixels."""
    return np.abs(signals.point("left_ankle")[:, axis] - signals.point("right_ankle")[:, axis])


def moved_from(points: np.ndarray, rest) -> np.ndarray | None:
    """Per frame, the distance of ``points`` (``(time, 2)``) from their median position over the samples
    ``rest`` (a slice or mask: where they stood); None when they were never seen there."""
    stood = points[rest]
    stood = stood[np.isfinite(stood).all(axis=1)]
    if not len(stood):
        return None
    return np.hypot(*(points - np.median(stood, axis=0)).T)


def detect_reps(signals: Signals, angles: pd.DataFrame, *, movement: str = "squat",
                config: EventsConfig = EventsConfig()) -> pd.DataFrame:
    """One row per complete rep of a squat, or of a lunge / split squat (``movement="lunge"``).

    A rep is complete when the client is seen standing before and after it; reps cut by the start or the
    end of the video are left out. Columns: :data:`REP_COLUMNS` or :data:`LUNGE_COLUMNS` (units in the
    names; degrees as docs/conventions.md; NaN where an angle was not measurable, e.g. pelvic tilt before
    the outline method exists or frontal angles in a side view).
    """
    columns = LUNGE_COLUMNS if movement == "lunge" else REP_COLUMNS
    if not signals.usable:
        return pd.DataFrame(columns=columns)
    if movement == "lunge":  # see _lunge_reps
        found = _lunge_reps(signals, angles, config)
    else:  # timed by the knees bending; from the front or back by the head's drop
        found = find_reps(signals.time_s, pelvis_height(signals), config, flexion=knee_flexion(angles),
                          head=head_height(signals), frontal=np.isin(signals.views.values, FRONTAL_VIEWS))
    deepest = max((r.depth for r in found), default=math.nan)
    rows = []
    for index, rep in enumerate(found):
        row = _timing(signals, rep, index, deepest, config)
        row.update(_lunge_metrics(signals, angles, rep) if movement == "lunge" else
                   _squat_metrics(signals, angles, rep))
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def knee_flexion(angles: pd.DataFrame) -> np.ndarray:
    """Mean of the left and right knee flexion per frame (the one measured when the other is not), degrees."""
    columns = [angles[c].to_numpy(dtype=np.float64) for c in ("knee_flexion_left", "knee_flexion_right")
               if c in angles]
    return nanmean_rows(*columns) if columns else np.full(len(angles), np.nan)


def find_reps(t: np.ndarray, h: np.ndarray, config: EventsConfig, *, flexion: np.ndarray | None = None,
              feet: np.ndarray | None = None, pelvis: np.ndarray | None = None,
              head: np.ndarray | None = None, frontal: np.ndarray | None = None) -> list[_Rep]:
    """Dips of the height ``h`` (leg lengths) that start and end standing (see the module notes).

    A dip counts when ``h`` drops at least ``rep_min_depth``; seen face on (``frontal`` through the dip),
    also a dip of at least ``rep_front_min_depth`` in which the ``head`` drops ``rep_min_depth``: from the
    front MediaPipe's hips show only two thirds to nine tenths of the pelvis's drop, the head all of its
    own, which is at least the pelvis's in a squat (docs/events.md).

    Each rep's start and end are timed by the first of these that is seen through it: ``flexion``
    (degrees, :func:`knee_flexion`); ``feet`` (``(time, 2, 2)`` ankle positions, leg lengths) when one foot
    steps away and back (a forward lunge); ``pelvis`` (``(time, 2)`` pelvis positions, leg lengths), its
    whole displacement from where it stood; ``head`` (``(time,)`` height of the head, leg lengths) when
    the client is seen face on while standing before and after the rep (``frontal``, per frame; bent
    down, a squat seen from the front may look oblique), its drop timed with a fourth-root fit
    (:func:`_head_onsets`); else the drop of ``h``. The knees bend, a stepping foot and (in side view)
    the pelvis move from the first instant, while the pelvis drop grows only with the square of the knee
    angle and so comes late."""
    n = t.size
    flexion = np.full(n, np.nan) if flexion is None else np.asarray(flexion, dtype=np.float64)
    feet = np.full((n, 2, 2), np.nan) if feet is None else np.asarray(feet, dtype=np.float64)
    pelvis = np.full((n, 2), np.nan) if pelvis is None else np.asarray(pelvis, dtype=np.float64)
    head = np.full(n, np.nan) if head is None else np.asarray(head, dtype=np.float64)
    frontal = np.zeros(n, dtype=bool) if frontal is None else np.asarray(frontal, dtype=bool)
    out = []
    for start, stop in runs(np.isfinite(h)):
        if stop - start < 5:
            continue
        timing = tuple(signal[start:stop] for signal in (flexion, feet, pelvis, head, frontal))
        tt, hh = t[start:stop], h[start:stop]
        rate = 1.0 / float(np.median(np.diff(tt)))
        shallowest = config.rep_min_depth
        if timing[4].any():  # seen face on somewhere in the run
            shallowest = min(config.rep_min_depth, config.rep_front_min_depth)
        peaks, props = find_peaks(-hh, prominence=shallowest,
                                  distance=max(1, int(round(config.rep_min_separation_s * rate))))
        kept, needs = [], []
        for p, prominence, lb, rb in zip(peaks, props["prominences"], props["left_bases"], props["right_bases"]):
            face_on = _head_dip(timing[3], timing[4], int(p), int(lb), int(rb)) >= config.rep_min_depth
            need = shallowest if face_on else config.rep_min_depth  # a shallow squat seen face on (see above)
            if prominence >= need:
                kept.append(int(p)), needs.append(need)
        bounds = [0, *kept, hh.size - 1]
        for k, (p, need) in enumerate(zip(kept, needs)):
            rep = _one_rep(tt, hh, timing, bounds[k], p, bounds[k + 2], config, min_depth=need)
            if rep is not None:  # indices back to the whole video
                out.append(dataclasses.replace(rep, bottom=rep.bottom + start, stand_before=slice(
                    rep.stand_before.start + start, rep.stand_before.stop + start)))
    return out


def _head_dip(head: np.ndarray, frontal: np.ndarray, p: int, left: int, right: int) -> float:
    """How far the head dips (leg lengths) between samples ``left`` and ``right`` around the pelvis's dip at
    ``p``: the lower of its highest levels before and after ``p`` minus its lowest. NaN unless the client
    is seen face on (``frontal``) in most of that stretch and the head in 90 % of it."""
    span = slice(left, right + 1)
    if not frontal[span].mean() > 0.5 or not np.isfinite(head[span]).mean() >= 0.9:
        return math.nan
    return float(min(np.nanmax(head[left:p + 1]), np.nanmax(head[p:right + 1])) - np.nanmin(head[span]))


def _one_rep(t: np.ndarray, h: np.ndarray, timing: tuple[np.ndarray, ...], before: int,
             p: int, after: int, config: EventsConfig, *, min_depth: float) -> _Rep | None:
    """Start, bottom and end of the dip at ``p`` between the neighbouring dips (or the run's ends), when
    the pelvis drops at least ``min_depth`` (leg lengths) from both standing levels."""
    low = h[p]
    top_before, top_after = np.max(h[before:p + 1]), np.max(h[p:after + 1])
    level = config.rep_standing_level
    # coarse start/end: the last (first) sample at the standing-level fraction before (after) the bottom
    above_b = np.flatnonzero(h[before:p] >= low + level * (top_before - low)) + before
    above_a = np.flatnonzero(h[p:after + 1] >= low + level * (top_after - low)) + p
    if above_b.size == 0 or above_a.size == 0:
        return None
    s, e = int(above_b[-1]), int(above_a[0])
    stand_b = _standing(t, h, above_b, s, -1, config)
    stand_a = _standing(t, h, above_a, e, +1, config)
    if stand_b is None or stand_a is None:
        return None  # not seen standing before or after: a rep cut by the ends of the video
    level_b, level_a = float(np.median(h[stand_b])), float(np.median(h[stand_a]))
    depth_b, depth_a = level_b - low, level_a - low
    if min(depth_b, depth_a) < min_depth:
        return None
    start, end, timed_by = _timed(t, timing, p, stand_b, stand_a, config, bounds=(before, after),
                                  depth=min(depth_b, depth_a))
    if timed_by is None:
        start, by_start = _pelvis_onset(t, h, p, -1, level_b, depth_b, stand_b.start, s, config)
        end, by_end = _pelvis_onset(t, h, p, +1, level_a, depth_a, stand_a.stop - 1, e, config)
        timed_by = (by_start, by_end)
    bottom, at_bottom = _bottom(t, h, p, min(depth_b, depth_a) * config.rep_bottom_band)
    if not start < bottom < end:
        return None
    return _Rep(start, bottom, end, at_bottom, depth_b, p, stand_b, timed_by)


def _pelvis_onset(t: np.ndarray, h: np.ndarray, p: int, step: int, level: float, depth: float, limit: int,
                  edge: int, config: EventsConfig) -> tuple[float, str]:
    """Start (``step`` −1) or end (+1) of the dip at ``p`` from the pelvis height ``h`` itself, with what
    timed it: the square-root fit of its drop from the standing ``level``, else its crossing of
    ``rep_standing_level`` between sample ``edge`` and its neighbour towards the bottom."""
    onset = _onset(t, level - h, p, step, depth, config, limit=limit)
    if onset is not None:
        return onset, "pelvis_drop"
    pair = (edge, edge + 1) if step < 0 else (edge - 1, edge)
    return crossing_time(t, h, *pair, h[p] + config.rep_standing_level * depth), "pelvis_95pct"


def _timed(t: np.ndarray, timing: tuple[np.ndarray, ...], p: int, stand_b: slice, stand_a: slice,
           config: EventsConfig, *, bounds: tuple[int, int], depth: float,
           ) -> tuple[float, float, tuple[str, str]] | tuple[None, None, None]:
    """Start, end and (twice) the name of the first timing signal seen through the rep (see
    :func:`find_reps`; :data:`TIMED_BY`), or Nones; ``bounds`` are the neighbouring reps' bottoms (or the run's ends),
    ``depth`` the pelvis drop (leg lengths)."""
    flexion, feet, pelvis, head, frontal = timing
    tries: list[tuple[str, Callable[[], tuple[float | None, float | None]]]] = [
        ("knee_flexion", lambda: _flexion_onsets(t, flexion, p, stand_b, stand_a, config, bounds=bounds)),
        ("stepping_foot", lambda: _step_onsets(t, feet, p, stand_b, stand_a, config, bounds=bounds)),
        ("pelvis_motion", lambda: (_moved_onset(t, pelvis, p, -1, stand_b, config),
                                   _moved_onset(t, pelvis, p, +1, stand_a, config))),
    ]
    if frontal[stand_b].mean() > 0.5 and frontal[stand_a].mean() > 0.5:
        tries.append(("head_drop", lambda: _head_onsets(t, head, p, stand_b, stand_a, config, bounds=bounds,
                                                        depth=depth)))
    for name, timed in tries:
        start, end = timed()
        if start is not None and end is not None:
            return start, end, (name, name)
    return None, None, None


def _flexion_onsets(t: np.ndarray, flexion: np.ndarray, p: int, stand_b: slice, stand_a: slice,
                    config: EventsConfig, *, bounds: tuple[int, int]) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the knee flexion, when it is measured through the rep and
    bends by at least ``rep_min_flexion_deg``, fitted over ``rep_flexion_onset_fit`` (:func:`_onset`).

    The standing level is the low end (20th percentile) of the pelvis's standing stretch, then re-taken
    from the 0.3 s beyond each estimate of the onset (at most five times; it settles in two to four), and
    the onset is searched up to the neighbouring reps' bottoms ``bounds``, not only through that stretch:
    the pelvis drop grows with the square of the knee angle, so on a slow descent the pelvis is still
    at 95 % of its standing height while the knees have bent 5-15°. Taken from that stretch the level was
    too high and the search too short, and the start came up to 6 frames late (30 fps) even from the true
    knee angle of rendered side-view squats (docs/events.md)."""
    span = slice(stand_b.start, stand_a.stop)
    if np.isfinite(flexion[span]).mean() < 0.8:
        return None, None
    flex_b, flex_a = np.nanpercentile(flexion[stand_b], 20), np.nanpercentile(flexion[stand_a], 20)
    peak = np.nanmax(flexion[span])
    if peak - max(flex_b, flex_a) < config.rep_min_flexion_deg:
        return None, None
    out: list[float | None] = []
    for standing, step, limit in ((stand_b, -1, bounds[0]), (stand_a, +1, bounds[1])):

        def estimate(rest: np.ndarray, step: int = step, limit: int = limit) -> float | None:
            level = float(np.nanpercentile(flexion[rest], 20))
            return _onset(t, flexion - level, p, step, peak - level, config, limit=limit,
                          fit=config.rep_flexion_onset_fit)

        out.append(_settled_onset(t, np.isfinite(flexion), standing, step, estimate, passes=5, keep_last=True))
    return out[0], out[1]


def _step_onsets(t: np.ndarray, feet: np.ndarray, p: int, stand_b: slice, stand_a: slice,
                 config: EventsConfig, *, bounds: tuple[int, int]) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the foot that moves farthest from where it stood, when it
    moves at least ``rep_min_step`` leg lengths (a forward lunge's step out and back) and is seen in 90 %
    of the rep (``stand_b`` to ``stand_a``). When the stepping foot is not (MediaPipe lost the far foot in
    the first frames of a side view) the other foot does not stand in for it: its heel lifts and its ankle
    moves, but not with the step (a side-view lunge was timed 5 frames early and 7 late by it;
    docs/events.md).

    Where a foot stood is taken from the foot itself: between the rep's bottom and the neighbouring rep's
    bottom (``bounds``), the samples where it is at least 90 % as far from its place at this bottom (median
    over 0.1 s either side) as it ever is there. The pelvis's standing stretch does not serve: it can lie
    after the foot has set off (the pelvis drops late), and a foot that moved within it gave no start and
    the rep fell back on the pelvis (5 frames late: docs/events.md)."""
    out: list[float | None] = []
    span = slice(stand_b.start, stand_a.stop)
    seen = np.isfinite(feet[span]).all(axis=2).mean(axis=0)
    at_bottom = np.abs(t - t[p]) <= 0.1
    away = {k: moved_from(feet[:, k], at_bottom) for k in np.flatnonzero(seen > 0)}  # from its place at the bottom
    for step, limit in ((-1, bounds[0]), (+1, bounds[1])):
        between = np.zeros(t.size, dtype=bool)
        between[min(limit, p):max(limit, p) + 1] = True
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
        out.append(_onset(t, moved[:, foot], p, step, float(travel[foot]), config, limit=limit))
    return out[0], out[1]


def _moved_onset(t: np.ndarray, points: np.ndarray, p: int, step: int, standing: slice,
                 config: EventsConfig) -> float | None:
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
        return _onset(t, moved, p, step, depth, config, limit=limit) if depth > 0 else None

    return _settled_onset(t, np.isfinite(points).all(axis=1), standing, step, estimate, passes=2)


def _head_onsets(t: np.ndarray, head: np.ndarray, p: int, stand_b: slice, stand_a: slice, config: EventsConfig,
                 *, bounds: tuple[int, int], depth: float) -> tuple[float | None, float | None]:
    """Start and end of the rep at ``p`` from the drop of the head, for a squat seen face on.

    From the front or back every picture signal is second order in the knee angle (the knees travel
    towards the camera; a height falls with ``1 − cos``): near the start the drop grows as the square of
    the knee angle, itself growing as the square of time, so the fourth root of the drop, not its square
    root, is a straight line in time (fitted over ``rep_front_onset_fit`` of the head's largest drop). The
    head rather than the pelvis: it drops further (the trunk leans as well) and MediaPipe's hip landmarks,
    guessed inside the trunk from the front, wobble up and jump as the thighs begin to bend (measured on
    rendered clips, docs/events.md). The standing level is re-taken from the 0.3 s beyond the first
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
            return _onset(t, drop, p, step, largest, config, limit=before if step < 0 else after,
                          fit=config.rep_front_onset_fit, root=4.0)

        onset = _settled_onset(t, np.isfinite(head), standing, step, estimate, passes=2)
        edge = float(t[standing.stop - 1] if step < 0 else t[standing.start])  # the pelvis's 95 % crossing
        if onset is None or (onset - edge) * step < 0 or not t[before] <= onset <= t[after]:
            return None, None
        out.append(onset)
    return out[0], out[1]


def _settled_onset(t: np.ndarray, seen: np.ndarray, standing: slice, step: int,
                   estimate: Callable[[np.ndarray], float | None], *, passes: int,
                   keep_last: bool = False) -> float | None:
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


def _standing(t: np.ndarray, h: np.ndarray, above: np.ndarray, edge: int, step: int,
              config: EventsConfig) -> slice | None:
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


def _onset(t: np.ndarray, drop: np.ndarray, bottom: int, step: int, depth: float, config: EventsConfig,
           *, limit: int, fit: tuple[float, float] | None = None, root: float = 2.0) -> float | None:
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
    i = bottom
    while (limit - i) * step > 0:
        i += step
        frac = drop[i] / depth
        if not np.isfinite(frac) or (frac < low and chosen):
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
    slope, intercept = np.polyfit(x, y, 1)
    if slope * step >= 0:
        return None
    onset = -intercept / slope
    # within half a second of the fitted stretch, never inside it
    nearest = float(x[-1])
    lo, hi = sorted((nearest, nearest + step * 0.5))
    return float(np.clip(onset, lo, hi))


def _bottom(t: np.ndarray, h: np.ndarray, p: int, band: float) -> tuple[float, float]:
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


# ----------------------------------------------------------------------------- per-rep measures


def _timing(signals: Signals, rep: _Rep, index: int, deepest: float, config: EventsConfig) -> dict:
    return {
        "index": index,
        "start_s": rep.start_s, "bottom_s": rep.bottom_s, "end_s": rep.end_s,
        "start_frame": signals.nearest_frame(rep.start_s), "bottom_frame": signals.nearest_frame(rep.bottom_s),
        "end_frame": signals.nearest_frame(rep.end_s), "timed_by": _timed_by_label(rep.timed_by),
        "descent_s": rep.bottom_s - rep.start_s, "ascent_s": rep.end_s - rep.bottom_s,
        "duration_s": rep.end_s - rep.start_s, "time_at_bottom_s": rep.time_at_bottom_s,
        "pelvis_drop_pct_leg": 100.0 * rep.depth,
        "partial": bool(rep.depth < config.rep_full_prominence * deepest),
    }


def _squat_metrics(signals: Signals, angles: pd.DataFrame, rep: _Rep) -> dict:
    col = _Columns(angles, rep)
    heel_px = _heel_lift_px(signals, rep)
    return {
        "peak_knee_flexion_deg": col.peak_of_mean("knee_flexion"),
        "peak_hip_flexion_deg": col.peak_of_mean("hip_flexion"),
        "trunk_lean_at_depth_deg": col.at_bottom("trunk_lean"),
        "pelvic_tilt_change_descent_deg": col.tilt_change(),
        "heel_lift_px": heel_px,
        "heel_lift_pct_leg": 100.0 * heel_px / signals.leg_px,
        "heel_lift_deg": _heel_lift_deg(signals, rep),
        "knee_fppa_left_at_depth_deg": col.at_bottom("knee_fppa_left"),
        "knee_fppa_right_at_depth_deg": col.at_bottom("knee_fppa_right"),
        "pelvic_obliquity_at_depth_deg": col.at_bottom("pelvic_obliquity"),
    }


def _lunge_metrics(signals: Signals, angles: pd.DataFrame, rep: _Rep) -> dict:
    col = _Columns(angles, rep)
    lead = lead_leg(signals, rep)
    rear = None if lead is None else ("right" if lead == "left" else "left")
    return {
        "lead_leg": lead,
        "peak_knee_flexion_deg": col.peak(f"knee_flexion_{lead}") if lead else math.nan,
        "peak_rear_knee_flexion_deg": col.peak(f"knee_flexion_{rear}") if rear else math.nan,
        "peak_hip_flexion_deg": col.peak(f"hip_flexion_{lead}") if lead else math.nan,
        "trunk_lean_at_depth_deg": col.at_bottom("trunk_lean"),
        "pelvic_tilt_change_descent_deg": col.tilt_change(),
        "pelvic_obliquity_at_depth_deg": col.at_bottom("pelvic_obliquity"),
        "knee_fppa_lead_at_depth_deg": col.at_bottom(f"knee_fppa_{lead}") if lead else math.nan,
    }


def _lunge_reps(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> list[_Rep]:
    """Reps of a lunge or split squat, each start and end timed by a signal that leaves standing at first
    order where the view shows one (docs/events.md, *Reps*):

    * **forward lunge** (the feet together while standing; one steps out and back): the stepping foot's
      displacement (:func:`_step_onsets`) from the side or back. From the **front** the foot comes towards
      the camera: below the camera it moves down the picture while it lifts, the two cancel, so the head's
      drop with the fourth-root fit of a squat seen face on (:func:`_head_onsets`) times the rep;
    * **split squat** (the ankles ``lunge_split_min_stance`` apart while standing): from the side the lead
      knee's flexion (it bends from the first instant) when the stance is seen throughout
      (:func:`_stance_kept`); from the front or back, and from the side when the stance is lost, the pelvis
      height, which first *rises* as the pelvis moves forward over the front foot (the legs are inclined)
      and then drops, fitted as ``c + a·τ² + b·τ⁴`` (:func:`_split_onset`);
    * else, or when those are not seen, the pelvis's displacement and the pelvis drop (:func:`find_reps`).
    """
    t, h = signals.time_s, pelvis_height(signals)
    views = signals.views.values
    feet = np.stack([signals.point(f"{side}_ankle") for side in SIDES], axis=1) / signals.leg_px
    pelvis = signals.hip_mid() / signals.leg_px
    found = find_reps(t, h, config, feet=feet, pelvis=pelvis)
    if not found:
        return found
    side_view = np.isin(views, ("side_left", "side_right")).mean() > 0.5
    stance = [_stance_gap(signals, rep.stand_before, side_view) for rep in found]
    split = bool(np.isfinite(stance).any() and np.nanmedian(stance) >= config.lunge_split_min_stance)
    if split:
        # half way to the neighbouring reps' bottoms (the run's ends for the first and last rep)
        middles = [0, *((a.bottom + b.bottom) // 2 for a, b in zip(found, found[1:])), t.size - 1]
        flexion = _lead_flexion(angles) if side_view and _stance_kept(signals, found, middles) else None
        out = []
        for k, rep in enumerate(found):
            if flexion is not None:
                name = "lead_knee_flexion"
                start = _split_flexion_onset(t, flexion, rep.bottom, -1, middles[k], config)
                end = _split_flexion_onset(t, flexion, rep.bottom, +1, middles[k + 1], config)
            else:
                name = "pelvis_height_fit"
                start = _split_onset(t, h, rep, -1, middles[k], config)
                end = _split_onset(t, h, rep, +1, middles[k + 1], config)
            out.append(_retimed(rep, start, end, name))
        return out
    if (views == "front").mean() > 0.5:
        timed = find_reps(t, h, config, head=head_height(signals), frontal=views == "front")
        if len(timed) == len(found):
            return timed
    return found


def _retimed(rep: _Rep, start: float | None, end: float | None, name: str) -> _Rep:
    """``rep`` with the start and end found by the signal ``name`` where found (each kept as it was where
    not), unless they do not enclose its bottom."""
    by_start, by_end = (kept if found is None else name for found, kept in zip((start, end), rep.timed_by))
    start = rep.start_s if start is None else start
    end = rep.end_s if end is None else end
    if not start < rep.bottom_s < end:
        return rep
    return dataclasses.replace(rep, start_s=start, end_s=end, timed_by=(by_start, by_end))


def _timed_by_label(timed_by: tuple[str, str]) -> str:
    """The ``timed_by`` column: one name, or ``"<start's>/<end's>"`` when two signals timed the rep."""
    return timed_by[0] if timed_by[0] == timed_by[1] else "/".join(timed_by)


def _stance_gap(signals: Signals, standing: slice, side_view: bool) -> float:
    """How far apart the ankles are while standing (``standing`` samples), in leg lengths: along the picture
    in side view, else along its vertical (perspective puts the front foot of a split stance lower in the
    picture from a camera above the feet). NaN unless both ankles are seen in half of those samples: seen
    only in the last ones, a forward lunge's stepping foot is already on its way and reads as a split
    stance (docs/events.md)."""
    gap = ankle_gap_px(signals, 0 if side_view else 1)[standing]
    if not np.isfinite(gap).mean() >= 0.5:
        return math.nan
    gap = gap[np.isfinite(gap)]
    return float(np.median(gap)) / signals.leg_px


def _stance_kept(signals: Signals, found: list[_Rep], middles: list[int]) -> bool:
    """Whether the split stance is seen throughout the reps from the side: in every frame from half way to
    the previous rep's bottom to half way to the next one (``middles``), the ankles at least half as far
    apart along the picture as at the rep's bottom (their median over 0.15 s either side). A split squat's
    feet do not move, so ankles seen closer are the pose model losing the legs (read together while
    standing, or their labels exchanged and the low-pass blending the two): the knee flexion read near
    standing, where the start and end are found, is then not the lead knee's (docs/events.md)."""
    gap = ankle_gap_px(signals, 0)
    for k, rep in enumerate(found):
        at_bottom = gap[np.abs(signals.time_s - signals.time_s[rep.bottom]) <= 0.15]
        if not np.isfinite(at_bottom).any():
            return False
        span = gap[middles[k]:middles[k + 1] + 1]
        if np.any(span[np.isfinite(span)] < 0.5 * np.nanmedian(at_bottom)):
            return False
    return True


def _lead_flexion(angles: pd.DataFrame) -> np.ndarray:
    """Knee flexion (degrees) of the leg that bends more over the video: a split squat's front leg."""
    best, flexion = -math.inf, np.full(len(angles), np.nan)
    for side in SIDES:
        column = f"knee_flexion_{side}"
        if column not in angles:
            continue
        values = angles[column].to_numpy(dtype=np.float64)
        if np.isfinite(values).sum() >= 2:
            spread = float(np.diff(np.nanpercentile(values, [5, 95]))[0])
            if spread > best:
                best, flexion = spread, values
    return flexion


def _split_flexion_onset(t: np.ndarray, flexion: np.ndarray, p: int, step: int, far: int,
                         config: EventsConfig) -> float | None:
    """Start (``step`` −1) or end (+1) of the split squat's rep with its bottom at sample ``p`` from the lead
    knee's flexion (side view), with the square-root fit of :func:`_onset`, searched up to sample ``far``
    (half way to the neighbouring rep). The standing flexion is the 10th percentile between ``far`` and
    ``p``: the pelvis height, which first rises, does not mark the standing stretch of a split squat. None
    unless the flexion is measured in 80 % of that stretch (gaps are bridged linearly) and bends
    ``rep_min_flexion_deg``."""
    span = slice(min(far, p), max(far, p) + 1)
    if np.isfinite(flexion[span]).mean() < 0.8:
        return None
    standing = float(np.nanpercentile(flexion[span], 10))
    peak = float(np.nanmax(flexion[span]))
    if peak - standing < config.rep_min_flexion_deg:
        return None
    seen = np.isfinite(flexion)  # bridge the frames where the knee was not measured (linearly)
    flexion = np.interp(t, t[seen], flexion[seen])
    return _onset(t, flexion - standing, p, step, peak - standing, config, limit=far)


def _split_onset(t: np.ndarray, h: np.ndarray, rep: _Rep, step: int, neighbour: int,
                 config: EventsConfig) -> float | None:
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
        design = np.column_stack([np.ones_like(tt), tau ** 2, tau ** 4])
        coef = np.linalg.lstsq(design, hh, rcond=None)[0]
        residual = float(np.sum((design @ coef - hh) ** 2))
        if residual < best:
            best, onset = residual, float(t0)
    if onset is None or onset - grid[0] < 0.5 / rate or grid[-1] - onset < 0.5 / rate:
        return None
    return onset


def lead_leg(signals: Signals, rep: _Rep) -> str | None:
    """The front leg of a lunge at the bottom of ``rep``: in side view the foot further forward; from behind
    the ankle higher in the picture (farther from the camera; MediaPipe hardly shows the rear knee sinking
    from behind) when they are 0.03 leg lengths apart, else the foot whose heel stands lower against its
    toes (the rear heel is raised, so its heel shows above its toes; the front foot is flat and its toes,
    farther away, show above its heel) when that differs by 0.03 leg lengths; otherwise (or when a foot is
    missing) the knee held higher (the rear knee sinks towards the floor)."""
    near = (signals.time_s >= rep.bottom_s - 0.15) & (signals.time_s <= rep.bottom_s + 0.15)
    forward = signals.forward[near]
    if np.isin(signals.views.values[near], ("side_left", "side_right")).mean() > 0.5:
        ahead = [_median(forward * signals.point(f"{s}_ankle")[near, 0]) for s in SIDES]
        if np.isfinite(ahead).all() and ahead[0] != ahead[1]:
            return SIDES[int(np.argmax(ahead))]
    if (signals.views.values[near] == "back").mean() > 0.5:  # from behind the front foot is farther: higher
        up = [_median(-signals.point(f"{s}_ankle")[near, 1]) for s in SIDES]
        if np.isfinite(up).all() and abs(up[0] - up[1]) > 0.03 * signals.leg_px:
            return SIDES[int(np.argmax(up))]
        flat = [_median(signals.point(f"{s}_heel")[near, 1] - signals.point(f"{s}_foot_index")[near, 1])
                for s in SIDES]  # heel below its toes in the picture: the foot flat on the floor
        if np.isfinite(flat).all() and abs(flat[0] - flat[1]) > 0.03 * signals.leg_px:
            return SIDES[int(np.argmax(flat))]
    knee_up = [_median(-signals.point(f"{s}_knee")[near, 1]) for s in SIDES]
    if np.isfinite(knee_up).all() and abs(knee_up[0] - knee_up[1]) > 0.05 * signals.leg_px:
        return SIDES[int(np.argmax(knee_up))]
    return None


def _median(values: np.ndarray) -> float:
    """Median of the finite ``values``; NaN (without numpy's warning) when there are none."""
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else math.nan


def knee_gap_at_bottom(signals: Signals, rep: _Rep) -> float:
    """Vertical distance between the knees at the bottom of ``rep``, in leg lengths (NaN if a knee is
    missing): large in a lunge (the rear knee nears the floor), small in a squat."""
    near = (signals.time_s >= rep.bottom_s - 0.15) & (signals.time_s <= rep.bottom_s + 0.15)
    gap = np.abs(signals.point("left_knee")[near, 1] - signals.point("right_knee")[near, 1])
    gap = gap[np.isfinite(gap)]
    return float(np.median(gap)) / signals.leg_px if gap.size else math.nan


def _heel_lift_px(signals: Signals, rep: _Rep) -> float:
    """Largest rise of either heel during the rep above its median height while standing before it."""
    during = (signals.time_s >= rep.start_s) & (signals.time_s <= rep.end_s)
    rises = []
    for side in SIDES:
        height = -signals.point(f"{side}_heel")[:, 1]
        standing = height[rep.stand_before]
        standing = standing[np.isfinite(standing)]
        moving = height[during]
        moving = moving[np.isfinite(moving)]
        if standing.size and moving.size:
            rises.append(float(moving.max() - np.median(standing)))
    return max(0.0, max(rises)) if rises else math.nan


def _heel_lift_deg(signals: Signals, rep: _Rep) -> float:
    """Heel rise at the bottom of ``rep`` as the foot pitch it implies (side views only): per foot
    :func:`movelab.kinematics.geometry.heel_rise_pitch_deg` ``(y₀, y, L₀)`` with ``y₀`` the heel's standing
    height and ``L₀`` its standing heel-to-toe distance (as :func:`movelab.findings.foot.heel_rise_deg`), the smaller of the two feet (heels rise
    together; one landmark drifting up alone is not a lift), or the one seen."""
    near = np.abs(signals.time_s - rep.bottom_s) <= 0.1
    if not np.isin(signals.views.values[near], ("side_left", "side_right")).mean() > 0.5:
        return math.nan
    rises = []
    for side in SIDES:
        heel, toe = signals.point(f"{side}_heel"), signals.point(f"{side}_foot_index")
        stood = heel[rep.stand_before, 1]
        standing_y = np.nanmedian(stood) if np.isfinite(stood).any() else np.nan
        length = np.hypot(*(toe[rep.stand_before] - heel[rep.stand_before]).T)
        length = np.nanmedian(length) if np.isfinite(length).any() else np.nan
        at_bottom = heel[near, 1][np.isfinite(heel[near, 1])]
        if np.isfinite(standing_y) and length > 0 and at_bottom.size:
            rises.append(float(heel_rise_pitch_deg(standing_y, np.median(at_bottom), length)))
    return min(rises) if rises else math.nan


class _Columns:
    """Angle columns read over one rep."""

    def __init__(self, angles: pd.DataFrame, rep: _Rep) -> None:
        self.angles, self.rep = angles, rep
        self.time = angles["time_s"].to_numpy(dtype=np.float64)
        self.during = (self.time >= rep.start_s) & (self.time <= rep.end_s)

    def values(self, name: str) -> np.ndarray:
        if name not in self.angles:
            return np.full(self.time.size, np.nan)
        return self.angles[name].to_numpy(dtype=np.float64)

    def peak(self, name: str) -> float:
        return _nanmax(self.values(name)[self.during])

    def peak_of_mean(self, stem: str) -> float:
        """Peak over the rep of the mean of the left and right angle (the one seen, when one is missing)."""
        both = nanmean_rows(self.values(f"{stem}_left"), self.values(f"{stem}_right"))
        return _nanmax(both[self.during])

    def at_bottom(self, name: str) -> float:
        """The angle at the frame nearest the bottom, or the nearest finite value within 0.1 s."""
        values = self.values(name)
        near = np.flatnonzero((np.abs(self.time - self.rep.bottom_s) <= 0.1) & np.isfinite(values))
        if near.size == 0:
            return math.nan
        return float(values[near[np.argmin(np.abs(self.time[near] - self.rep.bottom_s))]])

    def tilt_change(self) -> float:
        """Pelvic tilt at depth minus its largest (most anterior) value during the descent: negative when
        the pelvis tucks under at the bottom ("butt wink"; Appl Sci 15:12526, 2025). NaN unless the tilt was
        measured at the bottom and in at least half of the descent's frames."""
        tilt = self.values("pelvic_tilt")
        descent = (self.time >= self.rep.start_s) & (self.time <= self.rep.bottom_s)
        bottom = self.at_bottom("pelvic_tilt")
        seen = tilt[descent]
        if not np.isfinite(bottom) or seen.size == 0 or np.isfinite(seen).mean() < 0.5:
            return math.nan
        return float(bottom - np.nanmax(seen))


def _nanmax(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size else math.nan
