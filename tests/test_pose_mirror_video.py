"""The mirror pass (``ExtractConfig.mirror_hips``, ``mirror_wrists``) with the real pose model on short rendered
clips: what it changes on a back view, and where the default ``"frontal"`` runs it (front and back views, not side
views)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from movelab.landmarks import KEYPOINTS
from movelab.pose.config import ExtractConfig

pytestmark = pytest.mark.slow

HIPS = [KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")]
WRISTS = [KEYPOINTS.index("left_wrist"), KEYPOINTS.index("right_wrist")]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """A figure standing with a level pelvis seen from behind (1 s at 10 fps), extracted plainly, with the
    mirror pass (hips and wrists, the default) and with it for the hips alone."""
    from movelab.extraction import extract
    from movelab.synth import Posture, render_clip, write_mp4

    clip = render_clip(Posture(duration_s=1.0), view="back", fps=10)
    video = tmp_path_factory.mktemp("mirror") / "back.mp4"
    write_mp4(clip.iter_frames(), video, fps=clip.fps, crf=18)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plain = extract(video, use_cache=False, config=ExtractConfig(mirror_hips="off"))
        mirrored = extract(video, use_cache=False, config=ExtractConfig(mirror_hips="all"))
        hips_only = extract(video, use_cache=False, config=ExtractConfig(mirror_hips="all", mirror_wrists=False))
    assert plain.attrs["mirror_frames"] == 0 and mirrored.attrs["mirror_frames"] == 10
    return plain["position_px"].values, mirrored["position_px"].values, hips_only["position_px"].values


def _only_heights_moved(plain: np.ndarray, mirrored: np.ndarray, moved_keypoints: list[int]) -> None:
    """Every keypoint but ``moved_keypoints`` as it was; those keep their ``x`` and move in height by a few pixels."""
    others = [i for i in range(len(KEYPOINTS)) if i not in moved_keypoints]
    np.testing.assert_allclose(mirrored[:, others], plain[:, others], atol=1e-3)
    np.testing.assert_allclose(mirrored[:, moved_keypoints, 0], plain[:, moved_keypoints, 0], atol=1e-3)
    for index in moved_keypoints:
        moved = np.abs(mirrored[:, index, 1] - plain[:, index, 1])
        assert np.isfinite(moved).all()
        assert 0.0 < moved.max() < 5.0  # the mean with the mirror image's reading, a few pixels at most


def test_the_mirror_pass_changes_only_the_hips_and_wrists_heights(both):
    plain, mirrored, _ = both
    _only_heights_moved(plain, mirrored, HIPS + WRISTS)


def test_without_the_wrists_the_mirror_pass_changes_only_the_hips_heights(both):
    plain, _, hips_only = both
    _only_heights_moved(plain, hips_only, HIPS)


@pytest.mark.parametrize("view, frames_mirrored", [("side_right", 0), ("front", 10)])
def test_the_default_runs_the_mirror_model_on_front_views_only(view, frames_mirrored, tmp_path):
    """The frames the mirror model read (``mirror_frames``) by default: none of a side view's 10, all of a
    front view's; the side view's landmarks are those of ``"off"``."""
    from movelab.extraction import extract
    from movelab.synth import Posture, render_clip, write_mp4

    clip = render_clip(Posture(duration_s=1.0), view=view, fps=10)
    video = tmp_path / f"{view}.mp4"
    write_mp4(clip.iter_frames(), video, fps=clip.fps, crf=18)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        default = extract(video, use_cache=False)
    assert int(default["detected"].sum()) == 10
    assert default.attrs["mirror_frames"] == frames_mirrored
    if frames_mirrored == 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            off = extract(video, use_cache=False, config=ExtractConfig(mirror_hips="off"))
        np.testing.assert_array_equal(default["position_px"].values, off["position_px"].values)


def test_chunk_workers_run_the_default_mirror_pass(tmp_path):
    """``--jobs 2`` no longer refuses the default: both chunks read a front view's frames in the mirror."""
    from movelab.io.video import open_video
    from movelab.parallel import run_chunks
    from movelab.pose.bundle import resolve_model
    from movelab.synth import Posture, render_clip, write_mp4

    clip = render_clip(Posture(duration_s=2.0), view="front", fps=30)
    video = tmp_path / "front.mp4"
    write_mp4(clip.iter_frames(), video, fps=clip.fps, crf=18)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with open_video(video) as reader:
            chunked = run_chunks(reader, resolve_model(None), ExtractConfig(), jobs=2, overlap_s=0.5)
    n = int(chunked["detected"].sum())
    assert n == 60
    assert chunked.attrs["mirror_frames"] >= n  # every kept frame, and the second chunk's warm-up frames
