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
