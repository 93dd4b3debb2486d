"""How fast the body changes shape, with the picture's own motion taken out.

A handheld camera shakes: the whole picture shifts (pan, tilt) and turns (roll) by a smooth random amount, so
every landmark moves in image coordinates while the client stands still. Speeds of single landmarks in the
picture read that sway as the body moving (on the realistic renders of docs/findings-accuracy.md the hip
centre's image speed while standing still was 0.25-0.5 torso lengths/s from the shake alone, the quiet-standing
limit 0.25). What the shake cannot produce is a change of the body's *shape*: the hips and shoulders moving
relative to the ankles, or the ankles relative to each other.

:func:`shape_speeds` compares the support points (hip centre, shoulder centre, both ankles) of two frames a
short window apart, removes the common rigid motion that best maps one set onto the other (least-squares
translation and rotation, the 2-D Kabsch/Procrustes solution, fitted to the points that agree: see
:func:`rigid_residuals`), and returns each point's remaining displacement
per second in torso lengths. A common translation and rotation of the picture leaves exactly zero; a squat
(the hips sinking towards the ankles) or a step (one ankle moving) does not fit a rigid motion and stays.
A whole-body lean about the ankles does fit one (it looks like a camera roll); the upright check of quiet
standing bounds it instead.
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from movelab.kinematics.geometry import median_torso_length, midpoint, point

__all__ = ["SHAPE_POINTS", "shape_speeds", "rigid_residuals"]

#: The points :func:`shape_speeds` compares, in the order of its rows.
SHAPE_POINTS: tuple[str, ...] = ("hip_centre", "shoulder_centre", "left_ankle", "right_ankle")


def shape_speeds(
    position: xr.DataArray, *, time_s: np.ndarray, window_s: float, frames: np.ndarray | None = None
) -> np.ndarray:
    """Speeds of the support points relative to each other, in torso lengths per second.

    Parameters
    ----------
    position
        ``(time, keypoint, space_2d)`` pixels.
    time_s
        Seconds per frame.
    window_s
        Each frame compares the frames ``window_s / 2`` before and after it (at least its neighbours; the
        clip's ends use the frames that exist).
    frames
        Bool per frame: only these frames' speeds are computed, NaN elsewhere (a frame's speeds depend on its
        window's two end frames and the median torso length alone, so they are those of all frames: quiet
        standing reads the frames outside the reps of a long recording); None: every frame.

    Returns
    -------
    ndarray
        Shape ``(4, time)``, rows :data:`SHAPE_POINTS`: each point's displacement between the two frames after
        the best rigid fit (:func:`rigid_residuals`) of all points measured in both, over the time between them,
        over the median torso length. NaN where the point is not measured in both frames, where fewer than two
        points are, or where the torso length is never measurable. A hip centre needs both hips.
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    points = np.stack(
        [
            midpoint(position, "hip"),
            midpoint(position, "shoulder"),
            point(position, "left_ankle"),
            point(position, "right_ankle"),
        ],
        axis=1,
    )[..., :2]
    out = np.full((len(SHAPE_POINTS), time_s.size), np.nan)
    torso = median_torso_length(position)
    if not (np.isfinite(torso) and torso > 0) or time_s.size < 2:
        return out
    before, after = _window_ends(time_s, window_s / 2.0)
    index = slice(None) if frames is None else np.flatnonzero(np.asarray(frames, dtype=bool))
    before, after = before[index], after[index]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        residual = rigid_residuals(points[before], points[after])
        out[:, index] = (residual / (time_s[after] - time_s[before])[:, None] / torso).T
    return out


def _window_ends(time_s: np.ndarray, half_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the first frame at most ``half_s`` before it and the last at most ``half_s`` after, widened
    to its neighbours where the window holds no other frame."""
    n = time_s.size
    index = np.arange(n)
    before = np.searchsorted(time_s, time_s - half_s - 1e-9, side="left")
    after = np.searchsorted(time_s, time_s + half_s + 1e-9, side="right") - 1
    before = np.minimum(before, np.maximum(index - 1, 0))
    after = np.maximum(after, np.minimum(index + 1, n - 1))
    return before, after


def rigid_residuals(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How far each point of ``a`` lies from ``b`` moved by the rigid motion the points agree on best.

    Parameters
    ----------
    a, b
        ``(frames, points, 2)``: the same points in two pictures.

    Returns
    -------
    ndarray
        ``(frames, points)`` distances in the units of ``a``; NaN for a point not finite in both, and for every
        point of a frame with fewer than two such points.

    Notes
    -----
    The rigid motion is fitted by least squares (the translation matches the centroids, the rotation is
    ``θ = atan2(Σ b' × a', Σ b' · a')`` with ``a'``, ``b'`` the points about their centroids: the 2-D Kabsch
    solution) to all points but one, leaving out the one whose omission fits the others best (frames with at
    least three points; else all points). A shake moves every point alike and every fit leaves about nothing;
    a single point that moved on its own (a foot stepping, the shoulders swaying over still hips and ankles)
    is left out and keeps its whole displacement, where a fit to all points would spread it over the others
    (a quarter to two thirds of it, for four points).
    """
    both = np.isfinite(a).all(axis=-1) & np.isfinite(b).all(axis=-1)
    count = both.sum(axis=1)
    best, best_cost = _residuals_of_fit(a, b, both), np.full(count.shape, np.inf)
    for k in range(a.shape[1]):
        use = both.copy()
        use[:, k] = False
        residual = _residuals_of_fit(a, b, use)
        with np.errstate(invalid="ignore"):
            cost = np.where(use, residual, 0.0) ** 2
        cost = cost.sum(axis=1)
        better = (count >= 3) & use.any(axis=1) & (cost < best_cost)
        best[better], best_cost[better] = residual[better], cost[better]
    best[~both] = np.nan
    best[count < 2] = np.nan
    return best


def _residuals_of_fit(a: np.ndarray, b: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Distances of every point of ``a`` from ``b`` moved by the least-squares rigid motion of the ``use``
    points (NaN where a point is not finite)."""
    count = np.maximum(use.sum(axis=1), 1)[:, None]
    weight = use[..., None]
    centre_a = np.where(weight, a, 0.0).sum(axis=1) / count
    centre_b = np.where(weight, b, 0.0).sum(axis=1) / count
    da, db = a - centre_a[:, None], b - centre_b[:, None]
    ua, ub = np.where(weight, da, 0.0), np.where(weight, db, 0.0)
    theta = np.arctan2((ub[..., 0] * ua[..., 1] - ub[..., 1] * ua[..., 0]).sum(axis=1), (ub * ua).sum(axis=(1, 2)))
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    turned = np.stack([cos * db[..., 0] - sin * db[..., 1], sin * db[..., 0] + cos * db[..., 1]], axis=-1)
    return np.hypot(*np.moveaxis(da - turned, -1, 0))
