"""Geometry on keypoint positions, shared by the angles, the outline estimates and the events: one keypoint's
track, left/right midpoints, the torso length, signed and unsigned 2-D angles, the image-to-body-plane
change of axes, and where an outline crosses a picture row. Pure numpy on labelled positions
``(time, keypoint, space_2d)`` and outline polygons ``(point, 2)``."""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

__all__ = [
    "support_speeds",
    "LEG_PARTS",
    "point",
    "arm_points",
    "midpoint",
    "torso_length",
    "median_torso_length",
    "signed_angle_deg",
    "unsigned_angle_deg",
    "to_plane",
    "row_crossings_x",
    "row_interval",
    "heel_rise_pitch_deg",
    "foot_pitch_deg",
    "UP",
    "DOWN",
]

LEG_PARTS: tuple[str, ...] = ("hip", "knee", "ankle", "heel", "foot_index")

#: Unit vectors of a body plane ``(forward or lateral, up)``.
UP = np.array([0.0, 1.0])
DOWN = np.array([0.0, -1.0])


def point(position: xr.DataArray, name: str) -> np.ndarray:
    """``(time, 2)`` or ``(time, 3)`` float array of one keypoint."""
    if position.dims[:2] == ("time", "keypoint"):
        index = position.get_index("keypoint").get_loc(name)
        return np.array(position.values[:, index], dtype=np.float64)
    return np.asarray(position.sel(keypoint=name).transpose("time", ...).values, dtype=np.float64)


def arm_points(position: xr.DataArray) -> np.ndarray:
    """``(time, 2 arms, 3 points, 2)``: shoulder, elbow and wrist of the left then the right arm."""
    return np.stack(
        [
            np.stack([point(position, f"{s}_{p}") for p in ("shoulder", "elbow", "wrist")], axis=1)
            for s in ("left", "right")
        ],
        axis=1,
    )


def midpoint(position: xr.DataArray, stem: str, *, fallback: np.ndarray | bool = False) -> np.ndarray:
    """Midpoint of ``left_<stem>`` and ``right_<stem>``.

    Where ``fallback`` is true (a bool or a per-frame mask) and only one side is finite, that side is used.
    """
    left, right = point(position, f"left_{stem}"), point(position, f"right_{stem}")
    mid = (left + right) / 2.0
    fallback = np.broadcast_to(np.asarray(fallback, dtype=bool), mid.shape[:1])
    if fallback.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            one = np.nanmean(np.stack([left, right]), axis=0)
        use = fallback & ~np.isfinite(mid).all(axis=1)
        mid[use] = one[use]
    return mid


def torso_length(position: xr.DataArray) -> np.ndarray:
    """Per-frame distance from ``hip_mid`` to ``shoulder_mid`` (one side used when the other is missing)."""
    trunk = midpoint(position, "shoulder", fallback=True) - midpoint(position, "hip", fallback=True)
    return np.hypot(trunk[:, 0], trunk[:, 1])


def median_torso_length(position: xr.DataArray, *, where: np.ndarray | None = None) -> float:
    """Median torso length over the frames where it is measurable (and ``where`` is True, if given); NaN if it
    never is."""
    length = torso_length(position)
    if where is not None:
        length = length[np.asarray(where, dtype=bool)]
    length = length[np.isfinite(length) & (length > 0)]
    return float(np.median(length)) if length.size else float("nan")


def signed_angle_deg(u, v) -> np.ndarray:
    """Signed angle from 2-D vector ``u`` to ``v``, degrees.

    Parameters
    ----------
    u, v
        Arrays of shape ``(..., 2)`` (broadcastable), components ``(x, y)`` of a frame whose
        counter-clockwise direction is positive.

    Returns
    -------
    numpy.ndarray
        Shape ``(...)``, in (−180, 180]; NaN where either vector is zero or not finite.

    Notes
    -----
    ``θ = atan2(u × v, u · v)`` with ``u × v = u_x v_y − u_y v_x``: positive when ``v`` is
    counter-clockwise of ``u``. ``atan2``'s −180 (from a negative zero) is returned as +180.
    """
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    angle = np.degrees(np.arctan2(cross, dot))
    angle = np.where(angle <= -180.0, 180.0, angle)
    return np.where(_nonzero(u) & _nonzero(v), angle, np.nan)


def unsigned_angle_deg(u, v) -> np.ndarray:
    """Angle between 2-D vectors ``u`` and ``v``, degrees, in [0, 180]; NaN for a zero vector.

    Notes
    -----
    ``θ = atan2(|u × v|, u · v)``, which stays accurate near 0° and 180° where ``acos`` does not.
    """
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    return np.where(_nonzero(u) & _nonzero(v), np.degrees(np.arctan2(np.abs(cross), dot)), np.nan)


def to_plane(xy: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Image ``(x, y)`` → ``(sign · x, −y)``: forward/up (side view) or anatomical-left/up (frontal)."""
    return np.column_stack([sign * xy[:, 0], -xy[:, 1]])


def _nonzero(v: np.ndarray) -> np.ndarray:
    norm = np.hypot(v[..., 0], v[..., 1])
    return np.isfinite(norm) & (norm > 0)


def heel_rise_pitch_deg(standing_heel_y_px, heel_y_px, foot_length_px) -> np.ndarray:
    """The foot pitch a heel rise implies, degrees: ``asin(clip((y₀ − y) / L₀, −1, 1))``.

    Parameters
    ----------
    standing_heel_y_px
        ``y₀``, the heel's image height while standing (pixels, image ``y`` down).
    heel_y_px
        ``y``, the heel's image height now (scalar or per frame).
    foot_length_px
        ``L₀``, the standing heel-to-toe distance.

    Returns
    -------
    numpy.ndarray
        The pitch of a foot of length ``L₀`` rolling on its toes that lifts the heel by ``y₀ − y``: positive
        when the heel rose; NaN where any input is NaN or ``L₀`` is not a positive length.
    """
    length = np.asarray(foot_length_px, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(
            np.isfinite(length) & (length > 0),
            (np.asarray(standing_heel_y_px, dtype=np.float64) - np.asarray(heel_y_px, dtype=np.float64)) / length,
            np.nan,
        )
    return np.degrees(np.arcsin(np.clip(ratio, -1.0, 1.0)))


def foot_pitch_deg(heel_px: np.ndarray, ankle_px: np.ndarray, toe_px: np.ndarray, standing) -> np.ndarray:
    """One foot's pitch per frame from how far its heel and its ankle rose above standing, degrees.

    Parameters
    ----------
    heel_px, ankle_px, toe_px
        ``(time, 2)`` image positions of the foot's heel, ankle and toe (``foot_index``) landmarks.
    standing
        Boolean mask or slice of the frames of quiet standing that give the reference heights and levers.

    Returns
    -------
    numpy.ndarray
        The heel's pitch, :func:`heel_rise_pitch_deg` ``(y₀, y, L₀)`` with ``L₀`` the standing heel-to-toe
        distance, capped by the ankle's, the same with the ankle's height and its standing horizontal distance
        to the toe (the lever of a foot rolling on its toes), floored at 0: a heel landmark rising without the
        ankle is not a lift, and an ankle landmark sinking as the shin tips forward (its short lever turns a
        few pixels into −15°) does not make a flat foot read as tipped down. Where the ankle is not measured,
        the heel's alone; NaN where the heel is not.
        Why both: the notes of :mod:`movelab.findings.foot`.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN standing frames give NaN, as documented
        length = np.nanmedian(np.hypot(*(toe_px[standing] - heel_px[standing]).T))
        by_heel = heel_rise_pitch_deg(np.nanmedian(heel_px[standing, 1]), heel_px[:, 1], length)
        lever = np.nanmedian(np.abs(toe_px[standing, 0] - ankle_px[standing, 0]))
        by_ankle = heel_rise_pitch_deg(np.nanmedian(ankle_px[standing, 1]), ankle_px[:, 1], lever)
    return np.fmin(by_heel, np.maximum(by_ankle, 0.0))  # maximum keeps a missing ankle NaN: the heel's alone


def support_speeds(position: xr.DataArray, *, time_s: np.ndarray, hip_fallback: bool) -> np.ndarray:
    """Speeds of the hip centre and both ankles, in torso lengths per second (central differences).

    Parameters
    ----------
    position
        ``(time, keypoint, space_2d)`` pixels.
    time_s
        Seconds per frame (the differences' spacing).
    hip_fallback
        Take one hip where the other is missing (``midpoint(..., fallback=True)``).

    Returns
    -------
    ndarray
        Shape ``(3, time)``: hip centre, left ankle, right ankle; NaN where a point is missing or the torso
        length (:func:`median_torso_length`) is never measurable. Each caller decides what a NaN means.
    """
    torso = median_torso_length(position)
    points = (
        midpoint(position, "hip", fallback=hip_fallback),
        point(position, "left_ankle"),
        point(position, "right_ankle"),
    )
    speeds = np.full((3, time_s.size), np.nan)
    if not (np.isfinite(torso) and torso > 0) or time_s.size < 2:
        return speeds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for k, xy in enumerate(points):
            velocity = np.gradient(xy, time_s, axis=0)
            speeds[k] = np.hypot(velocity[:, 0], velocity[:, 1]) / torso
    return speeds


def row_crossings_x(polygon: np.ndarray, y: float) -> np.ndarray:
    """Sorted ``x`` where the closed ``polygon`` ``(point, 2)`` crosses the picture row at ``y`` (non-finite
    points dropped; empty for fewer than 3 points or a non-finite ``y``). Pairs ``(xs[0], xs[1])``,
    ``(xs[2], xs[3])``, ... are the polygon's interior intervals on that row."""
    p = polygon[np.isfinite(polygon).all(axis=1)]
    if len(p) < 3 or not np.isfinite(y):
        return np.empty(0)
    a, b = p, np.roll(p, -1, axis=0)
    crossing = ((a[:, 1] <= y) & (b[:, 1] > y)) | ((b[:, 1] <= y) & (a[:, 1] > y))
    t = (y - a[crossing, 1]) / (b[crossing, 1] - a[crossing, 1])
    return np.sort(a[crossing, 0] + t * (b[crossing, 0] - a[crossing, 0]))


def row_interval(polygon: np.ndarray, y: float, x: float, *, slack_px: float = 2.0) -> tuple[float, float] | None:
    """The first interior interval ``(lo, hi)`` of the closed ``polygon`` on the picture row at ``y``
    (:func:`row_crossings_x`) that holds ``x`` within ``slack_px``, or None (also for a non-finite ``x``)."""
    xs = row_crossings_x(polygon, y)
    for lo, hi in zip(xs[0::2], xs[1::2]):
        if lo - slack_px <= x <= hi + slack_px:
            return float(lo), float(hi)
    return None
