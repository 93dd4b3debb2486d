"""The mannequin renderer: geometry of its ground truth, determinism, events, files and the CLI.

Every fixture is a rendered motion with exactly known kinematics; nothing here needs the pose model
(``tests/test_synth_detect.py`` runs the model on the shipped clips).
"""

from __future__ import annotations

import json

import av
import numpy as np
import pandas as pd
import pytest

from movelab.errors import ConfigError
from movelab.kinematics.conventions import ANGLE_NAMES, FRONTAL, SAGITTAL
from movelab.synth import (
    TRUTH_LANDMARKS,
    Appearance,
    BodyProportions,
    Gait,
    Lunge,
    Posture,
    Squat,
    ThomasTest,
    forward_kinematics,
    render_clip,
)
from movelab.synth.cli import cli_synth
from movelab.synth.skeleton import LUMBAR_JOINTS
from movelab.synth.truth import angles_2d

BODY = BodyProportions()
FPS = 10.0  # coarse sampling keeps the geometry tests fast

MOTIONS = {
    "squat": Squat(
        reps=1,
        depth_deg=110,
        trunk_lean_deg=40,
        heel_lift_deg=10,
        lumbar_flexion_deg=15,
        knee_valgus_deg=8,
        descent_s=0.8,
        ascent_s=0.8,
        pause_bottom_s=0.2,
        pause_top_s=0.2,
    ),
    "lunge": Lunge(reps=1, lead_side="right", pelvic_drop_deg=5, step_s=0.5, descent_s=0.6, ascent_s=0.6),
    "split_squat": Lunge(kind="split", reps=1, descent_s=0.6, ascent_s=0.6),
    "gait": Gait(duration_s=2.3, pelvic_drop_deg=6, asymmetry_pct=10),
    "treadmill": Gait(duration_s=1.2, treadmill=True),
    "posture": Posture(tilt_amplitude_deg=8, lordosis_per_tilt=0.8, sway_amplitude_deg=5, duration_s=2.0),
    "thomas": ThomasTest(duration_s=2.0, thigh_above_horizontal_deg=8),
}


@pytest.fixture(scope="module", params=list(MOTIONS))
def clip(request):
    """Each motion sampled at 10 fps in a right side view (frames are not rendered unless asked for)."""
    return render_clip(MOTIONS[request.param], view="side_right", fps=FPS)


def _dist(fig, a: str, b: str) -> float:
    return float(np.linalg.norm(fig.points[a] - fig.points[b]))


SEGMENTS = [
    (f"{s}_{a}", f"{s}_{b}")
    for s in ("left", "right")
    for a, b in (
        ("hip", "knee"),
        ("knee", "ankle"),
        ("shoulder", "elbow"),
        ("elbow", "wrist"),
        ("heel_ball", "toe_ball"),
        ("ankle", "heel"),
    )
]
SEGMENTS += [
    ("left_hip", "right_hip"),
    ("left_asis", "left_psis"),
    ("left_shoulder", "right_shoulder"),
    ("c7", "neck_top"),
]
SEGMENTS += [(f"spine_{a}", f"spine_{b}") for a, b in zip(LUMBAR_JOINTS[:-1], LUMBAR_JOINTS[1:])]


def test_segment_lengths_are_constant(clip):
    for a, b in SEGMENTS:
        lengths = np.array([_dist(fig, a, b) for fig in clip.figures])
        assert np.ptp(lengths) < 1e-9, f"{clip.motion.name}: {a}-{b} varies by {np.ptp(lengths)} m"
    assert _dist(clip.figures[0], "left_hip", "left_knee") == pytest.approx(BODY.thigh_m)
    assert _dist(clip.figures[0], "left_knee", "left_ankle") == pytest.approx(BODY.shank_m)


def test_stance_foot_is_on_the_floor_and_no_foot_below_it(clip):
    r = BODY.shoe_radius_m
    for fig, sample in zip(clip.figures, clip.samples):
        for side, on in (("left", sample.contact_left), ("right", sample.contact_right)):
            lowest = min(fig.points[f"{side}_heel_ball"][1], fig.points[f"{side}_toe_ball"][1]) - r
            assert lowest >= -1e-9, f"{clip.motion.name}: {side} shoe below the floor by {-lowest} m"
            if on:
                assert lowest == pytest.approx(0.0, abs=1e-9)


def test_planted_feet_do_not_slide():
    """Squat: both toe balls stay put; split squat: the rear toe ball stays put."""
    for motion, names in (
        (MOTIONS["squat"], ("left_toe_ball", "right_toe_ball")),
        (MOTIONS["split_squat"], ("right_toe_ball",)),
    ):
        figs = render_clip(motion, fps=FPS).figures
        for name in names:
            xz = np.array([fig.points[name][[0, 2]] for fig in figs])
            assert np.ptp(xz, axis=0).max() < 1e-9


def _sagittal_from_pixels(truth: pd.DataFrame, i: int, facing: str) -> dict[str, np.ndarray]:
    """Landmarks of frame ``i`` in (forward, up) image coordinates."""
    sign = 1.0 if facing == "right" else -1.0
    return {n: np.array([sign * truth.at[i, f"{n}_x_px"], -truth.at[i, f"{n}_y_px"]]) for n in TRUTH_LANDMARKS}


def _frontal_from_pixels(truth: pd.DataFrame, i: int, view: str) -> dict[str, np.ndarray]:
    """Landmarks in (figure's left, up) image coordinates: the figure's left is image right in a front view."""
    sign = 1.0 if view == "front" else -1.0
    return {n: np.array([sign * truth.at[i, f"{n}_x_px"], -truth.at[i, f"{n}_y_px"]]) for n in TRUTH_LANDMARKS}


LANDMARK_SAGITTAL = [n for n in SAGITTAL if not n.startswith(("pelvic_tilt", "lumbar", "hip_flexion_pelvic"))]


@pytest.mark.parametrize("name", ["squat", "lunge", "gait", "posture"])
@pytest.mark.parametrize("view", ["side_right", "side_left"])
def test_sagittal_angles_from_projected_joints_match_truth(name, view):
    """A distant level camera is nearly orthographic: 2D angles from the image equal the 3D truth (0.5 deg)."""
    c = render_clip(MOTIONS[name], view=view, fps=FPS, distance_m=500.0)
    truth = c.truth
    facing = "right" if view == "side_right" else "left"
    for i in range(c.n_frames):
        got = angles_2d(_sagittal_from_pixels(truth, i, facing), None)
        for angle in LANDMARK_SAGITTAL:
            assert got[angle] == pytest.approx(truth.at[i, angle], abs=0.5), (name, view, i, angle)


@pytest.mark.parametrize("name", ["squat", "lunge", "gait"])
@pytest.mark.parametrize("view", ["front", "back"])
def test_frontal_angles_from_projected_joints_match_truth(name, view):
    c = render_clip(MOTIONS[name], view=view, fps=FPS, distance_m=500.0)
    truth = c.truth
    for i in range(c.n_frames):
        got = angles_2d(None, _frontal_from_pixels(truth, i, view))
        for angle in FRONTAL:
            if angle.startswith("knee_fppa") and abs(truth.at[i, angle]) > 60:
                continue  # a leg seen end-on (lunge's rear shank) folds in projection: ill-conditioned
            assert got[angle] == pytest.approx(truth.at[i, angle], abs=0.5), (name, view, i, angle)


def test_truth_has_every_angle_and_landmark(clip):
    truth = clip.truth
    assert list(truth.columns[:2]) == ["time_s", "frame"]
    for name in ANGLE_NAMES:
        assert name in truth.columns
    for name in TRUTH_LANDMARKS:
        assert f"{name}_x_px" in truth.columns and f"{name}_y_px" in truth.columns
    undefined = FRONTAL if clip.motion.name == "thomas" else ()
    defined = [n for n in ANGLE_NAMES if n not in undefined]
    assert truth[defined].notna().all().all()
    assert truth[list(undefined)].isna().all().all()
    assert np.allclose(truth["time_s"], truth["frame"] / FPS)


def test_neutral_standing_figure_matches_the_conventions_page():
    """docs/conventions.md: a neutral standing person has hip, thigh, knee, ankle, trunk near 0, tilt 10-13."""
    t = render_clip(Posture(duration_s=0.2), fps=FPS).truth.iloc[0]
    assert t["pelvic_tilt"] == pytest.approx(11.0, abs=1e-6)
    assert t["lumbar_lordosis"] == pytest.approx(25.0, abs=1e-4)
    assert t["trunk_lean"] == pytest.approx(0.0, abs=0.01)
    for name in ("knee_flexion_left", "hip_flexion_left", "thigh_angle_left", "ankle_dorsiflexion_left"):
        assert abs(t[name]) < 1.5
    assert t["hip_flexion_pelvic_left"] == pytest.approx(t["thigh_angle_left"] + t["pelvic_tilt"])


def test_targets_are_met():
    sq = MOTIONS["squat"]
    c = render_clip(sq, fps=FPS)
    bottom = c.truth.iloc[[e["frame"] for e in c.events() if e["event"] == "rep_bottom"][0]]
    assert bottom["trunk_lean"] == pytest.approx(sq.trunk_lean_deg, abs=0.01)
    assert bottom["knee_fppa_left"] == pytest.approx(sq.knee_valgus_deg, abs=0.05)
    assert bottom["knee_fppa_right"] == pytest.approx(sq.knee_valgus_deg, abs=0.05)
    assert bottom["knee_flexion_left"] == pytest.approx(sq.depth_deg, abs=3.0)
    assert bottom["lumbar_lordosis"] == pytest.approx(25.0 - sq.lumbar_flexion_deg, abs=1e-3)
    g = Gait(duration_s=2.3, hip_extension_deg=18.0)
    thigh = render_clip(g, fps=60.0).truth["thigh_angle_left"]
    assert -thigh.min() == pytest.approx(18.0, abs=0.5)
    post = render_clip(
        Posture(pelvic_tilt_deg=20.0, lordosis_deg=35.0, trunk_lean_deg=5.0, duration_s=0.2), fps=FPS
    ).truth.iloc[0]
    assert (post["pelvic_tilt"], post["lumbar_lordosis"]) == pytest.approx((20.0, 35.0), abs=1e-3)
    assert post["trunk_lean"] == pytest.approx(5.0, abs=0.01)


def test_pelvic_tilt_moves_the_outline_and_trunk_sway_does_not_move_the_pelvis():
    """Tilt with the trunk upright changes the buttock/abdomen outline; the tilt is in the truth, lean is not."""

    def render(motion, t):
        c = render_clip(motion, fps=FPS, duration_s=t + 0.1)
        i = int(round(t * FPS))
        return c.frame(i), c.truth.iloc[i]

    bg = np.array(Appearance().background_rgb)
    still, t0 = render(Posture(duration_s=1.0), 0.0)
    tilted, t1 = render(Posture(pelvic_tilt_deg=25.0, duration_s=1.0), 0.0)
    assert t1["pelvic_tilt"] - t0["pelvic_tilt"] == pytest.approx(14.0, abs=1e-6)
    assert t1["trunk_lean"] == pytest.approx(t0["trunk_lean"], abs=0.01)
    changed = np.any(still != tilted, axis=2)
    assert changed.sum() > 500
    swayed = render_clip(Posture(sway_amplitude_deg=10.0, period_s=2.0, duration_s=2.0), fps=FPS).truth
    assert np.ptp(swayed["trunk_lean"]) > 15.0
    assert np.ptp(swayed["pelvic_tilt"]) < 1e-9 and np.ptp(swayed["lumbar_lordosis"]) < 1e-9
    assert still.shape == (480, 640, 3) and not np.all(still == bg)


def test_squat_and_lunge_events():
    sq = Squat(reps=3, descent_s=0.5, ascent_s=0.5, pause_bottom_s=0.1, pause_top_s=0.2)
    events = render_clip(sq, fps=FPS).events()
    assert [e["event"] for e in events] == ["rep_start", "rep_bottom", "rep_end"] * 3
    assert all(e["side"] is None for e in events)
    assert [e["time_s"] for e in events] == sorted(e["time_s"] for e in events)
    lunge = render_clip(Lunge(reps=2), fps=FPS)
    assert [e["event"] for e in lunge.events()] == ["rep_start", "rep_bottom", "rep_end"] * 2
    # the lead foot leaves the floor while stepping out and back
    assert lunge.truth["contact_left"].min() == 0 and lunge.truth["contact_right"].min() == 1


def test_gait_events_follow_cadence_stance_and_asymmetry():
    g = Gait(duration_s=3.0, cadence_spm=100.0, stance_fraction=0.6, asymmetry_pct=10.0)
    c = render_clip(g, fps=100.0)
    events = c.events()
    stride = 1.2
    for side in ("left", "right"):
        ic = [e["time_s"] for e in events if e["event"] == "initial_contact" and e["side"] == side]
        to = [e["time_s"] for e in events if e["event"] == "toe_off" and e["side"] == side]
        assert np.allclose(np.diff(ic), stride)
        assert len(ic) >= 2 and len(to) >= 2
        for t_ic in ic:  # the foot is on the floor from initial contact until toe-off
            i = int(round(t_ic * 100.0))
            if i + 1 < c.n_frames:
                assert c.truth.at[i + 1, f"contact_{side}"] == 1
    left_ic = [e["time_s"] for e in events if e["event"] == "initial_contact" and e["side"] == "left"]
    right_ic = [e["time_s"] for e in events if e["event"] == "initial_contact" and e["side"] == "right"]
    right_step = right_ic[0] - left_ic[0]
    left_step = left_ic[1] - right_ic[0]
    assert 200 * (left_step - right_step) / (left_step + right_step) == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize("view", ["side_left", "side_right", "front", "back", "oblique"])
def test_every_motion_renders_in_every_view(view):
    bg = np.array(Appearance().background_rgb)
    for name, motion in MOTIONS.items():
        c = render_clip(motion, view=view, fps=2.0, width_px=320, height_px=240)
        img = c.frame(c.n_frames // 2)
        assert img.shape == (240, 320, 3) and img.dtype == np.uint8
        figure = np.abs(img.astype(int) - bg).sum(axis=2) > 40
        assert figure.sum() > 800, (name, view)


def test_front_and_back_views_put_the_left_side_where_a_person_would():
    front = render_clip(Squat(reps=1), view="front", fps=FPS)
    back = render_clip(Squat(reps=1), view="back", fps=FPS)
    side = render_clip(Squat(reps=1), view="side_right", fps=FPS)
    assert front.meta()["figure_left_on_image"] == "right"
    assert back.meta()["figure_left_on_image"] == "left"
    assert side.meta()["figure_left_on_image"] == "n/a" and side.meta()["near_side"] == "right"
    assert render_clip(Squat(reps=1), view="side_left", fps=FPS).meta()["near_side"] == "left"
    assert (front.truth["left_knee_x_px"] > front.truth["right_knee_x_px"]).all()
    assert (back.truth["left_knee_x_px"] < back.truth["right_knee_x_px"]).all()


def test_rendering_is_deterministic(tmp_path):
    motion = Gait(duration_s=0.3)
    a, b = render_clip(motion, fps=FPS), render_clip(motion, fps=FPS)
    for i in range(a.n_frames):
        assert a.frame(i).tobytes() == b.frame(i).tobytes()
    pa, pb = a.write(tmp_path / "a.mp4"), b.write(tmp_path / "b.mp4")
    assert pa["video"].read_bytes() == pb["video"].read_bytes()
    assert pa["truth_csv"].read_bytes() == pb["truth_csv"].read_bytes()


def test_video_bytes_are_the_same_in_a_fresh_process(tmp_path):
    """A 4-s walk filmed from behind (the one of tests/test_events_picture.py) written twice by a fresh
    interpreter. With x264's macroblock-tree rate control on, the first encode of a process gave other
    bytes than the second for this clip (in two of three runs), and encodes of frames rendered while encoding
    varied from process to process: the landmarks and events downstream varied with them (the ground of that walk
    read as a treadmill in some runs)."""
    import subprocess
    import sys

    script = """
import dataclasses, sys
from movelab.synth import Gait, camera_for_view, render_clip
from movelab.synth.video import write_mp4
motion = Gait(cadence_spm=105, duration_s=4.0)
clip = render_clip(motion, view="back", width_px=480, height_px=640, fps=30.0)
camera = camera_for_view("back", distance_m=6.0, camera_height_m=1.2, look_at_m=motion.scene(clip.body).look_at_m,
                         width_px=480, height_px=640, fit_width_m=2.0, fit_height_m=3.2)
frames = list(dataclasses.replace(clip, camera=camera).iter_frames())
for path in sys.argv[1:]:
    write_mp4(frames, path, fps=30.0)
"""
    paths = [tmp_path / f"{k}.mp4" for k in range(2)]
    subprocess.run([sys.executable, "-c", script, *map(str, paths)], check=True)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_written_files(tmp_path):
    c = render_clip(Squat(reps=1, descent_s=0.4, ascent_s=0.4), view="front", fps=FPS)
    paths = c.write(tmp_path / "sq.mp4")
    with av.open(str(paths["video"])) as container:
        frames = [f for f in container.decode(video=0)]
    assert len(frames) == c.n_frames
    assert frames[1].time == pytest.approx(1 / FPS)
    assert (frames[0].width, frames[0].height) == (640, 480)
    table = pd.read_csv(paths["truth_csv"])
    assert len(table) == c.n_frames and set(ANGLE_NAMES) <= set(table.columns)
    meta = json.loads(paths["truth_json"].read_text())
    assert meta["motion"] == "squat" and meta["view"] == "front" and meta["fps"] == FPS
    assert meta["figure_left_on_image"] == "right"
    assert meta["parameters"]["reps"] == 1
    assert {tuple(e) for e in meta["events"]} == {("event", "side", "time_s", "frame")}


def test_cli_writes_files(tmp_path, capsys):
    out = tmp_path / "cli" / "lunge.mp4"
    code = cli_synth(
        [
            "lunge",
            "--out",
            str(out),
            "--view",
            "side",
            "--fps",
            "5",
            "--reps",
            "1",
            "--lead-side",
            "right",
            "--width-px",
            "320",
            "--height-px",
            "240",
        ]
    )
    assert code == 0
    assert out.exists() and out.with_suffix("").with_suffix(".truth.csv").exists()
    meta = json.loads((tmp_path / "cli" / "lunge.truth.json").read_text())
    assert meta["parameters"]["lead_side"] == "right" and meta["view"] == "side_right"
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Squat(depth_deg=500), "depth_deg must be in"),
        (lambda: Gait(cadence_spm=5), "cadence_spm must be in"),
        (lambda: Lunge(lead_side="middle"), "lead_side must be"),
        (lambda: render_clip(Posture(), view="top"), "view must be one of"),
        (lambda: render_clip(Posture(), width_px=641), "image size must be even"),
        (lambda: render_clip(Posture(), fps=0), "fps must be in"),
        (lambda: BodyProportions(height_m=3.0), "height_m must be in"),
        (lambda: Appearance(shirt_rgb=(0, 0, 300)), "three integers 0-255"),
        (lambda: render_clip(Posture(duration_s=0.2), fps=FPS).write("x.avi"), "must be an .mp4"),
    ],
)
def test_bad_inputs_say_what_was_expected(make, match):
    with pytest.raises(ConfigError, match=match):
        make()


def test_body_proportions_scale_the_figure():
    tall = forward_kinematics(render_clip(Posture(duration_s=0.2), fps=FPS).samples[0].pose, BODY)
    assert tall.points["head_centre"][1] + 0.115 == pytest.approx(BODY.height_m, abs=0.03)
    small = BodyProportions(height_m=1.5)
    c = render_clip(Posture(duration_s=0.2), fps=FPS, body=small)
    assert c.figures[0].points["head_centre"][1] + 0.115 * small.u == pytest.approx(1.5, abs=0.03)
    assert c.truth.iloc[0]["pelvic_tilt"] == pytest.approx(11.0, abs=1e-6)
