"""Heel rise in side view, for the heel-lift finding, the FMS deep squat and the reps table's ``heel_lift_deg``.

:func:`heel_rise_deg` lives in :mod:`movelab.kinematics.sole` (the events stage reads it too, for the reps
table, so both read one measure; re-exported here). Since 2026-12-06 the rise is read from the sole's edge in
the person mask's outline where extraction kept it (:mod:`movelab.kinematics.sole`); the notes below are about
the landmark method, still used without an outline.

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

import numpy as np

from movelab.kinematics.sole import heel_rise_deg

__all__ = ["heel_rise_deg", "standing_spread_deg"]


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
