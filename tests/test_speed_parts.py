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
def test_sparse_search_keeps_the_walker_and_looks_for_others_rarely(demo_clip):
    """With one look for others per second (plus looks on motion), the client is still only ever the walker.

    It finds her in fewer frames than looking on every frame (measured: 52 of her 101 frames, from frame 58,
    against 101 from frame 19): the IMAGE-mode look misses her while she is half in the picture. That is
    why the schedule is opt-in (docs/pose.md, Speed)."""
    from movelab.config import ExtractConfig
    from movelab.extraction import extract

    ds = extract(demo_clip, config=ExtractConfig(search_every_s=1.0), use_cache=False)
    detected = ds["detected"].values
    hips_y = ds["position_norm"].sel(keypoint=["left_hip", "right_hip"], space_3d="y").mean("keypoint").values
    assert detected.sum() >= 45 and np.all(hips_y[detected] > 0.55)
    assert not detected[:17].any()


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
