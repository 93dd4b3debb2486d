"""The other facing direction of the population table: a clip's mirror image and its truth
(scripts/accuracy/outline_population_mirrored.py). No pose model."""

from __future__ import annotations

import av
import numpy as np
import pytest

from movelab.synth import Posture, render_clip
from movelab.synth.video import write_mp4
from scripts.accuracy.outline_population_mirrored import mirror_video, mirrored_meta, mirrored_truth


def _decoded(path):
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _frames(n=3, width=64, height=48):
    """Grey frames with a white square left of centre that moves one column right per frame."""
    out = np.full((n, height, width, 3), 90, np.uint8)
    for i in range(n):
        out[i, 10:22, 6 + i : 18 + i] = 250
    return out


def test_mirror_video_flips_every_frame_left_to_right(tmp_path):
    frames = _frames()
    write_mp4(iter(frames), tmp_path / "clip.mp4", fps=30.0, crf=0)
    mirror_video(tmp_path / "clip.mp4", tmp_path / "mirror.mp4")
    mirror = _decoded(tmp_path / "mirror.mp4")
    assert mirror.shape == frames.shape
    for i in range(len(frames)):
        cols = np.flatnonzero(mirror[i, 16, :, 0] > 170)
        assert cols.tolist() == list(range(64 - 18 - i, 64 - 6 - i))  # column c -> 63 - c
    # losslessly encoded: flipped back it is the original frames (up to the colour conversion)
    assert np.abs(mirror[:, :, ::-1].astype(int) - _decoded(tmp_path / "clip.mp4")).max() <= 3
    mirror_video(tmp_path / "clip.mp4", tmp_path / "same.mp4", flip=False)
    assert np.abs(_decoded(tmp_path / "same.mp4").astype(int) - _decoded(tmp_path / "clip.mp4")).max() <= 3
    assert not list(tmp_path.glob(".*"))  # no temporary file left


@pytest.mark.parametrize(("view", "other_view"), [("side_right", "side_left"), ("front", "front")])
def test_mirrored_truth_is_the_truth_of_the_mirrored_scene(view, other_view):
    """A clip's mirror image is the posture with its frontal angles turned the other way, filmed from the
    mirrored camera place (the other side; the front stays the front): the renderer's truth of that scene is
    what the mapping makes of the filmed truth, column by column (pixels, sides, signs)."""

    def posture(s):
        return Posture(
            pelvic_tilt_deg=12.0,
            tilt_amplitude_deg=8.0,
            pelvic_obliquity_deg=5.0 * s,
            lateral_lean_deg=3.0 * s,
            period_s=1.0,
            duration_s=0.4,
            arms="forward",
        )

    filmed = render_clip(posture(1.0), view=view, fps=10.0)
    scene = render_clip(posture(-1.0), view=other_view, fps=10.0)
    mapped = mirrored_truth(filmed.truth, width_px=filmed.camera.width_px)
    assert list(mapped.columns) == list(filmed.truth.columns)
    diff = (mapped - scene.truth).abs().max()
    assert diff.max() < 0.01, diff[diff >= 0.01]
    # the mapping is not the identity on what it should change
    assert (filmed.truth.filter(like="_x_px") - scene.truth.filter(like="_x_px")).abs().to_numpy().max() > 5


def test_mirrored_meta_swaps_view_near_side_and_light():
    meta = {"view": "side_right", "near_side": "right", "width_px": 640, "appearance": {"light_from": "left"}}
    out = mirrored_meta(meta)
    assert (out["view"], out["near_side"], out["appearance"]["light_from"]) == ("side_left", "left", "right")
    assert out["mirrored_from"] == "side_right" and meta["view"] == "side_right"
