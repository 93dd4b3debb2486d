"""Supine geometry from a side view: the table line under the body, and each leg's angles against it.

For the modified Thomas test and the active straight-leg raise (docs/assessments.md). Nothing here assumes the
table is level in the picture: every angle is taken against the **table line**, the straight line the client's
back rests on, read from the person mask's outline.

Conventions (image pixels, y down; all angles in degrees):

* **table direction** ``d``: unit vector along the table line, pointing from the shoulders towards the hips
  (towards the feet). **Up** ``e``: the unit normal to ``d`` on the side of the face (the nose).
* ``thigh_to_table_<side>``: signed angle of the thigh (hip → knee) against ``d``,
  ``atan2(thigh·e, thigh·d)``, range (-180, 180]; positive = the thigh points above the table line (hip
  flexion), negative = below it (the hanging leg of a Thomas test with long hip flexors).
* ``knee_flexion_<side>``: 180° minus the angle at the knee between hip and ankle (0 = straight), range
  [0, 180].
* ``hip_flexion_trunk_<side>``: signed angle of the thigh against the trunk line continued towards the feet
  (shoulder midpoint → hip midpoint), positive towards the face: the held leg's hip flexion.
* ``ankle_over_thigh_<side>``: where that side's ankle lies along the other thigh, measured along the table
  line: 0 at the other hip, 1 at the other knee (the FMS active straight-leg raise reads the raised malleolus
  against the down leg's mid-thigh and knee joint line; the hip landmark stands in for the ASIS).
* ``thigh_px_<side>``, ``leg_px_<side>``: hip→knee, and hip→knee plus knee→ankle, in pixels.
* ``raised_leg_outline``: the angle to the table line of a leg raised above the body, read from the
  silhouette alone (:func:`_raised_leg_deg`); NaN when no leg rises above the body.
* ``back_gap``: the largest distance of the back's outline above the table line between the two points where
  the back touches it, as a fraction of the trunk length (shoulder midpoint to hip midpoint): the lumbar arch
  seen in the silhouette; NaN without an outline.

The table line of one frame is the edge of the lower convex hull of the back's outline that spans the middle
of the trunk: the back rests on the table at the thorax and at the sacrum/buttocks, and every outline point
between lies on or above the line joining them (Notes of :func:`table_line`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import InputError

__all__ = [
    "SUPINE_SIDES",
    "table_line",
    "supine_angles",
    "motion_supine_angles",
    "signed_angle_deg",
    "knee_flexion_deg",
]

SUPINE_SIDES = ("left", "right")
#: Back outline points are taken from this far behind the shoulders to this far beyond the hips, in trunk
#: lengths along the trunk: the thorax contact lies below the shoulder blades, the buttocks just past the hips.
_BACK_SPAN = (-0.1, 1.12)


def signed_angle_deg(u: np.ndarray, d: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Angle of vectors ``u (..., 2)`` in the frame ``(d, e)``: ``atan2(u·e, u·d)`` in degrees, (-180, 180]."""
    return np.degrees(np.arctan2(np.sum(u * e, axis=-1), np.sum(u * d, axis=-1)))


def knee_flexion_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """180° minus the angle hip-knee-ankle (0 = straight leg), from ``(..., 2)`` points; NaN where one is."""
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def table_line(
    outline_px: np.ndarray, shoulder_px: np.ndarray, hip_px: np.ndarray, nose_px: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """The straight line the back rests on, in one frame.

    Parameters
    ----------
    outline_px
        ``(n, 2)`` the client's outer contour (pixels), as :mod:`movelab.pose.mask_features` keeps it.
    shoulder_px, hip_px
        Midpoints of the shoulders and of the hips (pixels).
    nose_px
        The nose (pixels): it tells which side of the trunk the face, hence the table's "up", is.

    Returns
    -------
    direction, point, back_gap
        Unit direction of the line (towards the hips), a point on it (pixels), and the back's largest gap
        above it between its two contact points as a fraction of the trunk length. All NaN when the outline
        or a landmark is missing, or fewer than two back points are found.

    Notes
    -----
    In the trunk frame (``u`` along shoulder → hip, ``v`` towards the back, away from the nose), the back's
    outline points with ``u`` in ``_BACK_SPAN`` trunk lengths and ``v > 0`` are kept; the upper hull (largest
    ``v``) of those points is the support line of a body lying on a flat surface, and its edge over the
    middle of the trunk (``u = 0.5``) joins the thorax contact to the buttock contact. The table's tilt in the
    picture is that edge's direction; a camera above the table sees the near edge of the body's underside
    instead of the contact itself, which runs parallel to it.
    """
    nan = (np.full(2, np.nan), np.full(2, np.nan), np.nan)
    if not (np.isfinite(outline_px).any() and np.all(np.isfinite([shoulder_px, hip_px, nose_px]))):
        return nan
    trunk = hip_px - shoulder_px
    length = float(np.linalg.norm(trunk))
    if length <= 0:
        return nan
    d = trunk / length
    e = np.array([-d[1], d[0]])
    if float(np.dot(nose_px - shoulder_px, e)) > 0:
        e = -e  # e points to the back (away from the face)
    pts = outline_px[np.all(np.isfinite(outline_px), axis=1)] - shoulder_px
    u, v = pts @ d / length, pts @ e / length
    keep = (u >= _BACK_SPAN[0]) & (u <= _BACK_SPAN[1]) & (v > 0)
    if keep.sum() < 2:
        return nan
    hull = _upper_hull(u[keep], v[keep])
    edge = _edge_over(hull, 0.5)
    if edge is None:
        return nan
    (u0, v0), (u1, v1) = edge
    direction = d * (u1 - u0) + e * (v1 - v0)
    direction = direction / np.linalg.norm(direction)
    point = shoulder_px + length * (d * u0 + e * v0)
    between = keep & (u >= u0) & (u <= u1)
    line_v = v0 + (v1 - v0) * (u[between] - u0) / (u1 - u0)
    gap = float(np.max(line_v - v[between])) if between.any() else 0.0
    return direction, point, max(gap, 0.0) / (np.hypot(u1 - u0, v1 - v0) / (u1 - u0))


def _upper_hull(u: np.ndarray, v: np.ndarray) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the hull chain of the points with the largest ``v``, by increasing ``u``."""
    order = np.lexsort((v, u))
    chain: list[tuple[float, float]] = []
    for p in zip(u[order].tolist(), v[order].tolist()):
        while len(chain) >= 2:
            (ax, ay), (bx, by) = chain[-2], chain[-1]
            if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) >= 0:  # not a right turn: b is below
                chain.pop()
            else:
                break
        chain.append(p)
    return chain


def _edge_over(chain: list[tuple[float, float]], at_u: float):
    for a, b in zip(chain[:-1], chain[1:]):
        if a[0] <= at_u <= b[0] and b[0] > a[0]:
            return a, b
    return None


def supine_angles(
    position_px: xr.DataArray,
    outline_px: xr.DataArray | None,
    *,
    time_s: np.ndarray,
    frame: np.ndarray,
    views: np.ndarray | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Per-frame supine angles against the table line (module docstring for every column).

    Parameters
    ----------
    position_px
        ``(time, keypoint, space_2d)`` cleaned keypoint pixels (:attr:`movelab.kinematics.Motion.positions`).
    outline_px
        ``(time, outline_point, space_2d)`` the person mask's contour, or None (then the table line is the
        trunk line, and ``table`` says so).
    time_s, frame
        Per frame: seconds and frame index.
    views
        Per-frame view labels (:attr:`movelab.kinematics.Motion.frame_views`), or None: give ``near_side``,
        the side facing the camera in a side view (None elsewhere).

    Returns
    -------
    angles, table
        The table indexed by ``time_s`` (``frame`` beside it) with ``thigh_to_table_<side>``,
        ``knee_flexion_<side>``, ``hip_flexion_trunk_<side>``, ``ankle_over_thigh_<side>``, ``thigh_px_<side>``,
        ``leg_px_<side>``, ``raised_leg_outline``, ``back_gap``, ``near_side`` and ``table_tilt_deg`` (the
        table line's angle in the picture, counter-clockwise from the image x axis, per frame); and
        ``table``: ``{"source": "outline" | "trunk line", "tilt_deg": median tilt, "frames": frames with a
        line}``. The angles use the clip's median table direction (a table does not move).
    """
    if position_px.dims != ("time", "keypoint", "space_2d"):
        raise InputError(f"position_px must have dims (time, keypoint, space_2d), got {position_px.dims}")
    pt = {k: position_px.sel(keypoint=k).values for k in _NEEDED}
    shoulder = 0.5 * (pt["left_shoulder"] + pt["right_shoulder"])
    hip = 0.5 * (pt["left_hip"] + pt["right_hip"])
    n = shoulder.shape[0]
    tilt, gap, where = np.full(n, np.nan), np.full(n, np.nan), np.full((n, 2), np.nan)
    contour = outline_px.values if outline_px is not None else None
    if contour is not None:
        for i in range(n):
            direction, where[i], gap[i] = table_line(contour[i], shoulder[i], hip[i], pt["nose"][i])
            tilt[i] = np.degrees(np.arctan2(-direction[1], direction[0]))
    d, source = _clip_direction(tilt, hip - shoulder)
    e = np.stack([-d[..., 1], d[..., 0]], axis=-1)
    flip = np.sum((pt["nose"] - shoulder) * e, axis=-1) < 0
    e = np.where(flip[:, None], -e, e)
    trunk = hip - shoulder
    out = {"frame": np.asarray(frame, dtype=np.int64)}
    for side in SUPINE_SIDES:
        thigh = pt[f"{side}_knee"] - pt[f"{side}_hip"]
        out[f"thigh_to_table_{side}"] = signed_angle_deg(thigh, d, e)
        out[f"knee_flexion_{side}"] = knee_flexion_deg(pt[f"{side}_hip"], pt[f"{side}_knee"], pt[f"{side}_ankle"])
        t_unit = trunk / np.linalg.norm(trunk, axis=-1, keepdims=True)
        out[f"hip_flexion_trunk_{side}"] = signed_angle_deg(thigh, t_unit, e)
        out[f"thigh_px_{side}"] = np.linalg.norm(thigh, axis=-1)
        out[f"leg_px_{side}"] = out[f"thigh_px_{side}"] + np.linalg.norm(
            pt[f"{side}_ankle"] - pt[f"{side}_knee"], axis=-1
        )
        other = "right" if side == "left" else "left"
        along = np.sum((pt[f"{side}_ankle"] - pt[f"{other}_hip"]) * d, axis=-1)
        out[f"ankle_over_thigh_{side}"] = along / np.sum((pt[f"{other}_knee"] - pt[f"{other}_hip"]) * d, axis=-1)
    out["back_gap"] = gap
    out["raised_leg_outline"] = _raised_leg_deg(contour, d, e, where=where, hip=hip, leg_px=_leg_length_px(pt))
    out["table_tilt_deg"] = tilt
    near = {"side_left": "left", "side_right": "right"}
    out["near_side"] = [near.get(str(v)) for v in views] if views is not None else [None] * n
    angles = pd.DataFrame(out, index=pd.Index(np.asarray(time_s, dtype=np.float64), name="time_s"))
    seen = np.isfinite(tilt)
    table = {
        "source": source,
        "tilt_deg": float(np.median(tilt[seen])) if seen.any() else float("nan"),
        "frames": int(seen.sum()),
    }
    return angles, table


_NEEDED = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)


#: The raised leg's silhouette is read between these heights above the table line, in leg lengths: above the
#: silhouette of the lying trunk and arms (up to about 0.33 leg lengths from a camera at floor height) and below
#: the ankle of a leg raised 40 deg (0.64). Set on the design renders (docs/assessments-decisions.md).
RAISED_LEG_BAND = (0.4, 0.52)
#: At least this many outline points must fall in the band.
_MIN_BAND_POINTS = 12


def _leg_length_px(pt: dict) -> float:
    """Hip→knee plus knee→ankle, the 90th percentile over frames and sides (pixels; a foreshortened or
    misplaced leg only shortens it)."""
    lengths = [
        np.linalg.norm(pt[f"{s}_knee"] - pt[f"{s}_hip"], axis=1)
        + np.linalg.norm(pt[f"{s}_ankle"] - pt[f"{s}_knee"], axis=1)
        for s in SUPINE_SIDES
    ]
    values = np.concatenate(lengths)
    values = values[np.isfinite(values)]
    return float(np.percentile(values, 90)) if values.size else float("nan")


def _raised_leg_deg(
    contour: np.ndarray | None, d: np.ndarray, e: np.ndarray, *, where: np.ndarray, hip: np.ndarray, leg_px: float
) -> np.ndarray:
    """Per frame, the angle to the table line of the silhouette strip that rises between the heights of
    :data:`RAISED_LEG_BAND` from 0.3 leg lengths headwards of the hips to 0.8 leg lengths feetwards (a raised
    leg crosses the band within 0.7 leg lengths of the hips even at 40 deg; the other foot, lifted a little,
    lies beyond): only a raised leg reaches there. The strip's direction is the mean of its two edges'
    directions (each edge a contiguous run of the contour, fitted by its principal axis; the mean of a
    tapered limb's two edges is its axis); NaN without two edges of enough points.
    Measures the whole leg's line, the thigh's only while the knee is straight."""
    n = d.shape[0]
    out = np.full(n, np.nan)
    if contour is None or not np.isfinite(leg_px):
        return out
    base = np.nanmedian(where, axis=0) if np.isfinite(where).any() else None
    for i in range(n):
        if base is None or not np.isfinite(hip[i]).all():
            continue
        rel = contour[i] - base
        along, up = rel @ d[i], rel @ e[i]
        hip_along = float((hip[i] - base) @ d[i])
        keep = (up >= RAISED_LEG_BAND[0] * leg_px) & (up <= RAISED_LEG_BAND[1] * leg_px)
        keep &= (along >= hip_along - 0.3 * leg_px) & (along <= hip_along + 0.8 * leg_px)  # not the other foot
        edges = _runs(keep)
        if len(edges) < 2 or min(r.size for r in edges[:2]) < _MIN_BAND_POINTS // 2:
            continue
        out[i] = float(np.mean([_edge_angle_deg(along[r], up[r]) for r in edges[:2]]))
    return out


def _runs(keep: np.ndarray) -> list[np.ndarray]:
    """Index runs of consecutive True in a closed contour's mask (wrapping round), longest first."""
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    runs = np.split(idx, breaks + 1)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == keep.size - 1:
        runs = [np.concatenate([runs[-1], runs[0]]), *runs[1:-1]]
    return sorted(runs, key=lambda r: -r.size)


def _edge_angle_deg(along: np.ndarray, up: np.ndarray) -> float:
    """Angle to the table of one silhouette edge: the principal axis of its points, pointing up."""
    xy = np.stack([along, up], axis=1)
    axis = np.linalg.svd(xy - xy.mean(axis=0), full_matrices=False)[2][0]
    if axis[1] < 0:
        axis = -axis
    return float(np.degrees(np.arctan2(axis[1], axis[0])))


def _clip_direction(tilt_deg: np.ndarray, trunk: np.ndarray) -> tuple[np.ndarray, str]:
    """``(n, 2)`` per-frame table directions: the median of the per-frame table tilts (as a direction
    towards the feet), or each frame's trunk line when no frame has a table line."""
    seen = np.isfinite(tilt_deg)
    if seen.any():
        a = np.radians(tilt_deg[seen])
        mean = np.arctan2(np.median(np.sin(a)), np.median(np.cos(a)))
        d = np.array([np.cos(mean), -np.sin(mean)])
        return np.broadcast_to(d, trunk.shape).copy(), "outline"
    norm = np.linalg.norm(trunk, axis=-1, keepdims=True)
    return trunk / norm, "trunk line"


def motion_supine_angles(motion) -> tuple[pd.DataFrame, dict]:
    """:func:`supine_angles` of a :class:`movelab.kinematics.Motion`: its cleaned positions and the landmark
    Dataset's mask outline (``outline_px``, when extracted with one)."""
    ds = motion.landmarks
    outline = ds["outline_px"] if "outline_px" in ds else None
    return supine_angles(
        motion.positions.cleaned,
        outline,
        time_s=motion.time_s,
        frame=motion.frame,
        views=np.asarray(motion.frame_views.values),
    )
