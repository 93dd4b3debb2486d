"""Movements of the mannequin: each a frozen set of parameters and a pose for every instant.

Every motion has ``name``, ``duration_s``, ``sample(t_s, body) -> MotionSample`` (the pose and which feet are
on the floor), ``events(body) -> list[Event]`` and ``scene(body) -> Scene`` (where the camera should look and
what props stand around). Parameters are keyword-only with units in their names. The figure faces world +x
(heading 0) unless ``heading_deg`` is given; gait goes along its heading.

Targets such as ``trunk_lean_deg`` or ``depth_deg`` are met by small solvers on the figure's own geometry, so
the ground truth (:mod:`movelab.synth.truth`) reports them back within a fraction of a degree; the truth is
always computed from the rendered figure, never copied from the parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy as np

from movelab.errors import ConfigError
from movelab.synth.render import Prop
from movelab.synth.skeleton import (
    ArmPose,
    BodyProportions,
    LegPose,
    Pose,
    _shoe_balls,
    forward_kinematics,
    hip_joint_m,
    leg_joints_m,
    leg_reach_m,
    lumbar_for_lordosis,
    place_foot,
    rot_y,
)
from movelab.synth.truth import angles_from_points

__all__ = [
    "Event",
    "MotionSample",
    "Scene",
    "Motion",
    "Squat",
    "Lunge",
    "Gait",
    "Posture",
    "ThomasTest",
    "MOTIONS",
]

Side = Literal["left", "right"]
EventName = Literal["rep_start", "rep_bottom", "rep_end", "initial_contact", "toe_off"]
NEUTRAL_TILT_DEG = 11.0
NEUTRAL_LORDOSIS_DEG = 25.0


@dataclass(frozen=True)
class Event:
    """A moment of the motion: ``event`` name, the figure's ``side`` (or None) and its time."""

    event: EventName
    side: Side | None
    time_s: float


@dataclass(frozen=True)
class MotionSample:
    """The pose at one instant and whether each foot bears on the floor (stance)."""

    pose: Pose
    contact_left: bool
    contact_right: bool
    floor_y_m: float = 0.0


@dataclass(frozen=True)
class Scene:
    """Where the camera should look (``look_at_m``), the region to fit, and props (boxes) in the scene."""

    look_at_m: tuple[float, float, float]
    fit_width_m: float
    fit_height_m: float
    props: tuple[Prop, ...] = ()
    floor_y_m: float = 0.0


class Motion(Protocol):
    """What every motion offers."""

    name: str

    @property
    def duration_s(self) -> float: ...

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample: ...

    def events(self, body: BodyProportions) -> list[Event]: ...

    def scene(self, body: BodyProportions) -> Scene: ...


# ----------------------------------------------------------------------------- helpers


def _ease(x: float) -> float:
    """Smooth step 0 -> 1 on [0, 1] (half cosine), clipped outside."""
    x = min(max(x, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * x)


def _lerp(a: float, b: float, w: float) -> float:
    return a + (b - a) * w


def _check(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{name} must be in [{low}, {high}], got {value!r}")


def _heading_vectors(heading_deg: float) -> tuple[np.ndarray, np.ndarray]:
    h = rot_y(heading_deg)
    return h[:, 0], h[:, 2]


def _world(heading_deg: float, fwd_m: float, right_m: float, y_m: float = 0.0) -> np.ndarray:
    fwd, right = _heading_vectors(heading_deg)
    return fwd * fwd_m + right * right_m + np.array([0.0, y_m, 0.0])


def _pelvis_y_for_leg(pose: Pose, body: BodyProportions, side: Side, knee_flexion_deg: float) -> float:
    """Pelvis height at which ``side``'s leg reaches its ankle target with ``knee_flexion_deg``."""
    hip = hip_joint_m(replace(pose, pelvis_m=(pose.pelvis_m[0], 0.0, pose.pelvis_m[2])), body, side)
    ankle = np.asarray(pose.leg(side).ankle_m, float)
    horizontal = np.array([hip[0] - ankle[0], hip[2] - ankle[2]])
    reach = leg_reach_m(body, knee_flexion_deg)
    vertical = math.sqrt(max(reach * reach - float(horizontal @ horizontal), 0.0))
    return float(ankle[1] + vertical - hip[1])


def _with_pelvis_y(pose: Pose, y: float) -> Pose:
    return replace(pose, pelvis_m=(pose.pelvis_m[0], y, pose.pelvis_m[2]))


def _truth(pose: Pose, body: BodyProportions) -> dict[str, float]:
    fig = forward_kinematics(pose, body)
    return angles_from_points(fig.points, fig.heading)


def _solve_lean_by_pelvis(pose: Pose, body: BodyProportions, lean_deg: float) -> Pose:
    """Tilt the pelvis (and everything above it, about the hip axis) until ``trunk_lean == lean_deg``."""
    for _ in range(3):
        err = lean_deg - _truth(pose, body)["trunk_lean"]
        if abs(err) < 1e-3:
            break
        pose = replace(pose, pelvic_tilt_deg=pose.pelvic_tilt_deg + err)
    return pose


def _solve_trunk_by_thorax(pose: Pose, body: BodyProportions, lean_deg: float, lateral_deg: float) -> Pose:
    """Bend the upper thorax until ``trunk_lean`` and ``trunk_lateral_lean`` meet their targets (Newton, with
    the slopes measured once by finite differences; the two planes barely interact)."""
    a = _truth(pose, body)
    probe = replace(
        pose,
        thoracic_extension_deg=pose.thoracic_extension_deg + 1.0,
        thoracic_lateral_deg=pose.thoracic_lateral_deg + 1.0,
    )
    b = _truth(probe, body)
    slope_sag = b["trunk_lean"] - a["trunk_lean"]
    slope_lat = b["trunk_lateral_lean"] - a["trunk_lateral_lean"]
    for _ in range(4):
        e1, e2 = lean_deg - a["trunk_lean"], lateral_deg - a["trunk_lateral_lean"]
        if abs(e1) < 1e-3 and abs(e2) < 1e-3:
            break
        pose = replace(
            pose,
            thoracic_extension_deg=pose.thoracic_extension_deg + e1 / slope_sag,
            thoracic_lateral_deg=pose.thoracic_lateral_deg + e2 / slope_lat,
        )
        a = _truth(pose, body)
    return pose


def _fppa(pose: Pose, body: BodyProportions, side: Side) -> float:
    from movelab.synth.truth import frontal_2d, knee_fppa_deg

    hip, knee, ankle = leg_joints_m(pose, body, side)
    p = frontal_2d({"h": hip, "k": knee, "a": ankle}, rot_y(pose.heading_deg))
    return knee_fppa_deg(p["h"], p["k"], p["a"], side)


def _knee_swivel_for_fppa(pose: Pose, body: BodyProportions, side: Side, fppa_deg: float) -> float:
    """Knee swivel (medial positive) that gives the frontal-plane projection angle ``fppa_deg`` (bisection)."""
    lo, hi = -70.0, 70.0
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        trial = replace(pose, **{f"{side}_leg": replace(pose.leg(side), knee_swivel_deg=mid)})
        if _fppa(trial, body, side) < fppa_deg:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _phase_of_reps(t_s: float, lead_in_s: float, phases: tuple[float, ...], reps: int) -> tuple[int, int, float]:
    """(rep index, phase index, fraction through the phase) at ``t_s``; rep -1 before the first rep."""
    t = t_s - lead_in_s
    period = sum(phases)
    if t < 0:
        return -1, 0, 0.0
    rep = min(int(t // period), reps - 1)
    t -= rep * period
    for i, dur in enumerate(phases):
        if t < dur or i == len(phases) - 1:
            return rep, i, (min(t / dur, 1.0) if dur > 0 else 1.0)
        t -= dur
    return rep, len(phases) - 1, 1.0


# ----------------------------------------------------------------------------- squat


@dataclass(frozen=True)
class Squat:
    """Bodyweight squats, both feet planted.

    Parameters
    ----------
    depth_deg : float
        Knee flexion at the bottom (3D knee angle; the sagittal truth is within about a degree of it).
    trunk_lean_deg : float
        ``trunk_lean`` at the bottom (solved exactly by pelvic tilt).
    heel_lift_deg : float
        Foot pitch at the bottom, heels up, rolling on the toes.
    lumbar_flexion_deg : float
        Loss of lordosis at the bottom ("butt wink"), growing with the cube of depth.
    knee_valgus_deg : float
        ``knee_fppa`` of both knees at the bottom (valgus positive; solved by swivelling the knee).
    descent_s, ascent_s, pause_bottom_s, pause_top_s : float
        Tempo of one rep.
    reps : int
    lead_in_s : float
        Standing still before the first rep.
    stance_width_m : float
        Distance between the ankle joints.
    toe_out_deg : float
    arm_reach_deg : float
        Shoulder flexion at the bottom (arms forward for balance); not used with ``arms="overhead"``.
    heading_deg : float
    arms : {"reach", "overhead"}
        Arms reaching forward as the client descends (``arm_reach_deg``), or held straight overhead
        throughout, as in the FMS deep squat.
    overhead_tilt_deg : float
        With overhead arms: the arms' tilt forward of vertical (world) at the bottom, growing with depth;
        0 keeps them vertical (the FMS "dowel over the feet").
    dowel : bool
        A dowel held in both hands (the FMS deep squat's).
    shank_lean_deg : float or None
        Forward lean of the shank at the bottom; None: a third of the knee flexion (the default squat).
    knee_swivel_deg : float or None
        Turn of both knees about the hip-ankle line at the bottom, medial positive, growing with depth; used
        instead of ``knee_valgus_deg`` (whose frontal angle is undefined once the thigh passes horizontal).
    """

    depth_deg: float = 100.0
    trunk_lean_deg: float = 35.0
    heel_lift_deg: float = 0.0
    lumbar_flexion_deg: float = 0.0
    knee_valgus_deg: float = 0.0
    descent_s: float = 1.2
    ascent_s: float = 1.0
    pause_bottom_s: float = 0.3
    pause_top_s: float = 0.6
    reps: int = 2
    lead_in_s: float = 0.5
    stance_width_m: float = 0.34
    toe_out_deg: float = 8.0
    arm_reach_deg: float = 75.0
    heading_deg: float = 0.0
    arms: Literal["reach", "overhead"] = "reach"
    overhead_tilt_deg: float = 0.0
    dowel: bool = False
    shank_lean_deg: float | None = None
    knee_swivel_deg: float | None = None
    name: str = field(default="squat", init=False)

    def __post_init__(self) -> None:
        _check("depth_deg", self.depth_deg, 5.0, 140.0)
        if self.arms not in ("reach", "overhead"):
            raise ConfigError(f"arms must be 'reach' or 'overhead', got {self.arms!r}")
        _check("overhead_tilt_deg", self.overhead_tilt_deg, -30.0, 90.0)
        if self.shank_lean_deg is not None:
            _check("shank_lean_deg", self.shank_lean_deg, 0.0, 0.6 * self.depth_deg)
        if self.knee_swivel_deg is not None:
            _check("knee_swivel_deg", self.knee_swivel_deg, -60.0, 60.0)
        _check("trunk_lean_deg", self.trunk_lean_deg, -10.0, 80.0)
        _check("heel_lift_deg", self.heel_lift_deg, 0.0, 40.0)
        _check("lumbar_flexion_deg", self.lumbar_flexion_deg, -10.0, 50.0)
        _check("knee_valgus_deg", self.knee_valgus_deg, -20.0, 30.0)
        _check("reps", self.reps, 1, 50)
        for name in ("descent_s", "ascent_s"):
            _check(name, getattr(self, name), 0.2, 10.0)
        for name in ("pause_bottom_s", "pause_top_s", "lead_in_s"):
            _check(name, getattr(self, name), 0.0, 10.0)

    @property
    def _phases(self) -> tuple[float, ...]:
        return (self.descent_s, self.pause_bottom_s, self.ascent_s, self.pause_top_s)

    @property
    def duration_s(self) -> float:
        return self.lead_in_s + self.reps * sum(self._phases)

    def depth_fraction(self, t_s: float) -> float:
        """0 standing, 1 at the bottom."""
        rep, phase, frac = _phase_of_reps(t_s, self.lead_in_s, self._phases, self.reps)
        if rep < 0:
            return 0.0
        return (_ease(frac), 1.0, 1.0 - _ease(frac), 0.0)[phase]

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        return MotionSample(_squat_pose(self, self.depth_fraction(t_s), body), True, True)

    def events(self, body: BodyProportions) -> list[Event]:
        out = []
        for rep in range(self.reps):
            t0 = self.lead_in_s + rep * sum(self._phases)
            out += [
                Event("rep_start", None, t0),
                Event("rep_bottom", None, t0 + self.descent_s + 0.5 * self.pause_bottom_s),
                Event("rep_end", None, t0 + self.descent_s + self.pause_bottom_s + self.ascent_s),
            ]
        return out

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        return Scene(tuple(_world(self.heading_deg, 0.1 * h, 0.0, 0.5 * h)), 1.4 * h, 1.2 * h)


def _squat_arms(sq: Squat, p: float) -> ArmPose:
    """One arm of the squat: reaching forward with depth, or straight overhead tilted forward with depth."""
    if sq.arms == "overhead":
        return ArmPose(
            shoulder_flexion_deg=180.0 - p * sq.overhead_tilt_deg, shoulder_abduction_deg=14.0, elbow_flexion_deg=0.0
        )
    return ArmPose(shoulder_flexion_deg=p * sq.arm_reach_deg, shoulder_abduction_deg=8.0)


def _squat_pose(sq: Squat, p: float, body: BodyProportions) -> Pose:
    knee = _lerp(1.0, sq.depth_deg, p)
    shank_lean = 0.33 * knee if sq.shank_lean_deg is None else _lerp(0.33, sq.shank_lean_deg, p)
    legs = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        flat = place_foot(body, side=side, contact_xz_m=(0.0, 0.0), pitch_deg=0.0, yaw_deg=sq.toe_out_deg)
        toe_flat = np.array(flat) + rot_y(sign * sq.toe_out_deg) @ _shoe_balls(body)[1]
        toe_w = _world(sq.heading_deg, toe_flat[0], sign * 0.5 * sq.stance_width_m + toe_flat[2])
        ankle = place_foot(
            body,
            side=side,
            contact_xz_m=(toe_w[0], toe_w[2]),
            pitch_deg=p * sq.heel_lift_deg,
            yaw_deg=sq.toe_out_deg,
            heading_deg=sq.heading_deg,
            pivot="toe",
        )
        legs[side] = LegPose(ankle_m=ankle, foot_pitch_deg=p * sq.heel_lift_deg, foot_yaw_deg=sq.toe_out_deg)
    a, k = math.radians(shank_lean), math.radians(knee)
    dx = body.shank_m * math.sin(a) - body.thigh_m * math.sin(k - a)
    fwd_ankle = float(np.dot(np.asarray(legs["left"].ankle_m), _heading_vectors(sq.heading_deg)[0]))
    centre = _world(sq.heading_deg, fwd_ankle + dx, 0.0)
    lordosis = NEUTRAL_LORDOSIS_DEG - p**3 * sq.lumbar_flexion_deg
    pose = Pose(
        pelvis_m=(float(centre[0]), 0.0, float(centre[2])),
        left_leg=legs["left"],
        right_leg=legs["right"],
        heading_deg=sq.heading_deg,
        pelvic_tilt_deg=NEUTRAL_TILT_DEG + p * sq.trunk_lean_deg,
        lumbar_extension_deg=lumbar_for_lordosis(body, round(lordosis, 6)),
        neck_flexion_deg=-0.6 * p * sq.trunk_lean_deg,
        left_arm=_squat_arms(sq, p),
        right_arm=_squat_arms(sq, p),
        dowel=sq.dowel,
    )
    pose = _with_pelvis_y(pose, _pelvis_y_for_leg(pose, body, "left", knee))
    pose = _solve_lean_by_pelvis(pose, body, p * sq.trunk_lean_deg)
    if sq.knee_swivel_deg is not None:
        for side in ("left", "right"):
            pose = replace(pose, **{f"{side}_leg": replace(pose.leg(side), knee_swivel_deg=p * sq.knee_swivel_deg)})
    elif p > 1e-6:  # standing, the knees are straight and the angle is 0 anyway
        for side in ("left", "right"):
            swivel = _knee_swivel_for_fppa(pose, body, side, p * sq.knee_valgus_deg)
            pose = replace(pose, **{f"{side}_leg": replace(pose.leg(side), knee_swivel_deg=swivel)})
    return pose


# ----------------------------------------------------------------------------- lunge and split squat


@dataclass(frozen=True)
class Lunge:
    """Forward lunge (step out, down, up, step back) or split squat (feet stay apart).

    Parameters
    ----------
    kind : {"forward", "split"}
    lead_side : {"left", "right"}
        The front leg.
    depth_deg : float
        Knee flexion of the front leg at the bottom (3D, exact).
    step_length_m : float
        Fore-aft distance between the heels in the split stance; default 0.5 x height.
    trunk_lean_deg : float
        ``trunk_lean`` at the bottom (solved by pelvic tilt).
    pelvic_drop_deg : float
        Pelvic obliquity at the bottom, the rear leg's side dropping.
    step_s, descent_s, pause_bottom_s, ascent_s, pause_top_s : float
    reps : int
    lead_in_s : float
    heading_deg : float
    arms : {"hanging", "hips"}
        Arms hanging at the sides, or hands on the hips (each wrist resting on the side of the pelvis at the
        iliac crests' height, elbows out and back, following the pelvis), as clinicians often ask in
        single-leg tests.
    """

    kind: Literal["forward", "split"] = "forward"
    lead_side: Side = "left"
    depth_deg: float = 85.0
    step_length_m: float | None = None
    trunk_lean_deg: float = 8.0
    pelvic_drop_deg: float = 0.0
    step_s: float = 0.7
    descent_s: float = 1.0
    pause_bottom_s: float = 0.3
    ascent_s: float = 1.0
    pause_top_s: float = 0.5
    reps: int = 2
    lead_in_s: float = 0.4
    heading_deg: float = 0.0
    arms: Literal["hanging", "hips"] = "hanging"
    name: str = field(default="lunge", init=False)

    def __post_init__(self) -> None:
        if self.arms not in ("hanging", "hips"):
            raise ConfigError(f"Lunge.arms must be 'hanging' or 'hips', got {self.arms!r}")
        if self.kind not in ("forward", "split"):
            raise ConfigError(f"Lunge.kind must be 'forward' or 'split', got {self.kind!r}")
        if self.lead_side not in ("left", "right"):
            raise ConfigError(f"Lunge.lead_side must be 'left' or 'right', got {self.lead_side!r}")
        _check("depth_deg", self.depth_deg, 10.0, 120.0)
        _check("trunk_lean_deg", self.trunk_lean_deg, -10.0, 50.0)
        _check("pelvic_drop_deg", self.pelvic_drop_deg, -15.0, 15.0)
        _check("reps", self.reps, 1, 50)
        if self.step_length_m is not None:
            _check("step_length_m", self.step_length_m, 0.3, 1.3)

    @property
    def rear_side(self) -> Side:
        return "right" if self.lead_side == "left" else "left"

    @property
    def _phases(self) -> tuple[float, ...]:
        step = self.step_s if self.kind == "forward" else 0.0
        return (step, self.descent_s, self.pause_bottom_s, self.ascent_s, step, self.pause_top_s)

    @property
    def duration_s(self) -> float:
        return self.lead_in_s + self.reps * sum(self._phases)

    def step_length(self, body: BodyProportions) -> float:
        return self.step_length_m if self.step_length_m is not None else 0.5 * body.height_m

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        rep, phase, frac = _phase_of_reps(t_s, self.lead_in_s, self._phases, self.reps)
        split = self.kind == "split"
        if rep < 0:
            step, p = (1.0 if split else 0.0), 0.0
        else:
            step = 1.0 if split else (_ease(frac), 1.0, 1.0, 1.0, 1.0 - _ease(frac), 0.0)[phase]
            p = (0.0, _ease(frac), 1.0, 1.0 - _ease(frac), 0.0, 0.0)[phase]
        airborne = (not split) and rep >= 0 and phase in (0, 4) and 0.0 < frac < 1.0
        pose = _lunge_pose(self, step, p, airborne, body)
        lead_on = not airborne
        left_on = lead_on if self.lead_side == "left" else True
        right_on = lead_on if self.lead_side == "right" else True
        return MotionSample(pose, left_on, right_on)

    def events(self, body: BodyProportions) -> list[Event]:
        out = []
        ph = self._phases
        for rep in range(self.reps):
            t0 = self.lead_in_s + rep * sum(ph)
            out += [
                Event("rep_start", None, t0),
                Event("rep_bottom", None, t0 + ph[0] + ph[1] + 0.5 * ph[2]),
                Event("rep_end", None, t0 + sum(ph[:5])),
            ]
        return out

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        return Scene(tuple(_world(self.heading_deg, 0.5 * self.step_length(body), 0.0, 0.5 * h)), 1.5 * h, 1.2 * h)


def _lunge_feet(lg: Lunge, step: float, body: BodyProportions) -> dict[str, tuple]:
    """Front foot contact (heel ball) as the step progresses from 0 (feet together) to 1 (split stance)."""
    hw = 0.5 * body.hip_width_frac * body.height_m + 0.01
    sign = {"left": -1.0, "right": 1.0}
    lead_x = step * lg.step_length(body)
    return {lg.lead_side: (lead_x, sign[lg.lead_side] * hw), lg.rear_side: (0.0, sign[lg.rear_side] * hw)}


def _rear_leg(
    lg: Lunge, pose: Pose, body: BodyProportions, *, contact: tuple, knee_deg: float, min_pitch_deg: float
) -> LegPose:
    """Rear foot rolled onto its toes by ``min_pitch_deg``, or more if needed for the rear knee to flex at least
    ``knee_deg`` (bisection)."""
    side = lg.rear_side
    flat = place_foot(body, side=side, contact_xz_m=(0.0, 0.0), pitch_deg=0.0, yaw_deg=5.0)
    sign = -1.0 if side == "left" else 1.0
    toe_flat = np.array(flat) + rot_y(sign * 5.0) @ _shoe_balls(body)[1]
    toe_w = _world(lg.heading_deg, contact[0] + toe_flat[0], contact[1] + toe_flat[2])
    hip = hip_joint_m(pose, body, side)
    want = leg_reach_m(body, knee_deg)
    lo, hi = 0.0, 80.0

    def leg(pitch: float) -> LegPose:
        ankle = place_foot(
            body,
            side=side,
            contact_xz_m=(toe_w[0], toe_w[2]),
            pitch_deg=pitch,
            yaw_deg=5.0,
            heading_deg=lg.heading_deg,
            pivot="toe",
        )
        return LegPose(ankle_m=ankle, foot_pitch_deg=pitch, foot_yaw_deg=5.0)

    if np.linalg.norm(np.asarray(leg(min_pitch_deg).ankle_m) - hip) <= want:
        return leg(min_pitch_deg)
    lo = min_pitch_deg
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if np.linalg.norm(np.asarray(leg(mid).ankle_m) - hip) > want:
            lo = mid
        else:
            hi = mid
    return leg(hi)


def _lunge_pose(lg: Lunge, step: float, p: float, airborne: bool, body: BodyProportions) -> Pose:
    feet = _lunge_feet(lg, step, body)
    lead, rear = lg.lead_side, lg.rear_side
    fx, fz = feet[lead]
    lead_w = _world(lg.heading_deg, fx, fz)
    lead_ankle = np.array(
        place_foot(
            body, side=lead, contact_xz_m=(lead_w[0], lead_w[2]), pitch_deg=0.0, yaw_deg=5.0, heading_deg=lg.heading_deg
        )
    )
    if airborne:
        lead_ankle[1] += 0.08 * body.u * math.sin(math.pi * step)
    lead_leg = LegPose(ankle_m=tuple(float(v) for v in lead_ankle), foot_yaw_deg=5.0)
    k_top, shank_lean = 4.0, 6.0
    knee = _lerp(k_top, lg.depth_deg, p)
    a, k = math.radians(p * shank_lean), math.radians(knee)
    dx_bottom = body.shank_m * math.sin(a) - body.thigh_m * math.sin(k - a)
    x_top = 0.5 * fx
    fwd_lead = (
        fx
        + float(lead_ankle @ _heading_vectors(lg.heading_deg)[0])
        - float(lead_w @ _heading_vectors(lg.heading_deg)[0])
    )
    x = _lerp(x_top, fwd_lead + dx_bottom, p)
    centre = _world(lg.heading_deg, x, 0.0)
    drop_sign = 1.0 if rear == "right" else -1.0
    rear_w = _world(lg.heading_deg, *feet[rear])
    rear_flat = LegPose(
        ankle_m=place_foot(
            body, side=rear, contact_xz_m=(rear_w[0], rear_w[2]), pitch_deg=0.0, yaw_deg=5.0, heading_deg=lg.heading_deg
        ),
        foot_yaw_deg=5.0,
    )
    legs = {lead: lead_leg, rear: rear_flat}
    pose = Pose(
        pelvis_m=(float(centre[0]), 0.0, float(centre[2])),
        heading_deg=lg.heading_deg,
        left_leg=legs["left"],
        right_leg=legs["right"],
        pelvic_tilt_deg=NEUTRAL_TILT_DEG + p * lg.trunk_lean_deg,
        pelvic_obliquity_deg=drop_sign * p * lg.pelvic_drop_deg,
        lumbar_extension_deg=lumbar_for_lordosis(body, NEUTRAL_LORDOSIS_DEG),
        lumbar_lateral_deg=drop_sign * p * lg.pelvic_drop_deg,
        left_arm=ArmPose(shoulder_flexion_deg=5.0),
        right_arm=ArmPose(shoulder_flexion_deg=5.0),
    )
    if step > 0.999:
        y = _pelvis_y_for_leg(pose, body, lead, knee)
    else:  # stepping: the pelvis height moves from standing to the split-stance top
        stand = _pelvis_y_for_leg(pose, body, rear, 1.0)
        y = _lerp(stand, _split_top_y(lg, body), _ease(step))
    pose = _with_pelvis_y(pose, y)
    rear_pitch = _lerp(0.0, 25.0, step) + p * 30.0 if lg.kind == "forward" else 25.0 + p * 30.0
    pose = replace(
        pose, **{f"{rear}_leg": _rear_leg(lg, pose, body, contact=feet[rear], knee_deg=5.0, min_pitch_deg=rear_pitch)}
    )
    pose = _solve_lean_by_pelvis(pose, body, p * lg.trunk_lean_deg)
    return _hands_on_hips(pose, body) if lg.arms == "hips" else pose


def _hands_on_hips(pose: Pose, body: BodyProportions) -> Pose:
    """``pose`` with each wrist on the side of the pelvis at the iliac crests' height (pelvis frame
    ``y = 0.14`` height/1.75, just outside the rendered pelvis's half width ``0.17`` girth units), the elbow
    pointing out and back; the hands follow the pelvis's drop and tilt."""
    fig = forward_kinematics(pose, body)
    rp, origin = fig.frames["pelvis"]
    u, g = body.u, body.girth * body.u
    placed = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        wrist = origin + rp @ np.array([0.0, 0.14 * u, sign * (0.17 * g + 0.035 * u)])
        pole = fig.heading @ np.array([-0.6, 0.0, sign * 1.0])
        placed[f"{side}_arm"] = ArmPose(
            wrist_m=tuple(float(v) for v in wrist), elbow_pole=tuple(float(v) for v in pole)
        )
    return replace(pose, **placed)


def _split_top_y(lg: Lunge, body: BodyProportions) -> float:
    """Pelvis height at the top of the split stance."""
    return _lunge_pose(lg, 1.0, 0.0, False, body).pelvis_m[1]


# ----------------------------------------------------------------------------- gait


#: Heel-rocker defaults (:class:`Gait`): the heel lands at 0.8 of the walking speed and slides 4 cm on soft
#: ground, between a firm floor's slip of 1-2 cm and the real demo walk on grass (heel read by eye moving
#: 6-10 cm after contact, landing at about the walking speed: tests/data/demo_walk_contacts.json), and the
#: foot is flat 0.1 s after contact (the loading response's heel rocker).
HEEL_STRIKE_SPEED_FRAC = 0.8
HEEL_SLIDE_M = 0.04
FOOT_FLAT_S = 0.1


@dataclass(frozen=True)
class Gait:
    """Walking overground across the picture, or on a treadmill.

    The feet are placed by a footstep plan (heel strike with the toes up, foot flat, heel rise rolling on the
    toes, toe-off, swing) and the legs follow by inverse kinematics, so a stance foot never slides.

    Parameters
    ----------
    cadence_spm : float
        Steps per minute.
    step_length_m : float
        Mean step length (half a stride).
    stance_fraction : float
        Stance as a fraction of the gait cycle (about 0.6 in walking).
    hip_extension_deg : float
        Peak thigh extension behind the vertical at terminal stance (``-min(thigh_angle)``), met by where the
        feet land relative to the pelvis.
    pelvic_drop_deg : float
        Peak pelvic obliquity in single support, the swing side dropping.
    pelvic_tilt_deg, pelvic_tilt_range_deg : float
        Mean anterior pelvic tilt and its peak-to-peak range (two cycles per stride).
    pelvic_rotation_deg : float
        Amplitude of the pelvis' transverse rotation.
    asymmetry_pct : float
        Step-time asymmetry index ``2 (L - R) / (L + R) x 100`` (L: the left step time, ending at left initial
        contact).
    step_width_m : float
    arm_swing_deg : float
    trunk_lean_deg : float
    treadmill : bool
        Walk in place on a belt instead of across the picture.
    duration_s : float
    heading_deg : float
    start_m : float
        Where the pelvis starts along the heading (overground); default: so the walk is centred on 0.
    heel_rocker : bool
        Heel-rocker foot contact, as real heels land (off by default, so tables rendered before it stay
        reproducible): the heel lands still moving forward at ``heel_strike_speed_frac`` of the walking speed,
        slides ``heel_slide_m`` while the ground stops it (soft ground; the speed falls linearly to zero) and
        the foot flattens over ``foot_flat_s``. Off, the swing ends with the heel at rest on the spot where
        the foot stays and the foot flattens over 12 % of the cycle. Initial contact (the truth) is the
        instant the heel touches the floor in both.
    heel_strike_speed_frac, heel_slide_m, foot_flat_s : float
        The heel rocker's landing speed (fraction of the walking speed), slide (m) and flattening time (s).
    """

    cadence_spm: float = 108.0
    step_length_m: float = 0.62
    stance_fraction: float = 0.61
    hip_extension_deg: float = 15.0
    pelvic_drop_deg: float = 4.0
    pelvic_tilt_deg: float = NEUTRAL_TILT_DEG
    pelvic_tilt_range_deg: float = 3.0
    pelvic_rotation_deg: float = 4.0
    asymmetry_pct: float = 0.0
    step_width_m: float = 0.16
    arm_swing_deg: float = 18.0
    trunk_lean_deg: float = 3.0
    treadmill: bool = False
    duration_s: float = 3.0
    heading_deg: float = 0.0
    start_m: float | None = None
    heel_rocker: bool = False
    heel_strike_speed_frac: float = HEEL_STRIKE_SPEED_FRAC
    heel_slide_m: float = HEEL_SLIDE_M
    foot_flat_s: float = FOOT_FLAT_S
    name: str = field(default="gait", init=False)

    def __post_init__(self) -> None:
        _check("cadence_spm", self.cadence_spm, 40.0, 160.0)
        _check("heel_strike_speed_frac", self.heel_strike_speed_frac, 0.0, 1.5)
        _check("heel_slide_m", self.heel_slide_m, 0.0, 0.1)
        _check("foot_flat_s", self.foot_flat_s, 0.02, 0.3)
        _check("step_length_m", self.step_length_m, 0.2, 1.0)
        _check("stance_fraction", self.stance_fraction, 0.5, 0.75)
        _check("hip_extension_deg", self.hip_extension_deg, 0.0, 30.0)
        _check("pelvic_drop_deg", self.pelvic_drop_deg, -5.0, 15.0)
        _check("asymmetry_pct", self.asymmetry_pct, -40.0, 40.0)
        _check("duration_s", self.duration_s, 0.2, 120.0)

    @property
    def stride_s(self) -> float:
        return 120.0 / self.cadence_spm

    @property
    def speed_m_s(self) -> float:
        return 2.0 * self.step_length_m / self.stride_s

    @property
    def walk_length_m(self) -> float:
        return 0.0 if self.treadmill else self.speed_m_s * self.duration_s

    def _start(self) -> float:
        return -0.5 * self.walk_length_m if self.start_m is None else self.start_m

    def _ic_offset(self, side: Side) -> float:
        """Time of the first initial contact of ``side`` (left at 0, right one right-step later)."""
        right_step = 0.5 * self.stride_s * (1.0 - self.asymmetry_pct / 200.0)
        return 0.0 if side == "left" else right_step

    def initial_contacts(self, side: Side) -> list[float]:
        """Times of ``side``'s initial contacts from one stride before the clip to one after."""
        t0, T = self._ic_offset(side), self.stride_s
        k0 = math.floor(-t0 / T) - 1
        k1 = math.ceil((self.duration_s - t0) / T) + 1
        return [t0 + k * T for k in range(k0, k1 + 1)]

    def pelvis_fwd(self, t_s: float) -> float:
        return self._start() + self.speed_m_s * t_s

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        ahead = _gait_foot_ahead(self, body)
        pose, contacts = _gait_pose(self, t_s, body, ahead)
        pose = _gait_upper_body(self, t_s, pose, body)
        return MotionSample(pose, contacts["left"], contacts["right"])

    def events(self, body: BodyProportions) -> list[Event]:
        out = []
        for side in ("left", "right"):
            for t_ic in self.initial_contacts(side):
                for name, t in (("initial_contact", t_ic), ("toe_off", t_ic + self.stance_fraction * self.stride_s)):
                    if 0.0 <= t <= self.duration_s + 1e-9:
                        out.append(Event(name, side, round(t, 9)))
        return sorted(out, key=lambda e: e.time_s)

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        if self.treadmill:
            deck = Prop(tuple(_world(self.heading_deg, 0.0, 0.0, -0.06)), (1.8, 0.12, 0.75), (70, 70, 78))
            return Scene(tuple(_world(self.heading_deg, 0.0, 0.0, 0.48 * h)), 1.3 * h, 1.25 * h, (deck,))
        centre = self._start() + 0.5 * self.walk_length_m
        return Scene(tuple(_world(self.heading_deg, centre, 0.0, 0.5 * h)), self.walk_length_m + 1.0 * h, 1.25 * h)


_GAIT_MIN_KNEE_DEG = 3.0  # no leg is straighter than this while walking


def _gait_pelvis(g: Gait, t_s: float) -> dict[str, float]:
    """Pelvis angles at ``t_s`` from the left leg's phase."""
    T = g.stride_s
    phi = ((t_s - g._ic_offset("left")) / T) % 1.0
    tilt = g.pelvic_tilt_deg + 0.5 * g.pelvic_tilt_range_deg * math.cos(4 * math.pi * (phi - 0.5))
    rotation = -g.pelvic_rotation_deg * math.cos(2 * math.pi * phi)
    obliquity = 0.0
    for side, sign in (("left", 1.0), ("right", -1.0)):  # the stance side's hip is the higher one
        t_ic = g._ic_offset(side)
        other = g._ic_offset("right" if side == "left" else "left")
        start = ((other - t_ic) / T + g.stance_fraction - 1.0) % 1.0  # contralateral toe-off
        end = ((other - t_ic) / T) % 1.0  # contralateral initial contact
        ph = ((t_s - t_ic) / T) % 1.0
        if start < ph < end:
            obliquity += sign * g.pelvic_drop_deg * math.sin(math.pi * (ph - start) / (end - start))
    return {"tilt": tilt, "rotation": rotation, "obliquity": obliquity}


def _foot_state(g: Gait, side: Side, t_s: float, body: BodyProportions, ahead_m: float) -> tuple[LegPose, bool]:
    """The foot of ``side`` at ``t_s``: its leg target and whether it is in stance."""
    T, s = g.stride_s, g.stance_fraction
    ics = g.initial_contacts(side)
    k = max(i for i, t in enumerate(ics) if t <= t_s + 1e-12)
    phi = (t_s - ics[k]) / T
    lateral = (-1.0 if side == "left" else 1.0) * 0.5 * g.step_width_m
    yaw = 6.0

    sign = 1.0 if side == "left" else -1.0
    toe_offset = rot_y(sign * yaw) @ (_shoe_balls(body)[1] - _shoe_balls(body)[0])

    def stance_leg(i: int, ph: float) -> LegPose:
        ic_pitch, heel_off, to_pitch = -16.0, 0.38, 50.0
        fwd, lat, pivot = g.pelvis_fwd(ics[i]) + ahead_m, lateral, "heel"
        flat = g.foot_flat_s / T if g.heel_rocker else 0.12
        if g.heel_rocker:
            fwd += _heel_slid_m(g, ph * T) - g.heel_slide_m
        if ph < flat:
            pitch = ic_pitch * (1 - _ease(ph / flat))
        elif ph < heel_off:
            pitch = 0.0
        else:
            pitch = to_pitch * _ease((ph - heel_off) / (s - heel_off)) ** 1.3
            fwd, lat, pivot = fwd + float(toe_offset[0]), lat + float(toe_offset[2]), "toe"
        w = _world(g.heading_deg, fwd, lat)
        ankle = place_foot(
            body,
            side=side,
            contact_xz_m=(w[0], w[2]),
            pitch_deg=pitch,
            yaw_deg=yaw,
            heading_deg=g.heading_deg,
            pivot=pivot,
        )
        return LegPose(ankle_m=ankle, foot_pitch_deg=pitch, foot_yaw_deg=yaw)

    if phi < s:
        return stance_leg(k, phi), True
    start, end = stance_leg(k, s), stance_leg(k + 1, 0.0)
    w = (phi - s) / (1.0 - s)
    m = 10 * w**3 - 15 * w**4 + 6 * w**5  # minimum jerk
    a0, a1 = np.asarray(start.ankle_m), np.asarray(end.ankle_m)
    ankle = a0 + (a1 - a0) * m
    if g.heel_rocker:  # lands moving: quintic Hermite term, zero at both ends, end velocity = the strike speed
        strike = _world(g.heading_deg, g.heel_strike_speed_frac * g.speed_m_s, 0.0)
        ankle += strike * (1.0 - s) * T * (-4 * w**3 + 7 * w**4 - 3 * w**5)
    reach = 1.0 if g.heel_rocker else 0.8  # the heel rocker's heel comes down to the floor at contact
    ankle[1] += 0.085 * body.u * math.sin(math.pi * min(w / reach, 1.0)) ** 2 * (1 - 0.3 * w)
    pitch = _lerp(start.foot_pitch_deg, end.foot_pitch_deg, _ease(min(w / 0.75, 1.0)))
    return LegPose(ankle_m=tuple(float(v) for v in ankle), foot_pitch_deg=pitch, foot_yaw_deg=yaw), False


def _heel_slid_m(g: Gait, t_s: float) -> float:
    """How far a heel-rocker heel has slid ``t_s`` after contact: it lands at the strike speed ``v``, which
    falls linearly to zero over ``2 heel_slide_m / v`` (then it has slid ``heel_slide_m``)."""
    v = g.heel_strike_speed_frac * g.speed_m_s
    if v <= 0.0 or g.heel_slide_m <= 0.0:
        return g.heel_slide_m
    stop_s = 2.0 * g.heel_slide_m / v
    t = min(max(t_s, 0.0), stop_s)
    return v * t - 0.5 * v * t * t / stop_s


def _gait_pose(g: Gait, t_s: float, body: BodyProportions, ahead_m: float) -> tuple[Pose, dict[str, bool]]:
    """Pelvis and legs at ``t_s`` (upper body neutral)."""
    legs, contacts = {}, {}
    for side in ("left", "right"):
        legs[side], contacts[side] = _foot_state(g, side, t_s, body, ahead_m)
    ang = _gait_pelvis(g, t_s)
    T = g.stride_s
    centre = _world(g.heading_deg, g.pelvis_fwd(t_s), 0.012 * math.sin(2 * math.pi * (t_s / T)))
    pose = Pose(
        pelvis_m=(float(centre[0]), 0.0, float(centre[2])),
        left_leg=legs["left"],
        right_leg=legs["right"],
        heading_deg=g.heading_deg,
        pelvic_tilt_deg=ang["tilt"],
        pelvic_obliquity_deg=ang["obliquity"],
        pelvic_rotation_deg=ang["rotation"],
    )
    nominal = _gait_top_height(g, body)
    phase2 = math.cos(4 * math.pi * ((t_s - g._ic_offset("left")) / T - 0.3))
    y = nominal - 0.02 * body.u * (0.5 - 0.5 * phase2)
    for side in ("left", "right"):
        y = min(y, _pelvis_y_for_leg(pose, body, side, _GAIT_MIN_KNEE_DEG))
    pose = _with_pelvis_y(pose, y)
    if g.treadmill:
        pose = _shift_fwd(pose, g, -g.speed_m_s * t_s - g._start())
    return pose, contacts


def _gait_top_height(g: Gait, body: BodyProportions) -> float:
    """Pelvis height at mid-stance: the stance leg under the hip with its knee at 12 degrees."""
    lateral = 0.5 * g.step_width_m - 0.5 * body.hip_width_frac * body.height_m
    reach = leg_reach_m(body, 12.0)
    return body.ankle_height_m + math.sqrt(reach * reach - lateral * lateral)


def _shift_fwd(pose: Pose, g: Gait, d_m: float) -> Pose:
    shift = _world(g.heading_deg, d_m, 0.0)

    def moved(p: tuple) -> tuple:
        return tuple(float(v) for v in np.asarray(p) + shift)

    return replace(
        pose,
        pelvis_m=moved(pose.pelvis_m),
        left_leg=replace(pose.left_leg, ankle_m=moved(pose.left_leg.ankle_m)),
        right_leg=replace(pose.right_leg, ankle_m=moved(pose.right_leg.ankle_m)),
    )


def _gait_upper_body(g: Gait, t_s: float, pose: Pose, body: BodyProportions) -> Pose:
    """Spine, arms and head: lordosis follows tilt, shoulders counter-rotate, arms swing against the legs."""
    phi = ((t_s - g._ic_offset("left")) / g.stride_s) % 1.0
    lordosis = NEUTRAL_LORDOSIS_DEG + 0.5 * (pose.pelvic_tilt_deg - g.pelvic_tilt_deg)
    swing = g.arm_swing_deg * math.cos(2 * math.pi * phi)
    pose = replace(
        pose,
        lumbar_extension_deg=lumbar_for_lordosis(body, round(lordosis, 4)),
        lumbar_lateral_deg=pose.pelvic_obliquity_deg,
        thoracic_rotation_deg=-1.6 * pose.pelvic_rotation_deg,
        left_arm=ArmPose(
            shoulder_flexion_deg=-swing, shoulder_abduction_deg=8.0, elbow_flexion_deg=18.0 + max(-swing, 0.0) * 0.8
        ),
        right_arm=ArmPose(
            shoulder_flexion_deg=swing, shoulder_abduction_deg=8.0, elbow_flexion_deg=18.0 + max(swing, 0.0) * 0.8
        ),
    )
    return _solve_trunk_by_thorax(pose, body, g.trunk_lean_deg, 0.0)


def _min_thigh_angle(g: Gait, body: BodyProportions, ahead_m: float) -> float:
    """Least ``thigh_angle`` of the left leg over one stride (legs and pelvis only)."""
    from movelab.synth.truth import sagittal_2d

    worst = 90.0
    T = g.stride_s
    for t in np.linspace(0.3 * T, 0.75 * T, 24):
        pose, _ = _gait_pose(g, float(t), body, ahead_m)
        fig = forward_kinematics(pose, body)
        p = sagittal_2d({k: fig.points[k] for k in ("left_hip", "left_knee")}, fig.heading)
        thigh = p["left_knee"] - p["left_hip"]
        worst = min(worst, math.degrees(math.atan2(thigh[0], -thigh[1])))
    return worst


_AHEAD_CACHE: dict = {}


def _gait_foot_ahead(g: Gait, body: BodyProportions) -> float:
    """How far ahead of the pelvis the heel lands, so that peak thigh extension is ``hip_extension_deg``."""
    key = (replace(g, duration_s=10.0, treadmill=False, start_m=0.0), body)
    if key not in _AHEAD_CACHE:
        probe = key[0]
        lo, hi = -0.2 * g.step_length_m, 1.2 * g.step_length_m
        for _ in range(22):
            mid = 0.5 * (lo + hi)
            if -_min_thigh_angle(probe, body, mid) > g.hip_extension_deg:
                lo = mid
            else:
                hi = mid
        _AHEAD_CACHE[key] = 0.5 * (lo + hi)
    return _AHEAD_CACHE[key]


# ----------------------------------------------------------------------------- standing posture


@dataclass(frozen=True)
class Posture:
    """Standing still, or slowly tilting the pelvis with the trunk upright, or swaying the trunk.

    Parameters
    ----------
    pelvic_tilt_deg : float
        Mean anterior pelvic tilt (ASIS-PSIS against horizontal).
    lordosis_deg : float
        Mean lumbar lordosis (back-surface angle).
    trunk_lean_deg : float
        Mean ``trunk_lean`` (kept by the upper thorax, the pelvis stays put).
    tilt_amplitude_deg : float
        Amplitude of a slow pelvic tilt oscillation with the trunk kept at ``trunk_lean_deg``.
    lordosis_per_tilt : float
        Change of lordosis per degree of that tilt (coupling; 0 keeps lordosis constant).
    sway_amplitude_deg : float
        Amplitude of a trunk sway (``trunk_lean``) with the pelvis held still.
    period_s : float
        Period of the tilt oscillation; the sway uses 1.3 times it.
    duration_s : float
    heading_deg : float
    arms : {"hanging", "folded", "forward"}
        Arms hanging at the sides, folded across the chest (hands on the other side's upper arm), or held
        forward at shoulder height; folded and forward arms follow the thorax.
    thoracic_bend_deg : float
        The figure's thoracic kyphosis joint (forward bend of the upper thorax on the mid thorax); 30 is the
        neutral figure. The trunk is kept at ``trunk_lean_deg`` by the thorax below it.
    forward_head_deg : float or None
        Forward head: the shoulder→ear line's angle forward of vertical (``forward_head`` of
        :mod:`movelab.synth.truth_chain`), met by turning the neck forward with the gaze kept; None: the
        neutral neck.
    pelvic_obliquity_deg : float
        The pelvis' frontal tilt, left hip higher positive; the leg under the higher hip stays straight and the
        other bends its knee to keep both feet down.
    lateral_lean_deg : float
        ``trunk_lateral_lean`` (towards the left positive), kept by the thorax over the pelvis.
    knee_hyperextension_deg : float
        Both knees bent backwards by this much (genu recurvatum); 0: the neutral 1° of flexion.
    """

    pelvic_tilt_deg: float = NEUTRAL_TILT_DEG
    lordosis_deg: float = NEUTRAL_LORDOSIS_DEG
    trunk_lean_deg: float = 0.0
    tilt_amplitude_deg: float = 0.0
    lordosis_per_tilt: float = 0.0
    sway_amplitude_deg: float = 0.0
    period_s: float = 4.0
    duration_s: float = 4.0
    heading_deg: float = 0.0
    arms: Literal["hanging", "folded", "forward"] = "hanging"
    thoracic_bend_deg: float = 30.0
    forward_head_deg: float | None = None
    pelvic_obliquity_deg: float = 0.0
    lateral_lean_deg: float = 0.0
    knee_hyperextension_deg: float = 0.0
    name: str = field(default="posture", init=False)

    def __post_init__(self) -> None:
        _check("pelvic_tilt_deg", self.pelvic_tilt_deg, -20.0, 40.0)
        _check("lordosis_deg", self.lordosis_deg, -30.0, 60.0)
        _check("tilt_amplitude_deg", self.tilt_amplitude_deg, 0.0, 20.0)
        _check("sway_amplitude_deg", self.sway_amplitude_deg, 0.0, 30.0)
        _check("period_s", self.period_s, 0.5, 60.0)
        _check("duration_s", self.duration_s, 0.2, 120.0)
        if self.arms not in ("hanging", "folded", "forward"):
            raise ConfigError(f"arms must be 'hanging', 'folded' or 'forward', got {self.arms!r}")
        _check("thoracic_bend_deg", self.thoracic_bend_deg, 0.0, 80.0)
        _check("pelvic_obliquity_deg", self.pelvic_obliquity_deg, -15.0, 15.0)
        _check("lateral_lean_deg", self.lateral_lean_deg, -20.0, 20.0)
        _check("knee_hyperextension_deg", self.knee_hyperextension_deg, 0.0, 30.0)
        if self.forward_head_deg is not None:
            _check("forward_head_deg", self.forward_head_deg, -10.0, 60.0)

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        w = math.sin(2 * math.pi * t_s / self.period_s)
        tilt = self.pelvic_tilt_deg + self.tilt_amplitude_deg * w
        lordosis = self.lordosis_deg + self.lordosis_per_tilt * (tilt - self.pelvic_tilt_deg)
        lean = self.trunk_lean_deg + self.sway_amplitude_deg * math.sin(2 * math.pi * t_s / (1.3 * self.period_s))
        pose = _standing(body, self.heading_deg, tilt, lordosis)
        if self.thoracic_bend_deg != 30.0:
            pose = replace(pose, thoracic_bend_deg=self.thoracic_bend_deg)
        if self.knee_hyperextension_deg:
            pose = _hyperextended(pose, body, self.knee_hyperextension_deg)
        if self.pelvic_obliquity_deg:
            high = "left" if self.pelvic_obliquity_deg > 0 else "right"
            pose = replace(pose, pelvic_obliquity_deg=self.pelvic_obliquity_deg)
            pose = _with_pelvis_y(pose, _pelvis_y_for_leg(pose, body, high, 1.0))
        pose = _solve_trunk_by_thorax(pose, body, lean, self.lateral_lean_deg)
        if self.forward_head_deg is not None:
            pose = _solve_forward_head(pose, body, self.forward_head_deg)
        return MotionSample(_placed_arms(pose, body, self.arms), True, True)

    def events(self, body: BodyProportions) -> list[Event]:
        return []

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        return Scene(tuple(_world(self.heading_deg, 0.0, 0.0, 0.5 * h)), 0.9 * h, 1.2 * h)


def _hyperextended(pose: Pose, body: BodyProportions, hyperextension_deg: float) -> Pose:
    """Both knees bent backwards by ``hyperextension_deg`` (knee pole behind the leg, pelvis lowered to the
    reach of a leg bent that much)."""
    back = tuple(float(v) for v in -_heading_vectors(pose.heading_deg)[0])
    pose = replace(
        pose,
        left_leg=replace(pose.left_leg, knee_pole=back),
        right_leg=replace(pose.right_leg, knee_pole=back),
    )
    return _with_pelvis_y(pose, _pelvis_y_for_leg(pose, body, "left", hyperextension_deg))


def _solve_forward_head(pose: Pose, body: BodyProportions, target_deg: float) -> Pose:
    """Turn the neck forward (``neck_forward_deg``) until the shoulder→ear line leans ``target_deg`` (secant)."""
    from movelab.synth.truth_chain import forward_head_deg

    def angle(p: Pose) -> float:
        fig = forward_kinematics(p, body)
        return forward_head_deg(fig.points, fig.heading)

    a0, x0 = angle(pose), pose.neck_forward_deg
    x1 = x0 + 5.0
    a1 = angle(replace(pose, neck_forward_deg=x1))
    for _ in range(8):
        if abs(a1 - target_deg) < 1e-3 or a1 == a0:
            break
        x0, x1 = x1, x1 + (target_deg - a1) * (x1 - x0) / (a1 - a0)
        a0, a1 = a1, angle(replace(pose, neck_forward_deg=x1))
    return replace(pose, neck_forward_deg=x1)


def _placed_arms(pose: Pose, body: BodyProportions, arms: str) -> Pose:
    """``pose`` with its arms hanging (unchanged), folded across the chest or held forward, in the thorax's frame."""
    if arms == "hanging":
        return pose
    fig = forward_kinematics(pose, body)
    r_up = fig.frames["thorax_upper"][0]
    placed = {}
    for side, other in (("left", "right"), ("right", "left")):
        sh, sh_other = fig.points[f"{side}_shoulder"], fig.points[f"{other}_shoulder"]
        if arms == "folded":  # the hand rests on the other arm, in front of the chest
            wrist = sh_other + r_up @ np.array([0.16, -0.20, 0.0]) * body.u
            pole = r_up @ np.array([0.4, -1.0, 0.0])
        else:  # forward: straight ahead at shoulder height, elbows slightly bent
            wrist = sh + r_up @ np.array([0.98, 0.0, 0.0]) * (body.upper_arm_m + body.forearm_m) * 0.97
            pole = r_up @ np.array([0.0, -1.0, 0.0])
        placed[f"{side}_arm"] = ArmPose(
            wrist_m=tuple(float(v) for v in wrist), elbow_pole=tuple(float(v) for v in pole)
        )
    return replace(pose, **placed)


def _standing(
    body: BodyProportions,
    heading_deg: float,
    tilt_deg: float,
    lordosis_deg: float,
    *,
    stance_width_m: float = 0.22,
    knee_deg: float = 1.0,
) -> Pose:
    legs = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        w = _world(heading_deg, 0.0, sign * 0.5 * stance_width_m)
        legs[side] = LegPose(
            ankle_m=place_foot(
                body, side=side, contact_xz_m=(w[0], w[2]), pitch_deg=0.0, yaw_deg=8.0, heading_deg=heading_deg
            ),
            foot_yaw_deg=8.0,
        )
    heel_to_ankle = -_shoe_balls(body)[0][0]
    centre = _world(heading_deg, heel_to_ankle, 0.0)
    pose = Pose(
        pelvis_m=(float(centre[0]), 0.0, float(centre[2])),
        left_leg=legs["left"],
        right_leg=legs["right"],
        heading_deg=heading_deg,
        pelvic_tilt_deg=tilt_deg,
        lumbar_extension_deg=lumbar_for_lordosis(body, round(lordosis_deg, 6)),
    )
    return _with_pelvis_y(pose, _pelvis_y_for_leg(pose, body, "left", knee_deg))


# ----------------------------------------------------------------------------- Thomas test


@dataclass(frozen=True)
class ThomasTest:
    """Modified Thomas test: supine on a plinth, one knee hugged, the test leg lowered over the edge.

    The figure lies with its head towards -heading and its legs towards +heading, so the sagittal angles keep
    the definitions of ``docs/conventions.md`` in the figure's (heading, up) plane: the test thigh against
    horizontal is ``thigh_angle - 90`` (positive = above horizontal), and its knee angle is ``knee_flexion``.

    Parameters
    ----------
    test_side : {"left", "right"}
        The leg lowered over the edge.
    thigh_above_horizontal_deg : float
        Final test-thigh angle above horizontal (positive suggests short one-joint hip flexors).
    knee_flexion_deg : float
        Final test-knee flexion (below about 67 x ... see docs: less flexion suggests short rectus femoris).
    hug_hip_flexion_deg, hug_knee_flexion_deg : float
        The hugged leg (``hip_flexion`` against the trunk, and ``knee_flexion``).
    lordosis_deg : float
        Lumbar lordosis while lying (hugging a knee flattens it).
    lower_s : float
        Time to lower the test leg from the hugged position; the rest of ``duration_s`` is the hold.
    duration_s : float
    plinth_height_m : float
    heading_deg : float
    """

    test_side: Side = "left"
    thigh_above_horizontal_deg: float = -10.0
    knee_flexion_deg: float = 80.0
    hug_hip_flexion_deg: float = 120.0
    hug_knee_flexion_deg: float = 125.0
    lordosis_deg: float = 8.0
    lower_s: float = 1.5
    duration_s: float = 3.0
    plinth_height_m: float = 0.7
    heading_deg: float = 0.0
    name: str = field(default="thomas", init=False)

    def __post_init__(self) -> None:
        if self.test_side not in ("left", "right"):
            raise ConfigError(f"ThomasTest.test_side must be 'left' or 'right', got {self.test_side!r}")
        _check("thigh_above_horizontal_deg", self.thigh_above_horizontal_deg, -40.0, 40.0)
        _check("knee_flexion_deg", self.knee_flexion_deg, 0.0, 140.0)
        _check("hug_hip_flexion_deg", self.hug_hip_flexion_deg, 60.0, 140.0)
        _check("duration_s", self.duration_s, 0.2, 120.0)

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        w = _ease(t_s / self.lower_s) if self.lower_s > 0 else 1.0
        return MotionSample(_thomas_pose(self, w, body), False, False, self.plinth_height_m)

    def events(self, body: BodyProportions) -> list[Event]:
        return []

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        table = Prop(
            tuple(_world(self.heading_deg, -0.85, 0.0, 0.5 * self.plinth_height_m)),
            (1.9, self.plinth_height_m, 0.65),
            (120, 88, 70),
        )
        if abs(self.heading_deg) > 1e-9:
            raise ConfigError("ThomasTest supports heading_deg = 0 only (the plinth is axis-aligned)")
        return Scene(  # the figure spans about -0.5 h (head) to +0.5 h (hanging foot) around the plinth's end
            tuple(_world(self.heading_deg, -0.02 * h, 0.0, self.plinth_height_m + 0.1 * h)),
            1.2 * h,
            0.8 * h,
            (table,),
            self.plinth_height_m,
        )


def _sagittal_leg(
    hip: np.ndarray, heading_deg: float, thigh_deg: float, knee_deg: float, body: BodyProportions
) -> tuple[np.ndarray, np.ndarray]:
    """Knee and ankle of a leg whose thigh points ``thigh_deg`` above the heading, knee flexed ``knee_deg``."""
    fwd, _ = _heading_vectors(heading_deg)
    up = np.array([0.0, 1.0, 0.0])

    def direction(deg: float) -> np.ndarray:
        return math.cos(math.radians(deg)) * fwd + math.sin(math.radians(deg)) * up

    knee = hip + body.thigh_m * direction(thigh_deg)
    return knee, knee + body.shank_m * direction(thigh_deg - knee_deg)


def _thomas_pose(th: ThomasTest, w: float, body: BodyProportions) -> Pose:
    test, hug = th.test_side, ("right" if th.test_side == "left" else "left")
    pose = Pose(
        pelvis_m=(0.0, 1.0, 0.0),
        heading_deg=th.heading_deg,
        left_leg=LegPose(ankle_m=(0.5, 1.0, 0.0)),
        right_leg=LegPose(ankle_m=(0.5, 1.0, 0.0)),
        pelvic_tilt_deg=NEUTRAL_TILT_DEG - 90.0,
        lumbar_extension_deg=lumbar_for_lordosis(body, th.lordosis_deg),
        neck_flexion_deg=15.0,
    )
    pose = _level_back(_solve_lean_by_pelvis(pose, body, -90.0), body)
    # trunk horizontal: hip flexion of the hugged leg is measured from the trunk-down line, i.e. the heading
    legs = {}
    for side, thigh, knee in (
        (hug, th.hug_hip_flexion_deg, th.hug_knee_flexion_deg),
        (
            test,
            _lerp(th.hug_hip_flexion_deg, th.thigh_above_horizontal_deg, w),
            _lerp(th.hug_knee_flexion_deg, th.knee_flexion_deg, w),
        ),
    ):
        hip = hip_joint_m(pose, body, side)
        k, a = _sagittal_leg(hip, th.heading_deg, thigh, knee, body)
        legs[side] = LegPose(
            ankle_m=tuple(float(v) for v in a),
            foot_pitch_deg=None,
            ankle_plantarflexion_deg=20.0,
            knee_pole=tuple(float(v) for v in (k - hip)),
        )
    pose = replace(pose, left_leg=legs["left"], right_leg=legs["right"])
    fig = forward_kinematics(pose, body)
    knee = fig.points[f"{hug}_knee"]
    shin = fig.points[f"{hug}_ankle"] - knee
    arms = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        grip = knee + 0.25 * shin + _world(th.heading_deg, 0.0, sign * 0.06, 0.03)
        arms[side] = ArmPose(
            wrist_m=tuple(float(v) for v in grip),
            elbow_pole=tuple(float(v) for v in _world(th.heading_deg, 0.0, sign, 0.6)),
        )
    pose = replace(pose, left_arm=arms["left"], right_arm=arms["right"])
    return _rest_on(pose, body, th.plinth_height_m)


def _back_support(pose: Pose, body: BodyProportions) -> tuple[float, float]:
    """The line a rigid lying trunk would rest on: the lower hull edge of its drawn cross-sections under the
    trunk's middle, as ``(tilt_deg, lowest_y_m)``; tilt positive when the line rises towards the head."""
    from movelab.synth.render import _trunk_rings

    fig = forward_kinematics(pose, body)
    pts = np.vstack([ring for ring, _ in _trunk_rings(fig)])
    fwd, _ = _heading_vectors(pose.heading_deg)
    x, y = pts @ fwd, pts[:, 1]
    mid = float(
        0.5 * (fig.points["hip_mid"] + 0.5 * (fig.points["left_shoulder"] + fig.points["right_shoulder"])) @ fwd
    )
    order = np.argsort(x)
    chain: list[tuple[float, float]] = []
    for p in zip(x[order].tolist(), y[order].tolist()):
        while (
            len(chain) >= 2
            and (chain[-1][0] - chain[-2][0]) * (p[1] - chain[-2][1])
            - (chain[-1][1] - chain[-2][1]) * (p[0] - chain[-2][0])
            <= 0
        ):
            chain.pop()
        chain.append(p)
    for a, b in zip(chain[:-1], chain[1:]):
        if a[0] <= mid <= b[0] and b[0] > a[0]:
            return float(np.degrees(np.arctan2(a[1] - b[1], b[0] - a[0]))), float(y.min())
    return 0.0, float(y.min())


def _level_back(pose: Pose, body: BodyProportions) -> Pose:
    """Turn the trunk (and what hangs on it) about the hips until its drawn back would rest flat on a level
    surface: a body lying on a table touches it at the thorax and at the buttocks."""
    lean = _truth(pose, body)["trunk_lean"]
    tilt, _ = _back_support(pose, body)
    for _ in range(3):
        if abs(tilt) < 0.05:
            break
        pose = _solve_lean_by_pelvis(pose, body, lean - tilt)
        lean, tilt = lean - tilt, _back_support(pose, body)[0]
    return pose


def _rest_on(pose: Pose, body: BodyProportions, surface_y_m: float) -> Pose:
    """Lower or raise the whole figure until its back rests on a surface at ``surface_y_m``."""
    dy = surface_y_m - _back_support(pose, body)[1]
    pose = replace(pose, pelvis_m=(pose.pelvis_m[0], pose.pelvis_m[1] + dy, pose.pelvis_m[2]))
    for side in ("left", "right"):
        leg = pose.leg(side)
        moved = (leg.ankle_m[0], leg.ankle_m[1] + dy, leg.ankle_m[2])
        pose = replace(pose, **{f"{side}_leg": replace(leg, ankle_m=moved)})
        arm = pose.arm(side)
        if arm.wrist_m is not None:
            pose = replace(
                pose, **{f"{side}_arm": replace(arm, wrist_m=(arm.wrist_m[0], arm.wrist_m[1] + dy, arm.wrist_m[2]))}
            )
    return pose


MOTIONS: dict[str, type] = {"squat": Squat, "lunge": Lunge, "gait": Gait, "posture": Posture, "thomas": ThomasTest}
