"""`movelab extract` as a user runs it: outputs on success; for each bad input a one-line error, a
non-zero exit, no traceback, and nothing left in --out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from videos import make_audio_only, make_text_file, make_truncated, make_undecodable, write_video  # noqa: E402


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "movelab", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *, code: int, needle: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("movelab: error: ") and needle in lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def small_video(tmp_path_factory) -> Path:
    """A 20-frame 160x120 picture of moving grey bars: a valid video with nobody in it."""
    path = tmp_path_factory.mktemp("v") / "empty_scene.mp4"
    ramp = np.linspace(0, 255, 160, dtype=np.uint8)
    return write_video(path, lambda i: np.dstack([np.tile(np.roll(ramp, 4 * i), (120, 1))] * 3), n_frames=20)


@pytest.mark.slow
def test_extract_writes_landmarks_and_summary(demo_clip, tmp_path):
    out = tmp_path / "out"
    result = run_cli("extract", str(demo_clip), "--out", str(out), "--max-frames", "45", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["landmarks.nc", "summary.json"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["video"]["frames"] == 45
    assert summary["pose"]["detected_frames"] >= 20  # the walker is in view from frame 19


def bad_inputs(tmp: Path, small: Path) -> dict[str, tuple[Path, int, str]]:
    (tmp / "folder.mp4").mkdir()
    (tmp / "empty.mp4").write_bytes(b"")
    return {
        "missing": (tmp / "nope.mp4", 2, "nope.mp4"),
        "directory": (tmp / "folder.mp4", 2, "is a directory"),
        "empty": (tmp / "empty.mp4", 2, "empty"),
        "text named mp4": (make_text_file(tmp / "notes.mp4"), 2, "notes.mp4"),
        "audio only": (make_audio_only(tmp / "tone.m4a"), 2, "tone.m4a"),
        "truncated before any frame": (make_truncated(small, tmp / "stub.mp4", 0.02), 2, "stub.mp4"),
        "unreadable frames": (make_undecodable(small, tmp / "noise.mp4"), 2, "noise.mp4"),
        "no person": (small, 3, "no person"),
    }


CASES = [
    "missing",
    "directory",
    "empty",
    "text named mp4",
    "audio only",
    "truncated before any frame",
    "unreadable frames",
    pytest.param("no person", marks=pytest.mark.slow),
]  # runs the pose model


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_and_leaves_nothing(case, small_video, tmp_path):
    path, code, needle = bad_inputs(tmp_path, small_video)[case]
    out = tmp_path / "out"
    result = run_cli("extract", str(path), "--out", str(out), "--no-cache")
    assert_one_line_error(result, code=code, needle=needle)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging left behind


@pytest.mark.slow  # the pose model finds nobody in the small video
def test_existing_out_folder_keeps_its_files_on_failure(small_video, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"earlier": true}')
    result = run_cli("extract", str(small_video), "--out", str(out), "--no-cache")
    assert result.returncode == 3
    assert json.loads((out / "summary.json").read_text()) == {"earlier": True}


@pytest.mark.slow
def test_truncated_video_with_frames_is_analysed_up_to_the_break(demo_clip, tmp_path):
    cut = make_truncated(demo_clip, tmp_path / "cut.mp4", 0.6)
    out = tmp_path / "out"
    result = run_cli("extract", str(cut), "--out", str(out), "--no-cache", "--quiet")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("movelab: warning:")]
    assert warnings and "Traceback" not in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["video"]["truncated"] is True
    assert 30 < summary["video"]["frames"] < 120


def test_unavailable_webcam_is_a_clear_error(tmp_path):
    result = run_cli("extract", "7", "--out", str(tmp_path / "out"))
    assert_one_line_error(result, code=2, needle="webcam 7")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--person", "a,b"], "--person"),
        (["--num-poses", "0"], "--num-poses"),
    ],
)
def test_bad_options_are_one_line(small_video, tmp_path, args, needle):
    result = run_cli("extract", str(small_video), "--out", str(tmp_path / "o"), *args)
    assert result.returncode == 2 and needle in result.stderr and "Traceback" not in result.stderr
