"""The webcam page's live counter: exact knee angles from points, hysteresis on a known sequence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from movelab.app.live import LiveCounter, knee_flexion_2d


def leg_points(flexion_deg: float, *, side: str = "left") -> tuple[np.ndarray, np.ndarray]:
    """A thigh straight down from the hip and a shank turned by ``flexion_deg``; the other leg unseen."""
    xy = np.zeros((33, 2))
    visibility = np.zeros(33)
    hip, knee, ankle = (23, 25, 27) if side == "left" else (24, 26, 28)
    xy[hip], xy[knee] = (100.0, 100.0), (100.0, 200.0)
    a = math.radians(flexion_deg)
    xy[ankle] = (100.0 - 100.0 * math.sin(a), 200.0 + 100.0 * math.cos(a))
    visibility[[hip, knee, ankle]] = 1.0
    return xy, visibility


@pytest.mark.parametrize("flexion", [0.0, 30.0, 90.0, 120.0])
@pytest.mark.parametrize("side", ["left", "right"])
def test_knee_flexion_is_read_from_either_leg(flexion, side):
    assert knee_flexion_2d(*leg_points(flexion, side=side)) == pytest.approx(flexion, abs=1e-9)


def test_an_unseen_leg_gives_nan():
    xy, visibility = leg_points(90.0)
    assert math.isnan(knee_flexion_2d(xy, visibility * 0.2))


def test_the_counter_counts_full_reps_only_and_ignores_jitter():
    counter = LiveCounter()
    standing_jitter = [5, 12, 8, 28, 10]
    rep = [20, 45, 80, 110, 95, 50, 25, 8]
    half_rep = [20, 45, 55, 40, 10]  # never past 60°: not a rep
    trace = standing_jitter + rep + half_rep + [math.nan] + rep + standing_jitter
    counts = [counter.update(v) for v in trace]
    assert counts[-1] == 2
    assert counts.index(1) == len(standing_jitter) + rep.index(25)  # counted on the way back up
