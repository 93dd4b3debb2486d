"""Squat and lunge repetitions from the height of the pelvis, and what each rep measured.

The pelvis height is the ``hip_mid`` height in the picture divided by the client's leg length, so camera
distance does not matter. Reps are its dips (OpenCap's squat method, Uhlrich et al. 2023: minima at least
0.5 s apart) with the client seen standing before and after; the bottom is the middle of the stretch spent
at the lowest point; the start and end are where the movement leaves and regains standing, timed by the
knee flexion (squats) or the stepping foot (lunges), which change from the first instant, rather than by
the pelvis drop, which grows with the square of the knee angle and comes late. A squat seen from the front
or back, where no picture signal changes from the first instant, is timed by the head's drop with a fit
that allows for it growing with the square of the knee angle. The method and its sources in ``docs/events.md``,
the measured error in ``docs/events-accuracy.md``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from movelab.events._peaks import find_peaks
from movelab.events._signals import SIDES, Signals, nanmean_rows, runs
from movelab.events.config import EventsConfig
from movelab.events.rep_metrics import (
    AngleArrays,
    knee_gap_at_bottom,
    lead_leg,
    lunge_metrics,
    rep_part,
    squat_metrics,
    timing_row,
)
from movelab.events.rep_timing import (
    TIMED_BY,
    Rep,
    TimingSignals,
    bottom_of,
    first_timing,
    pelvis_onset,
    split_flexion_onset,
    split_onset,
    standing_stretch,
    with_onsets,
)

__all__ = [
    "REP_COLUMNS",
    "LUNGE_COLUMNS",
    "TIMED_BY",
    "detect_reps",
    "squat_reps",
    "found_reps",
    "FoundReps",
    "reps_table",
    "find_reps",
    "pelvis_height",
    "head_height",
    "knee_flexion",
    "ankle_gap_px",
    "lead_leg",
    "knee_gap_at_bottom",
    "FRONTAL_VIEWS",
]

#: Views in which a squat is seen face on (front or back): every picture signal is second order in the
#: knee angle there, so reps are timed by the head's drop with a fourth-root fit (docs/events-decisions.md).
FRONTAL_VIEWS: tuple[str, str] = ("front", "back")

#: Columns every reps table starts with: timing, and whether the rep is partial.
_TIMING_COLUMNS: list[str] = [
    "index",
    "start_s",
    "bottom_s",
    "end_s",
    "start_frame",
    "bottom_frame",
    "end_frame",
    "timed_by",
    "descent_s",
    "ascent_s",
    "duration_s",
    "time_at_bottom_s",
    "pelvis_drop_pct_leg",
    "partial",
]
#: Columns of the reps table of a squat.
REP_COLUMNS: list[str] = [
    *_TIMING_COLUMNS,
    "peak_knee_flexion_deg",
    "peak_hip_flexion_deg",
    "trunk_lean_at_depth_deg",
    "pelvic_tilt_change_descent_deg",
    "heel_lift_px",
    "heel_lift_pct_leg",
    "heel_lift_deg",
    "knee_fppa_left_at_depth_deg",
    "knee_fppa_right_at_depth_deg",
    "pelvic_obliquity_at_depth_deg",
]
#: Columns of the reps table of a lunge or split squat.
LUNGE_COLUMNS: list[str] = [
    *_TIMING_COLUMNS,
    "lead_leg",
    "peak_knee_flexion_deg",
    "peak_rear_knee_flexion_deg",
    "peak_hip_flexion_deg",
    "trunk_lean_at_depth_deg",
    "pelvic_tilt_change_descent_deg",
    "pelvic_obliquity_at_depth_deg",
    "knee_fppa_lead_at_depth_deg",
]


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


def detect_reps(
    signals: Signals, angles: pd.DataFrame, *, movement: str = "squat", config: EventsConfig = EventsConfig()
) -> pd.DataFrame:
    """One row per complete rep of a squat, or of a lunge / split squat (``movement="lunge"``).

    A rep is complete when the client is seen standing before and after it; reps cut by the start or the
    end of the video are left out. Columns: :data:`REP_COLUMNS` or :data:`LUNGE_COLUMNS` (units in the
    names; degrees as docs/conventions.md; NaN where an angle was not measurable, e.g. pelvic tilt before
    the outline method exists or frontal angles in a side view).
    """
    if not signals.usable:
        return reps_table(signals, angles, [], movement=movement, config=config)
    found = _lunge_reps(signals, angles, config) if movement == "lunge" else squat_reps(signals, angles, config)
    return reps_table(signals, angles, found, movement=movement, config=config)


def squat_reps(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> list[Rep]:
    """The reps of a squat (:func:`find_reps`): timed by the knees bending; from the front or back by the head's
    drop. The movement's recognition counts these same reps (:func:`movelab.events.recognise.recognise`), and
    :func:`movelab.events.segment` hands them on to :func:`reps_table`: they are found once per analysis."""
    if not signals.usable:
        return []
    return find_reps(
        signals.time_s,
        pelvis_height(signals),
        config,
        flexion=knee_flexion(angles),
        head=head_height(signals),
        frontal=np.isin(signals.views.values, FRONTAL_VIEWS),
    )


class FoundReps(NamedTuple):
    """A squat's reps (:func:`squat_reps`) and each one's own frames (:func:`rep_part`), taken once for the
    movement's recognition and the reps table (:func:`movelab.events.segment`)."""

    reps: list[Rep]
    parts: list[tuple[Signals, Rep, slice]]


def found_reps(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> FoundReps:
    """:func:`squat_reps` with each rep's :func:`rep_part`."""
    found = squat_reps(signals, angles, config)
    return FoundReps(found, [rep_part(signals, rep) for rep in found])


def reps_table(
    signals: Signals,
    angles: pd.DataFrame,
    found: list[Rep],
    *,
    movement: str = "squat",
    config: EventsConfig,
    parts: list[tuple[Signals, Rep, slice]] | None = None,
) -> pd.DataFrame:
    """The reps table of :func:`detect_reps` from the reps ``found`` (:func:`squat_reps`, or a lunge's), one row
    each: its timing columns and what it measured on its own frames (``parts``: their :func:`rep_part`, when
    taken before)."""
    columns = LUNGE_COLUMNS if movement == "lunge" else REP_COLUMNS
    deepest = max((r.depth for r in found), default=math.nan)
    table = AngleArrays(angles)  # each column converted once for all the reps
    measures = lunge_metrics if movement == "lunge" else squat_metrics
    # each rep's own frames: the same values, at its own cost
    parts = [rep_part(signals, rep) for rep in found] if parts is None else parts
    rows = []
    for index, (rep, (part, local, window)) in enumerate(zip(found, parts, strict=True)):
        row = timing_row(signals, rep, index, deepest, config)
        row.update(measures(part, table.part(window), local))
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def knee_flexion(angles: pd.DataFrame) -> np.ndarray:
    """Mean of the left and right knee flexion per frame (the one measured when the other is not), degrees."""
    columns = [angles[c].to_numpy(dtype=np.float64) for c in ("knee_flexion_left", "knee_flexion_right") if c in angles]
    return nanmean_rows(*columns) if columns else np.full(len(angles), np.nan)


def find_reps(
    t: np.ndarray,
    h: np.ndarray,
    config: EventsConfig,
    *,
    flexion: np.ndarray | None = None,
    feet: np.ndarray | None = None,
    pelvis: np.ndarray | None = None,
    head: np.ndarray | None = None,
    frontal: np.ndarray | None = None,
) -> list[Rep]:
    """Dips of the height ``h`` (leg lengths) that start and end standing (see the module notes).

    A dip counts when ``h`` drops at least ``rep_min_depth``; seen face on (``frontal`` through the dip),
    also a dip of at least ``rep_front_min_depth`` in which the ``head`` drops ``rep_min_depth``: from the
    front MediaPipe's hips show only two thirds to nine tenths of the pelvis's drop, the head all of its
    own, which is at least the pelvis's in a squat (docs/events-decisions.md).

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
        timing = TimingSignals(*(signal[start:stop] for signal in (flexion, feet, pelvis, head, frontal)))
        tt, hh = t[start:stop], h[start:stop]
        rate = 1.0 / float(np.median(np.diff(tt)))
        shallowest = config.rep_min_depth
        if timing.frontal.any():  # seen face on somewhere in the run
            shallowest = min(config.rep_min_depth, config.rep_front_min_depth)
        peaks, props = find_peaks(
            -hh, prominence=shallowest, distance=max(1, int(round(config.rep_min_separation_s * rate)))
        )
        kept, needs = [], []
        for p, prominence, lb, rb in zip(peaks, props["prominences"], props["left_bases"], props["right_bases"]):
            face_on = _head_dip(timing.head, timing.frontal, int(p), int(lb), int(rb)) >= config.rep_min_depth
            need = shallowest if face_on else config.rep_min_depth  # a shallow squat seen face on (see above)
            if prominence >= need:
                kept.append(int(p)), needs.append(need)
        bounds = [0, *kept, hh.size - 1]
        for k, (p, need) in enumerate(zip(kept, needs)):
            lo, hi = _rep_window(tt, bounds[k], bounds[k + 2])
            rep = _one_rep(
                tt[lo:hi],
                hh[lo:hi],
                TimingSignals(*(signal[lo:hi] for signal in timing)),
                before=bounds[k] - lo,
                p=p - lo,
                after=bounds[k + 2] - lo,
                min_depth=need,
                config=config,
            )
            if rep is not None:  # indices back to the whole video
                shift = start + lo
                out.append(
                    dataclasses.replace(
                        rep,
                        bottom=rep.bottom + shift,
                        stand_before=slice(rep.stand_before.start + shift, rep.stand_before.stop + shift),
                    )
                )
    return out


#: Seconds of signal kept on either side of a rep's neighbouring bottoms when it is timed (:func:`_rep_window`).
_REP_WINDOW_PAD_S = 2.0


def _rep_window(t: np.ndarray, before: int, after: int) -> tuple[int, int]:
    """The samples ``lo:hi`` a rep between the neighbouring bottoms ``before`` and ``after`` is timed from:
    those bottoms and :data:`_REP_WINDOW_PAD_S` beyond, ends of the run included when they are that near.

    Everything :func:`_one_rep` reads lies within it: it searches between the neighbouring bottoms, an onset
    lies within 0.5 s of the samples fitted there and its standing level is re-taken within 0.3 s of it
    (:func:`movelab.events.rep_timing.fitted_onset`, ``_settled_onset``), so the rep's times equal those
    found on the whole run; each rep costs its own length rather than the recording's (a 10-minute
    recording's 358 reps read 36 000 samples each before)."""
    lo = int(np.searchsorted(t, t[before] - _REP_WINDOW_PAD_S, side="left"))
    hi = int(np.searchsorted(t, t[after] + _REP_WINDOW_PAD_S, side="right"))
    # at least one sample beyond each bottom unless it is the run's end: the standing stretch and the bottom's
    # band (standing_stretch, bottom_of) tell the run's ends by the array's
    return min(lo, max(before - 1, 0)), max(hi, min(after + 2, t.size))


def _head_dip(head: np.ndarray, frontal: np.ndarray, p: int, left: int, right: int) -> float:
    """How far the head dips (leg lengths) between samples ``left`` and ``right`` around the pelvis's dip at
    ``p``: the lower of its highest levels before and after ``p`` minus its lowest. NaN unless the client
    is seen face on (``frontal``) in most of that stretch and the head in 90 % of it."""
    span = slice(left, right + 1)
    if not frontal[span].mean() > 0.5 or not np.isfinite(head[span]).mean() >= 0.9:
        return math.nan
    return float(min(np.nanmax(head[left : p + 1]), np.nanmax(head[p : right + 1])) - np.nanmin(head[span]))


def _one_rep(
    t: np.ndarray,
    h: np.ndarray,
    timing: TimingSignals,
    *,
    before: int,
    p: int,
    after: int,
    min_depth: float,
    config: EventsConfig,
) -> Rep | None:
    """Start, bottom and end of the dip at ``p`` between the neighbouring dips (or the run's ends), when
    the pelvis drops at least ``min_depth`` (leg lengths) from both standing levels."""
    low = h[p]
    top_before, top_after = np.max(h[before : p + 1]), np.max(h[p : after + 1])
    level = config.rep_standing_level
    # coarse start/end: the last (first) sample at the standing-level fraction before (after) the bottom
    above_b = np.flatnonzero(h[before:p] >= low + level * (top_before - low)) + before
    above_a = np.flatnonzero(h[p : after + 1] >= low + level * (top_after - low)) + p
    if above_b.size == 0 or above_a.size == 0:
        return None
    s, e = int(above_b[-1]), int(above_a[0])
    stand_b = standing_stretch(t, h, above_b, s, -1, config=config)
    stand_a = standing_stretch(t, h, above_a, e, +1, config=config)
    if stand_b is None or stand_a is None:
        return None  # not seen standing before or after: a rep cut by the ends of the video
    level_b, level_a = float(np.median(h[stand_b])), float(np.median(h[stand_a]))
    depth_b, depth_a = level_b - low, level_a - low
    if min(depth_b, depth_a) < min_depth:
        return None
    start, end, timed_by = first_timing(
        t,
        timing,
        p=p,
        stand_b=stand_b,
        stand_a=stand_a,
        bounds=(before, after),
        depth=min(depth_b, depth_a),
        config=config,
    )
    if timed_by is None:
        start, by_start = pelvis_onset(
            t, h, p=p, step=-1, level=level_b, depth=depth_b, limit=stand_b.start, edge=s, config=config
        )
        end, by_end = pelvis_onset(
            t, h, p=p, step=+1, level=level_a, depth=depth_a, limit=stand_a.stop - 1, edge=e, config=config
        )
        timed_by = (by_start, by_end)
    bottom, at_bottom = bottom_of(t, h, p, min(depth_b, depth_a) * config.rep_bottom_band)
    if not start < bottom < end:
        return None
    return Rep(start, bottom, end, at_bottom, depth_b, p, stand_b, timed_by)


def _lunge_reps(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> list[Rep]:
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
      and then drops, fitted as ``c + a·τ² + b·τ⁴`` (:func:`split_onset`);
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
                start = split_flexion_onset(t, flexion, rep.bottom, -1, middles[k], config=config)
                end = split_flexion_onset(t, flexion, rep.bottom, +1, middles[k + 1], config=config)
            else:
                name = "pelvis_height_fit"
                start = split_onset(t, h, rep, -1, middles[k], config=config)
                end = split_onset(t, h, rep, +1, middles[k + 1], config=config)
            out.append(with_onsets(rep, start, end, name))
        return out
    if (views == "front").mean() > 0.5:
        timed = find_reps(t, h, config, head=head_height(signals), frontal=views == "front")
        if len(timed) == len(found):
            return timed
    return found


def _stance_gap(signals: Signals, standing: slice, side_view: bool) -> float:
    """How far apart the ankles are while standing (``standing`` samples), in leg lengths: along the picture
    in side view, else along its vertical (perspective puts the front foot of a split stance lower in the
    picture from a camera above the feet). NaN unless both ankles are seen in half of those samples: seen
    only in the last ones, a forward lunge's stepping foot is already on its way and reads as a split
    stance (docs/events-decisions.md)."""
    gap = ankle_gap_px(signals, 0 if side_view else 1)[standing]
    if not np.isfinite(gap).mean() >= 0.5:
        return math.nan
    gap = gap[np.isfinite(gap)]
    return float(np.median(gap)) / signals.leg_px


def _stance_kept(signals: Signals, found: list[Rep], middles: list[int]) -> bool:
    """Whether the split stance is seen throughout the reps from the side: in every frame from half way to
    the previous rep's bottom to half way to the next one (``middles``), the ankles at least half as far
    apart along the picture as at the rep's bottom (their median over 0.15 s either side). A split squat's
    feet do not move, so ankles seen closer are the pose model losing the legs (read together while
    standing, or their labels exchanged and the low-pass blending the two): the knee flexion read near
    standing, where the start and end are found, is then not the lead knee's (docs/events-decisions.md)."""
    gap = ankle_gap_px(signals, 0)
    for k, rep in enumerate(found):
        at_bottom = gap[np.abs(signals.time_s - signals.time_s[rep.bottom]) <= 0.15]
        if not np.isfinite(at_bottom).any():
            return False
        span = gap[middles[k] : middles[k + 1] + 1]
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
