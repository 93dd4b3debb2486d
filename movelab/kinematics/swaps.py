"""Left/right leg label swaps in side view: detection and correction.

In profile the two legs overlap, and pose models often give the left leg's landmarks the right leg's
labels for a while (Sports2D issues 30, 31, 35, 39). A swap shows as both legs jumping onto each other's
trajectories; this module finds those switches by trajectory continuity, decides which labelling is the
true one for each stretch between switches, and exchanges the labels back. Brief swaps of only the
lower leg (the foot, or the knee down) as the legs pass each other are found first, by the relabelling
that best continues both legs' trajectories and keeps each leg's segment lengths. Last, in a split stance
(lunges, split squats) the thighs and feet labelled out of the stance's front/rear order are put back.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import xarray as xr

from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import LEG_PARTS, median_torso_length
from movelab.kinematics.inputs import check_config, check_landmarks, scene_positions
from movelab.kinematics.mirrors import exchange_labels
from movelab.kinematics.runs import runs
from movelab.kinematics.views import views_per_frame
from movelab.landmarks import KEYPOINTS

__all__ = [
    "detect_leg_swaps",
    "detect_partial_leg_swaps",
    "detect_stance_swaps",
    "fix_leg_swaps",
    "swap_legs",
    "detect_frontal_swaps",
    "fix_frontal_swaps",
]

_LEFT = [KEYPOINTS.index(f"left_{p}") for p in LEG_PARTS]
_RIGHT = [KEYPOINTS.index(f"right_{p}") for p in LEG_PARTS]
# Brief swaps, by index into LEG_PARTS: state 1 exchanges the foot (ankle, heel, foot_index), state 2
# the leg from the knee down, state 3 the whole leg. State 0 keeps the labels.
_STATE_PARTS = {1: (2, 3, 4), 2: (1, 2, 3, 4), 3: (0, 1, 2, 3, 4)}
# Split-stance swaps: each group of LEG_PARTS (by index) is ordered by its first part (the knee, the ankle).
_STANCE_GROUPS = ((1, 0), (2, 3, 4))


def detect_leg_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
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
    time, view, side, legs, scale = _side_view_legs(ds, views, config)
    result = np.zeros(time.size, dtype=bool)
    if side.any() and np.isfinite(scale):
        relative, chain = _follow(time, legs, side, scale, config)
        evidence = _evidence(ds, view, config)
        result = _decide(relative, chain, evidence, config.swap_min_evidence)
    return xr.DataArray(
        result,
        dims=("time",),
        coords={"time": ds["time"], "frame": ds["frame"]},
        name="leg_swap",
        attrs={"description": "left/right leg labels exchanged by the pose model"},
    )


def fix_leg_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.Dataset:
    """``ds`` with swapped leg labels exchanged back.

    First, if ``swap_partial`` is set, the brief partial (and whole-leg) swaps that
    :func:`detect_partial_leg_swaps` finds; then the swaps :func:`detect_leg_swaps` finds in the result;
    last, if ``swap_stance`` is set, the thighs and feet :func:`detect_stance_swaps` finds out of order in a
    split stance. ``attrs["leg_parts_exchanged"]`` counts the frames changed by the first step,
    ``attrs["stance_parts_exchanged"]`` the (frame, group) pairs changed by the last."""
    check_landmarks(ds)
    check_config(config)
    view = views_per_frame(ds, views, config=config)
    out = ds
    if config.swap_partial:
        partial = detect_partial_leg_swaps(ds, views=view, config=config).values
        for state, parts in _STATE_PARTS.items():
            out = exchange_labels(out, partial == state, [LEG_PARTS[k] for k in parts], "leg_parts_exchanged")
    out = swap_legs(out, detect_leg_swaps(out, views=view, config=config))
    if config.swap_stance:
        found = detect_stance_swaps(out, views=view, config=config).values
        for k, parts in enumerate(_STANCE_GROUPS):
            out = exchange_labels(out, found[:, k], [LEG_PARTS[j] for j in parts], "stance_parts_exchanged")
    return out


def detect_stance_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """Side views, split stance (lunges, split squats): frames whose thighs or feet are labelled out of order.

    With both feet planted apart, one leg is the front leg until the feet come together again: its knee and
    its ankle lie ahead of the other's (in the facing direction) in every frame, whatever the knees do. The
    pose model still gives the front thigh or foot the rear leg's labels for stretches of several frames
    (at the start of the stance and as the stepping foot lands), and its own depth and visibility follow its
    labels, so :func:`detect_leg_swaps` cannot tell.

    Parameters
    ----------
    ds, views
        As for :func:`detect_leg_swaps`.
    config
        Uses ``swap_stance_*``, ``swap_max_gap_s``, ``min_confidence`` and the view settings.

    Returns
    -------
    xarray.DataArray
        ``leg_stance_swap (time, group)`` bool; group ``thigh`` (hip and knee) and ``foot`` (ankle, heel and
        foot_index): True where that group's labels should be exchanged.

    Notes
    -----
    Positions along the facing direction are in torso lengths (the clip's median). Per chain of side-view
    frames (as in :func:`detect_leg_swaps`):

    1. **Stance stretches**, read without the labels: the front-most and rear-most ankle, each a running
       median over ``swap_stance_median_s`` (a brief mislabelling of one ankle does not move it). Frames
       where they are at least ``swap_stance_min_spread`` apart form runs; a run is a stance stretch when
       both feet are planted (each moving under ``swap_stance_max_speed`` torso lengths/s) for at least
       ``swap_stance_min_s`` in it. Walking never plants both feet that long, a squat never has them apart.
    2. **Order.** In a stretch, a frame votes for the right leg as the front one when its labelled right
       knee (ankle) is ahead of the left by at least ``swap_stance_margin``, for the left leg when it is
       behind by as much; closer frames do not vote. The majority of the stretch's votes names the front
       leg; the frames that voted the other way have that group's labels exchanged.
    """
    time, view, side, legs, scale = _side_view_legs(ds, views, config)
    result = np.zeros((time.size, len(_STANCE_GROUPS)), dtype=bool)
    if side.any() and np.isfinite(scale) and scale > 0:
        facing = np.select([view == "side_right", view == "side_left"], [1.0, -1.0], default=np.nan)
        ahead = facing[:, None, None] * legs[..., 0] / scale  # (time, leg, part), torso lengths forward
        for frames in _chains(time, legs, side, config.swap_max_gap_s):
            for stretch in _stance_stretches(time[frames], ahead[frames][:, :, 2], config):
                rows = frames[stretch]
                for k, parts in enumerate(_STANCE_GROUPS):
                    result[rows, k] = _out_of_order(ahead[rows][:, :, parts[0]], config.swap_stance_margin)
    return xr.DataArray(
        result,
        dims=("time", "group"),
        coords={"time": ds["time"], "frame": ds["frame"], "group": ["thigh", "foot"]},
        name="leg_stance_swap",
        attrs={"description": "thigh (hip, knee) or foot labels exchanged in a split stance"},
    )


def _stance_stretches(time, ankles, config) -> list[np.ndarray]:
    """Index arrays (into one chain) of its split-stance stretches; ``ankles (time, leg)`` in torso lengths
    forward."""
    step = float(np.median(np.diff(time))) if time.size > 1 else 1.0
    step = step if step > 0 else 1.0
    half = max(1, int(round(config.swap_stance_median_s / step / 2)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        front = _running_median(np.nanmax(ankles, axis=1), half)
        rear = _running_median(np.nanmin(ankles, axis=1), half)
        speed = np.maximum(_speed(front, time, half), _speed(rear, time, half))
    apart = (front - rear) >= config.swap_stance_min_spread  # False where NaN
    planted = apart & (speed < config.swap_stance_max_speed)
    return [np.arange(a, b) for a, b in runs(apart) if planted[a:b].sum() * step >= config.swap_stance_min_s]


def _running_median(values, half) -> np.ndarray:
    """Centred running median over ``2·half + 1`` frames (fewer at the ends), NaNs ignored."""
    padded = np.pad(values, half, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    return np.nanmedian(windows, axis=1)


def _speed(track, time, half) -> np.ndarray:
    """|Δ track / Δ t| across ``±half`` frames (fewer at the ends); NaN where a value is missing."""
    n = track.size
    lo, hi = np.clip(np.arange(n) - half, 0, n - 1), np.clip(np.arange(n) + half, 0, n - 1)
    span = time[hi] - time[lo]
    return np.abs(track[hi] - track[lo]) / np.where(span > 0, span, np.nan)


def _out_of_order(ahead, margin) -> np.ndarray:
    """Frames of one stretch whose labelled legs (``ahead (time, leg)``, left then right) vote against the
    majority's front leg."""
    lead = ahead[:, 1] - ahead[:, 0]  # > 0: the right leg ahead
    right, left = lead >= margin, lead <= -margin  # False where NaN
    if right.sum() == left.sum():
        return np.zeros(lead.size, dtype=bool)
    return left if right.sum() > left.sum() else right


def detect_partial_leg_swaps(
    ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()
) -> xr.DataArray:
    """Brief left/right label swaps of part of the legs (side views): the foot, the knee down, or the leg.

    As the legs pass each other in profile, MediaPipe often puts the near leg's ankle, heel and foot (and
    often the knee) on the far leg for one to three frames while the hips (and knees) stay right.

    Parameters
    ----------
    ds, views
        As for :func:`detect_leg_swaps`.
    config
        Uses ``swap_partial_*``, ``swap_accel_cap``, ``swap_length_weight``, ``swap_max_gap_s``,
        ``min_confidence`` and the view settings.

    Returns
    -------
    xarray.DataArray
        ``leg_partial_swap (time)`` int: 0 labels kept, 1 ankle, heel and foot_index exchanged, 2 knee,
        ankle, heel and foot_index exchanged, 3 the whole leg exchanged.

    Notes
    -----
    Each chain of side-view frames (as in :func:`detect_leg_swaps`) is labelled by dynamic programming
    with the sequence of states that minimises, in units of the median torso length squared,

    * the squared acceleration (second difference per frame²) of the five leg keypoints of both legs as
      relabelled -- the assignment that best continues both legs' trajectories -- each keypoint's term
      capped at ``swap_accel_cap²`` so that one wildly misplaced point cannot decide alone;
    * ``swap_length_weight`` × the squared differences of each leg's thigh (hip→knee) and shank
      (knee→ankle) lengths from that leg's median over the chain -- segment-length consistency;
    * ``swap_partial_penalty`` for each frame whose labels are changed.

    Runs of changed frames longer than ``swap_partial_max_s`` are then reset to 0 and left to
    :func:`detect_leg_swaps`. A swap is thus corrected where moving the points back removes much more
    trajectory discontinuity and length inconsistency than the penalty; correct labels give smooth
    trajectories and consistent lengths and stay as they are. In profile the two hips (and the knees as
    they cross) nearly coincide, so the foot, knee-down and whole-leg states can be almost equally good
    there; any of them then gives the same angles.
    """
    time, _, side, legs, scale = _side_view_legs(ds, views, config)
    result = np.zeros(time.size, dtype=np.int8)
    if side.any() and np.isfinite(scale) and scale > 0:
        for frames in _chains(time, legs, side, config.swap_max_gap_s):
            result[frames] = _partial_states(time[frames], legs[frames] / scale, config)
    return xr.DataArray(
        result,
        dims=("time",),
        coords={"time": ds["time"], "frame": ds["frame"]},
        name="leg_partial_swap",
        attrs={"description": "0 labels kept, 1 ankle/heel/foot_index, 2 knee down, 3 whole leg exchanged"},
    )


def _side_view_legs(ds: xr.Dataset, views, config: KinematicsConfig):
    """What both swap detectors read, after checking their inputs: the frame times, the per-frame views and
    which of them are side views, the legs' pixel positions ``(time, leg, part, xy)`` and the clip's median
    torso length (px)."""
    check_landmarks(ds)
    check_config(config)
    view = views_per_frame(ds, views, config=config).values
    px = scene_positions(ds, "position_px", config)
    legs = np.stack([px.values[:, _LEFT], px.values[:, _RIGHT]], axis=1)
    side = (view == "side_right") | (view == "side_left")
    return ds["time"].values, view, side, legs, median_torso_length(px)


def _chains(time, legs, side, max_gap_s):
    """Index arrays of the runs of side-view frames with leg data and no gap over ``max_gap_s``."""
    has_data = np.isfinite(legs).any(axis=(1, 2, 3))
    chains, current, last = [], [], -np.inf
    for i in range(time.size):
        if not side[i]:
            if current:
                chains.append(np.array(current))
            current, last = [], -np.inf
            continue
        if not has_data[i]:
            continue
        if current and time[i] - last > max_gap_s:
            chains.append(np.array(current))
            current = []
        current.append(i)
        last = time[i]
    if current:
        chains.append(np.array(current))
    return chains


def _relabel(legs, state):
    """``legs (..., leg, part, xy)`` with the parts of ``state`` exchanged between the legs."""
    if state == 0:
        return legs
    out = legs.copy()
    parts = list(_STATE_PARTS[state])
    out[..., 0, parts, :], out[..., 1, parts, :] = legs[..., 1, parts, :], legs[..., 0, parts, :]
    return out


def _partial_states(time, legs, config) -> np.ndarray:
    """Minimum-cost state sequence of one chain (positions in torso lengths)."""
    n = time.size
    states = [0, *_STATE_PARTS]
    if n < 3:
        return np.zeros(n, dtype=np.int8)
    options = np.stack([_relabel(legs, s) for s in states])  # (state, time, leg, part, xy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        thigh = np.linalg.norm(legs[:, :, 1] - legs[:, :, 0], axis=-1)  # as labelled, for the medians
        shank = np.linalg.norm(legs[:, :, 2] - legs[:, :, 1], axis=-1)
        ref_thigh = np.nanmedian(thigh, axis=0)
        ref_shank = np.nanmedian(shank, axis=0)
    # Unary cost (state, time): length consistency and the penalty for changing labels.
    o_thigh = np.linalg.norm(options[:, :, :, 1] - options[:, :, :, 0], axis=-1)
    o_shank = np.linalg.norm(options[:, :, :, 2] - options[:, :, :, 1], axis=-1)
    length = np.nan_to_num((o_thigh - ref_thigh) ** 2) + np.nan_to_num((o_shank - ref_shank) ** 2)
    unary = config.swap_length_weight * length.sum(axis=-1)
    unary[1:] += config.swap_partial_penalty
    # Pairwise-in-time acceleration cost of a triple of states (a, b, c) at frames i-2, i-1, i.
    step = float(np.median(np.diff(time)))
    step = step if step > 0 else 1.0
    dt = np.diff(time) / step
    dt = np.where(dt > 0, dt, 1.0)
    p0 = options[:, :-2][:, None, None]
    p1 = options[:, 1:-1][None, :, None]
    p2 = options[:, 2:][None, None, :]
    d1 = dt[:-1][:, None, None, None]
    d2 = dt[1:][:, None, None, None]
    acc = 2.0 * ((p2 - p1) / d2 - (p1 - p0) / d1) / (d1 + d2)
    # Truncated quadratic: one keypoint the model misplaces wildly cannot outweigh the others.
    squared = np.minimum(np.nan_to_num((acc**2).sum(axis=-1)), config.swap_accel_cap**2)
    accel = squared.sum(axis=(-1, -2))  # (a, b, c, time - 2)
    # Dynamic programming over pairs of consecutive states.
    cost = unary[:, 0][:, None] + unary[:, 1][None, :]  # (a, b) at frame 1
    back = []
    for i in range(2, n):
        total = cost[:, :, None] + accel[:, :, :, i - 2]  # (a, b, c)
        best_a = np.argmin(total, axis=0)  # (b, c)
        cost = np.take_along_axis(total, best_a[None], axis=0)[0] + unary[:, i][None, :]
        back.append(best_a)
    b, c = np.unravel_index(int(np.argmin(cost)), cost.shape)
    path = [c, b]
    for best_a in reversed(back):
        a = best_a[path[-1], path[-2]]
        path.append(a)
    path = path[::-1]
    found = np.array([states[s] for s in path], dtype=np.int8)
    # Only brief swaps are corrected here; longer stretches are left to detect_leg_swaps.
    max_frames = max(1, int(round(config.swap_partial_max_s / step)))
    changed = np.concatenate([[0], (found != 0).astype(int), [0]])
    starts, stops = np.flatnonzero(np.diff(changed) == 1), np.flatnonzero(np.diff(changed) == -1)
    for a, b in zip(starts, stops):
        if b - a > max_frames:
            found[a:b] = 0
    return found


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
    return exchange_labels(ds, where, LEG_PARTS, "leg_labels_exchanged")


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
        predicted = _predict(p1, p2, t1, t2, t=time[i], max_gap_s=config.swap_max_gap_s)
        if _switches(current, predicted, scale, config):
            flip = not flip
            current = current[::-1]
        relative[i], chain[i], last = flip, chain_id, time[i]
        seen = np.isfinite(current).all(axis=-1)
        p2[seen], t2[seen] = p1[seen], t1[seen]
        p1[seen], t1[seen] = current[seen], time[i]
    return relative, chain


def _predict(p1, p2, t1, t2, *, t, max_gap_s):
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
        cues = np.stack(
            [
                np.clip(near_right * depth / config.swap_depth_margin_m, -1, 1),
                np.clip(near_right * seen / config.swap_visibility_margin, -1, 1),
            ]
        )
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


def detect_frontal_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """Front and back views: per frame and leg keypoint, are the left and right labels exchanged?

    Seen square from the front (back), the client's left hip, knee, ankle, heel and foot lie on image right
    (left) of the right ones whatever the leg does in a squat, lunge or walk; a pair found on the wrong side
    by more than ``frontal_swap_margin`` torso lengths can only be a label swap (the pose model settling or
    losing track briefly; it gave an obliquity of 172° on a rendered squat, issue 18).

    Parameters
    ----------
    ds, views
        As for :func:`detect_leg_swaps`.
    config
        Uses ``frontal_swap_margin``, ``min_confidence`` and the view settings.

    Returns
    -------
    xarray.DataArray
        ``leg_frontal_swap (time, part)`` bool over :data:`LEG_PARTS`; False outside front and back views.

    Notes
    -----
    With ``s`` = +1 in front view and −1 in back view, the pair is exchanged when
    ``s · (x_left − x_right) < −frontal_swap_margin · torso`` (image ``x`` in pixels, the clip's median torso
    length). Pairs closer than the margin stay as labelled (a knee can come close to the other in valgus).
    """
    check_landmarks(ds)
    check_config(config)
    view = views_per_frame(ds, views, config=config).values
    sign = np.select([view == "front", view == "back"], [1.0, -1.0], default=np.nan)
    px = scene_positions(ds, "position_px", config)
    scale = median_torso_length(px)
    with np.errstate(invalid="ignore"):
        lateral = sign[:, None] * (px.values[:, _LEFT, 0] - px.values[:, _RIGHT, 0])
        swapped = lateral < -config.frontal_swap_margin * scale if np.isfinite(scale) else np.zeros_like(lateral, bool)
    return xr.DataArray(
        swapped,
        dims=("time", "part"),
        coords={"time": ds["time"], "frame": ds["frame"], "part": list(LEG_PARTS)},
        name="leg_frontal_swap",
        attrs={"description": "left/right labels exchanged in a front or back view"},
    )


def fix_frontal_swaps(ds: xr.Dataset, *, views=None, config: KinematicsConfig = KinematicsConfig()) -> xr.Dataset:
    """``ds`` with the left/right leg labels :func:`detect_frontal_swaps` finds exchanged back, pair by pair.
    ``attrs["frontal_labels_exchanged"]`` counts the pairs changed."""
    found = detect_frontal_swaps(ds, views=views, config=config).values
    out = ds
    for k, part in enumerate(LEG_PARTS):
        out = exchange_labels(out, found[:, k], [part], "frontal_labels_exchanged")
    return out
