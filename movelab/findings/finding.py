"""The finding record: one movement pattern seen in a video, with its number, threshold and source."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from movelab.errors import ConfigError

__all__ = ["Finding", "CODES", "SEVERITIES", "Severity", "Side"]

Severity = Literal["info", "mild", "moderate", "marked"]
Side = Literal["left", "right"]

#: Every finding code, in the order reports list them.
CODES: tuple[str, ...] = (
    "anterior_pelvic_tilt",
    "excessive_lumbar_lordosis",
    "lumbar_flexion_at_depth",
    "excessive_trunk_lean",
    "limited_squat_depth",
    "heel_lift",
    "knee_valgus",
    "pelvic_drop",
    "reduced_hip_extension",
    "short_one_joint_hip_flexors",
    "short_two_joint_hip_flexors",
    "limited_straight_leg_raise",
    "left_right_asymmetry",
)
SEVERITIES: tuple[str, ...] = ("info", "mild", "moderate", "marked")


@dataclass(frozen=True)
class Finding:
    """One pattern seen (or, with severity ``"info"``, one that could not be assessed).

    Attributes
    ----------
    code
        One of :data:`CODES`.
    severity
        ``"mild"``, ``"moderate"``, ``"marked"`` by how far the value passed the threshold, in steps of the
        method's own error (docs/findings.md); ``"info"`` for a note (then ``value`` is None).
    side
        The client's ``"left"`` or ``"right"`` side, or None when the pattern has no side.
    start_s, end_s
        Seconds of the video the finding covers (the reps or cycles it was seen in; the whole clip for
        posture); None only for a note without a time.
    value
        The measured quantity (see ``quantity`` and ``unit``); None for a note.
    threshold
        The value it had to pass; None for a note.
    reference
        Where the threshold comes from.
    message
        Plain words a clinician can read to the client.
    unit
        Unit of ``value`` and ``threshold``.
    quantity
        What ``value`` is, e.g. ``"peak thigh extension (thigh behind vertical), median of cycles"``.
    occurrences
        Indices (the ``index`` of reps, or positions in the cycles table) where the value passed the
        threshold, out of ``n_assessed``.
    n_assessed
        Reps or cycles with a usable value.
    baseline
        For a value against the client's own standing: how that reference was taken (``frames``,
        ``seconds``, ``spans_s``, ``rule``); None otherwise.
    """

    code: str
    severity: Severity
    side: Side | None
    start_s: float | None
    end_s: float | None
    value: float | None
    threshold: float | None
    reference: str
    message: str
    unit: str = "deg"
    quantity: str = ""
    occurrences: tuple[int, ...] = ()
    n_assessed: int = 0
    baseline: dict | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ConfigError(f"unknown finding code {self.code!r}; expected one of {list(CODES)}")
        if self.severity not in SEVERITIES:
            raise ConfigError(f"severity must be one of {list(SEVERITIES)}, got {self.severity!r}")
        if self.side not in (None, "left", "right"):
            raise ConfigError(f"side must be 'left', 'right' or None, got {self.side!r}")
        for name in ("value", "threshold", "start_s", "end_s"):
            number = getattr(self, name)
            if number is not None and not math.isfinite(number):
                raise ConfigError(f"{name} must be a finite number or None, got {number!r} ({self.code})")

    @property
    def is_note(self) -> bool:
        """True for an ``"info"`` note (nothing was flagged)."""
        return self.severity == "info"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (plain floats rounded to 0.1 unit, None for missing)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "side": self.side,
            "start_s": _round(self.start_s, 3),
            "end_s": _round(self.end_s, 3),
            "value": _round(self.value, 1),
            "threshold": _round(self.threshold, 1),
            "unit": self.unit,
            "quantity": self.quantity,
            "reference": self.reference,
            "message": self.message,
            "occurrences": [int(i) for i in self.occurrences],
            "n_assessed": int(self.n_assessed),
            **({"baseline": self.baseline} if self.baseline is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict` (for reading a saved report.json)."""
        known = {
            k: data[k]
            for k in (
                "code",
                "severity",
                "side",
                "start_s",
                "end_s",
                "value",
                "threshold",
                "reference",
                "message",
                "unit",
                "quantity",
                "n_assessed",
                "baseline",
            )
            if k in data
        }
        known["occurrences"] = tuple(data.get("occurrences", ()))
        return cls(**known)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
