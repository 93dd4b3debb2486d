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
horizon), so a straight line through the pairs' values would give it at any row, such as the pelvis's.

The pose model's pairs are too noisy for that line's slope: extrapolated from the feet and knees to the pelvis
it doubles their error (leave-one-clip-out residual 0.033 in tan on the design bodies against 0.023 for a
level). By default (``ElevationCalibration.row_line`` False) the clip's level is therefore the median of the
pairs' values (robust to one pair whose far-side landmark the model misplaces), placed at the hips' median
row, and the calibration's offset carries the mean difference between the pairs' rows and the pelvis's; the
line's slope only moves the value with the pelvis's row within the clip (a squat).

The pose model places far-side landmarks it cannot see partly by its prior, and shows only part of the
parallax (far heels 40-70 % of the rendered truth on the design bodies of
``scripts/accuracy/outline_population.py``); :class:`ElevationCalibration` maps the pairs' value to the
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
    """Maps the pairs' raw ``tan(e)`` to the true one at the pelvis: ``scale · raw + offset_tan``.

    Fitted on the 23 design clips (posture, sway and squat; camera heights 0.7/1.0/1.3 m at 5.5/3.5/4.5 m)
    by ``python -m scripts.accuracy.outline_population --design --reuse --fit-elevation``, against the
    rendered camera's elevation at the ASIS sticker; ``sd_tan`` is the leave-one-clip-out residual of that
    fit (standard uncertainty of one clip's estimate; leaving out a whole camera placement gives 0.029).
    Three camera placements only, the body filling about two thirds of the picture's height: outside them
    the estimate is an extrapolation (the offset holds the angle between the pairs and the pelvis, which
    depends on the camera's distance).

    Attributes
    ----------
    scale, offset_tan
        The fit.
    sd_tan
        Standard uncertainty of the calibrated ``tan(e)``.
    min_depth_m
        Pairs whose depth difference in the world landmarks is smaller than this are not used (the view is
        not a side view for them).
    row_line
        True: a least-squares line through the pairs' ``(row, tan e)`` read at the pelvis's row (the pinhole
        model; the previous method, scale 1.622, offset -0.0413, residual 0.033, with ``slope_scale`` equal
        to ``scale``). False: the pairs' median at the hips' row (module docstring).
    slope_scale
        The pairs' slope over the rows times this is the calibrated change of ``tan(e)`` per pixel away from
        the hips' row (a squat's pelvis moving down): the median over the design clips of the rendered
        camera's ``1 / focal_px`` over the pairs' fitted slope (2.07; relative error 0.31 per clip).
    """

    scale: float = 1.395
    offset_tan: float = -0.1058
    sd_tan: float = 0.0233
    min_depth_m: float = 0.08
    row_line: bool = False
    slope_scale: float = 2.07


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
    ref_row_px
        The row the calibration's ``scale`` and ``offset_tan`` apply at (the hips' median row); the change
        from it along the rows is ``slope_scale · slope_per_px`` per pixel.
    calibration
        The calibration :meth:`tan_elevation` applies.
    """

    slope_per_px: float
    intercept: float
    px_per_m: float
    pairs: int
    ref_row_px: float = 0.0
    calibration: ElevationCalibration = ElevationCalibration()

    def raw_tan(self, row_px) -> np.ndarray:
        """The pairs' line at picture row ``row_px`` (uncalibrated)."""
        return self.slope_per_px * np.asarray(row_px, dtype=np.float64) + self.intercept

    def tan_elevation(self, row_px) -> np.ndarray:
        """Calibrated ``tan(e)`` at picture row ``row_px``: positive when the camera looks down on it."""
        cal = self.calibration
        level = cal.scale * self.raw_tan(self.ref_row_px) + cal.offset_tan
        return level + cal.slope_scale * self.slope_per_px * (np.asarray(row_px, dtype=np.float64) - self.ref_row_px)


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


def _hip_row_px(px: xr.DataArray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rows = 0.5 * (px.sel(keypoint="left_hip").values[:, 1] + px.sel(keypoint="right_hip").values[:, 1])
        return float(np.nanmedian(rows))


def line_of_sight(ds: xr.Dataset, *, calibration: ElevationCalibration = ElevationCalibration()) -> LineOfSight | None:
    """The line of sight's elevation over the picture rows of a side-view clip, or None when the Dataset has
    no world landmarks or fewer than three pairs (spanning at least a fifth of the picture's height) are
    measured.

    Notes
    -----
    With ``calibration.row_line`` a least-squares line through the pairs' ``(row, tan(e))``
    (:func:`pair_elevations`): a pinhole camera gives ``tan(e) = (row - horizon_row) / f`` exactly. Without
    it (the default) the line's slope through the pairs' median at the hips' median row: the clip's level
    from the median, the change along the rows (a squat's pelvis moving down) from the slope (module
    docstring).
    """
    if "position_world_m" not in ds:
        return None
    rows, tans, px_per_m = pair_elevations(ds, min_depth_m=calibration.min_depth_m)
    height = float(ds.attrs.get("height_px", 0) or 0) or (float(np.ptp(rows)) if rows.size else 0.0)
    if rows.size < 3 or not np.isfinite(px_per_m) or np.ptp(rows) < 0.2 * height:
        return None
    slope, intercept = np.polyfit(rows, tans, 1)
    ref_row = _hip_row_px(ds["position_px"])
    if not calibration.row_line:  # the same slope through the pairs' median at the hips' row
        intercept = float(np.median(tans)) - slope * ref_row
    return LineOfSight(float(slope), float(intercept), px_per_m, int(rows.size), ref_row, calibration)
