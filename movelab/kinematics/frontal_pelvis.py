"""Pelvic obliquity in front and back views: the hip landmarks' line, or the wrists' line when the hands rest
on the hips.

MediaPipe has no pelvis landmarks. Its hip keypoints follow a dropping pelvis only in part: on rendered
lunges with hanging arms a 10° drop of the rear side read −0.5° to 8.8° and a level pelvis up to 5.4°
(docs/findings-accuracy.md, *Pelvic drop lunges*). When the client stands with the hands on the hips (as
clinicians ask in single-leg tests), each hand rests on the iliac crest and moves with it, and the wrists'
line shows the drop at about its true size (10° read 6.3-11.3°, a level pelvis within 2.5°). Two measures,
each with its validity condition:

* **hips**: ``∠(lateral, right_hip→left_hip)`` (:func:`movelab.kinematics.joint_angles.obliquity_deg`), NaN
  where the hips' horizontal distance is under ``obliquity_min_hip_width_share`` of the clip's median
  distance in front and back views (the pose model drawing the two hips together, as it did at the bottom
  of a shaky back-view lunge: a few pixels of height then make a large angle);
* **hands**: ``∠(lateral, right_wrist→left_wrist)`` in the frames :func:`hands_on_hips` accepts (both
  elbows bent, each elbow outside its wrist, each wrist near the hips' height), NaN elsewhere; from behind
  the wrists' height difference is scaled by ``hands_obliquity_gain_back`` (:func:`hands_obliquity_deg`).

:func:`pelvic_obliquity` gives the angle table's ``pelvic_obliquity``: the hands' line where the hands are
on the hips, the hips' line elsewhere, and which one each frame used.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import xarray as xr

from movelab.kinematics.clean import clean_positions
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import midpoint, point, to_plane, torso_length, unsigned_angle_deg
from movelab.kinematics.joint_angles import obliquity_deg
from movelab.kinematics.runs import runs

__all__ = [
    "PelvicObliquity",
    "pelvic_obliquity",
    "arm_positions",
    "hip_obliquity_deg",
    "hands_obliquity_deg",
    "hands_on_hips",
    "SOURCES",
]

#: Per-frame sources of :attr:`PelvicObliquity.source` ("" where neither was measurable).
SOURCES: tuple[str, ...] = ("hands", "hips", "")


@dataclass(frozen=True)
class PelvicObliquity:
    """Pelvic obliquity per frame and where it came from.

    Attributes
    ----------
    value_deg
        Left side higher positive, in (−90, 90] (docs/conventions.md), NaN outside front and back views and
        where neither measure is valid.
    source
        ``"hands"`` (the wrists' line, hands on the hips), ``"hips"`` (the hip landmarks' line) or ``""``.
    hands_on_hips
        Frames in which the hands rest on the hips (:func:`hands_on_hips`).
    """

    value_deg: np.ndarray
    source: np.ndarray
    hands_on_hips: np.ndarray


def pelvic_obliquity(
    position: xr.DataArray,
    side,
    *,
    arms: xr.DataArray | None = None,
    config: KinematicsConfig = KinematicsConfig(),
) -> PelvicObliquity:
    """The frontal pelvic obliquity of every frame (module docstring).

    Parameters
    ----------
    position
        Cleaned pixel positions ``(time, keypoint, space_2d)``, image ``y`` down.
    side
        Per frame +1 (front view), −1 (back view) or NaN (not a frontal view: NaN).
    arms
        Positions the arms (shoulders, elbows, wrists) are read from; ``position`` when None. The angle table
        passes positions gated on ``presence`` alone (:func:`arm_positions`): from behind, a hand on the hip
        is judged hidden (low ``visibility``) though the pose model places its wrist as well as when seen.
    config
        Uses ``obliquity_min_hip_width_share`` and ``hands_on_hips_*``.
    """
    side = np.asarray(side, dtype=np.float64)
    arms = position if arms is None else arms
    hips = hip_obliquity_deg(position, side, min_width_share=config.obliquity_min_hip_width_share)
    on_hips = hands_on_hips(arms, config=config) & np.isfinite(side)
    wrists = hands_obliquity_deg(arms, side, back_gain=config.hands_obliquity_gain_back)
    value = np.where(on_hips, wrists, hips)
    source = np.where(on_hips & np.isfinite(wrists), "hands", np.where(~on_hips & np.isfinite(hips), "hips", ""))
    return PelvicObliquity(value_deg=np.where(source == "", np.nan, value), source=source, hands_on_hips=on_hips)


def arm_positions(ds: xr.Dataset, *, config: KinematicsConfig, views) -> xr.DataArray:
    """Positions cleaned with ``config`` but gated on ``presence`` alone (``confidence="presence"``), for the
    arms of :func:`pelvic_obliquity`. On the rendered back-view lunges with the hands on the hips, the
    wrists judged hidden (``visibility × presence`` under 0.3, up to two thirds of the frames) sat as close
    to the rendered wrist as the others (median 5-8 px against 5-11 px, height within 5 px).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the cleaned positions warn once already
        return clean_positions(ds, config=dataclasses.replace(config, confidence="presence"), views=views)


def hip_obliquity_deg(position: xr.DataArray, side, *, min_width_share: float) -> np.ndarray:
    """The hip landmarks' obliquity (:func:`obliquity_deg`), NaN in frames where the hips' horizontal
    distance is under ``min_width_share`` of its median over the frames with a view sign (front or back).

    Notes
    -----
    With the hips ``d`` px apart, a height error ``e`` px tilts the line by ``atan(e / d)``: the same
    error weighs more as the pose model draws the hips together, which it does for a few frames when it
    is unsure which hip is which. The gate is relative to the clip's own hip distance, so it holds for any
    body size and distance from the camera.
    """
    side = np.asarray(side, dtype=np.float64)
    right_to_left = point(position, "left_hip") - point(position, "right_hip")
    value = obliquity_deg(to_plane(right_to_left, side))
    width = np.abs(right_to_left[:, 0])
    frontal = np.isfinite(side) & np.isfinite(width)
    if not frontal.any():
        return value
    usual = float(np.median(width[frontal]))
    return np.where(width >= min_width_share * usual, value, np.nan)


def hands_obliquity_deg(arms: xr.DataArray, side, *, back_gain: float) -> np.ndarray:
    """The wrists' obliquity (:func:`obliquity_deg` of ``right_wrist→left_wrist``), the wrists' height
    difference multiplied by ``back_gain`` in back views (``side`` −1).

    Notes
    -----
    With ``(Δx, Δy)`` the right→left wrist vector in the frontal plane, a back view reads
    ``atan2(g·Δy, Δx)``: the pose model places the wrist of hands resting on a dropping pelvis, seen from
    behind, closer to level than it is (the dropped side's wrist 3.4-5.4 px high at the bottom of the design
    lunges, the other 1.2-3.2 px; ``KinematicsConfig.hands_obliquity_gain_back``). A level line stays level.
    """
    side = np.asarray(side, dtype=np.float64)
    right_to_left = to_plane(point(arms, "left_wrist") - point(arms, "right_wrist"), side)
    right_to_left[:, 1] *= np.where(side < 0, back_gain, 1.0)
    return obliquity_deg(right_to_left)


def hands_on_hips(position: xr.DataArray, *, config: KinematicsConfig = KinematicsConfig()) -> np.ndarray:
    """Frames in which both hands rest on the hips (bool per frame).

    Each arm must be bent (the shoulder-elbow-wrist angle at most ``hands_on_hips_max_elbow_deg``), its
    elbow further from the body's midline than its wrist (the elbow out to the side), and its wrist within
    ``hands_on_hips_height_torso`` torso lengths (shoulder midpoint to hip midpoint) of the hips' height.
    Hanging arms fail the first test (elbow nearly straight), arms folded or held forward the last. A pose held
    for less than ``hands_on_hips_min_s`` does not count: arms reaching forward in a squat, seen from behind,
    pass the three tests for a frame or two as they swing up.
    """
    hip_mid = midpoint(position, "hip")
    torso = torso_length(position)
    ok = np.isfinite(torso) & (torso > 0)
    for s in ("left", "right"):
        shoulder, elbow, wrist = (point(position, f"{s}_{p}") for p in ("shoulder", "elbow", "wrist"))
        with np.errstate(invalid="ignore"):
            bent = unsigned_angle_deg(shoulder - elbow, wrist - elbow) <= config.hands_on_hips_max_elbow_deg
            out = np.abs(elbow[:, 0] - hip_mid[:, 0]) > np.abs(wrist[:, 0] - hip_mid[:, 0])
            level = np.abs(wrist[:, 1] - hip_mid[:, 1]) <= config.hands_on_hips_height_torso * torso
        ok &= bent & out & level
    return _held(ok, np.asarray(position["time"].values, dtype=np.float64), config.hands_on_hips_min_s)


def _held(flags: np.ndarray, time_s: np.ndarray, min_s: float) -> np.ndarray:
    """``flags`` without the runs of True shorter than ``min_s`` (first to last frame of the run)."""
    out = flags.copy()
    for start, stop in runs(flags):
        if time_s[stop - 1] - time_s[start] < min_s - 1e-9:
            out[start:stop] = False
    return out
