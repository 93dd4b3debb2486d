"""Settings of the kinematics stage (landmarks → angles), with every default and its source in one place.

See ``docs/kinematics.md`` for the processing chain these settings drive.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Literal

from movelab.errors import ConfigError

__all__ = ["KinematicsConfig", "ConfidenceScore"]

#: How a keypoint's confidence is formed from MediaPipe's two per-landmark outputs.
ConfidenceScore = Literal["visibility*presence", "visibility", "presence"]
_SCORES = ("visibility*presence", "visibility", "presence")


@dataclass(frozen=True)
class KinematicsConfig:
    """All settings of the kinematics stage. Frozen: make a changed copy with :func:`dataclasses.replace`.

    Lengths that must not depend on the picture size or on how far the client stands from the camera
    are fractions of the client's **torso length** (pixels from ``hip_mid`` to ``shoulder_mid``, median
    over the video).

    Attributes
    ----------
    confidence
        Per-keypoint score compared with ``min_confidence``. MediaPipe gives ``presence`` (the landmark
        is inside the picture) and ``visibility`` (inside and not occluded) as separate probabilities;
        their product is the chance that the landmark is both, so a keypoint needs both to be credible.
    min_confidence
        Keypoints scoring below this are removed (NaN) before anything else. 0.3 is Sports2D's
        ``keypoint_likelihood_threshold``; with the product score, two outputs of about 0.55 each pass
        (MediaPipe's own per-pose thresholds are 0.5). In side view the far leg is often occluded and
        falls below the gate: its angles are then NaN rather than guessed.
    max_gap_s
        Gaps in a keypoint's track are filled by linear interpolation only when the valid samples on
        either side are at most this far apart (2 missing frames at 30 fps, 5 at 60 fps). ≈0.1 s is the
        usual short-gap rule (docs/kinematics.md); longer gaps stay NaN.
    reject_outliers
        Run the Hampel filter on keypoint tracks.
    hampel_half_window_s
        Half-width of the Hampel window: 0.1 s gives 7 samples at 30 fps, Sports2D's window of 7.
    hampel_n_sigma
        A sample is an outlier when it is more than this many robust standard deviations
        (1.4826 × MAD) from the window's median: 3, the default of MATLAB's ``hampel`` and of
        Pearson (2002). Sports2D uses a 95 % interval (≈2); 3 removes fewer good samples.
    hampel_min_deviation
        Deviations smaller than this fraction of the torso length are never outliers (guards against a
        zero MAD on still or piecewise-still keypoints). movelab heuristic: 0.05 ≈ 2.5 cm on an adult.
    lowpass
        Apply the zero-lag Butterworth low-pass to keypoint tracks.
    cutoff_hz
        Low-pass cut-off: 6 Hz, Sports2D's default for gait and squats (Stenum et al. 2021 use 5 Hz).
        As in Sports2D and Pose2Sim the design is ``butter(order / 2)`` run forwards and backwards, so
        the gain at ``cutoff_hz`` is 0.5 (−6 dB), not the single-pass −3 dB.
    filter_order
        Order of the *zero-lag* filter (twice the order of the single-pass design); 4, as Sports2D.
    time_jitter_tolerance
        Frame intervals within this fraction of the median interval count as uniform and are filtered
        directly; otherwise each run is resampled to the median rate, filtered, and read back at the real
        frame times (variable-frame-rate phone video).
    frontal_shoulder_width
        Shoulder width (left–right shoulder landmarks) over torso length of a client squarely facing the
        camera; the pixel estimate of the body's yaw is ``acos(width / this)``. Winter's anthropometry
        (Biomechanics and Motor Control of Human Movement, 4th ed., Fig. 4.1) gives 0.259 H / 0.288 H ≈
        0.9 for the biacromial breadth; 0.8 allows for landmarks inside the acromion and narrower
        shoulders. Not validated on MediaPipe output.
    front_tolerance_deg
        Yaw within this of facing (or turning the back to) the camera counts as a front (back) view.
    side_tolerance_deg
        Yaw within this of a pure profile counts as a side view. At 30° a sagittal angle in the body's
        plane is seen at most 4.1° off (``θ − atan(tan θ · cos 30°)``, worst at θ ≈ 45°); frames between
        the two bands are ``oblique`` and get no angles. movelab heuristic, not validated.
    view_smoothing_s
        Width of the centred moving average applied to the per-frame yaw before classification.
    min_view_s
        Stretches of one view shorter than this are merged into their neighbours.
    fix_leg_swaps
        Detect and undo left/right leg label swaps in side views.
    swap_cost_ratio
        A frame's leg labels switch when the exchanged assignment continues the previous frames'
        trajectories with an RMS error below this fraction of the as-labelled assignment's error ...
    swap_min_jump
        ... and the as-labelled error exceeds this fraction of the torso length (movelab heuristics).
    swap_max_gap_s
        Trajectory continuity is only trusted across gaps up to this long; a longer gap starts a new chain
        whose labels are decided afresh.
    swap_depth_margin_m
        World-depth difference (metres) between the legs at which the depth cue counts fully: in side
        view the leg on the camera side has the smaller MediaPipe world ``z``.
    swap_visibility_margin
        Visibility difference at which the visibility cue counts fully (the near leg is more visible).
    swap_min_evidence
        A segment between two detected switches keeps or exchanges its labels on the depth/visibility
        evidence when its mean evidence (in [−1, 1]) reaches this; otherwise it follows the other
        segments of its chain, or the majority of frames when no segment has evidence.
    side_view_midpoint_fallback
        In side views, ``hip_mid`` and ``shoulder_mid`` fall back to the one visible side when the far
        one is gated out: the two project within a few pixels of each other in profile.
    """

    confidence: ConfidenceScore = "visibility*presence"
    min_confidence: float = 0.3
    max_gap_s: float = 0.1
    reject_outliers: bool = True
    hampel_half_window_s: float = 0.1
    hampel_n_sigma: float = 3.0
    hampel_min_deviation: float = 0.05
    lowpass: bool = True
    cutoff_hz: float = 6.0
    filter_order: int = 4
    time_jitter_tolerance: float = 0.05
    frontal_shoulder_width: float = 0.8
    front_tolerance_deg: float = 30.0
    side_tolerance_deg: float = 30.0
    view_smoothing_s: float = 0.2
    min_view_s: float = 0.5
    fix_leg_swaps: bool = True
    swap_cost_ratio: float = 0.5
    swap_min_jump: float = 0.1
    swap_max_gap_s: float = 0.2
    swap_depth_margin_m: float = 0.05
    swap_visibility_margin: float = 0.2
    swap_min_evidence: float = 0.2
    side_view_midpoint_fallback: bool = True

    def __post_init__(self) -> None:
        if self.confidence not in _SCORES:
            raise ConfigError(f"confidence must be one of {_SCORES}, got {self.confidence!r}")
        _check_range("min_confidence", self.min_confidence, 0.0, 1.0)
        for name in ("max_gap_s", "hampel_min_deviation", "view_smoothing_s", "min_view_s",
                     "swap_max_gap_s", "swap_min_jump"):
            _check_range(name, getattr(self, name), 0.0, math.inf)
        for name in ("hampel_half_window_s", "hampel_n_sigma", "cutoff_hz", "frontal_shoulder_width",
                     "swap_depth_margin_m", "swap_visibility_margin"):
            _check_positive(name, getattr(self, name))
        _check_range("time_jitter_tolerance", self.time_jitter_tolerance, 0.0, 1.0)
        _check_range("swap_cost_ratio", self.swap_cost_ratio, 0.0, 1.0)
        _check_range("swap_min_evidence", self.swap_min_evidence, 0.0, 1.0)
        if not (isinstance(self.filter_order, int) and self.filter_order >= 2 and self.filter_order % 2 == 0):
            raise ConfigError(
                f"filter_order is the zero-lag order and must be an even integer >= 2, got {self.filter_order!r}"
            )
        if not 0 < self.front_tolerance_deg < 90 or not 0 < self.side_tolerance_deg < 90:
            raise ConfigError(
                "front_tolerance_deg and side_tolerance_deg must lie in (0, 90), got "
                f"{self.front_tolerance_deg!r} and {self.side_tolerance_deg!r}"
            )
        if self.front_tolerance_deg + self.side_tolerance_deg > 90:
            raise ConfigError(
                "front_tolerance_deg + side_tolerance_deg must not exceed 90 (the bands would overlap), got "
                f"{self.front_tolerance_deg} + {self.side_tolerance_deg}"
            )

    def to_json(self) -> str:
        """The settings as a JSON object (for provenance in output files)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_range(name: str, value, low: float, high: float) -> None:
    if not (_is_number(value) or value == math.inf) or not low <= value <= high:
        raise ConfigError(f"{name} must be a number in [{low}, {high}], got {value!r}")


def _check_positive(name: str, value) -> None:
    if not _is_number(value) or value <= 0:
        raise ConfigError(f"{name} must be a positive number, got {value!r}")
