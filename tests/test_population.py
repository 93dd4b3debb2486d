"""The body population of ``movelab.synth``: a fixed split, wider held-out ranges, the new body and arm options."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.synth import BodyProportions, Posture, forward_kinematics
from movelab.synth.population import (
    DESIGN_BODIES,
    DESIGN_RANGES,
    HELD_OUT_BODIES,
    HELD_OUT_RANGES,
    LUMBAR_KINDS,
    draw_bodies,
)
from movelab.synth.skeleton import lumbar_for_lordosis, lumbar_share_for
from movelab.synth.truth import angles_from_points


def test_the_split_is_fixed_and_disjoint():
    assert draw_bodies("heldout", 6, HELD_OUT_RANGES, seed=1302) == HELD_OUT_BODIES
    assert not {b.name for b in DESIGN_BODIES} & {b.name for b in HELD_OUT_BODIES}
    assert not {b.body for b in DESIGN_BODIES} & {b.body for b in HELD_OUT_BODIES}


def test_held_out_ranges_contain_the_design_ranges():
    for field in dataclasses.fields(DESIGN_RANGES):
        (d0, d1), (h0, h1) = getattr(DESIGN_RANGES, field.name), getattr(HELD_OUT_RANGES, field.name)
        assert h0 <= d0 and d1 <= h1, field.name


def test_held_out_bodies_cover_every_lumbar_kind_and_arm_position():
    assert {b.arms for b in HELD_OUT_BODIES} == {"hanging", "folded", "forward"}
    kinds = set()
    for b in HELD_OUT_BODIES:
        for kind, ((a0, a1), (s0, s1)) in LUMBAR_KINDS.items():
            if a0 <= b.lumbar_apex <= a1 and s0 <= b.lumbar_spread <= s1:
                kinds.add(kind)
    assert kinds == set(LUMBAR_KINDS)


@pytest.mark.parametrize("apex, spread, lowest_share", [(0.0, 0.8, 0.45), (0.0, 6.0, 0.15), (2.7, 1.5, 0.0)])
def test_lumbar_share_bends_where_asked(apex, spread, lowest_share):
    share = np.array(lumbar_share_for(apex=apex, spread=spread))
    assert share.sum() == pytest.approx(1.0, abs=1e-3)
    assert share[0] >= lowest_share if lowest_share else share[0] < share[2]


@pytest.mark.parametrize("body", [b.body for b in HELD_OUT_BODIES[:3]])
def test_every_body_meets_its_lordosis_and_tilt_targets(body):
    angles = _standing_angles(Posture(pelvic_tilt_deg=15.0, lordosis_deg=30.0, duration_s=0.2), body)
    assert angles["pelvic_tilt"] == pytest.approx(15.0, abs=1e-6)
    assert angles["lumbar_lordosis"] == pytest.approx(30.0, abs=1e-3)
    assert angles["trunk_lean"] == pytest.approx(0.0, abs=0.01)


def _standing_angles(motion: Posture, body: BodyProportions) -> dict:
    fig = forward_kinematics(motion.sample(0.0, body).pose, body)
    return angles_from_points(fig.points, fig.heading)


@pytest.mark.parametrize("arms", ["folded", "forward"])
def test_folded_and_forward_arms_keep_the_hands_in_front_of_the_trunk(arms):
    body = BodyProportions()
    fig = forward_kinematics(Posture(arms=arms, sway_amplitude_deg=10.0, duration_s=1.0).sample(0.5, body).pose, body)
    for side in ("left", "right"):
        assert fig.points[f"{side}_wrist"][0] > fig.points[f"{side}_shoulder"][0] + 0.01
        assert fig.points[f"{side}_elbow"][1] > fig.points["hip_mid"][1] + 0.15


def test_default_body_keeps_the_old_lumbar_share():
    assert BodyProportions().lumbar_share == (0.30, 0.25, 0.20, 0.15, 0.10, 0.0)
    ext = np.array(lumbar_for_lordosis(BodyProportions(), 25.0))
    assert np.allclose(ext / ext.sum(), [0.30, 0.25, 0.20, 0.15, 0.10, 0.0])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lumbar_share": (1.0, 0.0)},
        {"lumbar_share": (0.0,) * 6},
        {"sacrum_forward_deg": 40.0},
        {"soft_tissue": 0.0},
        {"thorax_length": -1.0},
    ],
)
def test_bad_body_shapes_are_refused(kwargs):
    with pytest.raises(ConfigError):
        BodyProportions(**kwargs)


def test_unknown_arm_position_is_refused():
    with pytest.raises(ConfigError, match="arms"):
        Posture(arms="akimbo")


@pytest.mark.slow
@pytest.mark.parametrize("index", [1, 4])  # heldout2 and heldout5: arms folded, lumbar bend low / high
def test_held_out_body_sway_is_not_tilt_and_tilt_is(tmp_path, index):
    """Two held-out bodies through MediaPipe (2 s clips at 15 fps, default camera, crf 26): the trunk swaying
    +-10 deg with the pelvis still moves the outline tilt by at most 0.15 deg per degree (issue 13's target),
    and the pelvis tilting 0..20 deg with the trunk upright reads at 0.8-1.2 deg per degree. Measured here
    after issue 13's third round (the hip's drift rate from the pelvis's outline): heldout2 -0.05 and 0.95,
    heldout5 0.02 and 0.95 (before it -0.17 and 0.80, 0.07 and 0.90). On renders after the renderer fix
    (trunk shading bands inside the body, offsets recalibrated) heldout5 still passes; heldout2 reads -0.17
    and 0.65 (later -0.14 and 0.72) and was an expected failure: the tilt slope followed which way the body
    faces in the picture (MediaPipe's hip landmarks on a mirror image, docs/outline-decisions.md, "Short
    clips"). With the hip's height taken from the soles (``outline_hip_from_floor``, chosen on the design
    bodies) heldout2 reads -0.01 and 1.04, heldout5 0.02 and 1.03. The tilt sweep is filmed ``side_right``
    and the sway ``side_left`` for both bodies; outline_population films heldout2 the other way round."""
    import warnings

    from movelab.extraction import extract
    from movelab.kinematics import outline_estimates
    from movelab.synth import render_clip

    pb = HELD_OUT_BODIES[index]
    slopes = {}
    for kind, motion, view in (
        ("sway", Posture(sway_amplitude_deg=10.0, period_s=2.0 / 1.3, duration_s=2.0, arms=pb.arms), "side_left"),
        (
            "tilt",
            Posture(pelvic_tilt_deg=10.0, tilt_amplitude_deg=10.0, period_s=2.0, duration_s=2.0, arms=pb.arms),
            "side_right",
        ),
    ):
        clip = render_clip(motion, view=view, fps=15, body=pb.body)
        video = clip.write(tmp_path / f"{kind}.mp4", crf=26)["video"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = outline_estimates(extract(video, use_cache=False), views=view)
        x = clip.truth["trunk_lean" if kind == "sway" else "pelvic_tilt"].to_numpy()
        y = est["pelvic_tilt"].to_numpy()
        ok = np.isfinite(y)
        assert ok.mean() >= 0.6, f"{pb.name} {kind}: {ok.mean():.0%} of frames measured"
        slopes[kind] = np.polyfit(x[ok], y[ok], 1)[0]
    assert abs(slopes["sway"]) <= 0.15, slopes
    assert 0.8 <= slopes["tilt"] <= 1.2, slopes


@pytest.mark.parametrize("body", [b.body for b in DESIGN_BODIES[:2] + HELD_OUT_BODIES[3:5]])
@pytest.mark.parametrize(("tilt", "lordosis"), [(35.0, 39.4), (15.0, 27.4)])
def test_every_body_meets_the_strong_tilt_sweeps_ends(body, tilt, lordosis):
    """The strong-tilt sweep of scripts/accuracy/outline_population.py reaches 35 deg of tilt with 39 deg of
    lordosis (and 15 / 27 at its other end) on design and held-out bodies, the trunk upright."""
    angles = _standing_angles(Posture(pelvic_tilt_deg=tilt, lordosis_deg=lordosis, duration_s=0.2), body)
    assert angles["pelvic_tilt"] == pytest.approx(tilt, abs=1e-6)
    assert angles["lumbar_lordosis"] == pytest.approx(lordosis, abs=0.01)  # design2 at 39.4: 39.404
    assert angles["trunk_lean"] == pytest.approx(0.0, abs=0.01)
