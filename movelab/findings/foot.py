"""Heel rise in side view, for the heel-lift finding.

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
"""

from __future__ import annotations

import warnings

import numpy as np
import xarray as xr

from movelab.kinematics.geometry import foot_pitch_deg, point

__all__ = ["heel_rise_deg"]


def heel_rise_deg(position: xr.DataArray, standing: np.ndarray) -> np.ndarray:
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

    Returns
    -------
    numpy.ndarray
        Degrees per frame; NaN where no heel is measurable or no standing reference exists.

    Notes
    -----
    Each foot's pitch is :func:`movelab.kinematics.geometry.foot_pitch_deg`: the smaller of the pitches its
    heel's and its ankle's rise above standing imply, the ankle's floored at 0. The two feet are combined by their
    **minimum** (in a squat the heels rise together, so one heel's landmark drifting up alone is not taken as
    a lift); where only one foot is measurable it is used alone.
    """
    standing = np.asarray(standing, dtype=bool)
    if standing.shape != (position.sizes["time"],):
        raise ValueError(f"standing must have one value per frame ({position.sizes['time']}), got {standing.shape}")
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
