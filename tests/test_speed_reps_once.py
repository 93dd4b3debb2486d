"""A squat's reps are found once per analysis (issue 17, the warm cached analysis): the movement's recognition
counts the reps the segmentation then measures, instead of each running :func:`movelab.events.reps.find_reps`."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movelab.events import EventsConfig, recognise_movement, reps, segment
from movelab.events._signals import build_signals
from movelab.kinematics import compute_motion

sys.path.insert(0, str(Path(__file__).parent))
from test_events import figure, squat_motion  # noqa: E402


def _squats(view: str):
    """Four squats of different depths, hips and ankles jittered by 3 mm, seen from ``view``."""
    t, hip, ankles, lean, _ = squat_motion(reps=4, depths=[60.0, 100.0, 80.0, 110.0])
    rng = np.random.default_rng(3)
    hip = hip + rng.normal(scale=0.003, size=hip.shape)
    ankles = {side: a + rng.normal(scale=0.003, size=a.shape) for side, a in ankles.items()}
    return compute_motion(figure(t, hip=hip, ankles=ankles, lean_deg=lean, view=view), views=view)


def _counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = reps.find_reps

    def find_reps(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reps, "find_reps", find_reps)
    return calls


@pytest.mark.parametrize("view", ["side_right", "front"])
def test_a_recognised_squat_finds_its_reps_once_and_measures_the_same_reps(monkeypatch, view):
    motion = _squats(view)
    named = segment(motion, movement="squat")  # no recognition: the reps found by the segmentation alone
    calls = _counting(monkeypatch)
    auto = segment(motion)
    assert auto.movement == "squat" and len(auto.reps) == 4
    assert len(calls) == 1  # recognition and segmentation share one search (twice before)
    pd.testing.assert_frame_equal(auto.reps, named.reps, check_exact=True)
    pd.testing.assert_frame_equal(auto.events, named.events, check_exact=True)
    calls.clear()
    assert recognise_movement(motion) == "squat" and len(calls) == 1


def test_recognition_counts_the_reps_the_table_reports(monkeypatch):
    """The recognition now reads the reps timed by the knees (those of the reps table); the pelvis-timed reps it
    read before have the same bottoms and standing stretches here, which is all it reads of them."""
    motion = _squats("side_right")
    signals = build_signals(motion, config=EventsConfig())
    timed_by_knees = reps.squat_reps(signals, motion.angles, EventsConfig())
    by_pelvis = reps.find_reps(
        signals.time_s, reps.pelvis_height(signals), EventsConfig(), head=reps.head_height(signals)
    )
    assert [r.bottom for r in timed_by_knees] == [r.bottom for r in by_pelvis]
    assert [r.stand_before for r in timed_by_knees] == [r.stand_before for r in by_pelvis]
    assert {r.timed_by for r in timed_by_knees} == {("knee_flexion", "knee_flexion")}
    assert {r.timed_by for r in by_pelvis} != {("knee_flexion", "knee_flexion")}
