"""Outline features from a person mask: the body's silhouette as a fixed number of contour points.

Whole masks are never kept: each frame's mask is reduced to the outer contour of the client's blob,
resampled by arc length to ``n_points`` points (float32 pixels of the upright picture). The back and
front contours in side view (lower thorax, lumbar curve, sacrum and buttocks, abdomen) are parts of this
outline; the kinematics find them relative to the landmarks.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["outline_from_mask", "MASK_THRESHOLD"]

#: Mask values above this are the person (MediaPipe's mask is a per-pixel probability).
MASK_THRESHOLD = 0.5


def outline_from_mask(mask: np.ndarray, *, n_points: int = 512, anchor_px: np.ndarray | None = None) -> np.ndarray:
    """The client's outer contour, resampled to ``n_points`` by arc length.

    Parameters
    ----------
    mask
        ``(H, W)`` float mask in [0, 1].
    n_points
        Number of output points.
    anchor_px
        A point inside the client (e.g. the hip centre, pixels). The blob containing it (or nearest to
        it) is used; otherwise the largest blob.

    Returns
    -------
    numpy.ndarray
        ``(n_points, 2)`` float32 ``(x, y)`` pixels, starting at the topmost point and running
        clockwise on screen (x right, y down); all NaN when the mask is empty.

    Notes
    -----
    The contour follows the pixel boundary of ``mask > MASK_THRESHOLD`` (OpenCV ``findContours``,
    external only, so holes such as the gap between arm and trunk are ignored when closed).
    """
    binary = (mask > MASK_THRESHOLD).astype(np.uint8)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.full((n_points, 2), np.nan, dtype=np.float32)
    contour = _pick_contour(contours, anchor_px).reshape(-1, 2).astype(np.float64)
    return _resample_closed(_start_at_top_clockwise(contour), n_points).astype(np.float32)


def _pick_contour(contours, anchor_px):
    if anchor_px is not None and np.all(np.isfinite(anchor_px)):
        point = (float(anchor_px[0]), float(anchor_px[1]))
        distances = [cv2.pointPolygonTest(c, point, True) for c in contours]
        return contours[int(np.argmax(distances))]
    return max(contours, key=cv2.contourArea)


def _start_at_top_clockwise(contour: np.ndarray) -> np.ndarray:
    # In image coordinates (y down) a positive shoelace sum means clockwise on screen.
    x, y = contour[:, 0], contour[:, 1]
    signed_area = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
    if signed_area < 0:
        contour = contour[::-1]
    top = int(np.lexsort((contour[:, 0], contour[:, 1]))[0])
    return np.roll(contour, -top, axis=0)


def _resample_closed(points: np.ndarray, n_points: int) -> np.ndarray:
    closed = np.vstack([points, points[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    if arc[-1] == 0:
        return np.repeat(points[:1], n_points, axis=0)
    targets = np.linspace(0.0, arc[-1], n_points, endpoint=False)
    return np.column_stack([np.interp(targets, arc, closed[:, i]) for i in range(2)])
