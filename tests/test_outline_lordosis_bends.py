"""The lumbar lordosis estimate on drawn backs whose lumbar curve bends low, evenly or high (issue 13).

The drawn back copies the population's anatomy (:mod:`movelab.synth.population`, ``LUMBAR_KINDS``): the
pelvis's back line up to S1 at 0.20 torso lengths above the hip joint, five lumbar segments of 0.055 and the
start of T12, the lordosis shared out over the six joints L5/S1 ... T12/L1 by
:func:`movelab.synth.skeleton.lumbar_share_for`, the thorax above T11 (where the synthetic trunk sway bends).
The drawn truth is the renderer's definition (:func:`movelab.synth.truth.lumbar_lordosis_deg`): the angle
between the back chords S2 → L4/L5 and L1/L2 → T11/T12. So a bend high in the lumbar spine and one at L4-S1
are both read between the method's two chords, and the sway does not move either.

The last test pins the failure mode found on the rendered population (docs/outline-decisions.md, issue 13's
fourth round): an outline that bridges the lumbar hollow, as the renderer's shading bands do in an anterior
tilt, hides the lordosis from any outline method.

Fast: pure geometry, no pose model.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from drawing import HIP_PX, TORSO_PX, densify, to_image, turn

from movelab.kinematics.outline_method import OutlineParams, estimate_frame
from movelab.synth.population import LUMBAR_KINDS
from movelab.synth.skeleton import lumbar_share_for

#: The method's settings without offsets and with light smoothing (the drawn outline is exact).
EXACT = OutlineParams(tilt_offset_deg=0.0, lordosis_offset_deg=0.0, smoothing=0.005)
S1_HEIGHT, SEGMENT, BUTTOCK = 0.20, 0.055, 0.25
#: Each lumbar kind at both ends of its ranges: (apex, spread) of ``lumbar_share_for``.
KINDS = {
    f"{kind} {end}": (a0 + f * (a1 - a0), s0 + f * (s1 - s0))
    for kind, ((a0, a1), (s0, s1)) in LUMBAR_KINDS.items()
    for end, f in (("a", 0.0), ("b", 1.0))
}


def _direction(deg: float) -> np.ndarray:
    return np.array([math.sin(math.radians(deg)), math.cos(math.radians(deg))])


def _inclination(p: np.ndarray, q: np.ndarray) -> float:
    return math.degrees(math.atan2(*(q - p)))


#: Where the outline over the sacrum ends (torso lengths above the hip): the sacral chord's top (``follow``).
SACRAL_TOP = 0.30
NEUTRAL_TILT_DEG = 11.0


def draw(
    shares,
    *,
    joints_deg: float,
    tilt_deg: float = 10.0,
    sway_deg: float = 0.0,
    bridge: tuple | None = None,
    follow: float = 1.0,
):
    """Outline (pixels), shoulder (pixels) and the drawn truth's lordosis of a back whose six lumbar joints turn
    back by ``shares * joints_deg``. ``bridge``: ``(low, high)`` heights above the hip (torso lengths) between
    which the back is replaced by a straight line, as if painted across the hollow. ``follow``: the outline
    below :data:`SACRAL_TOP` follows the pelvis at ``follow`` per degree of tilt from :data:`NEUTRAL_TILT_DEG`
    (turned back about the back point there; the skeleton's back points, which give the truth, follow fully)."""
    glute, s1 = turn([(-BUTTOCK, -0.30), (-BUTTOCK, S1_HEIGHT)], tilt_deg)
    marks = {"S2": s1 - 0.04 * _direction(tilt_deg)}
    back, p, inclination = [glute, s1], s1, tilt_deg
    for j, share in enumerate(shares):
        marks[j] = p.copy()
        inclination -= share * joints_deg
        length = SEGMENT if j < 5 else 0.04  # the last piece is the start of T12, up to T11
        for _ in range(8):
            p = p + length / 8 * _direction(inclination)
            back.append(p)
    marks["T11T12"] = p - 0.01 * _direction(inclination)
    back = np.array(back)
    if follow != 1.0:
        top = int(np.flatnonzero(back[:, 1] >= SACRAL_TOP)[0])
        back[:top] = turn(back[:top], -(1.0 - follow) * (tilt_deg - NEUTRAL_TILT_DEG), about=back[top])
    if bridge is not None:
        low, high = (int(np.flatnonzero(back[:, 1] >= h)[0]) for h in bridge)
        back = np.vstack([back[: low + 1], back[high:]])
    thorax = p + np.array(
        [(0.32, 0.77), (0.45, 0.64), (0.42, 0.46), (0.50, 0.27), (0.52, 0.07), (-0.06, 0.25), (0.20, 0.44),
         (0.22, 0.62), (0.32, 0.32)]
    )  # fmt: skip
    thorax = turn(thorax, inclination + sway_deg, about=p)  # the thorax goes on from T12, swayed at T11
    front = [(0.22, 0.35), (0.21, 0.0), (0.13, -0.35), (0.10, -1.80), (0.30, -1.90), (-0.05, -1.90), (-0.08, -1.80),
             (-0.10, -0.40)]  # fmt: skip
    polygon = np.vstack([thorax[:5], front, back, thorax[5:8]])
    truth = _inclination(marks["S2"], marks[1]) - _inclination(marks[4], marks["T11T12"])
    return densify(to_image(polygon), 1024), to_image(thorax[8:9])[0], truth


def estimate(kind: str, **pose):
    """The method's estimate and the drawn truth's lordosis of lumbar kind ``kind``."""
    apex, spread = KINDS[kind]
    outline, shoulder, truth = draw(lumbar_share_for(apex=apex, spread=spread), **pose)
    e = estimate_frame(outline, hip_px=HIP_PX, shoulder_px=shoulder, facing=1.0, torso_px=TORSO_PX, params=EXACT)
    return e, truth


@pytest.mark.parametrize("kind", list(KINDS))
def test_lordosis_change_follows_the_drawn_change_wherever_the_lumbar_spine_bends(kind):
    """From a flat to a hollow back (joints turning 15° → 35° in all), the estimate changes by 0.7-1.3 of the
    drawn truth's change, whether the bend sits at L4-S1, high in the lumbar spine or spreads evenly."""
    (flat, flat_truth), (hollow, hollow_truth) = (estimate(kind, joints_deg=d) for d in (15.0, 35.0))
    ratio = (hollow.lumbar_lordosis - flat.lumbar_lordosis) / (hollow_truth - flat_truth)
    assert hollow_truth - flat_truth > 10.0  # the drawing does bend by what it says
    assert 0.7 <= ratio <= 1.3


@pytest.mark.parametrize("kind", list(KINDS))
def test_trunk_sway_does_not_move_the_lordosis_of_any_lumbar_kind(kind):
    """The thorax sways −10…10° at T11 with the lumbar spine and pelvis still: the lordosis moves by at most
    0.05° per degree of sway (the truth: 0), and the tilt not at all."""
    estimates = [estimate(kind, joints_deg=25.0, sway_deg=s)[0] for s in (-10.0, 10.0)]
    lordosis = [e.lumbar_lordosis for e in estimates]
    assert np.isfinite(lordosis).all()
    assert abs(lordosis[1] - lordosis[0]) / 20.0 <= 0.05
    assert estimates[0].pelvic_tilt == pytest.approx(estimates[1].pelvic_tilt, abs=1e-3)


@pytest.mark.parametrize("kind", ["high a", "high b"])
def test_a_bridge_across_the_lumbar_hollow_hides_the_lordosis(kind):
    """The back painted straight from S1 to 0.45 torso lengths above the hip in the hollow frame only (the
    renderer's shading bands bridge the hollow so in an anterior tilt, and more the more the pelvis tilts):
    the estimate follows less than three quarters of a high bend's drawn change (0.60 and 0.67 of it when
    measured), and the tilt reads lower too (the bridge reaches the sacral chord's top at 0.30). The outline
    shows a flatter back; levels chosen anywhere below the bridge's top cannot see the bend."""
    (flat, _), (hollow, _) = (estimate(kind, joints_deg=d, tilt_deg=20.0) for d in (15.0, 35.0))
    bridged, _ = estimate(kind, joints_deg=35.0, tilt_deg=20.0, bridge=(0.20, 0.45))
    drawn = hollow.lumbar_lordosis - flat.lumbar_lordosis
    assert drawn > 10.0
    assert bridged.lumbar_lordosis - flat.lumbar_lordosis < 0.75 * drawn
    assert bridged.pelvic_tilt < hollow.pelvic_tilt - 1.0
