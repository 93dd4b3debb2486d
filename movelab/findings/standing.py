"""The client's own standing reference, and which body parts were out of the picture.

Private to :mod:`movelab.findings`. Findings that compare a value with the client's own standing (pelvic drop,
heel lift, the outline angles in squats and lunges) take their reference from *quiet upright standing*, chosen
the way the outline baseline is (docs/outline-method.md): outside every rep, upright, hips and ankles nearly
still, and not while the pose model is still settling after it first finds the client. Frames merely before
the first rep are not enough: on a rendered front-view squat the model's first 0.6 s read the pelvis 16° to
11° oblique and became a "standing" reference that flagged a level pelvis as dropped (issue 18).

"Still" means the body keeps its shape (:func:`movelab.kinematics.shape_speeds.shape_speeds`: hips, shoulders
and ankles relative to each other, the picture's common shift and turn removed), not that its landmarks keep
their place in the picture: a handheld camera's shake moves every landmark, and the image speeds it gives had
shrunk the realistic renders' standing reference from 28-66 frames to 2-27 (docs/findings-accuracy.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from movelab.kinematics.runs import runs
from movelab.kinematics.shape_speeds import shape_speeds

__all__ = ["StandingReference", "quiet_standing", "PARTS", "outside_picture"]

#: Body parts a finding may need, and the keypoints (both sides) that make them.
PARTS: dict[str, tuple[str, ...]] = {
    "feet": ("ankle", "heel", "foot_index"),
    "knees": ("knee",),
    "hips": ("hip",),
    "shoulders": ("shoulder",),
}


@dataclass(frozen=True)
class StandingReference:
    """Which frames were quiet standing, and how they were chosen.

    Attributes
    ----------
    mask
        One flag per frame of the angle table.
    seconds
        Frames × the median frame step.
    spans
        ``(start_s, end_s)`` of each run of standing frames.
    rule
        The rule, in words (for report.json).
    """

    mask: np.ndarray
    seconds: float
    spans: tuple[tuple[float, float], ...]
    rule: str

    @property
    def frames(self) -> int:
        return int(self.mask.sum())

    def describe(self) -> str:
        """E.g. ``"quiet standing, 27 frames (0.90 s) at 0.50-0.93 s, 3.10-3.57 s"``."""
        spans = ", ".join(f"{a:.2f}-{b:.2f} s" for a, b in self.spans) or "none"
        return f"quiet standing, {self.frames} frames ({self.seconds:.2f} s) at {spans}"

    def to_dict(self) -> dict:
        return {
            "frames": self.frames,
            "seconds": round(self.seconds, 3),
            "spans_s": [[round(a, 3), round(b, 3)] for a, b in self.spans],
            "rule": self.rule,
        }


def quiet_standing(
    time: np.ndarray, candidates: np.ndarray, *, angles, positions=None, detected=None, config
) -> StandingReference:
    """The frames of ``candidates`` (e.g. outside every rep) that are quiet upright standing.

    Parameters
    ----------
    time
        Seconds per frame.
    candidates
        Frames that may count (bool per frame).
    angles
        The angle table (upright: ``trunk_lean``, ``trunk_lateral_lean``, ``knee_flexion_*`` where measured).
    positions
        Cleaned pixel positions ``(time, keypoint, space_2d)`` (shape speeds), or None (stillness not checked).
    detected
        Per frame whether the client was found (settling is timed from the start of each run of detection),
        or None (from the first frame).
    config
        :class:`movelab.findings.FindingsConfig` (``standing_*``).

    Notes
    -----
    A frame counts when it is a candidate and

    * it is at least ``standing_settle_s`` after the start of its run of detected frames;
    * ``|trunk_lean|`` and ``|trunk_lateral_lean|`` ≤ ``standing_max_lean_deg`` and both ``knee_flexion`` ≤
      ``standing_max_knee_deg`` where these are measured (a front view has no sagittal angles);
    * the hip centre, the shoulder centre and both ankles move slower than ``standing_max_speed`` torso lengths
      per second *relative to each other*, where measured: :func:`~movelab.kinematics.shape_speeds.shape_speeds`
      over ``standing_speed_window_s``, which takes out the common translation and rotation of the picture (a
      handheld camera's shake) and keeps a change of the body's shape (a squat, a step).
    """
    keep = np.asarray(candidates, dtype=bool).copy()
    keep &= _settled(time, detected, config.standing_settle_s)
    keep &= _upright(angles, config)
    if positions is not None:
        keep &= _still(time, positions, config, frames=keep)
    step = float(np.median(np.diff(time))) if time.size > 1 else 0.0
    rule = (
        f"outside every rep, from {config.standing_settle_s:g} s after the client was found, trunk within "
        f"{config.standing_max_lean_deg:g} deg of upright, knees within {config.standing_max_knee_deg:g} deg "
        f"of straight"
        + (
            f", hips, shoulders and ankles moving slower than {config.standing_max_speed:g} torso lengths/s "
            f"relative to each other (over {config.standing_speed_window_s:g} s, the picture's common shift and "
            "turn removed)"
            if positions is not None
            else ""
        )
    )
    return StandingReference(keep, float(keep.sum()) * step, _spans(time, keep), rule)


def _settled(time: np.ndarray, detected, settle_s: float) -> np.ndarray:
    found = np.ones(time.shape, bool) if detected is None else np.asarray(detected, dtype=bool)
    out = np.zeros(time.shape, bool)
    run_start = math.nan
    for i in range(time.size):
        if not found[i]:
            run_start = math.nan
            continue
        if math.isnan(run_start):
            run_start = time[i]
        out[i] = time[i] - run_start >= settle_s - 1e-9
    return out


def _upright(angles, config) -> np.ndarray:
    n = len(angles)
    ok = np.ones(n, bool)
    for name, limit in (
        ("trunk_lean", config.standing_max_lean_deg),
        ("trunk_lateral_lean", config.standing_max_lean_deg),
        ("knee_flexion_left", config.standing_max_knee_deg),
        ("knee_flexion_right", config.standing_max_knee_deg),
    ):
        if name in angles.columns:
            values = np.abs(angles[name].to_numpy(dtype=np.float64))
            ok &= ~(values > limit)  # NaN (not measured in this view) does not disqualify
    return ok


def _still(time: np.ndarray, positions, config, *, frames: np.ndarray) -> np.ndarray:
    """No measured support point changing the body's shape faster than ``standing_max_speed`` (a point not
    measured does not count against), read on ``frames`` (True elsewhere)."""
    if time.size < 3:
        return np.ones(time.shape, bool)
    speeds = shape_speeds(
        positions, time_s=np.asarray(time, dtype=np.float64), window_s=config.standing_speed_window_s, frames=frames
    )
    with np.errstate(invalid="ignore"):
        return ~(speeds > config.standing_max_speed).any(axis=0)


def _spans(time: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    return tuple((float(time[a]), float(time[b - 1])) for a, b in runs(mask))


def outside_picture(landmarks, n_frames: int) -> dict[str, np.ndarray] | None:
    """Per part of :data:`PARTS`, the frames where any of its keypoints (either side) lies outside the
    picture (the pose model still places them there, with a guessed position and often a usable-looking
    visibility: on a side-view squat cut off at the shins the ankles sat 30 px below the picture with
    presence 0.6). None when the landmarks or the picture size are not known."""
    if landmarks is None or "position_px" not in landmarks or landmarks.sizes.get("time") != n_frames:
        return None
    width, height = landmarks.attrs.get("width_px"), landmarks.attrs.get("height_px")
    if not (width and height):
        return None
    keypoints = list(landmarks["keypoint"].values)
    px = landmarks["position_px"].transpose("time", "keypoint", ...).values
    detected = landmarks["detected"].values.astype(bool) if "detected" in landmarks else np.ones(n_frames, bool)
    out = {}
    for part, names in PARTS.items():
        index = [keypoints.index(f"{s}_{n}") for n in names for s in ("left", "right")]
        x, y = px[:, index, 0], px[:, index, 1]
        with np.errstate(invalid="ignore"):
            beyond = (x < 0) | (x > width) | (y < 0) | (y > height)
        out[part] = beyond.any(axis=1) & detected
    return out
