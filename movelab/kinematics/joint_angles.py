"""Landmark angles of one body plane from cleaned positions: the sagittal angles of side views and the
frontal angles of front and back views (docs/conventions.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics.conventions import FRONTAL, SAGITTAL
from movelab.kinematics.geometry import DOWN, UP, midpoint, point, signed_angle_deg, to_plane, unsigned_angle_deg

__all__ = ["sagittal_angles", "frontal_angles", "obliquity_deg", "trunk_top"]

_SIDES = ("left", "right")


def sagittal_angles(
    position: xr.DataArray, *, facing, midpoint_fallback: bool = True, shoulder_shift_max: float = 0.0
) -> pd.DataFrame:
    """Landmark-based sagittal angles (docs/conventions.md) for frames with a known facing direction.

    Parameters
    ----------
    position
        Pixel positions ``(time, keypoint, space_2d)``, image ``y`` down.
    facing
        Per frame +1 (client faces image right), −1 (faces left) or NaN (not a side view: angles NaN).
    midpoint_fallback
        Where one of a left/right pair is missing, use the other for ``hip_mid`` / ``shoulder_mid`` (in
        profile the two nearly coincide).
    shoulder_shift_max
        Largest forward shift of ``shoulder_mid`` towards the camera-side shoulder, in torso lengths
        (:func:`trunk_top`); 0 keeps ``shoulder_mid``.

    Returns
    -------
    pandas.DataFrame
        Columns ``knee_flexion_*``, ``hip_flexion_*``, ``thigh_angle_*``, ``ankle_dorsiflexion_*``,
        ``trunk_lean``; one row per frame.

    Notes
    -----
    Points are taken to the sagittal frame ``(forward, up) = (facing · x, −y)``; with ``∠(u, v)`` the
    signed angle of :func:`signed_angle_deg` in that frame:

    * ``knee_flexion = −∠(hip→knee, knee→ankle)``
    * ``hip_flexion = ∠(shoulder_mid→hip_mid, hip→knee)``
    * ``thigh_angle = ∠(down, hip→knee)``
    * ``ankle_dorsiflexion = 90° − angle between (ankle→knee) and (heel→foot_index)`` (unsigned angle,
      so in [−90, 90])
    * ``trunk_lean = ∠(hip_mid→shoulder_mid, up)``

    with ``shoulder_mid`` as :func:`trunk_top` places it.
    """
    facing = np.asarray(facing, dtype=np.float64)

    def p(name: str) -> np.ndarray:
        return to_plane(point(position, name), facing)

    hip_mid = to_plane(midpoint(position, "hip", fallback=midpoint_fallback), facing)
    shoulder_mid = to_plane(midpoint(position, "shoulder", fallback=midpoint_fallback), facing)
    near_shoulder = np.where((facing > 0)[:, None], p("right_shoulder"), p("left_shoulder"))
    shoulder_mid = trunk_top(shoulder_mid, near_shoulder, hip_mid, shift_max=shoulder_shift_max)
    out: dict[str, np.ndarray] = {}
    for s in _SIDES:
        hip, knee, ankle = p(f"{s}_hip"), p(f"{s}_knee"), p(f"{s}_ankle")
        thigh, shank = knee - hip, ankle - knee
        out[f"knee_flexion_{s}"] = -signed_angle_deg(thigh, shank)
        out[f"hip_flexion_{s}"] = signed_angle_deg(hip_mid - shoulder_mid, thigh)
        out[f"thigh_angle_{s}"] = signed_angle_deg(DOWN, thigh)
        foot = p(f"{s}_foot_index") - p(f"{s}_heel")
        out[f"ankle_dorsiflexion_{s}"] = 90.0 - unsigned_angle_deg(knee - ankle, foot)
    out["trunk_lean"] = signed_angle_deg(shoulder_mid - hip_mid, UP)
    order = [n for n in SAGITTAL if n in out]
    return pd.DataFrame({n: out[n] for n in order})


def trunk_top(shoulder_mid, near_shoulder, hip_mid, *, shift_max: float) -> np.ndarray:
    """The side-view trunk line's upper end: ``shoulder_mid`` moved forward towards the camera-side shoulder
    by at most ``shift_max`` torso lengths.

    Parameters
    ----------
    shoulder_mid, near_shoulder, hip_mid
        ``(n, 2)`` points in the sagittal frame ``(forward, up)``; ``near_shoulder`` is the shoulder on the
        camera's side (right when the client faces image right).
    shift_max
        Largest shift, in torso lengths (``|shoulder_mid − hip_mid|``); 0 returns ``shoulder_mid``.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)``; ``shoulder_mid`` where the camera-side shoulder is missing or not ahead of it.

    Notes
    -----
    In profile the two shoulder joints project to nearly the same point, but the pose model puts the hidden
    far shoulder 3–9 px (3–8 % of the trunk) *behind* its joint while the camera-side shoulder stays within
    ±3 px of its own (``python -m scripts.accuracy.angle_errors --trunk-sources``): ``shoulder_mid`` then lies
    half that behind and the trunk reads too upright. The shift takes back up to the typical half of that
    offset. Only forward shifts are made, and the cap bounds what the correction can do off profile, where
    the two joints project apart for real: the trunk lean moves by at most ``atan(shift_max)`` (1.7° for
    0.03). Chosen on design clips (docs/kinematics-decisions.md, *Trunk line in side views*).
    """
    shoulder_mid = np.asarray(shoulder_mid, dtype=np.float64)
    if shift_max <= 0:
        return shoulder_mid
    torso = np.hypot(*(shoulder_mid - np.asarray(hip_mid, dtype=np.float64)).T)
    with np.errstate(invalid="ignore"):
        ahead = np.asarray(near_shoulder, dtype=np.float64)[:, 0] - shoulder_mid[:, 0]
        shift = np.clip(np.nan_to_num(ahead), 0.0, np.nan_to_num(shift_max * torso))
    out = shoulder_mid.copy()
    out[:, 0] += shift
    return out


def frontal_angles(position: xr.DataArray, *, side) -> pd.DataFrame:
    """Frontal angles (docs/conventions.md) for frames seen from the front or the back.

    Parameters
    ----------
    position
        Pixel positions ``(time, keypoint, space_2d)``, image ``y`` down.
    side
        Per frame +1 (front view), −1 (back view) or NaN (angles NaN).

    Returns
    -------
    pandas.DataFrame
        Columns ``pelvic_obliquity``, ``knee_fppa_left``, ``knee_fppa_right``, ``trunk_lateral_lean``.

    Notes
    -----
    Points are taken to the frame ``(lateral, up) = (side · x, −y)`` whose first axis points to the
    client's anatomical left in both views; with ``∠`` the signed angle of :func:`signed_angle_deg`:

    * ``pelvic_obliquity = ∠(left, right_hip→left_hip)`` (left hip higher positive), in (−90, 90]; NaN
      where the left hip is not to the client's left of the right one (:func:`obliquity_deg`)
    * ``knee_fppa_left = ∠(hip→knee, knee→ankle)``, ``knee_fppa_right = −∠(hip→knee, knee→ankle)``.
      ``|∠|`` is 180° minus the hip–knee–ankle angle, and ``∠(hip→knee, knee→ankle)`` has the sign of
      ``(knee − hip) × (ankle − hip)``, i.e. of the knee's side of the hip–ankle line: positive when the
      knee lies to the client's right of it, medial for the left leg. So both are valgus positive.
    * ``trunk_lateral_lean = ∠(hip_mid→shoulder_mid, up)`` (shoulders to the client's left positive)
    """
    side = np.asarray(side, dtype=np.float64)

    def p(name: str) -> np.ndarray:
        return to_plane(point(position, name), side)

    out: dict[str, np.ndarray] = {}
    out["pelvic_obliquity"] = obliquity_deg(p("left_hip") - p("right_hip"))
    for s, medial in (("left", 1.0), ("right", -1.0)):
        hip, knee, ankle = p(f"{s}_hip"), p(f"{s}_knee"), p(f"{s}_ankle")
        out[f"knee_fppa_{s}"] = medial * signed_angle_deg(knee - hip, ankle - knee)
    trunk = to_plane(midpoint(position, "shoulder") - midpoint(position, "hip"), side)
    out["trunk_lateral_lean"] = signed_angle_deg(trunk, UP)
    return pd.DataFrame({n: out[n] for n in FRONTAL})


def obliquity_deg(right_to_left) -> np.ndarray:
    """Obliquity of a right→left line in the frontal ``(lateral, up)`` frame, degrees in (−90, 90].

    Notes
    -----
    ``θ = ∠((1, 0), v)`` (:func:`movelab.kinematics.geometry.signed_angle_deg`). A left point that lies to
    the client's *right* of the right point (``v_x < 0``, ``|θ| > 90°``) is no tilt a body can take in a
    front or back view: only a left/right label swap explains it, so it is NaN rather than a value near
    ±180°. ``v_x = 0`` gives ±90°, reported as +90° (the half-open range).
    """
    v = np.asarray(right_to_left, dtype=np.float64)
    angle = signed_angle_deg(np.array([1.0, 0.0]), v)
    angle = np.where(angle <= -90.0, angle + 180.0, angle)
    return np.where(v[..., 0] >= 0.0, angle, np.nan)
