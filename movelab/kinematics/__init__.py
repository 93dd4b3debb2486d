"""Kinematics: per-frame angles from the landmark Dataset (no OpenCV, no MediaPipe, no matplotlib).

The angles and their conventions are defined once in ``docs/conventions.md``; the processing chain and
its defaults are in ``docs/kinematics.md``. Typical use::

    from movelab import landmarks
    from movelab.kinematics import compute_angles, detect_views

    ds = landmarks.load("landmarks.nc")
    views = detect_views(ds)                 # start_s, end_s, view, start_frame, end_frame
    angles = compute_angles(ds, views=views)  # time_s, frame, *ANGLE_NAMES (degrees)
    motion = compute_motion(ds)              # the analysis data every later stage reads (Motion)
"""

from movelab.kinematics.angles import compute_angles, compute_kinematics
from movelab.kinematics.camera_roll import CameraRoll, estimate_camera_roll, level_landmarks
from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.conventions import ANGLE_NAMES, ANGLES, FRONTAL, SAGITTAL, VIEWS, AngleSpec, View
from movelab.kinematics.filtering import (
    confidence_score,
    gate_confidence,
    hampel,
    interpolate_gaps,
    lowpass,
)
from movelab.kinematics.geometry import midpoint, point, signed_angle_deg, torso_length, unsigned_angle_deg
from movelab.kinematics.joint_angles import frontal_angles, sagittal_angles
from movelab.kinematics.motion import Motion, Positions, clean_variants, compute_motion
from movelab.kinematics.outline import (
    OUTLINE_ESTIMATE_COLUMNS,
    OutlineBaseline,
    outline_angles,
    outline_baseline,
    outline_estimates,
)
from movelab.kinematics.swaps import detect_leg_swaps, fix_leg_swaps, swap_legs
from movelab.kinematics.tables import TIME_INDEX, frame_table, time_indexed, time_s_of
from movelab.kinematics.views import (
    UNKNOWN,
    classify_views,
    detect_views,
    estimate_yaw,
    facing_sign,
    frontal_sign,
    views_per_frame,
)

__all__ = [
    "TIME_INDEX",
    "frame_table",
    "time_indexed",
    "time_s_of",
    # the analysis data model (docs/architecture.md)
    "Motion",
    "Positions",
    "compute_motion",
    "clean_variants",
    # the camera's roll (docs/kinematics.md)
    "CameraRoll",
    "estimate_camera_roll",
    "level_landmarks",
    # the angle table
    "compute_angles",
    "compute_kinematics",
    "KinematicsConfig",
    "ANGLE_NAMES",
    "ANGLES",
    "AngleSpec",
    "SAGITTAL",
    "FRONTAL",
    # views
    "VIEWS",
    "View",
    "UNKNOWN",
    "detect_views",
    "classify_views",
    "estimate_yaw",
    "views_per_frame",
    "facing_sign",
    "frontal_sign",
    # cleaning
    "clean_positions",
    "confidence_score",
    "gate_confidence",
    "interpolate_gaps",
    "hampel",
    "lowpass",
    "detect_leg_swaps",
    "fix_leg_swaps",
    "swap_legs",
    # geometry
    "signed_angle_deg",
    "unsigned_angle_deg",
    "point",
    "midpoint",
    "torso_length",
    "sagittal_angles",
    "frontal_angles",
    # outline estimates (pelvic tilt, lumbar lordosis; docs/outline.md)
    "outline_angles",
    "outline_estimates",
    "outline_baseline",
    "OutlineBaseline",
    "OUTLINE_ESTIMATE_COLUMNS",
]
