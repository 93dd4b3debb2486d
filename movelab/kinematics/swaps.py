"""Left/right leg label swaps in side view: detection and correction.

In profile the two legs overlap, and pose models often give the left leg's landmarks the right leg's
labels for a while (Sports2D issues 30, 31, 35, 39). A swap shows as both legs jumping onto each other's
trajectories; this module finds those switches by trajectory continuity, decides which labelling is the
true one for each stretch between switches, and exchanges the labels back.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics._points import (
    LEG_PARTS,
    check_config,
    check_landmarks,
    median_torso_length,
    scene_positions,
)
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.views import views_per_frame
from movelab.landmarks import KEYPOINTS

__all__ = ["detect_leg_swaps", "fix_leg_swaps", "swap_legs"]

_LEFT = [KEYPOINTS.index(f"left_{p}") for p in LEG_PARTS]
_RIGHT = [KEYPOINTS.index(f"right_{p}") for p in LEG_PARTS]


def detect_leg_swaps(
    ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()
) -> xr.DataArray:
    """Frames whose left and right leg labels (hip, knee, ankle, heel, foot_index) are exchanged.

    Parameters
    ----------
    ds
        Landmark Dataset.
    views
        Views as accepted by :func:`movelab.kinematics.views_per_frame`; detected when ``None``. Only
        frames in side views are examined.
    config
        Uses ``swap_*``, ``min_confidence`` and the view settings.

    Returns
    -------
    xarray.DataArray
        ``leg_swap (time)`` bool: True where the labels should be exchanged.

    Notes
    -----
    1. **Continuity.** Frames of side views are followed in time order in *chains* (a chain ends at a
       non-side frame or a gap in the leg data over ``swap_max_gap_s``). Each leg keypoint is predicted
       at constant velocity from its last two positions. Let ``e_kept`` and ``e_swapped`` be the RMS
       distances from the predictions of the frame's legs as labelled and with the labels exchanged
       (over the keypoints both assignments can be scored on). The labelling switches at this frame when
       ``e_kept > swap_min_jump · torso`` and ``e_swapped < swap_cost_ratio · e_kept``.
    2. **Which labelling is true.** The switches cut a chain into segments whose labels are consistent
       among themselves. Each frame gives evidence in [−1, 1] that its labels are right: the camera-side
       leg (the right leg when facing image right) should have the smaller MediaPipe world ``z``
       (difference scaled by ``swap_depth_margin_m``) and the higher visibility (scaled by
       ``swap_visibility_margin``). A segment whose mean evidence reaches ``swap_min_evidence`` in either
       direction is decided by it; the other segments follow the decided ones of their chain, or, when none
       is decided, the labelling that leaves the majority of the chain's frames as the model gave them.

    The depth and visibility cues are weak: the pose model's own depth and visibility follow its
    labelling, so a swap the model is sure of is undone only through continuity and majority.
    """
    check_landmarks(ds)
    check_config(config)
    view = views_per_frame(ds, views, config=config).values
    side = (view == "side_right") | (view == "side_left")
    px = scene_positions(ds, "position_px", config)
    legs = np.stack([px.values[:, _LEFT], px.values[:, _RIGHT]], axis=1)  # (time, leg, part, xy)
    time = ds["time"].values
    result = np.zeros(time.size, dtype=bool)
    scale = median_torso_length(px)
    if side.any() and np.isfinite(scale):
        relative, chain = _follow(time, legs, side, scale, config)
        evidence = _evidence(ds, view, config)
        result = _decide(relative, chain, evidence, config.swap_min_evidence)
    return xr.DataArray(
        result, dims=("time",), coords={"time": ds["time"], "frame": ds["frame"]}, name="leg_swap",
        attrs={"description": "left/right leg labels exchanged by the pose model"},
    )


def fix_leg_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.Dataset:
    """``ds`` with the leg labels exchanged back where :func:`detect_leg_swaps` finds them swapped."""
    return swap_legs(ds, detect_leg_swaps(ds, views=views, config=config))


def swap_legs(ds: xr.Dataset, where) -> xr.Dataset:
    """Exchange the left and right leg keypoints (hip, knee, ankle, heel, foot_index) in chosen frames.

    Every per-keypoint variable (positions, visibility, presence) is exchanged.

    Parameters
    ----------
    ds
        Landmark Dataset.
    where
        Boolean array or DataArray along ``time``.

    Returns
    -------
    xarray.Dataset
        A new Dataset; ``attrs["leg_labels_exchanged"]`` counts the frames changed.
    """
    check_landmarks(ds)
    where = np.asarray(getattr(where, "values", where), dtype=bool)
    if where.shape != (ds.sizes["time"],):
        raise ConfigError(f"where must have one flag per frame ({ds.sizes['time']}), got shape {where.shape}")
    if not where.any():
        return ds.copy()
    out = ds.copy(deep=True)
    for name, var in ds.data_vars.items():
        if "keypoint" not in var.dims or var.dims[0] != "time":
            continue
        axis = var.dims.index("keypoint")
        values = np.array(var.values)
        moved = np.moveaxis(values, axis, 1)
        left, right = moved[where][:, _LEFT].copy(), moved[where][:, _RIGHT].copy()
        rows = np.flatnonzero(where)
        moved[rows[:, None], _LEFT] = right
        moved[rows[:, None], _RIGHT] = left
        out[name] = var.copy(data=np.moveaxis(moved, 1, axis))
    out.attrs["leg_labels_exchanged"] = int(ds.attrs.get("leg_labels_exchanged", 0)) + int(where.sum())
    return out


def _follow(time, legs, side, scale, config):
    """Relative labelling (True = exchanged relative to the chain's start) and chain id per frame."""
    n = time.size
    relative = np.zeros(n, dtype=bool)
    chain = np.full(n, -1)
    p1 = np.full(legs.shape[1:], np.nan)
    p2 = np.full(legs.shape[1:], np.nan)
    t1 = np.full(legs.shape[1:3], np.nan)
    t2 = np.full(legs.shape[1:3], np.nan)
    chain_id, flip, last = -1, False, -np.inf
    for i in range(n):
        current = legs[i]
        has_data = np.isfinite(current).any()
        if not side[i]:
            last = -np.inf
            continue
        if not has_data:
            continue
        if time[i] - last > config.swap_max_gap_s:
            chain_id, flip = chain_id + 1, False
            p1[:], p2[:], t1[:], t2[:] = np.nan, np.nan, np.nan, np.nan
        if flip:
            current = current[::-1]
        predicted = _predict(p1, p2, t1, t2, time[i], config.swap_max_gap_s)
        if _switches(current, predicted, scale, config):
            flip = not flip
            current = current[::-1]
        relative[i], chain[i], last = flip, chain_id, time[i]
        seen = np.isfinite(current).all(axis=-1)
        p2[seen], t2[seen] = p1[seen], t1[seen]
        p1[seen], t1[seen] = current[seen], time[i]
    return relative, chain


def _predict(p1, p2, t1, t2, t, max_gap_s):
    """Constant-velocity prediction at ``t`` from each keypoint's last two positions (NaN if too old)."""
    dt = t1 - t2
    moving = (dt > 0) & ((t - t2) <= 2 * max_gap_s)  # False where NaN
    safe_dt = np.where(moving, dt, 1.0)
    velocity = np.where(moving[..., None], (p1 - p2) / safe_dt[..., None], 0.0)
    predicted = p1 + velocity * (t - t1)[..., None]
    predicted[~((t - t1) <= max_gap_s)] = np.nan
    return predicted


def _switches(current, predicted, scale, config) -> bool:
    """Does the exchanged labelling continue the trajectories much better than the given one?"""
    kept = ((current - predicted) ** 2).sum(axis=-1)  # (leg, part); NaN where not scorable
    swapped = ((current - predicted[::-1]) ** 2).sum(axis=-1)
    usable = ~(np.isnan(kept) | np.isnan(swapped))
    count = int(usable.sum())
    if count < 2:
        return False
    e_kept = math.sqrt(float(kept[usable].sum()) / count)
    e_swapped = math.sqrt(float(swapped[usable].sum()) / count)
    return e_kept > config.swap_min_jump * scale and e_swapped < config.swap_cost_ratio * e_kept


def _evidence(ds, view, config) -> np.ndarray:
    """Per-frame evidence in [−1, 1] that the labels are right (NaN without any cue)."""
    # +1 when the right leg should be the camera-side one (facing image right), −1 facing left.
    near_right = np.select([view == "side_right", view == "side_left"], [1.0, -1.0], default=np.nan)
    world = scene_positions(ds, "position_world_m", config).values[..., 2]
    visibility = ds["visibility"].where(ds["detected"]).values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        depth = np.nanmean(world[:, _LEFT], axis=1) - np.nanmean(world[:, _RIGHT], axis=1)
        seen = np.nanmean(visibility[:, _RIGHT], axis=1) - np.nanmean(visibility[:, _LEFT], axis=1)
        cues = np.stack([
            np.clip(near_right * depth / config.swap_depth_margin_m, -1, 1),
            np.clip(near_right * seen / config.swap_visibility_margin, -1, 1),
        ])
        return np.nanmean(cues, axis=0)


def _decide(relative, chain, evidence, min_evidence) -> np.ndarray:
    swapped = np.zeros(relative.size, dtype=bool)
    for c in np.unique(chain[chain >= 0]):
        frames = np.flatnonzero(chain == c)
        rel = relative[frames]
        starts = np.flatnonzero(np.diff(np.concatenate([[-1], rel.astype(int)])) != 0)
        bounds = np.append(starts, rel.size)
        # Chain parity implied by each decided segment (True: the chain's start is swapped), by frame count.
        votes = {False: 0, True: 0}
        decided: dict[int, bool] = {}
        for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
            sign = -1.0 if rel[a] else 1.0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(sign * evidence[frames[a:b]])
            if np.isfinite(mean) and abs(mean) >= min_evidence:
                # The segment's final "swapped" flag: its relative labelling is right when mean > 0.
                decided[k] = bool(rel[a]) != bool(mean < 0)
                votes[decided[k] != bool(rel[a])] += b - a
        if votes[False] or votes[True]:
            parity = votes[True] > votes[False]
        else:
            parity = int(rel.sum()) > rel.size - int(rel.sum())
        for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
            swapped[frames[a:b]] = decided.get(k, bool(rel[a]) != parity)
    return swapped
