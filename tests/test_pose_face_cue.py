"""The face seen in the picture as a view cue (movelab.pose.face_cue) on rendered frames with known landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.landmarks import KEYPOINTS
from movelab.pose.face_cue import frontal_face
from movelab.synth import render_clip
from movelab.synth.motions import Posture


def first_frame(view: str, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """The first rendered frame of a standing figure seen as ``view`` and its true ``(33, 2)`` landmarks."""
    clip = render_clip(Posture(duration_s=0.2), view=view, fps=10.0, **kwargs)
    truth = clip.truth.iloc[0]
    xy = np.array([[truth.get(f"{k}_x_px", np.nan), truth.get(f"{k}_y_px", np.nan)] for k in KEYPOINTS])
    return next(iter(clip.iter_frames())), xy


@pytest.mark.parametrize(("view", "seen"), [("front", 1.0), ("back", 0.0)])
def test_the_face_is_found_from_the_front_and_not_from_behind(view, seen):
    image, xy = first_frame(view)
    assert frontal_face(image, xy) == seen


def test_the_cue_does_not_depend_on_the_left_right_labels():
    image, xy = first_frame("back")
    pairs = [(KEYPOINTS.index(f"left_{k[6:]}"), i) for i, k in enumerate(KEYPOINTS) if k.startswith("right_")]
    swapped = xy.copy()
    for left, right in pairs:
        swapped[[left, right]] = xy[[right, left]]
    assert frontal_face(image, swapped) == frontal_face(image, xy) == 0.0


def test_a_side_view_or_a_missing_head_is_not_looked_at():
    image, xy = first_frame("side_right")
    assert np.isnan(frontal_face(image, xy))
    image, xy = first_frame("front")
    xy[:11] = np.nan
    assert np.isnan(frontal_face(image, xy))


def test_the_backfill_adds_the_cue_to_a_kept_landmark_file_from_its_video(tmp_path):
    """A landmark file kept before the cue (the rendered figure's true landmarks, a front view) gets
    ``frontal_face`` from its ``.mp4``: a face in every frame; a second run leaves it as it is."""
    from movelab import landmarks
    from movelab.synth import write_mp4
    from scripts.backfill_face_cue import backfill

    clip = render_clip(Posture(duration_s=0.3), view="front", fps=10.0)
    write_mp4(clip.iter_frames(), tmp_path / "front.mp4", fps=clip.fps)
    xy = np.stack(
        [clip.truth.get(f"{k}_{a}_px", np.full(len(clip.truth), np.nan)) for k in KEYPOINTS for a in "xy"], axis=1
    ).reshape(len(clip.truth), len(KEYPOINTS), 2)
    ds = landmarks.from_arrays(time_s=np.arange(len(xy)) / clip.fps, position_px=xy, width_px=640, height_px=480)
    landmarks.save(ds.assign_attrs(source_sha256="x"), tmp_path / "front.nc")
    assert backfill(tmp_path / "front.nc")
    face = landmarks.load(tmp_path / "front.nc")["frontal_face"].values
    np.testing.assert_array_equal(face, np.ones(len(xy)))
    assert not backfill(tmp_path / "front.nc")
