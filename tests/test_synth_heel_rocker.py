"""The heel-rocker option of the synthetic walk (``movelab.synth.Gait(heel_rocker=True)``): the heel lands still
moving, slides, and the foot flattens; off by default, so clips rendered before it stay the same."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.synth import Gait
from movelab.synth.skeleton import BodyProportions, forward_kinematics

BODY = BodyProportions()
FPS = 30.0


def heel_track(gait: Gait, side: str, times_s: np.ndarray) -> np.ndarray:
    """World position (x forward, y up; m) of the heel landmark of ``side`` at ``times_s``."""
    return np.array(
        [forward_kinematics(gait.sample(float(t), BODY).pose, BODY).points[f"{side}_heel"][[0, 1]] for t in times_s]
    )


def test_off_by_default_and_its_settings_do_nothing_when_off():
    plain = Gait(cadence_spm=105.0, duration_s=2.0)
    off = Gait(cadence_spm=105.0, duration_s=2.0, heel_strike_speed_frac=1.2, heel_slide_m=0.08, foot_flat_s=0.2)
    assert not plain.heel_rocker
    times = np.linspace(0.0, 2.0, 13)
    np.testing.assert_array_equal(heel_track(plain, "left", times), heel_track(off, "left", times))
    assert plain.events(BODY) == off.events(BODY)


@pytest.mark.parametrize("strike, slide_m", [(0.8, 0.04), (1.1, 0.07)])
def test_heel_lands_moving_at_the_strike_speed_and_slides_then_stops(strike, slide_m):
    gait = Gait(
        cadence_spm=105.0, duration_s=3.0, heel_rocker=True, heel_strike_speed_frac=strike, heel_slide_m=slide_m
    )
    contact = gait.initial_contacts("left")[2]
    dt = 0.002
    around = heel_track(gait, "left", np.array([contact - dt, contact + dt]))
    speed = (around[1, 0] - around[0, 0]) / (2 * dt)
    assert speed == pytest.approx(strike * gait.speed_m_s, rel=0.1)
    later = heel_track(gait, "left", contact + np.array([0.0, 2 * slide_m / (strike * gait.speed_m_s), 0.25]))
    assert later[1, 0] - later[0, 0] == pytest.approx(slide_m, abs=0.005)  # the slide, then still
    assert later[2, 0] == pytest.approx(later[1, 0], abs=0.001)
    # the truth is the same schedule as the planted foot's: contact when the heel touches down
    assert gait.events(BODY) == Gait(cadence_spm=105.0, duration_s=3.0).events(BODY)


def test_planted_heel_is_at_rest_when_it_touches_down():
    gait = Gait(cadence_spm=105.0, duration_s=3.0)
    contact = gait.initial_contacts("left")[2]
    around = heel_track(gait, "left", np.array([contact - 0.002, contact + 0.002]))
    assert abs(around[1, 0] - around[0, 0]) / 0.004 < 0.05


def test_foot_is_flat_after_foot_flat_s():
    gait = Gait(cadence_spm=105.0, duration_s=3.0, heel_rocker=True, foot_flat_s=0.1)
    contact = gait.initial_contacts("left")[2]
    pitch = [gait.sample(contact + dt, BODY).pose.left_leg.foot_pitch_deg for dt in (0.0, 0.05, 0.1, 0.15)]
    assert pitch[0] < -10.0 and pitch[1] < 0.0 and pitch[2] == pytest.approx(0.0) and pitch[3] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "field, value", [("heel_strike_speed_frac", -0.1), ("heel_slide_m", 0.5), ("foot_flat_s", 0.0)]
)
def test_heel_rocker_settings_out_of_range_are_refused(field, value):
    with pytest.raises(ConfigError, match=field):
        Gait(heel_rocker=True, **{field: value})
