"""The camera's roll: estimated from the scene and the client, and taken out of the landmarks once.

Every angle of docs/conventions.md is measured against the picture's horizontal and vertical, so a camera
rolled by ``r`` about its line of sight adds ``r`` to trunk lean, pelvic tilt, thigh and shank angles and the
obliquities. Positive ``r`` turns the scene clockwise on screen: a level line runs down to the right at
``r`` (image angle ``atan2(dy, dx)``, ``y`` down).

Two cues:

* **scene**: the long straight level and plumb edges of the room outside the people, read at extraction
  (:mod:`movelab.pose.scene_lines`; Dataset attributes ``scene_roll_deg`` and ``scene_roll_sd_deg``);
* **client**: the standing client's long axis (ankle centre to shoulder centre) over quiet upright frames.
  It carries the client's own sway and lean as well as the camera's roll (SD ``camera_roll_body_sd_deg``),
  so on its own it never corrects the angles (it would remove the lean movelab is there to measure): it is
  reported, and warns when it exceeds ``camera_roll_tolerance_deg`` by more than two of its SDs.

With both, they are averaged with inverse-variance weights (``1 / sd²``), unless they disagree by more than
three combined SDs (then the scene alone, with a warning: a slanted object in the room or a leaning client).
The estimate is applied when it differs from 0 by more than its SD (:func:`level_landmarks`: every pixel
position of the Dataset turned by ``-r`` about the picture's centre), before views, cleaning, angles and
outline, so every stage reads the levelled landmarks.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import midpoint, support_speeds
from movelab.kinematics.inputs import scene_positions

__all__ = ["CameraRoll", "estimate_camera_roll", "body_axis_roll", "level_landmarks", "levelled", "rotate_px"]

#: Pixel variables of the landmark Dataset turned by :func:`level_landmarks` (last axis ``x, y``).
_PIXEL_VARIABLES = ("position_px", "outline_px", "outline_edges_px", "marker_px", "others_face_px")


@dataclass(frozen=True)
class CameraRoll:
    """The camera roll of one video: what was estimated, from what, and what was taken out.

    Attributes
    ----------
    applied_deg
        The roll taken out of the landmarks (0 when none was), degrees, positive clockwise on screen.
    estimate_deg, sd_deg
        The combined estimate and its SD (NaN when neither cue was measurable).
    source
        ``"scene"``, ``"scene + client"``, ``"client"`` (reported, not applied), ``"given"`` (the user's
        setting), ``"off"`` (estimated, not applied) or ``"none"``.
    scene_deg, scene_sd_deg, client_deg, client_sd_deg
        Each cue on its own (NaN where not measured).
    note
        One sentence for the report: what was done, or why not.
    warning
        Set when the roll could not be measured from the scene and the client's axis exceeds the
        tolerance, or when the scene and the client's axis disagree; also issued as a ``UserWarning`` by
        :func:`movelab.kinematics.compute_motion`.
    """

    applied_deg: float
    estimate_deg: float
    sd_deg: float
    source: str
    scene_deg: float = math.nan
    scene_sd_deg: float = math.nan
    client_deg: float = math.nan
    client_sd_deg: float = math.nan
    note: str = ""
    warning: str | None = None

    def to_dict(self) -> dict:
        """Plain JSON types (NaN as None), for report.json."""
        out = {}
        for key, value in self.__dict__.items():
            out[key] = None if isinstance(value, float) and not math.isfinite(value) else value
        return out


def rotate_px(xy: np.ndarray, angle_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """Points ``(..., 2)`` turned by ``angle_deg`` about ``centre``, positive clockwise on screen (``y`` down).

    Notes
    -----
    ``p' = c + R(a) (p - c)`` with ``R(a) = [[cos a, -sin a], [sin a, cos a]]``; in image coordinates
    (``y`` down) a positive ``a`` turns clockwise on screen. NaN stays NaN.
    """
    a = math.radians(angle_deg)
    c, s = math.cos(a), math.sin(a)
    rel = np.asarray(xy, dtype=np.float64) - np.asarray(centre, dtype=np.float64)
    out = np.empty_like(rel)
    out[..., 0] = c * rel[..., 0] - s * rel[..., 1]
    out[..., 1] = s * rel[..., 0] + c * rel[..., 1]
    return out + np.asarray(centre, dtype=np.float64)


def level_landmarks(ds: xr.Dataset, roll_deg: float) -> xr.Dataset:
    """``ds`` as a level camera would have seen it: every pixel position turned by ``-roll_deg`` about the
    picture's centre, ``position_norm`` recomputed from them, the world landmarks' ``x, y`` turned by the same
    angle (MediaPipe's world axes follow the camera's), attribute ``camera_roll_applied_deg`` set."""
    if not roll_deg:
        return ds
    w, h = float(ds.attrs["width_px"]), float(ds.attrs["height_px"])
    centre = ((w - 1.0) / 2.0, (h - 1.0) / 2.0)
    out = ds.copy()
    for name in _PIXEL_VARIABLES:
        if name in ds:
            var = ds[name]
            out[name] = var.copy(data=rotate_px(var.values, -roll_deg, centre).astype(var.dtype))
    norm = ds["position_norm"].values.copy()
    norm[..., 0] = out["position_px"].values[..., 0] / w
    norm[..., 1] = out["position_px"].values[..., 1] / h
    out["position_norm"] = ds["position_norm"].copy(data=norm)
    world = ds["position_world_m"].values.copy()
    world[..., :2] = rotate_px(world[..., :2], -roll_deg, (0.0, 0.0))
    out["position_world_m"] = ds["position_world_m"].copy(data=world)
    out.attrs = {**ds.attrs, "camera_roll_applied_deg": float(roll_deg)}
    return out


def body_axis_roll(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> tuple[float, float, int]:
    """The standing client's long axis against the picture's vertical: ``(roll_deg, sd_deg, frames)``.

    Per frame the axis runs from the ankle centre to the shoulder centre; its reading is
    ``atan2(dx, -dy)`` (0 upright, positive when the top is to the right: how a camera roll of that sign
    shows an upright body). Frames count when the axis is at least 93 % of its 95th-percentile length
    (upright: not squatting or bending) and the hip centre and each ankle are quiet
    (:func:`movelab.kinematics.geometry.support_speeds` below ``outline_baseline_max_speed``);
    at least ``outline_baseline_min_s`` of them are needed. The result is their median; its SD adds
    ``camera_roll_body_sd_deg`` (the client's own lean) to the readings' standard error. NaN without enough
    frames.
    """
    px = scene_positions(ds, "position_px", config)
    time = ds["time"].values.astype(np.float64)
    axis = midpoint(px, "shoulder", fallback=True) - midpoint(px, "ankle", fallback=True)
    length = np.hypot(axis[:, 0], axis[:, 1])
    if time.size < 2 or not np.isfinite(length).any():
        return math.nan, math.nan, 0
    with np.errstate(invalid="ignore"):
        upright = length >= 0.93 * np.nanpercentile(length, 95)
    quiet = _quiet(px, time, config)
    keep = upright & quiet & np.isfinite(length)
    step = float(np.median(np.diff(time)))
    if keep.sum() * step < config.outline_baseline_min_s:
        return math.nan, math.nan, int(keep.sum())
    readings = np.degrees(np.arctan2(axis[keep, 0], -axis[keep, 1]))
    median = float(np.median(readings))
    spread = 1.4826 * float(np.median(np.abs(readings - median)))
    independent = max(keep.sum() * step * config.cutoff_hz, 1.0)  # about one independent reading per cut-off period
    se = spread / math.sqrt(independent)
    return median, math.hypot(se, config.camera_roll_body_sd_deg), int(keep.sum())


def _quiet(px: xr.DataArray, time: np.ndarray, config: KinematicsConfig) -> np.ndarray:
    """Hip centre and each ankle slower than ``outline_baseline_max_speed`` torso lengths per second."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fastest = np.nanmax(support_speeds(px, time_s=time, hip_fallback=True), axis=0)
    with np.errstate(invalid="ignore"):
        return fastest <= config.outline_baseline_max_speed


def _scene_cue(ds: xr.Dataset) -> tuple[float, float]:
    roll, sd = ds.attrs.get("scene_roll_deg", math.nan), ds.attrs.get("scene_roll_sd_deg", math.nan)
    try:
        return float(roll), float(sd)
    except (TypeError, ValueError):
        return math.nan, math.nan


def _combine(scene: tuple[float, float], client: tuple[float, float]) -> tuple[float, float, str]:
    """Inverse-variance mean of the cues that are measured; the scene alone when they disagree."""
    (rs, ss), (rc, sc) = scene, client
    has_scene, has_client = math.isfinite(rs) and ss > 0, math.isfinite(rc) and sc > 0
    if has_scene and has_client and abs(rs - rc) <= 3.0 * math.hypot(ss, sc):
        ws, wc = 1.0 / ss**2, 1.0 / sc**2
        return (ws * rs + wc * rc) / (ws + wc), 1.0 / math.sqrt(ws + wc), "scene + client"
    if has_scene:
        return rs, ss, "scene"
    if has_client:
        return rc, sc, "client"
    return math.nan, math.nan, "none"


def estimate_camera_roll(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> CameraRoll:
    """The camera roll of ``ds`` and what to do with it under ``config.camera_roll`` (see the module)."""
    scene = _scene_cue(ds)
    client_deg, client_sd, _ = body_axis_roll(ds, config=config)
    estimate, sd, source = _combine(scene, (client_deg, client_sd))
    cues = {"scene_deg": scene[0], "scene_sd_deg": scene[1], "client_deg": client_deg, "client_sd_deg": client_sd}
    setting = config.camera_roll
    if not isinstance(setting, str):
        note = f"camera roll {float(setting):+.1f} deg given by hand and taken out of every angle"
        return CameraRoll(float(setting), estimate, sd, "given", **cues, note=note)
    tol = config.camera_roll_tolerance_deg
    if source == "none":
        note = "camera roll not measurable (no straight level or plumb edges in the room, no quiet standing)"
        return CameraRoll(0.0, estimate, sd, source, **cues, note=note)
    if setting == "off":
        note = f"camera roll estimated {estimate:+.1f} ± {sd:.1f} deg ({source}); correction switched off"
        return CameraRoll(0.0, estimate, sd, "off", **cues, note=note)
    if source == "client":
        note = (
            f"camera roll not measurable from the scene; the standing client's long axis is {estimate:+.1f} deg "
            "off vertical (camera roll and the client's own lean together; not taken out)"
        )
        warning = None
        if abs(estimate) - 2.0 * sd > tol:  # more than the tolerance even after two SDs of the client's own lean
            warning = (
                f"the camera's roll could not be measured from the room, and the standing client's long axis is "
                f"{estimate:+.1f} deg off vertical, more than the {tol:g} deg the angles tolerate: if the camera "
                "was not level, trunk lean, pelvic tilt, thigh angles and obliquities carry it. Level the camera "
                "or give the roll (camera_roll / --camera-roll-deg)."
            )
        return CameraRoll(0.0, estimate, sd, source, **cues, note=note, warning=warning)
    applied = estimate if abs(estimate) > sd else 0.0
    done = "taken out of every angle" if applied else "within its uncertainty of level: nothing taken out"
    note = f"camera roll {estimate:+.1f} ± {sd:.1f} deg from the {source}; {done}"
    warning = None
    if source == "scene" and math.isfinite(client_deg):  # both measured, and they disagree (see _combine)
        note += f"; the standing client's long axis reads {client_deg:+.1f} deg"
        warning = (
            f"the room's straight edges give the camera a roll of {scene[0]:+.1f} deg but the standing client's "
            f"long axis reads {client_deg:+.1f} deg: either the edges are not level (a slanted object, a floor "
            "line seen obliquely) or the client leans; the scene's roll was taken out. Check the picture, or "
            "give the roll (camera_roll / --camera-roll-deg)."
        )
    return CameraRoll(applied, estimate, sd, source, **cues, note=note, warning=warning)


def levelled(ds: xr.Dataset, *, config: KinematicsConfig, stacklevel: int = 3) -> tuple[xr.Dataset, CameraRoll]:
    """``ds`` levelled for its camera roll under ``config`` and the roll; its warning, if any, issued."""
    roll = estimate_camera_roll(ds, config=config)
    if roll.warning:
        warnings.warn(roll.warning, UserWarning, stacklevel=stacklevel)
    return level_landmarks(ds, roll.applied_deg), roll
