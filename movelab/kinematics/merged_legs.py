"""The hip joint centres' distance where the standing legs' outlines merge from the crotch to the ankles.

The hips are set as far apart as the standing thighs' outline midlines are at the hips' height
(:func:`movelab.kinematics.frontal_legs._standing_hip_distance`), each midline drawn through the thigh's
middles and the shank's middles where the legs stand apart. A tall body with heavy thighs in a narrow stance
(design bodies AA and AB, held-out T) shows the legs apart nowhere between the crotch and the ankles: the
thigh's middles (the shared interval split at its middle) extrapolated up along the landmarks' slope put the
hips 1.13-1.22 times the joints' distance apart (docs/findings-decisions.md, *thick-narrow round*).

A standing leg is straight. Two places still show where each leg is: **the knees**, pressed side by side, fill
their merged interval each half of it (a quarter of its width inside each outer edge: design bodies AA and K
within 0.1 px of the projected knees' distance), and **the ankles**, where the outline parts just below the
ankle landmarks (the ankle's and the shoe's tops). The line through both, extrapolated up to the hips' height,
gives the joints' distance: design front narrow stance, standing, 0.94-1.04 of the projected joints' distance
(AA 1.00, AB 1.04, K 1.00, F 0.94).
"""

from __future__ import annotations

import numpy as np

from movelab.kinematics.geometry import row_interval

__all__ = ["knee_ankle_hip_distance"]

#: How far below the ankle landmarks the rows where the legs part are searched: this share of the knee → ankle
#: landmark distance (the legs part at the ankle's top, 3-10 px below the landmark on the design renders).
ANKLE_SEARCH_SHARE = 0.3
#: The ankles' distance is the median over this many of the highest rows where the legs' intervals part.
ANKLE_ROWS = 3
#: The distance needs at least this many standing frames with both the knees' and the ankles' distance.
MIN_FRAMES = 10


def knee_ankle_hip_distance(raw, outline, *, frames, hip_y, knees, ankles) -> float:
    """The hips' distance in pixels: the median over ``frames`` (standing, front or back) of the distance
    between the two legs' lines through the knees (:func:`_knees_distance`) and the ankles
    (:func:`_ankles_distance`), extrapolated to ``hip_y[frame]``; NaN in fewer than ``MIN_FRAMES`` frames with
    both.

    Parameters
    ----------
    raw
        Pixel landmarks ``(time, keypoint, 2)``.
    outline
        The person outline ``(time, outline_point, 2)``.
    frames
        Bool per frame: the standing frames.
    hip_y
        The hips' height per frame (px), as placed.
    knees, ankles
        Keypoint indices ``(left, right)``.
    """
    distances = []
    for f in np.flatnonzero(frames):
        knee = _knees_distance(outline[f], raw[f, knees[0]], raw[f, knees[1]])
        if knee is None:
            continue
        ankle = _ankles_distance(outline[f], raw[f, ankles[0]], raw[f, ankles[1]], knee_y=knee[1])
        if ankle is None or not np.isfinite(hip_y[f]):
            continue
        (knee_px, knee_y), (ankle_px, ankle_y) = knee, ankle
        distances.append(knee_px + (knee_px - ankle_px) * (knee_y - hip_y[f]) / (ankle_y - knee_y))
    return float(np.median(distances)) if len(distances) >= MIN_FRAMES else np.nan


def _knees_distance(outline: np.ndarray, left, right):
    """``(distance, y)``: half the width of the outline's interval at the knee landmarks' mean height ``y`` that
    holds both (within 2 px): knees side by side, each centred a quarter of the width inside its outer edge.
    None where no interval holds both (the knees apart) or a landmark is missing."""
    (lx, ly), (rx, ry) = left, right
    if not np.isfinite([lx, ly, rx, ry]).all():
        return None
    y = 0.5 * (ly + ry)
    interval = row_interval(outline, y, 0.5 * (lx + rx))
    if interval is None or not (interval[0] - 2.0 <= min(lx, rx) and max(lx, rx) <= interval[1] + 2.0):
        return None
    return 0.5 * (interval[1] - interval[0]), y


def _ankles_distance(outline: np.ndarray, left, right, *, knee_y: float):
    """``(distance, y)``: the median distance between the middles of the two legs' outline intervals over the
    ``ANKLE_ROWS`` highest rows (1 px apart) at or below the ankle landmarks' mean height where each ankle
    landmark's ``x`` lies in its own interval, searched ``ANKLE_SEARCH_SHARE`` of the knee → ankle distance
    down; ``y`` their median height. None where fewer rows show them apart."""
    (lx, ly), (rx, ry) = left, right
    if not np.isfinite([lx, ly, rx, ry]).all():
        return None
    top = 0.5 * (ly + ry)
    if top - knee_y < 4:
        return None
    rows = []
    for y in np.arange(top, top + ANKLE_SEARCH_SHARE * (top - knee_y), 1.0):
        a, b = row_interval(outline, y, lx), row_interval(outline, y, rx)
        if a is None or b is None or a == b:
            continue
        rows.append((y, abs(0.5 * (a[0] + a[1]) - 0.5 * (b[0] + b[1]))))
        if len(rows) == ANKLE_ROWS:
            ys, distances = np.asarray(rows).T
            return float(np.median(distances)), float(np.median(ys))
    return None
