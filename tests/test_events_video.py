"""Events end to end on video: rendered mannequin clips (known events) and the real Sports2D walk (initial
contacts and toe-offs read frame by frame by eye, ``tests/data/demo_walk_contacts.json`` and
``demo_walk_toe_offs.json``).

Each clip is rendered once (640x480, 30 fps, 2-3.5 s), run through the real pose extraction and shared by
the tests of this module.
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movelab.events import segment
from movelab.extraction import extract
from movelab.kinematics import compute_motion, detect_views

pytestmark = pytest.mark.slow

FPS = 30.0
DATA = Path(__file__).parent / "data"
QUICK = dict(descent_s=0.55, pause_bottom_s=0.1, ascent_s=0.55, pause_top_s=0.25, lead_in_s=0.35)


def _motions() -> dict:
    from movelab.synth import Gait, Lunge, Posture, Squat

    return {
        # name: (motion, view, camera sees the whole motion?)
        "squat_side": (Squat(depth_deg=100, trunk_lean_deg=35, reps=2, **QUICK), "side_right", True),
        "squat_front": (Squat(depth_deg=80, trunk_lean_deg=30, reps=2, **QUICK), "front", True),
        "lunge_side": (
            Lunge(
                kind="forward",
                lead_side="right",
                reps=1,
                step_s=0.5,
                descent_s=0.6,
                pause_bottom_s=0.1,
                ascent_s=0.6,
                pause_top_s=0.3,
                lead_in_s=0.3,
            ),
            "side_left",
            True,
        ),
        "gait_overground": (Gait(cadence_spm=110, duration_s=3.5), "side_right", False),
        "gait_treadmill": (Gait(cadence_spm=95, treadmill=True, duration_s=3.0), "side_left", True),
        "posture_side": (Posture(duration_s=2.0, sway_amplitude_deg=5, period_s=2.0), "side_right", True),
    }


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """``get(name)`` renders, extracts and segments one clip the first time it is asked for; returns
    ``(segmentation, true events, per-frame "whole figure in the picture")``."""
    from movelab.synth import camera_for_view, render_clip

    folder = tmp_path_factory.mktemp("event_clips")
    done: dict[str, tuple] = {}

    def get(name: str):
        if name not in done:
            motion, view, whole = _motions()[name]
            clip = render_clip(motion, view=view)
            if not whole:  # a camera that sees 2.6 m of the walk: the walker enters and leaves
                scene = motion.scene(clip.body)
                camera = camera_for_view(
                    view,
                    distance_m=7.0,
                    camera_height_m=scene.look_at_m[1],
                    look_at_m=scene.look_at_m,
                    width_px=640,
                    height_px=480,
                    fit_width_m=2.6,
                    fit_height_m=1.25 * clip.body.height_m,
                )
                clip = dataclasses.replace(clip, camera=camera)
            path = clip.write(folder / f"{name}.mp4")["video"]
            ds = extract(path, use_cache=False)
            views = detect_views(ds)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                motion_data = compute_motion(ds, views=views)
            truth = clip.truth
            xs = truth[[c for c in truth.columns if c.endswith("_x_px")]].to_numpy()
            inside = ((xs >= 0) & (xs <= clip.camera.width_px - 1)).all(axis=1)
            done[name] = (segment(motion_data), clip.events(), inside)
        return done[name]

    return get


def _in_view(events: list[dict], inside: np.ndarray, margin_s: float = 0.2) -> list[dict]:
    """True events whose whole figure is in the picture from ``margin_s`` before to after them (a swing
    must be seen to start or end)."""
    m = int(round(margin_s * FPS))
    return [
        e for e in events if m <= e["frame"] < inside.size - m and inside[e["frame"] - m : e["frame"] + m + 1].all()
    ]


def _errors(found: pd.DataFrame, truth: list[dict]) -> list[float]:
    errors = []
    for e in truth:
        same = found[
            (found["event"] == e["event"]) & (found["side"].isna() if e["side"] is None else found["side"] == e["side"])
        ]
        gap = (same["time_s"] - e["time_s"]) * FPS
        assert len(gap), f"no {e['event']} {e['side']} found (true at frame {e['frame']})"
        errors.append(float(gap.iloc[int(np.argmin(gap.abs().to_numpy()))]))
    return errors


@pytest.mark.parametrize(
    "name, movement",
    [
        ("squat_side", "squat"),
        ("squat_front", "squat"),
        ("lunge_side", "lunge"),
        ("gait_overground", "gait"),
        ("gait_treadmill", "gait"),
        ("posture_side", "posture"),
    ],
)
def test_recognition_on_rendered_video(rendered, name, movement):
    assert rendered(name)[0].movement == movement


@pytest.mark.parametrize("name", ["squat_side", "lunge_side"])
def test_rep_events_within_two_frames(rendered, name):
    seg, truth, _ = rendered(name)
    motion = _motions()[name][0]
    assert len(seg.reps) == motion.reps
    errors = _errors(seg.events, truth)
    print(name, np.round(errors, 2))
    assert max(abs(e) for e in errors) <= 2.0
    assert len(seg.events) == len(truth)
    if name == "lunge_side":
        assert seg.reps["lead_leg"].tolist() == ["right"]
        # the stepping (far) foot is seen only once it sets off (visibility 0.2 while standing), so the
        # pelvis's displacement times the rep, not the other foot (docs/events.md)
        assert seg.reps["timed_by"].tolist() == ["pelvis_motion"]
    else:
        assert seg.reps["peak_knee_flexion_deg"].to_numpy() == pytest.approx(100.0, abs=10.0)
        assert seg.reps["timed_by"].tolist() == ["knee_flexion"] * 2


def test_squat_front_view(rendered):
    """Every start, bottom and end within 2 frames: from the front the starts and ends are timed by the
    head's drop with a fourth-root fit (the pelvis drop's square-root fit was 3.5-5.2 frames off on this
    clip, docs/events.md)."""
    seg, truth, _ = rendered("squat_front")
    assert len(seg.reps) == 2
    errors = dict(zip([f"{e['event']}{i // 3}" for i, e in enumerate(truth)], _errors(seg.events, truth)))
    print(errors)
    assert all(abs(v) <= 2.0 for v in errors.values())
    assert len(seg.events) == len(truth)
    assert np.isfinite(seg.reps["knee_fppa_left_at_depth_deg"]).all()
    assert seg.reps["timed_by"].tolist() == ["head_drop"] * 2


@pytest.mark.parametrize("name", ["gait_overground", "gait_treadmill"])
def test_gait_events_within_two_frames(rendered, name):
    seg, truth, inside = rendered(name)
    seen = _in_view(truth, inside)
    assert len(seen) >= 5
    errors = _errors(seg.events, seen)
    print(name, np.round(errors, 2))
    assert max(abs(e) for e in errors) <= 2.0
    # nothing else found while the whole walker was in view
    first, last = seen[0]["time_s"] - 0.1, seen[-1]["time_s"] + 0.1
    assert seg.events["time_s"].between(first, last).sum() == len(seen)
    # The cadence criterion (5 %). On these 3-s clips cadence rests on 4-5 contacts, so one
    # contact moving by 1-2 frames (still within the 2-frame limit above) moves cadence by ~3 %.
    assert seg.gait["cadence_spm"] == pytest.approx(_motions()[name][0].cadence_spm, rel=0.05)
    assert seg.gait["ground"] == ("treadmill" if "treadmill" in name else "overground")


def test_gait_events_of_the_shipped_sample_walk():
    """``sample_videos/gait_side.mp4`` (108 steps/min, the whole walk in view): MediaPipe exchanges the legs
    for a few frames at a right contact; the per-label outlier rejection used to half-undo that, the front
    heel read 30 px behind where it landed, the contact came 3.1 frames late and a toe-off was lost. The
    velocity method now sorts feet cleaned without per-label steps (docs/events.md). This render's feet are
    planted (they stop at once), which the stance level of issue 16 catches before they stop: contacts are
    −2.5 to +1.1 frames here (−1.2 on average), toe-offs within 1.1 (docs/events-accuracy.md)."""
    video = Path(__file__).parents[1] / "sample_videos" / "gait_side.mp4"
    truth = json.loads(video.with_suffix(".truth.json").read_text())
    ds = extract(video, use_cache=False)
    views = detect_views(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        seg = segment(compute_motion(ds, views=views))
    table = pd.read_csv(video.with_suffix(".truth.csv"))
    xs = table[[c for c in table.columns if c.endswith("_x_px")]].to_numpy()
    seen = _in_view(truth["events"], ((xs >= 0) & (xs <= truth["width_px"] - 1)).all(axis=1))
    assert seg.movement == "gait" and len(seen) >= 10
    errors = _errors(seg.events, seen)
    contact = [e["event"] == "initial_contact" for e in seen]
    assert max(abs(e) for e, c in zip(errors, contact) if c) <= 2.5, np.round(errors, 1).tolist()
    assert max(abs(e) for e, c in zip(errors, contact) if not c) <= 2.0, np.round(errors, 1).tolist()
    first, last = seen[0]["time_s"] - 0.1, seen[-1]["time_s"] + 0.1
    assert seg.events["time_s"].between(first, last).sum() == len(seen)


def test_posture_has_no_events(rendered):
    seg, _, _ = rendered("posture_side")
    assert seg.events.empty and seg.to_report() == {"movement": "posture"}


# ----------------------------------------------------------------------------- real video


@pytest.fixture(scope="module")
def demo_segmentation(demo_video):
    ds = extract(demo_video)  # cached: the landmarks of this video are not what is tested here
    views = detect_views(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        motion_data = compute_motion(ds, views=views)
    return segment(motion_data)


def test_demo_walk_initial_contacts_match_a_reading_by_eye(demo_segmentation):
    reading = json.loads((DATA / "demo_walk_contacts.json").read_text())
    seg = demo_segmentation
    assert seg.movement == "gait"
    contacts = seg.events[seg.events["event"] == "initial_contact"]
    for read in reading["initial_contacts"]:
        same = contacts[contacts["side"] == read["side"]]
        off = (same["time_s"] * FPS - read["frame"]).abs()
        print(read, f"found {same['time_s'].iloc[int(np.argmin(off.to_numpy()))] * FPS:.2f}")
        # issue 16's criterion: 2 frames on every contact (+0.1 to +1.2 measured, docs/events-accuracy.md); the
        # levels used before (10 % of the swing's peak) were +0.8 to +2.0 late
        assert off.min() <= 2.0, f"contact read at frame {read['frame']} ({read['side']}): {same}"
    # every contact found between the first and last read ones was read
    inner = contacts[
        contacts["time_s"].between(
            (reading["initial_contacts"][0]["frame"] - 3) / FPS, (reading["initial_contacts"][-1]["frame"] + 3) / FPS
        )
    ]
    assert len(inner) == len(reading["initial_contacts"])


def test_demo_walk_toe_offs_match_a_reading_by_eye(demo_segmentation):
    """Toe-offs within 3 frames of the reading (the toe leaves between the last frame on the ground and the
    next; measured −0.5 to −2.8: the real toe starts forward before it lifts), none missed or added."""
    reading = json.loads((DATA / "demo_walk_toe_offs.json").read_text())
    toe_offs = demo_segmentation.events[demo_segmentation.events["event"] == "toe_off"]
    for read in reading["toe_offs"]:
        same = toe_offs[toe_offs["side"] == read["side"]]
        off = (same["time_s"] * FPS - (read["last_on_ground"] + 0.5)).abs()
        assert off.min() <= 3.0, f"toe-off read after frame {read['last_on_ground']} ({read['side']}): {same}"
    first, last = reading["toe_offs"][0]["last_on_ground"] - 3, reading["toe_offs"][-1]["last_on_ground"] + 3
    assert toe_offs["time_s"].between(first / FPS, last / FPS).sum() == len(reading["toe_offs"])


def test_demo_walk_cadence_within_five_percent(demo_segmentation):
    reading = json.loads((DATA / "demo_walk_contacts.json").read_text())
    frames = [c["frame"] for c in reading["initial_contacts"]]
    by_eye = 60.0 * FPS * (len(frames) - 1) / (frames[-1] - frames[0])
    assert by_eye == pytest.approx(reading["cadence_spm_from_reading"], abs=0.1)
    assert demo_segmentation.gait["cadence_spm"] == pytest.approx(by_eye, rel=0.05)
