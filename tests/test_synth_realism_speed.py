"""The realistic renderer's faster path gives the pixels of the straightforward one, and the accuracy scripts
keep clips in parallel and resume a stopped run."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

from movelab.synth import Realism, Squat, render_clip, render_figure
from movelab.synth.clip import SynthClip
from movelab.synth.render import Prop, render_background

#: a front squat with valgus (the knee swivel is solved per sub-frame) seen small, from a third of a second in
SQUAT = Squat(reps=1, knee_valgus_deg=16.0, lead_in_s=0.2, descent_s=0.6, pause_bottom_s=0.1, ascent_s=0.5)


def _clip(*, fps: float = 30.0, **realism) -> SynthClip:
    clip = render_clip(SQUAT, view="front", width_px=160, height_px=120, fps=fps, duration_s=8 / fps)
    return dataclasses.replace(clip, realism=dataclasses.replace(Realism.phone(seed=11), **realism))


def _straightforward(clip: SynthClip) -> list[np.ndarray]:
    props = clip.motion.scene(clip.body).props + clip._clutter()
    return [clip._realistic_frame(i, props) for i in range(clip.n_frames)]


def _counted_frames(clip: SynthClip) -> tuple[list[np.ndarray], int]:
    """The frames of ``iter_frames`` and how many sub-frame renders made them."""
    original = SynthClip._shaken_render
    with mock.patch.object(SynthClip, "_shaken_render", autospec=True, side_effect=original) as spy:
        frames = list(clip.iter_frames())
    return frames, spy.call_count


def test_phone_frames_equal_the_straightforward_renders_with_fewer_sub_frame_renders():
    clip = _clip()
    frames, renders = _counted_frames(clip)
    reference = _straightforward(clip)
    assert len(frames) == len(reference) == 8
    for fast, slow in zip(frames, reference):
        assert fast.dtype == np.uint8 and np.array_equal(fast, slow)
    # 7 sub-frames a frame; consecutive frames share 2 when their times are the same number
    assert renders < 7 * 8 - 5
    assert renders >= 7 + 5 * 7


@pytest.mark.parametrize(
    "options",
    [
        dict(subframe_s=1 / 170),  # the frame interval is no whole number of sub-frame steps: nothing shared
        dict(rolling_shutter_s=0.0, shake_deg=0.0, shake_roll_deg=0.0, light_gradient=0.0, vignette=0.0),
        dict(exposure_s=0.0, noise_sigma=0.0, clutter=0),
    ],
)
def test_other_realism_options_also_equal_the_straightforward_renders(options):
    clip = _clip(**options)
    for fast, slow in zip(clip.iter_frames(), _straightforward(clip)):
        assert np.array_equal(fast, slow)


def test_frames_asked_one_by_one_equal_the_frames_of_the_clip():
    clip = _clip()
    frames = list(clip.iter_frames())
    for index in (0, 5, 3):
        assert np.array_equal(clip.frame(index), frames[index])


def test_a_background_drawn_once_gives_the_same_render():
    clip = render_clip(SQUAT, view="front", width_px=160, height_px=120, duration_s=0.5)
    props = (Prop((0.0, 0.5, -2.0), (0.8, 1.0, 0.4), (120, 90, 60)),)
    background = render_background(clip.camera, clip.appearance, props=props)
    kept = background.copy()
    for index in (0, 7, 14):
        plain = render_figure(clip.figures[index], clip.camera, clip.appearance, props=props, clothing="loose")
        fast = render_figure(
            clip.figures[index], clip.camera, clip.appearance, props=props, clothing="loose", background=background
        )
        assert np.array_equal(plain, fast)
    assert np.array_equal(background, kept)  # drawn on a copy


# ----------------------------------------------------------------------------- the scripts: --jobs and resuming


def _fake_render(name: str, out: Path, *, crf: int = 26, realistic: bool = False, without=()) -> None:
    """Stands in for a script's render: keeps ``<name>.nc`` (last) and notes the process that made it."""
    if name == "broken":
        raise ValueError("no such clip")
    (out / f"{name}.events.json").write_text("[]")
    (out / f"{name}.nc").write_text(f"{os.getpid()} {crf} {realistic} {','.join(without)}")


def _args(out: Path, *, reuse: bool, jobs: int = 1, realistic: bool = False) -> argparse.Namespace:
    return argparse.Namespace(out=out, reuse=reuse, jobs=jobs, crf=26, realistic=realistic, without=("shake",))


def test_keep_all_renders_only_the_missing_clips_with_reuse_and_every_clip_without(tmp_path):
    from scripts.accuracy._common import keep_all

    (tmp_path / "a.nc").write_text("kept before")
    keep_all(["a", "b", "c"], _args(tmp_path, reuse=True, realistic=True), _fake_render)
    assert (tmp_path / "a.nc").read_text() == "kept before"
    assert (tmp_path / "b.nc").read_text().endswith("26 True shake")
    keep_all(["a", "b"], _args(tmp_path, reuse=False), _fake_render)
    assert (tmp_path / "a.nc").read_text().endswith("26 False ")


def test_keep_all_runs_clips_in_worker_processes_and_keeps_the_others_when_one_fails(tmp_path, capsys):
    from scripts.accuracy._common import keep_all

    with pytest.raises(RuntimeError, match="1 clips could not be kept: broken"):
        keep_all(["a", "broken", "b", "c"], _args(tmp_path, reuse=True, jobs=2), _fake_render)
    pids = {int((tmp_path / f"{n}.nc").read_text().split()[0]) for n in "abc"}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    err = capsys.readouterr().err
    assert "keeping 4 of 4 clips" in err and "broken: failed: no such clip" in err and "a: kept in" in err


def test_jobs_below_one_is_a_one_line_usage_error(tmp_path, capsys):
    from scripts.accuracy._common import arguments

    with pytest.raises(SystemExit) as exit_info:
        arguments("doc", "speed_test", {"a": ("front", {}, {})}, ["--jobs", "0", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--jobs must be at least 1, got 0" in capsys.readouterr().err


def test_rep_summary_counts_missed_close_and_over_counting_per_view(capsys):
    from scripts.accuracy._common import print_rep_summary

    rows = [
        {"clip": "front80", "reps": 3, "reps_true": 2, "errors": [("s", 0.5), ("b", -2.5), ("e", np.nan)]},
        {"clip": "back60", "reps": 2, "reps_true": 2, "errors": [("s", 1.0), ("b", 2.0), ("e", -7.0)]},
        {"clip": "s_side50", "reps": 1, "reps_true": 2, "errors": [("s", np.nan), ("b", np.nan), ("e", np.nan)]},
    ]
    print_rep_summary(rows)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2] == "| front and back | 2 | 6 | 1 | 3 | 2.0 | 7.0 | 1 |"
    assert lines[-1] == "| side | 1 | 3 | 3 | 0 | — | — | 0 |"
