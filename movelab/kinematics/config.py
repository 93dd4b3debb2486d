"""Settings of the kinematics stage (landmarks → angles), with every default and its source in one place.

See ``docs/kinematics.md`` for the processing chain these settings drive.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import typing
from dataclasses import dataclass
from typing import Literal

from movelab.errors import ConfigError

__all__ = ["KinematicsConfig", "ConfidenceScore"]

#: How a keypoint's confidence is formed from MediaPipe's two per-landmark outputs.
ConfidenceScore = Literal["visibility*presence", "visibility", "presence"]
_SCORES = ("visibility*presence", "visibility", "presence")


@dataclass(frozen=True)
class ClientCalibration:
    """A client's own outline offset, from one session filmed with ASIS/PSIS stickers.

    The outline estimate differs from the marker-measured tilt by a body-specific offset (soft tissue,
    buttocks, where the model puts the hip: docs/outline.md). In a marker session both are measured
    in the same frames; later sessions without stickers subtract the client's median difference.

    Attributes
    ----------
    pelvic_tilt_offset_deg
        Median of (outline estimate - marker tilt) over the session's frames with both.
    frames
        How many frames that median is over.
    source
        Where it came from (the marker session's folder or video), for the report.
    """

    pelvic_tilt_offset_deg: float
    frames: int
    source: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.pelvic_tilt_offset_deg) and abs(self.pelvic_tilt_offset_deg) <= 45.0):
            raise ConfigError(
                f"a client's pelvic tilt offset must be a finite angle within 45 deg, got "
                f"{self.pelvic_tilt_offset_deg!r}"
            )
        if self.frames < 1:
            raise ConfigError(
                f"a client calibration needs at least one frame with markers and outline, got {self.frames}"
            )


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
    swap_partial
        Also correct brief swaps of part of the legs (foot, knee down, or whole leg for at most
        ``swap_partial_max_s``) by trajectory continuity and segment-length consistency, before the
        whole-leg swap detection (:func:`movelab.kinematics.detect_partial_leg_swaps`).
    swap_partial_penalty
        Cost of relabelling one frame, in squared torso lengths (the unit of the continuity cost).
    swap_partial_max_s
        Longest run of relabelled frames corrected as a brief swap; longer runs are left as given.
    swap_accel_cap
        Each keypoint's acceleration (torso lengths per frame²) counts in the continuity cost up to this
        (truncated quadratic), so one wildly misplaced point cannot dominate.
    swap_length_weight
        Weight of the squared deviations of each leg's thigh and shank lengths (torso lengths) from their
        medians.
    swap_stance
        Last step of the side-view swap fix: in a split stance (lunges, split squats) put back the thighs
        (hip, knee) and feet (ankle, heel, foot_index) whose labels contradict the stance's front leg
        (:func:`movelab.kinematics.swaps.detect_stance_swaps`). Not used by the events stage's positions.
        Chosen on the design lunges of ``angle_errors`` and ``lunge_timing_accuracy`` (near hip 7.6 → 6.1°
        on the four side-view timing lunges, the rest unchanged), held out looked at once
        (docs/kinematics-decisions.md).
    swap_stance_min_spread
        The front-most and rear-most ankle (running medians) at least this many torso lengths apart count
        as feet apart. 0.8: a movelab heuristic, about half a lunge's step (1.3–1.8 torso lengths in the
        design clips) and over the spread a brief mislabelled ankle leaves.
    swap_stance_max_speed
        Both feet moving under this many torso lengths/s count as planted. 1.0: a movelab heuristic, well
        under a walking swing foot or a treadmill belt (about 2.5 torso lengths/s at 1.3 m/s).
    swap_stance_min_s
        A run of feet apart is a split stance when its feet are planted for at least this long. 1.0 s: a
        movelab heuristic, longer than any double support in walking (about 0.1–0.2 s).
    swap_stance_median_s
        Width of the running medians of the front-most and rear-most ankle (a brief mislabelled ankle does
        not move them). 0.3 s: a movelab heuristic (0.5 s tried on the four design timing lunges:
        near hip / knee 6.0 / 5.3° against 6.1 / 5.0°, not taken).
    swap_stance_margin
        A frame votes on the front leg only when the labelled knees (ankles) are at least this many torso
        lengths apart along the facing direction. 0.2: a movelab heuristic (0.1 and 0.3 tried on the four design timing
        lunges: near hip / knee 6.1 / 5.0° and 6.1 / 5.2° against 6.1 / 5.0°).
    side_view_midpoint_fallback
        In side views, ``hip_mid`` and ``shoulder_mid`` fall back to the one visible side when the far
        one is gated out: the two project within a few pixels of each other in profile.
    side_view_shoulder_shift_max
        Side views: the trunk line's upper end (``trunk_lean``, ``hip_flexion``) is ``shoulder_mid`` moved
        forward towards the camera-side shoulder by at most this many torso lengths
        (:func:`movelab.kinematics.joint_angles.trunk_top`), since the pose model places the hidden far
        shoulder behind its joint; 0 keeps ``shoulder_mid``. 0.03: half the far shoulder's typical offset
        (3–9 px on a 111 px trunk in the design clips), chosen on design clips only, held-out looked at once
        (docs/kinematics-decisions.md, *Trunk line in side views*).
    outline_sacral_levels
        Outline method (``docs/outline.md``): heights of the two ends of the sacral chord above the
        hip joint centre, along the pelvis's up axis, in torso lengths (MediaPipe's hip-to-shoulder
        distance). On the mannequin (``movelab.synth``) they fall on the lower sacrum, between the buttock's
        apex and S2, and on L4/L5. Chosen on development clips (not those of the error table) among chords
        spanning the mannequin's sacral surface: the longer chord is less sensitive to where the hip
        landmark falls. An anatomical assumption, not measured on people.
    outline_thoracolumbar_levels
        Distances of the two ends of the thoraco-lumbar chord from the hip joint centre along the trunk
        axis, torso lengths: the mannequin's L2/L3 and T12/L1 back points. Kept below the thoraco-lumbar
        junction, where a trunk sway bends the outline (the sway must not read as lordosis).
    outline_tilt_offset_deg
        Inclination of the sacral chord at zero pelvic tilt: ``pelvic_tilt = chord − offset``. Calibrated
        on the neutral standing mannequin seen through MediaPipe (``python -m
        scripts.accuracy.outline_errors --calibrate``); a surface-to-bone offset that differs between people.
        7.18 since the strong-tilt round (hanging arms out of the cover check, the tilt gain about 11 deg);
        7.16 on renders with the trunk's shading bands kept inside the body (the renderer fix); 5.0 before.
    outline_tilt_population_shift_deg
        Added to ``outline_tilt_offset_deg`` to centre the offset on a body population rather than on the one
        default mannequin. 0: the mannequin's calibration alone. On the renders before the renderer fix the 9
        design bodies' median tilt errors averaged +2.06 deg at 0 and 0.00 at 2.5 (``python -m
        scripts.accuracy.outline_population --design --reuse``, ``tilt bias``), but on the held-out bodies 2.5
        raised the absolute tilt MAE on 4 of 6 and the worst from 7.3 to 9.3 deg (docs/outline-decisions.md,
        issue 13's third round), so it is not used; since the fix (offset 7.16) they average +1.26 deg.
        ``--calibrate`` finds the mannequin's part with this at 0.
    outline_lordosis_offset_deg
        Subtracted from the angle between the two chords (same calibration): 5.31 since the strong-tilt round;
        6.5 since the renderer fix, 3.8 before it. The 6.5 was fitted on the left side view alone: the
        hanging arm's cover check gated every lordosis frame of the right one (its median reads 1.96 deg
        lower than the left's, 23.06 against 25.02 at offset 6.5).
    outline_smoothing
        Gaussian smoothing of the outline along its arc before the chords are taken, torso lengths
        (0.02 ≈ 2 px on a 110 px torso: removes pixel steps, keeps the lumbar curve).
    outline_arm_radius
        Reach of the upper arm and of the forearm with the hand around their keypoint segments, torso
        lengths, for the arm-occlusion check: the arm's radius (≈5 and 3.5 cm on a 50 cm torso) plus the
        ≈1–2 cm by which MediaPipe places the elbow and wrist inside the arm's outline (seen on the mannequin).
    outline_arm_cover_limits
        Fraction of the measured back (from below the sacral chord to the top of the sacral chord for the
        tilt, of the thoraco-lumbar chord for the lordosis) within an arm's reach at which the arm quality
        starts to fall, and reaches 0. An arm hanging at
        the side touches the back outline at one spot in many standing frames (harmless); an arm lying
        along the back (trunk swayed backwards) covers most of it and replaces the back's outline.
        movelab heuristic, set on the mannequin.
    outline_elbow_behind_limits
        Distance of the hindmost elbow behind the hip joint's vertical (torso lengths) at which the arm
        quality starts to fall, and reaches 0: an arm hanging behind the trunk lies over the lumbar hollow
        in side view. Standing with the arms at the sides, MediaPipe puts the elbows 0.05 behind the hip at
        most on the mannequin; swayed 10° back, 0.12–0.18. movelab heuristic.
    outline_roughness_limits
        RMS residual of the raw outline from a quadratic over either chord (torso lengths) at which the
        roughness quality starts to fall, and reaches 0 (creased or loose clothing, a frayed mask).
        movelab heuristic: the mannequin's outline through MediaPipe has 0.003–0.005; teeth of 2 % of the
        torso give 0.014.
    outline_sensitivity_limits_deg
        Change of the sacral chord when both its levels move by ``2 × outline_level_shift`` at which the
        sensitivity quality starts to fall, and reaches 0: a strongly curved contour at the sacrum (a
        prominent buttock shelf) makes the estimate depend on where the hip landmark falls. movelab
        heuristic.
    outline_level_shift
        Level shift used for that sensitivity, torso lengths (≈1.5 cm, MediaPipe's hip-landmark jitter).
    outline_min_quality
        Frames whose quality is below this are NaN (per quantity: the tilt needs the sacral chord, the
        lordosis both chords).
    outline_baseline_max_lean_deg, outline_baseline_max_knee_deg, outline_baseline_max_thigh_deg
        A frame counts as upright standing when ``|trunk_lean|``, ``knee_flexion`` and ``|thigh_angle|``
        (each side where measured) stay within these.
    frontal_swap_margin
        Front and back views: a left/right pair of leg keypoints on the wrong side of each other by more than
        this many torso lengths is a label swap and is exchanged back (:func:`movelab.kinematics.swaps.
        fix_frontal_swaps`, issue 18). 0.05: a movelab heuristic, well under the 0.2-0.3 torso lengths
        between the hips and above landmark jitter (tested with 3 px of jitter on a 150 px torso).
    fix_frontal_mirrors
        Put back the labels of frames read as a whole-body mirror in front and back views (below; before view
        detection and cleaning). Off: the views and angles as the pose model labelled them.
    frontal_mirror_min_width
        Whole-body mirrors (:mod:`movelab.kinematics.mirrors`): a frame is squarely front or back, so that its
        labels say which, when the shoulders' spread over its frontal value (the yaw's cosine) is at least this.
        0.5 (within 60 deg of square): a movelab heuristic, well above the 0.0-0.1 of the single frames the model
        passes through while flipping its labels on the rendered body H from behind.
    frontal_turn_min_s
        ... and a run of frames that are not square lasting at least this is a turn that separates two chains of
        square frames (a flip of the labels within a chain is a mirror). 0.1 s: turning from 60 to 120 deg of
        yaw faster would take over 600 deg/s; the model's flips on body H passed through one frame (33 ms).
    frontal_mirror_feet_margin
        ... and the feet tell which reading of a chain is true when the median of the heels' drop below the toes
        in the picture is beyond this many torso lengths (positive: from behind). 0.03: on the design clips a
        correctly read front view gives -0.16 to -0.09, a back view +0.02 to +0.13 (its mirrored frames on body H
        +0.02). The feet are not independent of the labels: the model redraws them for the view it believes
        (body T from behind, ``squat_back_T_wide_v16``: 56 of 105 frames read as a front view, feet -0.05), so
        the face cue comes first where it is stored.
    frontal_mirror_face_margin
        ... and before the feet, the face seen in the picture (``frontal_face`` of the landmarks,
        :mod:`movelab.pose.face_cue`): a chain is a front view when a face is found in at least 0.5 + this
        share of its frames looked at, a back view when in at most 0.5 - this (looked at in at least half its
        frames), else the feet tell. 0.25: on every kept design, lunge and held-out-4 front and back clip the
        share was 1.00 in front views and 0.00 in back views (``python -m scripts.accuracy.mirror_chains``);
        the margin leaves room for faces missed or found in a quarter of the frames of real video.
    fppa_joint_centres
        ``"outline"``: the knee FPPA is measured on hips lowered by the view's fit (``fppa_hip_drop_front``,
        ``fppa_hip_drop_back``), centred on the pelvis outline and set apart by ``fppa_hip_spacing``, and on knees and
        ankles on the shank's outline midline (back-view knees raised by ``fppa_knee_raise_back``;
        :mod:`movelab.kinematics.frontal_legs`). ``"outline_halfway"``: the first correction (hips lowered by
        ``fppa_hip_drop``, knees and ankles halfway to the middle of the leg's outline). ``"landmarks"``: on
        the landmarks as they are (the pose model read FPPA at depth up to 12° low on rendered squats,
        issue 18). Errors of each on rendered bodies: docs/findings-accuracy.md.
    fppa_hip_drop
        ``"outline_halfway"``: ``(a, b)``: hips lowered by ``L₀ (a + b (1 − L/L₀))`` px, ``L`` the torso
        length, ``L₀`` its upright value; one fit for front and back views on rendered design bodies.
    fppa_hip_drop_front, fppa_hip_drop_back
        ``"outline"``: the same fit per view on the design bodies (``scripts/accuracy/
        frontal_findings_accuracy.py``, docs/findings-accuracy.md): from behind the hip landmark sits about
        0.1 L₀ lower.
    fppa_hip_spacing
        ``"standing_thighs"``: the hip joint centres sit as far apart as the thighs' outline midlines at the
        hips' height in the clip's standing frames (:mod:`movelab.kinematics.frontal_legs`; at least 10
        frames; with ``fppa_hip_cap="outline_share"`` where that is less than ``fppa_hip_width_share`` of the
        pelvis outline's width; where the standing thighs touch, each midline takes the landmarks' thigh slope);
        ``"outline_share"``: that share of the width. The outline's width follows the soft tissue, the joints
        the skeleton: on the thick-legged design bodies E and F the joint centres sat 0.45 and 0.42 of it
        apart, not 0.50. Design bodies, 108 legs within 4°: 105 (outline share: 90),
        docs/findings-decisions.md.
    fppa_hip_merged_thighs
        ``fppa_hip_spacing="standing_thighs"``, front views where the standing thighs' outlines merge at every
        height their midlines are fitted at (no height shows them apart): ``"through_shank"`` draws each
        thigh's midline through the median of its split interval's middles and the median of the shank's
        outline middles where the legs stand apart (a standing leg is straight; the landmarks' slope where
        too few standing frames show the shanks apart); ``"landmark_slope"``: the landmarks' thigh slope, as
        for thighs that touch at fewer heights. Design bodies F and K, narrow stance (16 front legs):
        within 4° 13 → 14, MAE 2.65 → 1.90° (docs/findings-decisions.md, *merged at every height*).
        ``"knees_ankles"``: the hips as far apart as the legs' straight lines through the standing knees (a
        quarter of their merged interval inside its outer edges) and the ankles (where the outline parts below
        the ankle landmarks) are at their height, through the shanks where that is not measured; standing,
        1.00 / 1.04 / 1.00 / 0.94 of the projected joints' distance on AA / AB / K / F against 1.13 (landmarks'
        slope) / 1.12 / 1.07 / 1.03 (through the shanks). Design front legs 235 → 238 of 240 within 4°, MAE
        1.10 → 1.05° (F, K and AB narrow change; thick-narrow round).
    fppa_hip_merged_legs
        ``fppa_hip_spacing="standing_thighs"``, front or back views whose standing midlines would run through
        the shanks but where fewer than 10 standing frames show a shank apart (legs merged from the crotch to
        the ankles): ``"knees_ankles"`` as ``fppa_hip_merged_thighs="knees_ankles"``; ``"landmark_slope"`` the
        landmarks' thigh slope. Design AA back narrow 0°: the hips' distance 51.5 → 40.4 px standing
        (projected 41.3 px).
    fppa_hip_cap
        ``fppa_hip_spacing="standing_thighs"``: ``"none"``: the standing thighs' distance alone sets the hips
        apart; ``"outline_share"``: at most ``fppa_hip_width_share`` of the outline's width. At depth a thigh's
        cross-section at the hip joint makes the outline's edge where the pelvis does not reach past it (wide
        hips over slim thighs): there half the width put the hips 0.88-0.89 of the joints' distance apart
        (design bodies U and V, held-out S). Design U and V, 64 legs within 4°: 18 → 63; the 254 earlier design
        legs 246 → 246, MAE 1.26 → 1.25° (docs/findings-decisions.md, *wide hips over slim thighs*).
    fppa_hip_beside_hands
        ``"outline"``: where the outline's interval at the hips' height is more than 2.6 times the hip landmarks'
        distance (hands hanging against the hips, as standing from behind), ``"standing_distance"`` sets the
        hips the standing thighs' distance apart about the landmarks' middle; ``"landmarks"`` (before) kept the
        landmarks, 9-11 px too far out each side on design E from behind while knees and ankles moved onto the
        leg outlines. Design bodies, FPPA while standing (MAE per leg): back 126 legs 2.29 -> 0.96°, front 240
        legs 1.27 -> 0.91°, realistic design E, F, H, J front 1.31 -> 1.04°; at depth back 120 -> 122 of 126
        within 4° (K narrow 25° −5.4/−5.0 -> −1.4/−1.1°; P narrow 16-25° +1-2° further out, within 4°), front
        unchanged (docs/findings-decisions.md, *Straight legs and the standing frames*, hips beside hanging hands).
    fppa_hip_width_share
        ``"outline"``: the hip joint centres sit this share of the outline's width at their height apart
        (at most, with ``fppa_hip_spacing="standing_thighs"`` and ``fppa_hip_cap="outline_share"``; without
        10 standing frames always): 0.50-0.51 measured at depth on design
        bodies A and B, front and back (the same script); adult hip joint centres (about 17-19 cm apart)
        against the hip breadth (about 33-38 cm) give about 0.5 as well.
    fppa_knee_raise_back
        ``"outline"``: back-view knees are raised by this many upright torso lengths: the knee landmark sat
        0.108 L₀ below the projected joint centre at depth from behind (design body A, the same script). With
        ``fppa_knee_height_back="outline_bend"`` only where the outline does not bend: on the design back
        views of 2026-12-07 (A, B, E, F, H, J, K, P, R; 64 legs) the landmark sat 0.05-0.16 L₀ below the joint
        (6-21 px), no one constant.
    fppa_knee_height_back
        ``"outline_bend"``: back-view knees take their height from where the leg's outer outline bends at
        depth (the thigh and buttock widen fast above the knee, the shank slowly below it; the front view's
        rule, :func:`movelab.kinematics.frontal_legs._knee_from_outline_bend`), raised by
        ``fppa_knee_bend_raise_back``; ``"raise"``: the landmark raised by ``fppa_knee_raise_back``. Design
        back views (64 legs at depth, docs/findings-decisions.md, *the knee's height and the hips from
        behind*): the knee as placed minus the projected knee, mean of its size 2.60 → 1.30 px, largest
        8.0 → 5.7 px; knee-only FPPA error MAE 1.86 → 1.31° (hips from ``fppa_hip_thighs_back``).
    fppa_knee_bend_min_slope_back, fppa_knee_bend_raise_back
        Back views, ``fppa_knee_height_back="outline_bend"``: the bend counts where the outline above it widens
        faster than ``fppa_knee_bend_min_slope_back`` px per px (0.2 and 0.25 gave 59 of 64 design back legs
        within 4°, 0.15 58, 0.1 54: the 0.1 bends include the calf's). The bend sat 0.02 L₀ (mean 2.8 px,
        SD 1.6 px) below the projected knee on the same legs, hence the raise of 0.02 L₀ (0.01: 57 of 64,
        0.03: 59 of 64 with a larger MAE, 1.88° against 1.73°).
    fppa_hip_thighs_back
        ``fppa_hip_spacing="standing_thighs"``, back views: ``"through_shank"`` fits each standing thigh's
        midline through its split middles' median and the shank's outline middles where the legs stand
        apart (the front view's rule for merged thighs, ``fppa_hip_merged_thighs``), whatever the thighs'
        touching; ``"as_front"``: the landmarks' slope where they touch, the middles' own line elsewhere.
        Design back views: the standing distance over the joints' was 0.85-1.17 as before (E narrow 0.85,
        P 1.15-1.17), 0.93-1.09 through the shanks; 64 legs within 4° 50 → 59 with the knee from the bend.
        ``"merged_knees_ankles"``: through the shanks, but where the standing thighs merge at every fitted height
        each leg's line runs through the standing knees and the ankles first (the front view's rule,
        ``fppa_hip_merged_thighs="knees_ankles"``): chosen on design back views (the hips 0.95-1.05 times the
        projected joints' distance apart on K, P, AB, AC, AV against 1.03-1.12 through the shanks; design back
        narrow legs 68 → 75 of 76 within 4° with ``fppa_knee_shank_width_back="below_or_merged"``), it read
        held-out sets one to twelve worse (back narrow legs 137 → 125 of 140 within 4°: AE, AJ, AL, AR) and
        the fourteenth better (14 → 16 of 16): not the default (docs/findings-decisions.md, *Heavy legs in the
        narrow stance from behind*).
    fppa_hip_thighs_front
        ``fppa_hip_spacing="standing_thighs"``, front views: ``"through_shank"`` fits every standing thigh's
        midline through its split middles' median and the shank's outline middles where the legs stand apart,
        as ``fppa_hip_thighs_back`` from behind; ``"by_touch"``: the middles' own line where the thighs are
        apart, the landmarks' slope where they touch, ``fppa_hip_merged_thighs`` where they merge at every
        fitted height. With those lines the hips sat 0.89 (F, hip-width stance) to 1.12 (E, wide; there
        capped by ``fppa_hip_width_share``) times the joints' distance apart at depth, through the shanks
        0.95-1.06 (K's narrow stance 1.10, as before). Design front views, 176 legs: within 4° 170 → 173,
        MAE 1.37 → 1.07°, mean error in the wide stance +1.1…+1.9° → +0.5…+1.0° by valgus
        (docs/findings-decisions.md, *front-overread round*).
    fppa_knee_outline_share
        ``"outline"``, front views: the knee moves this share of the way from the shank's midline to the middle
        of the outline at the knee's height. 0.5 compensated a knee landmark above the joint while the knee's
        height came from the landmark; with ``fppa_knee_height="outline_bend"`` 0 errs least on the design
        bodies (docs/findings-decisions.md).
    fppa_knee_height
        ``"outline_bend"``: front views take the knee's height from where the leg's outer outline bends
        (the foreshortened thigh widens fast above the knee, the shank slowly below it), the landmark's where it
        does not bend; ``"landmark"``: the knee landmark's height (it sat up to 0.41 upright torso lengths
        above the joint on thick-legged rendered bodies). Design bodies A, B, E, F, 108 legs within 4°: 84
        (landmark height: 66), docs/findings-accuracy.md.
    fppa_knee_bend_fallback
        ``"inner_edge"``: front-view frames whose outer outline shows no bend take the knee's height from the
        inner edge's bend (if any), ``"landmark"`` from the landmark. Design bodies A, B, E, F, H-K (issue 18,
        ninth round, docs/findings-decisions.md): legs within 4° of the projected truth at depth 192 → 193 of
        198, 0° rows' MAE 1.36 → 1.30°, rows at 8-25° unchanged (within 0.07°).
    fppa_knee_bend_min_slope, fppa_knee_bend_edge_share
        Front views, ``fppa_knee_height="outline_bend"``: the outer edge's best bend counts only where the
        outline above it widens faster than ``fppa_knee_bend_min_slope`` px per px and it lies at least
        ``fppa_knee_bend_edge_share`` of the hip → ankle distance below the search window's top; else the
        inner edge's bend is searched (``fppa_knee_bend_fallback``). At 0° valgus the outer edge runs straight
        from thigh to shank: its best bend was a calf's gentle widening 28-38 px below the knee (upper piece
        0.10-0.14 px/px) or the thigh's outline at the window's top; knee bends at 8-25° widened 0.18 px/px or
        more. 0.15 and 0.07 chosen on the design bodies A, B, E, F, H-K (issue 18, knee height at 0°,
        docs/findings-decisions.md): front legs at depth, the knee as placed from the projected knee at 0°
        median 13.1 → 9.7 px, largest 37.5 → 19.6 px; legs at 8-25° unchanged.
    fppa_knee_bend_max_span_share
        Both views, the knee's height from the outline's bend: searched only in the frames where the leg's
        (lowered) hip lies at most this share of its 95th-percentile distance above the ankle landmark (a bent
        leg, the thigh foreshortened); elsewhere the knee keeps the landmark's height (raised from behind).
        None: every frame. On straight standing legs the outline's best bend is no knee: on design front views
        one was found in 75-80 % of the frames whose hip-to-ankle span was 0.95 of the standing one or more, 50 px
        above the knee. Design bodies, FPPA while standing (median over the standing frames, per leg): front
        240 legs MAE 2.05 -> 1.27°, largest 11.9 -> 6.4°; back 126 legs 2.42 -> 2.29°, 13.2 -> 10.9°; realistic
        design E, F, H, J front 40 legs 4.40 -> 3.06°, 14.0 -> 8.6°. At depth unchanged but one back leg
        (AA narrow 16° right, −3.2 -> +1.2°): at depth the leg's span is 0.5-0.7 of its upright one
        (docs/findings-decisions.md, *straight legs*).
    fppa_knee_bend_median_s
        Front views, the knee's height from the outline's bend: the median of the bends found within this many
        seconds either side of the frame (a frame without a bend of its own takes it where at least two frames
        of the window have one, else the landmark's height). None: each frame's own bend. On realistic renders
        the bend jumped between frames (trouser folds and shading), and frames without one fell back to a landmark
        far from the joint. From behind it is not used: there it moved the design back views' touching knees
        the wrong way (K narrow 8-16°, docs/findings-decisions.md, *straight legs*).
    fppa_knee_touching
        ``"outer_edge"``: where the knees touch (one outline interval holds both, no wider than two knees),
        each knee goes half its width inside the merged outline's outer edge, its width measured in the
        clip's frames where the knees are apart (NaN where fewer than 10 are); ``"split"``: on the shank
        midline with the merged interval split at its middle (read 3-11° too little valgus at 25° in the
        narrow stance).
        Design bodies, front views, 96 legs within 4°: 79 (split: 73), docs/findings-decisions.md.
    fppa_knee_touching_back
        ``fppa_knee_touching="outer_edge"``, back views: ``"shank_edge"`` puts touching knees half the shank's
        width (measured where the leg stands alone) inside the shank's outer edge read 0.1-0.3 of the way below
        the knee and extrapolated up to it; ``"knee_row"`` half the knee's width inside the outer edge at the
        knee's height, which at depth from behind is the thigh's (19-26 px from the projected knee against a
        half-width of about 18 px: too little valgus). Design back views whose knees touch in every frame
        (K and P, 16° and 25°, 8 legs) within 4°: 6 (knee_row: 2), docs/findings-decisions.md.
    fppa_knee_width_fallback
        ``fppa_knee_touching="outer_edge"``: where neither frames with the knees apart nor the shanks below
        (where the legs part) give a knee's width, because the legs' outlines merge from the knees to the
        ankles in every frame (tall, heavy-legged bodies in the narrow stance): ``"standing_knees"`` takes a
        quarter of the standing knees' merged interval at their height; ``"none"`` leaves the knees NaN.
        ``"standing_first"``: the standing knees' quarter before the shanks below wherever no frame shows the
        knees apart (the shanks below, measured in as few as 10 frames, gave AB's knees 18.4 / 13.5 px against
        16.5 px from the standing knees: AB narrow 8° +3.9 / −6.2°, after 0.0 / +0.3°). Design narrow front and
        back legs (148): 136 → 138 within 4°, MAE 1.69 → 1.62°, 20 changed (F, K, AB, AA, P), 11 closer.
    fppa_knee_shank_width_back
        ``fppa_knee_touching_back="shank_edge"``: the shank's width where the shanks touch just below the knees in
        every frame. ``"below"``: the width lower down where the legs part; ``"below_or_merged"``: that where the
        legs part within the shank's upper half, else (or where they never part) a quarter of the shanks'
        merged width just below the knees. The shank tapers below the calf: design AW, its legs parting 0.75 of
        the way down, read half-widths 12.5-13.3 px against 14.9-15.6 px needed and 5-8° too little valgus.
        Back narrow legs within 4°: design 68 → 73 of 76, held-out sets one to twelve 135 → 137 of 140, the
        thirteenth 12 → 16 of 16, the fourteenth 14 of 16 both (docs/findings-decisions.md, *Heavy legs in the
        narrow stance from behind*).
    fppa_shank_top
        ``"outline"``: where the shank's outline midline (which carries the knee and the ankle) starts being
        fitted. ``"lower_knee"``: below the lower of the knee landmark and the knee as placed (its height from
        the outline's bend, or raised in back views); ``"knee_landmark"``: below the knee landmark, which sat up
        to 0.41 upright torso lengths above the joint on thick-legged design bodies, so that the fit took in
        the foreshortened thigh's widening outline and tilted the shank. Design bodies, 132 legs: MAE 1.47° ->
        1.27°, largest 5.6° -> 4.7° (docs/findings-decisions.md).
    fppa_shank_merged
        ``"outline"``, front views: the heights that shank midline is fitted to. ``"alone"``: where at least
        three of the seven show the shank's outline interval holding it alone, those only; ``"split"``: every
        height, an interval holding both legs split at its middle (back views always). Where the legs' outlines
        overlap (loose trousers, knees in) the split middles lie outward of the shanks and tilt the line.
        Realistic design A, B (hip and wide stances, 40 legs): MAE 1.70 -> 1.60°; clean design front views
        unchanged in sum (173 of 176 within 4°, MAE 1.25°); from behind it read 58 instead of 59 of 64 and is
        not used there (docs/findings-decisions.md, *realistic round*). ``"alone_to_ankle"``: where fewer than
        three do, the heights from 80 % of the way down to the ankle landmark that hold the shank alone are added
        first: on realistic renders the ankle landmark sat 20-25 px above the ankle and the seven heights lay in
        the legs' merged outline above the crotch's notch (realistic design E, F, H, J MAE 1.96 -> 1.75°; clean
        design front views 240 of 240 both, MAE 0.80°; docs/findings-decisions.md, *the other leg*).
    fppa_shank_axis
        ``"outline"``, both views: the shank's midline (the knee's height from the outline's bend is searched
        from it, knee and ankle are put on it) is the bisector of the lines fitted to its outline's two edges
        (``"edge_bisector"``: the axis of a tapering limb) or the line through its rows' middles
        (``"row_middles"``). A shank that tapers towards the ankle and leans sideways (the wide stance) has its
        edges at different slopes; the rows' middles then lie on the inner side of the axis: their line
        passed 0.2-0.7 px inside the projected knee in the design bodies' wide stance, where the knee's
        share of the FPPA error was +0.8…+1.5° (mean by valgus). Design front
        views, 176 legs: within 4° 173 of 176 both, MAE 1.07 -> 0.99°, wide-stance mean error +0.5…+1.0° ->
        −0.3…0.0° by valgus; back views (64 legs) 59 within 4° both, MAE 1.74 -> 1.75°
        (docs/findings-decisions.md, *front-overread round*).
    fppa_other_leg_missing
        ``"outline"``, front and back frames where the other leg's knee or ankle landmark is missing (below the
        visibility the angles require): ``"not_measured"`` leaves this leg's FPPA NaN there; ``"whole_interval"``
        places its knee and ankle as elsewhere, where an outline interval holding both legs is then taken whole
        (not split between them). Realistic design F, hip-width stance, 16° (its left ankle missing in half
        the frames about the bottom): the right leg read −12.2° against 13.1° (docs/findings-decisions.md,
        *the other leg*).
    fppa_outline
        ``"outline"``: the outline the leg joint centres are read from: ``"edges"`` the person mask's contour moved
        onto the picture's own edges at extraction (``outline_edges_px``, :mod:`movelab.pose.outline_edges`;
        landmark files without it fall back to the mask's), ``"mask"`` the mask's contour (``outline_px``). The
        mask's edge lay 1.5-3 px off the shanks' in a narrow stance seen from behind, where the picture's edges
        put the shank's midline within 0.1 px of the projected knee. All design squats (kept landmarks, the outline
        snapped from the kept videos): 353 -> 360 of 366 legs within 4°, largest error 7.0 -> 5.4°; held-out 514 ->
        522 of 524, and the eighth held-out set, looked at once, 95 of 96; one realistic held-out leg read 10.9° too
        much valgus where the mask's outline read it right (docs/findings-decisions.md, *the mask's edges*).
    obliquity_min_hip_width_share
        Front and back views: the hip landmarks' ``pelvic_obliquity`` is NaN in frames where the hips'
        horizontal distance is under this share of the clip's median (the pose model drawing the hips
        together; :mod:`movelab.kinematics.frontal_pelvis`). 0.75, chosen on the design clips of
        ``scripts/accuracy/frontal_findings_accuracy.py`` (cleaned positions): the design squats' hips never
        came closer than 0.82 of their median, the design lunges' 0.83 except where the pose model drew them
        together (0.51 and 0.60, two back-view lunges of body design4); docs/findings-decisions.md.
    hands_on_hips_max_elbow_deg, hands_on_hips_height_torso, hands_on_hips_min_s
        :func:`movelab.kinematics.frontal_pelvis.hands_on_hips`: both elbows bent to at most this
        shoulder-elbow-wrist angle, each elbow outside its wrist, each wrist within this many torso lengths
        of the hips' height, for at least this long; the pelvic obliquity is then read from the wrists' line.
        On the rendered design lunges (5th-95th percentiles): hands on hips 78-102° with the wrists 0.13-0.32
        torso lengths above the hips; hanging arms 176-180°. Arms reaching forward in a design back-view squat
        (realistic render) passed for single frames with the wrists 0.36-0.50 above the hips
        (docs/findings-decisions.md). 130°, 0.4 and 0.5 s: movelab's margins between.
    hands_obliquity_gain_back
        Back views: the wrists' height difference is multiplied by this before the hands' obliquity is taken
        (:func:`movelab.kinematics.frontal_pelvis.hands_obliquity_deg`). From behind the pose model shrinks a
        hands-on-hips drop towards level: the six design 10° drops from behind (bodies A, design1, design4,
        both lead legs, the wrists averaged with the mirror image, ``ExtractConfig.mirror_wrists``) read
        7.9-10.4°, mean 8.9°, against 9.7-10.2° from the front; 1.12 = tan 10° / tan 8.9°, rounded
        (``scripts/accuracy/frontal_findings_accuracy.py``, groups ``lunge`` and ``lunge_design``;
        docs/findings-decisions.md, *Pelvic drop lunges: the wrists' line against the mirror image*). Learnt on
        mirrored wrists: without the mirror pass (a live webcam, ``mirror_hips="off"``) the standing lean of
        +1.3…+3.7° and the lead-leg difference stay, and the gain enlarges them by 12 %. 1 turns it off. One
        constant for every build: on six design bodies (three more builds: slight, tall and heavy, wide hips)
        the back drops read 7.6-11.7° with it, and a gain set from the clip's wrists' distance against the
        shoulders', the hips' or the torso did no better leave-one-body-out (docs/findings-decisions.md, *The
        back view's hands gain across builds*).
    outline_baseline_max_speed
        ... and ``hip_mid`` and both ankles move slower than this (torso lengths per second): quiet.
    outline_baseline_min_s
        The standing baseline needs at least this much standing time; otherwise ``*_change`` is NaN.
    outline_tilt_body_sd_deg, outline_lordosis_body_sd_deg
        Spread across bodies of the outline method's absolute error, the body part of the per-frame uncertainty
        ``*_sd`` of :func:`movelab.kinematics.outline_estimates`: the root mean square about zero of the median
        errors of the 9 design bodies' tilt sweeps (the offsets are calibrated on the default mannequin, so the
        population's mean offset counts), widened by Student's t (9 degrees of freedom) over 1.96 so that twice it
        is a 95 % prediction interval for a new body: 3.3 and 5.9 deg (``python -m
        scripts.accuracy.outline_population --design --reuse``, ``body sd for a new body``; the held-out bodies are
        not used; with the hip's height from the soles, ``outline_hip_from_floor``, and the gains refitted with it;
        3.7 and 6.0 with the anchor's height half from the gluteal fold, ``outline_floor_fold_weight`` 0.5, not the
        default; 3.1 and 5.6 before the soles; design clips rendered after the renderer fix, offsets refitted then;
        3.9 and 9.0 before it; 2.9 and 6.1 deg before the strong-tilt round, ``outline_tilt_gain``, the hanging
        arms' cover and the offsets refitted then; the lordosis 6.0 before ``outline_lordosis_sacral_gain``). Before
        issue 13's second round: the SD about the mean, 2.8 and 9.3 deg.
    outline_hip_drift_per_deg, outline_hip_drift_max_deg
        The pose model's hip landmark drifts down the body by this many torso lengths per degree of forward
        trunk lean (0.0012-0.0032 in the sways of four design bodies, MediaPipe full model). 0.002 gave the
        smallest largest |sway slope| over the 9 design bodies and the default mannequin (0.43 at 0; 0.26,
        0.25 and 0.29 at 0.0015, 0.002 and 0.0025), with the tilt sweeps unchanged, in full up to the second
        value and fading to none at twice it; the outline method undoes it before measuring. With
        ``outline_hip_registration`` the rate is measured per clip and this is its prior (and the rate used
        where the clip gives none).
    outline_hip_registration, outline_registration_reference_deg, outline_registration_min_frames
        Measure the hip landmark's drift rate per clip (issue 13, third round): the back of the pelvis
        (buttock and sacrum, 0.30 below to 0.10 above the hip) moves with the hip joint, so each side-view
        frame's back profile is laid onto the clip's reference (the median profile of the frames with
        ``|trunk_lean|`` at most 3 deg, at least 5 of them) by a turn and a shift; the shifts against the lean
        give the clip's rate. On the design bodies' sways the per-frame shift followed the landmark's true
        drift with a correlation of 0.94-1.00; the rates differ between bodies (0.1-3.2 thousandths per
        degree), which one fixed rate cannot follow (design sway slopes -0.16-0.21 with it). False: the fixed
        rate alone (the method before).
    outline_registration_max_rms
        Frames whose profile fits the reference worse than this RMS (torso lengths) do not enter the rate:
        an arm over the buttock or a flexed hip changes the profile (clean design frames 0.0006-0.0022,
        backward sways with a hanging arm 0.0024-0.004). 0.0025: squats' tilt as with the fixed rate.
    outline_registration_prior_deg2_s
        Weight of the prior rate, in degree²-seconds of lean variation (each frame's squared lean about the
        clip's mean times the frame interval): where the clip's lean hardly varies (a tilt sweep, standing) the
        rate stays near ``outline_hip_drift_per_deg``; a ±10 deg sway (about 150 deg²·s over 3 s) measures its
        own. 500/30: the 500 deg² summed over 30 fps frames it was chosen as (design sway slopes changed by at
        most 0.03 between 100 and 2000 deg² there); in seconds so that a clip filmed at 15 or 60 fps weighs
        its lean as at 30 (before, a 15 fps clip leaned twice as hard on the prior; docs/outline-decisions.md).
    outline_hip_from_floor
        Set ``hip_mid``'s height from the soles while the legs stand straight (issue 13, both facing
        directions): the pose model's hip landmark rises along the body as the pelvis tilts forward, by
        0.2-4.2 thousandths of a torso length per degree on the design bodies' tilt sweeps, differently for a
        body and its mirror image (design4 1.7 filmed, 4.2 mirrored), and the sacral chord's levels are heights
        above it; the hip joint keeps its height above the floor, which the outline's lowest point shows. The
        height is the median over the clip's straight-legged near-upright frames; in full while both knees
        bend at most ``outline_baseline_max_knee_deg`` and both thighs lean at most
        ``outline_baseline_max_thigh_deg``, fading to none at twice either; after the registration (whose
        horizontal shift stays). Design bodies, both facing directions: tilt slope 0.8-1.2 on 9 of 9 (5 of 9
        without; with ``outline_tilt_gain`` 1.05), sway slope within ±0.15 on 9 of 9
        (``outline_population_mirrored --design --reuse``;
        docs/outline-decisions.md). False: the landmark's height as registered (the method before).
    outline_floor_heel_rise_limits
        The soles assume the feet flat: in a heel raise the toes keep the outline's lowest point while the hip
        rises, and the anchor would hold the hip down. The heels' height above the outline's lowest point is
        compared with its median over the anchor's reference frames (the smaller rise of the two heels, torso
        lengths, as :func:`movelab.kinematics.sole.heel_rise_deg` combines the feet); the anchor's weight falls
        from 1 to 0 between these, the hip landmark taking over. (0.03, 0.06): 1.5-3 cm on a 0.5 m torso, above
        the heel landmark's jitter in standing (the outline tables do not move,
        docs/outline-decisions.md, *A heel raise lets go of the floor*); a 4 cm heel raise, which the heel
        landmark reads at two thirds (0.053), is three quarters let go. None: no guard (the method before).
    outline_floor_fold_weight
        The share of the anchor's standing height taken from the buttock's lower edge (the gluteal fold, a step of the
        back outline; the outline's own, so it does not move with the camera's roll) instead of the hip landmark's
        median (issue 16): MediaPipe places the hip up to 6 px (about 0.05 torso lengths) differently on one body filmed
        level and rolled by up to 5 deg, and the standing tilt follows it by about 1 deg per px; the fold's height moved
        by at most 1.2 px between the rolls. With weights 0 (the landmark alone), 0.5, 0.7 and 1 on the design bodies
        (``camera_roll_accuracy`` design clips; ``outline_population --design``): the largest pelvic_tilt MAE change
        between a rolled clip and its level twin 1.60, 0.87, 0.57, 0.36 deg; the tilt body SD for a new body 3.35, 3.72,
        3.94, 4.36 deg (the landmark's per-body height partly offsets the sacral chord's per-body bias, which a
        roll-free height cannot); 0.5: the largest share that brings every design clip within issue 16's 1 deg. Default
        0, the landmark alone: 0.5 costs more where anterior tilt is flagged than it buys under a rolled camera (design
        strong-tilt sweeps, 15-35 deg: change MAE 4.24 -> 5.37 deg; held-out absolute tilt worse on 4 of 6 bodies), so
        it is an option, not the default. docs/outline-decisions.md, *The floor anchor on rolled clips*.
    outline_floor_fold_hip_above
        The hip's height above the gluteal fold, torso lengths: the median over the 30 anchored design
        population clips of the landmark's standing height less the fold's (0.151; 0.113-0.204 between clips),
        so that on average the anchor stands where the landmark put it and the calibrated offsets hold.
    outline_floor_fold_band
        Where the fold is looked for, as shares of the standing outline's height above the soles (0.38-0.62:
        the design bodies' folds lie at 0.47-0.50, the hip at 0.53).
    outline_floor_fold_min_step
        The least backward step of the back outline, torso lengths over 0.04 of height, that counts as the
        fold (the design bodies' folds step 0.05-0.08); with a smaller one (loose clothing, no fold) the
        landmark alone.
    outline_floor_fold_max_gap
        Torso lengths: where the fold's height (plus ``outline_floor_fold_hip_above``) and the landmark's
        differ by more than this, the landmark alone (the fold mistaken; the design clips differ by at most
        0.053).
    outline_elbow_swing_limits
        A hanging arm's elbow swung back from where it hangs when the client stands (its median over the
        near-upright frames), torso lengths: the quality falls from 1 to 0 between these. The absolute elbow
        check (``outline_elbow_behind_limits``) let through a slim body's arm bulging the back at 0.3-0.4 torso
        above the hip in a backward sway (design7: tilt 6.5 deg for a true 11). None: no such check.
    outline_hanging_wrist_max
        The elbow check (``outline_elbow_behind_limits``) looks only at hanging arms: an arm whose wrist lies
        more than this many torso lengths above the hip joint is folded or held forward, and MediaPipe's
        elbow behind the hip then does not mean the arm covers the back (issue 13: on the design bodies
        MediaPipe put folded arms' elbows 0.10-0.14 behind the hip, wrists 0.26-0.46 above it; hanging
        arms swayed back, wrists 0.0-0.06 above it). ``inf`` checks every arm (the method before).
    outline_cover_hanging_arms
        Whether the arm-cover check (``outline_arm_cover_limits``) looks at hanging arms too (an arm whose wrist
        is known to lie no more than ``outline_hanging_wrist_max`` above the hip joint). False: only raised arms;
        a hanging arm over the back is left to the elbow checks (``outline_elbow_behind_limits``,
        ``outline_elbow_swing_limits``). In a strong anterior tilt the deep lumbar hollow comes within
        0.07-0.12 torso lengths of a hanging arm's keypoints while the arm lies inside the silhouette (the
        project mannequin at 28 deg: cover 0.45, no lordosis in any frame), as close as an arm swung over the
        back in a backward sway (0.07-0.12), so the distance cannot tell them apart; the elbow can
        (``docs/outline-decisions.md``, issue 13's strong tilt). True: the check before.
    outline_tilt_gain
        The reported pelvic tilt is ``11 + gain · (θ − 11)``, ``θ`` the sacral chord's fixed point: the back
        surface over the sacrum turns less than the pelvis (on the 9 design bodies' 0-20 deg sweeps 0.62-0.96
        deg per degree, over 0-35 deg 0.46-0.96: the upper chord level climbs into the deepening lumbar hollow).
        About 11 deg, the calibration's neutral standing, so the calibrated offsets stay exact. 1.05 since the
        hip's height is taken from the soles (``outline_hip_from_floor``): of 1, 1.05 and 1.1 the one that
        keeps every design body's 0-20 deg tilt slope within 0.8-1.2 in both facing directions, in the
        population clips (``outline_population_mirrored --design``: 8, 9, 9 of 9) and in the slow test's short
        clips (``outline_short_clips``, conditions ``test`` and ``mirrored``: 18 of 18 at 1.05, 15 at 1.1); it
        costs the strong-tilt (15-35 deg) sweep (change MAE mean 4.24 against 3.47 before the floor,
        ``docs/outline-decisions.md``, *The hip's height from the soles*). Before the floor: 1.1, the largest
        gain (steps of 0.05) that kept the design bodies' mean 0-20 deg absolute tilt MAE within 0.05 deg of
        the gain 1 (2.69 -> 2.70; change MAE 1.66 -> 1.59); it lowered their strong-tilt (15-35 deg) MAE 4.28
        -> 3.97 and change MAE 4.23 -> 3.58. 1.2 minimised the pooled MAE of both sweeps but worsened the 0-20
        deg sweeps (2.79). ``docs/outline-decisions.md``. 1: the fixed point as it is.
    outline_tilt_gain_max_lean_deg
        ``outline_tilt_gain`` applies in full while the trunk leans at most this much (degrees, either way) and
        fades to none by twice it: in a squat (trunk 28 deg, lumbar spine flexing) the gain in full made the
        design bodies' squat tilt change MAE worse (design1 2.2 -> 3.4 deg, design7 0.7 -> 1.5).
    outline_lordosis_sacral_gain
        The lordosis' lumbo-sacral end is the sacral chord turned by ``(gain − 1) · (θ − 11)`` (the same form as
        ``outline_tilt_gain``, fading with the trunk's lean as it does): the sacral chord turns less than the
        pelvis (0.62-0.96 deg per degree on the design bodies' 0-20 deg sweeps), and the lordosis, the chord
        less the thoraco-lumbar chord, read the sweep's true lordosis at 0.56-0.87 per degree through the
        pipeline. 1.2 is chosen on the 9 design bodies (per frame, gains 1, 1.1, 1.2, 1.3: slopes 0.56-0.87,
        0.71-1.01, 0.81-1.17, 0.91-1.33; change error mean 1.63, 1.45, 1.42, 1.52 deg; sway slopes unchanged)
        (``docs/outline-decisions.md``, *The lordosis' lumbo-sacral end*). 1.1 since the hip's height is taken
        from the soles (``outline_hip_from_floor``): lordosis slope within 0.7-1.3 in both facing directions on
        6, 8, 7 of the 9 design bodies at 1, 1.1, 1.2 (``outline_population_mirrored --design --reuse``). 1: the
        chord as it is.
    outline_thoracolumbar_pelvis_weight
        The thoraco-lumbar levels are measured along an axis turned from the trunk's (hip to shoulder, 0)
        to the pelvis's up axis (1) by this fraction of the angle between them. 0.5 gave the smallest largest
        |lordosis slope against the trunk lean| of the 9 design bodies' sways (0.36, 0.31, 0.27, 0.24, 0.28,
        0.39 at 0, 0.25, 0.4, 0.5, 0.6, 0.75) and a tilt-sweep lordosis change error of at most 3.3° (5.1°
        at 0). ``docs/outline-decisions.md``.
    client_calibration
        The client's own outline offset from a session with ASIS/PSIS stickers (:class:`ClientCalibration`,
        ``movelab analyse --client-baseline DIR``); None: the population calibration only.
    camera_roll
        ``"auto"``: estimate the camera's roll (:mod:`movelab.kinematics.camera_roll`) and take it out of the
        landmarks when the scene gives it; ``"off"``: estimate and report it, take nothing out; a number: the
        roll in degrees (positive: the scene turned clockwise on screen), taken out as given.
    camera_roll_tolerance_deg
        A roll the scene cannot confirm is warned about above this. 2.0: a movelab choice, under the outline
        pelvic tilt's body SD (2.8 deg, above) so that an unmeasured roll is not the largest error of the tilt.
    camera_roll_body_sd_deg
        SD of a standing client's long axis (ankle centre to shoulder centre) from vertical with a level
        camera: the client cue's own error. 2.0: a movelab assumption (quiet standing sways about 1 deg and
        posture leans the axis a few degrees forward); compared with the mannequin's standing clips by
        ``python -m scripts.accuracy.camera_roll_accuracy`` (docs/kinematics-accuracy.md).
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
    swap_partial: bool = True
    swap_partial_penalty: float = 0.07
    swap_partial_max_s: float = 0.25
    swap_accel_cap: float = 0.3
    swap_length_weight: float = 1.0
    swap_stance: bool = True
    swap_stance_min_spread: float = 0.8
    swap_stance_max_speed: float = 1.0
    swap_stance_min_s: float = 1.0
    swap_stance_median_s: float = 0.3
    swap_stance_margin: float = 0.2
    frontal_swap_margin: float = 0.05
    fix_frontal_mirrors: bool = True
    frontal_mirror_min_width: float = 0.5
    frontal_turn_min_s: float = 0.1
    frontal_mirror_feet_margin: float = 0.03
    frontal_mirror_face_margin: float = 0.25
    fppa_joint_centres: Literal["landmarks", "outline_halfway", "outline"] = "outline"
    fppa_hip_drop: tuple[float, float] = (0.020, 0.559)
    fppa_hip_drop_front: tuple[float, float] = (0.042, 0.532)
    fppa_hip_drop_back: tuple[float, float] = (-0.059, 0.543)
    fppa_hip_spacing: Literal["outline_share", "standing_thighs"] = "standing_thighs"
    fppa_hip_merged_thighs: Literal["landmark_slope", "through_shank", "knees_ankles"] = "knees_ankles"
    fppa_hip_width_share: float = 0.50
    fppa_hip_cap: Literal["outline_share", "none"] = "none"
    fppa_hip_beside_hands: Literal["landmarks", "standing_distance"] = "standing_distance"
    fppa_knee_raise_back: float = 0.108
    fppa_knee_height_back: Literal["raise", "outline_bend"] = "outline_bend"
    fppa_knee_bend_min_slope_back: float = 0.2
    fppa_knee_bend_raise_back: float = 0.02
    fppa_hip_thighs_back: Literal["as_front", "through_shank", "merged_knees_ankles"] = "through_shank"
    fppa_hip_thighs_front: Literal["by_touch", "through_shank"] = "through_shank"
    fppa_knee_outline_share: float = 0.0
    fppa_knee_height: Literal["landmark", "outline_bend"] = "outline_bend"
    fppa_knee_bend_fallback: Literal["landmark", "inner_edge"] = "inner_edge"
    fppa_knee_bend_min_slope: float = 0.15
    fppa_knee_bend_edge_share: float = 0.07
    fppa_knee_bend_max_span_share: float | None = 0.9
    fppa_knee_bend_median_s: float | None = 0.1
    fppa_knee_touching: Literal["split", "outer_edge"] = "outer_edge"
    fppa_knee_touching_back: Literal["knee_row", "shank_edge"] = "shank_edge"
    fppa_knee_width_fallback: Literal["none", "standing_knees", "standing_first"] = "standing_first"
    fppa_knee_shank_width_back: Literal["below", "below_or_merged"] = "below_or_merged"
    fppa_hip_merged_legs: Literal["landmark_slope", "knees_ankles"] = "knees_ankles"
    fppa_shank_top: Literal["knee_landmark", "lower_knee"] = "lower_knee"
    fppa_shank_merged: Literal["split", "alone", "alone_to_ankle"] = "alone_to_ankle"
    fppa_shank_axis: Literal["row_middles", "edge_bisector"] = "edge_bisector"
    fppa_outline: Literal["mask", "edges"] = "edges"
    fppa_other_leg_missing: Literal["whole_interval", "not_measured", "nearest_joint"] = "nearest_joint"
    obliquity_min_hip_width_share: float = 0.75
    hands_on_hips_max_elbow_deg: float = 130.0
    hands_on_hips_height_torso: float = 0.4
    hands_on_hips_min_s: float = 0.5
    hands_obliquity_gain_back: float = 1.12
    side_view_midpoint_fallback: bool = True
    side_view_shoulder_shift_max: float = 0.03
    outline_sacral_levels: tuple[float, float] = (0.08, 0.30)
    outline_thoracolumbar_levels: tuple[float, float] = (0.40, 0.55)
    outline_tilt_offset_deg: float = 7.18
    outline_tilt_population_shift_deg: float = 0.0
    outline_lordosis_offset_deg: float = 5.31
    outline_smoothing: float = 0.02
    outline_arm_radius: tuple[float, float] = (0.13, 0.10)
    outline_arm_cover_limits: tuple[float, float] = (0.2, 0.3)
    outline_elbow_behind_limits: tuple[float, float] = (0.07, 0.11)
    outline_roughness_limits: tuple[float, float] = (0.008, 0.02)
    outline_sensitivity_limits_deg: tuple[float, float] = (20.0, 45.0)
    outline_level_shift: float = 0.03
    outline_min_quality: float = 0.5
    outline_baseline_max_lean_deg: float = 10.0
    outline_baseline_max_knee_deg: float = 15.0
    outline_baseline_max_thigh_deg: float = 10.0
    outline_baseline_max_speed: float = 0.25
    outline_baseline_min_s: float = 0.5
    outline_tilt_body_sd_deg: float = 3.3
    outline_lordosis_body_sd_deg: float = 5.9
    outline_hip_drift_per_deg: float = 0.002
    outline_hip_drift_max_deg: float = 10.0
    outline_hip_registration: bool = True
    outline_registration_reference_deg: float = 3.0
    outline_registration_min_frames: int = 5
    outline_registration_max_rms: float = 0.0025
    outline_registration_prior_deg2_s: float = 500.0 / 30.0
    outline_hip_from_floor: bool = True
    outline_floor_heel_rise_limits: tuple[float, float] | None = (0.03, 0.06)
    outline_floor_fold_weight: float = 0.0
    outline_floor_fold_hip_above: float = 0.151
    outline_floor_fold_band: tuple[float, float] = (0.38, 0.62)
    outline_floor_fold_min_step: float = 0.03
    outline_floor_fold_max_gap: float = 0.06
    outline_elbow_swing_limits: tuple[float, float] | None = (0.04, 0.06)
    outline_hanging_wrist_max: float = 0.15
    outline_thoracolumbar_pelvis_weight: float = 0.5
    outline_cover_hanging_arms: bool = False
    outline_tilt_gain: float = 1.05
    outline_tilt_gain_max_lean_deg: float = 10.0
    outline_lordosis_sacral_gain: float = 1.1
    client_calibration: ClientCalibration | None = None
    camera_roll: float | Literal["auto", "off"] = "auto"
    camera_roll_tolerance_deg: float = 2.0
    camera_roll_body_sd_deg: float = 2.0

    def __post_init__(self) -> None:
        if self.confidence not in _SCORES:
            raise ConfigError(f"confidence must be one of {_SCORES}, got {self.confidence!r}")
        _check_range("min_confidence", self.min_confidence, 0.0, 1.0)
        _check_range("side_view_shoulder_shift_max", self.side_view_shoulder_shift_max, 0.0, 0.5)
        for name in (
            "max_gap_s",
            "hampel_min_deviation",
            "view_smoothing_s",
            "min_view_s",
            "swap_max_gap_s",
            "swap_min_jump",
            "swap_partial_penalty",
            "swap_partial_max_s",
            "swap_length_weight",
            "swap_stance_min_s",
            "swap_stance_median_s",
            "swap_stance_margin",
            "frontal_swap_margin",
            "frontal_turn_min_s",
            "frontal_mirror_feet_margin",
        ):
            _check_range(name, getattr(self, name), 0.0, math.inf)
        for name in (
            "hampel_half_window_s",
            "hampel_n_sigma",
            "cutoff_hz",
            "frontal_shoulder_width",
            "swap_depth_margin_m",
            "swap_visibility_margin",
            "swap_accel_cap",
            "swap_stance_min_spread",
            "swap_stance_max_speed",
        ):
            _check_positive(name, getattr(self, name))
        _check_range("time_jitter_tolerance", self.time_jitter_tolerance, 0.0, 1.0)
        _check_choices(self)
        _check_range("frontal_mirror_min_width", self.frontal_mirror_min_width, 0.0, 1.0)
        _check_range("frontal_mirror_face_margin", self.frontal_mirror_face_margin, 0.0, 0.5)
        _check_range("fppa_hip_width_share", self.fppa_hip_width_share, 0.0, 1.0)
        _check_range("fppa_knee_raise_back", self.fppa_knee_raise_back, 0.0, 0.5)
        _check_range("fppa_knee_outline_share", self.fppa_knee_outline_share, 0.0, 1.0)
        _check_range("fppa_knee_bend_min_slope_back", self.fppa_knee_bend_min_slope_back, 0.0, math.inf)
        _check_range("fppa_knee_bend_raise_back", self.fppa_knee_bend_raise_back, -0.5, 0.5)
        _check_range("fppa_knee_bend_min_slope", self.fppa_knee_bend_min_slope, 0.0, math.inf)
        _check_range("fppa_knee_bend_edge_share", self.fppa_knee_bend_edge_share, 0.0, 0.5)
        if self.fppa_knee_bend_max_span_share is not None:
            _check_range("fppa_knee_bend_max_span_share", self.fppa_knee_bend_max_span_share, 0.5, 1.0)
        if self.fppa_knee_bend_median_s is not None:
            _check_range("fppa_knee_bend_median_s", self.fppa_knee_bend_median_s, 0.0, 0.5)
        _check_range("obliquity_min_hip_width_share", self.obliquity_min_hip_width_share, 0.0, 1.0)
        _check_range("hands_on_hips_max_elbow_deg", self.hands_on_hips_max_elbow_deg, 0.0, 180.0)
        _check_range("hands_on_hips_height_torso", self.hands_on_hips_height_torso, 0.0, math.inf)
        _check_range("hands_on_hips_min_s", self.hands_on_hips_min_s, 0.0, math.inf)
        _check_range("hands_obliquity_gain_back", self.hands_obliquity_gain_back, 0.0, math.inf)
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
        _check_outline(self)
        _check_camera_roll(self)
        if self.front_tolerance_deg + self.side_tolerance_deg > 90:
            raise ConfigError(
                "front_tolerance_deg + side_tolerance_deg must not exceed 90 (the bands would overlap), got "
                f"{self.front_tolerance_deg} + {self.side_tolerance_deg}"
            )

    def to_json(self) -> str:
        """The settings as a JSON object (for provenance in output files)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


def _check_outline(config: KinematicsConfig) -> None:
    """Validate the outline-method settings (docs/outline.md)."""
    for name in (
        "outline_sacral_levels",
        "outline_thoracolumbar_levels",
        "outline_arm_radius",
        "outline_arm_cover_limits",
        "outline_elbow_behind_limits",
        "outline_roughness_limits",
        "outline_sensitivity_limits_deg",
    ):
        value = getattr(config, name)
        if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_number(v) for v in value)):
            raise ConfigError(f"{name} must be a pair of numbers, got {value!r}")
    for name in (
        "outline_sacral_levels",
        "outline_thoracolumbar_levels",
        "outline_arm_cover_limits",
        "outline_elbow_behind_limits",
        "outline_roughness_limits",
        "outline_sensitivity_limits_deg",
    ):
        low, high = getattr(config, name)
        if not 0 <= low < high:
            raise ConfigError(f"{name} must be (low, high) with 0 <= low < high, got {getattr(config, name)!r}")
    if not all(r >= 0 for r in config.outline_arm_radius):
        raise ConfigError(f"outline_arm_radius must not be negative, got {config.outline_arm_radius!r}")
    for name in ("outline_tilt_offset_deg", "outline_tilt_population_shift_deg", "outline_lordosis_offset_deg"):
        _check_range(name, getattr(config, name), -90.0, 90.0)
    for name in ("outline_smoothing", "outline_level_shift", "outline_baseline_max_speed"):
        _check_positive(name, getattr(config, name))
    for name in (
        "outline_baseline_max_lean_deg",
        "outline_baseline_max_knee_deg",
        "outline_baseline_max_thigh_deg",
        "outline_baseline_min_s",
    ):
        _check_range(name, getattr(config, name), 0.0, math.inf)
    _check_range("outline_min_quality", config.outline_min_quality, 0.0, 1.0)
    _check_range("outline_thoracolumbar_pelvis_weight", config.outline_thoracolumbar_pelvis_weight, 0.0, 1.0)
    _check_range("outline_tilt_gain", config.outline_tilt_gain, 0.5, 2.0)
    _check_positive("outline_tilt_gain_max_lean_deg", config.outline_tilt_gain_max_lean_deg)
    for name in ("outline_registration_reference_deg", "outline_registration_prior_deg2_s"):
        _check_range(name, getattr(config, name), 0.0, math.inf)
    _check_positive("outline_registration_max_rms", config.outline_registration_max_rms)
    min_frames = config.outline_registration_min_frames
    if not (isinstance(min_frames, int) and min_frames >= 1):
        raise ConfigError(f"outline_registration_min_frames must be a whole number >= 1, got {min_frames!r}")
    _check_range("outline_floor_fold_weight", config.outline_floor_fold_weight, 0.0, 1.0)
    for name in ("outline_floor_fold_hip_above", "outline_floor_fold_min_step", "outline_floor_fold_max_gap"):
        _check_range(name, getattr(config, name), 0.0, math.inf)
    for name in ("outline_elbow_swing_limits", "outline_floor_heel_rise_limits", "outline_floor_fold_band"):
        limits = getattr(config, name)
        if limits is not None and not (
            isinstance(limits, (tuple, list))
            and len(limits) == 2
            and all(_is_number(v) for v in limits)
            and limits[0] < limits[1]
        ):
            raise ConfigError(f"{name} must be None or (low, high) with low < high, got {limits!r}")
    if not (_is_number(config.outline_hanging_wrist_max) or config.outline_hanging_wrist_max == math.inf):
        raise ConfigError(f"outline_hanging_wrist_max must be a number, got {config.outline_hanging_wrist_max!r}")


def _check_camera_roll(config: KinematicsConfig) -> None:
    roll = config.camera_roll
    if isinstance(roll, str):
        if roll not in ("auto", "off"):
            raise ConfigError(f"camera_roll must be 'auto', 'off' or a number of degrees, got {roll!r}")
    else:
        _check_range("camera_roll", roll, -45.0, 45.0)
    _check_positive("camera_roll_tolerance_deg", config.camera_roll_tolerance_deg)
    _check_positive("camera_roll_body_sd_deg", config.camera_roll_body_sd_deg)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.cache
def _literal_fields(cls) -> dict[str, tuple]:
    """The fields of the dataclass ``cls`` annotated with a ``Literal`` alone, and the values each can take."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: typing.get_args(hints[f.name])
        for f in dataclasses.fields(cls)
        if typing.get_origin(hints[f.name]) is Literal
    }


def _check_choices(config) -> None:
    """ConfigError for the first field of ``config`` annotated with a ``Literal`` that holds none of its values."""
    for name, allowed in _literal_fields(type(config)).items():
        value = getattr(config, name)
        if value not in allowed:
            names = [repr(v) for v in allowed]
            raise ConfigError(f"{name} must be {', '.join(names[:-1])} or {names[-1]}, got {value!r}")


def _check_range(name: str, value, low: float, high: float) -> None:
    if not (_is_number(value) or value == math.inf) or not low <= value <= high:
        raise ConfigError(f"{name} must be a number in [{low}, {high}], got {value!r}")


def _check_positive(name: str, value) -> None:
    if not _is_number(value) or value <= 0:
        raise ConfigError(f"{name} must be a positive number, got {value!r}")
