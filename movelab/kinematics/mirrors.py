"""Whole-body mirrors in front and back views: frames whose every left/right label is exchanged.

Seen square from behind, the pose model may read the whole body for a while as someone facing the camera: every
left/right label exchanged (shoulders, hips, knees and feet each on the other's side). The labels then agree with
one another and with a front view, so neither the view (:mod:`movelab.kinematics.views`) nor the leg-swap fix
(:func:`movelab.kinematics.swaps.fix_frontal_swaps`) can see it: on the rendered design body H filmed from behind,
the first 1.2 s (the whole standing lead-in) were read as a front view with the hips reversed, and the standing
reference of the pelvic drop came from those frames (issue 18).

What gives it away is time: a person cannot turn from facing the camera to showing the back without passing
side-on, while the model's labels flip from one frame to the next. Frames squarely front or back are followed in
*chains* that only a turn (a stretch side-on, or the client lost, of at least ``frontal_turn_min_s``) ends. In a
chain whose labels say front in some frames and back in others, one of the two readings is a mirror. Which one is
told first by the face seen in the picture (``frontal_face`` of the landmarks, :mod:`movelab.pose.face_cue`: a
frontal face found on the head from the front, hair only from behind), the one cue that does not follow the
model's labels: a face in at least ``0.5 + frontal_mirror_face_margin`` of the chain's frames looked at says
front, in at most ``0.5 - frontal_mirror_face_margin`` back. When the face does not tell (landmarks kept before
the cue existed, too few frames looked at, or in between), the feet do: the camera looks down on the floor, so
the heel is lower in the picture than the toes from behind and higher from the front (median beyond
``frontal_mirror_feet_margin`` torso lengths). The feet are a weaker witness, as the model draws them for the
view it believes: on body T from behind (``squat_back_T_wide_v16``) 56 of the chain's 105 frames were read as a
front view with heels above the toes, the chain's median said front, and the feet alone turned the whole clip
into a front view. When neither tells, the reading held by most of the chain's frames is taken. A chain whose
frames all agree is left as the model read it.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import midpoint, point
from movelab.kinematics.inputs import check_config, check_landmarks, scene_positions
from movelab.kinematics.runs import runs
from movelab.landmarks import KEYPOINTS

__all__ = ["shoulder_cosine", "detect_frontal_mirrors", "fix_frontal_mirrors", "exchange_labels"]

#: Every keypoint pair with a left and a right label, by its stem (``shoulder``, ``hip``, ``eye_inner``, ...).
PAIRED = tuple(k.removeprefix("left_") for k in KEYPOINTS if k.startswith("left_"))


def shoulder_cosine(px: xr.DataArray, config: KinematicsConfig) -> tuple[np.ndarray, np.ndarray]:
    """The cosine of the body's yaw from the shoulders' spread, and the torso length, per frame.

    ``c = ((left_shoulder − right_shoulder)·n / torso) / frontal_shoulder_width`` clipped to [−1, 1], with
    ``n`` the image direction perpendicular to the trunk (image right for an upright client) and ``torso`` the
    distance from the hip centre to the shoulder centre in pixels: +1 facing the camera, −1 the back to it, as
    the labels say. NaN where a shoulder or hip is missing.
    """
    trunk = midpoint(px, "shoulder") - midpoint(px, "hip")
    torso = np.hypot(trunk[:, 0], trunk[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = np.column_stack([-trunk[:, 1], trunk[:, 0]]) / torso[:, None]
        across = point(px, "left_shoulder") - point(px, "right_shoulder")
        width = (across[:, 0] * normal[:, 0] + across[:, 1] * normal[:, 1]) / torso
        return np.clip(width / config.frontal_shoulder_width, -1.0, 1.0), torso


def detect_frontal_mirrors(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """Frames squarely front or back whose left/right labels are all exchanged (the module's rule).

    Parameters
    ----------
    ds
        Landmark Dataset.
    config
        Uses ``frontal_mirror_min_width``, ``frontal_turn_min_s``, ``frontal_mirror_face_margin``,
        ``frontal_mirror_feet_margin``, ``frontal_shoulder_width`` and ``min_confidence``.

    Returns
    -------
    xarray.DataArray
        ``frontal_mirror (time)`` bool: True where every left/right label should be exchanged.

    Notes
    -----
    A frame is *square* when ``|c| ≥ frontal_mirror_min_width`` (:func:`shoulder_cosine`) and the hips'
    labels agree with the shoulders' (the left hip on the same side of the right one as the left shoulder of
    the right one); its labels say front when ``c > 0``. A frame whose shoulders alone flip is not square: the
    leg-swap fix looks after its legs. Chains are the square frames between runs of other frames (side-on,
    oblique, or no client) lasting at least ``frontal_turn_min_s``. The feet's evidence per frame is
    ``e = mean over both feet of (y_heel − y_foot_index) / torso`` (image ``y`` down; ``e > 0``: seen from
    behind); the face's is the share ``f`` of the chain's frames looked at (finite ``frontal_face``) in which a
    face was found, used when at least half the chain's frames were looked at. The face says front when
    ``f ≥ 0.5 + face_margin`` and back when ``f ≤ 0.5 − face_margin``; the feet say back when
    ``median(e) ≥ feet_margin`` and front when ``median(e) ≤ −feet_margin``. A chain with both readings takes the
    face's view, else the feet's, else the reading of most of its square frames (a tie changes nothing). A chain
    with one reading is left as read.
    """
    check_landmarks(ds)
    check_config(config)
    px = scene_positions(ds, "position_px", config)
    cosine, torso = shoulder_cosine(px, config)
    with np.errstate(invalid="ignore"):
        square = (np.abs(cosine) >= config.frontal_mirror_min_width) & (np.sign(_hips_spread(px)) == np.sign(cosine))
    says_front = cosine > 0
    feet = _feet_evidence(px, torso)
    face = ds["frontal_face"].values.astype(np.float64) if "frontal_face" in ds else np.full(cosine.shape, np.nan)
    mirrored = np.zeros(cosine.shape, bool)
    for chain in _chains(ds["time"].values.astype(np.float64), square, config.frontal_turn_min_s):
        evidence = _Evidence(
            face=_face_view(face[chain], config.frontal_mirror_face_margin),
            feet=_feet_view(feet[chain], config.frontal_mirror_feet_margin),
        )
        truth_front = _chain_reading(says_front[chain], evidence)
        if truth_front is not None:
            mirrored[chain] = says_front[chain] != truth_front
    return xr.DataArray(
        mirrored,
        dims=("time",),
        coords={"time": ds["time"], "frame": ds["frame"]},
        name="frontal_mirror",
        attrs={"description": "every left/right label exchanged in a front or back view"},
    )


def fix_frontal_mirrors(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> xr.Dataset:
    """``ds`` with every left/right label exchanged back in the frames :func:`detect_frontal_mirrors` finds
    (``ds`` as it is when ``config.fix_frontal_mirrors`` is off). ``attrs["frontal_mirror_frames"]`` counts
    them."""
    if not config.fix_frontal_mirrors:
        return ds
    return exchange_labels(ds, detect_frontal_mirrors(ds, config=config).values, PAIRED, "frontal_mirror_frames")


def exchange_labels(ds: xr.Dataset, where, parts, counter: str) -> xr.Dataset:
    """Exchange the left and right keypoints of ``parts`` (stems: ``"hip"``, ``"knee"``, ...) in the frames of
    ``where`` in every per-keypoint variable; ``attrs[counter]`` counts the frames changed."""
    where = np.asarray(getattr(where, "values", where), dtype=bool)
    if where.shape != (ds.sizes["time"],):
        raise ConfigError(f"where must have one flag per frame ({ds.sizes['time']}), got shape {where.shape}")
    if not where.any():
        return ds.copy()
    left_index = [KEYPOINTS.index(f"left_{p}") for p in parts]
    right_index = [KEYPOINTS.index(f"right_{p}") for p in parts]
    out = ds.copy(deep=True)
    for name, var in ds.data_vars.items():
        if "keypoint" not in var.dims or var.dims[0] != "time":
            continue
        axis = var.dims.index("keypoint")
        values = np.array(var.values)
        moved = np.moveaxis(values, axis, 1)
        left, right = moved[where][:, left_index].copy(), moved[where][:, right_index].copy()
        rows = np.flatnonzero(where)
        moved[rows[:, None], left_index] = right
        moved[rows[:, None], right_index] = left
        out[name] = var.copy(data=np.moveaxis(moved, 1, axis))
    out.attrs[counter] = int(ds.attrs.get(counter, 0)) + int(where.sum())
    return out


def _hips_spread(px: xr.DataArray) -> np.ndarray:
    """Per frame, the left hip's image ``x`` minus the right's along the trunk's normal (its sign is what the hips'
    labels say: > 0 facing the camera)."""
    trunk = midpoint(px, "shoulder") - midpoint(px, "hip")
    across = point(px, "left_hip") - point(px, "right_hip")
    return across[:, 0] * -trunk[:, 1] + across[:, 1] * trunk[:, 0]


def _feet_evidence(px: xr.DataArray, torso: np.ndarray) -> np.ndarray:
    """Per frame, how far the heels lie below the toes in the picture, in torso lengths (> 0: from behind)."""
    drops = [point(px, f"{s}_heel")[:, 1] - point(px, f"{s}_foot_index")[:, 1] for s in ("left", "right")]
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.stack(drops), axis=0) / torso


def _chains(time: np.ndarray, square: np.ndarray, turn_min_s: float) -> list[np.ndarray]:
    """Indices of the square frames of each chain: runs of other frames at least ``turn_min_s`` long end one."""
    step = float(np.median(np.diff(time))) if time.size > 1 else 0.0
    cuts = [0]
    for a, b in runs(~square):
        if time[b - 1] - time[a] + step >= turn_min_s - 1e-9:
            cuts.extend((a, b))
    cuts.append(time.size)
    chains = [np.arange(a, b)[square[a:b]] for a, b in zip(cuts[::2], cuts[1::2])]
    return [c for c in chains if c.size]


class _Evidence(NamedTuple):
    """What the cues beside the labels say of a chain (the face independent of them, the feet not quite): True
    front, False back, None not told."""

    face: bool | None
    feet: bool | None


def _face_view(face: np.ndarray, margin: float) -> bool | None:
    """Front when a face was found in at least ``0.5 + margin`` of the frames looked at, back when in at most
    ``0.5 - margin``; None when looked at in fewer than half the chain's frames or in between."""
    looked = face[np.isfinite(face)]
    if not looked.size or 2 * looked.size < face.size:
        return None
    share = float(np.mean(looked > 0.5))
    if share >= 0.5 + margin:
        return True
    return False if share <= 0.5 - margin else None


def _feet_view(feet: np.ndarray, margin: float) -> bool | None:
    """Back when the median heel drop is at least ``margin`` torso lengths, front when at most ``-margin``."""
    finite = feet[np.isfinite(feet)]
    evidence = float(np.median(finite)) if finite.size else np.nan
    if evidence >= margin:
        return False
    return True if evidence <= -margin else None


def _chain_reading(says_front: np.ndarray, evidence: _Evidence) -> bool | None:
    """True (front) or False (back) for a chain with both readings: the face's view, else the feet's, else its
    frames' majority; None (leave it as read) for a chain with one reading, or on a tie."""
    fronts = int(says_front.sum())
    if fronts in (0, says_front.size):
        return None
    for view in evidence:
        if view is not None:
            return view
    backs = says_front.size - fronts
    return None if fronts == backs else fronts > backs
