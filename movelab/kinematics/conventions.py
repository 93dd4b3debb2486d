"""Names and conventions of every angle movelab reports (the machine-readable form of docs/conventions.md).

Kinematics, the mannequin's ground truth and the reports all take their names from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AngleSpec", "ANGLES", "ANGLE_NAMES", "SAGITTAL", "FRONTAL", "VIEWS", "View"]

View = Literal["side_left", "side_right", "front", "back", "oblique"]
VIEWS: tuple[str, ...] = ("side_left", "side_right", "front", "back", "oblique")


@dataclass(frozen=True)
class AngleSpec:
    """One reported angle: its name, plane, zero and positive direction (all in degrees)."""

    name: str
    plane: Literal["sagittal", "frontal"]
    zero: str
    positive: str
    source: Literal["landmarks", "outline", "landmarks+outline"]


def _bilateral(stem: str, plane, zero: str, positive: str, source="landmarks") -> list[AngleSpec]:
    return [AngleSpec(f"{stem}_{side}", plane, zero, positive, source) for side in ("left", "right")]


ANGLES: tuple[AngleSpec, ...] = tuple(
    _bilateral("knee_flexion", "sagittal", "leg straight", "flexion")
    + _bilateral("hip_flexion", "sagittal", "thigh in line with trunk", "thigh forward of trunk line")
    + _bilateral("thigh_angle", "sagittal", "thigh vertical", "knee forward of hip")
    + _bilateral("ankle_dorsiflexion", "sagittal", "shank perpendicular to foot", "knee forward over foot")
    + [
        AngleSpec("trunk_lean", "sagittal", "upright", "forward", "landmarks"),
        AngleSpec("pelvic_tilt", "sagittal", "ASIS-PSIS line level", "anterior tilt", "outline"),
        AngleSpec("lumbar_lordosis", "sagittal", "straight lumbar back", "more lordosis", "outline"),
    ]
    + _bilateral(
        "hip_flexion_pelvic",
        "sagittal",
        "thigh perpendicular to ASIS-PSIS line",
        "flexion",
        "landmarks+outline",
    )
    + [AngleSpec("pelvic_obliquity", "frontal", "hips level", "left hip higher", "landmarks")]
    + _bilateral("knee_fppa", "frontal", "hip, knee, ankle in line", "valgus")
    + [AngleSpec("trunk_lateral_lean", "frontal", "upright", "towards client's left", "landmarks")]
)

ANGLE_NAMES: tuple[str, ...] = tuple(a.name for a in ANGLES)
SAGITTAL: tuple[str, ...] = tuple(a.name for a in ANGLES if a.plane == "sagittal")
FRONTAL: tuple[str, ...] = tuple(a.name for a in ANGLES if a.plane == "frontal")
