"""Leg joint centres for the knee FPPA in front and back views, from the landmarks and the person's outline.

Measured on rendered squats (``scripts/accuracy/frontal_findings_accuracy.py``, docs/findings-accuracy.md):
the pose model's
FPPA at depth ran up to 12° (design bodies; 20° on a held-out one) off the projected truth, mostly under it,
from these sources.

* **The hip landmark sits high at depth.** Standing it is within 0.01-0.08 upright torso lengths of the hip
  joint centre; at the bottom of a squat, with the trunk leaning towards (or away from) the camera, it sits
  0.13-0.17 upright torso lengths above it. The thigh, foreshortened at depth, then looks more vertical and the FPPA
  smaller. The offset follows the trunk's foreshortening: on the design bodies
  ``offset / L₀ = 0.020 + 0.559 · (1 − L / L₀)`` (residual SD 0.043 L₀), with ``L`` the torso length in the
  frame and ``L₀`` its 95th percentile over the clip (upright).
* **The knee (and ankle) landmarks shift sideways with the lighting**, both knees the same way, so one knee
  reads less valgus and the other more. The outline (the pose model's person mask) has no shading: the middle
  of the leg's cross-section at the landmark's height is the joint's lateral place. The mask is itself a
  model output and errs where the legs touch, so the two are averaged.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from movelab.kinematics.geometry import torso_length

__all__ = ["frontal_leg_centres"]

_SIDES = ("left", "right")


def frontal_leg_centres(
    position: xr.DataArray, outline_px, frontal: np.ndarray, *, hip_drop: tuple[float, float]
) -> xr.DataArray:
    """``position`` with the hips, knees and ankles moved to the joint centres the FPPA needs, in the frames
    of ``frontal`` (other frames and keypoints unchanged).

    Parameters
    ----------
    position
        Cleaned pixel positions ``(time, keypoint, space_2d)``.
    outline_px
        The person outline ``(time, outline_point, space_2d)`` (a closed polygon, NaN-padded), or None.
    frontal
        Bool per frame: front or back view.
    hip_drop
        ``(a, b)``: each hip is lowered by ``L₀ · (a + b · (1 − L / L₀))`` pixels (module notes).

    Returns
    -------
    xarray.DataArray
        A copy of ``position``.

    Notes
    -----
    Knee and ankle ``x`` become the mean of the landmark's ``x`` and the middle of the outline's interior
    interval at the landmark's ``y`` that holds the landmark (within 2 px). When that interval also holds the
    other leg's landmark (the knees touch), it is split at the midpoint of the two landmarks. Without an
    outline interval the landmark is kept. Then the ankle moves sideways so that knee→ankle is parallel to the
    shank's outline midline (:func:`_align_ankles_with_shank`); only the FPPA uses these points.
    """
    out = position.copy(deep=True)
    frontal = np.asarray(frontal, dtype=bool)
    if not frontal.any():
        return out
    kp = position.get_index("keypoint")
    values = out.values
    torso = torso_length(position)
    upright = np.nanpercentile(torso[frontal], 95) if np.isfinite(torso[frontal]).any() else np.nan
    if np.isfinite(upright) and upright > 0:
        drop = upright * (hip_drop[0] + hip_drop[1] * (1.0 - torso / upright))
        drop = np.where(np.isfinite(drop) & frontal, drop, 0.0)
        for side in _SIDES:
            values[:, kp.get_loc(f"{side}_hip"), 1] += drop
    if outline_px is not None:
        outline = np.asarray(outline_px, dtype=np.float64)
        for part in ("knee", "ankle"):
            for side, other in (("left", "right"), ("right", "left")):
                i, j = kp.get_loc(f"{side}_{part}"), kp.get_loc(f"{other}_{part}")
                for f in np.flatnonzero(frontal):
                    x, y = position.values[f, i]
                    centre = _leg_middle(outline[f], y, x, position.values[f, j, 0])
                    if np.isfinite(centre):
                        values[f, i, 0] = 0.5 * (x + centre)
        for side, other in (("left", "right"), ("right", "left")):
            _align_ankles_with_shank(values, position.values, outline, frontal=frontal, kp=kp, side=side, other=other)
    out.attrs["processing"] = f"{position.attrs.get('processing', '')}; frontal leg centres (FPPA)".lstrip("; ")
    return out


def _align_ankles_with_shank(values, raw, outline, *, frontal, kp, side: str, other: str) -> None:
    """Move ``side``'s ankle sideways (its height kept) so that knee→ankle runs along the shank's outline
    midline: the line fitted through the middles of the shank's cross-sections at 25-80 % of the way from the
    knee landmark's height to the ankle's (at least 3). Where the model places the knee too high (on the
    foreshortened thigh of a thick-legged figure by up to 25 px), the knee→ankle line of the landmarks leans
    off the shank; the midline does not."""
    knee, ankle = kp.get_loc(f"{side}_knee"), kp.get_loc(f"{side}_ankle")
    other_knee, other_ankle = kp.get_loc(f"{other}_knee"), kp.get_loc(f"{other}_ankle")
    for f in np.flatnonzero(frontal):
        (kx, ky), (ax, ay) = raw[f, knee], raw[f, ankle]
        okx, oax = raw[f, other_knee, 0], raw[f, other_ankle, 0]
        if not np.isfinite([kx, ky, ax, ay]).all() or ay - ky < 4:
            continue
        ys, xs = [], []
        for share in np.linspace(0.25, 0.8, 7):
            y = ky + share * (ay - ky)
            middle = _leg_middle(outline[f], y, kx + share * (ax - kx), okx + share * (oax - okx))
            if np.isfinite(middle):
                ys.append(y)
                xs.append(middle)
        if len(xs) >= 3:
            slope = np.polyfit(ys, xs, 1)[0]
            values[f, ankle, 0] = values[f, knee, 0] + slope * (values[f, ankle, 1] - values[f, knee, 1])


def _crossings(polygon: np.ndarray, y: float) -> np.ndarray:
    """Sorted ``x`` where the closed ``polygon`` crosses the horizontal line at ``y``."""
    p = polygon[np.isfinite(polygon).all(axis=1)]
    if len(p) < 3 or not np.isfinite(y):
        return np.empty(0)
    a, b = p, np.roll(p, -1, axis=0)
    crossing = ((a[:, 1] <= y) & (b[:, 1] > y)) | ((b[:, 1] <= y) & (a[:, 1] > y))
    t = (y - a[crossing, 1]) / (b[crossing, 1] - a[crossing, 1])
    return np.sort(a[crossing, 0] + t * (b[crossing, 0] - a[crossing, 0]))


def _leg_middle(polygon: np.ndarray, y: float, x: float, other_x: float) -> float:
    """Middle of the outline's interior interval at ``y`` holding ``x`` (split with ``other_x`` when shared)."""
    xs = _crossings(polygon, y)
    if xs.size < 2 or not np.isfinite(x):
        return np.nan
    for lo, hi in zip(xs[0::2], xs[1::2]):
        if lo - 2.0 <= x <= hi + 2.0:
            if np.isfinite(other_x) and lo <= other_x <= hi:
                mid = 0.5 * (x + other_x)
                return 0.5 * (lo + mid) if x < mid else 0.5 * (mid + hi)
            return 0.5 * (lo + hi)
    return np.nan
