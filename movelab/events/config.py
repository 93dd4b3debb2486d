"""Settings of the events stage (reps, gait events, recognition), every default and its source in one place.

See ``docs/events.md`` for the methods these settings drive.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Literal, get_args

from movelab.errors import ConfigError

__all__ = [
    "EventsConfig",
    "GaitMethod",
    "Movement",
    "MovementChoice",
    "MOVEMENTS",
    "DEPTH_WINDOW_S",
    "MIN_VALID_FRACTION",
]

#: The movements :func:`movelab.events.recognise_movement` tells apart.
Movement = Literal["squat", "lunge", "gait", "posture", "thomas", "aslr"]
#: What a user may ask for: one of the movements, or ``"auto"`` to recognise it.
MovementChoice = Literal["auto", Movement]
MOVEMENTS: tuple[str, ...] = get_args(Movement)

#: Seconds either side of a rep's bottom over which a value "at depth" is read (the median of those frames): the
#: reps table's heel rise and the default of the findings' ``depth_window_s``
#: (:class:`movelab.findings.config.FindingsConfig`), so that the table and the findings read the same frames.
DEPTH_WINDOW_S = 0.1
#: Least fraction of a window's frames that must hold a finite value before the value counts: the reps table's
#: heel rise and pelvic-tilt change, and the default of the findings' ``min_valid_fraction``.
MIN_VALID_FRACTION = 0.5

#: Gait event methods: ``"velocity"`` (movelab's, the default) or ``"zeni"`` (Zeni et al. 2008, baseline).
GaitMethod = Literal["velocity", "zeni"]


@dataclass(frozen=True)
class EventsConfig:
    """All settings of the events stage. Frozen: change one with :func:`dataclasses.replace`.

    Lengths that must not depend on the camera distance are fractions of the client's **leg length**
    (pixels from hip to knee plus knee to ankle, the 90th percentile over the video, so that frames where
    the leg is foreshortened do not shrink it).

    Attributes
    ----------
    rep_min_depth
        A dip of the pelvis counts as a rep when it is at least this deep (fraction of leg length; 0.1 is
        about 9 cm on an adult, a quarter of a parallel squat's drop). movelab heuristic.
    rep_front_min_depth
        Seen face on (front or back) a shallower dip of the pelvis, down to this depth (fraction of leg
        length), also counts as a rep when the head (ears) dips at least ``rep_min_depth``. From the front
        MediaPipe's hip landmarks, guessed inside the trunk, show only 66-91 % of the pelvis's true drop
        (66-75 % on 60° squats, 104 % in side view; the leg length is not biased), so a squat the side view
        counts can read under ``rep_min_depth`` from the front; the head is seen without that bias and drops
        at least as far as the pelvis in a squat (the trunk leans forward as well). 0.06 is 0.6 ×
        ``rep_min_depth``, under the smallest ratio measured (docs/events-decisions.md).
    rep_full_prominence
        A rep shallower than this fraction of the deepest rep is flagged ``partial``. 0.7 is OpenCap's
        prominence rule for counting squat reps (Uhlrich et al. 2023); movelab keeps partial reps and flags
        them instead of dropping them.
    rep_min_separation_s
        Bottoms of two reps are at least this far apart: 0.5 s (OpenCap).
    rep_standing_level
        A rep's standing stretches are where the pelvis is above this fraction of the way from the rep's
        bottom to the highest level around it: 0.95 (OpenCap's "95 % of the standing level").
    rep_standing_window_s
        At most this much of each standing stretch, next to the rep, gives the standing level.
    rep_onset_fit
        A rep's start (end) is the zero of a straight line fitted to ``sqrt(displacement)`` over the samples
        where the displacement from standing is between these two fractions of its largest value (near
        its start a smooth movement's displacement grows as the square of time). movelab; the 95 %
        crossing alone fires about 5 frames late at 30 fps (docs/events-decisions.md).
    rep_flexion_onset_fit
        A squat seen from the side is timed by the knee flexion, its start (end) the zero of a straight
        line fitted to ``sqrt(flexion change)`` over the samples where the change from standing is
        between these two fractions of its largest value. Wider and later than ``rep_onset_fit``:
        MediaPipe's knee angle lags the truth by 2-5 frames (30 fps) through its first ~10° (it sticks,
        then catches up), and the longer stretch averages that out; on an exact half-cosine knee angle it
        comes up to 0.025 of the descent early (1.8 frames for a 2-s descent). Chosen on rendered
        side-view squats (docs/events-decisions.md).
    rep_front_onset_fit
        A squat seen from the front or back is timed by the drop of the head (ears), which near its start
        grows as the fourth power of time (second order in the knee angle): the start (end) is the zero
        of a straight line fitted to ``drop ** (1/4)`` over the samples where the drop is between these
        two fractions of its largest value. Chosen on rendered front and back squats (docs/events-decisions.md).
    rep_front_head_min_drop
        ... when the head is seen through the rep and drops at least this fraction of the pelvis's drop
        (it drops further: the trunk leans as well); else the pelvis drop times the rep.
    rep_min_flexion_deg
        Squats are timed by the knee flexion when it is measured through the rep and bends at least this
        much; else by the pelvis.
    rep_min_step
        Lunges are timed by the stepping foot when one foot moves at least this far (fraction of leg
        length) and is seen through the rep; else by the pelvis's displacement.
    rep_bottom_band
        The bottom of a rep is the middle of the stretch where the pelvis is within this fraction of the
        rep's depth of its lowest point (a pause at the bottom gives its middle). movelab heuristic.
    gait_method
        ``"velocity"``: the feet's velocity relative to the ground (movelab); ``"zeni"``: the foot relative to
        the pelvis (Zeni et al. 2008).
    contact_walking_speed_fraction
        Velocity method, side view: the heel has landed when the front heel's forward speed relative to the
        ground falls to this fraction of the **walking speed** (and stays under twice that, ``foot_settle_s``):
        a real heel lands still moving and slides, so the level sits near its landing speed, not at "stopped".
        Chosen on rendered walks whose heels land moving (``movelab.synth.Gait(heel_rocker=True)``) and checked
        on the real demo walk (docs/events-decisions.md, *One stance level*; errors in docs/events-accuracy.md).
        None: ``contact_speed_fraction`` of the swing's peak instead (the levels used until issue 16).
    toe_off_walking_speed_fraction
        The toe has left when the rear toe's speed relative to the ground last rose above this fraction of
        the walking speed: the contacts' level (a foot is in stance while it moves slower than that). None:
        ``toe_off_speed_fraction`` of the swing's peak instead.
    contact_speed_fraction
        Used when ``contact_walking_speed_fraction`` is None: the heel has landed when its speed falls to this
        fraction of the swing's peak speed (the default until issue 16: docs/events-decisions.md, *The
        contact threshold until issue 16*).
    picture_contact_speed_fraction
        The same for walks without a side view (the foot's speed in the picture, both directions): 0.15;
        0.10 made front and back views' contacts up to 7 frames off (docs/events-decisions.md).
    toe_off_speed_fraction
        Used when ``toe_off_walking_speed_fraction`` is None, and by walks without a side view: the toe has
        left when the rear toe's speed last rose above this fraction of the swing's peak speed.
    foot_cutoff_hz
        The front and rear foot tracks are low-passed (zero-lag Butterworth) at this cut-off after sorting;
        6 Hz as the kinematics (Sports2D).
    foot_settle_s
        A landing is accepted when the heel's speed stays under twice the landing level this long after it
        (a momentary dip is a landmark glitch).
    contact_min_stance_s
        Velocity method, side view: a contact is accepted only when the front foot then stays under twice the
        landing level this long (instead of ``foot_settle_s``). A landed foot stays the front one, in stance,
        through double support and until the other foot swings past it: 0.22-0.30 s after every contact of
        the design walks at 90-120 steps/min; a stop of 0.07 s was the feet's landmarks drawn together for
        three frames mid-stance, read as a swing and a landing (docs/events-decisions.md, *A contact needs
        the foot to stay down*). Not used with ``contact_walking_speed_fraction`` None (the levels used
        before, kept as they were). movelab heuristic.
    side_vote_s
        The landing foot's side is voted by the landmark labels over this long after each contact.
    foot_max_speed
        A foot track moving faster than this many times the walking speed between two frames has jumped
        (the model putting a hidden foot on the other one) ...
    teleport_max_s
        ... and the stretch until it jumps back, within this long, is ignored.
    foot_hampel_half_window_s, foot_hampel_min_deviation
        Hampel filter on the front and rear foot tracks (half window, seconds; smallest outlier, fraction of
        leg length): a still stance foot makes a wandering landmark stand out.
    foot_spike_min_jump
        A sample of a front or rear foot track (or of its heel or toe) that the track jumps to and straight
        back from, by more than this fraction of leg length each way (relative to the ground), is a glitch:
        the model putting the point off the foot for one frame. A walking foot does not reverse its
        motion (less than 0.03 leg lengths per frame on the rendered walks at 30 fps). movelab heuristic.
    foot_max_gap_s
        Gaps of the front and rear foot tracks (glitches removed, a foot not seen) up to this long, between
        the samples either side, are bridged by a straight line relative to the ground before the low-pass
        (a stance foot stays where it is); longer ones end the track. 0.2 s is a third of the shortest
        stride and half a swing, so a swing is never bridged whole. movelab heuristic.
    walk_min_speed
        Gait events are looked for only when the client walks at least this fast relative to the ground
        (leg lengths per second; 0.2 is about 0.18 m/s, far below the slowest clinical walking speeds).
    walk_min_speed_picture
        The same for a walk filmed from the front, the back or obliquely (no side view), measured in the
        picture along the feet's direction of travel: walking towards a camera shows as a slow drift down
        the picture (about 0.1–0.25 leg lengths per second for 1.1 m/s at 4–8 m from a camera at 1–1.2 m
        height, measured on rendered walks), so the bar is lower; a squat or standing client stays
        below 0.02. movelab heuristic.
    belt_min_steady
        Recognition: the ground counts as moving under the client (a treadmill) only when in at least this
        fraction of the frames a foot moves back at 0.5–1.5 times the ground's speed (a belt carries the
        stance foot steadily: 0.76–0.96 on the rendered treadmill walks filmed from the side, 0.35–0.42 on
        three filmed from the front, where the belt's motion is foreshortened). The ground's speed is the
        median of the slower foot's velocity, which landmark jitter and left/right exchanges of a client
        who stays where they are make negative too (a lunge or split squat read as a "treadmill" of
        0.05–1.0 leg lengths per second, steady in at most 0.27 of the frames over all rendered lunges,
        squats and standing clients); such a client must progress through the picture at
        ``walk_min_speed`` (``walk_min_speed_picture``) to be walking. The margins are thin face on
        (0.35 against 0.27): name the movement for a treadmill walk filmed from the front. movelab
        heuristic.
    swing_min_picture_speed
        Away from side view a swing (the foot's speed in the picture, both directions) must also reach this
        many leg lengths per second, so that a still client's landmark jitter is never a step. movelab
        heuristic.
    swing_min_speed
        A swing is a peak of the foot's forward speed relative to the ground of at least this many times
        the walking speed (a swinging foot reaches 2–4 times the body's speed). movelab heuristic.
    swing_max_s
        A contact (toe-off) is looked for at most this long after (before) a swing's peak speed.
    stride_range_s
        Plausible stride times, seconds (cadence 40–200 steps/min); cycles outside are not reported.
    zeni_min_prominence
        Zeni method: a peak of the foot's position relative to the pelvis must stand out by this fraction
        of leg length. movelab heuristic.
    gait_min_swings
        Recognition: at least this many initial contacts, from both feet, make a gait.
    lunge_min_knee_gap
        Recognition: at the bottom of a lunge one knee is far lower than the other (the rear knee nears
        the floor); a median gap over reps of at least this fraction of leg length makes a lunge rather than
        a squat. movelab heuristic.
    lunge_min_feet_apart
        Recognition, side view: ankles at least this far apart along the walking direction at the bottoms
        (fraction of leg length; a squat keeps them together, a lunge's step is about one leg length) make
        a lunge. movelab heuristic.
    lunge_split_min_stance
        Lunge timing: the ankles at least this far apart (fraction of leg length; along the picture's
        vertical from the front or back, where perspective puts the front foot lower, along the picture
        from the side) while standing before the reps make a split squat (the feet stay apart) rather than
        a forward lunge (feet together, one steps out). A squat stance measures under 0.03 and a split
        squat from the front 0.16 on rendered clips. movelab heuristic.
    lunge_split_fit
        Split squat seen from the front or back: the pelvis height is fitted as ``c + a·τ² + b·τ⁴``
        (``τ`` the time since the start) over the ``window`` seconds (second value) before the drop first
        reaches this fraction (first value) of the rep's depth; see docs/events-decisions.md. The window reaches back
        to standing on descents up to about 1.5 s (0.7 s cut the fit short on 1.3 s descents).
    min_leg_px
        Below this leg length in pixels the client is too small for events (nothing is detected).
    lying_max_trunk_deg, lying_min_fraction
        The client lies (a supine test) when the trunk line (shoulder midpoint to hip midpoint) is within
        ``lying_max_trunk_deg`` of the picture's horizontal in at least ``lying_min_fraction`` of the frames
        where it is seen. Upright movements keep it within 45 deg of vertical (a deep squat's trunk leans at
        most about 50 deg from vertical, so 30 deg from horizontal leaves room); movelab heuristic.
    thomas_min_knee_deg
        A lying client is doing the modified Thomas test when, in the median frame, the more flexed knee bends
        more than this (the hugged knee bends about 120 deg, the hanging one 30-100 deg); otherwise an active
        straight-leg raise (both knees straight). movelab heuristic, docs/assessments-decisions.md.
    """

    rep_min_depth: float = 0.10
    rep_front_min_depth: float = 0.06
    rep_full_prominence: float = 0.7
    rep_min_separation_s: float = 0.5
    rep_standing_level: float = 0.95
    rep_standing_window_s: float = 0.5
    rep_onset_fit: tuple[float, float] = (0.05, 0.30)
    rep_flexion_onset_fit: tuple[float, float] = (0.05, 0.50)
    rep_front_onset_fit: tuple[float, float] = (0.02, 0.20)
    rep_front_head_min_drop: float = 0.8
    rep_min_flexion_deg: float = 20.0
    rep_min_step: float = 0.15
    rep_bottom_band: float = 0.05
    gait_method: GaitMethod = "velocity"
    contact_walking_speed_fraction: float | None = 0.75
    toe_off_walking_speed_fraction: float | None = 0.75
    contact_speed_fraction: float = 0.10
    picture_contact_speed_fraction: float = 0.15
    toe_off_speed_fraction: float = 0.1
    foot_cutoff_hz: float = 6.0
    foot_settle_s: float = 0.1
    contact_min_stance_s: float = 0.15
    side_vote_s: float = 0.2
    foot_max_speed: float = 8.0
    teleport_max_s: float = 0.3
    foot_hampel_half_window_s: float = 0.2
    foot_hampel_min_deviation: float = 0.1
    foot_spike_min_jump: float = 0.1
    foot_max_gap_s: float = 0.2
    walk_min_speed: float = 0.2
    walk_min_speed_picture: float = 0.05
    belt_min_steady: float = 0.35
    swing_min_picture_speed: float = 0.5
    swing_min_speed: float = 1.3
    swing_max_s: float = 0.8
    stride_range_s: tuple[float, float] = (0.6, 3.0)
    zeni_min_prominence: float = 0.15
    gait_min_swings: int = 3
    lunge_min_knee_gap: float = 0.2
    lunge_min_feet_apart: float = 0.3
    lunge_split_min_stance: float = 0.08
    lunge_split_fit: tuple[float, float] = (0.3, 1.2)
    min_leg_px: float = 20.0
    lying_max_trunk_deg: float = 30.0
    lying_min_fraction: float = 0.6
    thomas_min_knee_deg: float = 60.0

    def __post_init__(self) -> None:
        if self.gait_method not in ("velocity", "zeni"):
            raise ConfigError(f"gait_method must be 'velocity' or 'zeni', got {self.gait_method!r}")
        for name in (
            "rep_min_depth",
            "rep_min_separation_s",
            "rep_standing_window_s",
            "rep_min_flexion_deg",
            "rep_min_step",
            "foot_cutoff_hz",
            "foot_settle_s",
            "contact_min_stance_s",
            "side_vote_s",
            "foot_max_speed",
            "teleport_max_s",
            "foot_hampel_half_window_s",
            "foot_hampel_min_deviation",
            "foot_spike_min_jump",
            "foot_max_gap_s",
            "walk_min_speed",
            "walk_min_speed_picture",
            "swing_min_picture_speed",
            "swing_min_speed",
            "swing_max_s",
            "zeni_min_prominence",
            "lunge_min_knee_gap",
            "lunge_min_feet_apart",
            "lunge_split_min_stance",
            "min_leg_px",
            "lying_max_trunk_deg",
            "lying_min_fraction",
            "thomas_min_knee_deg",
        ):
            _check_positive(name, getattr(self, name))
        for name in (
            "rep_full_prominence",
            "rep_standing_level",
            "rep_bottom_band",
            "contact_speed_fraction",
            "picture_contact_speed_fraction",
            "toe_off_speed_fraction",
            "belt_min_steady",
        ):
            value = getattr(self, name)
            if not _is_number(value) or not 0 < value < 1:
                raise ConfigError(f"{name} must be a number in (0, 1), got {value!r}")
        for name in ("contact_walking_speed_fraction", "toe_off_walking_speed_fraction"):
            value = getattr(self, name)
            if value is not None and (not _is_number(value) or not 0 < value <= 2):
                raise ConfigError(f"{name} must be None or a number in (0, 2], got {value!r}")
        low, high = _pair("rep_onset_fit", self.rep_onset_fit)
        if not 0 < low < high < 1:
            raise ConfigError(f"rep_onset_fit must be two fractions 0 < low < high < 1, got {self.rep_onset_fit!r}")
        low, high = _pair("rep_flexion_onset_fit", self.rep_flexion_onset_fit)
        if not 0 < low < high < 1:
            raise ConfigError(
                f"rep_flexion_onset_fit must be two fractions 0 < low < high < 1, got {self.rep_flexion_onset_fit!r}"
            )
        _check_positive("rep_front_head_min_drop", self.rep_front_head_min_drop)
        _check_positive("rep_front_min_depth", self.rep_front_min_depth)
        low, high = _pair("rep_front_onset_fit", self.rep_front_onset_fit)
        if not 0 < low < high < 1:
            raise ConfigError(
                f"rep_front_onset_fit must be two fractions 0 < low < high < 1, got {self.rep_front_onset_fit!r}"
            )
        frac, window = _pair("lunge_split_fit", self.lunge_split_fit)
        if not 0 < frac < 1 or not window > 0:
            raise ConfigError(
                f"lunge_split_fit must be (fraction in (0, 1), window > 0 s), got {self.lunge_split_fit!r}"
            )
        low, high = _pair("stride_range_s", self.stride_range_s)
        if not 0 < low < high:
            raise ConfigError(
                f"stride_range_s must be (shortest, longest) with 0 < shortest < longest, got {self.stride_range_s!r}"
            )
        if not isinstance(self.gait_min_swings, int) or self.gait_min_swings < 1:
            raise ConfigError(f"gait_min_swings must be a positive integer, got {self.gait_min_swings!r}")

    def to_json(self) -> str:
        """The settings as a JSON object (for provenance in output files)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_positive(name: str, value) -> None:
    if not _is_number(value) or value <= 0:
        raise ConfigError(f"{name} must be a positive number, got {value!r}")


def _pair(name: str, value) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(_is_number(v) for v in value):
        raise ConfigError(f"{name} must be a pair of numbers, got {value!r}")
    return float(value[0]), float(value[1])
