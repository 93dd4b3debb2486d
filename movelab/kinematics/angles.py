"""Joint and segment angles from landmarks, in degrees, as defined once in docs/conventions.md.

Pure geometry (:func:`signed_angle_deg`, :func:`unsigned_angle_deg`), the two planar angle sets
(:func:`sagittal_angles`, :func:`frontal_angles`) and the whole chain, :func:`compute_angles`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics._points import check_config, check_landmarks, midpoint, point
from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.conventions import ANGLE_NAMES, FRONTAL, SAGITTAL
from movelab.kinematics.frontal_legs import frontal_leg_centres
from movelab.kinematics.outline import outline_estimates
from movelab.kinematics.views import facing_sign, frontal_sign, views_per_frame

__all__ = [
    "signed_angle_deg",
    "unsigned_angle_deg",
    "sagittal_angles",
    "frontal_angles",
    "obliquity_deg",
    "compute_angles",
    "compute_kinematics",
]

_UP = np.array([0.0, 1.0])
_DOWN = np.array([0.0, -1.0])
_SIDES = ("left", "right")


def signed_angle_deg(u, v) -> np.ndarray:
    """Signed angle from 2-D vector ``u`` to ``v``, degrees.

    Parameters
    ----------
    u, v
        Arrays of shape ``(..., 2)`` (broadcastable), components ``(x, y)`` of a frame whose
        counter-clockwise direction is positive.

    Returns
    -------
    numpy.ndarray
        Shape ``(...)``, in (−180, 180]; NaN where either vector is zero or not finite.

    Notes
    -----
    ``θ = atan2(u × v, u · v)`` with ``u × v = u_x v_y − u_y v_x``: positive when ``v`` is
    counter-clockwise of ``u``. ``atan2``'s −180 (from a negative zero) is returned as +180.
    """
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    angle = np.degrees(np.arctan2(cross, dot))
    angle = np.where(angle <= -180.0, 180.0, angle)
    return np.where(_nonzero(u) & _nonzero(v), angle, np.nan)


def unsigned_angle_deg(u, v) -> np.ndarray:
    """Angle between 2-D vectors ``u`` and ``v``, degrees, in [0, 180]; NaN for a zero vector.

    Notes
    -----
    ``θ = atan2(|u × v|, u · v)``, which stays accurate near 0° and 180° where ``acos`` does not.
    """
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    return np.where(_nonzero(u) & _nonzero(v), np.degrees(np.arctan2(np.abs(cross), dot)), np.nan)


def sagittal_angles(
    position: xr.DataArray, *, facing, midpoint_fallback: bool = True
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
    """
    facing = np.asarray(facing, dtype=np.float64)

    def p(name: str) -> np.ndarray:
        return _plane(point(position, name), facing)

    hip_mid = _plane(midpoint(position, "hip", fallback=midpoint_fallback), facing)
    shoulder_mid = _plane(midpoint(position, "shoulder", fallback=midpoint_fallback), facing)
    out: dict[str, np.ndarray] = {}
    for s in _SIDES:
        hip, knee, ankle = p(f"{s}_hip"), p(f"{s}_knee"), p(f"{s}_ankle")
        thigh, shank = knee - hip, ankle - knee
        out[f"knee_flexion_{s}"] = -signed_angle_deg(thigh, shank)
        out[f"hip_flexion_{s}"] = signed_angle_deg(hip_mid - shoulder_mid, thigh)
        out[f"thigh_angle_{s}"] = signed_angle_deg(_DOWN, thigh)
        foot = p(f"{s}_foot_index") - p(f"{s}_heel")
        out[f"ankle_dorsiflexion_{s}"] = 90.0 - unsigned_angle_deg(knee - ankle, foot)
    out["trunk_lean"] = signed_angle_deg(shoulder_mid - hip_mid, _UP)
    order = [n for n in SAGITTAL if n in out]
    return pd.DataFrame({n: out[n] for n in order})


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
        return _plane(point(position, name), side)

    out: dict[str, np.ndarray] = {}
    out["pelvic_obliquity"] = obliquity_deg(p("left_hip") - p("right_hip"))
    for s, medial in (("left", 1.0), ("right", -1.0)):
        hip, knee, ankle = p(f"{s}_hip"), p(f"{s}_knee"), p(f"{s}_ankle")
        out[f"knee_fppa_{s}"] = medial * signed_angle_deg(knee - hip, ankle - knee)
    trunk = _plane(midpoint(position, "shoulder") - midpoint(position, "hip"), side)
    out["trunk_lateral_lean"] = signed_angle_deg(trunk, _UP)
    return pd.DataFrame({n: out[n] for n in FRONTAL})


def obliquity_deg(right_to_left) -> np.ndarray:
    """Obliquity of a right→left line in the frontal ``(lateral, up)`` frame, degrees in (−90, 90].

    Notes
    -----
    ``θ = ∠((1, 0), v)`` (:func:`signed_angle_deg`). A left point that lies to the client's *right* of the
    right point (``v_x < 0``, ``|θ| > 90°``) is no tilt a body can take in a front or back view: only a
    left/right label swap explains it, so it is NaN rather than a value near ±180°. ``v_x = 0`` gives ±90°,
    reported as +90° (the half-open range).
    """
    v = np.asarray(right_to_left, dtype=np.float64)
    angle = signed_angle_deg(np.array([1.0, 0.0]), v)
    angle = np.where(angle <= -90.0, angle + 180.0, angle)
    return np.where(v[..., 0] >= 0.0, angle, np.nan)


def compute_angles(
    ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig(), views=None
) -> pd.DataFrame:
    """Every reported angle, per frame: the labelled angle table.

    Parameters
    ----------
    ds
        Landmark Dataset (``movelab.landmarks``).
    config
        All kinematics settings; see :class:`KinematicsConfig` and docs/kinematics.md.
    views
        ``None`` to detect views (:func:`movelab.kinematics.detect_views`); or one view name for the whole
        video; or a table of stretches; or per-frame labels (see
        :func:`movelab.kinematics.views_per_frame`).

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s``, ``frame`` and then ``ANGLE_NAMES`` in order, one row per frame of ``ds``,
        degrees. Sagittal angles are NaN outside side views, frontal angles outside front and back views,
        and any angle is NaN where a landmark it needs is missing after cleaning. ``pelvic_tilt``,
        ``lumbar_lordosis`` and ``hip_flexion_pelvic_*`` come from the outline estimate
        (:func:`movelab.kinematics.outline_angles`, docs/outline-method.md): NaN where the outline is
        missing or below the quality gate. Their change from standing and their quality are in
        :func:`movelab.kinematics.outline_estimates`.

    Notes
    -----
    Chain: views → :func:`movelab.kinematics.clean_positions` (leg-swap fix, confidence gate, Hampel,
    short-gap fill, zero-lag low-pass) → :func:`sagittal_angles` with the facing sign of side views and
    :func:`frontal_angles` with the front/back sign (``knee_fppa_*`` from the joint centres of
    :func:`movelab.kinematics.frontal_legs.frontal_leg_centres` when ``fppa_joint_centres="outline"``) →
    ``hip_flexion_pelvic = thigh_angle + pelvic_tilt``.
    """
    return compute_kinematics(ds, config=config, views=views)[0]


def compute_kinematics(
    ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig(), views=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The angle table and the full outline table (:func:`movelab.kinematics.outline_estimates`:
    ``*_change`` from standing and per-frame ``*_quality``), computed once from one cleaning pass.

    Parameters and the angle table are as for :func:`compute_angles`.
    """
    check_landmarks(ds)
    check_config(config)
    if not bool(ds["detected"].any()):
        warnings.warn("the client was not detected in any frame; every angle is NaN", UserWarning, stacklevel=3)
    frame_views = views_per_frame(ds, views, config=config)
    position = clean_positions(ds, config=config, views=frame_views)
    columns: dict[str, np.ndarray] = {}
    sagittal = sagittal_angles(position, facing=facing_sign(frame_views),
                               midpoint_fallback=config.side_view_midpoint_fallback)
    frontal = frontal_angles(position, side=frontal_sign(frame_views))
    if config.fppa_joint_centres == "outline":
        centres = frontal_leg_centres(position, ds["outline_px"].values if "outline_px" in ds else None,
                                      np.isfinite(frontal_sign(frame_views)), hip_drop=config.fppa_hip_drop)
        legs = frontal_angles(centres, side=frontal_sign(frame_views))
        for s in _SIDES:
            frontal[f"knee_fppa_{s}"] = legs[f"knee_fppa_{s}"]
    outline = outline_estimates(ds, views=frame_views, position=position, config=config, warn_missing=False)
    in_side = np.isfinite(facing_sign(frame_views))
    for table in (sagittal, frontal):
        columns.update({name: table[name].to_numpy() for name in table.columns})
    for name in ("pelvic_tilt", "lumbar_lordosis"):
        columns[name] = np.where(in_side, outline[name].to_numpy(dtype=np.float64), np.nan)
    for s in _SIDES:
        columns[f"hip_flexion_pelvic_{s}"] = columns[f"thigh_angle_{s}"] + columns["pelvic_tilt"]
    table = pd.DataFrame({"time_s": ds["time"].values.astype(np.float64),
                          "frame": ds["frame"].values.astype(np.int64)})
    for name in ANGLE_NAMES:
        table[name] = np.asarray(columns[name], dtype=np.float64)
    table.attrs["units"] = "deg"
    table.attrs["conventions"] = "docs/conventions.md"
    return table, outline


def _plane(xy: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Image ``(x, y)`` → ``(sign · x, −y)``: forward/up (side view) or anatomical-left/up (frontal)."""
    return np.column_stack([sign * xy[:, 0], -xy[:, 1]])


def _nonzero(v: np.ndarray) -> np.ndarray:
    norm = np.hypot(v[..., 0], v[..., 1])
    return np.isfinite(norm) & (norm > 0)
