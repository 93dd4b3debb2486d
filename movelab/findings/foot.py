"""Heel rise in side view, for the heel-lift finding.

Since 2026-12-06 the rise is read from the sole's edge in the person mask's outline where extraction kept it
(:mod:`movelab.kinematics.sole`); the notes below are about the landmark method, still used without an outline.

The angle table has no foot-against-floor angle (``ankle_dorsiflexion`` is shank against foot), so heel lift
is measured here from the analysis data's cleaned heel and toe positions.

Why not the heel→toe line's pitch: on the rendered squats the model's toe point slides down as the knee
comes forward over the foot, so the foot line of a flat foot tipped 11° (near foot) to 18° (far foot) at
depth. The heel's own height moved by 2-5 px, i.e. 3-7° of foot pitch: the heel height is the usable signal.

Why the ankle too: a heel that lifts rolls the foot on its toes, so the ankle rises with it (on the rendered
15° heel lifts the ankle landmark rose 4-10 px with the heel's 8-12 px). On one held-out body filmed from
1.2 m with the knees swivelled the heel landmarks rose 5-7 px at depth while the rendered heels and the ankle
landmarks stayed put (8.3° and 5.7° read, a false lift); the toe landmarks did not rise (they fell 0.4-2.4 px),
so a heel-against-toe measure would read more, not less. Each foot's pitch is therefore the smaller of the
pitch its heel's rise implies and the pitch its ankle's rise implies, the ankle's floored at 0 (at the bottom of
a deep squat the ankle landmark sinks a few pixels as the shin tips forward, which its short lever turned into
−15° on a flat foot).

Why the standing spread: the heights are read in the picture, so a camera that moves moves them. On the
realistic renders (hand-held shake, docs/findings-accuracy.md) the side squat facing right read a 10.6°
heel lift on flat feet: at both rep bottoms the shake had lifted the whole picture by 4 px (the rendered heel,
ankle and toe alike), on top of the heel and ankle landmarks' own 2-7 px rise at depth that the camera without
shake also shows; its heel readings while the client stood still already strayed 15.2° from zero. Nothing in the
landmarks tells the picture's sway from a heel rise at depth (every body point but the feet moves, and the toe
landmark sinks 2-10 px at depth), so the sway is measured where the truth is known, in the standing frames,
and the rise is not read where it exceeds the method's error (:func:`standing_spread_deg`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import xarray as xr

from movelab.kinematics.geometry import foot_pitch_deg, point
from movelab.kinematics.sole import sole_pitch_deg

__all__ = ["heel_rise_deg", "standing_spread_deg"]


def heel_rise_deg(
    position: xr.DataArray,
    standing: np.ndarray,
    *,
    outline_px: np.ndarray | None = None,
    picture_height_px: float | None = None,
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
    if outline_px is not None and standing.any():
        if np.shape(outline_px)[0] != standing.size:
            raise ValueError(f"outline_px must have one row per frame ({standing.size}), got {np.shape(outline_px)}")
        feet = {
            part: np.stack([point(position, f"{s}_{part}") for s in ("left", "right")], axis=1)
            for part in ("heel", "foot_index")
        }
        pitch = sole_pitch_deg(
            outline_px, feet["heel"], feet["foot_index"], standing, picture_height_px=picture_height_px
        )
        if np.isfinite(pitch[standing]).any():
            return pitch
    rises = []
    for side in ("left", "right"):
        heel, toe = point(position, f"{side}_heel"), point(position, f"{side}_foot_index")
        if not standing.any():
            rises.append(np.full(heel.shape[0], np.nan))
            continue
        rises.append(foot_pitch_deg(heel, point(position, f"{side}_ankle"), toe, standing))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames where neither foot is measured stay NaN
        return np.nanmin(np.stack(rises), axis=0)


def standing_spread_deg(rise: np.ndarray, standing: np.ndarray) -> float:
    """How far the heel rise strays from zero while the client stands still, degrees.

    Parameters
    ----------
    rise
        :func:`heel_rise_deg` per frame.
    standing
        The quiet-standing frames it was referred to.

    Returns
    -------
    float
        The 95th percentile of ``|rise|`` over the standing frames (where the true rise is 0): the landmarks'
        jitter plus the picture's own movement, as foot pitch; NaN without a measured standing frame. A still
        camera gave 1.0-1.6° on the rendered side squats, the realistic renders' hand-held shake 7.2° and 15.2°
        (docs/findings-decisions.md, *Heel lift under a moving camera*).
    """
    values = np.abs(np.asarray(rise, dtype=np.float64)[np.asarray(standing, dtype=bool)])
    values = values[np.isfinite(values)]
    return float(np.percentile(values, 95)) if values.size else math.nan
