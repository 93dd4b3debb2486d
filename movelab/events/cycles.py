"""Gait cycles (initial contact to the next of the same foot) and the spatiotemporal summary of a walk.

Definitions follow the biomechanics notes: stance and double support as % of the cycle, step-time
asymmetry ``2 (L − R) / (L + R) × 100``, peak hip extension in terminal stance (Kerrigan et al. 2001).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from movelab.events._signals import SIDES
from movelab.events.config import EventsConfig
from movelab.kinematics.tables import time_s_of

__all__ = ["CYCLE_COLUMNS", "gait_cycles", "gait_summary"]

#: Columns of the gait cycles table (one row per cycle, initial contact to the next of the same side).
CYCLE_COLUMNS: list[str] = [
    "side",
    "start_s",
    "end_s",
    "toe_off_s",
    "start_frame",
    "end_frame",
    "stride_time_s",
    "step_time_s",
    "stance_pct",
    "double_support_pct",
    "peak_hip_extension_deg",
    "peak_thigh_extension_deg",
]


def gait_cycles(events: pd.DataFrame, angles: pd.DataFrame, *, config: EventsConfig = EventsConfig()) -> pd.DataFrame:
    """One row per gait cycle: from an initial contact to the next one of the same side.

    Parameters
    ----------
    events
        Gait events (columns of :data:`EVENT_COLUMNS`).
    angles
        The angle table of the same video (for the peak hip extension of each cycle).
    config
        ``stride_range_s`` bounds a plausible cycle; longer ones span missing steps and are skipped.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CYCLE_COLUMNS`: ``side``; ``start_s``, ``end_s`` (the two contacts), ``toe_off_s``
        (NaN when the toe-off was not detected) and their frames; ``stride_time_s``; ``step_time_s`` (the
        step ending at this cycle's first contact: from the other foot's previous contact); ``stance_pct``
        (contact to toe-off, % of the cycle); ``double_support_pct`` (both feet down: from contact to the
        other foot's toe-off, plus from the other foot's contact to this foot's toe-off, % of the cycle);
        ``peak_hip_extension_deg`` (−min ``hip_flexion`` of this side during stance: trunk–thigh, the
        extension at terminal stance) and ``peak_thigh_extension_deg`` (−min ``thigh_angle``, the thigh
        behind the vertical; Stenum et al. 2021's 2-D hip angle). Degrees as docs/conventions.md.
    """
    rows = []
    for side in SIDES:
        contacts = _times(events, "initial_contact", side)
        for start, end in zip(contacts[:-1], contacts[1:]):
            other = _times(events, "initial_contact", "right" if side == "left" else "left")
            one_step_each = np.sum((other > start) & (other < end)) == 1  # no contact missed
            if one_step_each and config.stride_range_s[0] <= end - start <= config.stride_range_s[1]:
                rows.append(_cycle(events, angles, side=side, start=start, end=end, config=config))
    table = pd.DataFrame(rows, columns=CYCLE_COLUMNS)
    return table.sort_values("start_s", kind="stable").reset_index(drop=True) if len(table) else table


def _cycle(
    events: pd.DataFrame, angles: pd.DataFrame, *, side: str, start: float, end: float, config: EventsConfig
) -> dict:
    """One row of the cycles table: ``side``'s cycle from the contact at ``start`` to the one at ``end``."""
    other = "right" if side == "left" else "left"
    stride = end - start
    to = _only(_times(events, "toe_off", side), start, end)
    o_to = _only(_times(events, "toe_off", other), start, end)
    o_ic = _only(_times(events, "initial_contact", other), start, end)
    both_down = math.nan
    if np.isfinite([to, o_to, o_ic]).all() and start < o_to < o_ic < to:
        both_down = 100 * ((o_to - start) + (to - o_ic)) / stride
    time = time_s_of(angles)
    frames = angles["frame"].to_numpy()
    return {
        "side": side,
        "start_s": start,
        "end_s": end,
        "toe_off_s": to,
        "start_frame": _frame_at(time, frames, start),
        "end_frame": _frame_at(time, frames, end),
        "stride_time_s": stride,
        "step_time_s": _step_before(events, start, config),
        "stance_pct": 100 * (to - start) / stride,
        "double_support_pct": both_down,
        "peak_hip_extension_deg": _neg_min(angles, f"hip_flexion_{side}", start, to),
        "peak_thigh_extension_deg": _neg_min(angles, f"thigh_angle_{side}", start, to),
    }


def gait_summary(
    events: pd.DataFrame,
    cycles: pd.DataFrame,
    *,
    method: str,
    ground: str | None = None,
    view: str | None = None,
    config: EventsConfig = EventsConfig(),
) -> dict:
    """Spatiotemporal parameters of the walk (means over cycles and steps; NaN when not measurable).

    Returns
    -------
    dict
        ``cadence_spm`` (steps per minute, from a straight line fitted to the contact times against their
        step numbers, see :func:`_cadence`), ``stride_time_s``, ``step_time_s``,
        ``step_time_left_s``, ``step_time_right_s`` (a side's step ends at its contact),
        ``stance_pct_left``, ``stance_pct_right``, ``double_support_pct``, ``step_time_asymmetry_pct``
        (``2 (L − R) / (L + R) × 100`` with the left and right step times), ``peak_hip_extension_left_deg``,
        ``peak_hip_extension_right_deg``, ``peak_thigh_extension_left_deg``, ``peak_thigh_extension_right_deg``,
        ``n_cycles``, ``n_steps``, ``method``, ``ground`` (``"overground"`` or ``"treadmill"``) and ``view``
        (how the walk was filmed, :func:`movelab.events.gait.walk_view`: ``"side"``, ``"front"``,
        ``"back"`` or ``"oblique"``; the events' accuracy depends on it, docs/events-accuracy.md).
    """
    steps = _steps(events, config)
    all_steps = np.concatenate([steps["left"], steps["right"]])
    stride = _mean(cycles["stride_time_s"]) if len(cycles) else math.nan
    step = float(np.mean(all_steps)) if all_steps.size else math.nan
    cadence = _cadence(events, float(np.median(all_steps)) if all_steps.size else math.nan)
    left, right = (float(np.mean(steps[s])) if steps[s].size else math.nan for s in SIDES)
    summary = {
        "cadence_spm": cadence,
        "stride_time_s": stride,
        "step_time_s": step,
        "step_time_left_s": left,
        "step_time_right_s": right,
        "double_support_pct": _mean(cycles["double_support_pct"]) if len(cycles) else math.nan,
        "step_time_asymmetry_pct": 200.0 * (left - right) / (left + right),
        "n_cycles": int(len(cycles)),
        "n_steps": int(all_steps.size),
        "method": method,
        "ground": ground,
        "view": view,
    }
    for side in SIDES:
        mine = cycles[cycles["side"] == side] if len(cycles) else cycles
        summary[f"stance_pct_{side}"] = _mean(mine["stance_pct"]) if len(mine) else math.nan
        for name in ("peak_hip_extension", "peak_thigh_extension"):
            summary[f"{name}_{side}_deg"] = _mean(mine[f"{name}_deg"]) if len(mine) else math.nan
    return summary


def _cadence(events: pd.DataFrame, typical_step_s: float) -> float:
    """Steps per minute: 60 / the slope of the contact times against their step numbers (least squares).

    Step numbers count the steps between contacts (``round(gap / typical_step_s)``, so a missed contact
    counts two); contacts more than 0.3 steps off the first line are left out and the line fitted again.
    Every contact contributes, and one late or early contact (a walker half out of the picture) barely
    moves the slope.
    """
    contacts = events[events["event"] == "initial_contact"] if len(events) else events
    times = np.sort(contacts["time_s"].to_numpy(dtype=np.float64)) if len(contacts) else np.array([])
    if times.size < 2 or not np.isfinite(typical_step_s) or typical_step_s <= 0:
        return 60.0 / typical_step_s if np.isfinite(typical_step_s) and typical_step_s > 0 else math.nan
    number = np.concatenate([[0], np.cumsum(np.maximum(1, np.round(np.diff(times) / typical_step_s)))])
    keep = np.ones(times.size, dtype=bool)
    for _ in range(2):
        slope, intercept = np.polyfit(number[keep], times[keep], 1)
        keep = np.abs(times - (intercept + slope * number)) <= 0.3 * slope
        if keep.sum() < 2:
            return 60.0 / typical_step_s
    return 60.0 / float(slope)


def _steps(events: pd.DataFrame, config: EventsConfig) -> dict[str, np.ndarray]:
    """Step times by the side whose contact ends them: the time from the other foot's contact just before.
    Two contacts of the same foot in a row (a contact missed between them) make no step."""
    contacts = events[events["event"] == "initial_contact"].sort_values("time_s") if len(events) else events
    times, sides = contacts["time_s"].to_numpy(dtype=np.float64), contacts["side"].to_numpy()
    low, high = config.stride_range_s
    steps: dict[str, list[float]] = {side: [] for side in SIDES}
    for k in range(1, times.size):
        step = times[k] - times[k - 1]
        if sides[k] != sides[k - 1] and 0.5 * low <= step <= 0.5 * high:
            steps[sides[k]].append(float(step))
    return {side: np.array(values) for side, values in steps.items()}


def _step_before(events: pd.DataFrame, contact: float, config: EventsConfig) -> float:
    """The step ending at the contact at time ``contact`` (NaN when the contact before it is of the same foot
    or too far)."""
    contacts = events[(events["event"] == "initial_contact") & (events["time_s"] <= contact)].sort_values("time_s")
    if len(contacts) < 2 or contacts["side"].iloc[-1] == contacts["side"].iloc[-2]:
        return math.nan
    step = float(contacts["time_s"].iloc[-1] - contacts["time_s"].iloc[-2])
    low, high = config.stride_range_s
    return step if 0.5 * low <= step <= 0.5 * high else math.nan


def _times(events: pd.DataFrame, event: str, side: str) -> np.ndarray:
    if not len(events):
        return np.array([])
    chosen = events[(events["event"] == event) & (events["side"] == side)]
    return np.sort(chosen["time_s"].to_numpy(dtype=np.float64))


def _only(times: np.ndarray, start: float, end: float) -> float:
    """The single time strictly between ``start`` and ``end``; NaN if there is none or several."""
    inside = times[(times > start) & (times < end)]
    return float(inside[0]) if inside.size == 1 else math.nan


def _neg_min(angles: pd.DataFrame, column: str, start: float, end: float) -> float:
    if column not in angles or not np.isfinite(end):
        return math.nan
    time = time_s_of(angles)
    values = angles[column].to_numpy(dtype=np.float64)[(time >= start) & (time <= end)]
    values = values[np.isfinite(values)]
    return float(-values.min()) if values.size else math.nan


def _mean(values) -> float:
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else math.nan


def _frame_at(time: np.ndarray, frames: np.ndarray, t: float) -> int:
    return int(frames[int(np.argmin(np.abs(time - t)))]) if time.size else -1
