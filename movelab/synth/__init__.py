"""The synthetic mannequin: rendered movement videos with exactly known kinematics.

A 3D articulated figure (feet, shanks, thighs, a pelvis with ASIS/PSIS, five lumbar segments, thorax, arms,
neck and a head with a face) moves through a parametrised motion and is drawn by a pinhole camera. Its ground
truth uses the names and definitions of ``docs/conventions.md``. See ``docs/synth.md``.

Example::

    from movelab.synth import Squat, render_clip
    clip = render_clip(Squat(depth_deg=110, trunk_lean_deg=40), view="side_right")
    clip.truth            # pandas DataFrame, one row per frame
    clip.write("squat.mp4")  # + squat.truth.csv, squat.truth.json
"""

from __future__ import annotations

from movelab.synth.camera import VIEW_AZIMUTH_DEG, Camera, camera_for_view, view_sides
from movelab.synth.clip import TRUTH_LANDMARKS, SynthClip, render_clip
from movelab.synth.motions import MOTIONS, Event, Gait, Lunge, Motion, MotionSample, Posture, Scene, Squat, ThomasTest
from movelab.synth.realism import Realism
from movelab.synth.render import SKIN_TONES, Appearance, Prop, render_figure
from movelab.synth.skeleton import ArmPose, BodyProportions, Figure, LegPose, Pose, forward_kinematics
from movelab.synth.supine import SUPINE_MOTIONS, StraightLegRaise
from movelab.synth.truth import angles_from_points
from movelab.synth.video import write_mp4

__all__ = [
    "render_clip",
    "SynthClip",
    "TRUTH_LANDMARKS",
    "Squat",
    "Lunge",
    "Gait",
    "Posture",
    "ThomasTest",
    "StraightLegRaise",
    "MOTIONS",
    "Motion",
    "MotionSample",
    "Event",
    "Scene",
    "BodyProportions",
    "Pose",
    "LegPose",
    "ArmPose",
    "Figure",
    "forward_kinematics",
    "angles_from_points",
    "Appearance",
    "SKIN_TONES",
    "Prop",
    "render_figure",
    "Realism",
    "Camera",
    "camera_for_view",
    "view_sides",
    "VIEW_AZIMUTH_DEG",
    "write_mp4",
]

MOTIONS.update(SUPINE_MOTIONS)
