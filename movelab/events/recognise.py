"""Which movement a video shows: squat, lunge (or split squat), gait, standing posture, or a supine test.

Rules, in order (thresholds in :class:`movelab.events.EventsConfig`, discussed in docs/events-decisions.md):

0. **thomas** or **aslr**: the client lies on their back (:func:`movelab.events.supine.lies`): the
   modified Thomas test when a knee stays well bent, else the active straight-leg raise
   (:func:`movelab.events.supine.supine_test`; docs/assessments.md);
1. **gait**: the client walks (overground, or on a treadmill where a belt steadily carries the feet:
   ``belt_min_steady``) at least ``walk_min_speed`` leg lengths per second, and the foot-velocity method
   finds at least
   ``gait_min_swings`` initial contacts from both feet; in a video without a side view, at
   ``walk_min_speed_picture`` along the picture, and the contacts must also keep a walking rhythm
   (:func:`_regular_steps`);
2. **lunge**: the pelvis dips in reps (:func:`movelab.events.reps.squat_reps`) and at their bottoms one knee
   is far below the other (``lunge_min_knee_gap``: the rear knee sinks towards the floor), or, in side view,
   the ankles are ``lunge_min_feet_apart`` apart along the walking direction, or (any view) an ankle
   travels ``rep_min_step`` from where it stood before the rep (a forward lunge's step; from the front or
   back it moves down or up the picture as it comes nearer or goes away: :func:`_foot_travel`);
3. **squat**: the pelvis dips in reps otherwise;
4. **posture**: none of the above.

``"unknown"`` when the client is never seen well enough to measure their leg length.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from movelab.events._signals import SIDES, Signals, build_signals
from movelab.events.config import EventsConfig
from movelab.events.gait import steady_belt_fraction, walk_events
from movelab.events.rep_timing import moved_from
from movelab.events.reps import FoundReps, ankle_gap_px, found_reps, knee_gap_at_bottom
from movelab.events.supine import lies, supine_test
from movelab.kinematics.motion import Motion

__all__ = ["recognise_movement"]


def recognise_movement(motion: Motion, *, config: EventsConfig = EventsConfig()) -> str:
    """The movement the video shows: ``"squat"``, ``"lunge"``, ``"gait"`` or ``"posture"``.

    Parameters
    ----------
    motion
        The video's analysis data (:func:`movelab.kinematics.compute_motion`).
    config
        Thresholds, see :class:`EventsConfig`.

    Returns
    -------
    str
        One of :data:`movelab.events.MOVEMENTS`, or ``"unknown"`` when the client was never measurable.
    """
    signals = build_signals(motion, config=config)
    return recognise(signals, motion.angles, config)[0]


def recognise(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> tuple[str, FoundReps | None]:
    """:func:`recognise_movement` on prepared :class:`Signals` and the angle table, with the squat's reps and
    their frames (:func:`movelab.events.reps.found_reps`) it read, or None when it did not look for reps (supine
    tests, gait, a client never measurable): a squat's segmentation takes them on rather than finding them
    again."""
    if not signals.usable:
        return "unknown", None
    if lies(signals, config):
        return supine_test(signals, config), None
    if _walks(signals, config):
        return "gait", None
    found = found_reps(signals, angles, config)  # the reps segment counts, found once
    if not found.reps:
        return "posture", found
    parts = [(part, local) for part, local, _ in found.parts]
    gaps = [knee_gap_at_bottom(part, rep) for part, rep in parts]
    apart = [_feet_apart(part, rep.bottom_s) for part, rep in parts]
    steps = [_foot_travel(part, rep) for part, rep in parts]
    knee_gap = np.nanmedian(gaps) if np.isfinite(gaps).any() else 0.0
    feet_gap = np.nanmedian(apart) if np.isfinite(apart).any() else 0.0
    step = np.nanmedian(steps) if np.isfinite(steps).any() else 0.0
    lunge = (
        knee_gap >= config.lunge_min_knee_gap or feet_gap >= config.lunge_min_feet_apart or step >= config.rep_min_step
    )
    return ("lunge" if lunge else "squat"), found


def _walks(signals: Signals, config: EventsConfig) -> bool:
    events, walk = walk_events(signals, method="velocity", config=config)
    contacts = events[events["event"] == "initial_contact"]
    if len(contacts) < config.gait_min_swings or set(contacts["side"]) != set(SIDES) or walk is None:
        return False
    if not _progresses(signals, walk, config):
        return False
    return walk.side_view or _regular_steps(contacts, config)


def _progresses(signals: Signals, walk, config: EventsConfig) -> bool:
    """The client of ``walk`` (:func:`movelab.events.gait.walk_events`) moves through the picture at the walking
    speed bar, or a belt steadily carries the feet
    (:func:`movelab.events.gait.steady_belt_fraction`): a negative ground speed alone may be the landmark
    jitter or the left/right exchanges of a client who stays in place (a lunge read as a slow treadmill
    walk; docs/events-decisions.md). The client's own speed is the larger of the median velocity of ``walk.pelvis``
    and its straight-line trend over the video: the median alone varied from 0.05 to 0.09 leg lengths per
    second over three encodings of one walk towards the camera (trend 0.21), and a trend assumes one
    straight walk (it is not what a client walking back and forth shows), so either suffices; a client who
    stays in place reads at most 0.005 both ways (docs/events-decisions.md)."""
    bar = (config.walk_min_speed if walk.side_view else config.walk_min_speed_picture) * signals.leg_px
    t, along = signals.time_s, walk.pelvis
    seen = np.isfinite(along)
    trend = float(np.polyfit(t[seen], along[seen], 1)[0]) if seen.sum() >= 2 else -np.inf
    median = walk.speed_px_s + walk.ground_px_s
    return bool(max(median, trend) >= bar or steady_belt_fraction(walk, signals.time_s) >= config.belt_min_steady)


def _regular_steps(contacts: pd.DataFrame, config: EventsConfig) -> bool:
    """Away from side view (where the walker's progress along the picture is foreshortened), walking also
    needs a rhythm: the gaps between consecutive contacts are whole numbers of a typical step (their
    median; a missed contact makes a gap of two) within 0.35 steps for at least two thirds of the gaps
    (events away from side view are a few frames off, docs/events-accuracy.md), the typical step within half
    ``stride_range_s``, and at least ``gait_min_swings − 1`` single steps between alternate feet. A client
    stepping about on the spot, or lifting a leg to balance, has contacts but no such rhythm."""
    times = contacts["time_s"].to_numpy(dtype=np.float64)
    sides = contacts["side"].to_numpy()
    gaps = np.diff(times)
    step = float(np.median(gaps))
    low, high = (0.5 * v for v in config.stride_range_s)
    if not low <= step <= high:
        return False
    count = np.maximum(1.0, np.round(gaps / step))
    single = (count == 1) & (sides[1:] != sides[:-1])
    regular = np.abs(gaps / step - count) <= 0.35
    return bool(regular.mean() >= 2 / 3) and int((single & regular).sum()) >= config.gait_min_swings - 1


def _feet_apart(signals: Signals, bottom_s: float) -> float:
    """Distance between the ankles along the walking direction near ``bottom_s``, in leg lengths; NaN
    outside side views or when an ankle is missing."""
    near = np.abs(signals.time_s - bottom_s) <= 0.15
    if not np.isin(signals.view_labels[near], ("side_left", "side_right")).mean() > 0.5:
        return float("nan")
    gap = ankle_gap_px(signals, 0)[near]
    gap = gap[np.isfinite(gap)]
    return float(np.median(gap)) / signals.leg_px if gap.size else float("nan")


def _foot_travel(signals: Signals, rep) -> float:
    """How far the ankle that moves more travels from where it stood before ``rep`` (its standing stretch)
    until the bottom, in leg lengths: a forward lunge's step (seen from any view: from the front or back the
    foot moves down or up the picture as it comes nearer or goes away), or a split squat's rear heel
    rising; a squat's feet stay put. NaN when the ankles are not seen."""
    during = slice(rep.stand_before.start, rep.bottom + 1)
    travel = []
    for side in SIDES:
        moved = moved_from(signals.point(f"{side}_ankle"), rep.stand_before)
        if moved is not None and np.isfinite(moved[during]).any():
            travel.append(float(np.nanmax(moved[during])))
    return max(travel) / signals.leg_px if travel else float("nan")
