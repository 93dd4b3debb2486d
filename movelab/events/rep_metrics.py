"""What each rep measured: its timing columns, the angles over it (peaks, values at depth, the pelvic tilt's
change), the heel lift, the lead leg of a lunge (docs/events.md, *Reps*)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from movelab.events._signals import SIDES, Signals, nanmean_rows
from movelab.events.config import DEPTH_WINDOW_S, MIN_VALID_FRACTION, EventsConfig
from movelab.events.rep_timing import Rep
from movelab.kinematics.sole import heel_rise_of_points
from movelab.kinematics.tables import time_s_of

__all__ = [
    "timing_row",
    "squat_metrics",
    "lunge_metrics",
    "lead_leg",
    "knee_gap_at_bottom",
    "rep_part",
    "rep_window",
    "AngleArrays",
    "RepAngles",
]


def timing_row(signals: Signals, rep: Rep, index: int, deepest: float, config: EventsConfig) -> dict:
    return {
        "index": index,
        "start_s": rep.start_s,
        "bottom_s": rep.bottom_s,
        "end_s": rep.end_s,
        "start_frame": signals.nearest_frame(rep.start_s),
        "bottom_frame": signals.nearest_frame(rep.bottom_s),
        "end_frame": signals.nearest_frame(rep.end_s),
        "timed_by": _timed_by_label(rep.timed_by),
        "descent_s": rep.bottom_s - rep.start_s,
        "ascent_s": rep.end_s - rep.bottom_s,
        "duration_s": rep.end_s - rep.start_s,
        "time_at_bottom_s": rep.time_at_bottom_s,
        "pelvis_drop_pct_leg": 100.0 * rep.depth,
        "partial": bool(rep.depth < config.rep_full_prominence * deepest),
    }


#: Seconds of signal kept beyond a rep's start and end for its measures (:func:`rep_window`); they read at most
#: 0.15 s beyond its bottom, which lies between them.
_MEASURE_PAD_S = 0.5


def rep_window(time_s: np.ndarray, rep: Rep) -> tuple[int, int]:
    """The frames ``lo, hi`` that the measures of ``rep`` read: its standing stretch before it, its start to
    its end, and :data:`_MEASURE_PAD_S` beyond."""
    lo = int(np.searchsorted(time_s, rep.start_s - _MEASURE_PAD_S, side="left"))
    hi = int(np.searchsorted(time_s, rep.end_s + _MEASURE_PAD_S, side="right"))
    return min(lo, rep.stand_before.start, rep.bottom), max(hi, rep.stand_before.stop, rep.bottom + 1)


def rep_part(signals: Signals, rep: Rep) -> tuple[Signals, Rep, slice]:
    """``signals`` over :func:`rep_window` of ``rep`` (:meth:`Signals.part`), ``rep`` with its frame indices
    counted from that window's start, and the window (for the angle table's rows): each rep's measures then
    cost its own length, not the recording's."""
    lo, hi = rep_window(signals.time_s, rep)
    local = dataclasses.replace(
        rep, bottom=rep.bottom - lo, stand_before=slice(rep.stand_before.start - lo, rep.stand_before.stop - lo)
    )
    return signals.part(lo, hi), local, slice(lo, hi)


def _timed_by_label(timed_by: tuple[str, str]) -> str:
    """The ``timed_by`` column: one name, or ``"<start's>/<end's>"`` when two signals timed the rep."""
    return timed_by[0] if timed_by[0] == timed_by[1] else "/".join(timed_by)


def squat_metrics(signals: Signals, angles: RepAngles, rep: Rep) -> dict:
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


def lunge_metrics(signals: Signals, angles: RepAngles, rep: Rep) -> dict:
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


def lead_leg(signals: Signals, rep: Rep) -> str | None:
    """The front leg of a lunge at the bottom of ``rep``: in side view the foot further forward; from behind
    the ankle higher in the picture (farther from the camera; MediaPipe hardly shows the rear knee sinking
    from behind) when they are 0.03 leg lengths apart, else the foot whose heel stands lower against its
    toes (the rear heel is raised, so its heel shows above its toes; the front foot is flat and its toes,
    farther away, show above its heel) when that differs by 0.03 leg lengths; otherwise (or when a foot is
    missing) the knee held higher (the rear knee sinks towards the floor)."""
    near = (signals.time_s >= rep.bottom_s - 0.15) & (signals.time_s <= rep.bottom_s + 0.15)
    forward = signals.forward[near]
    if np.isin(signals.view_labels[near], ("side_left", "side_right")).mean() > 0.5:
        ahead = [_median(forward * signals.point(f"{s}_ankle")[near, 0]) for s in SIDES]
        if np.isfinite(ahead).all() and ahead[0] != ahead[1]:
            return SIDES[int(np.argmax(ahead))]
    if (signals.view_labels[near] == "back").mean() > 0.5:  # from behind the front foot is farther: higher
        up = [_median(-signals.point(f"{s}_ankle")[near, 1]) for s in SIDES]
        if np.isfinite(up).all() and abs(up[0] - up[1]) > 0.03 * signals.leg_px:
            return SIDES[int(np.argmax(up))]
        flat = [
            _median(signals.point(f"{s}_heel")[near, 1] - signals.point(f"{s}_foot_index")[near, 1]) for s in SIDES
        ]  # heel below its toes in the picture: the foot flat on the floor
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


def knee_gap_at_bottom(signals: Signals, rep: Rep) -> float:
    """Vertical distance between the knees at the bottom of ``rep``, in leg lengths (NaN if a knee is
    missing): large in a lunge (the rear knee nears the floor), small in a squat."""
    near = (signals.time_s >= rep.bottom_s - 0.15) & (signals.time_s <= rep.bottom_s + 0.15)
    gap = np.abs(signals.point("left_knee")[near, 1] - signals.point("right_knee")[near, 1])
    gap = gap[np.isfinite(gap)]
    return float(np.median(gap)) / signals.leg_px if gap.size else math.nan


def _heel_lift_px(signals: Signals, rep: Rep) -> float:
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


def _heel_lift_deg(signals: Signals, rep: Rep) -> float:
    """Heel rise at the bottom of ``rep`` as the foot pitch it implies (side views only), the measure of the
    heel-lift finding and the FMS deep squat: :func:`movelab.kinematics.sole.heel_rise_deg` (the sole's slope in
    the person mask's outline where extraction kept it, else the feet's landmarks), against the standing before
    the rep, its median over the frames within :data:`~movelab.events.config.DEPTH_WINDOW_S` of the bottom (the
    findings' default ``depth_window_s``; NaN when fewer than :data:`~movelab.events.config.MIN_VALID_FRACTION` of
    them are read, the findings' default ``min_valid_fraction``). Only
    those frames and the standing ones are read (a rep's few dozen outlines, not the recording's; the feet's
    tracks as :meth:`Signals.point` holds them, not the positions selected again)."""
    near = np.abs(signals.time_s - rep.bottom_s) <= DEPTH_WINDOW_S + 1e-9  # the findings' tolerance
    if not np.isin(signals.view_labels[near], ("side_left", "side_right")).mean() > 0.5:
        return math.nan
    standing = np.zeros(near.size, bool)
    standing[rep.stand_before] = True
    read = np.flatnonzero(standing | near)
    rise = heel_rise_of_points(
        lambda name: signals.point(name)[read],  # the recording's tracks, not the positions selected again
        standing[read],
        outline_px=None if signals.outline_px is None else signals.outline_px[read],
        picture_height_px=signals.picture_height_px,
    )[near[read]]
    if not np.isfinite(rise).mean() >= MIN_VALID_FRACTION:  # too few frames read
        return math.nan
    return float(np.nanmedian(rise))


class AngleArrays:
    """The angle table's columns as float64 arrays (each converted once, when first read) and its seconds: each
    rep's measures read :meth:`part` of them, views of the same arrays, rather than a slice of the table (a long
    recording's 358 reps sliced the table and converted its columns 358 times)."""

    def __init__(self, angles: pd.DataFrame) -> None:
        self._angles = angles
        self._arrays: dict[str, np.ndarray] = {}
        self.time = time_s_of(angles)

    def column(self, name: str) -> np.ndarray | None:
        """The column ``name`` as float64 (None when the table has none)."""
        if name not in self._angles:
            return None
        array = self._arrays.get(name)
        if array is None:
            array = self._arrays[name] = self._angles[name].to_numpy(dtype=np.float64)
        return array

    def part(self, window: slice) -> RepAngles:
        """The rows ``window`` (a rep's frames, :func:`rep_part`)."""
        return RepAngles(self, window)


class RepAngles:
    """The angle columns over one rep's frames (:meth:`AngleArrays.part`): ``time`` and :meth:`values`, the values
    of the table sliced to those rows."""

    def __init__(self, table: AngleArrays, window: slice) -> None:
        self._table, self._window = table, window
        self.time = table.time[window]

    def values(self, name: str) -> np.ndarray:
        """The column ``name`` over these rows, float64; NaN when the table has none."""
        column = self._table.column(name)
        return np.full(self.time.size, np.nan) if column is None else column[self._window]


class _Columns:
    """Angle columns read over one rep."""

    def __init__(self, angles: RepAngles, rep: Rep) -> None:
        self.angles, self.rep = angles, rep
        self.time = angles.time
        self.during = (self.time >= rep.start_s) & (self.time <= rep.end_s)

    def values(self, name: str) -> np.ndarray:
        return self.angles.values(name)

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
        measured at the bottom and in at least :data:`~movelab.events.config.MIN_VALID_FRACTION` of the descent's
        frames (as the findings' lumbar flexion)."""
        tilt = self.values("pelvic_tilt")
        descent = (self.time >= self.rep.start_s) & (self.time <= self.rep.bottom_s)
        bottom = self.at_bottom("pelvic_tilt")
        seen = tilt[descent]
        if not np.isfinite(bottom) or seen.size == 0 or np.isfinite(seen).mean() < MIN_VALID_FRACTION:
            return math.nan
        return float(bottom - np.nanmax(seen))


def _nanmax(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size else math.nan
