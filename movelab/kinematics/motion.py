"""The analysis data model: one :class:`Motion` per video, built once by :func:`compute_motion` and read by every
later stage (events, findings, report, plots).

A Motion holds the landmark Dataset, the kinematics settings it was computed with, the views, the cleaned
keypoint positions (each cleaning variant once: :class:`Positions`), the angle table and the outline table.
The events stage reads its positions from here instead of cleaning the landmarks again, so the user's
kinematics settings reach every stage and nothing is computed twice (docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import InputError
from movelab.kinematics.angles import angle_tables
from movelab.kinematics.camera_roll import CameraRoll, levelled
from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.inputs import check_config, check_landmarks
from movelab.kinematics.markers import pelvic_tilt_info
from movelab.kinematics.mirrors import fix_frontal_mirrors
from movelab.kinematics.outline import OutlineBaseline, outline_baseline
from movelab.kinematics.views import detect_views, views_per_frame

__all__ = ["Positions", "Motion", "compute_motion", "clean_variants"]


@dataclass(frozen=True, eq=False)
class Positions:
    """The cleaned keypoint positions of one video, each variant of the cleaning chain computed once.

    Each is ``position_px (time, keypoint, space_2d)``, pixels of the upright picture
    (:func:`movelab.kinematics.clean_positions`).

    Attributes
    ----------
    cleaned
        The whole chain (leg-swap fixes, gate, Hampel, gap fill, low-pass): angles, outline, reps, findings.
    unfiltered
        Without the low-pass (the gait methods filter their own tracks) and without the partial leg-swap
        fix, which can splice one foot's points into the other's track: the labelled feet of gait seen away
        from the side.
    label_free
        Only gated and gap-filled (no leg-swap fixes, no outlier rejection, no low-pass), for the side-view
        gait velocity method, which sorts the feet into front and rear itself (docs/events.md).
    """

    cleaned: xr.DataArray
    unfiltered: xr.DataArray
    label_free: xr.DataArray


def clean_variants(ds: xr.Dataset, *, config: KinematicsConfig, frame_views: xr.DataArray) -> Positions:
    """The three cleaning variants of :class:`Positions` from one settings object.

    The ``cleaned`` variant warns (e.g. a frame rate too low to low-pass); the other two repeat the same
    steps and are silenced.
    """
    cleaned = clean_positions(ds, config=config, views=frame_views)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        unfiltered = clean_positions(
            ds,
            config=dataclasses.replace(config, lowpass=False, swap_partial=False, swap_stance=False),
            views=frame_views,
        )
        label_free = clean_positions(
            ds,
            config=dataclasses.replace(
                config, lowpass=False, swap_partial=False, fix_leg_swaps=False, reject_outliers=False
            ),
            views=frame_views,
        )
    return Positions(cleaned=cleaned, unfiltered=unfiltered, label_free=label_free)


@dataclass(frozen=True, eq=False)
class Motion:
    """Everything the kinematics stage measured in one video, the input of every later stage.

    Attributes
    ----------
    landmarks
        The landmark Dataset (``movelab.landmarks``), levelled for the camera's roll when one was taken out
        (attribute ``camera_roll_applied_deg``; :func:`movelab.kinematics.camera_roll.level_landmarks`), and
        with the labels of whole-body mirrors in front and back views put back (attribute
        ``frontal_mirror_frames``; :func:`movelab.kinematics.mirrors.fix_frontal_mirrors`).
    config
        The kinematics settings the rest was computed with.
    views
        The views as given or detected: the table of :func:`movelab.kinematics.detect_views`
        (``start_s``, ``end_s``, ``view``, ...), one view name, or per-frame labels.
    frame_views
        One view label per frame (:func:`movelab.kinematics.views_per_frame`).
    positions
        The cleaned keypoint positions, each variant once (:class:`Positions`).
    angles
        The angle table (:func:`movelab.kinematics.compute_angles`): ``time_s``, ``frame`` and every angle
        of docs/conventions.md, degrees, one row per frame.
    outline
        The outline table (:func:`movelab.kinematics.outline_estimates`): estimates, their change from
        standing and their qualities, one row per frame.
    camera_roll
        The camera's roll: estimate, source, what was taken out (:class:`movelab.kinematics.CameraRoll`;
        None for a Motion built without :func:`compute_motion`).

    Notes
    -----
    Frozen: a variant (e.g. angles edited for a test) is ``dataclasses.replace(motion, angles=...)``, which
    checks again that every table has the Dataset's frames.
    """

    landmarks: xr.Dataset
    config: KinematicsConfig
    views: object
    frame_views: xr.DataArray
    positions: Positions
    angles: pd.DataFrame
    outline: pd.DataFrame
    camera_roll: CameraRoll | None = None

    def __post_init__(self) -> None:
        check_landmarks(self.landmarks)
        check_config(self.config)
        frames = self.landmarks["frame"].values
        for name in ("angles", "outline"):
            table = getattr(self, name)
            if not isinstance(table, pd.DataFrame) or "frame" not in table.columns:
                raise InputError(
                    f"Motion.{name} must be a table with a frame column (one row per frame of the "
                    f"landmark Dataset), got {type(table).__name__}"
                )
            if len(table) != frames.size or not np.array_equal(table["frame"].to_numpy(), frames):
                raise InputError(
                    f"Motion.{name} has {len(table)} rows but the landmark Dataset {frames.size} "
                    "frames (or their frame numbers differ): compute it from the same Dataset"
                )
        for name in ("cleaned", "unfiltered", "label_free"):
            if getattr(self.positions, name).sizes.get("time") != frames.size:
                raise InputError(
                    f"Motion.positions.{name} must have the {frames.size} frames of the landmark "
                    f"Dataset, got {getattr(self.positions, name).sizes.get('time')}"
                )

    @property
    def outline_baseline(self) -> OutlineBaseline:
        """The client's standing outline estimates (:func:`movelab.kinematics.outline_baseline`)."""
        return outline_baseline(self.outline, config=self.config)

    @property
    def pelvic_tilt_source(self) -> dict:
        """Where the angle table's pelvic tilt came from and what to say about it: ``mode`` (``markers`` or
        ``outline``), ``note``, ``calibration`` (the client's own offset applied, or None), in marker mode
        ``client_calibration`` (what this session yields for later ones), in outline mode ``median_sd_deg``
        (:func:`movelab.kinematics.markers.pelvic_tilt_info`)."""
        return pelvic_tilt_info(
            self.landmarks, self.frame_views, self.outline, calibration=self.config.client_calibration
        )

    @property
    def pelvic_obliquity_source(self) -> np.ndarray:
        """Per frame, where the angle table's ``pelvic_obliquity`` came from: ``"hands"`` (the wrists' line,
        the hands resting on the hips), ``"hips"`` (the hip landmarks' line) or ``""``
        (:func:`movelab.kinematics.frontal_pelvis.pelvic_obliquity`)."""
        if "pelvic_obliquity_source" in self.outline.columns:
            return self.outline["pelvic_obliquity_source"].to_numpy(dtype=str)
        return np.where(np.isfinite(self.angles["pelvic_obliquity"].to_numpy(dtype=np.float64)), "hips", "")

    @property
    def knees_merged(self) -> np.ndarray:
        """Per frame, True where the knee FPPA is NaN because the knees' outlines merged (knees together or
        loose clothing) and could not be told apart (:mod:`movelab.kinematics.frontal_legs`)."""
        if "knees_merged" in self.outline.columns:
            return self.outline["knees_merged"].to_numpy(dtype=bool)
        return np.zeros(self.time_s.size, dtype=bool)

    @property
    def time_s(self) -> np.ndarray:
        """Per frame, seconds from the video's timestamps."""
        return self.landmarks["time"].values.astype(np.float64)

    @property
    def frame(self) -> np.ndarray:
        """Per frame, the frame index in the video."""
        return self.landmarks["frame"].values.astype(np.int64)


def compute_motion(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig(), views=None) -> Motion:
    """Views, cleaned positions (each variant once), angles and outline estimates of one video.

    Parameters
    ----------
    ds
        Landmark Dataset (``movelab.landmarks``).
    config
        All kinematics settings (:class:`KinematicsConfig`); every later stage reads positions cleaned with
        these.
    views
        ``None`` to detect them (:func:`movelab.kinematics.detect_views`), or as
        :func:`movelab.kinematics.views_per_frame` accepts (a table, one view name, per-frame labels).

    Returns
    -------
    Motion
    """
    check_landmarks(ds)
    check_config(config)
    if not bool(ds["detected"].any()):
        warnings.warn("the client was not detected in any frame; every angle is NaN", UserWarning, stacklevel=2)
    ds, roll = levelled(ds, config=config)
    ds = fix_frontal_mirrors(ds, config=config)  # the landmarks the views and every later stage read agree
    if views is None:
        views = detect_views(ds, config=config)
    frame_views = views_per_frame(ds, views, config=config)
    positions = clean_variants(ds, config=config, frame_views=frame_views)
    angles, outline = angle_tables(ds, position=positions.cleaned, frame_views=frame_views, config=config)
    return Motion(
        landmarks=ds,
        config=config,
        views=views,
        frame_views=frame_views,
        positions=positions,
        angles=angles,
        outline=outline,
        camera_roll=roll,
    )
