"""Shared look of movelab's plots: colours, labels, and which angles belong together."""

from __future__ import annotations

from typing import Any

__all__ = ["PANELS", "FINDING_COLUMNS", "SIDE_COLOURS", "SEVERITY_COLOURS", "label_of", "new_axes"]

SIDE_COLOURS = {"left": "#1f6fb4", "right": "#d4572a", None: "#333333"}
SEVERITY_COLOURS = {"mild": "#e8a33d", "moderate": "#d9622b", "marked": "#b8222d", "info": "#7a7a7a"}
SPAN_COLOURS = ("#e9eef5", "#f6efe4")

#: Panels of the report's timeline figure: title and the angle columns drawn together.
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Knee flexion", ("knee_flexion_left", "knee_flexion_right")),
    ("Hip flexion (trunk–thigh)", ("hip_flexion_left", "hip_flexion_right")),
    ("Thigh angle (thigh vs vertical)", ("thigh_angle_left", "thigh_angle_right")),
    ("Ankle dorsiflexion", ("ankle_dorsiflexion_left", "ankle_dorsiflexion_right")),
    ("Trunk lean", ("trunk_lean",)),
    ("Pelvic tilt and lumbar lordosis", ("pelvic_tilt", "lumbar_lordosis")),
    ("Knee valgus (FPPA)", ("knee_fppa_left", "knee_fppa_right")),
    ("Pelvic obliquity and trunk side lean", ("pelvic_obliquity", "trunk_lateral_lean")),
)

#: The angle columns a finding is about, to mark it on the right panel.
FINDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "anterior_pelvic_tilt": ("pelvic_tilt",),
    "excessive_lumbar_lordosis": ("lumbar_lordosis",),
    "lumbar_flexion_at_depth": ("lumbar_lordosis", "pelvic_tilt"),
    "excessive_trunk_lean": ("trunk_lean",),
    "limited_squat_depth": ("thigh_angle_left", "thigh_angle_right"),
    "heel_lift": ("ankle_dorsiflexion_left", "ankle_dorsiflexion_right"),
    "knee_valgus": ("knee_fppa_left", "knee_fppa_right"),
    "pelvic_drop": ("pelvic_obliquity",),
    "reduced_hip_extension": ("thigh_angle_left", "thigh_angle_right"),
    "left_right_asymmetry": ("knee_fppa_left", "knee_fppa_right", "thigh_angle_left", "thigh_angle_right"),
}

_WORDS = {"fppa": "FPPA", "flexion": "flexion", "pelvic": "pelvic"}


def label_of(column: str) -> str:
    """Readable label of an angle column: ``knee_flexion_left`` -> ``Knee flexion (left)``."""
    parts = column.split("_")
    side = parts[-1] if parts[-1] in ("left", "right") else None
    words = [_WORDS.get(p, p) for p in (parts[:-1] if side else parts)]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({side})" if side else text


def side_of(column: str) -> str | None:
    end = column.rsplit("_", 1)[-1]
    return end if end in ("left", "right") else None


def new_axes(ax: Any = None, *, figsize=(8.0, 3.0)):
    """``(fig, ax)``: the given axes and its figure, or a new pyplot figure with one axes (so that notebooks
    show it; code that is not interactive should pass its own axes, e.g. from ``matplotlib.figure.Figure``)."""
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax
