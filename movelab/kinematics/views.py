"""Camera view and facing direction: which way the client is turned to the camera, frame by frame and as
stretches of video.

Views are ``side_left`` (client faces image left), ``side_right``, ``front`` (faces the camera), ``back``
and ``oblique`` (docs/conventions.md, *Views*). Frames with no usable estimate are ``"unknown"``.
Sagittal angles are reported only in side views and frontal angles only in front and back views.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import ConfigError
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.conventions import VIEWS
from movelab.kinematics.geometry import midpoint, point
from movelab.kinematics.inputs import check_config, check_landmarks, scene_positions
from movelab.kinematics.mirrors import fix_frontal_mirrors, shoulder_cosine

__all__ = [
    "UNKNOWN",
    "estimate_yaw",
    "classify_views",
    "detect_views",
    "views_per_frame",
    "facing_sign",
    "frontal_sign",
]

#: Label of frames whose view could not be estimated (client not found, landmarks missing).
UNKNOWN = "unknown"

_STRETCH_COLUMNS = ["start_s", "end_s", "view", "start_frame", "end_frame"]
# A facing cue counts only beyond this magnitude (cues are in [-1, 1]).
_MIN_FACING = 0.1


def estimate_yaw(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """The client's yaw relative to the camera, per frame, in degrees (not smoothed).

    Parameters
    ----------
    ds
        Landmark Dataset.
    config
        Uses ``min_confidence`` (presence gate), ``frontal_shoulder_width`` and ``front_tolerance_deg``.

    Returns
    -------
    xarray.DataArray
        ``yaw_deg (time)`` in (−180, 180]: 0 facing the camera, +90 facing image right, ±180 back to the
        camera, −90 facing image left. NaN where no cue is available.

    Notes
    -----
    Two estimates are averaged as unit vectors when both exist:

    * **Picture**: with ``n`` the image direction perpendicular to the trunk (image right for an upright
      client), ``c = ((left_shoulder − right_shoulder)·n / torso) / frontal_shoulder_width`` clipped to
      [−1, 1] is the cosine of the yaw (the client's left shoulder appears on the image right when facing
      the camera). The sign of the sine is the facing direction: the mean of the nose ahead of the ear
      midpoint (in units of 0.1 torso) and of the feet's heel→toe direction (in units of 0.3 torso), each
      clipped to [−1, 1], projected on ``n``. ``yaw = atan2(sign · sqrt(1 − c²), c)``. Without a facing
      cue the picture estimate is 0 or 180 when ``|c| ≥ cos(front_tolerance_deg)`` and NaN otherwise.
    * **World**: MediaPipe's world landmarks (x right, z away from the camera):
      ``yaw = atan2(d_z, d_x)`` with ``d`` the mean of the left-minus-right shoulder and hip vectors.

    Both read the labels after the frames whose labels are all mirrored in a front or back view are put back
    (:func:`movelab.kinematics.mirrors.fix_frontal_mirrors`): a model that reads someone seen from behind as
    facing the camera gives a front view's cues in every one.
    """
    check_landmarks(ds)
    check_config(config)
    ds = fix_frontal_mirrors(ds, config=config)
    px = scene_positions(ds, "position_px", config)
    yaws = [_picture_yaw(px, config), _world_yaw(scene_positions(ds, "position_world_m", config))]
    vectors = [np.stack([np.cos(np.radians(y)), np.sin(np.radians(y))]) for y in yaws]
    total = np.nansum(np.stack(vectors), axis=0)
    any_cue = np.any([np.isfinite(y) for y in yaws], axis=0)
    yaw = np.where(any_cue, np.degrees(np.arctan2(total[1], total[0])), np.nan)
    return xr.DataArray(
        yaw,
        dims=("time",),
        coords={"time": ds["time"], "frame": ds["frame"]},
        name="yaw_deg",
        attrs={"units": "deg", "description": "0 facing the camera, +90 facing image right"},
    )


def classify_views(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """Per-frame view labels from the smoothed yaw (before short stretches are merged).

    Returns
    -------
    xarray.DataArray
        ``view (time)`` of strings: one of ``VIEWS`` or ``"unknown"``.

    Notes
    -----
    The yaw's unit vector is averaged over a centred window of ``view_smoothing_s``; then with
    ``a = |yaw|``: ``front`` if ``a ≤ front_tolerance_deg``, ``back`` if ``a ≥ 180 − front_tolerance_deg``,
    ``side_right`` (``side_left``) if ``|a − 90| ≤ side_tolerance_deg`` and ``yaw > 0`` (``< 0``), else
    ``oblique``.
    """
    yaw = estimate_yaw(ds, config=config)
    smooth = _smooth_yaw(yaw, config.view_smoothing_s)
    labels = _label(smooth, config)
    return xr.DataArray(labels, dims=("time",), coords={"time": ds["time"], "frame": ds["frame"]}, name="view")


def detect_views(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> pd.DataFrame:
    """Stretches of one view, at least ``min_view_s`` long.

    Returns
    -------
    pandas.DataFrame
        One row per stretch, in time order, with columns ``start_s``, ``end_s`` (times of the stretch's
        first and last frames, inclusive), ``view`` (one of ``VIEWS``), ``start_frame``, ``end_frame``.
        Stretches with no estimate (client absent) are left out.

    Notes
    -----
    Runs of one per-frame label (:func:`classify_views`) shorter than ``min_view_s`` are merged, shortest
    first, into their neighbours: absorbed if the two neighbours agree, split at its middle between them
    if they differ (a quick turn), absorbed by the one neighbour at either end of the video.
    """
    labels = classify_views(ds, config=config)
    time = ds["time"].values
    frames = ds["frame"].values
    runs = _merge_short_runs(_runs(labels.values), time, config.min_view_s)
    rows = [(time[a], time[b - 1], view, int(frames[a]), int(frames[b - 1])) for view, a, b in runs if view != UNKNOWN]
    table = pd.DataFrame(rows, columns=_STRETCH_COLUMNS)
    return table.astype({"start_s": float, "end_s": float, "view": object, "start_frame": int, "end_frame": int})


def views_per_frame(ds: xr.Dataset, views=None, *, config: KinematicsConfig = KinematicsConfig()) -> xr.DataArray:
    """The view of every frame of ``ds`` from a view specification.

    Parameters
    ----------
    ds
        Landmark Dataset whose frames the labels are wanted for.
    views
        ``None`` to detect the views (:func:`detect_views` with ``config``); one of ``VIEWS`` for the
        whole video; a DataFrame of stretches with columns ``start_s``, ``end_s`` and ``view`` (as
        :func:`detect_views` returns; times inclusive); or a per-frame DataArray of labels along ``time``
        (as :func:`classify_views` returns).
    config
        Used only to detect the views.

    Returns
    -------
    xarray.DataArray
        ``view (time)``: one of ``VIEWS`` or ``"unknown"`` (frames outside every stretch).
    """
    if views is None:
        views = detect_views(ds, config=config)
    time = ds["time"].values
    if isinstance(views, str):
        _check_view_names([views])
        labels = np.full(time.shape, views, dtype=object)
    elif isinstance(views, pd.DataFrame):
        missing = {"start_s", "end_s", "view"} - set(views.columns)
        if missing:
            raise ConfigError(f"a views table needs the columns start_s, end_s and view; missing {sorted(missing)}")
        _check_view_names(views["view"])
        labels = np.full(time.shape, UNKNOWN, dtype=object)
        for start, end, view in zip(views["start_s"], views["end_s"], views["view"]):
            labels[(time >= start - 1e-9) & (time <= end + 1e-9)] = view
    elif isinstance(views, xr.DataArray):
        if views.dims != ("time",) or views.sizes["time"] != time.size:
            raise ConfigError(
                f"per-frame views must have dims ('time',) and {time.size} frames, "
                f"got dims {views.dims} and shape {views.shape}"
            )
        labels = np.asarray(views.values, dtype=object)
        _check_view_names(set(labels) - {UNKNOWN})
    else:
        raise ConfigError(
            "views must be a view name, a DataFrame of stretches (start_s, end_s, view) or a per-frame "
            f"DataArray, got {type(views).__name__}"
        )
    return xr.DataArray(labels, dims=("time",), coords={"time": ds["time"], "frame": ds["frame"]}, name="view")


def facing_sign(view: xr.DataArray) -> np.ndarray:
    """+1 where the client faces image right (``side_right``), −1 facing left (``side_left``), else NaN.

    Multiplying image ``x`` by it gives the ``forward`` axis of the sagittal frame (docs/conventions.md).
    """
    labels = np.asarray(view.values, dtype=object)
    return np.select([labels == "side_right", labels == "side_left"], [1.0, -1.0], default=np.nan)


def frontal_sign(view: xr.DataArray) -> np.ndarray:
    """+1 in ``front`` view, −1 in ``back`` view, else NaN.

    Multiplying image ``x`` by it gives the client's anatomical left (front view: the client's left is on
    the image right).
    """
    labels = np.asarray(view.values, dtype=object)
    return np.select([labels == "front", labels == "back"], [1.0, -1.0], default=np.nan)


def _check_view_names(names) -> None:
    bad = sorted({str(v) for v in names} - set(VIEWS))
    if bad:
        raise ConfigError(f"unknown view(s) {bad}; expected one of {list(VIEWS)}")


def _picture_yaw(px: xr.DataArray, config: KinematicsConfig) -> np.ndarray:
    cosine, torso = shoulder_cosine(px, config)
    trunk = midpoint(px, "shoulder") - midpoint(px, "hip")
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = np.column_stack([-trunk[:, 1], trunk[:, 0]]) / torso[:, None]
        head = _dot(point(px, "nose") - midpoint(px, "ear", fallback=True), normal) / (0.1 * torso)
        feet = np.stack(
            [
                _dot(point(px, f"{s}_foot_index") - point(px, f"{s}_heel"), normal) / (0.3 * torso)
                for s in ("left", "right")
            ]
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        facing = np.nanmean(np.stack([np.clip(head, -1, 1), np.nanmean(np.clip(feet, -1, 1), axis=0)]), axis=0)
    sign = np.where(np.abs(facing) >= _MIN_FACING, np.sign(facing), np.nan)
    yaw = np.degrees(np.arctan2(sign * np.sqrt(1.0 - cosine**2), cosine))
    # Facing squarely towards or away from the camera needs no facing direction.
    square = np.abs(cosine) >= math.cos(math.radians(config.front_tolerance_deg))
    return np.where(np.isnan(sign) & square, np.where(cosine > 0, 0.0, 180.0), yaw)


def _world_yaw(world: xr.DataArray) -> np.ndarray:
    across = [point(world, f"left_{p}") - point(world, f"right_{p}") for p in ("shoulder", "hip")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.nanmean(np.stack(across), axis=0)
    usable = np.hypot(d[:, 0], d[:, 2]) > 1e-6
    return np.where(usable, np.degrees(np.arctan2(d[:, 2], d[:, 0])), np.nan)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1]


def _smooth_yaw(yaw: xr.DataArray, width_s: float) -> np.ndarray:
    values = yaw.values
    time = yaw["time"].values
    if time.size < 2 or width_s <= 0:
        return values
    window = max(1, int(round(width_s / float(np.median(np.diff(time))))))
    window += 1 - window % 2  # odd, so that it is centred
    rad = np.radians(values)
    parts = pd.DataFrame({"c": np.cos(rad), "s": np.sin(rad)})
    mean = parts.rolling(window, center=True, min_periods=1).mean()
    smooth = np.degrees(np.arctan2(mean["s"].to_numpy(), mean["c"].to_numpy()))
    return np.where(np.isfinite(values), smooth, np.nan)


def _label(yaw: np.ndarray, config: KinematicsConfig) -> np.ndarray:
    a = np.abs(yaw)
    front, side = config.front_tolerance_deg, config.side_tolerance_deg
    with np.errstate(invalid="ignore"):
        conditions = [
            ~np.isfinite(yaw),
            a <= front,
            a >= 180.0 - front,
            (np.abs(a - 90.0) <= side) & (yaw > 0),
            (np.abs(a - 90.0) <= side) & (yaw < 0),
        ]
    choices = [UNKNOWN, "front", "back", "side_right", "side_left"]
    return np.select(conditions, choices, default="oblique").astype(object)


def _runs(labels: np.ndarray) -> list[list]:
    """``[label, start, stop)`` runs of equal labels."""
    runs: list[list] = []
    for i, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1][2] = i + 1
        else:
            runs.append([label, i, i + 1])
    return runs


def _merge_short_runs(runs: list[list], time: np.ndarray, min_s: float) -> list[list]:
    step = float(np.median(np.diff(time))) if time.size > 1 else 0.0

    def duration(run) -> float:
        return float(time[run[2] - 1] - time[run[1]]) + step

    while len(runs) > 1:
        shortest = min(range(len(runs)), key=lambda i: duration(runs[i]))
        if duration(runs[shortest]) >= min_s:
            break
        prev = runs[shortest - 1] if shortest > 0 else None
        nxt = runs[shortest + 1] if shortest + 1 < len(runs) else None
        run = runs[shortest]
        if prev is not None and nxt is not None:
            if prev[0] == nxt[0]:
                prev[2] = nxt[2]
                del runs[shortest : shortest + 2]
                continue
            middle = (run[1] + run[2] + 1) // 2  # a transition: split between the two neighbours
            prev[2], nxt[1] = middle, middle
        elif prev is not None:
            prev[2] = run[2]
        else:
            nxt[1] = run[1]
        del runs[shortest]
    return runs
