"""Parallel extraction of one video: time chunks in worker processes, one tracker, the same client at the seams."""

from __future__ import annotations

import math

import numpy as np
import pytest

from movelab.config import ExtractConfig
from movelab.extraction import extract
from movelab.io.video import open_video
from movelab.parallel import chunk_bounds, run_chunks
from movelab.pose.bundle import resolve_model


def test_chunks_cover_every_frame_once_with_a_warm_up_before_each_seam():
    times = np.arange(100) / 30.0
    bounds = chunk_bounds(times, 3, overlap_s=0.5)
    assert bounds[0][1] == -math.inf and bounds[-1][2] == math.inf
    for (_, _, end), (warm, start, _) in zip(bounds, bounds[1:]):
        assert start == end and warm == pytest.approx(start - 0.5)
    owners = [sum(s <= t < e for _, s, e in bounds) for t in times]
    assert owners == [1] * 100
    assert [sum(s <= t < e for t in times) for _, s, e in bounds] == [33, 34, 33]


def test_the_first_chunk_takes_the_others_warm_up_on_top():
    """The calling process runs the first chunk (no warm-up): it gets the warm-up's frames more."""
    times = np.arange(3618) / 30.0
    bounds = chunk_bounds(times, 2, overlap_s=2.0, first_extra_s=2.0)
    counts = [sum(s <= t < e for t in times) for _, s, e in bounds]
    warm_up = sum(bounds[1][0] <= t < bounds[1][1] for t in times)
    assert sum(counts) == 3618 and warm_up == 60
    assert counts[0] == counts[1] + warm_up  # equal work: 1839 frames each
    short = np.arange(120) / 30.0  # 4 s: the extra would be more than a quarter of a chunk
    few = [sum(s <= t < e for t in short) for _, s, e in chunk_bounds(short, 2, overlap_s=2.0, first_extra_s=2.0)]
    assert few == [60, 60]  # equal chunks, the seam where it was without the extra


@pytest.mark.slow
def test_two_person_clip_in_chunks_keeps_the_walker_across_the_seams(demo_clip):
    """Three chunks (seams at frames 40 and 80, each warmed up 1 s before): the walker stays the client."""
    single = extract(demo_clip, use_cache=False)
    config = ExtractConfig()
    with open_video(demo_clip) as reader:
        chunked = run_chunks(reader, resolve_model(None), config, jobs=3, overlap_s=1.0)
    assert chunked.sizes["time"] == single.sizes["time"] == 120
    np.testing.assert_array_equal(chunked["frame"].values, single["frame"].values)
    np.testing.assert_allclose(chunked["time"].values, single["time"].values)
    det_s, det_c = single["detected"].values, chunked["detected"].values
    hips_y = chunked["position_norm"].sel(keypoint=["left_hip", "right_hip"], space_3d="y").mean("keypoint")
    assert np.all(hips_y.values[det_c] > 0.55)  # only ever the walker (the other person's hips are at ~0.25)
    assert det_c[19:].mean() >= 0.9 and not det_c[:17].any()
    for seam in (40, 80):  # both runs see the walker on each side of the seam
        assert det_c[seam - 2 : seam + 3].all() and det_s[seam - 2 : seam + 3].all()
    # After the second seam (the first one's warm-up reaches back to frame 10), where both found her, the
    # chunked landmarks differ from the single run by less than the model's own frame-to-frame noise
    # (median |second difference| of the single run's positions: walking is smooth, jitter is not).
    both = det_s & det_c & (np.arange(120) >= 80)
    gap = np.linalg.norm(chunked["position_px"].values[both] - single["position_px"].values[both], axis=-1)
    p = single["position_px"].values
    noise = np.linalg.norm(p[2:] - 2 * p[1:-1] + p[:-2], axis=-1)
    print(f"median gap {np.nanmedian(gap):.2f} px, median jitter {np.nanmedian(noise):.2f} px")
    assert both.sum() >= 30 and np.nanmedian(gap) < np.nanmedian(noise)
