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

from movelab.events.config import MOVEMENTS, EventsConfig, GaitMethod, Movement, MovementChoice
from movelab.events.cycles import CYCLE_COLUMNS, gait_cycles, gait_summary
from movelab.events.gait import EVENT_COLUMNS, detect_gait_events
from movelab.events.normalise import time_normalise
from movelab.events.recognise import recognise_movement
from movelab.events.reps import LUNGE_COLUMNS, REP_COLUMNS
from movelab.events.segmentation import EVENT_NAMES, Segmentation, segment

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
