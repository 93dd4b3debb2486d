"""Heel rise from the heel and the ankle together (``movelab.findings.heel_rise_deg``).

A side-view foot, heel to toe 60 px, ankle 50 px behind the toe and 25 px above the floor, stands still for
10 frames and then either rolls on its toes (heel and ankle rise together, as a rigid foot does) or only its
heel landmark drifts up (the pose model's error seen on a held-out body filmed from 1.2 m with the knees
swivelled: heels 5-7 px up, ankles and rendered heels still).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from movelab import landmarks as lm
from movelab.findings import heel_rise_deg

FLOOR_Y, TOE_X, HEEL_X, ANKLE_X, ANKLE_UP = 400.0, 300.0, 240.0, 250.0, 25.0
STANDING = np.arange(20) < 10


def _feet(pitch_deg: float, *, ankle_follows: bool = True, ankle_seen: bool = True):
    """Both feet (same image points), standing for 10 frames, then pitched by ``pitch_deg`` about the toe."""
    n = STANDING.size
    px = np.full((n, len(lm.KEYPOINTS), 2), np.nan)
    p = np.where(STANDING, 0.0, math.radians(pitch_deg))
    heel = np.column_stack([TOE_X - (TOE_X - HEEL_X) * np.cos(p), FLOOR_Y - (TOE_X - HEEL_X) * np.sin(p)])
    lever = TOE_X - ANKLE_X
    ankle_rise = lever * np.sin(p) + ANKLE_UP * (np.cos(p) - 1) if ankle_follows else np.zeros(n)
    ankle = np.column_stack([np.full(n, ANKLE_X), FLOOR_Y - ANKLE_UP - ankle_rise])
    for side in ("left", "right"):
        px[:, lm.KEYPOINTS.index(f"{side}_heel")] = heel
        px[:, lm.KEYPOINTS.index(f"{side}_foot_index")] = [TOE_X, FLOOR_Y]
        if ankle_seen:
            px[:, lm.KEYPOINTS.index(f"{side}_ankle")] = ankle
    ds = lm.from_arrays(time_s=np.arange(n) / 30.0, position_px=px, width_px=640, height_px=480)
    return ds["position_px"]


def test_a_foot_rolling_on_its_toes_reads_its_pitch():
    rise = heel_rise_deg(_feet(15.0), STANDING)
    assert rise[STANDING] == pytest.approx(0.0, abs=1e-9)
    # the ankle sits 25 px above the floor: it rises lever·sin(p) − height·(1 − cos(p)), 1° short of 15°
    assert rise[~STANDING] == pytest.approx(15.0, abs=1.5)


def test_a_heel_landmark_rising_without_the_ankle_is_not_a_lift():
    rise = heel_rise_deg(_feet(8.0, ankle_follows=False), STANDING)
    assert np.nanmax(rise) == pytest.approx(0.0, abs=1e-9)


def test_without_an_ankle_landmark_the_heel_alone_counts():
    rise = heel_rise_deg(_feet(8.0, ankle_seen=False), STANDING)
    assert rise[~STANDING] == pytest.approx(8.0, abs=1e-6)


def test_an_ankle_landmark_sinking_under_a_flat_foot_does_not_tip_it_down():
    """At a deep squat's bottom the ankle landmark sinks a few pixels as the shin tips forward; on its 50 px
    lever 5 px would read −5.7°. The foot stays flat: 0, not negative."""
    position = _feet(0.0).copy()
    ankle = [lm.KEYPOINTS.index(f"{side}_ankle") for side in ("left", "right")]
    sunk = position.values.copy()
    sunk[np.ix_(~STANDING, ankle, [1])] += 5.0
    rise = heel_rise_deg(position.copy(data=sunk), STANDING)
    assert rise[~STANDING] == pytest.approx(0.0, abs=1e-9)
