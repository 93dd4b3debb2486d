"""The person outline moved onto the picture's own edges: the mask's contour, each point snapped along its normal
to the nearest clear brightness step.

MediaPipe's person mask comes from a small internal picture scaled up: its edge lies up to 1-3 px off the body's
edge in the picture and bridges or widens narrow gaps (between the shanks in a narrow stance seen from behind it
moved the shank's fitted midline 1.5-3 px at the knee where the picture's own edges put it within 0.1 px,
docs/findings-decisions.md, *The narrow stance from behind: the mask's edges*). Each contour point is moved along
the contour's normal, within ``radius_px``, to the middle of the nearest run of fast change across it in the
(lightly blurred) grey picture, with sub-pixel precision; where no step is clear (the body's edge against a
background of the same brightness), the mask's point is kept. Only the knee FPPA's leg outlines read these points
(``outline_edges_px``); every other outline measure reads the mask's own contour (``outline_px``).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["snap_outline_to_edges", "outline_edges_again", "EDGE_RADIUS_PX", "EDGE_MIN_STEP"]

#: How far along its normal a contour point may move (picture pixels).
EDGE_RADIUS_PX = 3.0
#: The smallest brightness change per pixel across the contour (grey levels of 0-255, after the blur) that counts as
#: the body's edge.
EDGE_MIN_STEP = 6.0
_STEP_PX = 0.25  # sampling step along the normal
_BLUR_SIGMA_PX = 0.8
_RUN_MARGIN_PX = 1.5
_MIN_PEAK_SHARE = 0.5  # steep: at least this share of the steepest change within reach


def snap_outline_to_edges(
    gray: np.ndarray, outline_px: np.ndarray, *, radius_px: float = EDGE_RADIUS_PX, min_step: float = EDGE_MIN_STEP
) -> np.ndarray:
    """``outline_px`` with each point moved along the contour's normal onto the picture's nearest clear edge within
    ``radius_px``: the slope-weighted middle of the nearest run of steep brightness change (at least ``min_step``
    and half the steepest change within reach), not the steepest one, which across a narrow gap can be the far
    side's.

    Parameters
    ----------
    gray
        ``(H, W)`` grey picture (uint8 or float, 0-255) the outline's pixels refer to.
    outline_px
        ``(n, 2)`` closed contour ``(x, y)`` (NaN rows: none), as :func:`movelab.pose.mask_features.outline_from_mask`.
    radius_px
        The farthest a point moves.
    min_step
        A point moves only where the brightness changes by at least this much per pixel across the contour there
        (else it is kept).

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` float32, the same points where no edge is clear.
    """
    points = np.asarray(outline_px, dtype=np.float64)
    out = points.astype(np.float32)
    ok = np.isfinite(points).all(axis=1)
    if ok.sum() < 3:
        return out
    p = points[ok]
    normal = _normals(p)
    reach = radius_px + _RUN_MARGIN_PX  # a step's run reaches past its middle
    offsets = np.arange(-reach, reach + _STEP_PX / 2, _STEP_PX)
    xs = (p[:, None, 0] + offsets[None, :] * normal[:, None, 0]).astype(np.float32)
    ys = (p[:, None, 1] + offsets[None, :] * normal[:, None, 1]).astype(np.float32)
    blurred = cv2.GaussianBlur(np.asarray(gray, dtype=np.float32), (0, 0), _BLUR_SIGMA_PX)
    profile = cv2.remap(blurred, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float64)
    slope = np.abs(np.diff(profile, axis=1)) / _STEP_PX  # between samples k and k+1: offsets[k] + STEP/2
    middle = offsets[:-1] + _STEP_PX / 2
    # a step is a run of steep samples (at least min_step and half the steepest within reach); the nearest run
    # counts, not the steepest: across a narrow gap (between the shanks) the far side's edge is within reach too
    steep = slope >= np.maximum(min_step, _MIN_PEAK_SHARE * slope.max(axis=1, keepdims=True))
    starts = steep & ~np.pad(steep, ((0, 0), (1, 0)))[:, :-1]
    run = np.cumsum(starts, axis=1) * steep
    nearest = np.argmin(np.where(steep, np.abs(middle), np.inf), axis=1)
    rows = np.arange(len(p))
    mine = (run == run[rows, nearest][:, None]) & steep
    weight = np.where(mine, slope, 0.0)
    total = weight.sum(axis=1)
    # the run's slope-weighted middle: where the linearly interpolated picture changes fastest
    where = np.divide((weight * middle).sum(axis=1), total, out=np.zeros(len(p)), where=total > 0)
    inside = ~mine[:, 0] & ~mine[:, -1]  # a run cut by the window's end has its middle out of reach
    move = steep.any(axis=1) & inside & (np.abs(where) <= radius_px)
    snapped = p + np.where(move, where, 0.0)[:, None] * normal
    out[ok] = snapped.astype(np.float32)
    return out


def _normals(p: np.ndarray) -> np.ndarray:
    """Unit normals of the closed contour ``p`` at its points (from the neighbours two points away)."""
    tangent = np.roll(p, -2, axis=0) - np.roll(p, 2, axis=0)
    norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    tangent = np.divide(tangent, norm, out=np.zeros_like(tangent), where=norm > 0)
    return np.column_stack([tangent[:, 1], -tangent[:, 0]])


def outline_edges_again(ds, source) -> np.ndarray:
    """``outline_edges_px`` for a landmark Dataset ``ds`` kept without it: its ``outline_px`` snapped onto the frames
    of the video ``source`` it was extracted from (NaN where the client was not found). Snapped at the video's own
    size: the same as extraction unless the picture was scaled down for the pose model (``max_image_side_px``)."""
    from movelab.io.video import frames_at_rows

    outline = ds["outline_px"].values
    snapped = np.full(outline.shape, np.nan, dtype=np.float32)
    for i, image in frames_at_rows(source, ds["frame"].values, ds["detected"].values):
        snapped[i] = snap_outline_to_edges(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), outline[i])
    return snapped
