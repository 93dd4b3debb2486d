"""Heel rise in side view, for the heel-lift finding.

The angle table has no foot-against-floor angle (``ankle_dorsiflexion`` is shank against foot), so heel lift
is measured here from the cleaned heel and toe landmarks, with the kinematics chain's own cleaning.

Why not the heel→toe line's pitch: on the rendered squats the model's toe point slides down as the knee
comes forward over the foot, so the foot line of a flat foot tipped 11° (near foot) to 18° (far foot) at
depth. The heel's own height moved by 2-5 px, i.e. 3-7° of foot pitch: the heel height is the usable signal.
"""

from __future__ import annotations

import warnings

import numpy as np

from movelab.kinematics import clean_positions, views_per_frame

__all__ = ["heel_rise_deg"]


def heel_rise_deg(landmarks, standing: np.ndarray, *, views=None) -> np.ndarray:
    """How far the heels rose above their standing height, as the foot pitch that rise implies, per frame.

    Parameters
    ----------
    landmarks
        The landmark Dataset (a camera that does not move).
    standing
        Boolean mask of the frames of quiet standing that give each heel's reference height and the foot's
        length.
    views
        As :func:`movelab.kinematics.views_per_frame` accepts (None: detected).

    Returns
    -------
    numpy.ndarray
        Degrees per frame; NaN where no heel is measurable or no standing reference exists.

    Notes
    -----
    For each foot, with ``y`` the heel's image height (pixels, down), ``y₀`` its median over the standing
    frames and ``L₀`` the median standing heel-to-toe distance, the rise is
    ``asin(clip((y₀ − y) / L₀, −1, 1))`` in degrees: the pitch of a foot of length ``L₀`` rolling on its
    toes that lifts the heel by ``y₀ − y``. The two feet are combined by their **minimum** (in a squat the
    heels rise together, so one heel's landmark drifting up alone is not taken as a lift); where only one
    foot is measurable it is used alone.
    """
    standing = np.asarray(standing, dtype=bool)
    frame_views = views_per_frame(landmarks, views)
    position = clean_positions(landmarks, views=frame_views)
    if standing.shape != (position.sizes["time"],):
        raise ValueError(f"standing must have one value per frame ({position.sizes['time']}), got {standing.shape}")
    kp = position.get_index("keypoint")
    values = position.values  # (time, keypoint, xy)
    rises = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for side in ("left", "right"):
            heel, toe = values[:, kp.get_loc(f"{side}_heel")], values[:, kp.get_loc(f"{side}_foot_index")]
            if not standing.any():
                rises.append(np.full(heel.shape[0], np.nan))
                continue
            y0 = np.nanmedian(heel[standing, 1])
            length = np.nanmedian(np.hypot(*(toe[standing] - heel[standing]).T))
            ratio = (y0 - heel[:, 1]) / length if np.isfinite(length) and length > 0 else np.nan * heel[:, 1]
            rises.append(np.degrees(np.arcsin(np.clip(ratio, -1.0, 1.0))))
        return np.nanmin(np.stack(rises), axis=0)
