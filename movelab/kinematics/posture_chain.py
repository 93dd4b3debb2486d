"""Measures along the kinetic chain: craniovertebral angle (forward head; C7 from the outline), thoracic kyphosis
(outline), knee hyperextension, shoulder and pelvic obliquity, lateral trunk shift, and the FMS deep squat's
geometry (tibia lean, hands over the feet).

The formulas are pure functions of 2D points in a body plane (``(forward, up)`` in side view,
``(left, up)`` in front or back view; docs/conventions.md), so the mannequin's ground truth
(:mod:`movelab.synth.truth_chain`) uses the very same ones. :func:`chain_table` applies them to a
:class:`movelab.kinematics.Motion`, frame by frame, NaN outside the view a measure needs. Definitions, validity
conditions and measured errors: docs/posture-chain.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from movelab.kinematics.geometry import arm_points, median_torso_length, midpoint, point, to_plane, torso_length
from movelab.kinematics.outline_method import _arm_cover, _Contour, _prepare, _ramp_down, _roughness, _to_sagittal
from movelab.kinematics.tables import frame_table

__all__ = [
    "CHAIN_COLUMNS",
    "CraniovertebralParams",
    "KyphosisParams",
    "c7_frame",
    "chain_table",
    "craniovertebral_angle_deg",
    "forward_head_deg",
    "tibia_lean_deg",
    "along_foot",
    "obliquity_deg",
    "lateral_shift",
    "knee_inside_foot",
    "kyphosis_frame",
]

_SIDES = ("left", "right")
#: Columns of :func:`chain_table`, in order (after ``time_s`` and ``frame``).
CHAIN_COLUMNS: tuple[str, ...] = (
    "craniovertebral_angle",
    "thoracic_kyphosis",
    "thoracic_kyphosis_quality",
    "thoracic_kyphosis_change",
    "knee_hyperextension_left",
    "knee_hyperextension_right",
    "shoulder_obliquity",
    "lateral_trunk_shift",
    "tibia_lean_left",
    "tibia_lean_right",
    "hands_over_foot_left",
    "hands_over_foot_right",
    "knee_inside_foot_left",
    "knee_inside_foot_right",
)


# ----------------------------------------------------------------------------- formulas on 2D points


def _lean_deg(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Inclination of ``lower → upper`` against the vertical, positive leaning forward (``atan2(dx, dy)``)."""
    d = np.asarray(upper, np.float64) - np.asarray(lower, np.float64)
    return np.degrees(np.arctan2(d[..., 0], d[..., 1]))


def forward_head_deg(shoulder: np.ndarray, ear: np.ndarray) -> np.ndarray:
    """The shoulder → ear line against the vertical, sagittal ``(forward, up)`` points (the rendered mannequin's
    forward-head setting, :mod:`movelab.synth`; the measure movelab reports is :func:`craniovertebral_angle_deg`).

    Returns
    -------
    numpy.ndarray
        Degrees, positive with the ear ahead of the shoulder, in (−180, 180].
    """
    return _lean_deg(shoulder, ear)


def craniovertebral_angle_deg(c7: np.ndarray, tragus: np.ndarray) -> np.ndarray:
    """The craniovertebral angle: the C7 → tragus line against the horizontal, sagittal ``(forward, up)`` points.

    Returns
    -------
    numpy.ndarray
        Degrees, ``atan2(tragus_y − c7_y, tragus_x − c7_x)``: 90 with the tragus straight above C7, smaller
        the further the head sits ahead of C7 (forward head posture), in (−180, 180].
    """
    d = np.asarray(tragus, np.float64) - np.asarray(c7, np.float64)
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


def tibia_lean_deg(knee: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """The shank (ankle → knee) against the vertical, sagittal points; positive: the knee ahead of the ankle."""
    return _lean_deg(ankle, knee)


def along_foot(x: np.ndarray, heel_x: np.ndarray, toe_x: np.ndarray) -> np.ndarray:
    """Where the forward coordinate ``x`` lies along the foot: 0 over the heel, 1 over the toe tip.

    NaN where the foot's length along the forward axis is under a millionth of a unit (a foot seen end on).
    """
    length = np.asarray(toe_x, np.float64) - np.asarray(heel_x, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.abs(length) > 1e-6, (np.asarray(x, np.float64) - heel_x) / length, np.nan)


def obliquity_deg(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The right → left line against horizontal in a frontal ``(left, up)`` frame; positive: the left higher.

    The same definition as ``pelvic_obliquity`` (docs/conventions.md), here for any pair (e.g. shoulders).
    NaN when the left point is not to the client's left of the right one.
    """
    v = np.asarray(left, np.float64) - np.asarray(right, np.float64)
    angle = np.degrees(np.arctan2(v[..., 1], v[..., 0]))
    return np.where(v[..., 0] > 0, angle, np.nan)


def lateral_shift(shoulder_mid: np.ndarray, hip_mid: np.ndarray, torso: np.ndarray) -> np.ndarray:
    """Lateral trunk shift: ``shoulder_mid`` beside ``hip_mid``, % of the torso length, positive to the left."""
    d = np.asarray(shoulder_mid, np.float64)[..., 0] - np.asarray(hip_mid, np.float64)[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * d / np.asarray(torso, np.float64)


def knee_inside_foot(knee: np.ndarray, foot_centre: np.ndarray, other_foot_centre: np.ndarray, side: str) -> np.ndarray:
    """How far a knee lies inside (medial of) its foot's centre, frontal ``(left, up)`` points.

    Returns
    -------
    numpy.ndarray
        The knee's medial offset from its foot centre (midpoint of ankle and toe tip) as a fraction of the
        distance between the two foot centres: 0 with the knee straight over the foot, positive medial
        (towards the other foot), negative lateral. NaN when the feet are not on their own sides.
    """
    sign = 1.0 if side == "left" else -1.0
    sep = sign * (np.asarray(foot_centre, np.float64)[..., 0] - np.asarray(other_foot_centre, np.float64)[..., 0])
    off = sign * (np.asarray(foot_centre, np.float64)[..., 0] - np.asarray(knee, np.float64)[..., 0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sep > 0, off / sep, np.nan)


# ----------------------------------------------------------------------------- kyphosis from the outline


@dataclass(frozen=True)
class KyphosisParams:
    """Settings of the thoracic kyphosis estimate (lengths in torso lengths along the trunk axis).

    ``lower_levels`` span the thoraco-lumbar back (T12/L1 and just above it: the lumbar estimate's own
    chord, at 0.40-0.55, lies below the junction the thorax bends at), ``upper_levels`` the upper thoracic
    back up to just above the shoulder line (T7 → T3 of the mannequin lie at about 0.88 and 1.05).
    Both pairs and ``offset_deg`` (the mean chord difference minus the surface kyphosis of the design body
    standing neutral) were chosen on the design body's rendered postures only (docs/fms-posture-decisions.md);
    levels and offset chosen again on body A's clips rendered after the renderer's shading fix (before it:
    (0.55, 0.70), (0.90, 1.05), −7.7).
    The quality ramps are the lumbar estimate's.
    """

    lower_levels: tuple[float, float] = (0.60, 0.75)
    upper_levels: tuple[float, float] = (0.92, 1.0)
    offset_deg: float = 1.7
    smoothing: float = 0.02
    arm_radius: tuple[float, float] = (0.13, 0.10)
    arm_cover_limits: tuple[float, float] = (0.2, 0.3)
    roughness_limits: tuple[float, float] = (0.008, 0.02)


def _back_point(contour: np.ndarray, axis: np.ndarray, level: float) -> np.ndarray | None:
    """The hindmost crossing of the contour with the line ``contour · axis = level`` (behind the trunk axis)."""
    return _back_lines(contour, axis).point(level)


@dataclass(frozen=True)
class _BackLines:
    """A contour's coordinates along and across a trunk axis, and each point's successor's, computed once for
    all the levels :func:`_back_point` is asked about (the same operations as it, in the same order)."""

    contour: np.ndarray
    along: np.ndarray
    across: np.ndarray

    def point(self, level: float) -> np.ndarray | None:
        """:func:`_back_point` at ``level``. ``along - level <= 0`` is ``along <= level`` in IEEE arithmetic,
        so the crossings are found without subtracting over the contour; the interpolation subtracts as
        :func:`_back_point` did, at the crossings only."""
        below = self.along <= level
        idx = (below != np.concatenate((below[1:], below[:1]))).nonzero()[0]
        if idx.size == 0:
            return None
        nxt = (idx + 1) % self.along.size
        c, c_next = self.along[idx] - level, self.along[nxt] - level
        t = -c / (c_next - c)
        pts = self.contour[idx] + t[:, None] * (self.contour[nxt] - self.contour[idx])
        acr = self.across[idx] + t * (self.across[nxt] - self.across[idx])
        if not (acr < 0).any():
            return None
        return pts[int(np.argmin(acr))]


def _back_lines(contour: np.ndarray, axis: np.ndarray) -> _BackLines:
    along = contour @ axis
    across = contour @ np.array([axis[1], -axis[0]])  # forward of the trunk axis positive
    return _BackLines(contour, along, across)


def _back_frame(
    outline_px: np.ndarray,
    *,
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    facing: float,
    torso_px: float,
    smoothing: float,
) -> tuple[_Contour, np.ndarray] | None:
    """One side-view outline in the normalised sagittal frame (the outline estimates'), prepared with
    ``smoothing``, and the unit trunk axis (hip → shoulders); None when an input is missing."""
    inputs = (outline_px, hip_px, shoulder_px)
    if not (all(np.isfinite(np.asarray(a, np.float64)).all() for a in inputs) and np.isfinite(facing)):
        return None
    if not (np.isfinite(torso_px) and torso_px > 0):
        return None
    shoulder = _to_sagittal(shoulder_px, hip_px, facing, torso_px)
    norm = float(np.hypot(*shoulder))
    if not norm > 0:
        return None
    return _prepare(_to_sagittal(outline_px, hip_px, facing, torso_px), smoothing), shoulder / norm


def kyphosis_frame(
    outline_px: np.ndarray,
    *,
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    facing: float,
    torso_px: float,
    arms_px: np.ndarray | None = None,
    params: KyphosisParams = KyphosisParams(),
) -> tuple[float, float]:
    """Thoracic kyphosis (degrees) and its quality in [0, 1] from one side-view outline.

    Notes
    -----
    In the normalised sagittal frame (origin ``hip_mid``, torso lengths; as the lumbar estimate), the back
    points at the two ``lower_levels`` and the two ``upper_levels`` along the trunk axis (hip → shoulders)
    give two chords; ``kyphosis = incl(upper) − incl(lower) − offset``, each inclination against the
    vertical, forward positive: the upper back leaning forward of the thoraco-lumbar back is kyphosis.
    ``quality = q_cover · q_rough`` over the back from the lower chord to the upper one, with the lumbar
    estimate's ramps: an arm lying over the upper back in the picture, or a rough contour, lowers it.
    """
    frame = _back_frame(
        outline_px, hip_px=hip_px, shoulder_px=shoulder_px, facing=facing, torso_px=torso_px, smoothing=params.smoothing
    )
    if frame is None:
        return math.nan, 0.0
    arms = None if arms_px is None else _to_sagittal(arms_px, hip_px, facing, torso_px)
    return _kyphosis_of(*frame, arms, params)


def _kyphosis_of(
    contour: _Contour,
    axis: np.ndarray,
    arms: np.ndarray | None,
    params: KyphosisParams,
    *,
    lines: _BackLines | None = None,
) -> tuple[float, float]:
    """:func:`kyphosis_frame` on a prepared frame (:func:`_back_frame`; ``arms`` in the same sagittal frame;
    ``lines``: :func:`_back_lines` of ``contour.smooth`` and ``axis`` when already computed)."""
    lines = _back_lines(contour.smooth, axis) if lines is None else lines
    pts = [lines.point(lv) for lv in (*params.lower_levels, *params.upper_levels)]
    if any(p is None for p in pts):
        return math.nan, 0.0
    lower = float(_lean_deg(pts[0], pts[1]))
    upper = float(_lean_deg(pts[2], pts[3]))
    region = np.array(pts)
    along = lines.along
    behind = lines.across < 0
    span = behind & (along >= params.lower_levels[0]) & (along <= params.upper_levels[1])
    cover = _arm_cover(contour.smooth[span], arms, params.arm_radius)
    rough = max(_roughness(contour.raw, region[:2]), _roughness(contour.raw, region[2:]))
    quality = _ramp_down(cover, params.arm_cover_limits) * _ramp_down(rough, params.roughness_limits)
    return upper - lower - params.offset_deg, float(quality)


# ----------------------------------------------------------------------------- craniovertebral angle


@dataclass(frozen=True)
class CraniovertebralParams:
    """Settings of the craniovertebral angle (C7 from the outline, the tragus from the ear landmarks).

    ``c7_level``: where C7 is taken on the back's outline, in torso lengths along the trunk axis (hip →
    shoulder landmarks; 1.0 = the shoulder landmarks' level): the back's hindmost point there. The angle read
    from it to the ear landmarks' midpoint is mapped to the craniovertebral angle as ``(raw − offset_deg) /
    gain``.

    The shoulder-bulge correction: on a body whose upper spine leans forward over the hips with the shoulders
    held over the hips, the shoulders sit behind C7 and their back, not the neck, is the outline at C7's
    height (up to 0.11 torso lengths behind the skin over C7 on rendered bodies, against 0.03 at most on the
    others). The back then rises (moves forward) less than usual from ``bulge_level`` to ``c7_level``: when it
    moves forward by less than ``bulge_rise`` (torso lengths), C7 is moved forward, across the trunk axis, by
    ``bulge_gain`` times the shortfall.

    The levels, the correction and the line were chosen on design bodies only (design body ``A``, the nine
    design bodies and the five spine-forward design bodies, ``movelab.synth.population``; 40 standing clips:
    the smallest design MAE of a straight-line fit; ``python -m scripts.accuracy.forward_head_diagnosis
    --design-only``, docs/fms-posture-decisions.md), on clips rendered after the renderer's shading fix. The
    chosen level lies a little below the skin over C7 (1.06-1.12 along the axis on the usual bodies), on the
    base of the neck, whose angle to the ear under-reads a change of the head (gain below 1). The offset also
    absorbs the pose model's ear landmark sitting ahead of the mannequin's ear. ``smoothing`` is the outline
    estimates' contour smoothing (torso lengths).
    """

    c7_level: float = 1.05
    bulge_level: float = 0.975
    bulge_rise: float = 0.035
    bulge_gain: float = 3.0
    offset_deg: float = 3.8
    gain: float = 0.781
    smoothing: float = 0.02


def c7_frame(
    outline_px: np.ndarray,
    *,
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    facing: float,
    torso_px: float,
    params: CraniovertebralParams = CraniovertebralParams(),
) -> np.ndarray:
    """C7 on one side-view outline: the back's hindmost point at ``params.c7_level`` along the trunk axis, moved
    forward where the back below it bulges (the shoulders behind C7; :class:`CraniovertebralParams`).

    Returns
    -------
    numpy.ndarray
        ``(forward, up)`` in the normalised sagittal frame of the outline estimates (origin the hip midpoint,
        torso lengths); NaN when an input is missing or the outline has no back at those levels.
    """
    frame = _back_frame(
        outline_px, hip_px=hip_px, shoulder_px=shoulder_px, facing=facing, torso_px=torso_px, smoothing=params.smoothing
    )
    return np.full(2, np.nan) if frame is None else _c7_of(*frame, params)


def _c7_of(
    contour: _Contour, axis: np.ndarray, params: CraniovertebralParams, *, lines: _BackLines | None = None
) -> np.ndarray:
    """:func:`c7_frame` on a prepared frame (:func:`_back_frame`; ``lines`` as for :func:`_kyphosis_of`)."""
    lines = _back_lines(contour.smooth, axis) if lines is None else lines
    c7, below = lines.point(params.c7_level), lines.point(params.bulge_level)
    if c7 is None or below is None:
        return np.full(2, np.nan)
    forward = np.array([axis[1], -axis[0]])  # across the trunk axis, forward positive (as _back_lines)
    shortfall = max(0.0, params.bulge_rise - float((c7 - below) @ forward))
    return c7 + params.bulge_gain * shortfall * forward


# ----------------------------------------------------------------------------- the table


#: In a front view the feet count as tracked in a frame while their centres' spacing stays within this fraction
#: of its usual value (the feet stay planted in a squat): with the knees pressed together the pose model lost the
#: feet (both ankles drawn to the body's midline) at the bottom of rendered squats, which read as knees far
#: outside the feet.
FEET_SPACING_TOLERANCE = 0.25

#: Frames where the feet were lost take the feet's centres interpolated between the nearest tracked frames
#: before and after, when those lie at most this far apart (the feet stay planted through a rep; a longer gap
#: leaves the knees unjudged).
FEET_GAP_MAX_S = 1.5

#: The upper arms must hang within this of vertical for the forward head: a raised arm drags the pose model's
#: shoulder landmark with it (arms held forward read 25 deg of forward head as none on a rendered body).
ARMS_DOWN_MAX_DEG = 45.0


def _arms_down(position) -> np.ndarray:
    """Per frame: every measured upper arm (shoulder → elbow) within :data:`ARMS_DOWN_MAX_DEG` of hanging."""
    ok = np.ones(position.sizes["time"], bool)
    for side in _SIDES:
        arm = point(position, f"{side}_elbow") - point(position, f"{side}_shoulder")
        angle = np.degrees(np.arctan2(np.abs(arm[:, 0]), arm[:, 1]))  # image y grows downwards: hanging = 0
        ok &= ~(np.isfinite(angle) & (angle > ARMS_DOWN_MAX_DEG))
    return ok


def _plane(position, stem: str, sign: np.ndarray, *, fallback: bool) -> np.ndarray:
    return to_plane(midpoint(position, stem, fallback=fallback), sign)


def _outline_measures(
    motion, facing: np.ndarray, kyphosis: KyphosisParams, craniovertebral: CraniovertebralParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame, from one pass over the side-view outlines (each prepared once when both settings smooth
    alike): thoracic kyphosis and its quality, and the craniovertebral angle (NaN also while an upper arm is
    raised more than :data:`ARMS_DOWN_MAX_DEG`)."""
    ds, position = motion.landmarks, motion.positions.cleaned
    n = ds.sizes["time"]
    kyph, quality, cva = np.full(n, np.nan), np.zeros(n), np.full(n, np.nan)
    side = np.isfinite(facing)
    if "outline_px" not in ds or not side.any():
        return kyph, quality, cva
    torso_px = median_torso_length(position, where=side)
    if not np.isfinite(torso_px):
        return kyph, quality, cva
    hip = midpoint(position, "hip", fallback=True)
    shoulder = midpoint(position, "shoulder", fallback=True)
    ear = midpoint(position, "ear", fallback=True)
    arms, arms_down = arm_points(position), _arms_down(position)
    # float32 as stored, made float64 one frame at a time (exactly), as the outline estimates do
    outline = ds["outline_px"].transpose("time", "outline_point", "space_2d").values
    for i in np.flatnonzero(side):
        at = dict(hip_px=hip[i], shoulder_px=shoulder[i], facing=float(facing[i]), torso_px=torso_px)
        px = np.asarray(outline[i], dtype=np.float64)
        frame = _back_frame(px, **at, smoothing=kyphosis.smoothing)
        lines = None if frame is None else _back_lines(frame[0].smooth, frame[1])
        if frame is not None:
            sag_arms = _to_sagittal(arms[i], hip[i], at["facing"], torso_px)
            kyph[i], quality[i] = _kyphosis_of(*frame, sag_arms, kyphosis, lines=lines)
        if not arms_down[i]:
            continue
        if craniovertebral.smoothing != kyphosis.smoothing:
            frame = _back_frame(px, **at, smoothing=craniovertebral.smoothing)
            lines = None
        c7 = np.full(2, np.nan) if frame is None else _c7_of(*frame, craniovertebral, lines=lines)
        tragus = _to_sagittal(ear[i], hip[i], at["facing"], torso_px)
        cva[i] = (float(craniovertebral_angle_deg(c7, tragus)) - craniovertebral.offset_deg) / craniovertebral.gain
    return kyph, quality, cva


def chain_table(
    motion,
    *,
    kyphosis: KyphosisParams = KyphosisParams(),
    min_quality: float | None = None,
    craniovertebral: CraniovertebralParams = CraniovertebralParams(),
) -> pd.DataFrame:
    """The chain measures of one :class:`movelab.kinematics.Motion`, one row per frame.

    Parameters
    ----------
    motion
        The analysis data (its cleaned positions, frame views, angles, outline table's ``standing`` frames).
    kyphosis
        Settings of the kyphosis estimate.
    min_quality
        Kyphosis frames below this quality are NaN; default: the lumbar estimate's ``outline_min_quality``.
    craniovertebral
        Settings of the craniovertebral angle (C7's level on the outline, offset and gain).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time_s`` (docs/architecture.md); ``frame`` and :data:`CHAIN_COLUMNS`: ``craniovertebral_angle``
        (C7 from the outline; NaN without an outline or while an upper arm is raised more than
        :data:`ARMS_DOWN_MAX_DEG`), ``thoracic_kyphosis`` (and its
        quality, and its change from the frames the outline table marks ``standing``), ``tibia_lean_*``,
        ``hands_over_foot_*`` (wrist midpoint along each foot: 0 heel, 1 toe tip) in side views;
        ``knee_hyperextension_*`` (``−knee_flexion`` where the knee is straighter than straight, else 0) in
        side views; ``shoulder_obliquity``, ``lateral_trunk_shift`` (% torso length) and
        ``knee_inside_foot_*`` (:func:`knee_inside_foot`) in front or back views. Degrees unless stated; NaN elsewhere.
    """
    from movelab.kinematics.views import facing_sign, frontal_sign

    position = motion.positions.cleaned
    facing, lateral = facing_sign(motion.frame_views), frontal_sign(motion.frame_views)
    table = frame_table(motion.landmarks)
    value, quality, table["craniovertebral_angle"] = _outline_measures(motion, facing, kyphosis, craniovertebral)
    gate = motion.config.outline_min_quality if min_quality is None else min_quality
    value = np.where(quality >= gate, value, np.nan)
    table["thoracic_kyphosis"] = value
    table["thoracic_kyphosis_quality"] = quality
    standing = motion.outline["standing"].to_numpy(dtype=bool) & np.isfinite(value)
    base = float(np.median(value[standing])) if standing.sum() >= 3 else math.nan
    table["thoracic_kyphosis_change"] = value - base
    for side in _SIDES:
        knee = motion.angles[f"knee_flexion_{side}"].to_numpy(dtype=np.float64)
        table[f"knee_hyperextension_{side}"] = np.where(np.isfinite(knee), np.maximum(-knee, 0.0), np.nan)
    table["shoulder_obliquity"] = obliquity_deg(
        to_plane(point(position, "left_shoulder"), lateral), to_plane(point(position, "right_shoulder"), lateral)
    )
    table["lateral_trunk_shift"] = lateral_shift(
        _plane(position, "shoulder", lateral, fallback=False),
        _plane(position, "hip", lateral, fallback=False),
        torso_length(position),
    )
    wrists = _plane(position, "wrist", facing, fallback=True)
    for side in _SIDES:
        knee, ankle = (to_plane(point(position, f"{side}_{p}"), facing) for p in ("knee", "ankle"))
        heel, toe = (to_plane(point(position, f"{side}_{p}"), facing) for p in ("heel", "foot_index"))
        table[f"tibia_lean_{side}"] = tibia_lean_deg(knee, ankle)
        table[f"hands_over_foot_{side}"] = along_foot(wrists[:, 0], heel[:, 0], toe[:, 0])
    centre = _planted_feet(
        {s: 0.5 * sum(to_plane(point(position, f"{s}_{p}"), lateral) for p in ("ankle", "foot_index")) for s in _SIDES},
        np.asarray(motion.time_s, dtype=np.float64),
    )
    for side, other in (("left", "right"), ("right", "left")):
        knee = to_plane(point(position, f"{side}_knee"), lateral)
        table[f"knee_inside_foot_{side}"] = knee_inside_foot(knee, centre[side], centre[other], side)
    return table


def _planted_feet(centre: dict[str, np.ndarray], time_s: np.ndarray) -> dict[str, np.ndarray]:
    """The feet's centres with the frames where the pose model lost them bridged (the feet stay planted).

    A frame's feet are tracked while their spacing stays within :data:`FEET_SPACING_TOLERANCE` of its usual
    value (the 75th percentile: lost feet collapse the spacing, so the median fails once they are lost in half
    the frames);
    other frames take the centres interpolated in time between the nearest tracked frames before and after,
    when those are at most :data:`FEET_GAP_MAX_S` apart, else NaN.
    """
    spacing = centre["left"][:, 0] - centre["right"][:, 0]
    if not np.isfinite(spacing).any():
        return centre
    usual = float(np.nanpercentile(spacing, 75))
    with np.errstate(invalid="ignore"):
        tracked = np.abs(spacing / usual - 1.0) <= FEET_SPACING_TOLERANCE
    good = np.flatnonzero(tracked & np.isfinite(centre["left"]).all(1) & np.isfinite(centre["right"]).all(1))
    out = {s: np.full_like(c, np.nan) for s, c in centre.items()}
    if good.size == 0:
        return out
    idx = np.arange(time_s.size)
    before = np.searchsorted(good, idx, side="right") - 1  # last tracked frame at or before each frame
    after = np.minimum(before + 1, good.size - 1)
    t_before = np.where(before >= 0, time_s[good[np.maximum(before, 0)]], -np.inf)
    t_after = np.where(good[after] >= idx, time_s[good[after]], np.inf)
    bridged = tracked | (t_after - t_before <= FEET_GAP_MAX_S)
    for s, c in centre.items():
        for k in range(c.shape[1]):
            out[s][:, k] = np.where(bridged, np.interp(time_s, time_s[good], c[good, k]), np.nan)
    return out
