"""How far above or below a body part the camera looks, from the picture: the line of sight's elevation.

A camera that is not level with a body part sees depth as height: a point moved towards the camera by ``dz``
metres moves down the picture by ``s · tan(e) · dz`` pixels, with ``s`` the picture's pixels per metre at the
body and ``e`` the elevation of the line of sight at that point (positive: the camera looks down on it). In a
side view the left and right landmarks of a pair (shoulders, hips, knees, ankles, heels, toes) stand at nearly
the same height but at different depths, so each pair shows ``tan(e)`` at its own picture row:

    tan(e_k) = -(y_left - y_right) / (s · (z_left - z_right))

with ``y`` the image rows of the two landmarks (pixels, down), ``z`` their depths from the pose model's world
landmarks (metres, away from the camera) and ``s`` the median ratio of the torso's length in pixels to its
length in the world landmarks. For a pinhole camera ``tan(e)`` is linear in the picture row (zero at the
horizon), so a straight line through the pairs' values gives it at any row, such as the pelvis's.

The pose model places far-side landmarks it cannot see partly by its prior, and shows only part of the
parallax (far heels 40-70 % of the rendered truth on the design bodies of
``scripts/accuracy/outline_population.py``); :class:`ElevationCalibration` maps the line's value to the
true elevation with a scale and an offset fitted on the design bodies, and carries the fit's residual as the
estimate's standard uncertainty. The camera must not move (a tripod or a still hand); one value per clip.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

__all__ = ["PAIR_PARTS", "ElevationCalibration", "LineOfSight", "line_of_sight", "pair_elevations"]

#: Left/right landmark pairs that stand level in upright standing and in a symmetric squat.
PAIR_PARTS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")


@dataclass(frozen=True)
class ElevationCalibration:
    """Maps the pairs' raw ``tan(e)`` at a row to the true one: ``scale · raw + offset_tan``.

    Fitted on the design bodies' posture, sway and squat clips (camera heights 0.7/1.0/1.3 m at 5.5/3.5/4.5 m)
    by ``python -m scripts.accuracy.outline_population --design --reuse --fit-elevation``, against the
    rendered camera's elevation at the ASIS sticker; ``sd_tan`` is the leave-one-clip-out residual of that
    fit (standard uncertainty of one clip's estimate). Three camera placements only: outside them the
    estimate is an extrapolation.

    Attributes
    ----------
    scale, offset_tan
        The fit.
    sd_tan
        Standard uncertainty of the calibrated ``tan(e)``.
    min_depth_m
        Pairs whose depth difference in the world landmarks is smaller than this are not used (the view is
        not a side view for them).
    """

    scale: float = 1.514
    offset_tan: float = -0.0371
    sd_tan: float = 0.0334
    min_depth_m: float = 0.08


@dataclass(frozen=True)
class LineOfSight:
    """The line of sight's elevation over the picture rows of one clip (:func:`line_of_sight`).

    Attributes
    ----------
    slope_per_px, intercept
        Raw ``tan(e) = slope_per_px · row + intercept`` from the pairs (before calibration).
    px_per_m
        Pixels per metre at the body (torso in pixels over torso in the world landmarks).
    pairs
        How many pairs the line was fitted to.
    calibration
        The calibration :meth:`tan_elevation` applies.
    """

    slope_per_px: float
    intercept: float
    px_per_m: float
    pairs: int
    calibration: ElevationCalibration = ElevationCalibration()

    def raw_tan(self, row_px) -> np.ndarray:
        """The pairs' line at picture row ``row_px`` (uncalibrated)."""
        return self.slope_per_px * np.asarray(row_px, dtype=np.float64) + self.intercept

    def tan_elevation(self, row_px) -> np.ndarray:
        """Calibrated ``tan(e)`` at picture row ``row_px``: positive when the camera looks down on it."""
        cal = self.calibration
        return cal.scale * self.raw_tan(row_px) + cal.offset_tan


def pair_elevations(ds: xr.Dataset, *, min_depth_m: float = 0.08) -> tuple[np.ndarray, np.ndarray, float]:
    """Each pair's picture row, raw ``tan(e)`` and the clip's pixels per metre.

    Parameters
    ----------
    ds
        Landmark Dataset with ``position_px`` and ``position_world_m``.
    min_depth_m
        Smallest depth difference (median over the clip) a pair needs.

    Returns
    -------
    rows_px, tan_raw : ndarray
        One value per usable pair of :data:`PAIR_PARTS` (medians over the clip's frames).
    px_per_m : float
        NaN when the torso is not measured.
    """
    if "position_world_m" not in ds:
        raise ValueError("pair_elevations needs the pose model's world landmarks ('position_world_m' in the Dataset)")
    px = ds["position_px"]
    world = ds["position_world_m"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        px_per_m = _px_per_m(px, world)
        rows, tans = [], []
        for part in PAIR_PARTS:
            left_px, right_px = (px.sel(keypoint=f"{s}_{part}").values for s in ("left", "right"))
            left_w, right_w = (world.sel(keypoint=f"{s}_{part}").values for s in ("left", "right"))
            dz = float(np.nanmedian(left_w[:, 2] - right_w[:, 2]))
            dy = float(np.nanmedian(left_px[:, 1] - right_px[:, 1]))
            if not (np.isfinite(dz) and np.isfinite(dy) and abs(dz) >= min_depth_m):
                continue
            rows.append(float(np.nanmedian(0.5 * (left_px[:, 1] + right_px[:, 1]))))
            tans.append(-dy / (px_per_m * dz))
    return np.array(rows), np.array(tans), px_per_m


def _px_per_m(px: xr.DataArray, world: xr.DataArray) -> float:
    def torso(a: xr.DataArray) -> np.ndarray:
        sh = 0.5 * (a.sel(keypoint="left_shoulder").values + a.sel(keypoint="right_shoulder").values)
        hip = 0.5 * (a.sel(keypoint="left_hip").values + a.sel(keypoint="right_hip").values)
        return np.linalg.norm(sh - hip, axis=-1)

    ratio = torso(px) / torso(world)
    ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
    return float(np.median(ratio)) if ratio.size else float("nan")


def line_of_sight(ds: xr.Dataset, *, calibration: ElevationCalibration = ElevationCalibration()) -> LineOfSight | None:
    """The line of sight's elevation over the picture rows of a side-view clip, or None when the Dataset has
    no world landmarks or fewer than three pairs (spanning at least a fifth of the picture's height) are
    measured.

    Notes
    -----
    A least-squares line through the pairs' ``(row, tan(e))`` (:func:`pair_elevations`). A pinhole camera
    gives ``tan(e) = (row - horizon_row) / f`` exactly; the pose model's far-side landmarks do not, which
    the calibration accounts for (module docstring).
    """
    if "position_world_m" not in ds:
        return None
    rows, tans, px_per_m = pair_elevations(ds, min_depth_m=calibration.min_depth_m)
    height = float(ds.attrs.get("height_px", 0) or 0) or (float(np.ptp(rows)) if rows.size else 0.0)
    if rows.size < 3 or not np.isfinite(px_per_m) or np.ptp(rows) < 0.2 * height:
        return None
    slope, intercept = np.polyfit(rows, tans, 1)
    return LineOfSight(float(slope), float(intercept), px_per_m, int(rows.size), calibration)
