"""Events: squat and lunge reps, gait events and cycles, movement recognition (no OpenCV, no MediaPipe, no
matplotlib).

Methods and settings are in ``docs/events.md``, measured accuracy in ``docs/events-accuracy.md``, what was
tried in ``docs/events-decisions.md``; the contract with the later stages in ``docs/architecture.md``. Typical use::

    from movelab import landmarks
    from movelab.kinematics import compute_motion
    from movelab.events import segment, time_normalise

    ds = landmarks.load("landmarks.nc")
    motion = compute_motion(ds)                     # views, cleaned positions, angles, outline: once
    angles = motion.angles
    seg = segment(motion)                           # movement="auto" recognises it
    seg.movement, seg.events, seg.reps, seg.cycles, seg.gait
    curves = time_normalise(angles, seg.cycles, columns=["knee_flexion_left"])   # (span, percent, angle)
    report = seg.to_report()                        # JSON-ready
"""

from typing import TYPE_CHECKING

from movelab._lazy import lazy_getattr
from movelab.events.config import MOVEMENTS, EventsConfig, GaitMethod, Movement, MovementChoice

if TYPE_CHECKING:
    from movelab.events.cycles import CYCLE_COLUMNS, gait_cycles, gait_summary
    from movelab.events.gait import EVENT_COLUMNS, detect_gait_events
    from movelab.events.normalise import time_normalise
    from movelab.events.recognise import recognise_movement
    from movelab.events.reps import LUNGE_COLUMNS, REP_COLUMNS
    from movelab.events.segmentation import EVENT_NAMES, Segmentation, segment

#: name -> module, imported on first use (PEP 562): reading the settings (``movelab.events.config``, e.g. the
#: command line's ``--movement`` choices) loads neither the kinematics nor SciPy (about 1 s of CPU).
_LAZY: dict[str, str] = {
    "CYCLE_COLUMNS": "movelab.events.cycles",
    "gait_cycles": "movelab.events.cycles",
    "gait_summary": "movelab.events.cycles",
    "EVENT_COLUMNS": "movelab.events.gait",
    "detect_gait_events": "movelab.events.gait",
    "time_normalise": "movelab.events.normalise",
    "recognise_movement": "movelab.events.recognise",
    "LUNGE_COLUMNS": "movelab.events.reps",
    "REP_COLUMNS": "movelab.events.reps",
    "EVENT_NAMES": "movelab.events.segmentation",
    "Segmentation": "movelab.events.segmentation",
    "segment": "movelab.events.segmentation",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "segment",
    "Segmentation",
    "recognise_movement",
    "time_normalise",
    "detect_gait_events",
    "gait_cycles",
    "gait_summary",
    "EventsConfig",
    "GaitMethod",
    "MOVEMENTS",
    "Movement",
    "MovementChoice",
    "EVENT_NAMES",
    "EVENT_COLUMNS",
    "REP_COLUMNS",
    "LUNGE_COLUMNS",
    "CYCLE_COLUMNS",
]
