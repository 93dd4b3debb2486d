"""Walks filmed without a side view (towards the camera, from behind, obliquely), end to end on rendered
video: recognised as gait, events from the feet's speed in the picture (docs/events.md, *Gait away from
side view*), and a still client filmed from the front never taken for a walker.

Portrait 480x640 at 30 fps, 4 s, a camera at 1.2 m height 6 m from the middle of the walk (the walker
covers 4-5 m, so their size in the picture changes about two-fold): a phone filming a corridor walk.
Cadences differ from those the method was developed on (docs/events.md).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from movelab.events import segment
from movelab.extraction import extract
from movelab.kinematics import compute_motion, detect_views

pytestmark = pytest.mark.slow

FPS = 30.0


def _clips() -> dict:
    from movelab.synth import Gait, Posture

    return {
        # name: (motion, view, azimuth[, changes to the encoding (crf) or camera (distance_m, fit_*_m)])
        "towards": (Gait(cadence_spm=100, duration_s=4.0), "front", None),
        "towards_110_crf30": (Gait(cadence_spm=110, duration_s=4.0), "front", None, dict(crf=30)),
        "treadmill_front": (
            Gait(cadence_spm=100, duration_s=4.0, treadmill=True),
            "front",
            None,
            dict(distance_m=3.5, fit_width_m=1.5, fit_height_m=2.4),
        ),
        "away": (Gait(cadence_spm=105, duration_s=4.0), "back", None),
        "away_oblique": (Gait(cadence_spm=115, duration_s=4.0), "back", 215.0),
        "standing_front": (Posture(duration_s=3.0, sway_amplitude_deg=5, period_s=2.0), "front", None),
    }


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    from movelab.synth import camera_for_view, render_clip

    folder = tmp_path_factory.mktemp("picture_walks")
    done: dict[str, tuple] = {}

    def get(name: str):
        if name not in done:
            motion, view, azimuth, *changes = _clips()[name]
            options = {
                "crf": 26,
                "distance_m": 6.0,
                "fit_width_m": 2.0,
                "fit_height_m": 3.2,
                **(changes[0] if changes else {}),
            }
            clip = render_clip(motion, view=view, azimuth_deg=azimuth, width_px=480, height_px=640, fps=FPS)
            camera = camera_for_view(
                view,
                azimuth_deg=azimuth,
                distance_m=options["distance_m"],
                camera_height_m=1.2,
                look_at_m=motion.scene(clip.body).look_at_m,
                width_px=480,
                height_px=640,
                fit_width_m=options["fit_width_m"],
                fit_height_m=options["fit_height_m"],
            )
            clip = dataclasses.replace(clip, camera=camera)
            ds = extract(clip.write(folder / f"{name}.mp4", crf=options["crf"])["video"], use_cache=False)
            views = detect_views(ds)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                motion_data = compute_motion(ds, views=views)
            seen = ds["time"].values[ds["detected"].values]
            done[name] = (segment(motion_data), clip.events(), motion, (seen.min(), seen.max()))
        return done[name]

    return get


def _errors_frames(seg, truth, event: str, seen: tuple[float, float]) -> np.ndarray:
    """Detected − true, frames, for each true ``event`` of the walk while the client is seen (±0.2 s);
    NaN where none of that foot's events is within 8 frames (missed)."""
    found = seg.events[seg.events["event"] == event]
    errors = []
    for e in truth:
        if e["event"] != event or not seen[0] + 0.2 <= e["time_s"] <= seen[1] - 0.2:
            continue
        gap = (found.loc[found["side"] == e["side"], "time_s"].to_numpy() - e["time_s"]) * FPS
        nearest = gap[np.argmin(np.abs(gap))] if gap.size else np.nan
        errors.append(float(nearest) if abs(nearest) <= 8 else np.nan)
    assert len(errors) >= 4, f"only {len(errors)} true {event}s in view"
    return np.array(errors)


@pytest.mark.parametrize("name, view", [("towards", "front"), ("away", "back"), ("away_oblique", "oblique")])
def test_walk_without_side_view_is_gait(walked, name, view):
    seg, _, motion, _ = walked(name)
    assert seg.movement == "gait"
    assert seg.gait["view"] == view
    assert seg.gait["ground"] == "overground"
    assert seg.gait["cadence_spm"] == pytest.approx(motion.cadence_spm, rel=0.05)


#: Largest contact error (frames) of walks towards the camera and oblique, from
#: ``python -m scripts.accuracy.picture_gait_accuracy --crf 20`` / ``26`` / ``30`` (docs/events-accuracy.md,
#: *Gait events away from side view*: straight towards the camera 1.7-5.0 frames over the three encodings,
#: obliquely 1.3-2.4; on three of those walks rendered after the renderer's trunk-shading fix 2.4-4.3 and
#: 1.8-2.0, *Rep timing and picture gait after the renderer's trunk-shading fix*). Straight towards the
#: camera the heel's speed in the picture, scaled to the walker's, sits near the contact level (0.15 of the
#: swing's peak) for a few frames after landing, so the crossing moves by frames with the pose model's noise;
#: a single render is one draw of it.
CONTACT_LIMIT_FRAMES = {"towards": 5.0, "away_oblique": 2.4}


@pytest.mark.parametrize("name", ["towards", "away_oblique"])
def test_contacts_within_measured_accuracy_and_toe_offs_within_six(walked, name):
    """Contacts: every one found, within the method's measured accuracy for the view
    (:data:`CONTACT_LIMIT_FRAMES`; 2 frames for both, the errors of one render, failed on the walk towards the
    camera rendered after the renderer's trunk-shading fix: one contact 2.9 frames late, the heel's speed
    crossing the level after a 4-frame plateau just above it, where the earlier render crossed it by 2 %).
    Toe-offs are the weaker event away from side view (from the front the rear foot lifts its heel towards
    the camera): at least 80 % found, all within 5.5 frames (measured 5.2 on the walk towards the camera,
    encoded deterministically since 2026-11-29; 4.1-4.8 on earlier encodes of the same frames, which varied
    from run to run: docs/synth.md)."""
    seg, truth, _, seen = walked(name)
    contacts = _errors_frames(seg, truth, "initial_contact", seen)
    limit = CONTACT_LIMIT_FRAMES[name]
    assert np.isfinite(contacts).all() and np.max(np.abs(contacts)) <= limit, np.round(contacts, 1)
    toe_offs = _errors_frames(seg, truth, "toe_off", seen)
    found = np.isfinite(toe_offs)
    assert found.mean() >= 0.8 and np.max(np.abs(toe_offs[found])) <= 5.5, np.round(toe_offs, 1)


def test_walk_straight_away_has_contacts_but_no_toe_offs(walked):
    """From behind the toes are hidden: toe-offs (and stance) are not reported rather than guessed."""
    seg, truth, _, seen = walked("away")
    errors = _errors_frames(seg, truth, "initial_contact", seen)
    assert np.isfinite(errors).all() and np.mean(np.abs(errors)) <= 4.0, np.round(errors, 1)
    assert not (seg.events["event"] == "toe_off").any()
    assert seg.gait["stance_pct_left"] is None or not np.isfinite(seg.gait["stance_pct_left"])


def test_standing_client_filmed_from_the_front_is_not_walking(walked):
    seg, _, _, _ = walked("standing_front")
    assert seg.movement == "posture"
    assert seg.events.empty


@pytest.mark.parametrize("camera", ["cam02", "cam03"])
def test_real_leg_lift_filmed_obliquely_is_not_walking(pose2sim_demo, camera):
    """Real video (Pose2Sim demo, read by eye in tests/data/pose2sim_demo_events.json): the man stands, lifts
    his right leg out to the side, sets it down crossed in front and lifts the left: one right toe-off and
    contact, then a left toe-off; no walking rhythm. Before the rhythm rule, these two cameras were
    recognised as gait (220 and 85 steps/min)."""
    ds = extract(pose2sim_demo(camera))
    views = detect_views(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        motion_data = compute_motion(ds, views=views)
    seg = segment(motion_data)
    assert seg.movement == "posture"


def test_walk_towards_the_camera_is_gait_in_another_encoding(walked):
    """``towards_110`` of ``scripts/accuracy/picture_gait_accuracy.py`` encoded at crf 30: the median velocity of the
    feet's midpoint along the walk read 0.050 leg lengths per second (0.086-0.089 at crf 20 and 26), on the
    bar, and the walker's progress measured that way alone made it posture; the straight-line trend of the
    same track is 0.21 in all three encodings (docs/events.md, *Recognition*)."""
    seg = walked("towards_110_crf30")[0]
    assert seg.movement == "gait"
    assert seg.gait["cadence_spm"] == pytest.approx(110.0, rel=0.05)


def test_treadmill_walk_filmed_from_the_front_is_gait(walked):
    """No walker's progress through the picture, so only a belt that carries the feet steadily makes it a
    walk: a foot moves back at 0.5-1.5 times the ground's speed in 0.42 of the frames here (0.35-0.42 on
    three front-view treadmill walks; 0.76-0.96 from the side; at most 0.27 for lunges, squats and standing
    clients whose jitter reads as a moving ground: ``belt_min_steady`` = 0.35, docs/events.md)."""
    seg = walked("treadmill_front")[0]
    assert seg.movement == "gait"
    assert seg.gait["ground"] == "treadmill" and seg.gait["view"] == "front"
    assert seg.gait["cadence_spm"] == pytest.approx(100.0, rel=0.05)
