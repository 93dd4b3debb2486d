"""``movelab batch``: videos found by content, one row per video, failures recorded, resumable; local and Dask."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from movelab.batch import MARKER_FILE, SUMMARY_COLUMNS, find_videos, run_batch, sniff_video
from movelab.cli import main
from movelab.config import Config, ExtractConfig

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_videos"
SHORT = Config(extract=ExtractConfig(max_frames=40))
"""Each video cut to its first 40 frames (1.3 s): enough to find the client, cheap on CI."""

TIMING = ("seconds",)


def read_summary(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def without_timing(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k not in TIMING} for row in rows]


@pytest.fixture
def broken_folder(tmp_path) -> Path:
    """A folder holding one MP4 cut after 3000 bytes (no index: unreadable), a text file named like a video,
    and, in a sub-folder, another cut MP4 named without a video extension."""
    folder = tmp_path / "videos"
    (folder / "sub").mkdir(parents=True)
    (folder / "cut.mp4").write_bytes((SAMPLES / "gait_side.mp4").read_bytes()[:3000])
    (folder / "notes.mp4").write_text("not a video\n")
    (folder / "sub" / "take2.bin").write_bytes((SAMPLES / "squat_side.mp4").read_bytes()[:2000])
    return folder


@pytest.fixture
def study_folder(tmp_path) -> Path:
    """Two real clips (one in a sub-folder, named without a video extension) and one cut MP4."""
    folder = tmp_path / "study"
    (folder / "day2").mkdir(parents=True)
    shutil.copy(SAMPLES / "squat_side.mp4", folder / "squat.mp4")
    shutil.copy(SAMPLES / "posture_side.mp4", folder / "day2" / "standing.video")
    (folder / "broken.mp4").write_bytes((SAMPLES / "gait_side.mp4").read_bytes()[:3000])
    return folder


def test_videos_are_recognised_by_content_not_extension(broken_folder, tmp_path):
    found = [p.relative_to(broken_folder).as_posix() for p in find_videos(broken_folder)]
    assert found == ["cut.mp4", "sub/take2.bin"]
    assert sniff_video(SAMPLES / "squat_side.mp4") == "mp4"
    assert sniff_video(broken_folder / "notes.mp4") is None


def test_a_broken_video_gets_a_row_saying_why_and_is_skipped_when_resumed(broken_folder, tmp_path):
    out = tmp_path / "out"
    first = run_batch(broken_folder, out, config=SHORT, jobs=1)
    rows = read_summary(out / "summary.csv")
    assert [r["file"] for r in rows] == ["cut.mp4", "sub/take2.bin"]
    assert list(rows[0]) == list(SUMMARY_COLUMNS)
    assert all(r["status"] == "error" for r in rows)
    assert "cut short" in rows[0]["error"] and "\n" not in rows[0]["error"]
    assert first.ran == ("cut.mp4", "sub/take2.bin") and first.n_failed == 2
    again = run_batch(broken_folder, out, config=SHORT, jobs=1)
    assert again.ran == () and again.skipped == first.ran
    assert without_timing(read_summary(out / "summary.csv")) == without_timing(rows)
    retried = run_batch(broken_folder, out, config=SHORT, jobs=1, retry_failed=True)
    assert retried.ran == first.ran


def test_a_changed_file_or_changed_settings_runs_again(broken_folder, tmp_path):
    out = tmp_path / "out"
    run_batch(broken_folder, out, config=SHORT, jobs=1)
    (broken_folder / "cut.mp4").write_bytes((SAMPLES / "gait_side.mp4").read_bytes()[:2500])
    assert run_batch(broken_folder, out, config=SHORT, jobs=1).ran == ("cut.mp4",)
    other = Config(extract=ExtractConfig(max_frames=41))
    assert run_batch(broken_folder, out, config=other, jobs=1).ran == ("cut.mp4", "sub/take2.bin")


@pytest.mark.parametrize(
    "args, needle",
    [
        (["batch", "{missing}", "--out", "{out}"], "is not a folder"),
        (["batch", "{empty}", "--out", "{out}"], "no video found"),
        (["batch", "{empty}", "--out", "{out}", "--scheduler", "tcp://x:1"], "--scheduler needs --engine dask"),
        (["batch", "{empty}", "--out", "{out}", "--jobs", "0"], "jobs must be at least 1"),
    ],
)
def test_bad_batch_input_is_one_line(args, needle, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("no videos here")
    names = {"missing": tmp_path / "nope", "empty": tmp_path / "empty", "out": tmp_path / "out"}
    code = main([a.format(**names) for a in args])
    err = capsys.readouterr().err
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The study folder analysed once with the local process pool (2 workers)."""
    tmp = tmp_path_factory.mktemp("batch_local")
    folder = tmp / "study"
    (folder / "day2").mkdir(parents=True)
    shutil.copy(SAMPLES / "squat_side.mp4", folder / "squat.mp4")
    shutil.copy(SAMPLES / "posture_side.mp4", folder / "day2" / "standing.video")
    (folder / "broken.mp4").write_bytes((SAMPLES / "gait_side.mp4").read_bytes()[:3000])
    out = tmp / "out"
    code = main(["batch", str(folder), "--out", str(out), "--jobs", "2", "--max-frames", "40", "--quiet"])
    return folder, out, code


@pytest.mark.slow
def test_batch_analyses_each_video_into_its_folder_and_records_the_broken_one(local_run):
    folder, out, code = local_run
    assert code == 1  # one video failed
    rows = {r["file"]: r for r in read_summary(out / "summary.csv")}
    assert set(rows) == {"broken.mp4", "squat.mp4", "day2/standing.video"}
    assert rows["broken.mp4"]["status"] == "error" and "cut short" in rows["broken.mp4"]["error"]
    for name, sub in (("squat.mp4", "squat_mp4"), ("day2/standing.video", "day2/standing_video")):
        assert rows[name]["status"] == "ok" and rows[name]["error"] == ""
        assert float(rows[name]["detection_rate"]) > 0.9 and rows[name]["movement"]
        report = json.loads((out / sub / "report.json").read_text())
        assert report["video"]["frames"] == 40
        assert (out / sub / "report.html").is_file() and (out / sub / MARKER_FILE).is_file()


@pytest.mark.slow
def test_resumed_batch_skips_finished_videos(local_run, capsys):
    folder, out, _ = local_run
    before = read_summary(out / "summary.csv")
    marker = out / "squat_mp4" / MARKER_FILE
    stamp = marker.stat().st_mtime_ns
    code = main(["batch", str(folder), "--out", str(out), "--jobs", "2", "--max-frames", "40"])
    assert code == 1
    assert "0 analysed, 3 already done, 1 failed" in capsys.readouterr().err
    assert marker.stat().st_mtime_ns == stamp
    assert read_summary(out / "summary.csv") == before


@pytest.mark.slow
def test_dask_engine_on_a_two_worker_cluster_gives_the_same_summary(local_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    folder, out, _ = local_run
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = run_batch(folder, tmp_path / "out", config=SHORT, engine="dask", scheduler=cluster.scheduler_address)
        assert len(result.ran) == 3
        again = run_batch(folder, tmp_path / "out", config=SHORT, engine="dask", scheduler=cluster.scheduler_address)
        assert again.ran == () and len(again.skipped) == 3
    assert without_timing(read_summary(tmp_path / "out" / "summary.csv")) == without_timing(
        read_summary(out / "summary.csv")
    )
