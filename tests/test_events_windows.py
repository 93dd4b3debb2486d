"""Each rep is timed and measured on its own frames (a long recording's reps cost their own length, not the
recording's, issue 17): the reps equal, to the bit, those found reading the whole recording for each."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.events import rep_metrics, reps, segment
from movelab.kinematics import compute_motion

sys.path.insert(0, str(Path(__file__).parent))
from test_events import figure, squat_motion  # noqa: E402


def _noisy_squats():
    """Eight squats of different depths, the hips and ankles jittered by 3 mm (a pose model's noise)."""
    t, hip, ankles, lean, _ = squat_motion(reps=8, depths=[60.0, 100.0, 80.0, 110.0, 70.0, 95.0, 105.0, 85.0])
    rng = np.random.default_rng(7)
    hip = hip + rng.normal(scale=0.003, size=hip.shape)
    ankles = {side: a + rng.normal(scale=0.003, size=a.shape) for side, a in ankles.items()}
    return compute_motion(figure(t, hip=hip, ankles=ankles, lean_deg=lean), views="side_right")


def test_reps_timed_on_their_own_frames_equal_those_timed_on_the_whole_recording(monkeypatch):
    motion = _noisy_squats()
    windowed = segment(motion, movement="auto")
    monkeypatch.setattr(reps, "_REP_WINDOW_PAD_S", 1e9)  # every rep's window: the whole run
    monkeypatch.setattr(rep_metrics, "_MEASURE_PAD_S", 1e9)
    whole = segment(motion, movement="auto")
    assert windowed.movement == whole.movement == "squat" and len(windowed.reps) == 8
    pd.testing.assert_frame_equal(windowed.reps, whole.reps, check_exact=True)
    pd.testing.assert_frame_equal(windowed.events, whole.events, check_exact=True)
