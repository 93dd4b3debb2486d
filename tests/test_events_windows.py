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


def test_a_part_of_the_signals_reads_what_the_recording_holds_over_its_frames():
    """:meth:`Signals.part` gives the recording's own values over the window: its tracks, labels, times, outline
    and labelled arrays (these selected only when asked for), and a part of a part the frames it names."""
    from movelab.events._signals import build_signals
    from movelab.kinematics.geometry import point

    whole = build_signals(_noisy_squats())
    whole.point("left_heel")  # one track read before the part is taken, one after
    part = whole.part(40, 90)
    window = slice(40, 90)
    for name in ("left_heel", "right_knee"):
        np.testing.assert_array_equal(part.point(name), point(whole.position.isel(time=window), name))
    np.testing.assert_array_equal(part.view_labels, whole.views.isel(time=window).values)
    np.testing.assert_array_equal(part.time_s, whole.time_s[window])
    np.testing.assert_array_equal(part.forward, whole.forward[window])
    for name in ("position", "views", "unfiltered", "label_free"):
        assert getattr(part, name).identical(getattr(whole, name).isel(time=window)), name
    assert part.nearest_frame(float(whole.time_s[60])) == int(whole.frame[60])
    np.testing.assert_array_equal(part.hip_mid(), whole.hip_mid()[window])
    np.testing.assert_array_equal(part.part(10, 20).point("left_heel"), whole.point("left_heel")[50:60])
    assert part.usable == whole.usable and part.leg_px == whole.leg_px
