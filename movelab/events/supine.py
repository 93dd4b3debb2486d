"""Whether the client lies on their back, and which supine test they do (modified Thomas test or active
straight-leg raise). Thresholds in :class:`movelab.events.EventsConfig` (``lying_*``, ``thomas_min_knee_deg``)."""

from __future__ import annotations

import numpy as np

from movelab.events._signals import Signals
from movelab.events.config import EventsConfig

__all__ = ["lies", "supine_test"]


def _trunk_from_horizontal_deg(signals: Signals) -> np.ndarray:
    """Per frame, the trunk line's angle from the picture's horizontal, [0, 90] degrees (NaN unseen)."""
    shoulder = 0.5 * (signals.point("left_shoulder") + signals.point("right_shoulder"))
    trunk = signals.hip_mid() - shoulder
    return np.degrees(np.arctan2(np.abs(trunk[:, 1]), np.abs(trunk[:, 0])))


def lies(signals: Signals, config: EventsConfig) -> bool:
    """True when the trunk is within ``lying_max_trunk_deg`` of horizontal in ``lying_min_fraction`` of the
    frames where it is seen."""
    angle = _trunk_from_horizontal_deg(signals)
    seen = np.isfinite(angle)
    return bool(seen.any() and (angle[seen] <= config.lying_max_trunk_deg).mean() >= config.lying_min_fraction)


def _knee_flexion_deg(signals: Signals, side: str) -> np.ndarray:
    hip, knee, ankle = (signals.point(f"{side}_{k}") for k in ("hip", "knee", "ankle"))
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def supine_test(signals: Signals, config: EventsConfig) -> str:
    """``"thomas"`` when the more flexed knee bends more than ``thomas_min_knee_deg`` in the median frame,
    else ``"aslr"``."""
    most = np.fmax(_knee_flexion_deg(signals, "left"), _knee_flexion_deg(signals, "right"))
    most = most[np.isfinite(most)]
    return "thomas" if most.size and float(np.median(most)) > config.thomas_min_knee_deg else "aslr"
