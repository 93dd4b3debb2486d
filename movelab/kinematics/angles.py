"""The angle table: every joint and segment angle of docs/conventions.md per frame, in degrees.

:func:`compute_angles` runs the whole chain (views, cleaning, planar angles, outline estimates);
:func:`angle_tables` builds the table from positions already cleaned (as :func:`movelab.kinematics.compute_motion`
does). The geometry lives in :mod:`movelab.kinematics.geometry`, the planar angle sets in
:mod:`movelab.kinematics.joint_angles` (``signed_angle_deg``, ``sagittal_angles`` ... are re-exported here).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics.camera_roll import levelled
from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.conventions import ANGLE_NAMES
from movelab.kinematics.frontal_legs import frontal_leg_centres
from movelab.kinematics.frontal_pelvis import arm_positions, pelvic_obliquity
from movelab.kinematics.geometry import signed_angle_deg, unsigned_angle_deg
from movelab.kinematics.inputs import check_config, check_landmarks
from movelab.kinematics.joint_angles import frontal_angles, sagittal_angles
from movelab.kinematics.markers import pelvic_tilt_with_source
from movelab.kinematics.outline import outline_estimates
from movelab.kinematics.tables import frame_table
from movelab.kinematics.views import facing_sign, frontal_sign, views_per_frame

__all__ = [
    "signed_angle_deg",
    "unsigned_angle_deg",
    "sagittal_angles",
    "frontal_angles",
    "compute_angles",
    "compute_kinematics",
    "angle_tables",
]

_SIDES = ("left", "right")


def compute_angles(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig(), views=None) -> pd.DataFrame:
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
        (:func:`movelab.kinematics.outline_angles`, docs/outline.md): NaN where the outline is
        missing or below the quality gate. Their change from standing and their quality are in
        :func:`movelab.kinematics.outline_estimates`.

    Notes
    -----
    Chain: the camera's roll taken out (:mod:`movelab.kinematics.camera_roll`) → views →
    :func:`movelab.kinematics.clean_positions` (leg-swap fix, confidence gate, Hampel,
    short-gap fill, zero-lag low-pass) → :func:`sagittal_angles` with the facing sign of side views and
    :func:`frontal_angles` with the front/back sign (``knee_fppa_*`` from the joint centres of
    :func:`movelab.kinematics.frontal_legs.frontal_leg_centres` unless ``fppa_joint_centres="landmarks"``) →
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
    ds, _ = levelled(ds, config=config, stacklevel=4)  # the camera's roll out of every position, once
    frame_views = views_per_frame(ds, views, config=config)
    position = clean_positions(ds, config=config, views=frame_views)
    return angle_tables(ds, position=position, frame_views=frame_views, config=config)


def fppa_outline(ds: xr.Dataset, config: KinematicsConfig) -> np.ndarray | None:
    """The outline the FPPA's leg joint centres read (``config.fppa_outline``): the one moved onto the picture's
    edges where kept and asked for, else the mask's; None without either."""
    for name in ("outline_edges_px", "outline_px") if config.fppa_outline == "edges" else ("outline_px",):
        if name in ds:
            return ds[name].values
    return None


def fppa_centre_options(config: KinematicsConfig, *, back: np.ndarray) -> dict:
    """Keyword options of :func:`frontal_leg_centres` for ``config.fppa_joint_centres`` (not "landmarks")."""
    if config.fppa_joint_centres == "outline_halfway":
        return dict(method="outline_halfway", hip_drop=config.fppa_hip_drop)
    return dict(
        method="outline",
        back=back,
        hip_drop=config.fppa_hip_drop_front,
        hip_drop_back=config.fppa_hip_drop_back,
        hip_width_share=config.fppa_hip_width_share,
        hip_spacing=config.fppa_hip_spacing,
        hip_cap=config.fppa_hip_cap,
        hip_beside_hands=config.fppa_hip_beside_hands,
        hip_merged_thighs=config.fppa_hip_merged_thighs,
        knee_raise_back=config.fppa_knee_raise_back,
        knee_height_back=config.fppa_knee_height_back,
        knee_bend_min_slope_back=config.fppa_knee_bend_min_slope_back,
        knee_bend_raise_back=config.fppa_knee_bend_raise_back,
        hip_thighs_back=config.fppa_hip_thighs_back,
        hip_thighs_front=config.fppa_hip_thighs_front,
        knee_outline_share=config.fppa_knee_outline_share,
        knee_height=config.fppa_knee_height,
        knee_bend_fallback=config.fppa_knee_bend_fallback,
        knee_bend_min_slope=config.fppa_knee_bend_min_slope,
        knee_bend_edge_share=config.fppa_knee_bend_edge_share,
        knee_bend_max_span_share=config.fppa_knee_bend_max_span_share,
        knee_bend_median_s=config.fppa_knee_bend_median_s,
        knee_touching=config.fppa_knee_touching,
        knee_touching_back=config.fppa_knee_touching_back,
        knee_width_fallback=config.fppa_knee_width_fallback,
        knee_shank_width_back=config.fppa_knee_shank_width_back,
        hip_merged_legs=config.fppa_hip_merged_legs,
        shank_top=config.fppa_shank_top,
        shank_merged=config.fppa_shank_merged,
        shank_axis=config.fppa_shank_axis,
        other_leg_missing=config.fppa_other_leg_missing,
    )


def _pelvic_obliquity(ds: xr.Dataset, position: xr.DataArray, frame_views: xr.DataArray, config: KinematicsConfig):
    """:func:`movelab.kinematics.frontal_pelvis.pelvic_obliquity`, the arms read from positions gated on
    presence (:func:`movelab.kinematics.frontal_pelvis.arm_positions`) when there is a front or back view."""
    side = frontal_sign(frame_views)
    arms = arm_positions(ds, config=config, views=frame_views) if np.isfinite(side).any() else None
    return pelvic_obliquity(position, side, arms=arms, config=config)


def angle_tables(
    ds: xr.Dataset, *, position: xr.DataArray, frame_views: xr.DataArray, config: KinematicsConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The angle table and the outline table from positions already cleaned (``position``, by
    :func:`movelab.kinematics.clean_positions` with ``config``) and per-frame view labels."""
    columns: dict[str, np.ndarray] = {}
    sagittal = sagittal_angles(
        position,
        facing=facing_sign(frame_views),
        midpoint_fallback=config.side_view_midpoint_fallback,
        shoulder_shift_max=config.side_view_shoulder_shift_max,
    )
    frontal = frontal_angles(position, side=frontal_sign(frame_views))
    obliquity = _pelvic_obliquity(ds, position, frame_views, config)
    frontal["pelvic_obliquity"] = obliquity.value_deg
    knees_merged = np.zeros(position.sizes["time"], dtype=bool)
    if config.fppa_joint_centres != "landmarks":
        centres = frontal_leg_centres(
            position,
            fppa_outline(ds, config),
            np.isfinite(frontal_sign(frame_views)),
            **fppa_centre_options(config, back=frontal_sign(frame_views) < 0),
        )
        legs = frontal_angles(centres, side=frontal_sign(frame_views))
        for s in _SIDES:
            frontal[f"knee_fppa_{s}"] = legs[f"knee_fppa_{s}"]
        if "knees_merged" in centres.coords:  # absent without a front or back frame
            knees_merged = centres.coords["knees_merged"].values
    outline = outline_estimates(ds, views=frame_views, position=position, config=config, warn_missing=False)
    in_side = np.isfinite(facing_sign(frame_views))
    for table in (sagittal, frontal):
        columns.update({name: table[name].to_numpy() for name in table.columns})
    for name in ("pelvic_tilt", "lumbar_lordosis"):
        columns[name] = np.where(in_side, outline[name].to_numpy(dtype=np.float64), np.nan)
    tilt, source, tilt_info = pelvic_tilt_with_source(
        ds, frame_views, columns["pelvic_tilt"], calibration=config.client_calibration, with_info=False
    )
    columns["pelvic_tilt"] = np.where(in_side, tilt, np.nan)
    outline = outline.assign(pelvic_tilt_source=np.where(np.isfinite(columns["pelvic_tilt"]), source, ""))
    outline = outline.assign(pelvic_obliquity_source=obliquity.source, knees_merged=knees_merged)
    if "sd_deg" in tilt_info:  # marker mode: the stickers' per-frame uncertainty (parallax, dots)
        outline = outline.assign(pelvic_tilt_marker_sd=np.where(in_side, tilt_info["sd_deg"], np.nan))
    if tilt_info["calibration"] is not None:  # the outline table reports the calibrated tilt as well
        outline["pelvic_tilt"] = outline["pelvic_tilt"] - config.client_calibration.pelvic_tilt_offset_deg
    for s in _SIDES:
        columns[f"hip_flexion_pelvic_{s}"] = columns[f"thigh_angle_{s}"] + columns["pelvic_tilt"]
    table = frame_table(ds)
    for name in ANGLE_NAMES:
        table[name] = np.asarray(columns[name], dtype=np.float64)
    return table, outline
