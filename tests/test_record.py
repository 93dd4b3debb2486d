"""Recording from a webcam (a stand-in camera serving real video frames) with the live preview."""

from __future__ import annotations

import sys
from pathlib import Path

import av
import numpy as np
import pytest

from movelab.app.record import draw_preview, record
from movelab.cli import main
from movelab.io.video import read_frame_times

sys.path.insert(0, str(Path(__file__).parent))
from videos import FakeCamera  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def walker_frames(demo_clip) -> list[np.ndarray]:
    """BGR frames 35-79 of the demo clip: the walker fully in view, the other person on the box."""
    with av.open(str(demo_clip)) as box:
        return [f.to_ndarray(format="bgr24") for i, f in zip(range(80), box.decode(video=0)) if i >= 35]


def use_camera(monkeypatch, camera: FakeCamera) -> None:
    monkeypatch.setattr("movelab.io.webcam.cv2.VideoCapture", lambda index: camera)


def test_ctrl_c_ends_the_recording_and_keeps_it(walker_frames, monkeypatch, tmp_path):
    use_camera(monkeypatch, FakeCamera(walker_frames, stop_after=30))
    path = record(0, tmp_path / "rec.mp4")
    times = read_frame_times(path)
    assert len(times) == 30 and np.all(np.diff(times) > 0)
    assert [p.name for p in tmp_path.iterdir()] == ["rec.mp4"]  # no temporary file left


def test_preview_shows_the_skeleton_and_can_stop(walker_frames, monkeypatch, tmp_path):
    use_camera(monkeypatch, FakeCamera(walker_frames, stop_after=1000))
    shown: list[np.ndarray] = []

    def preview(image: np.ndarray) -> bool:
        shown.append(image)
        return len(shown) < 12

    path = record(0, tmp_path / "rec.mp4", preview=preview)
    assert len(read_frame_times(path)) == 12
    raw = walker_frames[0][..., ::-1]
    drawn = np.any(shown[0] != raw, axis=2)
    assert drawn.mean() > 0.001  # skeleton and knee angle text were drawn over the picture


def test_draw_preview_draws_bones_and_knee_angles():
    image = np.zeros((240, 320, 3), np.uint8)
    xy = np.full((33, 2), np.nan)
    xy[[23, 25, 27]] = [[100, 100], [100, 150], [100, 200]]  # a straight left leg
    draw_preview(image, xy)
    left_blue = (image[..., 2] > 150) & (image[..., 0] < 120)
    assert left_blue[120:180, 95:105].any()  # the thigh/shank line
    assert (image[10:60, 10:150] == 255).any()  # "knee L 0.0" text


def test_record_command_writes_recording_and_report(walker_frames, monkeypatch, tmp_path):
    use_camera(monkeypatch, FakeCamera(walker_frames, stop_after=45))
    out = tmp_path / "session"
    assert main(["record", "0", "--out", str(out), "--no-preview", "--quiet"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"recording.mp4", "report.html", "report.json", "angles.csv"} <= names
