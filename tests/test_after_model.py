"""What follows the pose model (client tracker, mask -> outline, scene lines) runs in a thread while the model
works on the next frame (:class:`movelab.io.prefetch.HandOff`), with the results of running it in line."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from movelab import extraction
from movelab.io.prefetch import HandOff
from movelab.io.video import open_video
from movelab.pose.config import ExtractConfig
from movelab.pose.landmarker import Candidate

SQUAT = Path(__file__).resolve().parents[1] / "sample_videos" / "squat_side.mp4"


def test_hand_off_consumes_every_item_in_order_in_another_thread():
    seen, threads = [], set()

    def consume(item):
        seen.append(item)
        threads.add(threading.get_ident())

    with HandOff(consume, depth=2) as after:
        for i in range(200):
            after.put(i)
    assert seen == list(range(200))  # all consumed when the block is left
    assert threads and threading.get_ident() not in threads


def test_hand_off_raises_the_consumers_error_in_the_calling_thread():
    seen = []

    def consume(item):
        if item == 3:
            raise ValueError("broken at 3")
        seen.append(item)

    with pytest.raises(ValueError, match="broken at 3"):
        with HandOff(consume, depth=1) as after:
            for i in range(100):
                after.put(i)
    assert seen == [0, 1, 2]


def test_hand_off_error_in_the_block_stops_the_thread():
    before = threading.active_count()
    seen = []
    with pytest.raises(RuntimeError, match="caller"):
        with HandOff(seen.append, depth=1) as after:
            after.put(1)
            raise RuntimeError("caller")
    assert threading.active_count() == before
    assert seen in ([], [1])


class _FakeModel:
    """Stands in for the pose model: one person walking right, with a box-shaped mask; records its thread."""

    threads: set[int] = set()

    def __init__(self, *args, **kwargs) -> None:
        self.n = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def detect(self, image, time_s):
        _FakeModel.threads.add(threading.get_ident())
        h, w = image.shape[:2]
        rng = np.random.default_rng(self.n)
        self.n += 1
        norm = np.column_stack([np.linspace(0.4, 0.5, 33) + 0.002 * self.n, np.linspace(0.1, 0.9, 33), np.zeros(33)])
        norm[:, :2] += rng.normal(0, 0.002, (33, 2))
        mask = np.zeros((h, w), np.float32)
        x0 = int(0.35 * w) + self.n
        mask[int(0.08 * h) : int(0.92 * h), x0 : x0 + int(0.2 * w)] = 0.9
        return [Candidate(norm=norm, world_m=norm.copy(), visibility=np.ones(33), presence=np.ones(33), mask=mask)]


class _InLine:
    """:class:`HandOff` without a thread: ``consume`` called at once (what the extraction did before)."""

    def __init__(self, consume, **kwargs) -> None:
        self.put = consume

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _rows(monkeypatch, hand_off) -> dict[str, np.ndarray]:
    monkeypatch.setattr(extraction, "model_for", _FakeModel)
    monkeypatch.setattr(extraction, "HandOff", hand_off)
    tracked = set()
    update = extraction.ClientTracker.update

    def spy(self, *args, **kwargs):
        tracked.add(threading.get_ident())
        return update(self, *args, **kwargs)

    monkeypatch.setattr(extraction.ClientTracker, "update", spy)
    _FakeModel.threads = set()
    with open_video(SQUAT, max_frames=40) as reader:
        rows, attrs = extraction._run(reader, Path("unused.task"), ExtractConfig(mirror_hips="off"), progress=False)
    try:
        out = {name: np.array(rows.column(name)) for name in rows.column_names()}
        out["detected"] = np.array(rows.detected)
        out["frame"] = np.array(rows.frame)
    finally:
        rows.close()
    out["tracker_in_model_thread"] = np.array(bool(tracked & _FakeModel.threads))
    return out


def test_extraction_tracks_and_outlines_beside_the_model_with_the_same_rows(monkeypatch):
    handed = _rows(monkeypatch, HandOff)
    in_line = _rows(monkeypatch, _InLine)
    assert not handed.pop("tracker_in_model_thread")  # the tracker ran in the hand-off thread
    assert in_line.pop("tracker_in_model_thread")
    assert handed["detected"].sum() == 40 and "outline_px" in handed
    assert handed.keys() == in_line.keys()
    for name in handed:
        np.testing.assert_array_equal(handed[name], in_line[name], err_msg=name)
