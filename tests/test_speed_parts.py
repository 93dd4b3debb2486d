"""The parts that make extraction fast: decoding ahead in a thread, decoding straight to a smaller size,
and the opt-in sparse search for other people."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.io.prefetch import prefetched
from movelab.io.video import open_video

sys.path.insert(0, str(Path(__file__).parent))
from videos import make_rotated  # noqa: E402

SQUAT = Path(__file__).resolve().parents[1] / "sample_videos" / "squat_side.mp4"


def test_prefetched_yields_everything_in_order():
    assert list(prefetched(iter(range(50)), depth=3)) == list(range(50))


def test_prefetched_raises_the_producers_error_where_it_happened():
    def items():
        yield 1
        yield 2
        raise ValueError("broken at 3")

    got = []
    with pytest.raises(ValueError, match="broken at 3"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1, 2]


def test_leaving_early_stops_the_producer():
    produced = []

    def items():
        for i in range(10_000):
            produced.append(i)
            yield i

    before = threading.active_count()
    for item in prefetched(items(), depth=2):
        if item == 3:
            break
    assert len(produced) < 10
    assert threading.active_count() == before


@pytest.mark.parametrize("rotation_deg", [0, 90])
def test_frames_are_decoded_straight_to_the_smaller_size_upright(rotation_deg, tmp_path):
    video = SQUAT if rotation_deg == 0 else make_rotated(SQUAT, tmp_path / "rot.mp4", rotation_deg)
    with open_video(video, max_frames=3) as full:
        reference = [f.image for f in full]
    with open_video(video, max_frames=3) as reader:
        reader.shrink_to(320)
        assert (reader.info.width_px, reader.info.height_px) == reference[0].shape[1::-1]
        images = [f.image for f in reader]
    expected = (320, 240) if rotation_deg == 0 else (240, 320)
    assert reader.image_size == expected
    assert all(im.shape == (expected[1], expected[0], 3) and im.flags.c_contiguous for im in images)
    # the same picture, at half size: compare with a 2x2 mean of the full-size frame
    small = reference[0].reshape(expected[1], 2, expected[0], 2, 3).mean(axis=(1, 3))
    assert np.mean(np.abs(small - images[0])) < 6


def test_shrinking_never_enlarges_and_rejects_silly_sizes():
    with open_video(SQUAT, max_frames=1) as reader:
        reader.shrink_to(4000)
        assert reader.image_size == (640, 480)
        with pytest.raises(ConfigError, match="at least 16"):
            reader.shrink_to(8)


@pytest.mark.slow
def test_sparse_search_chooses_the_client_as_without_it(demo_clip):
    """The schedule is dense while the client is chosen (the tracker's 5-s window), so on the two-person
    demo the walker is found from frame 19 and kept in all her frames, as without it (with sparse looks from
    the start it was frame 58 and 52 of her 101 frames: a person half in the picture is found by the
    detector in one frame only, frame 19, and then kept by VIDEO-mode tracking)."""
    from movelab.config import ExtractConfig
    from movelab.extraction import extract

    ds = extract(demo_clip, config=ExtractConfig(search_every_s=1.0), use_cache=False)
    detected = ds["detected"].values
    hips_y = ds["position_norm"].sel(keypoint=["left_hip", "right_hip"], space_3d="y").mean("keypoint").values
    assert detected[19:].mean() >= 0.95 and np.all(hips_y[detected] > 0.55)
    assert not detected[:17].any()


class _FakePose:
    """Stands in for :class:`movelab.pose.landmarker.PoseModel`: one person from ``from_s`` on, and a second
    one (for the ``num_poses`` landmarkers) from ``second_s`` on; records which landmarker saw which frame."""

    log: list = []

    def __init__(self, model_path, *, num_poses=2, video=True, **_):
        self.kind = "single" if num_poses == 1 else ("multi" if video else "search")

    def detect(self, image, time_s):
        from movelab.pose.landmarker import Candidate

        _FakePose.log.append((round(time_s, 2), self.kind))
        people = []
        for x, since in ((0.3, 1.0), (0.8, 8.0)):
            if time_s >= since and (len(people) == 0 or self.kind != "single"):
                norm = np.zeros((33, 3))
                norm[:, 0], norm[:, 1] = x + np.linspace(-0.05, 0.05, 33), np.linspace(0.1, 0.9, 33)
                people.append(Candidate(norm, norm, np.ones(33), np.ones(33)))
        return people

    def close(self):
        pass


def test_sparse_schedule_is_dense_for_the_window_then_looks_on_schedule(monkeypatch):
    from movelab.pose import schedule

    monkeypatch.setattr(schedule, "PoseModel", _FakePose)
    _FakePose.log = []
    image = np.zeros((48, 64, 3), np.uint8)  # a still picture: no motion outside the people
    with schedule.SparseSearchModel("x.task", search_every_s=2.0, dense_first_s=5.0) as model:
        for i in range(300):  # 10 s at 30 fps; someone from 1 s, a second person from 8 s
            model.detect(image, i / 30.0)
    seen: dict[float, set] = {}
    for t, kind in _FakePose.log:
        seen.setdefault(t, set()).add(kind)
    assert all(seen[round(i / 30.0, 2)] == {"multi"} for i in range(0, 180))  # nobody, then the 5-s window
    assert "single" in seen[round(181 / 30.0, 2)]  # one person after the window: one pose
    searches = sorted(t for t, k in _FakePose.log if k == "search")
    assert searches and all(b - a >= 1.9 for a, b in zip(searches, searches[1:]) if b < 8.0)  # every 2 s
    assert seen[round(9.5, 2)] == {"multi"}  # a search found the second person: every frame again


def test_warnings_from_the_decoding_thread_are_shown_by_the_consumer():
    import warnings

    def items():
        yield 1
        warnings.warn("late news", UserWarning, stacklevel=2)
        yield 2

    seen = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for item in prefetched(items()):
            seen.append((item, threading.current_thread() is threading.main_thread(), len(caught)))
    assert [str(w.message) for w in caught] == ["late news"]
    assert seen[-1] == (2, True, 1)  # shown before the item that followed it
