"""The outline method's geometry on drawn outlines of several bodies (issue 13): the trunk sway does not move
the tilt on any of them, the thoraco-lumbar axis makes a curved lumbar back less sway-sensitive, and the
elbow check tells a folded arm (measured) from a hanging one (gated), while an arm lying on the back stays
gated whatever its wrist does.

Fast: pure geometry, no pose model. Drawn in the normalised sagittal frame (forward, up; torso lengths; hip
joint at the origin) and turned into image pixels for :func:`estimate_frame`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from drawing import HIP_PX, TORSO_PX, densify, to_image, turn

from movelab.kinematics.outline_method import OutlineParams, estimate_frame

#: Exact geometry: no offsets, light smoothing.
EXACT = OutlineParams(  # the geometry
    tilt_offset_deg=0.0, lordosis_offset_deg=0.0, smoothing=0.005, tilt_gain=1.0, lordosis_sacral_gain=1.0
)


@dataclass(frozen=True)
class DrawnBody:
    """A drawn back: the pelvis's back line ``buttock`` behind the hip from 0.30 below it to ``s1`` above it
    (pelvis frame), then a lumbar back of ``lumbar`` torso lengths to the thoraco-lumbar point T, where the
    thorax hangs. The lumbar back turns back by the lordosis: at once at its foot (``decay`` None, a straight
    lumbar back) or along it in 48 pieces, piece ``k`` by a share proportional to ``exp(-decay k / 48)`` (0:
    an even curve; larger: concentrated low, as at L4-S1)."""

    buttock: float = 0.25
    s1: float = 0.33
    lumbar: float = 0.48
    decay: float | None = None

    def shares(self) -> np.ndarray:
        if self.decay is None:
            return np.array([1.0])
        w = np.exp(-self.decay * np.arange(48) / 48)
        return w / w.sum()


BODIES = {
    "straight": DrawnBody(),
    "deep buttock, low S1": DrawnBody(buttock=0.30, s1=0.25, lumbar=0.52),
    "shallow, high S1": DrawnBody(buttock=0.21, s1=0.40, lumbar=0.42),
    "curved even": DrawnBody(decay=0.0),
    "curved low": DrawnBody(decay=3.0),
}


def draw(body: DrawnBody, *, tilt_deg: float = 10.0, lordosis_deg: float = 25.0, sway_deg: float = 0.0):
    """The outline (image pixels, 1024 points) and the shoulder (pixels) of ``body``."""
    glute, top = turn([(-body.buttock, -0.30), (-body.buttock, body.s1)], tilt_deg)
    back = [glute, top]
    inclination = tilt_deg  # the pelvis's back line leans forward by the tilt
    shares = body.shares()
    step = body.lumbar / shares.size
    for share in shares:  # each piece turns back by its share of the lordosis
        inclination -= share * lordosis_deg
        t = math.radians(inclination)
        back.append(back[-1] + step * np.array([math.sin(t), math.cos(t)]))
    t_point = back[-1]
    thorax = t_point + np.array(
        [(0.32, 0.77), (0.45, 0.64), (0.42, 0.46), (0.50, 0.27), (0.52, 0.07), (-0.06, 0.25), (0.20, 0.44),
         (0.22, 0.62), (0.32, 0.32)]
    )  # fmt: skip
    thorax = turn(thorax, sway_deg, about=t_point)
    front = [(0.22, 0.35), (0.21, 0.0), (0.13, -0.35), (0.10, -1.80), (0.30, -1.90), (-0.05, -1.90), (-0.08, -1.80),
             (-0.10, -0.40)]  # fmt: skip
    polygon = np.vstack([thorax[:5], front, back, thorax[5:8]])
    return densify(to_image(polygon), 1024), to_image(thorax[8:9])[0]


def estimate(body: DrawnBody, *, params: OutlineParams = EXACT, arms=None, **pose):
    outline, shoulder = draw(body, **pose)
    arms_px = None if arms is None else to_image(np.asarray(arms, dtype=np.float64).reshape(-1, 2)).reshape(-1, 3, 2)
    return estimate_frame(
        outline, hip_px=HIP_PX, shoulder_px=shoulder, facing=1.0, torso_px=TORSO_PX, arms_px=arms_px, params=params
    )


# --- sway and tilt on several bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BODIES))
def test_trunk_sway_does_not_move_the_tilt_on_any_body(name):
    """The thorax sways -15..15 deg about T with the pelvis still: the tilt does not move (levels along the
    pelvis), on straight and curved lumbar backs, deep and shallow buttocks, low and high S1."""
    body = BODIES[name]
    tilts = [estimate(body, tilt_deg=12.0, sway_deg=s).pelvic_tilt for s in (-15.0, -5.0, 5.0, 15.0)]
    assert np.isfinite(tilts).all()
    assert np.ptp(tilts) < 1e-3  # the resampling of a changed polygon, nothing more
    if name in ("straight", "shallow, high S1"):  # the sacral chord (up to 0.30) lies on the pelvis line: exact
        assert tilts[0] == pytest.approx(12.0, abs=1e-3)


@pytest.mark.parametrize("name", list(BODIES))
def test_pelvic_tilt_follows_the_drawn_tilt_one_to_one(name):
    """Pelvis and lumbar back tilt together (lordosis constant): slope 1 on every body (on curved backs the
    sacral chord's offset is the body's, constant over the tilt)."""
    body = BODIES[name]
    tilts = np.arange(0.0, 21.0, 5.0)
    est = np.array([estimate(body, tilt_deg=t).pelvic_tilt for t in tilts])
    assert np.polyfit(tilts, est, 1)[0] == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("name", ["curved even", "curved low"])
def test_the_bisector_axis_makes_a_curved_lumbar_back_less_sway_sensitive(name):
    """On a curved lumbar back the thoraco-lumbar levels slide along the curve when their axis turns with the
    trunk; halfway to the pelvis's axis (the default) they slide half as far, so a sway moves the lordosis
    less than along the trunk axis (the method before issue 13's second round)."""
    body = BODIES[name]
    sways = (-20.0, 20.0)

    def sway_slope(weight: float) -> float:
        p = OutlineParams(
            tilt_offset_deg=0.0, lordosis_offset_deg=0.0, smoothing=0.005, thoracolumbar_pelvis_weight=weight
        )
        lordosis = [estimate(body, params=p, sway_deg=s).lumbar_lordosis for s in sways]
        return (lordosis[1] - lordosis[0]) / (sways[1] - sways[0])

    trunk, bisector, pelvis = sway_slope(0.0), sway_slope(0.5), sway_slope(1.0)
    assert abs(trunk) > 0.02  # the curved back does slide under a trunk axis
    assert abs(bisector) < 0.75 * abs(trunk)
    assert abs(pelvis) < 1e-3  # the drawn lumbar back does not move with the thorax


# --- arms ------------------------------------------------------------------------------------------------

#: Shoulder, elbow, wrist (sagittal, torso lengths) as MediaPipe placed them on rendered bodies.
FOLDED = [(0.10, 1.10), (-0.10, 0.50), (0.05, 0.35)]  # forearm across the waist, elbow at the back of the trunk
HANGING_BEHIND = [(-0.05, 1.0), (-0.13, 0.50), (-0.06, 0.02)]  # trunk swayed back: the arm hangs behind
FOLDED_ON_BACK = [(-0.22, 0.95), (-0.26, 0.45), (-0.22, 0.18)]  # hands behind the back: the arm lies on it


@pytest.mark.parametrize("name", list(BODIES))
def test_folded_arm_with_its_elbow_behind_the_hip_is_measured(name):
    """The tilt is measured on every body; the lordosis where the upper arm stays clear of the lumbar outline
    (on the shallow and curved backs this drawn upper arm lies within its reach of the upper lumbar outline,
    and the cover check, not the elbow check, lowers the lordosis quality)."""
    e = estimate(BODIES[name], arms=[FOLDED], params=OutlineParams(smoothing=0.005))
    assert e.elbow_behind == -math.inf  # the raised forearm is not a hanging arm
    assert e.tilt_quality == 1.0
    if name in ("straight", "deep buttock, low S1"):
        assert e.lordosis_quality == 1.0


@pytest.mark.parametrize("name", list(BODIES))
def test_hanging_arm_behind_the_hip_stays_gated(name):
    e = estimate(BODIES[name], arms=[HANGING_BEHIND], params=OutlineParams(smoothing=0.005))
    assert e.elbow_behind == pytest.approx(0.13)
    assert e.tilt_quality == 0.0 and e.lordosis_quality == 0.0


def test_the_same_folded_arm_was_gated_by_the_elbow_alone_before():
    """``hanging_wrist_max = inf`` is the method before issue 13's second round: every elbow counted."""
    before = OutlineParams(smoothing=0.005, hanging_wrist_max=math.inf)
    e = estimate(BODIES["straight"], arms=[FOLDED], params=before)
    assert e.elbow_behind == pytest.approx(0.10)
    assert e.tilt_quality < 0.5


@pytest.mark.parametrize("name", list(BODIES))
def test_raised_arm_lying_on_the_back_stays_gated(name):
    """Hands held behind the back (wrist raised, so not a hanging arm): the arm covers the back outline and
    the cover check gates the frame."""
    e = estimate(BODIES[name], arms=[FOLDED_ON_BACK], params=OutlineParams(smoothing=0.005))
    assert e.elbow_behind == -math.inf
    assert e.arm_cover > 0.3
    assert e.tilt_quality < 0.5 and e.lordosis_quality < 0.5


def test_an_arm_without_a_wrist_counts_as_hanging():
    no_wrist = [(0.0, 1.0), (-0.13, 0.50), (np.nan, np.nan)]
    e = estimate(BODIES["straight"], arms=[no_wrist], params=OutlineParams(smoothing=0.005))
    assert e.elbow_behind == pytest.approx(0.13)
    assert e.tilt_quality == 0.0
