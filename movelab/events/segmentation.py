"""The events stage's one entry point: :func:`segment` a video's analysis data (:class:`movelab.kinematics.Motion`)
into reps or gait cycles, and the :class:`Segmentation` it returns (``docs/architecture.md``, *Contracts*)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.events._signals import Signals, build_signals
from movelab.events.config import MOVEMENTS, EventsConfig, MovementChoice
from movelab.events.cycles import CYCLE_COLUMNS, gait_cycles, gait_summary
from movelab.events.gait import EVENT_COLUMNS, walk_events, walk_ground, walk_view
from movelab.events.recognise import recognise
from movelab.events.reps import REP_COLUMNS, detect_reps, found_reps, reps_table
from movelab.kinematics.motion import Motion

__all__ = ["Segmentation", "segment", "EVENT_NAMES"]

#: Event names of the events table.
EVENT_NAMES: tuple[str, ...] = ("rep_start", "rep_bottom", "rep_end", "initial_contact", "toe_off")


@dataclass(frozen=True, eq=False)
class Segmentation:
    """What :func:`segment` found in one video.

    Attributes
    ----------
    movement
        ``"squat"``, ``"lunge"`` (lunge or split squat), ``"gait"``, ``"posture"`` or ``"unknown"`` (the client
        was never measurable).
    events
        One row per event, in time order: ``event`` (one of :data:`EVENT_NAMES`), ``side`` (``"left"``,
        ``"right"``, or None for rep events), ``time_s`` (seconds, on the video's timestamps; interpolated
        between frames), ``frame`` (the nearest frame).
    reps
        Squat or lunge: one row per complete rep (:data:`movelab.events.reps.REP_COLUMNS` or
        ``LUNGE_COLUMNS``); empty otherwise.
    cycles
        Gait: one row per cycle (:data:`movelab.events.gait.CYCLE_COLUMNS`); empty otherwise.
    gait
        Gait: the summary of :func:`movelab.events.gait.gait_summary`; None otherwise.
    """

    movement: str
    events: pd.DataFrame
    reps: pd.DataFrame
    cycles: pd.DataFrame
    gait: dict | None = None

    def to_report(self) -> dict:
        """JSON-ready plain types (no NaN: None) for ``report.json``.

        ``{"movement": ...}`` plus, for squats and lunges, ``"reps": [{"index", "start_s", "bottom_s",
        "end_s", ...}]``; for gait, ``"gait": {..summary.., "initial_contacts": [{"side", "time_s", "frame"}],
        "toe_offs": [...], "cycles": [...]}``.
        """
        report: dict = {"movement": self.movement}
        if self.movement in ("squat", "lunge"):
            report["reps"] = _records(self.reps)
        if self.movement == "gait" and self.gait is not None:
            gait = {key: _plain(value) for key, value in self.gait.items()}
            for name, key in (("initial_contact", "initial_contacts"), ("toe_off", "toe_offs")):
                chosen = self.events[self.events["event"] == name]
                gait[key] = _records(chosen[["side", "time_s", "frame"]])
            gait["cycles"] = _records(self.cycles)
            report["gait"] = gait
        return report


def segment(
    motion: Motion,
    *,
    movement: MovementChoice = "auto",
    config: EventsConfig = EventsConfig(),
) -> Segmentation:
    """Find the movement's reps or gait events, and what each measured.

    Parameters
    ----------
    motion
        The video's analysis data (:func:`movelab.kinematics.compute_motion`): its angle table, views and
        cleaned positions, all from one kinematics setting (so they cannot disagree).
    movement
        ``"auto"`` (default) recognises it (:func:`movelab.events.recognise_movement`); or name it.
    config
        All settings, see :class:`EventsConfig`.

    Returns
    -------
    Segmentation

    Raises
    ------
    movelab.errors.ConfigError
        ``movement`` is not one of the names above.
    movelab.errors.InputError
        ``motion`` is not a :class:`movelab.kinematics.Motion`.
    """
    if movement != "auto" and movement not in MOVEMENTS:
        raise ConfigError(f"movement must be 'auto' or one of {list(MOVEMENTS)}, got {movement!r}")
    signals = build_signals(motion, config=config)
    angles = motion.angles
    found = None  # a squat's reps and their frames, once found (the recognition counts them)
    if movement == "auto":
        movement, found = recognise(signals, angles, config)
    if movement in ("squat", "lunge"):
        if movement == "squat":
            found = found_reps(signals, angles, config) if found is None else found
            reps = reps_table(signals, angles, found.reps, movement=movement, config=config, parts=found.parts)
        else:  # a lunge's reps are timed by other signals (the stepping foot, the split stance)
            reps = detect_reps(signals, angles, movement=movement, config=config)
        return Segmentation(movement, _rep_events(reps), reps, pd.DataFrame(columns=CYCLE_COLUMNS))
    if movement == "gait":
        return _segment_gait(signals, angles, config)
    return Segmentation(
        movement, _empty_events(), pd.DataFrame(columns=REP_COLUMNS), pd.DataFrame(columns=CYCLE_COLUMNS)
    )


def _segment_gait(signals: Signals, angles: pd.DataFrame, config: EventsConfig) -> Segmentation:
    events, walk = walk_events(signals, method=config.gait_method, config=config)
    cycles = gait_cycles(events, angles, config=config)
    summary = gait_summary(
        events,
        cycles,
        method=config.gait_method,
        ground=walk_ground(walk),
        view=walk_view(signals, walk),
        config=config,
    )
    return Segmentation("gait", events, pd.DataFrame(columns=REP_COLUMNS), cycles, summary)


def _rep_events(reps: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, rep in reps.iterrows():
        for name, key in (("rep_start", "start"), ("rep_bottom", "bottom"), ("rep_end", "end")):
            rows.append((name, None, float(rep[f"{key}_s"]), int(rep[f"{key}_frame"])))
    if not rows:
        return _empty_events()
    table = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    return table.sort_values("time_s", kind="stable").reset_index(drop=True)


def _empty_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event": pd.Series(dtype=object),
            "side": pd.Series(dtype=object),
            "time_s": pd.Series(dtype=float),
            "frame": pd.Series(dtype=np.int64),
        }
    )


def _records(table: pd.DataFrame) -> list[dict]:
    return [{key: _plain(value) for key, value in row.items()} for row in table.to_dict(orient="records")]


def _plain(value):
    """A JSON-ready Python value: numpy scalars unwrapped, NaN and infinities as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)
