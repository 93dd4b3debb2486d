"""Per-frame geometry of the outline method: pelvic tilt and lumbar lordosis from one side-view outline.

Pure NumPy on one frame's arrays; :mod:`movelab.kinematics.outline` runs it over a landmark Dataset, gates it
on quality, filters it in time and adds the standing baseline. The method, its assumptions, its calibration
and its measured error are in ``docs/outline.md``; the angles are defined in ``docs/conventions.md``.

Everything here works in the **normalised sagittal frame** of one frame: origin at the hip joint centre
(``hip_mid``), ``X`` forward (the facing direction), ``Y`` up, lengths in torso lengths (the clip's median
``hip_mid`` → ``shoulder_mid`` distance). Angles of a direction against the vertical are
``atan2(dX, dY)`` in degrees, positive when the direction leans forward as it rises.

Outline of the method (per frame):

1. The outline is resampled by arc length, smoothed, and the **back arc** is cut out of it: the part of the
   contour behind the hip, from where the line ``pelvis height = sacral_levels[0]`` leaves the body behind
   the hip, up to the shoulders and down over the buttock.
2. The **sacral chord** joins the back-arc points at the two ``sacral_levels`` measured along the *pelvis's*
   up axis (the vertical turned forward by the tilt being estimated), so they follow the pelvis (the
   sacrum and the lumbo-sacral junction) whatever the trunk does. Its inclination against the vertical,
   minus a calibrated offset, is the pelvic tilt: ``tilt = chord(tilt) - tilt_offset`` is solved for
   ``tilt`` (a fixed point, found by bracketing and regula falsi).
3. The **thoraco-lumbar chord** joins the back-arc points at the two ``thoracolumbar_levels`` measured
   along the bisector of the trunk axis (``hip_mid`` → ``shoulder_mid``) and the pelvis's up axis
   (``thoracolumbar_pelvis_weight``). The lordosis is the sacral chord's inclination (turned by
   ``(lordosis_sacral_gain − 1)(θ − 11)``, as the tilt's gain turns the tilt) minus this chord's, minus a
   calibrated offset (the Spinal Mouse convention: the angle between the back-surface tangents at the
   lumbo-sacral and at the thoraco-lumbar junction).
4. Quality in [0, 1] from the arms' cover of the back, a hanging arm's elbow behind the hip, the contour's
   roughness and the sacral chord's sensitivity to its levels.

Across frames, :func:`back_profile` and :func:`register_profile` locate the hip joint from the pelvis's own
back outline (:mod:`movelab.kinematics.outline` measures the hip landmark's drift with the trunk's lean by them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "OutlineParams",
    "FrameEstimate",
    "estimate_frame",
    "sagittal_outline",
    "back_arc",
    "sacral_chord_deg",
    "solve_pelvic_tilt",
    "sacral_chords_deg",
    "back_profile",
    "register_profile",
]

_NAN = float("nan")
#: Sampling step of the resampled outline, torso lengths (≈0.5 px on a 110 px torso).
_STEP = 0.005
#: Range searched for the pelvic tilt, degrees (the fixed point is bracketed on a 5° grid).
_TILT_GRID = np.arange(-40.0, 80.0 + 1e-9, 5.0)
#: The tilt the root nearest to is preferred when several fixed points exist (neutral standing, degrees).
_NEUTRAL_TILT_DEG = 11.0
#: Arc length added beyond each chord end for the arm and roughness checks, torso lengths.
_PAD = 0.02
#: Gauss-Newton steps of :func:`register_profile` at most.
_REGISTER_STEPS = 20


@dataclass(frozen=True)
class OutlineParams:
    """Settings of the per-frame geometry (taken from :class:`movelab.kinematics.KinematicsConfig`).

    All lengths are in torso lengths; see ``KinematicsConfig`` for the meaning and source of each.
    """

    sacral_levels: tuple[float, float] = (0.08, 0.30)
    thoracolumbar_levels: tuple[float, float] = (0.40, 0.55)
    tilt_offset_deg: float = 7.18
    lordosis_offset_deg: float = 5.31
    smoothing: float = 0.02
    arm_radius: tuple[float, float] = (0.13, 0.10)
    arm_cover_limits: tuple[float, float] = (0.2, 0.3)
    elbow_behind_limits: tuple[float, float] = (0.07, 0.11)
    roughness_limits: tuple[float, float] = (0.008, 0.02)
    sensitivity_limits_deg: tuple[float, float] = (20.0, 45.0)
    level_shift: float = 0.03
    hanging_wrist_max: float = 0.15
    thoracolumbar_pelvis_weight: float = 0.5
    cover_hanging_arms: bool = False
    tilt_gain: float = 1.05
    tilt_gain_max_lean_deg: float = 10.0
    lordosis_sacral_gain: float = 1.1


@dataclass(frozen=True)
class FrameEstimate:
    """The outline estimate of one frame (degrees; qualities in [0, 1]; NaN where not measurable).

    ``sacral_chord_deg`` and ``thoracolumbar_chord_deg`` are the two chords' inclinations against the
    vertical (forward positive); ``arm_cover`` the fraction of the measured back (from below the sacral
    chord to the top of the thoraco-lumbar chord) that lies within an arm's reach; ``elbow_behind`` how far the
    hindmost elbow hangs behind the hip joint (torso lengths; negative: in front); ``roughness`` the larger RMS
    residual of the raw contour from a quadratic over either chord (torso lengths); ``sensitivity_deg`` the
    change of the sacral chord when both its levels move by ``2 * level_shift``.
    """

    pelvic_tilt: float = _NAN
    lumbar_lordosis: float = _NAN
    tilt_quality: float = 0.0
    lordosis_quality: float = 0.0
    sacral_chord_deg: float = _NAN
    thoracolumbar_chord_deg: float = _NAN
    arm_cover: float = _NAN
    elbow_behind: float = _NAN
    roughness: float = _NAN
    sensitivity_deg: float = _NAN


# ----------------------------------------------------------------------------- contour handling


def sagittal_outline(outline_px: np.ndarray, *, hip_px: np.ndarray, facing: float, torso_px: float) -> np.ndarray:
    """The outline in the normalised sagittal frame, oriented so that the back is run upwards.

    Parameters
    ----------
    outline_px
        ``(n, 2)`` image pixels ``(x right, y down)`` of a closed contour.
    hip_px
        ``(2,)`` image position of ``hip_mid`` (the origin).
    facing
        +1 when the client faces image right, −1 facing left.
    torso_px
        Torso length in pixels (the unit).

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` points ``(forward, up)`` in torso lengths, clockwise in that frame (from the head: down the
        front, then up the back).
    """
    xy = np.asarray(outline_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    sag = np.column_stack([facing * xy[:, 0], -xy[:, 1]]) / torso_px
    x, y = sag[:, 0], sag[:, 1]
    signed_area = 0.5 * np.sum(x * _following(y) - _following(x) * y)
    return sag[::-1].copy() if signed_area > 0 else sag


def _following(a: np.ndarray) -> np.ndarray:
    """Each element's successor along a closed curve: ``np.roll(a, -1)`` of a 1-D array, without its overhead."""
    return np.concatenate((a[1:], a[:1]))


def _resample(points: np.ndarray, step: float) -> np.ndarray:
    """A closed polygon resampled at equal arc-length ``step``."""
    closed = np.vstack([points, points[:1]])
    seg = np.hypot(*np.diff(closed, axis=0).T)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(int(arc[-1] / step), 8)
    s = np.linspace(0.0, arc[-1], n, endpoint=False)
    return np.column_stack([np.interp(s, arc, closed[:, 0]), np.interp(s, arc, closed[:, 1])])


@dataclass(frozen=True)
class _Contour:
    """One frame's outline, resampled (``raw``) and smoothed (``smooth``), equal steps of ``_STEP``."""

    raw: np.ndarray
    smooth: np.ndarray


def _prepare(sag: np.ndarray, smoothing: float) -> _Contour:
    from scipy.ndimage import gaussian_filter1d  # here: analysing cached kinematics needs no scipy.ndimage

    raw = _resample(sag, _STEP)
    sigma = smoothing / _STEP
    smooth = gaussian_filter1d(raw, sigma, axis=0, mode="wrap")  # each column alone, as one call (same numbers)
    return _Contour(raw, smooth)


def _pelvis_height(points: np.ndarray, tilt_deg: float) -> np.ndarray:
    """Height along the pelvis's up axis (the vertical turned forward by ``tilt_deg``)."""
    t = math.radians(tilt_deg)
    return math.sin(t) * points[:, 0] + math.cos(t) * points[:, 1]


def back_arc(
    contour: np.ndarray, tilt_deg: float, *, seed_level: float, up: float = 1.0, down: float = 0.45
) -> tuple[np.ndarray, int] | None:
    """The back part of a (smoothed, resampled, clockwise) sagittal contour.

    The seed is the crossing of the line ``pelvis height = seed_level`` (pelvis tilted by ``tilt_deg``)
    nearest behind the hip: where that line leaves the body backwards. From there the arc follows the
    contour up the back until the pelvis height exceeds ``up`` and down over the buttock until it falls
    below ``-down`` (torso lengths), at most half the contour each way.

    Returns
    -------
    (arc, seed) or None
        ``arc`` ``(m, 2)`` ordered upwards and ``seed``, the index in ``arc`` of the first point at or above
        the seed line; None when the line does not cross the back.
    """
    h = _pelvis_height(contour, tilt_deg)
    c = h - seed_level
    c_next = _following(c)
    crosses = (c <= 0) & (c_next > 0)  # clockwise: the back rises through the line
    if not crosses.any():
        return None
    idx = crosses.nonzero()[0]
    t = -c[idx] / (c_next[idx] - c[idx])
    x = contour[idx, 0] + t * (contour[(idx + 1) % contour.shape[0], 0] - contour[idx, 0])
    behind = x < 0
    if not behind.any():
        return None
    i = int(idx[behind][np.argmax(x[behind])]) + 1
    n = contour.shape[0]
    half = n // 2 - 1
    take = np.arange(i - half, i + half) % n
    height = h[take]
    above = (height[half:] > up).nonzero()[0]
    below = (height[:half] < -down).nonzero()[0]
    stop = half + (int(above[0]) + 1 if above.size else half)
    start = int(below[-1]) if below.size else 0
    return contour[take[start:stop]], half - start


def _crossing(arc: np.ndarray, coord: np.ndarray, level: float, seed: int) -> np.ndarray | None:
    """The point of ``arc`` where ``coord`` crosses ``level``, searched outwards from ``seed``.

    Upwards (rising through the level) when ``coord[seed] <= level``, else downwards. Linear interpolation.
    """
    c = coord - level
    if c[seed] <= 0:
        rise = ((c[seed:-1] <= 0) & (c[seed + 1 :] > 0)).nonzero()[0]
        if rise.size == 0:
            return None
        j = seed + int(rise[0])
    else:
        fall = ((c[:seed] <= 0) & (c[1 : seed + 1] > 0)).nonzero()[0]
        if fall.size == 0:
            return None
        j = int(fall[-1])
    t = -c[j] / (c[j + 1] - c[j])
    return arc[j] + t * (arc[j + 1] - arc[j])


def _inclination_deg(p: np.ndarray, q: np.ndarray) -> float:
    """Inclination of the direction ``p → q`` against the vertical, forward positive (``atan2(dX, dY)``)."""
    d = q - p
    return math.degrees(math.atan2(d[0], d[1]))


# ----------------------------------------------------------------------------- the sacral chord and the tilt


def sacral_chord_deg(contour: np.ndarray, tilt_deg: float, levels: tuple[float, float]) -> tuple[float, tuple]:
    """Inclination of the sacral chord when the pelvis is tilted by ``tilt_deg``.

    Returns
    -------
    (degrees, (p1, p2, arc, seed))
        NaN and Nones when a level does not cross the back arc.
    """
    found = back_arc(contour, tilt_deg, seed_level=levels[0])
    if found is None:
        return _NAN, (None, None, None, None)
    arc, seed = found
    height = _pelvis_height(arc, tilt_deg)
    p1, p2 = _crossing(arc, height, levels[0], seed), _crossing(arc, height, levels[1], seed)
    if p1 is None or p2 is None:
        return _NAN, (None, None, arc, seed)
    return _inclination_deg(p1, p2), (p1, p2, arc, seed)


def sacral_chords_deg(contour: np.ndarray, tilts_deg, levels: tuple[float, float]) -> np.ndarray:
    """:func:`sacral_chord_deg`'s inclination for many tilts (degrees; NaN where it is NaN), bit-identical.

    The tilt solve evaluates the chord at 25 grid tilts and a few more in every side-view frame, on a contour
    of about 2000 points. This does the same floating-point operations as :func:`sacral_chord_deg` on the
    points that decide the result, and no others: the pelvis heights of all tilts in one array operation, the
    seed crossing found by comparing heights with the level (``h - level <= 0`` is ``h <= level`` in IEEE
    arithmetic, so no subtraction over the contour), and the two chord ends by scanning outwards from the seed
    in short stretches instead of cutting out the whole back arc. ``tests/test_outline_speed.py`` checks the
    identity on stored frames.
    """
    tilts = [float(t) for t in np.atleast_1d(tilts_deg)]
    x, y = contour[:, 0], contour[:, 1]
    sin = np.array([math.sin(math.radians(t)) for t in tilts])[:, None]
    cos = np.array([math.cos(math.radians(t)) for t in tilts])[:, None]
    heights = sin * x + cos * y  # as _pelvis_height, one row per tilt
    if len(tilts) < 4 or contour.shape[0] // 2 - 1 <= _SCAN:
        return np.array([_chord_from_heights(contour, h, levels) for h in heights])
    return _chords_of_rows(contour, heights, levels)


def _chords_of_rows(
    contour: np.ndarray, heights: np.ndarray, levels: tuple[float, float], *, up: float = 1.0, down: float = 0.45
) -> np.ndarray:
    """:func:`_chord_from_heights` of every row of ``heights`` with array operations over all rows: the seed
    crossings at once, and the chord ends within ``_SCAN`` points of the seed; a row whose end lies farther
    (rare) is done by :func:`_chord_from_heights`."""
    k, n = heights.shape
    half = n // 2 - 1
    above = heights > levels[0]
    rows, idx = np.nonzero(~above & np.concatenate((above[:, 1:], above[:, :1]), axis=1))  # row by row, ascending index
    nxt = (idx + 1) % n
    c, c_next = heights[rows, idx] - levels[0], heights[rows, nxt] - levels[0]
    x = contour[idx, 0] + (-c / (c_next - c)) * (contour[nxt, 0] - contour[idx, 0])
    behind = x < 0
    rows, idx, x = rows[behind], idx[behind], x[behind]
    order = np.lexsort((idx, -x, rows))  # per row: the hindmost crossing first (the first of equals)
    seeded, first = np.unique(rows[order], return_index=True)
    base = np.full(k, -1)
    base[seeded] = idx[order][first] + 1 - half
    out = np.full(k, _NAN)
    if seeded.size == 0:
        return out
    offsets = np.arange(half - _SCAN, half + _SCAN + 1)  # window positions around the seed (at half)
    take = (base[seeded][:, None] + offsets[None, :]) % n
    window = heights[seeded[:, None], take]
    ends = [_window_ends_at(window, level, up, down) for level in levels]
    # the chord ends found in the window, all rows at once (_pair_point's operations, element by element)
    start = base[seeded] + half - _SCAN
    found = [_pair_points(contour, heights, seeded, start + j, level) for level, (j, _) in zip(levels, ends)]
    d = found[1] - found[0]
    states = np.stack([state for _, state in ends], axis=1)
    for r in ((states > 0).all(axis=1)).nonzero()[0]:
        out[seeded[r]] = math.degrees(math.atan2(d[r, 0], d[r, 1]))
    for r in ((states == 0).any(axis=1) & ~(states < 0).any(axis=1)).nonzero()[0]:  # rare: not decided in the window
        row = seeded[r]
        points = []
        for k, (level, (_, state)) in enumerate(zip(levels, ends)):
            if state[r] == 0:
                point = _arc_crossing(contour, heights[row], int(base[row]), half=half, level=level, up=up, down=down)
            else:
                point = found[k][r]
            points.append(point)
        if points[0] is not None and points[1] is not None:
            out[row] = _inclination_deg(points[0], points[1])
    return out


def _pair_points(contour: np.ndarray, heights: np.ndarray, rows: np.ndarray, j: np.ndarray, level: float) -> np.ndarray:
    """:func:`_pair_point` of each ``(rows[r], j[r])``: the same floating-point operations on arrays."""
    n = heights.shape[1]
    a, b = j % n, (j + 1) % n
    c0, c1 = heights[rows, a] - level, heights[rows, b] - level
    t = -c0 / (c1 - c0)
    return contour[a] + t[:, None] * (contour[b] - contour[a])


def _window_ends_at(window: np.ndarray, level: float, up: float, down: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a window of heights (seed at the middle, ``_SCAN`` either side), :func:`_arc_crossing`'s
    pair: its window index ``j`` and a state, 1 found, -1 none (the arc ends first), 0 not decided here."""
    mid = _SCAN
    pairs = (window[:, :-1] <= level) & (window[:, 1:] > level)  # pair (j, j + 1) at column j
    upwards = ~(window[:, mid] > level)
    # upwards: the first rising pair at j >= mid, unless a point above `up` comes first
    rise_up = pairs[:, mid:]
    top = window[:, mid:-1] > up
    j_up = np.argmax(rise_up, axis=1)
    t_up = np.argmax(top, axis=1)
    has_up, has_top = rise_up.any(axis=1), top.any(axis=1)
    state_up = np.where(has_top & (~has_up | (t_up < j_up)), -1, np.where(has_up, 1, 0))
    # downwards: the last rising pair at j < mid, unless a point below -down comes after it
    rise_dn = pairs[:, :mid]
    bottom = window[:, :mid] < -down
    j_dn = mid - 1 - np.argmax(rise_dn[:, ::-1], axis=1)
    b_dn = mid - 1 - np.argmax(bottom[:, ::-1], axis=1)
    has_dn, has_bottom = rise_dn.any(axis=1), bottom.any(axis=1)
    state_dn = np.where(has_bottom & (~has_dn | (b_dn > j_dn)), -1, np.where(has_dn, 1, 0))
    j = np.where(upwards, mid + j_up, j_dn)
    state = np.where(upwards, state_up, state_dn)
    return j, state


#: Points examined at a time when scanning the back from the seed (most chord ends lie within the first).
_SCAN = 96


def _chord_from_heights(
    contour: np.ndarray, h: np.ndarray, levels: tuple[float, float], *, up: float = 1.0, down: float = 0.45
) -> float:
    """The sacral chord's inclination given the contour's pelvis heights ``h`` (one tilt), as
    :func:`sacral_chord_deg` computes it (``up`` and ``down`` are :func:`back_arc`'s)."""
    n = h.size
    above = h > levels[0]
    idx = (~above[:-1] & above[1:]).nonzero()[0]
    if above[0] and not above[-1]:
        idx = np.append(idx, n - 1)
    if idx.size == 0:
        return _NAN
    nxt = (idx + 1) % n
    c, c_next = h[idx] - levels[0], h[nxt] - levels[0]
    x = contour[idx, 0] + (-c / (c_next - c)) * (contour[nxt, 0] - contour[idx, 0])
    behind = x < 0
    if not behind.any():
        return _NAN
    # The back arc's window: position w is contour index (base + w) % n; the seed is at w = half.
    half = n // 2 - 1
    base = int(idx[behind][np.argmax(x[behind])]) + 1 - half
    ends = [_arc_crossing(contour, h, base, half=half, level=level, up=up, down=down) for level in levels]
    if ends[0] is None or ends[1] is None:
        return _NAN
    return _inclination_deg(ends[0], ends[1])


def _arc_crossing(contour, h, base: int, *, half: int, level: float, up: float, down: float) -> np.ndarray | None:
    """:func:`_crossing` on the back arc of :func:`back_arc` (window ``base``, seed at ``half``) without
    cutting the arc out: the rising crossing of ``level`` nearest the seed on its side, if it lies inside the
    arc (before the first point above ``up`` going up, after the last below ``-down`` going down)."""
    n = h.size
    if not h[(base + half) % n] > level:  # upwards: first rising pair (j, j+1) with half <= j, j+1 < stop
        lo = half
        while lo < 2 * half - 1:
            hi = min(lo + _SCAN, 2 * half - 1)  # pairs (j, j+1) for j in [lo, hi)
            seg = np.take(h, np.arange(base + lo, base + hi + 1), mode="wrap")
            rise = ((seg[:-1] <= level) & (seg[1:] > level)).nonzero()[0]
            top = (seg[:-1] > up).nonzero()[0]  # the arc stops just after the first point above up
            if top.size and (not rise.size or top[0] < rise[0]):
                return None
            if rise.size:
                return _pair_point(contour, h, base + lo + int(rise[0]), level)
            lo = hi
        return None
    hi = half  # downwards: last rising pair (j, j+1) with start <= j < half
    while hi > 0:
        lo = max(hi - _SCAN, 0)  # pairs (j, j+1) for j in [lo, hi)
        seg = np.take(h, np.arange(base + lo, base + hi + 1), mode="wrap")
        rise = ((seg[:-1] <= level) & (seg[1:] > level)).nonzero()[0]
        bottom = (seg[:-1] < -down).nonzero()[0]  # the arc starts at the last point below -down
        if bottom.size and (not rise.size or bottom[-1] > rise[-1]):
            return None
        if rise.size:
            return _pair_point(contour, h, base + lo + int(rise[-1]), level)
        hi = lo
    return None


def _pair_point(contour: np.ndarray, h: np.ndarray, j: int, level: float) -> np.ndarray:
    """The point between contour indices ``j`` and ``j + 1`` (modulo its length) where ``h`` crosses ``level``,
    interpolated as :func:`_crossing` does."""
    n = h.size
    a, b = j % n, (j + 1) % n
    c0, c1 = h[a] - level, h[b] - level
    t = -c0 / (c1 - c0)
    return contour[a] + t * (contour[b] - contour[a])


def solve_pelvic_tilt(contour: np.ndarray, levels: tuple[float, float], offset_deg: float) -> float:
    """The tilt ``θ`` with ``sacral_chord(θ) − offset = θ`` (degrees), or NaN.

    Notes
    -----
    ``g(θ) = sacral_chord(θ) − offset − θ`` is evaluated on a 5° grid over [−40°, 80°] (in one pass,
    :func:`sacral_chords_deg`); each sign change from + to − brackets a fixed point, refined by regula falsi
    (20 steps at most, to ``|g| < 0.001°``). Of several fixed points the one nearest neutral standing (11°)
    is taken. A plain fixed-point iteration is not used: with prominent buttocks ``|g'|`` exceeds 2 and it
    diverges.

    The grid is evaluated outwards from 11° (:data:`_BRACKET_ORDER`), and brackets that lie wholly farther
    from 11° than a fixed point already found are not evaluated: a fixed point in them could not be the one
    taken (each lies within its bracket). The result is that of the whole grid, bit for bit
    (``tests/test_outline_speed.py`` compares it with :func:`_solve_on_whole_grid`), in a third of the time in
    standing frames.
    """

    def g(theta: float) -> float:
        return sacral_chords_deg(contour, theta, levels)[0] - offset_deg - theta

    values = np.full(_TILT_GRID.size, _NAN)
    known = np.zeros(_TILT_GRID.size, dtype=bool)
    roots: dict[int, float] = {}
    best = math.inf
    pos = 0
    while pos < _BRACKET_ORDER.size and _BRACKET_DISTANCE[_BRACKET_ORDER[pos]] <= best + _ROOT_MARGIN_DEG:
        if pos == 0:
            stop = _FIRST_BRACKETS
        else:  # with a root found: the brackets that could still hold a nearer one; without: all the rest
            stop = pos if math.isfinite(best) else _BRACKET_ORDER.size
        while (
            math.isfinite(best)
            and stop < _BRACKET_ORDER.size
            and _BRACKET_DISTANCE[_BRACKET_ORDER[stop]] <= best + _ROOT_MARGIN_DEG
        ):
            stop += 1
        batch = np.sort(_BRACKET_ORDER[pos:stop])
        pos = stop
        ends = np.union1d(batch, batch + 1)
        ends = ends[~known[ends]]
        if ends.size:
            values[ends] = sacral_chords_deg(contour, _TILT_GRID[ends], levels) - offset_deg - _TILT_GRID[ends]
            known[ends] = True
        for k in batch:
            root = _falsi_root(g, values, int(k))
            if root is not None:
                roots[int(k)] = root
                best = min(best, abs(root - _NEUTRAL_TILT_DEG))
    if not roots:
        return _NAN
    return float(min((roots[k] for k in sorted(roots)), key=lambda r: abs(r - _NEUTRAL_TILT_DEG)))


#: Brackets ``[grid[k], grid[k + 1]]`` of the tilt grid: each one's distance from 11° (0 when it holds it), and
#: their order by it (nearest first; ties in grid order).
_BRACKET_DISTANCE = np.maximum(np.maximum(_TILT_GRID[:-1] - _NEUTRAL_TILT_DEG, _NEUTRAL_TILT_DEG - _TILT_GRID[1:]), 0.0)
_BRACKET_ORDER = np.argsort(_BRACKET_DISTANCE, kind="stable")
#: Brackets evaluated first (one batch: the grid's tilts from 0 to 20 degrees), and the margin kept for a root's
#: rounding, degrees.
_FIRST_BRACKETS = 4
_ROOT_MARGIN_DEG = 1e-6


def _falsi_root(g, values: np.ndarray, k: int) -> float | None:
    """The fixed point in bracket ``k`` by regula falsi, or None when ``g`` falls from + to - nowhere in it."""
    ga, gb = values[k], values[k + 1]
    if not (np.isfinite(ga) and np.isfinite(gb) and ga > 0 >= gb):
        return None
    a, b = float(_TILT_GRID[k]), float(_TILT_GRID[k + 1])
    for _ in range(20):
        m = a - ga * (b - a) / (gb - ga)
        gm = g(m)
        if not np.isfinite(gm):
            break
        if abs(gm) < 1e-3:
            a = b = m
            break
        if gm > 0:
            a, ga = m, gm
        else:
            b, gb = m, gm
    return 0.5 * (a + b)


def _solve_on_whole_grid(contour: np.ndarray, levels: tuple[float, float], offset_deg: float) -> float:
    """:func:`solve_pelvic_tilt` evaluating the whole grid first (the reference the outward search is tested
    against)."""

    def g(theta: float) -> float:
        return sacral_chords_deg(contour, theta, levels)[0] - offset_deg - theta

    values = sacral_chords_deg(contour, _TILT_GRID, levels) - offset_deg - _TILT_GRID
    roots = [r for r in (_falsi_root(g, values, k) for k in range(_TILT_GRID.size - 1)) if r is not None]
    if not roots:
        return _NAN
    return float(min(roots, key=lambda r: abs(r - _NEUTRAL_TILT_DEG)))


# ----------------------------------------------------------------------------- quality


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-12), 0.0, 1.0)
    return np.hypot(*(points - (a + t[:, None] * ab)).T)


def _arm_cover(points: np.ndarray, arms: np.ndarray | None, radius: tuple[float, float]) -> float:
    """Fraction of ``points`` lying within an arm: closer to an arm segment than that segment's radius.

    ``arms`` is ``(k, 3, 2)``: per arm, shoulder, elbow and wrist (sagittal, normalised; NaN allowed). The
    forearm segment is extended past the wrist by 35 % of its length for the hand. 0 without arms.
    """
    if arms is None or points.shape[0] == 0:
        return 0.0
    return float(_arm_inside(points, arms, radius).mean())


def _arm_inside(points: np.ndarray, arms: np.ndarray, radius: tuple[float, float]) -> np.ndarray:
    """Per point of ``points``, whether it lies within an arm (:func:`_arm_cover`'s test; ``arms`` not None)."""
    inside = np.zeros(points.shape[0], dtype=bool)
    for shoulder, elbow, wrist in arms:
        if np.isfinite(shoulder).all() and np.isfinite(elbow).all():
            inside |= _segment_distance(points, shoulder, elbow) <= radius[0]
        if np.isfinite(elbow).all() and np.isfinite(wrist).all():
            hand = wrist + 0.35 * (wrist - elbow)
            inside |= _segment_distance(points, elbow, hand) <= radius[1]
    return inside


def _arm_covers(
    arc: np.ndarray, height: np.ndarray, arms: np.ndarray | None, params: OutlineParams
) -> tuple[float, float]:
    """:func:`_arm_cover` of the back from the buttock to the top of the sacral chord (``cover_lo``, the tilt's)
    and to the top of the thoraco-lumbar chord (``cover``, the lordosis'), one distance test for both: the
    first stretch is a part of the second (``high + 0.05 <= max(top, high) + 0.05``)."""
    low, high = params.sacral_levels
    span = (height >= low - 0.25) & (height <= max(params.thoracolumbar_levels[1], high) + 0.05)
    if arms is not None and not params.cover_hanging_arms:
        arms = arms[~_hanging(arms, params.hanging_wrist_max)]
    if arms is None or arms.shape[0] == 0 or not span.any():
        return 0.0, 0.0
    inside = _arm_inside(arc[span], arms, params.arm_radius)
    lower = inside[height[span] <= high + 0.05]
    return (float(lower.mean()) if lower.size else 0.0), float(inside.mean())


def _hanging(arms: np.ndarray, hanging_wrist_max: float) -> np.ndarray:
    """Per arm of ``arms`` (``(k, 3, 2)`` sagittal), whether it is known to hang: its wrist lies no more than
    ``hanging_wrist_max`` above the hip joint (an unknown wrist is not known to hang)."""
    with np.errstate(invalid="ignore"):
        return arms[:, 2, 1] <= hanging_wrist_max


def _elbow_behind(arms: np.ndarray | None, hanging_wrist_max: float = math.inf) -> float:
    """How far the hindmost elbow of a hanging arm lies behind the hip joint's vertical, torso lengths
    (-inf: no such elbow).

    An arm hanging behind the trunk (trunk swayed back, an arm swung back in gait) lies over the buttock and
    the lumbar hollow in side view, even where the keypoints put it just short of the outline. An arm counts
    as hanging unless its wrist is known to be higher than ``hanging_wrist_max`` above the hip joint: a
    forearm raised across the chest or held forward lies at the side of the trunk or ahead of it, wherever
    the pose model puts its elbow (MediaPipe puts a folded arm's elbow at the back of the trunk).
    """
    if arms is None:
        return -math.inf
    raised = arms[:, 2, 1] > hanging_wrist_max  # NaN wrist: not known to be raised
    x = arms[~raised, 1, 0]
    x = x[np.isfinite(x)]
    return float(-x.min()) if x.size else -math.inf


def _between(arc: np.ndarray, p: np.ndarray, q: np.ndarray, pad: float) -> np.ndarray:
    """The arc's points from near ``p`` to near ``q`` (both on the arc), padded by ``pad`` of arc length."""
    i = int(np.argmin(np.hypot(*(arc - p).T)))
    j = int(np.argmin(np.hypot(*(arc - q).T)))
    i, j = min(i, j), max(i, j)
    k = int(pad / _STEP)
    return arc[max(i - k, 0) : min(j + k + 1, arc.shape[0])]


def _roughness(raw: np.ndarray, region: np.ndarray) -> float:
    """RMS residual of the raw contour points around ``region`` from a quadratic curve fitted through them.

    The points are those of the resampled, unsmoothed contour inside ``region``'s bounding box (grown by
    0.02); the quadratic is fitted across their principal direction. A back seen through a clean mask has a
    residual of a few thousandths of the torso; creases, a flapping shirt or a frayed mask raise it.
    """
    if region.size == 0:
        return _NAN
    lo = region.min(axis=0) - 0.02
    hi = region.max(axis=0) + 0.02
    x, y = raw[:, 0], raw[:, 1]
    pts = raw[(x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1])]
    if pts.shape[0] < 5:
        return _NAN
    centred = pts - pts.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    along, across = centred @ vt[0], centred @ vt[1]
    residual = across - _quadratic_fit(along, across)
    return float(np.sqrt(np.mean(residual**2)))


def _quadratic_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``np.polyval(np.polyfit(x, y, 2), x)`` for float arrays, with the same operations and without their
    argument checks (a third of the roughness's time): Vandermonde columns scaled to unit norm, LAPACK's
    least squares, the scale undone, Horner's rule."""
    lhs = np.vander(x, 3)
    scale = np.sqrt((lhs * lhs).sum(axis=0))
    lhs /= scale
    c = np.linalg.lstsq(lhs, y, x.size * np.finfo(np.float64).eps)[0]
    c = (c.T / scale).T
    out = np.zeros_like(x)
    for pv in c:
        out = out * x + pv
    return out


def _ramp_down(value: float, limits: tuple[float, float]) -> float:
    """1 up to ``limits[0]``, falling linearly to 0 at ``limits[1]``; 1 for -inf (nothing measured that
    could lower it, e.g. no elbow), 0 for NaN and +inf."""
    if value == -math.inf:
        return 1.0
    if not np.isfinite(value):
        return 0.0
    lo, hi = limits
    return float(np.clip((hi - value) / (hi - lo), 0.0, 1.0))


def _to_sagittal(points_px: np.ndarray, hip_px: np.ndarray, facing: float, torso_px: float) -> np.ndarray:
    """Image pixels ``(..., 2)`` → normalised sagittal ``(forward, up)`` about ``hip_px``."""
    d = np.asarray(points_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    return np.stack([facing * d[..., 0], -d[..., 1]], axis=-1) / torso_px


# ----------------------------------------------------------------------------- one frame


def estimate_frame(
    outline_px: np.ndarray,
    *,
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    facing: float,
    torso_px: float,
    arms_px: np.ndarray | None = None,
    params: OutlineParams = OutlineParams(),
) -> FrameEstimate:
    """Pelvic tilt, lumbar lordosis and their qualities from one side-view outline.

    Parameters
    ----------
    outline_px
        ``(n, 2)`` closed contour of the client, image pixels.
    hip_px, shoulder_px
        ``hip_mid`` and ``shoulder_mid``, image pixels.
    facing
        +1 facing image right, −1 facing image left (``movelab.kinematics.facing_sign``).
    torso_px
        The clip's torso length, pixels (the unit of every length in ``params``).
    arms_px
        ``(k, 3, 2)`` shoulder, elbow, wrist of each arm, image pixels (NaN where unknown), for the
        occlusion check; None skips it.
    params
        See :class:`OutlineParams`.

    Returns
    -------
    FrameEstimate
        NaN values with quality 0 when the outline or a landmark is missing, or a chord level does not
        meet the back.

    Notes
    -----
    The reported tilt is ``11 + tilt_gain · (θ − 11)``, ``θ`` the fixed point of the sacral chord (which the
    lordosis' chords use): the back surface over the sacrum turns less than the pelvis (design bodies: 0.62-0.96
    deg per degree over 0-20 deg, 0.46-0.96 over 0-35), and the gain, about the calibration's neutral 11 deg,
    undoes part of it (``KinematicsConfig.outline_tilt_gain``), in full while the trunk leans at most
    ``tilt_gain_max_lean_deg`` and fading to none by twice that (:func:`_gained_tilt`). The lordosis is
    ``sacral + (11 + g_L (θ − 11) − θ) − chord_TL − lordosis_offset`` with ``g_L = lordosis_sacral_gain``
    (fading with the lean the same way): its lumbo-sacral end inherits the sacral chord's under-read, which
    made the design bodies' lordosis follow a tilt sweep's at 0.56-0.87 per degree
    (``KinematicsConfig.outline_lordosis_sacral_gain``).

    ``tilt_quality = q_cover(buttock to sacral chord) · q_elbow · q_rough(sacral chord) · q_sensitivity``
    and ``lordosis_quality = tilt_quality · q_cover(buttock to thoraco-lumbar chord) · q_rough(thoraco-lumbar
    chord)``, each factor a linear ramp from 1 to 0 between the two limits of its setting
    (``arm_cover_limits``, ``elbow_behind_limits``, ``roughness_limits``, ``sensitivity_limits_deg``).
    """
    inputs = (outline_px, hip_px, shoulder_px)
    if not (
        all(np.isfinite(np.asarray(a, dtype=np.float64)).all() for a in inputs)
        and np.isfinite(facing)
        and np.isfinite(torso_px)
        and torso_px > 0
    ):
        return FrameEstimate()
    sag = sagittal_outline(outline_px, hip_px=hip_px, facing=facing, torso_px=torso_px)
    contour = _prepare(sag, params.smoothing)
    theta = solve_pelvic_tilt(contour.smooth, params.sacral_levels, params.tilt_offset_deg)
    if not np.isfinite(theta):
        return FrameEstimate()
    sacral, (p1, p2, arc, seed) = sacral_chord_deg(contour.smooth, theta, params.sacral_levels)
    if p1 is None:
        return FrameEstimate()
    low, high = params.sacral_levels
    shifted = [
        sacral_chords_deg(contour.smooth, theta, (low + d, high + d))[0]
        for d in (-params.level_shift, params.level_shift)
    ]
    sensitivity = abs(shifted[0] - shifted[1])
    # Arms: the cover of the back from the buttock to the top of the sacral chord (tilt) or of the
    # thoraco-lumbar chord (lordosis), and an elbow hanging behind the trunk (both).
    arms = None if arms_px is None else _to_sagittal(arms_px, hip_px, facing, torso_px)
    cover_lo, cover = _arm_covers(arc, _pelvis_height(arc, theta), arms, params)
    elbow_behind = _elbow_behind(arms, params.hanging_wrist_max)
    q_elbow = _ramp_down(elbow_behind, params.elbow_behind_limits)
    rough_lo = _roughness(contour.raw, _between(arc, p1, p2, _PAD))
    q_tilt = (
        _ramp_down(cover_lo, params.arm_cover_limits)
        * q_elbow
        * _ramp_down(rough_lo, params.roughness_limits)
        * _ramp_down(sensitivity, params.sensitivity_limits_deg)
    )
    lordosis, q_lord, rough = _NAN, 0.0, rough_lo
    shoulder = _to_sagittal(shoulder_px, hip_px, facing, torso_px)
    upper, (p3, p4) = _thoracolumbar_chord_deg(
        arc, seed, _lumbar_axis(shoulder, theta, params.thoracolumbar_pelvis_weight), params.thoracolumbar_levels
    )
    if p3 is not None:
        lumbosacral = sacral + (_gained_tilt(float(theta), shoulder, params, gain=params.lordosis_sacral_gain) - theta)
        lordosis = lumbosacral - upper - params.lordosis_offset_deg
        rough_up = _roughness(contour.raw, _between(arc, p3, p4, _PAD))
        rough = float(np.nanmax([rough_lo, rough_up]))
        q_lord = q_tilt * _ramp_down(cover, params.arm_cover_limits) * _ramp_down(rough_up, params.roughness_limits)
    return FrameEstimate(
        pelvic_tilt=_gained_tilt(float(theta), shoulder, params, gain=params.tilt_gain),
        lumbar_lordosis=float(lordosis),
        tilt_quality=float(q_tilt),
        lordosis_quality=float(q_lord),
        sacral_chord_deg=float(sacral),
        thoracolumbar_chord_deg=float(upper),
        arm_cover=float(cover),
        elbow_behind=float(elbow_behind),
        roughness=float(rough),
        sensitivity_deg=float(sensitivity),
    )


def _gained_tilt(theta: float, shoulder: np.ndarray, params: OutlineParams, *, gain: float) -> float:
    """``11 + gain · (θ − 11)`` with the gain in full while the trunk (hip to ``shoulder``, sagittal) leans
    at most ``tilt_gain_max_lean_deg`` and fading to 1 by twice that: the sacral chord's under-read was
    measured upright, with the lordosis deepening as the pelvis tilts; in a squat, whose lumbar spine flexes,
    the gain made the design bodies' squat tilt worse. ``gain``: ``params.tilt_gain`` for the reported tilt,
    ``params.lordosis_sacral_gain`` for the lordosis' lumbo-sacral end."""
    lean = abs(math.degrees(math.atan2(shoulder[0], shoulder[1])))
    full = params.tilt_gain_max_lean_deg
    gain = 1.0 + (gain - 1.0) * min(max(2.0 - lean / full, 0.0), 1.0)
    if gain == 1.0:  # the fixed point itself, bit for bit
        return theta
    return _NEUTRAL_TILT_DEG + gain * (theta - _NEUTRAL_TILT_DEG)


def _lumbar_axis(shoulder: np.ndarray, theta: float, pelvis_weight: float) -> np.ndarray:
    """The axis along which the thoraco-lumbar levels are measured (a direction; unit length unless it is the
    trunk's): turned from the trunk's (hip to
    shoulder) towards the pelvis's up axis (the vertical turned forward by the tilt ``theta``) by
    ``pelvis_weight`` of the angle between them (0: the trunk axis, 1: the pelvis axis)."""
    if pelvis_weight == 0.0:  # the trunk axis as before the weight existed (bit for bit; normalised later)
        return shoulder
    trunk_deg = math.degrees(math.atan2(shoulder[0], shoulder[1]))
    angle = math.radians((1.0 - pelvis_weight) * trunk_deg + pelvis_weight * theta)
    return np.array([math.sin(angle), math.cos(angle)])


def _thoracolumbar_chord_deg(
    arc: np.ndarray, seed: int, shoulder: np.ndarray, levels: tuple[float, float]
) -> tuple[float, tuple]:
    """Inclination of the chord between the back-arc points at ``levels`` along the trunk axis.

    ``shoulder`` is ``shoulder_mid`` in the normalised sagittal frame (the trunk axis runs from the hip to
    it). Returns NaN and ``(None, None)`` when the axis is degenerate or a level does not meet the arc.
    """
    norm = float(np.hypot(*shoulder))
    if not norm > 0:
        return _NAN, (None, None)
    along = arc @ (shoulder / norm)
    p3, p4 = _crossing(arc, along, levels[0], seed), _crossing(arc, along, levels[1], seed)
    if p3 is None or p4 is None:
        return _NAN, (None, None)
    return _inclination_deg(p3, p4), (p3, p4)


# ----------------------------------------------------------------------------- the pelvis's outline, registered


def back_profile(
    outline_px: np.ndarray,
    *,
    hip_px: np.ndarray,
    facing: float,
    torso_px: float,
    heights: np.ndarray,
    smoothing: float = 0.02,
    seed_level: float = 0.08,
) -> np.ndarray:
    """How far behind ``hip_px`` the back lies at each of ``heights`` (upright sagittal frame, torso lengths).

    The back arc (:func:`back_arc`, seeded at ``seed_level`` with the frame upright) is followed from the seed
    down over the buttock while its height falls and up the back while it rises; ``x`` at ``heights`` is
    interpolated along that run. NaN outside it, and everywhere when the outline or a landmark is missing.
    """
    out = np.full(np.shape(heights), _NAN)
    if not (np.isfinite(outline_px).all() and np.isfinite(hip_px).all() and np.isfinite(torso_px)):
        return out
    sag = sagittal_outline(outline_px, hip_px=hip_px, facing=facing, torso_px=torso_px)
    found = back_arc(_prepare(sag, smoothing).smooth, 0.0, seed_level=seed_level)
    if found is None:
        return out
    arc, seed = found
    h = arc[:, 1]
    rising = np.diff(h) > 0
    falls = (~rising[:seed]).nonzero()[0]  # the run of rising steps through the seed, from lo to hi
    lo = int(falls[-1]) + 1 if falls.size else 0
    falls = (~rising[seed:]).nonzero()[0]
    hi = seed + int(falls[0]) if falls.size else rising.size
    run = arc[lo : hi + 1]
    if run.shape[0] < 3:
        return out
    inside = (heights >= run[0, 1]) & (heights <= run[-1, 1])
    out[inside] = np.interp(np.asarray(heights)[inside], run[:, 1], run[:, 0])
    return out


def register_profile(
    x: np.ndarray, heights: np.ndarray, ref_x: np.ndarray, ref_heights: np.ndarray
) -> tuple[float, float, float, float]:
    """The rigid motion that lays one frame's back profile onto a reference profile.

    ``(x, heights)`` are points of the frame's back (torso lengths, upright sagittal frame); ``ref_x`` the
    reference's back at ``ref_heights`` (ascending, a longer stretch). Finds the turn ``phi`` about the origin
    (degrees, top forward positive, as a pelvic tilt) followed by the shift ``(tx, ty)`` that lays the frame's
    points on the reference (least squares over their horizontal distances from it): a pelvis tilted by ``d``
    more than in the reference gives ``phi = -d``; a hip landmark ``e`` too low gives ``ty = -e``.

    Returns
    -------
    (phi_deg, tx, ty, rms)
        ``rms`` the root mean square residual (torso lengths); NaNs when fewer than 10 points are finite.

    Notes
    -----
    Gauss-Newton from no motion, at most ``_REGISTER_STEPS`` steps, each the least-squares (minimum-norm)
    solution of the linearised residuals, within ±30° and ±0.15 torso lengths.
    """
    ok = np.isfinite(x) & np.isfinite(heights)
    ref_ok = np.isfinite(ref_x)
    if ok.sum() < 10 or ref_ok.sum() < 10:
        return _NAN, _NAN, _NAN, _NAN
    px, ph = x[ok], heights[ok]
    rh, rx = ref_heights[ref_ok], ref_x[ref_ok]
    slope = np.gradient(rx, rh)
    v = np.zeros(3)
    residual = np.zeros(px.size)
    for _ in range(_REGISTER_STEPS):
        c, s = math.cos(math.radians(v[0])), math.sin(math.radians(v[0]))
        mh = -s * px + c * ph + v[2]
        residual = c * px + s * ph + v[1] - np.interp(mh, rh, rx)
        g = np.interp(mh, rh, slope)
        d_phi = ((-s * px + c * ph) - g * (-c * px - s * ph)) * (math.pi / 180.0)
        jac = np.column_stack([d_phi, np.ones(px.size), -g])
        step = np.linalg.lstsq(jac, -residual, rcond=None)[0]
        v = np.clip(v + step, [-30.0, -0.15, -0.15], [30.0, 0.15, 0.15])
        if abs(step[0]) < 1e-4 and max(abs(step[1]), abs(step[2])) < 1e-6:
            break
    c, s = math.cos(math.radians(v[0])), math.sin(math.radians(v[0]))
    residual = c * px + s * ph + v[1] - np.interp(-s * px + c * ph + v[2], rh, rx)
    return float(v[0]), float(v[1]), float(v[2]), float(np.sqrt(np.mean(residual**2)))
