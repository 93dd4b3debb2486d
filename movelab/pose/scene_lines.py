"""The camera's roll read from the scene: straight level and plumb edges of the room around the client.

A level camera shows every level line parallel to the picture (the horizon, a floor-wall junction square to
the camera, a skirting board, a table edge) as a horizontal line, and every plumb line near the picture's
middle (a door frame, a wall corner) as a vertical one. A camera rolled by ``r`` turns them all by ``r``
(positive: clockwise on screen, ``atan2(dy, dx)`` with ``y`` down). Here a few frames are reduced, while the
video is decoded, to the long straight edges outside the people in view; the kinematics stage combines them
with the client's own long axis (:mod:`movelab.kinematics.camera_roll`).

Method, per sampled frame: Canny edges of the grey picture with every person's landmark box (grown to cover
head, hair and clothes) and a 3 px frame along the picture's border blanked; probabilistic Hough segments (on
the edges thickened by one pixel) at least 1/8 of the picture's longer side; each refitted by total least
squares to the edge pixels within 1.5 px of it, moved across the line to the peak of the gradient magnitude
(sub-pixel), twice; a segment on the line of a longer one kept already is dropped; only segments within
:data:`MAX_LINE_DEG` of horizontal (level lines) or vertical (plumb lines) are kept. Over the video, the
length-weighted median of their roll readings, then the length-weighted mean and SD of the readings within
:data:`INLIER_DEG` of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

__all__ = ["SceneLines", "frame_lines", "roll_from_lines", "MAX_LINE_DEG", "INLIER_DEG"]

#: Segments further than this from horizontal or vertical are not read as level or plumb (a roll larger than
#: this is not a hand-held tilt; the user gives it by hand).
MAX_LINE_DEG = 15.0
#: Readings within this of the weighted median are the level/plumb cluster; the rest are slanted objects.
INLIER_DEG = 2.0
_CANNY = (50, 150)
_BORDER_PX = 3  # edges this close to the picture's border are the border (padding, a dark first column)
_GROW = (0.15, 0.25)  # the landmark box grown by this fraction of its height: sides and bottom, top


def _person_boxes_mask(shape: tuple[int, int], people_px: list[np.ndarray]) -> np.ndarray:
    """``uint8`` mask, 1 outside every person's grown landmark box."""
    h, w = shape
    keep = np.ones((h, w), np.uint8)
    for px in people_px:
        finite = px[np.isfinite(px).all(axis=1)]
        if finite.shape[0] < 2:
            continue
        (x0, y0), (x1, y1) = finite.min(axis=0), finite.max(axis=0)
        size = max(y1 - y0, x1 - x0, 10.0)
        side, top = _GROW[0] * size, _GROW[1] * size
        xa, xb = int(max(x0 - side, 0)), int(min(x1 + side, w))
        ya, yb = int(max(y0 - top, 0)), int(min(y1 + side, h))
        keep[ya:yb, xa:xb] = 0
    return keep


def _subpixel(pts: np.ndarray, grad: np.ndarray, horizontal: bool) -> np.ndarray:
    """Edge pixels moved across the line to the peak of the gradient magnitude (a parabola through the pixel
    and its two neighbours across the line): digital staircases otherwise bias short, shallow segments."""
    h, w = grad.shape
    x, y = pts[:, 0].astype(int), pts[:, 1].astype(int)
    ok = (x > 0) & (x < w - 1) & (y > 0) & (y < h - 1)
    x, y = x[ok], y[ok]
    if horizontal:
        lo, mid, hi = grad[y - 1, x], grad[y, x], grad[y + 1, x]
    else:
        lo, mid, hi = grad[y, x - 1], grad[y, x], grad[y, x + 1]
    denom = lo - 2.0 * mid + hi
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(denom < 0, 0.5 * (lo - hi) / denom, 0.0)
    shift = np.clip(shift, -0.5, 0.5)
    out = np.column_stack([x, y]).astype(float)
    out[:, 1 if horizontal else 0] += shift
    return out


def _refit(edges_xy: np.ndarray, seg: np.ndarray, grad: np.ndarray) -> tuple | None:
    """``(angle_deg, length_px, centre, direction)`` of the total-least-squares line through the edge pixels
    near ``seg``, at sub-pixel positions (twice: the second pass selects the pixels near the first fit, undoing
    the Hough segment's own error)."""
    p0 = seg[:2].astype(float)
    d = seg[2:].astype(float) - p0
    length = float(np.hypot(*d))
    if length < 1.0:
        return None
    u = d / length
    for _ in range(2):
        rel = edges_xy - p0
        along = rel @ u
        near = (np.abs(rel @ np.array([-u[1], u[0]])) <= 1.5) & (along >= 0) & (along <= length)
        if near.sum() < 0.5 * length:
            return None
        pts = _subpixel(edges_xy[near], grad, horizontal=abs(u[0]) >= abs(u[1]))
        centre = pts.mean(axis=0)
        _, _, vt = np.linalg.svd(pts - centre, full_matrices=False)
        u = vt[0] if vt[0] @ u >= 0 else -vt[0]
        p0 = centre - u * (length / 2.0)
    return float(np.degrees(np.arctan2(u[1], u[0]))), length, centre, u


def _duplicate(centre: np.ndarray, u: np.ndarray, length: float, kept: list) -> bool:
    """True when a kept segment lies on the same line (within 2 px and 0.3 deg) and overlaps this one."""
    for c, v, n in kept:
        if abs(u @ v) < np.cos(np.radians(0.3)):
            continue
        rel = centre - c
        if abs(rel @ np.array([-v[1], v[0]])) <= 2.0 and abs(rel @ v) < 0.5 * (length + n):
            return True
    return False


def _as_roll(angle_deg: float) -> tuple[float, str] | None:
    """A segment's image angle as a roll reading: level lines read ``angle``, plumb lines ``angle - 90``."""
    a = (angle_deg + 90.0) % 180.0 - 90.0  # (-90, 90]
    if abs(a) <= MAX_LINE_DEG:
        return a, "level"
    b = a - 90.0 if a > 0 else a + 90.0
    if abs(b) <= MAX_LINE_DEG:
        return b, "plumb"
    return None


def frame_lines(image: np.ndarray, people_px: list[np.ndarray]) -> np.ndarray:
    """Roll readings of one frame's long straight edges outside the people.

    Parameters
    ----------
    image
        ``(H, W, 3)`` RGB ``uint8`` (or ``(H, W)`` grey), the upright picture.
    people_px
        Each person's landmarks ``(33, 2)`` in pixels of ``image``; their grown boxes are left out.

    Returns
    -------
    numpy.ndarray
        ``(n, 3)``: roll reading (deg, positive clockwise on screen), length (px), 0 for a level line or 1
        for a plumb line.
    """
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    edges = cv2.Canny(grey, *_CANNY) * _person_boxes_mask((h, w), people_px)
    edges[:_BORDER_PX], edges[-_BORDER_PX:], edges[:, :_BORDER_PX], edges[:, -_BORDER_PX:] = 0, 0, 0, 0
    min_len = max(w, h) / 8.0
    thick = cv2.dilate(edges, np.ones((3, 3), np.uint8))  # Canny breaks shallow staircases; the refit uses ``edges``
    segs = cv2.HoughLinesP(thick, 1, np.pi / 720, threshold=int(min_len / 2), minLineLength=min_len, maxLineGap=10)
    if segs is None:
        return np.empty((0, 3))
    ys, xs = np.nonzero(edges)
    edges_xy = np.column_stack([xs, ys]).astype(float)
    smooth = cv2.GaussianBlur(grey, (5, 5), 1.0).astype(np.float32)
    grad = np.hypot(cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1))
    out, kept = [], []
    segs = segs.reshape(-1, 4)
    for seg in segs[np.argsort(-np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]))]:  # longest first
        fit = _refit(edges_xy, seg, grad)
        if fit is None or _duplicate(fit[2], fit[3], fit[1], kept):
            continue
        kept.append((fit[2], fit[3], fit[1]))
        reading = _as_roll(fit[0])
        if reading is not None:
            out.append((reading[0], fit[1], 0.0 if reading[1] == "level" else 1.0))
    return np.asarray(out, dtype=float).reshape(-1, 3)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


@dataclass
class SceneLines:
    """Roll readings gathered over the sampled frames of one video (small: a few numbers per frame)."""

    every_s: float = 0.5
    readings: list = field(default_factory=list)
    frames: int = 0
    width_px: int = 0
    _next_s: float = -math.inf

    def wants(self, time_s: float) -> bool:
        """True when the frame at ``time_s`` is due for sampling (one every ``every_s``)."""
        return time_s >= self._next_s

    def add(self, image: np.ndarray, time_s: float, people_px: list[np.ndarray]) -> None:
        self._next_s = time_s + self.every_s
        self.frames += 1
        self.width_px = int(image.shape[1])
        self.readings.append(frame_lines(image, people_px))

    def merge(self, other: SceneLines) -> None:
        """Add the readings of another part of the same video (a chunk of parallel extraction)."""
        self.readings.extend(other.readings)
        self.frames += other.frames
        self.width_px = other.width_px or self.width_px

    def attrs(self) -> dict[str, float | int | str]:
        """The Dataset attributes :mod:`movelab.kinematics.camera_roll` reads (:func:`roll_from_lines`)."""
        lines = np.vstack(self.readings) if self.readings else np.empty((0, 3))
        return roll_from_lines(lines, frames=self.frames, width_px=self.width_px)


def roll_from_lines(lines: np.ndarray, *, frames: int, width_px: int) -> dict[str, float | int | str]:
    """The scene's roll from pooled line readings ``(n, 3)`` (:func:`frame_lines`) of ``frames`` frames.

    Returns ``scene_roll_deg`` (NaN when there is too little line: the cluster's length per sampled frame
    below a quarter of the picture's width), ``scene_roll_sd_deg`` (the cluster's length-weighted SD, at
    least 0.2), ``scene_roll_frames`` and ``scene_roll_lines`` (e.g. ``"level 14, plumb 2"``, per frame on
    average, length in picture widths).
    """
    out: dict[str, float | int | str] = {
        "scene_roll_deg": math.nan,
        "scene_roll_sd_deg": math.nan,
        "scene_roll_frames": int(frames),
        "scene_roll_lines": "none",
    }
    if lines.shape[0] == 0 or frames < 1 or width_px < 1:
        return out
    median = _weighted_median(lines[:, 0], lines[:, 1])
    inlier = np.abs(lines[:, 0] - median) <= INLIER_DEG
    kept = lines[inlier]
    support = kept[:, 1].sum() / frames / width_px
    level, plumb = (kept[kept[:, 2] == k, 1].sum() / frames / width_px for k in (0.0, 1.0))
    out["scene_roll_lines"] = f"level {level:.2f}, plumb {plumb:.2f} picture widths per frame"
    if support < 0.25:
        return out
    mean = float(np.average(kept[:, 0], weights=kept[:, 1]))
    sd = float(np.sqrt(np.average((kept[:, 0] - mean) ** 2, weights=kept[:, 1])))
    out["scene_roll_deg"] = round(mean, 3)
    out["scene_roll_sd_deg"] = round(max(sd, 0.2), 3)
    return out
