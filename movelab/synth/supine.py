"""Supine tests on the floor: the active straight-leg raise (FMS ASLR).

The modified Thomas test (on a plinth) is :class:`movelab.synth.motions.ThomasTest`; this module adds the
straight-leg raise. The figure lies with its head towards -heading and its legs towards +heading, so the
sagittal angles keep the definitions of ``docs/conventions.md`` in the figure's (heading, up) plane: a thigh
against the horizontal surface is ``thigh_angle - 90`` (positive = raised).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from movelab.errors import ConfigError
from movelab.synth.motions import (
    NEUTRAL_TILT_DEG,
    Event,
    MotionSample,
    Scene,
    Side,
    _check,
    _ease,
    _level_back,
    _rest_on,
    _sagittal_leg,
    _solve_lean_by_pelvis,
    _world,
)
from movelab.synth.skeleton import (
    ArmPose,
    BodyProportions,
    LegPose,
    Pose,
    forward_kinematics,
    hip_joint_m,
    lumbar_for_lordosis,
)

__all__ = ["StraightLegRaise", "SUPINE_MOTIONS"]

#: Height of the rest leg's heel centre above the surface it lies on, in body units (``body.u``).
_HEEL_REST_U = 0.04


@dataclass(frozen=True)
class StraightLegRaise:
    """Active straight-leg raise (FMS ASLR): supine on the floor, one straight leg raised as far as it goes.

    Parameters
    ----------
    test_side : {"left", "right"}
        The raised leg.
    raise_deg : float
        Final raised-thigh angle above the surface (degrees; 90 = vertical).
    knee_flexion_deg : float
        Knee flexion of the raised leg at the top (0 = straight; FMS wants it straight).
    rest_lift_deg : float
        How far the other (rest) thigh lifts off the surface at the top (0 = stays down).
    lordosis_deg : float
        Lumbar lordosis while lying.
    rest_s, raise_s : float
        Time lying still before the raise, and the time the raise takes; the rest of ``duration_s`` is the
        hold at the top.
    duration_s : float
    surface_height_m : float
        Height of the surface the figure lies on (0: the floor; a plinth is drawn otherwise).
    heading_deg : float
        0 only (the plinth is axis-aligned).
    """

    test_side: Side = "left"
    raise_deg: float = 70.0
    knee_flexion_deg: float = 0.0
    rest_lift_deg: float = 0.0
    lordosis_deg: float = 20.0
    rest_s: float = 0.3
    raise_s: float = 1.0
    duration_s: float = 2.0
    surface_height_m: float = 0.0
    heading_deg: float = 0.0
    name: str = field(default="aslr", init=False)

    def __post_init__(self) -> None:
        if self.test_side not in ("left", "right"):
            raise ConfigError(f"StraightLegRaise.test_side must be 'left' or 'right', got {self.test_side!r}")
        _check("raise_deg", self.raise_deg, 0.0, 120.0)
        _check("knee_flexion_deg", self.knee_flexion_deg, 0.0, 90.0)
        _check("rest_lift_deg", self.rest_lift_deg, 0.0, 60.0)
        _check("duration_s", self.duration_s, 0.2, 120.0)
        _check("surface_height_m", self.surface_height_m, 0.0, 1.2)
        if abs(self.heading_deg) > 1e-9:
            raise ConfigError(f"StraightLegRaise supports heading_deg = 0 only, got {self.heading_deg!r}")

    def sample(self, t_s: float, body: BodyProportions) -> MotionSample:
        w = _ease((t_s - self.rest_s) / self.raise_s) if self.raise_s > 0 else 1.0
        return MotionSample(_aslr_pose(self, w, body), False, False, self.surface_height_m)

    def events(self, body: BodyProportions) -> list[Event]:
        return []

    def scene(self, body: BodyProportions) -> Scene:
        h = body.height_m
        props = ()
        if self.surface_height_m > 0:
            from movelab.synth.render import Prop

            props = (
                Prop(
                    tuple(_world(0.0, -0.2, 0.0, 0.5 * self.surface_height_m)),
                    (2.1, self.surface_height_m, 0.7),
                    (120, 88, 70),
                ),
            )
        return Scene(
            tuple(_world(0.0, -0.1 * h, 0.0, self.surface_height_m + 0.2 * h)),
            1.25 * h,
            0.75 * h,
            props,
            0.0,
        )


def _aslr_pose(sl: StraightLegRaise, w: float, body: BodyProportions) -> Pose:
    """The figure at raise progress ``w`` (0 lying, 1 at the top), resting on the surface."""
    pose = _supine_trunk(body, sl.lordosis_deg)
    rest_deg = _rest_leg_deg(pose, body, sl.surface_height_m)
    test = sl.test_side
    legs = {}
    for side in ("left", "right"):
        if side == test:
            thigh, knee = rest_deg + w * (sl.raise_deg - rest_deg), w * sl.knee_flexion_deg
        else:
            thigh, knee = rest_deg + w * sl.rest_lift_deg, 0.0
        legs[side] = _leg(pose, body, side, thigh, knee)
    pose = replace(pose, left_leg=legs["left"], right_leg=legs["right"])
    pose = _arms_at_sides(pose, body)
    return _rest_on(pose, body, sl.surface_height_m)


def _supine_trunk(body: BodyProportions, lordosis_deg: float) -> Pose:
    """A pose lying on its back (trunk horizontal, head towards -heading), legs straight along the heading."""
    pose = Pose(
        pelvis_m=(0.0, 1.0, 0.0),
        heading_deg=0.0,
        left_leg=LegPose(ankle_m=(0.5, 1.0, 0.0)),
        right_leg=LegPose(ankle_m=(0.5, 1.0, 0.0)),
        pelvic_tilt_deg=NEUTRAL_TILT_DEG - 90.0,
        lumbar_extension_deg=lumbar_for_lordosis(body, lordosis_deg),
        neck_flexion_deg=5.0,
    )
    return _level_back(_solve_lean_by_pelvis(pose, body, -90.0), body)


def _leg(pose: Pose, body: BodyProportions, side: Side, thigh_deg: float, knee_deg: float) -> LegPose:
    hip = hip_joint_m(pose, body, side)
    k, a = _sagittal_leg(hip, 0.0, thigh_deg, knee_deg, body)
    return LegPose(
        ankle_m=tuple(float(v) for v in a),
        foot_pitch_deg=None,
        ankle_plantarflexion_deg=10.0,
        knee_pole=tuple(float(v) for v in (k - hip) + np.array([0.0, 1e-3, 0.0])),
    )


def _rest_leg_deg(pose: Pose, body: BodyProportions, surface_y_m: float) -> float:
    """Thigh angle (negative: below horizontal) at which a straight leg's heel rests on the surface."""
    rested = _rest_on(pose, body, surface_y_m)
    hip_y = float(hip_joint_m(rested, body, "left")[1]) - surface_y_m
    drop = hip_y - _HEEL_REST_U * body.u
    return -math.degrees(math.asin(min(max(drop / (body.thigh_m + body.shank_m), 0.0), 0.5)))


def _arms_at_sides(pose: Pose, body: BodyProportions) -> Pose:
    """Arms lying along the trunk, hands beside the hips."""
    fig = forward_kinematics(pose, body)
    arms = {}
    for side, sign in (("left", -1.0), ("right", 1.0)):
        sh = fig.points[f"{side}_shoulder"]
        reach = 0.93 * (body.upper_arm_m + body.forearm_m)
        wrist = sh + _world(0.0, math.sqrt(reach * reach - (0.12 * body.u) ** 2), sign * 0.12 * body.u, 0.0)
        arms[side] = ArmPose(
            wrist_m=tuple(float(v) for v in wrist),
            elbow_pole=tuple(float(v) for v in _world(0.0, 0.0, sign, 0.3)),
        )
    return replace(pose, left_arm=arms["left"], right_arm=arms["right"])


#: The supine motions of this module, by name (registered in :data:`movelab.synth.MOTIONS`).
SUPINE_MOTIONS: dict[str, type] = {"aslr": StraightLegRaise}
