"""All tunable settings of movelab, with their defaults in one place.

Each stage keeps its frozen dataclass beside its code (``pose/config.py``, ``kinematics/config.py``,
``events/config.py``, ``findings/config.py``); :class:`Config` composes them and is handed down once.
Defaults carry their source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from movelab.events.config import EventsConfig
from movelab.findings.config import FindingsConfig
from movelab.kinematics.config import KinematicsConfig
from movelab.pose.config import ExtractConfig, PersonChoice

__all__ = ["ExtractConfig", "PersonChoice", "Config", "KinematicsConfig", "EventsConfig", "FindingsConfig"]


@dataclass(frozen=True)
class Config:
    """All of movelab's settings, one frozen object per stage."""

    extract: ExtractConfig = field(default_factory=ExtractConfig)
    kinematics: KinematicsConfig = field(default_factory=KinematicsConfig)
    events: EventsConfig = field(default_factory=EventsConfig)
    findings: FindingsConfig = field(default_factory=FindingsConfig)
