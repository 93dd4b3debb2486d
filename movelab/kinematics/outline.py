"""Pelvic tilt and lumbar lordosis from the person's outline (segmentation mask) in side view.

MediaPipe has no ASIS, PSIS or spine landmark, so ``pelvic_tilt`` and ``lumbar_lordosis`` are estimated from
the back contour of the outline that extraction keeps beside the landmarks (``outline_px``,
:mod:`movelab.pose.mask_features`), located between the hip and shoulder landmarks. The per-frame geometry
is in :mod:`movelab.kinematics.outline_method`; the method, its validity conditions (side view, fitted
clothing, arms off the back), its calibration and its measured error are in ``docs/outline.md``.

Two entry points:

* :func:`outline_estimates` — the full table: absolute values, the change from the client's own standing
  baseline (``*_change``), a quality per frame and quantity, and which frames formed the baseline;
* :func:`outline_angles` — the two absolute angles only; :func:`movelab.kinematics.compute_angles` fills
  ``pelvic_tilt``, ``lumbar_lordosis`` and ``hip_flexion_pelvic_*`` (``thigh_angle + pelvic_tilt``) from it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics import filtering
from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import (
    arm_points,
    median_torso_length,
    midpoint,
    point,
    row_crossings_x,
    support_speeds,
)
from movelab.kinematics.inputs import check_config, check_landmarks
from movelab.kinematics.joint_angles import sagittal_angles
from movelab.kinematics.outline_method import OutlineParams, back_profile, estimate_frame, register_profile
from movelab.kinematics.tables import frame_table, time_s_of
from movelab.kinematics.views import facing_sign, views_per_frame

__all__ = [
    "OUTLINE_ANGLE_NAMES",
    "OUTLINE_ESTIMATE_COLUMNS",
    "outline_angles",
    "outline_estimates",
    "outline_baseline",
    "OutlineBaseline",
    "outline_params",
]

#: Angles this module provides (docs/conventions.md).
OUTLINE_ANGLE_NAMES: tuple[str, ...] = ("pelvic_tilt", "lumbar_lordosis")

#: Columns of :func:`outline_estimates`, in order (the index is ``time_s``: movelab.kinematics.tables).
OUTLINE_ESTIMATE_COLUMNS: tuple[str, ...] = (
    "frame",
    "pelvic_tilt",
    "lumbar_lordosis",
    "pelvic_tilt_change",
    "lumbar_lordosis_change",
    "pelvic_tilt_quality",
    "lumbar_lordosis_quality",
    "pelvic_tilt_sd",
    "lumbar_lordosis_sd",
    "standing",
)

_SIDES = ("left", "right")


def outline_params(config: KinematicsConfig) -> OutlineParams:
    """The per-frame settings of :mod:`movelab.kinematics.outline_method` taken from ``config``."""
    return OutlineParams(
        sacral_levels=tuple(config.outline_sacral_levels),
        thoracolumbar_levels=tuple(config.outline_thoracolumbar_levels),
        tilt_offset_deg=config.outline_tilt_offset_deg + config.outline_tilt_population_shift_deg,
        lordosis_offset_deg=config.outline_lordosis_offset_deg,
        smoothing=config.outline_smoothing,
        arm_radius=tuple(config.outline_arm_radius),
        arm_cover_limits=tuple(config.outline_arm_cover_limits),
        elbow_behind_limits=tuple(config.outline_elbow_behind_limits),
        roughness_limits=tuple(config.outline_roughness_limits),
        sensitivity_limits_deg=tuple(config.outline_sensitivity_limits_deg),
        level_shift=config.outline_level_shift,
        hanging_wrist_max=config.outline_hanging_wrist_max,
        thoracolumbar_pelvis_weight=config.outline_thoracolumbar_pelvis_weight,
        cover_hanging_arms=bool(config.outline_cover_hanging_arms),
        tilt_gain=config.outline_tilt_gain,
        tilt_gain_max_lean_deg=config.outline_tilt_gain_max_lean_deg,
        lordosis_sacral_gain=config.outline_lordosis_sacral_gain,
    )


def outline_estimates(
    ds: xr.Dataset,
    *,
    views=None,
    position: xr.DataArray | None = None,
    config: KinematicsConfig = KinematicsConfig(),
    warn_missing: bool = True,
) -> pd.DataFrame:
    """Pelvic tilt and lumbar lordosis from the outline, with their change from standing and their quality.

    Parameters
    ----------
    ds
        Landmark Dataset with ``outline_px (time, outline_point, space_2d)`` (extraction keeps it unless
        outline features were turned off). Without it every estimate is NaN (with a warning).
    views
        Views as accepted by :func:`movelab.kinematics.views_per_frame` (detected when None). Estimates are
        made in ``side_left`` and ``side_right`` frames only.
    position
        Cleaned keypoint positions (:func:`movelab.kinematics.clean_positions`); computed when None.
    config
        Settings; the ``outline_*`` fields drive this method (docs/outline.md).
    warn_missing
        Warn when ``ds`` has no outline features.

    Returns
    -------
    pandas.DataFrame
        One row per frame of ``ds``, columns :data:`OUTLINE_ESTIMATE_COLUMNS`:

        * ``pelvic_tilt``, ``lumbar_lordosis``: degrees (docs/conventions.md), NaN outside side views and
          where the frame's quality is below ``outline_min_quality``; Hampel-filtered and low-passed like
          keypoints (``hampel_*``, ``cutoff_hz``).
        * ``pelvic_tilt_change``, ``lumbar_lordosis_change``: the value minus the client's standing
          baseline (the median over the ``standing`` frames); NaN for the whole clip when the clip holds
          less than ``outline_baseline_min_s`` of quiet upright standing.
        * ``pelvic_tilt_quality``, ``lumbar_lordosis_quality``: the frame's quality in [0, 1] before the
          gate (0 outside side views). The lordosis quality includes the tilt's.
        * ``standing``: the frame counted as quiet upright standing (and so entered the baseline).

        The baseline itself: :func:`outline_baseline` of this table. Method: docs/outline.md.

    Notes
    -----
    Per frame (:func:`movelab.kinematics.outline_method.estimate_frame`), with ``θ`` the pelvic tilt:
    ``θ = chord_S(θ) − tilt_offset`` and ``lordosis = chord_S(θ) − chord_TL − lordosis_offset``, where
    ``chord_S`` is the inclination against vertical of the back contour between the two
    ``outline_sacral_levels`` (measured from the hip along the pelvis's up axis, which is turned by ``θ``)
    and ``chord_TL`` that between the two ``outline_thoracolumbar_levels`` along the trunk axis. Before the
    frames, the hip landmark's drift with the trunk's lean is measured for the clip by registering the
    pelvis's back outline (``outline_hip_registration``) and undone, and while the legs stand straight the
    hip's height is taken from the soles, the outline's lowest point (``outline_hip_from_floor``).
    """
    return _estimates(ds, views=views, position=position, config=config, warn_missing=warn_missing)


def outline_angles(
    ds: xr.Dataset,
    *,
    views=None,
    position: xr.DataArray | None = None,
    config: KinematicsConfig = KinematicsConfig(),
) -> pd.DataFrame:
    """Pelvic tilt and lumbar lordosis from the outline, per frame (absolute values only).

    Parameters
    ----------
    ds, views, position, config
        As for :func:`outline_estimates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s``, ``frame``, ``pelvic_tilt``, ``lumbar_lordosis`` (degrees; conventions in
        docs/conventions.md); NaN outside side views, in frames below the quality gate, and everywhere
        when ``ds`` has no ``outline_px`` (no warning here: :func:`movelab.kinematics.compute_angles`
        calls this for every Dataset). For the change from standing
        and the quality, use :func:`outline_estimates`.
    """
    estimates = _estimates(ds, views=views, position=position, config=config, warn_missing=False)
    table = estimates[["frame", *OUTLINE_ANGLE_NAMES]].copy()
    return table


def _estimates(ds, *, views, position, config, warn_missing: bool) -> pd.DataFrame:
    check_landmarks(ds)
    check_config(config)
    frame_views = views_per_frame(ds, views, config=config)
    facing = facing_sign(frame_views)
    if position is None:
        position = clean_positions(ds, config=config, views=frame_views)
    table = frame_table(ds)
    sagittal = sagittal_angles(position, facing=facing, midpoint_fallback=config.side_view_midpoint_fallback)
    raw = _per_frame(ds, position, facing, config, warn_missing=warn_missing, sagittal=sagittal)
    gate = config.outline_min_quality
    tilt = np.where(raw["tilt_quality"] >= gate, raw["pelvic_tilt"], np.nan)
    lordosis = np.where(raw["lordosis_quality"] >= gate, raw["lumbar_lordosis"], np.nan)
    tilt, lordosis = (_smooth(ds, values, config) for values in (tilt, lordosis))
    standing = _standing(position, sagittal, facing, np.isfinite(tilt), config)
    baseline = _baseline(table.index.to_numpy(dtype=np.float64), standing, tilt, lordosis, config)
    baseline = {"pelvic_tilt_deg": baseline.pelvic_tilt_deg, "lumbar_lordosis_deg": baseline.lumbar_lordosis_deg}
    table["pelvic_tilt"] = tilt
    table["lumbar_lordosis"] = lordosis
    table["pelvic_tilt_change"] = tilt - baseline["pelvic_tilt_deg"]
    table["lumbar_lordosis_change"] = lordosis - baseline["lumbar_lordosis_deg"]
    table["pelvic_tilt_quality"] = raw["tilt_quality"]
    table["lumbar_lordosis_quality"] = raw["lordosis_quality"]
    tilt_sd, lordosis_sd = _uncertainty(raw["sensitivity_deg"], config)
    table["pelvic_tilt_sd"] = np.where(np.isfinite(tilt), tilt_sd, np.nan)
    table["lumbar_lordosis_sd"] = np.where(np.isfinite(lordosis), lordosis_sd, np.nan)
    table["standing"] = standing
    return table


@dataclass(frozen=True)
class OutlineBaseline:
    """The client's standing outline estimates, which the ``*_change`` columns are taken from.

    Attributes
    ----------
    pelvic_tilt_deg, lumbar_lordosis_deg
        Medians over the standing frames (NaN when they add up to less than ``outline_baseline_min_s``).
    standing_s, frames
        How long, and in how many frames, the client stood quietly upright.
    """

    pelvic_tilt_deg: float
    lumbar_lordosis_deg: float
    standing_s: float
    frames: int


def outline_baseline(table: pd.DataFrame, *, config: KinematicsConfig = KinematicsConfig()) -> OutlineBaseline:
    """The standing baseline of an outline table (:func:`outline_estimates`, computed with ``config``)."""
    return _baseline(
        time_s_of(table),
        table["standing"].to_numpy(dtype=bool),
        table["pelvic_tilt"].to_numpy(dtype=np.float64),
        table["lumbar_lordosis"].to_numpy(dtype=np.float64),
        config,
    )


# ----------------------------------------------------------------------------- helpers


def _per_frame(
    ds: xr.Dataset,
    position: xr.DataArray,
    facing: np.ndarray,
    config: KinematicsConfig,
    *,
    warn_missing: bool,
    sagittal: pd.DataFrame,
) -> dict[str, np.ndarray]:
    """Raw per-frame estimates and qualities (before the gate and the time filter); ``sagittal``: the
    landmark angles of ``position`` (:func:`sagittal_angles`), which tell where the legs stand straight."""
    n = ds.sizes["time"]
    out = {k: np.full(n, np.nan) for k in ("pelvic_tilt", "lumbar_lordosis")}
    out.update({k: np.zeros(n) for k in ("tilt_quality", "lordosis_quality")})
    out["sensitivity_deg"] = np.full(n, np.nan)
    if "outline_px" not in ds:
        if warn_missing:
            warnings.warn(
                "the landmark Dataset has no outline_px (outline features were off at extraction); "
                "pelvic_tilt and lumbar_lordosis are NaN",
                UserWarning,
                stacklevel=4,
            )
        return out
    side = np.isfinite(facing)
    if not side.any():
        return out
    hip = midpoint(position, "hip", fallback=config.side_view_midpoint_fallback)
    shoulder = midpoint(position, "shoulder", fallback=config.side_view_midpoint_fallback)
    torso_px = median_torso_length(position, where=side)
    if not np.isfinite(torso_px):
        return out
    # float32 as stored, made float64 one frame at a time (exactly): not the whole recording at once (300 MB
    # for 10 minutes at 60 fps)
    outline = ds["outline_px"].transpose("time", "outline_point", "space_2d").values
    registered = None
    if config.outline_hip_registration:
        time_s = ds["time"].values.astype(np.float64)
        registered = _registered_hip(outline, hip, shoulder, facing, torso_px, config=config, time_s=time_s)
    if registered is not None:
        hip = registered
    elif config.outline_hip_drift_per_deg:
        hip = _undrifted_hip(hip, shoulder, facing, torso_px, config)
    if config.outline_hip_from_floor:
        lean = _trunk_lean_deg(hip, shoulder, facing)
        hip = _floor_anchored_hip(
            outline,
            hip,
            _straight_legs(sagittal, config),
            lean,
            config=config,
            height_px=ds.attrs.get("height_px"),
            heels_px=np.stack([point(position, f"{s}_heel")[:, :2] for s in _SIDES], axis=1),
            torso_px=torso_px,
            facing=facing,
        )
    arms = _arm_points(ds, config)
    params = outline_params(config)
    elbow = np.full(facing.size, np.nan)
    for i in np.flatnonzero(side):
        e = estimate_frame(
            np.asarray(outline[i], dtype=np.float64),
            hip_px=hip[i],
            shoulder_px=shoulder[i],
            facing=float(facing[i]),
            torso_px=torso_px,
            arms_px=arms[i],
            params=params,
        )
        out["pelvic_tilt"][i], out["lumbar_lordosis"][i] = e.pelvic_tilt, e.lumbar_lordosis
        out["tilt_quality"][i], out["lordosis_quality"][i] = e.tilt_quality, e.lordosis_quality
        out["sensitivity_deg"][i] = e.sensitivity_deg
        elbow[i] = e.elbow_behind
    swing = _elbow_swing(elbow, _trunk_lean_deg(hip, shoulder, facing), config)
    for key in ("tilt_quality", "lordosis_quality"):
        out[key] = out[key] * swing
    return out


def _elbow_swing(elbow_behind: np.ndarray, lean: np.ndarray, config: KinematicsConfig) -> np.ndarray:
    """Per frame, the quality factor of a hanging arm swung back from where it hangs when the client stands.

    ``elbow_behind`` (torso lengths; -inf: no hanging arm) is compared with its median over the clip's
    near-upright frames (``|lean|`` at most ``outline_registration_reference_deg``); the excess falls from 1
    to 0 across ``outline_elbow_swing_limits``. 1 everywhere without such frames.
    """
    ones = np.ones(elbow_behind.size)
    if config.outline_elbow_swing_limits is None:
        return ones
    with np.errstate(invalid="ignore"):
        upright = np.isfinite(elbow_behind) & (np.abs(lean) <= config.outline_registration_reference_deg)
    if upright.sum() < config.outline_registration_min_frames:
        return ones
    excess = elbow_behind - float(np.median(elbow_behind[upright]))
    lo, hi = config.outline_elbow_swing_limits
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(excess), np.clip((hi - excess) / (hi - lo), 0.0, 1.0), 1.0)


def _undrifted_hip(
    hip: np.ndarray, shoulder: np.ndarray, facing: np.ndarray, torso_px: float, config: KinematicsConfig
) -> np.ndarray:
    """``hip_mid`` moved back up by the drift the pose model adds with the trunk's lean.

    MediaPipe's hip landmark slides down the body as the trunk leans forward (and up as it leans back) with
    the pelvis still: ``outline_hip_drift_per_deg`` torso lengths per degree of ``trunk_lean``, measured on the
    design bodies' sways; the sacral chord's levels are heights above the hip, so the drift read as tilt.
    The correction applies in full up to ``outline_hip_drift_max_deg`` of lean and fades to none at twice
    that: the fit holds near upright (in a squat the hip landmark errs otherwise).
    """
    v = shoulder - hip
    lean = np.degrees(np.arctan2(facing * v[:, 0], -v[:, 1]))
    lean = np.nan_to_num(lean)
    full = config.outline_hip_drift_max_deg
    lean = lean * np.clip(2.0 - np.abs(lean) / full, 0.0, 1.0)  # full up to the limit, none beyond twice it
    out = hip.copy()
    out[:, 1] = hip[:, 1] - config.outline_hip_drift_per_deg * lean * torso_px
    return out


def _straight_legs(sagittal: pd.DataFrame, config: KinematicsConfig) -> np.ndarray:
    """Per frame, how fully the legs stand as in quiet standing, in [0, 1]: 1 while both knees bend at most
    ``outline_baseline_max_knee_deg`` and both thighs lean at most ``outline_baseline_max_thigh_deg``, falling
    linearly to 0 at twice either limit; 0 where a knee or thigh angle is unknown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        knee = np.nanmax(sagittal[[f"knee_flexion_{s}" for s in _SIDES]].to_numpy(dtype=np.float64), axis=1)
        thigh = np.nanmax(np.abs(sagittal[[f"thigh_angle_{s}" for s in _SIDES]].to_numpy(dtype=np.float64)), axis=1)
    w_knee = np.clip(2.0 - knee / config.outline_baseline_max_knee_deg, 0.0, 1.0)
    w_thigh = np.clip(2.0 - thigh / config.outline_baseline_max_thigh_deg, 0.0, 1.0)
    return np.nan_to_num(np.minimum(w_knee, w_thigh), nan=0.0)


def _floor_anchored_hip(
    outline: np.ndarray,
    hip: np.ndarray,
    legs: np.ndarray,
    lean: np.ndarray,
    *,
    config: KinematicsConfig,
    height_px: float | None,
    heels_px: np.ndarray | None = None,
    torso_px: float = np.nan,
    facing: np.ndarray | None = None,
) -> np.ndarray:
    """``hip_mid`` put back at its standing height above the soles while the legs stand straight.

    The pose model's hip landmark rises and falls along the body as the pelvis tilts and the trunk leans, by
    amounts that differ between bodies and with the facing direction (design bodies' tilt sweeps: 0.2-4.2
    thousandths of a torso length per degree of tilt, filmed and mirrored; docs/outline-decisions.md), and
    the sacral chord's levels are heights above it. With the legs as in standing the hip joint keeps its
    height above the floor, and the outline's lowest point (the soles) shows the floor without the pose
    model: the hip's height above it is the median over the clip's reference frames (legs straight,
    ``|trunk_lean|`` at most ``outline_registration_reference_deg``, heels down, at least
    ``outline_registration_min_frames`` of them) and each frame's hip is set to it, weighted by ``legs``
    (:func:`_straight_legs`; the landmark as it was where the knees or hips bend) and by the heels being down
    (:func:`_heels_down`: in a heel raise the toes hold the lowest point while the hip rises). Unchanged
    without such frames, and in frames whose outline is missing or reaches the picture's bottom edge
    ``height_px`` (feet cut off; None: not checked). ``heels_px`` ``(time, 2 heels, 2)`` and ``torso_px``:
    None / NaN: no heel guard. With ``facing`` (per frame, +1/-1) the height is partly taken from the
    buttock's lower edge (:func:`_fold_anchored_height`), which does not move with the camera's roll.
    """
    n = hip.shape[0]
    floor = np.full(n, np.nan)
    for i in np.flatnonzero(legs > 0):
        floor[i] = float(np.max(outline[i][:, 1]))  # NaN when the frame has no outline
    if height_px is not None:
        with np.errstate(invalid="ignore"):
            floor[floor >= float(height_px) - 1.5] = np.nan  # the mask reaches the edge: the soles are not seen
    above = floor - hip[:, 1]
    with np.errstate(invalid="ignore"):
        reference = np.isfinite(above) & (legs >= 1.0) & (np.abs(lean) <= config.outline_registration_reference_deg)
    down = _heels_down(floor, heels_px, reference, config=config, torso_px=torso_px)
    reference &= down >= 1.0
    if reference.sum() < config.outline_registration_min_frames:
        return hip
    height = float(np.median(above[reference]))
    if facing is not None:
        height = _fold_anchored_height(height, outline, floor, reference, facing, config=config, torso_px=torso_px)
    w = np.where(np.isfinite(floor), legs * down, 0.0)
    out = hip.copy()
    out[:, 1] = np.where(w > 0, w * (floor - height) + (1.0 - w) * hip[:, 1], hip[:, 1])
    return out


def _fold_anchored_height(
    landmark_px: float,
    outline: np.ndarray,
    floor: np.ndarray,
    reference: np.ndarray,
    facing: np.ndarray,
    *,
    config: KinematicsConfig,
    torso_px: float,
) -> float:
    """The anchor's standing hip height above the soles (px): the landmark's ``landmark_px`` moved
    ``outline_floor_fold_weight`` of the way to the gluteal fold's height plus ``outline_floor_fold_hip_above``.

    The pose model places the hip landmark differently on the same body filmed by a rolled camera (up to
    0.05 torso lengths on the design bodies, about 1 deg of standing tilt per px), the outline's shape only
    turns with the picture. The fold's height is the median of :func:`_fold_height_px` over the reference
    frames (at most :data:`_REFERENCE_FRAMES`, evenly spread). ``landmark_px`` unchanged with a weight of 0,
    without a torso length, where no reference frame shows a fold or where the two heights differ by more
    than ``outline_floor_fold_max_gap`` torso lengths (the fold mistaken).
    """
    weight = config.outline_floor_fold_weight
    if weight <= 0 or not np.isfinite(torso_px) or torso_px <= 0:
        return landmark_px
    chosen = np.flatnonzero(reference & np.isfinite(facing))
    chosen = chosen[np.linspace(0, chosen.size - 1, min(chosen.size, _REFERENCE_FRAMES)).round().astype(int)]
    folds = [_fold_height_px(outline[i], floor[i], float(facing[i]), config=config, torso_px=torso_px) for i in chosen]
    folds = np.array([f for f in folds if np.isfinite(f)])
    if folds.size == 0:
        return landmark_px
    fold_px = float(np.median(folds)) + config.outline_floor_fold_hip_above * torso_px
    if abs(fold_px - landmark_px) > config.outline_floor_fold_max_gap * torso_px:
        return landmark_px
    return landmark_px + weight * (fold_px - landmark_px)


#: The fold's search: rows every 0.01 torso lengths, the step measured over 4 of them (0.04 torso lengths).
_FOLD_ROW = 0.01
_FOLD_ROWS = 4


def _fold_height_px(
    outline: np.ndarray, floor_px: float, facing: float, *, config: KinematicsConfig, torso_px: float
) -> float:
    """Height above ``floor_px`` of the gluteal fold in one side-view outline (picture ``y`` down), px.

    The back outline (the rearmost crossing of each picture row, ``facing`` the direction the client faces)
    steps backward from the thigh to the buttock going up; the fold is the middle of the largest backward
    step over :data:`_FOLD_ROWS` rows every :data:`_FOLD_ROW` torso lengths within ``outline_floor_fold_band``
    (shares of the outline's height above the soles). NaN without an outline or where the largest step is
    under ``outline_floor_fold_min_step`` torso lengths (no fold: loose clothing).
    """
    outline = np.asarray(outline, dtype=np.float64)
    finite = np.isfinite(outline).all(axis=1)
    if finite.sum() < 3 or not np.isfinite(floor_px):
        return np.nan
    standing_px = floor_px - float(np.min(outline[finite, 1]))
    low, high = config.outline_floor_fold_band
    heights = np.arange(low * standing_px, high * standing_px, _FOLD_ROW * torso_px)
    back = np.full(heights.size, np.nan)
    for k, h in enumerate(heights):
        xs = row_crossings_x(outline, floor_px - h)
        if xs.size:
            back[k] = float(np.max(-facing * xs))  # how far back the outline reaches on this row
    step = back[_FOLD_ROWS:] - back[:-_FOLD_ROWS]  # positive: the outline steps backward going up
    if not np.isfinite(step).any() or np.nanmax(step) < config.outline_floor_fold_min_step * torso_px:
        return np.nan
    j = int(np.nanargmax(step))
    return float(heights[j] + 0.5 * _FOLD_ROWS * _FOLD_ROW * torso_px)


def _heels_down(
    floor: np.ndarray,
    heels_px: np.ndarray | None,
    reference: np.ndarray,
    *,
    config: KinematicsConfig,
    torso_px: float,
) -> np.ndarray:
    """Per frame, how fully the heels stand on the floor, in [0, 1] (the floor anchor's heel guard).

    Each heel's height above the outline's lowest point ``floor`` against its median over the ``reference``
    frames, in torso lengths; the smaller of the two heels' rises (one heel landmark drifting up alone is not
    a heel raise; one heel alone where only one is seen) falls from 1 at ``outline_floor_heel_rise_limits[0]``
    to 0 at ``[1]``. 1 everywhere without the guard, heels, torso length or at least
    ``outline_registration_min_frames`` reference frames with a heel; 1 where no heel is seen.
    """
    ones = np.ones(floor.size)
    limits = config.outline_floor_heel_rise_limits
    if limits is None or heels_px is None or not np.isfinite(torso_px) or torso_px <= 0:
        return ones
    above = (floor[:, None] - heels_px[:, :, 1]) / torso_px  # (time, heel)
    rises = []
    for k in range(above.shape[1]):
        ref = reference & np.isfinite(above[:, k])
        if ref.sum() >= config.outline_registration_min_frames:
            rises.append(above[:, k] - float(np.median(above[ref, k])))
    if not rises:
        return ones
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with no heel seen stay NaN
        rise = np.nanmin(np.stack(rises), axis=0)
    lo, hi = limits
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(rise), np.clip((hi - rise) / (hi - lo), 0.0, 1.0), 1.0)


#: Heights of the pelvis's back profile registered frame by frame, and of the longer reference (torso lengths).
_REFERENCE_HEIGHTS = np.arange(-0.45, 0.2501, 0.005)
_PROFILE_SLICE = slice(30, 111, 2)  # -0.30 to 0.10 every 0.01
#: Near-upright frames the reference profile is the median of, at most.
_REFERENCE_FRAMES = 200
_PROFILE_HEIGHTS = _REFERENCE_HEIGHTS[_PROFILE_SLICE]


def _trunk_lean_deg(hip: np.ndarray, shoulder: np.ndarray, facing: np.ndarray) -> np.ndarray:
    v = shoulder - hip
    return np.degrees(np.arctan2(facing * v[:, 0], -v[:, 1]))


def _registered_hip(
    outline: np.ndarray,
    hip: np.ndarray,
    shoulder: np.ndarray,
    facing: np.ndarray,
    torso_px: float,
    *,
    config: KinematicsConfig,
    time_s: np.ndarray | None = None,
) -> np.ndarray | None:
    """``hip_mid`` moved, frame by frame, to where the pelvis's own outline says it is; None without a reference.

    MediaPipe's hip landmark slides along the body as the trunk leans with the pelvis still, by a rate that
    differs between bodies (0.1-3.2 thousandths of a torso length per degree on the design bodies), and the
    sacral chord's levels are heights above it. The back of the pelvis (buttock and sacrum, 0.30 below to
    0.10 above the hip) moves rigidly with the hip joint, so it locates the joint: the clip's reference is the
    median back profile of its near-upright side-view frames (``|trunk_lean|`` at most
    ``outline_registration_reference_deg``, where the drift is small and cancels in the median); each frame's
    profile is laid onto it by a rotation and a shift (:func:`~movelab.kinematics.outline_method.register_profile`),
    and the hip moves by that shift. In full up to ``outline_hip_drift_max_deg`` of lean, fading to none at
    twice it (in a squat the buttock's outline changes with the hip's flexion), and not where the fit's
    residual exceeds ``outline_registration_max_rms``. None when fewer than
    ``outline_registration_min_frames`` frames qualify as reference. ``time_s`` (the frames' times) weighs
    each frame by the frame interval in the rate's fit (:func:`_drift_rate`); None: 1/30 s.
    """
    lean = _trunk_lean_deg(hip, shoulder, facing)
    side = np.isfinite(facing) & np.isfinite(lean)
    with np.errstate(invalid="ignore"):
        reference = side & (np.abs(lean) <= config.outline_registration_reference_deg)
    if reference.sum() < config.outline_registration_min_frames:
        return None
    full = config.outline_hip_drift_max_deg
    weight = np.clip(2.0 - np.abs(np.nan_to_num(lean, nan=np.inf)) / full, 0.0, 1.0)

    def profile(i: int) -> np.ndarray:
        return back_profile(
            np.asarray(outline[i], dtype=np.float64),
            hip_px=hip[i],
            facing=float(facing[i]),
            torso_px=torso_px,
            heights=_REFERENCE_HEIGHTS,
            smoothing=config.outline_smoothing,
        )

    chosen = np.flatnonzero(reference)  # at most _REFERENCE_FRAMES of them, evenly spread (bounded memory)
    chosen = chosen[np.linspace(0, chosen.size - 1, min(chosen.size, _REFERENCE_FRAMES)).round().astype(int)]
    profiles = [profile(i) for i in chosen]
    kept = dict(zip(chosen.tolist(), profiles))  # the reference frames' profiles serve again below
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = np.nanmedian(np.array(profiles), axis=0)
    shift = np.full((lean.size, 2), np.nan)
    for i in np.flatnonzero(side & (weight > 0)):
        own = kept.pop(int(i)) if int(i) in kept else profile(i)
        _, tx, ty, rms = register_profile(own[_PROFILE_SLICE], _PROFILE_HEIGHTS, ref, _REFERENCE_HEIGHTS)
        if np.isfinite(rms) and rms <= config.outline_registration_max_rms:
            shift[i] = tx, ty
    # the frame's points p + (tx, ty) lie on the reference: the reference's hip is at -(tx, ty) here, so the
    # landmark sits ty too low; the drift per degree of lean: a line through the registered frames, shrunk
    # towards the population's rate where the clip's lean hardly varies
    step_s = _frame_interval_s(time_s)
    rate_y = _drift_rate(lean, -shift[:, 1], config.outline_hip_drift_per_deg, config, step_s=step_s)
    rate_x = _drift_rate(lean, shift[:, 0], 0.0, config, step_s=step_s)
    if not (np.isfinite(rate_x) and np.isfinite(rate_y)):
        return None
    lean0 = np.nan_to_num(lean) * weight
    out = hip.copy()
    out[:, 0] = hip[:, 0] - facing * rate_x * lean0 * torso_px
    out[:, 1] = hip[:, 1] - rate_y * lean0 * torso_px
    return np.where(np.isfinite(out), out, hip)


def _frame_interval_s(time_s: np.ndarray | None) -> float:
    """The median interval between frames, seconds (1/30 s without times or with fewer than two frames)."""
    if time_s is None or np.size(time_s) < 2:
        return 1.0 / 30.0
    step = float(np.median(np.diff(time_s)))
    return step if np.isfinite(step) and step > 0 else 1.0 / 30.0


def _drift_rate(
    lean: np.ndarray, shift: np.ndarray, prior: float, config: KinematicsConfig, *, step_s: float = 1.0 / 30.0
) -> float:
    """Slope of ``shift`` (torso lengths) against ``lean`` (degrees) by least squares with an intercept, with
    ``outline_registration_prior_deg2_s`` degree²-seconds of lean variation's worth of weight on ``prior``.

    Each frame counts for ``step_s`` seconds, so the same movement filmed at another frame rate weighs the
    same against the prior (the rate is ``(Σ x y Δt + λ prior) / (Σ x² Δt + λ)``, ``x`` the lean about its
    mean, ``y`` the shift about its mean, ``Δt = step_s``, ``λ`` the setting)."""
    ok = np.isfinite(lean) & np.isfinite(shift)
    if ok.sum() < 3:
        return prior
    x, y = lean[ok] - lean[ok].mean(), shift[ok] - shift[ok].mean()
    lam = config.outline_registration_prior_deg2_s
    return float((step_s * np.sum(x * y) + lam * prior) / (step_s * np.sum(x * x) + lam))


def _uncertainty(sensitivity_deg: np.ndarray, config: KinematicsConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame standard uncertainty of the absolute estimates, degrees.

    ``sqrt(body_sd² + (sensitivity / 2)²)``: the spread of the method's offset across bodies
    (``outline_tilt_body_sd_deg``, ``outline_lordosis_body_sd_deg``, measured on the design population) and
    half the change of the sacral chord when its levels move by ± ``outline_level_shift`` (how much this
    frame's estimate depends on where the hip landmark fell).
    """
    local = np.where(np.isfinite(sensitivity_deg), 0.5 * sensitivity_deg, np.nan)
    tilt = np.hypot(config.outline_tilt_body_sd_deg, local)
    lordosis = np.hypot(config.outline_lordosis_body_sd_deg, local)
    return tilt, lordosis


def _arm_points(ds: xr.Dataset, config: KinematicsConfig) -> np.ndarray:
    """``(time, 2, 3, 2)`` shoulder, elbow, wrist of both arms for the occlusion check.

    Positions as the model placed them, gated on ``presence`` only: an arm hidden behind the trunk still
    lies where the model puts it, and it is exactly the arm that may stick out behind the back.
    """
    keep = (ds["presence"] >= config.min_confidence) & ds["detected"]
    px = ds["position_px"].where(keep)
    return arm_points(px)


def _smooth(ds: xr.Dataset, values: np.ndarray, config: KinematicsConfig) -> np.ndarray:
    """Hampel outlier rejection and the zero-lag low-pass over each run of gated estimates."""
    if ds.sizes["time"] < 2 or not np.isfinite(values).any():
        return values
    da = xr.DataArray(values[:, None], dims=("time", "angle"), coords={"time": ds["time"].values})
    if config.reject_outliers:
        da = filtering.hampel(
            da, half_window_s=config.hampel_half_window_s, n_sigma=config.hampel_n_sigma, min_deviation=1.0
        )
    if config.lowpass:
        fs = filtering.sampling_rate_hz(da)
        if config.cutoff_hz < fs / 2:
            da = filtering.lowpass(
                da,
                cutoff_hz=config.cutoff_hz,
                order=config.filter_order,
                time_jitter_tolerance=config.time_jitter_tolerance,
                max_step_s=max(config.max_gap_s, 1.5 / fs),
            )
    return da.values[:, 0]


def _standing(
    position: xr.DataArray, sagittal: pd.DataFrame, facing: np.ndarray, measured: np.ndarray, config: KinematicsConfig
) -> np.ndarray:
    """Frames of quiet upright standing in side view with a tilt estimate."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        knee = np.nanmax(sagittal[[f"knee_flexion_{s}" for s in _SIDES]].to_numpy(), axis=1)
        thigh = np.nanmax(np.abs(sagittal[[f"thigh_angle_{s}" for s in _SIDES]].to_numpy()), axis=1)
    lean = np.abs(sagittal["trunk_lean"].to_numpy())
    with np.errstate(invalid="ignore"):
        upright = (
            (lean <= config.outline_baseline_max_lean_deg)
            & (knee <= config.outline_baseline_max_knee_deg)
            & (thigh <= config.outline_baseline_max_thigh_deg)
        )
    quiet = _quiet(position, config)
    return np.isfinite(facing) & measured & upright & quiet


def _quiet(position: xr.DataArray, config: KinematicsConfig) -> np.ndarray:
    """Hip centre and both ankles slower than ``outline_baseline_max_speed`` torso lengths per second."""
    time = position["time"].values.astype(np.float64)
    if time.size < 2:
        return np.ones(time.size, dtype=bool)
    speeds = support_speeds(position, time_s=time, hip_fallback=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fastest = np.nanmax(speeds, axis=0)
    with np.errstate(invalid="ignore"):
        return fastest <= config.outline_baseline_max_speed  # a frame with no point measured is not quiet


def _baseline(
    time: np.ndarray, standing: np.ndarray, tilt: np.ndarray, lordosis: np.ndarray, config: KinematicsConfig
) -> OutlineBaseline:
    """The median of each estimate over the standing frames, if they add up to ``outline_baseline_min_s``."""
    step = float(np.median(np.diff(time))) if time.size > 1 else 0.0
    standing_s = float(standing.sum()) * step
    out = {
        "pelvic_tilt_deg": float("nan"),
        "lumbar_lordosis_deg": float("nan"),
        "standing_s": standing_s,
        "frames": int(standing.sum()),
    }
    if standing_s >= config.outline_baseline_min_s and standing.any():
        for key, values in (("pelvic_tilt_deg", tilt), ("lumbar_lordosis_deg", lordosis)):
            chosen = values[standing & np.isfinite(values)]
            if chosen.size * step >= config.outline_baseline_min_s:
                out[key] = float(np.median(chosen))
    return OutlineBaseline(**out)
