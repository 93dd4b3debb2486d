"""A posed stick figure as a landmark Dataset: synthetic motions with exactly known angles.

For tests and examples. The figure is built by forward kinematics in a body frame (``F`` forward, ``L``
the client's left, ``U`` up) from the quantities of docs/conventions.md, then projected orthographically
by a camera at any yaw. It never calls the angle code, so angles measured on it can be checked against
the values it was posed with.

Exactness: sagittal parameters (``thigh_angle``, ``knee_flexion``, ``ankle_dorsiflexion``,
``trunk_lean``) are reproduced exactly in side views when the frontal ones are zero; frontal parameters
(``pelvic_obliquity``, ``knee_fppa``, ``trunk_lateral_lean``) exactly in front and back views when the
sagittal ones are zero. The implied ``hip_flexion`` is ``thigh_angle + trunk_lean``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from movelab import landmarks
from movelab.errors import ConfigError
from movelab.landmarks import KEYPOINTS

__all__ = ["POSE_PARAMETERS", "VIEW_YAW_DEG", "stick_figure"]

#: Pose parameters (degrees) the figure accepts; all default to 0 (standing upright, feet flat).
POSE_PARAMETERS: tuple[str, ...] = (
    "thigh_angle_left",
    "thigh_angle_right",
    "knee_flexion_left",
    "knee_flexion_right",
    "ankle_dorsiflexion_left",
    "ankle_dorsiflexion_right",
    "trunk_lean",
    "pelvic_obliquity",
    "knee_fppa_left",
    "knee_fppa_right",
    "trunk_lateral_lean",
)

#: Camera yaw of each named view: 0 the client faces the camera, +90 faces image right.
VIEW_YAW_DEG: dict[str, float] = {"front": 0.0, "side_right": 90.0, "back": 180.0, "side_left": -90.0, "oblique": 45.0}

# Segment lengths and offsets in metres (an adult of about 1.75 m).
_HIP_HEIGHT, _TORSO, _THIGH, _SHANK = 0.92, 0.50, 0.45, 0.43
_HIP_WIDTH, _SHOULDER_WIDTH = 0.20, 0.38
_FACE = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "mouth_left",
    "mouth_right",
)


def stick_figure(
    time_s,
    *,
    view: str | float | np.ndarray = "side_right",
    pose: Mapping[str, float | np.ndarray] | None = None,
    forward_m: float | np.ndarray = 0.0,
    px_per_m: float = 300.0,
    width_px: int = 1280,
    height_px: int = 720,
    world: bool = True,
) -> xr.Dataset:
    """A landmark Dataset of a stick figure moving as described.

    Parameters
    ----------
    time_s
        Frame times, seconds, shape ``(n,)``.
    view
        A view name (``VIEW_YAW_DEG``), or the client's yaw to the camera in degrees (0 facing the camera,
        +90 facing image right), a number or an array of shape ``(n,)`` (the client turning).
    pose
        Parameters from ``POSE_PARAMETERS`` (degrees), each a number or an array of shape ``(n,)``.
    forward_m
        Displacement of the pelvis along the client's forward direction, metres (walking).
    px_per_m
        Picture scale.
    width_px, height_px
        Picture size; the pelvis starts at the horizontal centre, the feet near the bottom.
    world
        Fill ``position_world_m`` (MediaPipe world axes: x image right, y down, z away from the camera,
        origin between the hips); otherwise it is NaN.

    Returns
    -------
    xarray.Dataset
        Validated landmark Dataset; visibility and presence 1, except the face (visibility 0.1) when the
        client turns the back to the camera.
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    n = time_s.size
    pose = dict(pose or {})
    unknown = sorted(set(pose) - set(POSE_PARAMETERS))
    if unknown:
        raise ConfigError(f"unknown pose parameters {unknown}; expected some of {list(POSE_PARAMETERS)}")
    if isinstance(view, str):
        if view not in VIEW_YAW_DEG:
            raise ConfigError(f"view must be one of {list(VIEW_YAW_DEG)} or a yaw in degrees, got {view!r}")
        yaw = np.full(n, VIEW_YAW_DEG[view])
    else:
        yaw = np.broadcast_to(np.asarray(view, dtype=np.float64), (n,))
    angle = {
        name: np.radians(np.broadcast_to(np.asarray(pose.get(name, 0.0), dtype=np.float64), (n,)))
        for name in POSE_PARAMETERS
    }
    body = _pose_body(angle, np.broadcast_to(np.asarray(forward_m, dtype=np.float64), (n,)))
    psi = np.radians(yaw)
    # Camera axes in body coordinates (F, L, U), per frame: image x, image y (down), depth z (away).
    x_axis = np.column_stack([np.sin(psi), np.cos(psi), np.zeros(n)])
    y_axis = np.broadcast_to(np.array([0.0, 0.0, -1.0]), (n, 3))
    z_axis = np.cross(x_axis, y_axis)
    along = lambda axis: np.einsum("nkc,nc->nk", body, axis)  # noqa: E731
    px = np.empty((n, len(KEYPOINTS), 2))
    px[..., 0] = width_px / 2 + px_per_m * along(x_axis)
    px[..., 1] = height_px - 0.05 * height_px + px_per_m * along(y_axis)
    world_m = np.full((n, len(KEYPOINTS), 3), np.nan)
    if world:
        hip_mid = (body[:, [KEYPOINTS.index("left_hip")]] + body[:, [KEYPOINTS.index("right_hip")]]) / 2
        world_m = np.stack(
            [np.einsum("nkc,nc->nk", body - hip_mid, axis) for axis in (x_axis, y_axis, z_axis)], axis=-1
        )
    visibility = np.ones((n, len(KEYPOINTS)))
    back = np.cos(psi) < -0.5
    visibility[np.ix_(back, [KEYPOINTS.index(k) for k in _FACE])] = 0.1
    return landmarks.from_arrays(
        time_s=time_s,
        position_px=px,
        position_world_m=world_m,
        visibility=visibility,
        width_px=width_px,
        height_px=height_px,
        attrs={"source_path": "stick_figure", "fps": float(1 / np.median(np.diff(time_s))) if n > 1 else 0.0},
    )


def _pose_body(a: Mapping[str, np.ndarray], forward_m: np.ndarray) -> np.ndarray:
    """``(n, 33, 3)`` keypoints in body coordinates (F, L, U), metres, origin on the ground."""
    n = forward_m.size
    F, L, U = np.eye(3)
    out = np.zeros((n, len(KEYPOINTS), 3))

    def put(name: str, value: np.ndarray) -> None:
        out[:, KEYPOINTS.index(name)] = value

    def vec(f, left, u) -> np.ndarray:
        return np.outer(f, F) + np.outer(left, L) + np.outer(u, U)

    ones = np.ones(n)
    hip_mid = vec(forward_m, 0 * ones, _HIP_HEIGHT * ones)
    o = a["pelvic_obliquity"]
    across = vec(0 * ones, np.cos(o), np.sin(o)) * _HIP_WIDTH / 2
    lean, lateral = a["trunk_lean"], a["trunk_lateral_lean"]
    trunk_up = vec(np.sin(lean) * np.cos(lateral), np.sin(lateral), np.cos(lean) * np.cos(lateral))
    shoulder_mid = hip_mid + _TORSO * trunk_up
    for side, sign in (("left", 1.0), ("right", -1.0)):
        hip = hip_mid + sign * across
        theta, kappa = a[f"thigh_angle_{side}"], a[f"knee_flexion_{side}"]
        delta, fppa = a[f"ankle_dorsiflexion_{side}"], a[f"knee_fppa_{side}"]
        knee = hip + _THIGH * vec(np.sin(theta), 0 * ones, -np.cos(theta))
        shank = theta - kappa  # shank angle from the downward vertical, forward positive
        # Valgus: the ankle moves laterally (away from the other leg), leaving the knee medial.
        ankle = knee + _SHANK * vec(np.sin(shank) * np.cos(fppa), sign * np.sin(fppa), -np.cos(shank) * np.cos(fppa))
        foot = theta - kappa + delta  # foot (heel→toe) angle above the forward horizontal
        along, below = vec(np.cos(foot), 0 * ones, np.sin(foot)), vec(np.sin(foot), 0 * ones, -np.cos(foot))
        heel = ankle - 0.05 * along + 0.05 * below
        put(f"{side}_hip", hip)
        put(f"{side}_knee", knee)
        put(f"{side}_ankle", ankle)
        put(f"{side}_heel", heel)
        put(f"{side}_foot_index", heel + 0.22 * along)
        shoulder = shoulder_mid + sign * vec(0 * ones, _SHOULDER_WIDTH / 2 * ones, 0 * ones)
        elbow = shoulder + vec(0.02 * ones, 0 * ones, -0.28 * ones)
        wrist = elbow + vec(0.06 * ones, 0 * ones, -0.25 * ones)
        put(f"{side}_shoulder", shoulder)
        put(f"{side}_elbow", elbow)
        put(f"{side}_wrist", wrist)
        for part, drop in (("pinky", 0.08), ("index", 0.09), ("thumb", 0.05)):
            put(f"{side}_{part}", wrist + vec(0.02 * ones, 0 * ones, -drop * ones))
        head = shoulder_mid + 0.22 * trunk_up
        put(f"{side}_ear", head + sign * vec(0 * ones, 0.075 * ones, 0 * ones))
        for part, offset in (("eye_inner", 0.02), ("eye", 0.035), ("eye_outer", 0.05)):
            put(f"{side}_{part}", head + vec(0.08 * ones, sign * offset * ones, 0.04 * ones))
        put(f"mouth_{side}", head + vec(0.09 * ones, sign * 0.025 * ones, -0.05 * ones))
    put("nose", head + vec(0.10 * ones, 0 * ones, 0 * ones))
    return out
