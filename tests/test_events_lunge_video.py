"""Lunges and split squats end to end on video: rendered mannequin clips (known events) run through the real
pose extraction and :func:`movelab.events.segment` with ``movement="auto"``.

Each clip is quick (640x480, 30 fps, 2 reps, ~3-4 s) and rendered once per session. Start/end tolerances are
the method's measured accuracy for that view and movement where one clip's errors were a draw of the pose model's
noise: the split squat from the front takes the worst of ``split_front_L`` over three encodings rendered after
the renderer's trunk-shading fix (3.6 frames; 2.7-3.2 on the renders before it: docs/events-accuracy.md,
*Rep timing after the renderer's trunk-shading fix*). Its earlier 2.0, the errors on one render plus half a
frame, failed on this clip rendered after the fix (2.4 and 2.5 frames). The others are the errors achieved on
these clips plus about half a frame, within the table's for their view
(``scripts/accuracy/lunge_timing_accuracy.py`` measures more views, depths and tempos; docs/events.md).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from movelab.events import segment
from movelab.extraction import extract
from movelab.kinematics import compute_motion, detect_views

pytestmark = pytest.mark.slow

FPS = 30.0
QUICK = dict(step_s=0.5, descent_s=0.6, ascent_s=0.6, pause_bottom_s=0.1, pause_top_s=0.3, lead_in_s=0.35)

#: name: (Lunge keyword arguments, view, largest start/end error in frames, the signals that may time the reps)
CLIPS = {
    # forward lunge from the front: timed by the head's drop (the stepping foot's lift and perspective cancel)
    "fwd_front": (dict(kind="forward", lead_side="left", reps=2, **QUICK), "front", 2.0, {"head_drop"}),
    # forward lunge from behind: the stepping foot; recognised by the foot's travel
    "fwd_back": (
        dict(kind="forward", lead_side="right", reps=2, depth_deg=80, **QUICK),
        "back",
        1.5,
        {"stepping_foot"},
    ),
    # split squat from the side: the lead knee's flexion when the pose model keeps the stance apart throughout,
    # else the pelvis height's fit (reps._stance_kept). Which one is a property of the render, not of the method:
    # rendered after the trunk-shading fix, MediaPipe reads the ankles together for the first 0.27 s (standing),
    # the check sends both reps to the pelvis fit (max 0.9 frames; the knee flexion would give 3.7)
    "split_side": (
        dict(
            kind="split",
            lead_side="right",
            reps=2,
            depth_deg=95,
            descent_s=0.7,
            ascent_s=0.7,
            pause_bottom_s=0.1,
            pause_top_s=0.5,
            lead_in_s=0.5,
        ),
        "side_right",
        1.5,
        {"lead_knee_flexion", "pelvis_height_fit"},
    ),
    # split squat from the front: the pelvis height's rise-then-drop fit
    "split_front": (
        dict(
            kind="split",
            lead_side="left",
            reps=2,
            depth_deg=85,
            descent_s=0.8,
            ascent_s=0.8,
            pause_bottom_s=0.1,
            pause_top_s=0.5,
            lead_in_s=0.5,
        ),
        "front",
        3.6,  # split_front_L after the renderer fix, worst over crf 20/26/30 (docs/events-accuracy.md)
        {"pelvis_height_fit"},
    ),
}
#: clips of ``scripts/accuracy/lunge_timing_accuracy.py`` for single tests:
#: name: (Lunge keyword arguments, view, x264 crf)
MORE = {
    # h2_fwd_back_L_slow
    "fwd_back_slow": (
        dict(kind="forward", lead_side="left", reps=2, depth_deg=70, descent_s=1.3, ascent_s=1.1),
        "back",
        26,
    ),
    # h2_fwd_back_R_quick, encoded at crf 20
    "fwd_back_quick_crf20": (
        dict(
            kind="forward",
            lead_side="right",
            reps=2,
            depth_deg=85,
            step_s=0.5,
            descent_s=0.6,
            ascent_s=0.6,
            pause_bottom_s=0.1,
            pause_top_s=0.3,
        ),
        "back",
        20,
    ),
}


@pytest.fixture(scope="session")
def lunge_clip(tmp_path_factory):
    from movelab.synth import Lunge, render_clip

    folder = tmp_path_factory.mktemp("lunge_clips")
    done: dict[str, tuple] = {}

    def get(name: str):
        if name not in done:
            kwargs, view = {**CLIPS, **MORE}[name][:2]
            crf = MORE[name][2] if name in MORE else 26
            clip = render_clip(Lunge(**kwargs), view=view, fps=FPS)
            ds = extract(clip.write(folder / f"{name}.mp4", crf=crf)["video"], use_cache=False)
            views = detect_views(ds)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                motion_data = compute_motion(ds, views=views)
            done[name] = (segment(motion_data), json.loads(json.dumps(clip.events())))
        return done[name]

    return get


@pytest.mark.parametrize("name", list(CLIPS))
def test_lunge_on_video(lunge_clip, name):
    kwargs, view, tolerance, timed_by = CLIPS[name]
    seg, truth = lunge_clip(name)
    assert seg.movement == "lunge"
    assert len(seg.reps) == kwargs["reps"]
    assert seg.reps["lead_leg"].tolist() == [kwargs["lead_side"]] * kwargs["reps"]
    assert set(seg.reps["timed_by"]) <= timed_by, seg.reps["timed_by"].tolist()
    assert seg.reps["timed_by"].nunique() == 1  # one signal for all reps of a clip
    for event, column, limit in (
        ("rep_start", "start_s", tolerance),
        ("rep_bottom", "bottom_s", 1.0),
        ("rep_end", "end_s", tolerance),
    ):
        true = np.array([e["time_s"] for e in truth if e["event"] == event])
        found = seg.reps[column].to_numpy()
        errors = (found - true) * FPS
        assert np.all(np.abs(errors) <= limit), (name, event, errors.round(1).tolist())


def test_slow_forward_lunge_from_behind_timed_by_the_foot_that_set_off_before_the_pelvis_dropped(lunge_clip):
    """Before its second rep the pelvis stood within 95 % of its height only after the stepping foot had set
    off: where the foot stood, taken from that stretch, gave no start, and the rep fell back on the pelvis's
    displacement (start 5.3 frames late, end 4.7 early). Where the foot stood is now taken from the foot itself
    (1.1 frames; docs/events.md). From behind MediaPipe hardly shows the feet's depth: the first rep's lead leg
    is not told (None), never the wrong one."""
    seg, truth = lunge_clip("fwd_back_slow")
    assert seg.movement == "lunge"
    assert seg.reps["timed_by"].tolist() == ["stepping_foot"] * 2
    assert set(seg.reps["lead_leg"].dropna()) <= {"left"}
    for event, column in (("rep_start", "start_s"), ("rep_bottom", "bottom_s"), ("rep_end", "end_s")):
        true = np.array([e["time_s"] for e in truth if e["event"] == event])
        errors = (seg.reps[column].to_numpy() - true) * FPS
        assert np.all(np.abs(errors) <= 1.5), (event, errors.round(1).tolist())


def test_quick_forward_lunge_from_behind_is_not_a_slow_treadmill_walk(lunge_clip):
    """``h2_fwd_back_R_quick`` of ``scripts/accuracy/lunge_timing_accuracy.py`` encoded at crf 20: the feet's jitter
    and the step made the median of the slower foot's velocity −0.056 leg lengths per second, read as a
    treadmill under a client walking at 0.053 (over ``walk_min_speed_picture``), and the steps gave five
    contacts in a walking rhythm: recognised as gait. A belt must now carry a foot steadily (in 0.35 of the
    frames; here it does not) or the client must progress through the picture (docs/events.md)."""
    seg, _ = lunge_clip("fwd_back_quick_crf20")
    assert seg.movement == "lunge"
    assert len(seg.reps) == 2
