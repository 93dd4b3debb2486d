"""Ground truth of the posture-chain measures and the FMS deep squat's criteria, from the mannequin's 3D points.

The same formulas as the measurement (:mod:`movelab.kinematics.posture_chain`, :mod:`movelab.findings.fms`),
applied to the figure's own points in its sagittal ``(forward, up)`` and frontal ``(left, up)`` planes
(:mod:`movelab.synth.truth`). Two quantities are defined on the figure itself:

* ``thoracic_kyphosis``: the signed angle from the back-surface tangent at T7-T3 (``back_T7 -> back_T3``) to
  the tangent at T12/L1 (``back_L1L2 -> back_T11T12``, the lumbar lordosis' upper tangent), kyphosis positive.
* ``forward_head``: the shoulder midpoint -> ear midpoint line against the vertical, forward positive (what
  ``Posture(forward_head_deg=...)`` sets; the pose model's measure is the craniovertebral angle below).
* ``craniovertebral_angle``: the line from the skin over C7 (``back_C7``: the neck's hindmost point at the C7
  joint's height) to the ear midpoint (the tragus) against the horizontal, the ear ahead; smaller = head further
  forward.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from movelab.kinematics.posture_chain import (
    along_foot,
    craniovertebral_angle_deg,
    knee_inside_foot,
    lateral_shift,
    obliquity_deg,
    tibia_lean_deg,
)
from movelab.kinematics.posture_chain import (
    forward_head_deg as _forward_head,
)
from movelab.synth.truth import angles_from_points, frontal_2d, sagittal_2d, signed_angle_deg

__all__ = [
    "forward_head_deg",
    "craniovertebral_angle_from_points",
    "thoracic_kyphosis_deg",
    "chain_truth",
    "chain_truth_table",
]


def _mid(p: Mapping[str, np.ndarray], stem: str) -> np.ndarray:
    return 0.5 * (p[f"left_{stem}"] + p[f"right_{stem}"])


def forward_head_deg(points: Mapping[str, np.ndarray], heading: np.ndarray) -> float:
    """The shoulder -> ear line against the vertical in the sagittal plane, degrees, ear ahead positive."""
    p = sagittal_2d({k: points[k] for k in ("left_shoulder", "right_shoulder", "left_ear", "right_ear")}, heading)
    return float(_forward_head(_mid(p, "shoulder"), _mid(p, "ear")))


def craniovertebral_angle_from_points(points: Mapping[str, np.ndarray], heading: np.ndarray) -> float:
    """The C7 skin point (``back_C7``) -> ear midpoint line against the horizontal (sagittal), degrees."""
    p = sagittal_2d({k: points[k] for k in ("back_C7", "left_ear", "right_ear")}, heading)
    return float(craniovertebral_angle_deg(p["back_C7"], _mid(p, "ear")))


def thoracic_kyphosis_deg(points: Mapping[str, np.ndarray], heading: np.ndarray) -> float:
    """Angle between the back-surface tangents at T7-T3 and at T12/L1 (sagittal), kyphosis positive."""
    names = ("back_L1L2", "back_T11T12", "back_T7", "back_T3")
    p = sagittal_2d({k: points[k] for k in names}, heading)
    return signed_angle_deg(p["back_T3"] - p["back_T7"], p["back_T11T12"] - p["back_L1L2"])


def chain_truth(points: Mapping[str, np.ndarray], heading: np.ndarray) -> dict[str, float]:
    """Every chain measure and FMS criterion value of one figure (degrees; shift in % torso length)."""
    sag = sagittal_2d(points, heading)
    fro = frontal_2d(points, heading)
    angles = angles_from_points(points, heading)
    out = {
        "forward_head": forward_head_deg(points, heading),
        "craniovertebral_angle": craniovertebral_angle_from_points(points, heading),
        "thoracic_kyphosis": thoracic_kyphosis_deg(points, heading),
        "shoulder_obliquity": float(obliquity_deg(fro["left_shoulder"], fro["right_shoulder"])),
        "pelvic_obliquity": angles["pelvic_obliquity"],
        "trunk_lean": angles["trunk_lean"],
    }
    torso = float(np.linalg.norm(_mid(fro, "shoulder") - _mid(fro, "hip")))
    out["lateral_trunk_shift"] = float(lateral_shift(_mid(fro, "shoulder"), _mid(fro, "hip"), torso))
    wrist_x = _mid(sag, "wrist")[0]
    for side in ("left", "right"):
        out[f"knee_flexion_{side}"] = angles[f"knee_flexion_{side}"]
        out[f"thigh_angle_{side}"] = angles[f"thigh_angle_{side}"]
        out[f"knee_fppa_{side}"] = angles[f"knee_fppa_{side}"]
        out[f"tibia_lean_{side}"] = float(tibia_lean_deg(sag[f"{side}_knee"], sag[f"{side}_ankle"]))
        out[f"hands_over_foot_{side}"] = float(
            along_foot(wrist_x, sag[f"{side}_heel"][0], sag[f"{side}_foot_index"][0])
        )
        out[f"heel_height_m_{side}"] = float(points[f"{side}_heel"][1])
    centre = {s: 0.5 * (fro[f"{s}_ankle"] + fro[f"{s}_foot_index"]) for s in ("left", "right")}
    for side, other in (("left", "right"), ("right", "left")):
        out[f"knee_inside_foot_{side}"] = float(
            knee_inside_foot(fro[f"{side}_knee"], centre[side], centre[other], side)
        )
    return out


def chain_truth_table(clip) -> pd.DataFrame:
    """:func:`chain_truth` of every frame of a :class:`movelab.synth.SynthClip`, with ``time_s`` and ``frame``."""
    rows = []
    for i, fig in enumerate(clip.figures):
        rows.append({"time_s": i / clip.fps, "frame": i, **chain_truth(fig.points, fig.heading)})
    return pd.DataFrame(rows)
