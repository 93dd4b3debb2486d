"""The foot's pitch in a side view from the sole's edge in the person mask's outline.

The heel and ankle landmarks read a rendered heel raise at about two thirds of its size (the heel landmark rose
8.7 px where the rendered heel rose 14.9 px; the ankle landmark sank as the shin tipped forward), and a flat
foot's heel landmark rose by up to 8 px at depth (docs/findings-decisions.md, *Heel rise from the sole's
outline*). The outline that extraction keeps (``outline_px``, the person mask's contour) draws the sole itself:
flat on the floor while standing, and, when the heel rises, a line that climbs from the ball of the foot to
the heel. Its slope against the standing sole is the foot's pitch; the picture moving up or down moves the whole
sole and leaves the slope, and a camera's constant roll is taken out by the standing reference.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import xarray as xr

from movelab.kinematics.geometry import foot_pitch_deg, point

__all__ = ["SOLE_LOST_FRACTION", "SOLE_SPAN", "heel_rise_deg", "heel_rise_of_points", "outline_of", "sole_pitch_deg"]

#: Where the sole is read, as fractions of the standing heel-to-toe landmark distance ``L`` (along the picture's
#: x, the feet's landmarks averaged) forward of the heel landmark: behind the ball of the foot (the pivot of a
#: heel raise, near the toe landmark) and clear of the heel's rounded back edge. Chosen on the design bodies
#: (docs/findings-decisions.md).
SOLE_SPAN: tuple[float, float] = (0.2, 0.75)
#: Columns read across :data:`SOLE_SPAN`.
SOLE_COLUMNS = 6
#: A frame whose sole, in some column, rose above its rearmost column's rise by more than this fraction of
#: ``L`` has lost the sole there (NaN): the person mask dropped the front of the shoe and that column crosses
#: the shin's front edge instead. On the design bodies' side squats the sole's front rose at most 0.15 ``L``
#: above its back while the mask held the shoe, and 0.3-1.2 ``L`` where it had dropped it (cameras 1.2-1.3 m
#: high; docs/findings-decisions.md, *The sole lost near the toes*). A heel raise lowers the front against
#: the back, so it never trips the rule.
SOLE_LOST_FRACTION = 0.2


def sole_pitch_deg(
    outline_px: np.ndarray,
    heel_px: np.ndarray,
    toe_px: np.ndarray,
    standing: np.ndarray,
    *,
    picture_height_px: float | None = None,
) -> np.ndarray:
    """The feet's pitch per frame from the sole's lower edge in the outline, against quiet standing, degrees.

    Parameters
    ----------
    outline_px
        ``(time, outline_point, 2)`` the person mask's contour per frame (pixels, image ``y`` down; NaN rows
        where no outline was kept).
    heel_px, toe_px
        ``(time, 2)`` a heel and a toe (``foot_index``) landmark, or ``(time, n, 2)`` several (both feet): their
        standing medians place the sole's columns and give the foot's direction and length ``L``.
    standing
        Boolean mask of the frames of quiet standing (reference sole; the feet flat).
    picture_height_px
        The picture's height: a sole whose lowest point lies on the picture's last row is cut off (NaN).

    Returns
    -------
    numpy.ndarray
        Degrees per frame, positive when the heel end of the sole rose against its ball: ``atan`` of the
        least-squares slope of the sole's rise (the outline's lowest crossing of each column, linear between its
        points, against the column's standing median) over :data:`SOLE_COLUMNS` columns across
        :data:`SOLE_SPAN` of ``L`` forward of the heel. NaN where fewer than three columns are found, where
        the sole is lost in a column (it rose above the rearmost column's rise by more than
        :data:`SOLE_LOST_FRACTION` of ``L``: the mask dropped the shoe's front) or no standing frame gives the
        reference.
    """
    outline = np.asarray(outline_px)  # float32 as extraction keeps it: a long recording's outline is not copied
    standing = np.asarray(standing, dtype=bool)
    nan = np.full(outline.shape[0], np.nan)
    heel, toe = _standing_points(heel_px, standing), _standing_points(toe_px, standing)
    if not (np.isfinite(heel).all() and np.isfinite(toe).all()):
        return nan
    forward = float(np.sign(toe[0] - heel[0]))
    length = abs(toe[0] - heel[0])
    if forward == 0 or not length > 0:
        return nan
    depth = SOLE_SPAN[0] + (SOLE_SPAN[1] - SOLE_SPAN[0]) * np.arange(SOLE_COLUMNS) / (SOLE_COLUMNS - 1)
    columns = heel[0] + forward * length * depth
    floor = max(heel[1], toe[1])
    lowest = _lowest(outline, columns, top=floor - length)
    if picture_height_px is not None:
        lowest[lowest >= picture_height_px - 1.5] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # columns never seen standing stay NaN
        rise = _nanmedian0(lowest[standing]) - lowest  # px, up positive
    pitch = np.degrees(np.arctan(-_slopes(rise, depth * length)))
    pitch[_sole_lost(rise, length)] = np.nan
    return pitch


def heel_rise_deg(
    position: xr.DataArray,
    standing: np.ndarray,
    *,
    outline_px: np.ndarray | None = None,
    picture_height_px: float | None = None,
    frames: np.ndarray | None = None,
) -> np.ndarray:
    """How far the heels rose above their standing height, as the foot pitch that rise implies, per frame.

    Parameters
    ----------
    position
        Cleaned keypoint positions ``(time, keypoint, space_2d)`` of a camera that does not move: the
        analysis data's (:attr:`movelab.kinematics.Motion.positions` ``.cleaned``), so the user's
        kinematics settings apply.
    standing
        Boolean mask of the frames of quiet standing that give each heel's reference height and the foot's
        length.
    outline_px, picture_height_px
        The person mask's outline per frame ``(time, outline_point, 2)`` (the landmark Dataset's ``outline_px``)
        and the picture's height: the pitch is then the sole's
        (:func:`movelab.kinematics.sole.sole_pitch_deg`, both feet's heel and toe landmarks placing it), unless
        the outline gives no standing reference, when the landmarks' below is used.
    frames
        Boolean mask of the frames to compute (every standing frame among them), NaN elsewhere; None: all. A
        frame's value depends on that frame and the standing ones alone, so each computed frame has the value
        it has when all are (a reader of a few frames of a long recording reads only their outlines).

    Returns
    -------
    numpy.ndarray
        Degrees per frame; NaN where no heel is measurable or no standing reference exists.

    Notes
    -----
    From the outline, the sole's slope against standing: the landmarks read a rendered heel raise at two
    thirds of its size and a flat foot's heel landmark rose by up to 8 px at depth
    (docs/findings-decisions.md, *Heel rise from the sole's outline*). Without an outline, each foot's pitch
    is :func:`movelab.kinematics.geometry.foot_pitch_deg`: the smaller of the pitches its heel's and its
    ankle's rise above standing imply, the ankle's floored at 0. The two feet are combined by their
    **minimum** (in a squat the heels rise together, so one heel's landmark drifting up alone is not taken as
    a lift); where only one foot is measurable it is used alone.
    """
    standing = np.asarray(standing, dtype=bool)
    if standing.shape != (position.sizes["time"],):
        raise ValueError(f"standing must have one value per frame ({position.sizes['time']}), got {standing.shape}")
    if frames is None:
        return heel_rise_of_points(
            lambda name: point(position, name), standing, outline_px=outline_px, picture_height_px=picture_height_px
        )
    frames = np.asarray(frames, dtype=bool)
    if frames.shape != standing.shape or (standing & ~frames).any():
        raise ValueError(
            f"frames must mark {standing.size} frames, every standing one among them; got shape {frames.shape}"
            f" with {int((standing & ~frames).sum()) if frames.shape == standing.shape else '?'} standing left out"
        )
    rows = np.flatnonzero(frames)
    rise = np.full(standing.size, np.nan)
    rise[rows] = heel_rise_of_points(
        lambda name: point(position, name)[rows],
        standing[rows],
        outline_px=None if outline_px is None else np.asarray(outline_px)[rows],
        picture_height_px=picture_height_px,
    )
    return rise


def heel_rise_of_points(
    point_of: Callable[[str], np.ndarray],
    standing: np.ndarray,
    *,
    outline_px: np.ndarray | None = None,
    picture_height_px: float | None = None,
) -> np.ndarray:
    """:func:`heel_rise_deg` from the feet's keypoint tracks, ``point_of(name)`` giving ``(time, 2)`` float64
    pixels of ``left_heel``, ``left_ankle``, ``left_foot_index`` and the right ones over the frames of
    ``standing``: for a caller that already holds those tracks (the reps table reads each rep's frames from the
    recording's tracks rather than selecting the positions again). The values are :func:`heel_rise_deg`'s."""
    standing = np.asarray(standing, dtype=bool)
    if outline_px is not None and standing.any():
        if np.shape(outline_px)[0] != standing.size:
            raise ValueError(f"outline_px must have one row per frame ({standing.size}), got {np.shape(outline_px)}")
        feet = {
            part: np.stack([point_of(f"{s}_{part}") for s in ("left", "right")], axis=1)
            for part in ("heel", "foot_index")
        }
        pitch = sole_pitch_deg(
            outline_px, feet["heel"], feet["foot_index"], standing, picture_height_px=picture_height_px
        )
        if np.isfinite(pitch[standing]).any():
            return pitch
    rises = []
    for side in ("left", "right"):
        heel, toe = point_of(f"{side}_heel"), point_of(f"{side}_foot_index")
        if not standing.any():
            rises.append(np.full(heel.shape[0], np.nan))
            continue
        rises.append(foot_pitch_deg(heel, point_of(f"{side}_ankle"), toe, standing))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames where neither foot is measured stay NaN
        return np.nanmin(np.stack(rises), axis=0)


def outline_of(landmarks: xr.Dataset) -> dict:
    """``outline_px`` (``(time, outline_point, 2)``, as kept: not copied when already in that order) and
    ``picture_height_px`` of a landmark Dataset that kept the outline for every frame; ``{}`` otherwise."""
    if "outline_px" not in landmarks or landmarks["outline_px"].sizes.get("time") != landmarks.sizes.get("time"):
        return {}
    height = landmarks.attrs.get("height_px")
    return {
        "outline_px": landmarks["outline_px"].transpose("time", "outline_point", "space_2d").values,
        "picture_height_px": None if height is None else float(height),
    }


def _standing_points(points_px: np.ndarray, standing: np.ndarray) -> np.ndarray:
    """The standing median ``(x, y)`` of one landmark track ``(time, 2)`` or the mean of several ``(time, n, 2)``."""
    pts = np.asarray(points_px, dtype=np.float64)
    pts = pts[:, None, :] if pts.ndim == 2 else pts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per = _nanmedian0(pts[standing]) if standing.any() else np.full(pts.shape[1:], np.nan)
        return np.nanmean(per, axis=0) if np.isfinite(per).any() else np.full(2, np.nan)


def _nanmedian0(values: np.ndarray) -> np.ndarray:
    """``numpy.nanmedian(values, axis=0)`` (NaN where a column has no finite value) by sorting, without its
    masked-array path for small arrays: the reps table reads a few dozen frames per rep, hundreds of times."""
    ordered = np.sort(np.asarray(values, dtype=np.float64), axis=0)  # NaN sorts last
    if ordered.shape[0] == 0:
        return np.full(ordered.shape[1:], np.nan)
    count = np.isfinite(ordered).sum(axis=0)
    lo = np.take_along_axis(ordered, np.maximum(count - 1, 0)[None] // 2, axis=0)[0]
    hi = np.take_along_axis(ordered, np.minimum(count // 2, ordered.shape[0] - 1)[None], axis=0)[0]
    return np.where(count > 0, (lo + hi) / 2, np.nan)


def _lowest(outline: np.ndarray, columns: np.ndarray, *, top: float, chunk: int = 4096) -> np.ndarray:
    """``(time, column)`` the largest image ``y`` where the outline (a closed contour) crosses each column
    (linear between its points), counting only crossings below ``top``; NaN where none. Only the contour's
    segments that reach below ``top`` and span some of the columns' x are read, ``chunk`` frames at a time (a
    long recording's temporaries stay small).

    The segments are screened on the outline as kept (float32, a threshold rounded down so that no segment
    below ``top`` is missed) by their points, then tested exactly in float64: the values are those of testing
    every segment of every frame in float64 (``tests/test_heel_sole.py`` pins it against that straightforward
    search), at a fraction of its cost on a long recording.
    """
    out = np.full((outline.shape[0], columns.size), np.nan)
    if outline.shape[0] == 0 or outline.shape[1] == 0:
        return out
    left, right = float(columns.min()), float(columns.max())
    screen_top, screen_left, screen_right = _float32_below(top), _float32_below(left), -_float32_below(-right)
    for start in range(0, outline.shape[0], chunk):
        part = outline[start : start + chunk]
        with np.errstate(invalid="ignore"):
            below = part[..., 1] > screen_top  # a point below ``top`` (NaN: False)
            before, beyond = part[..., 0] < screen_left, part[..., 0] > screen_right
        below |= np.roll(below, -1, axis=1)  # a segment with either end below it ...
        below &= ~(before & np.roll(before, -1, axis=1))  # ... not wholly left of the columns ...
        below &= ~(beyond & np.roll(beyond, -1, axis=1))  # ... nor right of them
        at_point = np.flatnonzero(below)  # frame * points + segment
        if at_point.size == 0:
            continue
        points = part.shape[1]
        frame, seg = np.divmod(at_point, points)
        flat = np.ascontiguousarray(part).reshape(-1)  # x, y of every point in turn
        start_xy = 2 * at_point
        end_xy = start_xy + np.where(seg == points - 1, 2 - 2 * points, 2)  # the contour closes on itself
        xa, ya = flat[start_xy].astype(np.float64), flat[start_xy + 1].astype(np.float64)
        xb, yb = flat[end_xy].astype(np.float64), flat[end_xy + 1].astype(np.float64)
        lo, hi = np.minimum(xa, xb), np.maximum(xa, xb)
        with np.errstate(invalid="ignore"):
            keep = (np.fmax(ya, yb) > top) & (xa != xb) & (hi >= left) & (lo <= right)
        if not keep.any():
            continue
        frame, xa, xb, ya, yb, lo, hi = (v[keep] for v in (frame, xa, xb, ya, yb, lo, hi))
        frames, starts = np.unique(frame, return_index=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            for k, column in enumerate(columns):
                at = ya + (yb - ya) * (column - xa) / (xb - xa)
                best = np.maximum.reduceat(np.where((lo <= column) & (hi >= column) & (at > top), at, -np.inf), starts)
                out[start + frames, k] = np.where(np.isfinite(best), best, np.nan)
    return out


def _float32_below(value: float) -> np.float32:
    """The largest float32 not above ``value``: a screen on float32 data that keeps every value above it."""
    near = np.float32(value)
    return np.nextafter(near, np.float32(-np.inf)) if np.float64(near) > value else near


def _sole_lost(rise: np.ndarray, length: float) -> np.ndarray:
    """Per row of ``rise`` (``(time, column)`` px, heel end first), whether a column rose above the rearmost
    found column by more than :data:`SOLE_LOST_FRACTION` of the foot's length ``length`` (px)."""
    found = np.isfinite(rise)
    rear = np.take_along_axis(rise, np.argmax(found, axis=1)[:, None], axis=1)
    with np.errstate(invalid="ignore"):
        return ((rise - rear) > SOLE_LOST_FRACTION * length).any(axis=1)


def _slopes(rise: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Per row, the least-squares slope of ``rise`` against ``distance`` over its finite columns (NaN below 3)."""
    ok = np.isfinite(rise)
    n = ok.sum(axis=1)
    d = np.where(ok, distance[None, :], 0.0)
    r = np.where(ok, rise, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_d, mean_r = d.sum(axis=1) / n, r.sum(axis=1) / n
        cov = (np.where(ok, (d - mean_d[:, None]) * (r - mean_r[:, None]), 0.0)).sum(axis=1)
        var = (np.where(ok, (d - mean_d[:, None]) ** 2, 0.0)).sum(axis=1)
        slope = cov / var
    return np.where((n >= 3) & (var > 0), slope, np.nan)
