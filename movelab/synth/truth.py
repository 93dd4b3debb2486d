"""Ground truth: every angle of ``docs/conventions.md`` computed from the mannequin's 3D points.

The angles are taken in the figure's own anatomical planes, fixed by its heading: the **sagittal** plane is
spanned by ``forward`` (the heading) and world ``up``; the **frontal** plane by ``left`` (the figure's left)
and ``up``. A camera that looks square at that plane (a side view for sagittal angles, a front or back view for
frontal ones) sees exactly these angles; :func:`angles_2d` recomputes them from image positions for checking.

Notes
-----
A signed angle from vector u to vector v is ``atan2(u x v, u . v)`` in degrees, range (-180, 180], positive
counter-clockwise in the plane's (first axis, second axis) coordinates. Definitions, zeros and signs are those
of ``docs/conventions.md``; the two outline quantities are defined on the figure itself:

* ``pelvic_tilt``: the line from the PSIS midpoint to the ASIS midpoint against horizontal, anterior positive.
* ``lumbar_lordosis``: the signed angle from the back-surface tangent at S1 (the chord ``back_S2 ->
  back_L4L5``) to the tangent at T12/L1 (the chord ``back_L1L2 -> back_T11T12``), positive = lordotic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from movelab.kinematics.conventions import ANGLE_NAMES

__all__ = [
    "angles_from_points",
    "angles_2d",
    "lumbar_lordosis_deg",
    "pelvic_tilt_deg",
    "sagittal_2d",
    "frontal_2d",
    "signed_angle_deg",
    "knee_fppa_deg",
]


def signed_angle_deg(u: np.ndarray, v: np.ndarray) -> float:
    """Signed angle from 2D vector ``u`` to ``v``: ``atan2(u x v, u . v)`` in degrees, range (-180, 180]."""
    return float(np.degrees(np.arctan2(u[0] * v[1] - u[1] * v[0], u[0] * v[0] + u[1] * v[1])))


def _wrap_deg(a: float) -> float:
    """An angle in degrees brought into (-180, 180]."""
    return float(180.0 - (180.0 - a) % 360.0)


def _unsigned_deg(u: np.ndarray, v: np.ndarray) -> float:
    return abs(signed_angle_deg(u, v))


def sagittal_2d(points: Mapping[str, np.ndarray], heading: np.ndarray) -> dict[str, np.ndarray]:
    """Project 3D points to the figure's sagittal plane: ``(forward, up)`` coordinates in metres."""
    fwd = heading[:, 0]
    return {k: np.array([float(np.dot(p, fwd)), float(p[1])]) for k, p in points.items()}


def frontal_2d(points: Mapping[str, np.ndarray], heading: np.ndarray) -> dict[str, np.ndarray]:
    """Project 3D points to the figure's frontal plane: ``(left, up)`` coordinates in metres."""
    left = -heading[:, 2]
    return {k: np.array([float(np.dot(p, left)), float(p[1])]) for k, p in points.items()}


def pelvic_tilt_deg(points: Mapping[str, np.ndarray], heading: np.ndarray) -> float:
    """PSIS->ASIS midpoint line against horizontal in the sagittal plane, anterior (ASIS lower) positive."""
    p = sagittal_2d({k: points[k] for k in ("left_asis", "right_asis", "left_psis", "right_psis")}, heading)
    asis = 0.5 * (p["left_asis"] + p["right_asis"])
    psis = 0.5 * (p["left_psis"] + p["right_psis"])
    v = asis - psis
    return float(np.degrees(np.arctan2(-v[1], v[0])))


def lumbar_lordosis_deg(points: Mapping[str, np.ndarray], heading: np.ndarray) -> float:
    """Angle between the back-surface tangents at S1 and at T12/L1 (sagittal plane), lordosis positive."""
    names = ("back_S2", "back_L4L5", "back_L1L2", "back_T11T12")
    p = sagittal_2d({k: points[k] for k in names}, heading)
    return signed_angle_deg(p["back_L4L5"] - p["back_S2"], p["back_T11T12"] - p["back_L1L2"])


def _sagittal_angles(p: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Sagittal angles from 2D ``(forward, up)`` points named like MediaPipe landmarks."""
    hip_mid = 0.5 * (p["left_hip"] + p["right_hip"])
    sh_mid = 0.5 * (p["left_shoulder"] + p["right_shoulder"])
    trunk = sh_mid - hip_mid
    out = {"trunk_lean": float(np.degrees(np.arctan2(trunk[0], trunk[1])))}
    for side in ("left", "right"):
        thigh = p[f"{side}_knee"] - p[f"{side}_hip"]
        shank = p[f"{side}_ankle"] - p[f"{side}_knee"]
        foot = p[f"{side}_foot_index"] - p[f"{side}_heel"]
        out[f"knee_flexion_{side}"] = -signed_angle_deg(thigh, shank)
        out[f"hip_flexion_{side}"] = signed_angle_deg(-trunk, thigh)
        out[f"thigh_angle_{side}"] = float(np.degrees(np.arctan2(thigh[0], -thigh[1])))
        out[f"ankle_dorsiflexion_{side}"] = 90.0 - _unsigned_deg(-shank, foot)
    return out


def knee_fppa_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, side: str) -> float:
    """Frontal plane projection angle from 2D ``(left, up)`` points, valgus (knee medial) positive."""
    magnitude = 180.0 - _unsigned_deg(hip - knee, ankle - knee)
    line = ankle - hip
    t = np.dot(knee - hip, line) / np.dot(line, line)
    offset = (knee - (hip + t * line))[0] * (-1.0 if side == "left" else 1.0)
    return float(np.copysign(magnitude, offset)) if offset != 0 else magnitude


def _frontal_angles(p: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Frontal angles from 2D ``(left, up)`` points named like MediaPipe landmarks."""
    v = p["left_hip"] - p["right_hip"]
    hip_mid = 0.5 * (p["left_hip"] + p["right_hip"])
    trunk = 0.5 * (p["left_shoulder"] + p["right_shoulder"]) - hip_mid
    out = {
        "pelvic_obliquity": float(np.degrees(np.arctan2(v[1], v[0]))),
        "trunk_lateral_lean": float(np.degrees(np.arctan2(trunk[0], trunk[1]))),
    }
    for side in ("left", "right"):
        out[f"knee_fppa_{side}"] = knee_fppa_deg(p[f"{side}_hip"], p[f"{side}_knee"], p[f"{side}_ankle"], side)
    return out


def angles_2d(
    sagittal: Mapping[str, np.ndarray] | None,
    frontal: Mapping[str, np.ndarray] | None,
    *,
    pelvic_tilt: float = np.nan,
    lumbar_lordosis: float = np.nan,
) -> dict[str, float]:
    """Every angle of ``ANGLE_NAMES`` from 2D points in a sagittal and a frontal frame.

    Parameters
    ----------
    sagittal : mapping or None
        MediaPipe-named points in ``(forward, up)`` coordinates; None leaves sagittal angles NaN.
    frontal : mapping or None
        Points in ``(left, up)`` coordinates; None leaves frontal angles NaN.
    pelvic_tilt, lumbar_lordosis : float
        The outline quantities, which no landmark gives.
    """
    out = {name: np.nan for name in ANGLE_NAMES}
    if sagittal is not None:
        out.update(_sagittal_angles(sagittal))
        out["pelvic_tilt"] = pelvic_tilt
        out["lumbar_lordosis"] = lumbar_lordosis
        for side in ("left", "right"):
            out[f"hip_flexion_pelvic_{side}"] = _wrap_deg(out[f"thigh_angle_{side}"] + pelvic_tilt)
    if frontal is not None:
        out.update(_frontal_angles(frontal))
    return out


def angles_from_points(points: Mapping[str, np.ndarray], heading: np.ndarray) -> dict[str, float]:
    """Every angle of ``ANGLE_NAMES`` (degrees) of a figure, from its 3D points and heading rotation."""
    return angles_2d(
        sagittal_2d(points, heading),
        frontal_2d(points, heading),
        pelvic_tilt=pelvic_tilt_deg(points, heading),
        lumbar_lordosis=lumbar_lordosis_deg(points, heading),
    )
