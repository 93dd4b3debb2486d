"""The mannequin's body: proportions, a pose, and forward kinematics to named 3D points.

World frame (metres): ``x`` and ``z`` span the floor (``y = 0``), ``y`` is up. The figure's own
frame at heading 0 is the ISB one: ``x`` forward, ``y`` up, ``z`` to the figure's **right**; the heading
turns it about ``y``. Rotations follow the right-hand rule about those axes.

The segment tree::

    pelvis (root: hip-joint midpoint) ─┬─ sacrum ─ L5 ─ L4 ─ L3 ─ L2 ─ L1 ─ T12 ─ mid thorax ─ upper thorax ─┬─ neck/head
                                       │                                                                ├─ left arm
                                       ├─ left thigh ─ shank ─ foot                                      └─ right arm
                                       └─ right thigh ─ shank ─ foot

The pelvis and every lumbar segment are real segments: the pelvis carries the ASIS and PSIS points, the
buttocks and the lower abdomen; each lumbar junction carries a point of the back surface. Legs and arms are
placed by two-link inverse kinematics (ankle or wrist target plus a pole for the knee or elbow), so a planted
foot is exactly on the floor and every segment keeps its length.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from movelab.errors import ConfigError

__all__ = [
    "BodyProportions",
    "LegPose",
    "ArmPose",
    "Pose",
    "Figure",
    "LUMBAR_JOINTS",
    "BACK_LEVELS",
    "forward_kinematics",
    "lumbar_for_lordosis",
    "lumbar_share_for",
    "place_foot",
    "leg_reach_m",
    "hip_joint_m",
    "leg_joints_m",
    "rot_x",
    "rot_y",
    "rot_z",
]

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")
#: Intervertebral joints of the lumbar chain, from the sacrum up.
LUMBAR_JOINTS: tuple[str, ...] = ("L5S1", "L4L5", "L3L4", "L2L3", "L1L2", "T12L1")
#: Points of the back surface, from the sacrum up (``back_<level>`` in :attr:`Figure.points`).
BACK_LEVELS: tuple[str, ...] = ("S2",) + LUMBAR_JOINTS + ("T11T12",)
#: How the lumbar extension is shared between the joints for a given lordosis (lower joints move more).
_KYPHOSIS_DEG = 30.0  # default forward bend between the mid and the upper thorax (Pose.thoracic_bend_deg)


def rot_x(deg: float) -> np.ndarray:
    """Rotation matrix about ``x`` by ``deg`` degrees (right-hand rule)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    """Rotation matrix about ``y`` by ``deg`` degrees (right-hand rule)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> np.ndarray:
    """Rotation matrix about ``z`` by ``deg`` degrees (right-hand rule)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def rot_axis(axis: np.ndarray, deg: float) -> np.ndarray:
    """Rotation matrix about the unit vector ``axis`` by ``deg`` degrees (Rodrigues)."""
    k = np.asarray(axis, float) / np.linalg.norm(axis)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    a = np.radians(deg)
    return np.eye(3) + np.sin(a) * kx + (1 - np.cos(a)) * kx @ kx


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


@dataclass(frozen=True)
class BodyProportions:
    """Body size and shape. Lengths scale with ``height_m`` (fractions after Winter, *Biomechanics and
    Motor Control of Human Movement*, 4th ed., fig. 4.1).

    Parameters
    ----------
    height_m : float
        Standing height.
    leg_length_frac : float
        Hip joint centre to ankle joint centre, as a fraction of height (Winter: 0.530 - 0.039).
    thigh_share : float
        Thigh length / (thigh + shank).
    hip_width_frac, shoulder_width_frac : float
        Distance between the hip joint centres, and between the shoulder joint centres, / height.
    arm_length_frac : float
        Shoulder joint to wrist / height (Winter: 0.186 + 0.146).
    girth : float
        Scale of every limb and trunk radius (1 = slim adult).
    belly, buttocks : float
        Scale of the abdomen's and the buttocks' depth.
    lumbar_share : tuple of 6 float
        How a lordosis is shared out over the lumbar joints (L5/S1 first, T12/L1 last; normalised). The
        default bends the lower joints most; :func:`lumbar_share_for` builds others (even from S1,
        concentrated at L4-S1, or higher).
    sacrum_forward_deg : float
        The sacrum's back surface against the pelvis' vertical at zero tilt, forward positive: with
        pelvic incidence, it sets the sacral slope at a given tilt (4 deg: 15 deg forward at 11 deg tilt).
    s1_height : float
        Scale of the height of S1 above the hip joints (1 = 0.102 height/1.75).
    soft_tissue : float
        Scale of the soft tissue between the spine and the skin of the back.
    lumbar_length, thorax_length : float
        Scale of the lumbar segments' and the thorax's lengths (torso proportions).

    The last six default to the one figure every accuracy table before the body population used.
    """

    height_m: float = 1.75
    leg_length_frac: float = 0.491
    thigh_share: float = 0.5
    hip_width_frac: float = 0.10
    shoulder_width_frac: float = 0.20
    arm_length_frac: float = 0.332
    girth: float = 1.0
    belly: float = 1.0
    buttocks: float = 1.0
    lumbar_share: tuple[float, ...] = (0.30, 0.25, 0.20, 0.15, 0.10, 0.0)
    sacrum_forward_deg: float = 4.0
    s1_height: float = 1.0
    soft_tissue: float = 1.0
    lumbar_length: float = 1.0
    thorax_length: float = 1.0

    def __post_init__(self) -> None:
        if len(self.lumbar_share) != 6 or min(self.lumbar_share) < 0 or sum(self.lumbar_share) <= 0:
            raise ConfigError(
                f"BodyProportions.lumbar_share must be 6 non-negative weights, not all 0, got {self.lumbar_share!r}"
            )
        if not -20.0 <= self.sacrum_forward_deg <= 25.0:
            raise ConfigError(
                f"BodyProportions.sacrum_forward_deg must be in [-20, 25], got {self.sacrum_forward_deg!r}"
            )
        for name in (
            "height_m",
            "leg_length_frac",
            "hip_width_frac",
            "shoulder_width_frac",
            "arm_length_frac",
            "girth",
            "belly",
            "buttocks",
            "s1_height",
            "soft_tissue",
            "lumbar_length",
            "thorax_length",
        ):
            if not getattr(self, name) > 0:
                raise ConfigError(f"BodyProportions.{name} must be > 0, got {getattr(self, name)!r}")
        if not 0.3 <= self.thigh_share <= 0.7:
            raise ConfigError(f"BodyProportions.thigh_share must be in [0.3, 0.7], got {self.thigh_share!r}")
        if not 1.0 <= self.height_m <= 2.3:
            raise ConfigError(f"BodyProportions.height_m must be in [1.0, 2.3] m, got {self.height_m!r}")

    @property
    def u(self) -> float:
        """Scale factor of small features: height / 1.75 m."""
        return self.height_m / 1.75

    @property
    def thigh_m(self) -> float:
        return self.leg_length_frac * self.height_m * self.thigh_share

    @property
    def shank_m(self) -> float:
        return self.leg_length_frac * self.height_m * (1 - self.thigh_share)

    @property
    def upper_arm_m(self) -> float:
        return self.arm_length_frac * self.height_m * 0.56

    @property
    def forearm_m(self) -> float:
        return self.arm_length_frac * self.height_m * 0.44

    @property
    def ankle_height_m(self) -> float:
        return 0.039 * self.height_m

    @property
    def foot_length_m(self) -> float:
        return 0.152 * self.height_m

    @property
    def shoe_radius_m(self) -> float:
        """Radius of the shoe's heel and toe balls; the sole is their common tangent."""
        return 0.5 * self.ankle_height_m + 0.001 * self.u

    @property
    def lumbar_segment_m(self) -> float:
        return 0.0205 * self.height_m * self.lumbar_length

    @property
    def back_depth_m(self) -> float:
        """Distance from the spine line to the skin of the back."""
        return 0.06 * self.u * self.girth * self.soft_tissue


@dataclass(frozen=True)
class LegPose:
    """One leg, given by where its ankle is and how its foot and knee point.

    Parameters
    ----------
    ankle_m : tuple of float
        Ankle joint centre in world coordinates.
    foot_pitch_deg : float or None
        Foot against the floor in the figure's sagittal plane, toes down positive (heel raised).
        ``None``: the foot follows the shank with ``ankle_plantarflexion_deg``.
    ankle_plantarflexion_deg : float
        Used only when ``foot_pitch_deg`` is None: foot against the perpendicular to the shank.
    foot_yaw_deg : float
        Toe-out against the heading, positive outwards.
    knee_pole : tuple of float or None
        World direction the knee points to; None: the foot's forward direction.
    knee_swivel_deg : float
        Turn of the knee about the hip-ankle line, positive medially (valgus).
    """

    ankle_m: tuple[float, float, float]
    foot_pitch_deg: float | None = 0.0
    ankle_plantarflexion_deg: float = 0.0
    foot_yaw_deg: float = 7.0
    knee_pole: tuple[float, float, float] | None = None
    knee_swivel_deg: float = 0.0


@dataclass(frozen=True)
class ArmPose:
    """One arm, by joint angles, or by a wrist target when ``wrist_m`` is given.

    Angles are in the figure's heading frame: flexion raises the arm forward from hanging vertically, abduction
    sideways, elbow flexion bends the forearm forward-up. With ``wrist_m`` (world) the elbow points along
    ``elbow_pole``.
    """

    shoulder_flexion_deg: float = 0.0
    shoulder_abduction_deg: float = 8.0
    elbow_flexion_deg: float = 12.0
    wrist_m: tuple[float, float, float] | None = None
    elbow_pole: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Pose:
    """The whole figure at one instant.

    Parameters
    ----------
    pelvis_m : tuple of float
        World position of the midpoint between the hip joint centres.
    heading_deg : float
        Direction the figure faces, about world ``y`` (0: facing world +x).
    pelvic_tilt_deg : float
        The ASIS-PSIS line against horizontal in the figure's sagittal plane, anterior positive
        (ASIS lower). Neutral standing: about 11.
    pelvic_obliquity_deg : float
        Rotation about the forward axis, positive raises the left hip.
    pelvic_rotation_deg : float
        Rotation about the vertical, positive turns the pelvis to the figure's left.
    lumbar_extension_deg : tuple of 6 float
        Extension at each joint of :data:`LUMBAR_JOINTS` (negative = flexion).
    lumbar_lateral_deg : float
        Lateral bend of the lumbar spine towards the figure's left, spread evenly over its joints.
    thoracic_extension_deg, thoracic_lateral_deg, thoracic_rotation_deg : float
        Thorax above T11 against the lowest thorax (T12, which carries the top of the lumbar back surface):
        extension, bend to the left, turn to the left.
    neck_flexion_deg : float
        Head and neck against their level-gaze position on the upper thorax, flexion (chin down) positive.
    neck_forward_deg : float
        Forward head: the neck (C7 -> head) turned forward by this much while the head keeps its orientation
        (lower-neck flexion with upper-neck extension, the gaze unchanged). 0: the neutral neck.
    thoracic_bend_deg : float
        Forward bend between the mid and the upper thorax (the figure's thoracic kyphosis joint); 30 is the
        neutral figure every table before the posture chain used.
    dowel : bool
        A dowel held in both hands (``dowel_left`` / ``dowel_right`` end points; drawn as a wooden rod).
    left_leg, right_leg : LegPose
    left_arm, right_arm : ArmPose
    """

    pelvis_m: tuple[float, float, float]
    left_leg: LegPose
    right_leg: LegPose
    heading_deg: float = 0.0
    pelvic_tilt_deg: float = 11.0
    pelvic_obliquity_deg: float = 0.0
    pelvic_rotation_deg: float = 0.0
    lumbar_extension_deg: tuple[float, ...] = (0.0,) * 6
    lumbar_lateral_deg: float = 0.0
    thoracic_extension_deg: float = 0.0
    thoracic_lateral_deg: float = 0.0
    thoracic_rotation_deg: float = 0.0
    neck_flexion_deg: float = 0.0
    neck_forward_deg: float = 0.0
    thoracic_bend_deg: float = _KYPHOSIS_DEG
    dowel: bool = False
    left_arm: ArmPose = field(default_factory=ArmPose)
    right_arm: ArmPose = field(default_factory=ArmPose)

    def leg(self, side: Side) -> LegPose:
        return self.left_leg if side == "left" else self.right_leg

    def arm(self, side: Side) -> ArmPose:
        return self.left_arm if side == "left" else self.right_arm


@dataclass
class Figure:
    """Forward kinematics of one pose: named world points and segment frames (rotation, origin).

    ``points`` holds MediaPipe-named joints (``left_hip``, ``left_knee``, ``left_heel``, ``left_foot_index``,
    ``nose`` ...), pelvic landmarks (``left_asis``, ``left_psis`` ...), back-surface points
    (``back_S2`` ... ``back_T11T12``) and helper points for drawing. ``frames[name] = (R, origin)``; the
    columns of ``R`` are the segment's forward, up and right axes in world coordinates.
    ``heading`` is the rotation of the figure's heading (its sagittal plane is spanned by ``heading[:, 0]``
    and world up).
    """

    points: dict[str, np.ndarray]
    frames: dict[str, tuple[np.ndarray, np.ndarray]]
    heading: np.ndarray
    body: BodyProportions

    def point(self, name: str) -> np.ndarray:
        return self.points[name]


# ----------------------------------------------------------------------------- geometry of the pelvis


def _pelvis_local(body: BodyProportions) -> dict[str, np.ndarray]:
    """Points fixed in the pelvis frame at tilt 0 (ASIS-PSIS level), origin at the hip-joint midpoint."""
    u, hw = body.u, 0.5 * body.hip_width_frac * body.height_m
    return {
        "left_hip": np.array([0.0, 0.0, -hw]),
        "right_hip": np.array([0.0, 0.0, hw]),
        "left_asis": np.array([0.055 * u, 0.085 * u, -0.115 * u]),
        "right_asis": np.array([0.055 * u, 0.085 * u, 0.115 * u]),
        "left_psis": np.array([-0.105 * u, 0.085 * u, -0.04 * u]),
        "right_psis": np.array([-0.105 * u, 0.085 * u, 0.04 * u]),
        "S1": np.array([-0.043 * u, 0.102 * u * body.s1_height, 0.0]),
        "buttock": np.array([-0.135 * u * body.girth * body.buttocks, -0.04 * u, 0.0]),
    }


# ----------------------------------------------------------------------------- feet


def _foot_rotation(heading: np.ndarray, side: Side, yaw_deg: float, pitch_deg: float) -> np.ndarray:
    sign = 1.0 if side == "left" else -1.0
    return heading @ rot_y(sign * yaw_deg) @ rot_z(-pitch_deg)


def _shoe_balls(body: BodyProportions) -> tuple[np.ndarray, np.ndarray]:
    """Heel and toe ball centres in the foot frame (origin at the ankle joint)."""
    fl, r, ah = body.foot_length_m, body.shoe_radius_m, body.ankle_height_m
    return np.array([-0.17 * fl, -ah + r, 0.0]), np.array([0.66 * fl, -ah + r, 0.0])


def place_foot(
    body: BodyProportions,
    *,
    side: Side,
    contact_xz_m: tuple[float, float],
    pitch_deg: float,
    yaw_deg: float = 7.0,
    heading_deg: float = 0.0,
    pivot: Literal["heel", "toe"] = "heel",
    floor_y_m: float = 0.0,
) -> tuple[float, float, float]:
    """Ankle position that rests a foot on the floor.

    The shoe is the hull of a heel ball and a toe ball of equal radius. The ``pivot`` ball's centre is put
    over ``contact_xz_m`` (world ``x, z``) and the foot is lowered until its lowest ball touches the floor.

    Returns
    -------
    tuple of float
        The ankle joint centre (world).
    """
    rot = _foot_rotation(rot_y(heading_deg), side, yaw_deg, pitch_deg)
    heel, toe = _shoe_balls(body)
    heel_w, toe_w = rot @ heel, rot @ toe
    piv = heel_w if pivot == "heel" else toe_w
    lowest = min(heel_w[1], toe_w[1])
    ankle = np.array([contact_xz_m[0] - piv[0], floor_y_m + body.shoe_radius_m - lowest, contact_xz_m[1] - piv[2]])
    return (float(ankle[0]), float(ankle[1]), float(ankle[2]))


def leg_reach_m(body: BodyProportions, knee_flexion_deg: float) -> float:
    """Hip-to-ankle distance of a leg whose knee is flexed by ``knee_flexion_deg`` (law of cosines)."""
    a, b = body.thigh_m, body.shank_m
    return float(np.sqrt(a * a + b * b + 2 * a * b * np.cos(np.radians(knee_flexion_deg))))


# ----------------------------------------------------------------------------- two-link IK


def _two_link(
    root: np.ndarray, target: np.ndarray, l1: float, l2: float, pole: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint and reached end of a two-link chain from ``root`` towards ``target``.

    The middle joint lies on the side of ``pole``. A target out of reach is approached along the same line
    (the chain is then straight, or folded at its shortest).
    """
    d_vec = target - root
    d = float(np.linalg.norm(d_vec))
    along = d_vec / d
    d_ok = float(np.clip(d, abs(l1 - l2) + 1e-9, l1 + l2))
    end = root + along * d_ok
    x = (l1 * l1 - l2 * l2 + d_ok * d_ok) / (2 * d_ok)
    h = np.sqrt(max(l1 * l1 - x * x, 0.0))
    perp = pole - np.dot(pole, along) * along
    n = np.linalg.norm(perp)
    perp = perp / n if n > 1e-9 else np.cross(along, [0.0, 0.0, 1.0]) / np.linalg.norm(np.cross(along, [0, 0, 1.0]))
    return root + along * x + perp * h, end


def _knee(
    body: BodyProportions, heading: np.ndarray, side: Side, hip: np.ndarray, leg: LegPose
) -> tuple[np.ndarray, np.ndarray]:
    """Knee and reached ankle of one leg (two-link IK with the knee's pole and swivel)."""
    sign = 1.0 if side == "left" else -1.0
    foot_fwd = heading @ rot_y(sign * leg.foot_yaw_deg) @ np.array([1.0, 0.0, 0.0])
    pole = np.asarray(leg.knee_pole, float) if leg.knee_pole is not None else foot_fwd
    ankle_target = np.asarray(leg.ankle_m, float)
    axis = _unit(ankle_target - hip)
    medial = sign * (heading @ np.array([0.0, 0.0, 1.0]))  # towards the other leg
    medial_sign = 1.0 if np.dot(rot_axis(axis, 1.0) @ pole - pole, medial) >= 0 else -1.0
    pole_sw = rot_axis(axis, medial_sign * leg.knee_swivel_deg) @ pole  # positive swivel: knee medial
    return _two_link(hip, ankle_target, body.thigh_m, body.shank_m, pole_sw)


def leg_joints_m(pose: Pose, body: BodyProportions, side: Side) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hip, knee and ankle of one leg of ``pose`` without the rest of the figure (fast)."""
    hip = hip_joint_m(pose, body, side)
    knee, ankle = _knee(body, rot_y(pose.heading_deg), side, hip, pose.leg(side))
    return hip, knee, ankle


def _leg(
    body: BodyProportions, heading: np.ndarray, side: Side, *, hip: np.ndarray, leg: LegPose, pts: dict, frames: dict
) -> None:
    """Place one leg: knee by IK, foot frame, and the foot's landmarks."""
    sign = 1.0 if side == "left" else -1.0
    foot_fwd = heading @ rot_y(sign * leg.foot_yaw_deg) @ np.array([1.0, 0.0, 0.0])
    knee, ankle = _knee(body, heading, side, hip, leg)
    if leg.foot_pitch_deg is not None:
        rot = _foot_rotation(heading, side, leg.foot_yaw_deg, leg.foot_pitch_deg)
    else:
        up = _unit(knee - ankle)
        fwd = _unit(foot_fwd - np.dot(foot_fwd, up) * up)
        rot = np.column_stack([fwd, up, np.cross(fwd, up)])
        rot = rot @ rot_z(-leg.ankle_plantarflexion_deg)
    heel_c, toe_c = _shoe_balls(body)
    r = body.shoe_radius_m
    pts.update(
        {
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_heel_ball": ankle + rot @ heel_c,
            f"{side}_toe_ball": ankle + rot @ toe_c,
            f"{side}_heel": ankle + rot @ (heel_c + np.array([-0.7 * r, 0.0, 0.0])),
            f"{side}_foot_index": ankle + rot @ (toe_c + np.array([0.7 * r, 0.0, 0.0])),
        }
    )
    frames[f"{side}_foot"] = (rot, ankle)


# ----------------------------------------------------------------------------- spine


def _spine(
    body: BodyProportions,
    pose: Pose,
    rp: np.ndarray,
    *,
    origin: np.ndarray,
    pts: dict,
    frames: dict,
    shoulder_fwd_m: float,
) -> np.ndarray:
    """Sacrum, five lumbar segments, lower and upper thorax; returns the upper thorax rotation."""
    u = body.u
    local = _pelvis_local(body)
    r = rp @ rot_z(-body.sacrum_forward_deg)
    frames["sacrum"] = (r, origin + rp @ local["S1"])
    p = origin + rp @ local["S1"]
    d = body.back_depth_m
    pts["back_S2"] = p - r @ np.array([0.0, 0.04 * u, 0.0]) - d * r[:, 0]
    lat = pose.lumbar_lateral_deg / len(LUMBAR_JOINTS)
    seg = body.lumbar_segment_m
    names = ("L5", "L4", "L3", "L2", "L1", "thorax_lower")
    for j, (joint, name) in enumerate(zip(LUMBAR_JOINTS, names)):
        r_new = r @ rot_z(pose.lumbar_extension_deg[j]) @ rot_x(-lat)
        pts[f"spine_{joint}"] = p
        bis_fwd = _unit(r[:, 0] + r_new[:, 0])
        bis_right = _unit(r_new[:, 2] - np.dot(r_new[:, 2], bis_fwd) * bis_fwd)
        frames[f"ring_{joint}"] = (np.column_stack([bis_fwd, np.cross(bis_right, bis_fwd), bis_right]), p)
        pts[f"back_{joint}"] = p - d * bis_fwd
        r = r_new
        frames[name] = (r, p)
        if j < 5:
            p = p + r @ np.array([0.0, seg, 0.0])
    pts["back_T11T12"] = p + r @ np.array([0.0, 0.03 * u, 0.0]) - d * r[:, 0]
    p_t11 = p + r @ np.array([0.0, 0.04 * u, 0.0])
    r_mid = (
        r @ rot_z(pose.thoracic_extension_deg) @ rot_x(-pose.thoracic_lateral_deg) @ rot_y(pose.thoracic_rotation_deg)
    )
    frames["thorax_mid"] = (r_mid, p_t11)
    tl = body.thorax_length
    p_mid = p_t11 + r_mid @ np.array([0.0, 0.09 * u * tl, 0.0])
    r_up = r_mid @ rot_z(-pose.thoracic_bend_deg)
    frames["thorax_upper"] = (r_up, p_mid)
    c7 = p_mid + r_up @ np.array([0.0, 0.135 * u * tl, 0.0])
    pts["spine_T7"], pts["c7"] = p_mid, c7
    pts["back_T7"] = p_mid + r_up @ np.array([0.02 * u - 0.085 * u * body.girth, 0.0, 0.0])
    pts["back_T3"] = p_mid + r_up @ np.array([0.02 * u - 0.075 * u * body.girth, 0.10 * u * tl, 0.0])
    sw = 0.5 * body.shoulder_width_frac * body.height_m
    for side, sign in (("left", -1.0), ("right", 1.0)):
        pts[f"{side}_shoulder"] = p_mid + r_up @ np.array([shoulder_fwd_m, 0.09 * u * tl, sign * sw])
    return r_up


def _head(
    body: BodyProportions, pose: Pose, r_up: np.ndarray, *, head_offset_deg: float, pts: dict, frames: dict
) -> None:
    """Neck and head on the upper thorax; at ``neck_flexion_deg = 0`` of a neutral figure the gaze is level."""
    u = body.u
    r_head = r_up @ rot_z(head_offset_deg - pose.neck_flexion_deg)
    r_neck = r_head @ rot_z(-pose.neck_forward_deg)
    neck_top = pts["c7"] + r_neck @ (rot_z(-12.0) @ np.array([0.0, 0.085 * u, 0.0]))
    centre = neck_top + r_head @ np.array([0.015 * u, 0.075 * u, 0.0])
    frames["head"] = (r_head, centre)
    pts["neck_top"] = neck_top
    pts["head_centre"] = centre
    pts["nose"] = centre + r_head @ np.array([0.115 * u, -0.03 * u, 0.0])
    for side, sign in (("left", -1.0), ("right", 1.0)):
        pts[f"{side}_eye"] = centre + r_head @ np.array([0.086 * u, 0.004 * u, sign * 0.033 * u])
        pts[f"{side}_ear"] = centre + r_head @ np.array([-0.005 * u, 0.005 * u, sign * 0.077 * u])
        pts[f"mouth_{side}"] = centre + r_head @ np.array([0.08 * u, -0.066 * u, sign * 0.022 * u])


# ----------------------------------------------------------------------------- arms


def _arm(body: BodyProportions, side: Side, r_up: np.ndarray, *, heading: np.ndarray, arm: ArmPose, pts: dict) -> None:
    sign = -1.0 if side == "left" else 1.0
    sh = pts[f"{side}_shoulder"]
    l1, l2 = body.upper_arm_m, body.forearm_m
    if arm.wrist_m is not None:
        pole = np.asarray(arm.elbow_pole, float) if arm.elbow_pole is not None else -r_up[:, 0]
        elbow, wrist = _two_link(sh, np.asarray(arm.wrist_m, float), l1, l2, pole)
    else:
        r_arm = heading @ rot_z(arm.shoulder_flexion_deg) @ rot_x(-sign * arm.shoulder_abduction_deg)
        elbow = sh + r_arm @ np.array([0.0, -l1, 0.0])
        wrist = elbow + r_arm @ rot_z(arm.elbow_flexion_deg) @ np.array([0.0, -l2, 0.0])
    hand_dir = _unit(wrist - elbow)
    pts[f"{side}_elbow"] = elbow
    pts[f"{side}_wrist"] = wrist
    pts[f"{side}_hand"] = wrist + hand_dir * 0.05 * body.u


def _dowel(body: BodyProportions, pts: dict) -> None:
    """End points of a dowel gripped by both hands, reaching 0.25 m (x height/1.75) beyond each."""
    left, right = pts["left_hand"], pts["right_hand"]
    along = _unit(left - right)
    pts["dowel_left"] = left + along * 0.25 * body.u
    pts["dowel_right"] = right - along * 0.25 * body.u


# ----------------------------------------------------------------------------- the whole figure


def hip_joint_m(pose: Pose, body: BodyProportions, side: Side) -> np.ndarray:
    """World position of one hip joint centre of ``pose`` (depends on the pelvis only)."""
    return np.asarray(pose.pelvis_m, float) + _pelvis_rotation(pose) @ _pelvis_local(body)[f"{side}_hip"]


def _pelvis_rotation(pose: Pose) -> np.ndarray:
    return (
        rot_y(pose.heading_deg)
        @ rot_y(pose.pelvic_rotation_deg)
        @ rot_x(pose.pelvic_obliquity_deg)
        @ rot_z(-pose.pelvic_tilt_deg)
    )


def _fk(pose: Pose, body: BodyProportions, shoulder_fwd_m: float, head_offset_deg: float) -> Figure:
    heading = rot_y(pose.heading_deg)
    rp = _pelvis_rotation(pose)
    origin = np.asarray(pose.pelvis_m, float)
    pts: dict[str, np.ndarray] = {}
    frames: dict[str, tuple[np.ndarray, np.ndarray]] = {"pelvis": (rp, origin)}
    for name, p in _pelvis_local(body).items():
        if name != "S1":
            pts[name] = origin + rp @ p
    pts["hip_mid"] = origin.copy()
    r_up = _spine(body, pose, rp, origin=origin, pts=pts, frames=frames, shoulder_fwd_m=shoulder_fwd_m)
    # the skin over C7's spinous process: the neck's hindmost point at the C7 joint's height, the rendered neck's
    # radius (0.05 girth units, movelab.synth.render._limb_parts) straight behind the joint; the craniovertebral
    # angle's truth is taken from it (movelab.synth.truth_chain)
    pts["back_C7"] = pts["c7"] - 0.05 * body.u * body.girth * heading[:, 0]
    _head(body, pose, r_up, head_offset_deg=head_offset_deg, pts=pts, frames=frames)
    for side in SIDES:
        _leg(body, heading, side, hip=pts[f"{side}_hip"], leg=pose.leg(side), pts=pts, frames=frames)
        _arm(body, side, r_up, heading=heading, arm=pose.arm(side), pts=pts)
    if pose.dowel:
        _dowel(body, pts)
    return Figure(points=pts, frames=frames, heading=heading, body=body)


def _standing_pose(body: BodyProportions, lumbar: tuple[float, ...]) -> Pose:
    hip_y = body.ankle_height_m + body.thigh_m + body.shank_m
    hw = 0.5 * body.hip_width_frac * body.height_m
    legs = [LegPose(ankle_m=(0.0, body.ankle_height_m, s * hw), foot_yaw_deg=0.0) for s in (-1, 1)]
    return Pose(pelvis_m=(0.0, hip_y, 0.0), left_leg=legs[0], right_leg=legs[1], lumbar_extension_deg=lumbar)


@functools.lru_cache(maxsize=64)
def _calibration(body: BodyProportions) -> tuple[float, float]:
    """Shoulder offset and head angle that make the neutral figure upright with a level gaze.

    Neutral: pelvic tilt 11 deg, lumbar lordosis 25 deg, thoracic joints at 0. Returns the forward offset of the
    shoulders in the upper thorax frame (so that ``trunk_lean = 0``) and the head's angle against the upper thorax.
    """
    pose = _standing_pose(body, lumbar_for_lordosis(body, 25.0))
    fig = _fk(pose, body, 0.0, 0.0)
    mid = 0.5 * (fig.points["left_shoulder"] + fig.points["right_shoulder"])
    r_up = fig.frames["thorax_upper"][0]
    # shift along the upper thorax forward axis to bring the shoulder midpoint over the hip midpoint
    fwd_offset = -(mid[0] - fig.points["hip_mid"][0]) / r_up[0, 0]
    upper_pitch = np.degrees(np.arctan2(r_up[1, 0], r_up[0, 0]))  # forward axis above horizontal
    return float(fwd_offset), float(-upper_pitch)


def forward_kinematics(pose: Pose, body: BodyProportions | None = None) -> Figure:
    """World points and segment frames of ``pose`` for a figure of ``body`` proportions.

    Parameters
    ----------
    pose : Pose
    body : BodyProportions, optional
        Default: ``BodyProportions()``.

    Returns
    -------
    Figure
    """
    body = body or BodyProportions()
    fwd, head = _calibration(body)
    return _fk(pose, body, fwd, head)


# ----------------------------------------------------------------------------- lordosis


def _lordosis_of(body: BodyProportions, lumbar: np.ndarray) -> float:
    pose = _standing_pose(body, tuple(float(v) for v in lumbar))
    fig = _fk(pose, body, 0.0, 0.0)
    from movelab.synth.truth import lumbar_lordosis_deg  # truth imports nothing from here at import time

    return lumbar_lordosis_deg(fig.points, fig.heading)


@functools.lru_cache(maxsize=4096)
def lumbar_for_lordosis(body: BodyProportions, lordosis_deg: float) -> tuple[float, ...]:
    """Lumbar joint extensions (one per :data:`LUMBAR_JOINTS`) that give the back surface ``lordosis_deg``.

    The extension is shared out with more at the lower joints. Lordosis is measured as the ground truth
    measures it (:func:`movelab.synth.truth.lumbar_lordosis_deg`); the relation is linear, so two evaluations
    solve it exactly.
    """
    share = np.asarray(body.lumbar_share, float)  # its scale is solved for: no need to normalise
    base = _lordosis_of(body, np.zeros(6))
    slope = _lordosis_of(body, share * 10.0) - base
    scale = (lordosis_deg - base) / slope * 10.0
    for _ in range(8):  # polish: the relation is nearly linear
        err = lordosis_deg - _lordosis_of(body, share * scale)
        if abs(err) < 1e-9:
            break
        scale += err / slope * 10.0
    return tuple(float(v) for v in share * scale)


def lumbar_share_for(*, apex: float, spread: float) -> tuple[float, ...]:
    """Lumbar share weights peaking at joint index ``apex`` (0 = L5/S1 ... 5 = T12/L1) with a Gaussian
    ``spread`` in joints: apex 0 / spread 0.8 bends L4-S1 almost alone, apex 0 / spread 6 bends nearly
    evenly from S1 up, apex 2.5 bends higher."""
    j = np.arange(6.0)
    w = np.exp(-0.5 * ((j - apex) / spread) ** 2)
    return tuple(float(v) for v in np.round(w / w.sum(), 4))
