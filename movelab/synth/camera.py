"""A pinhole camera placed around the figure by view name or azimuth.

Camera coordinates follow OpenCV: ``x`` right, ``y`` down, ``z`` along the line of sight. Image pixels have
their origin at the top-left corner of the top-left pixel's centre, ``x`` right, ``y`` down
(``docs/conventions.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from movelab.errors import ConfigError

__all__ = ["Camera", "ViewName", "VIEW_AZIMUTH_DEG", "camera_for_view", "view_sides"]

ViewName = Literal["side_left", "side_right", "front", "back", "oblique"]
#: Camera direction seen from the figure, from its facing direction towards its right (degrees).
VIEW_AZIMUTH_DEG: dict[str, float] = {
    "front": 0.0,
    "side_right": 90.0,
    "back": 180.0,
    "side_left": 270.0,
    "oblique": 45.0,
}


@dataclass(frozen=True)
class Camera:
    """A pinhole camera looking from ``position_m`` at ``target_m`` (world), square pixels, no distortion.

    ``pitch_deg`` tilts the camera about its level right axis after aiming (positive: looking further up, the
    scene moves down the picture); ``roll_deg`` then turns it about its line of sight, as a hand-held phone
    is turned (positive: the scene appears turned clockwise on screen, so a level line through the picture
    runs down to the right at ``roll_deg``; a line's image angle is ``atan2(dy, dx)`` with ``y`` down). Both
    default to 0, the level camera of every earlier table.
    """

    position_m: tuple[float, float, float]
    target_m: tuple[float, float, float]
    width_px: int
    height_px: int
    focal_px: float
    roll_deg: float = 0.0
    pitch_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.width_px < 16 or self.height_px < 16 or self.width_px % 2 or self.height_px % 2:
            raise ConfigError(
                f"image size must be even and at least 16x16 (H.264 with yuv420p), got {self.width_px}x{self.height_px}"
            )
        if not self.focal_px > 0:
            raise ConfigError(f"focal length must be > 0 pixels, got {self.focal_px!r}")
        for name in ("roll_deg", "pitch_deg"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and -45.0 <= value <= 45.0):
                raise ConfigError(f"camera {name} must be a number in [-45, 45] degrees, got {value!r}")

    @property
    def rotation(self) -> np.ndarray:
        """World-to-camera rotation; its rows are the camera's right, down and forward axes in world."""
        fwd = np.asarray(self.target_m, float) - np.asarray(self.position_m, float)
        fwd /= np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        down = np.cross(fwd, right)
        if self.pitch_deg:
            p = np.radians(self.pitch_deg)
            fwd, down = np.cos(p) * fwd - np.sin(p) * down, np.cos(p) * down + np.sin(p) * fwd
        level = np.vstack([right, down, fwd])
        if not self.roll_deg:
            return level
        c, s = np.cos(np.radians(self.roll_deg)), np.sin(np.radians(self.roll_deg))
        return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]) @ level

    @property
    def intrinsics(self) -> np.ndarray:
        """The 3x3 matrix K."""
        cx, cy = (self.width_px - 1) / 2.0, (self.height_px - 1) / 2.0
        return np.array([[self.focal_px, 0.0, cx], [0.0, self.focal_px, cy], [0.0, 0.0, 1.0]])

    @property
    def projection(self) -> np.ndarray:
        """The 3x4 matrix P = K [R | -R c]."""
        r = self.rotation
        return self.intrinsics @ np.hstack([r, -(r @ np.asarray(self.position_m, float))[:, None]])

    def to_camera(self, points_m: np.ndarray) -> np.ndarray:
        """World points ``(..., 3)`` in camera coordinates."""
        return (np.asarray(points_m, float) - np.asarray(self.position_m, float)) @ self.rotation.T

    def project(self, points_m: np.ndarray) -> np.ndarray:
        """Pixel positions ``(..., 2)`` of world points ``(..., 3)``."""
        pc = self.to_camera(points_m)
        k = self.intrinsics
        return np.stack(
            [k[0, 0] * pc[..., 0] / pc[..., 2] + k[0, 2], k[1, 1] * pc[..., 1] / pc[..., 2] + k[1, 2]], axis=-1
        )


def view_sides(azimuth_deg: float) -> tuple[str, str]:
    """``(figure_left_on_image, near_side)`` for a camera at ``azimuth_deg`` from a figure's facing direction.

    ``figure_left_on_image`` is "right" for a front view, "left" for a back view and "n/a" within 30 degrees
    of a pure side view; ``near_side`` is the figure's side that faces the camera ("n/a" within 30 degrees of
    front or back).
    """
    az = azimuth_deg % 360.0
    sin_a, cos_a = np.sin(np.radians(az)), np.cos(np.radians(az))
    left_on_image = "n/a" if abs(cos_a) < np.cos(np.radians(60.0)) else ("right" if cos_a > 0 else "left")
    near = "n/a" if abs(sin_a) < np.sin(np.radians(30.0)) else ("right" if sin_a > 0 else "left")
    return left_on_image, near


def camera_for_view(
    view: ViewName = "side_right",
    *,
    azimuth_deg: float | None = None,
    heading_deg: float = 0.0,
    distance_m: float = 4.5,
    camera_height_m: float = 1.0,
    look_at_m: tuple[float, float, float] = (0.0, 0.9, 0.0),
    width_px: int = 640,
    height_px: int = 480,
    fit_width_m: float = 1.6,
    fit_height_m: float = 2.1,
    roll_deg: float = 0.0,
    pitch_deg: float = 0.0,
) -> Camera:
    """A camera around a figure that faces ``heading_deg``.

    Parameters
    ----------
    view : {"side_left", "side_right", "front", "back", "oblique"}
        Names a camera azimuth (:data:`VIEW_AZIMUTH_DEG`); ``azimuth_deg`` overrides it.
    azimuth_deg : float, optional
        Camera direction seen from the figure, from its facing direction towards its right.
    distance_m : float
        Horizontal distance from ``look_at_m`` to the camera.
    camera_height_m : float
        Height of the camera above the floor.
    look_at_m : tuple of float
        World point at the image centre.
    fit_width_m, fit_height_m : float
        A region of this size around ``look_at_m``, at its distance, fills the picture (the focal length is
        chosen so that both fit).
    roll_deg, pitch_deg : float
        A hand-held camera's roll about its line of sight and extra pitch (:class:`Camera`); 0: level.
    """
    if view not in VIEW_AZIMUTH_DEG:
        raise ConfigError(f"view must be one of {sorted(VIEW_AZIMUTH_DEG)}, got {view!r}")
    if not distance_m > 0.5:
        raise ConfigError(f"camera distance must be > 0.5 m, got {distance_m!r}")
    az = VIEW_AZIMUTH_DEG[view] if azimuth_deg is None else float(azimuth_deg)
    yaw = np.radians(heading_deg)
    fwd = np.array([np.cos(yaw), 0.0, -np.sin(yaw)])
    right = np.array([np.sin(yaw), 0.0, np.cos(yaw)])
    a = np.radians(az)
    target = np.asarray(look_at_m, float)
    pos = target + distance_m * (np.cos(a) * fwd + np.sin(a) * right)
    pos[1] = camera_height_m
    dist = float(np.linalg.norm(target - pos))
    focal = min(width_px * dist / fit_width_m, height_px * dist / fit_height_m)
    return Camera(
        tuple(float(v) for v in pos),
        tuple(float(v) for v in target),
        int(width_px),
        int(height_px),
        float(focal),
        roll_deg=float(roll_deg),
        pitch_deg=float(pitch_deg),
    )
