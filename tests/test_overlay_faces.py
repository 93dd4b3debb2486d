"""Every face in the overlay is blurred, the bystander's too (issue 14: the Sports2D demo's second person
kept a sharp face)."""

from __future__ import annotations

import numpy as np
import pytest


def _two_people(path, *, n_frames: int = 24) -> tuple:
    """Two rendered mannequins side by side (960x480, 15 fps): a squat seen from the front on the left and a
    standing posture seen from the front on the right, so both faces show their eyes and mouth."""
    from movelab.synth import motions
    from movelab.synth.clip import render_clip
    from movelab.synth.video import write_mp4

    left = render_clip(motions.Squat(), view="front", width_px=480, height_px=480, fps=15.0, duration_s=n_frames / 15.0)
    right = render_clip(
        motions.Posture(),
        view="front",
        width_px=480,
        height_px=480,
        fps=15.0,
        duration_s=n_frames / 15.0,
        distance_m=5.5,
    )
    frames = [np.hstack([a, b]) for a, b in zip(left.iter_frames(), right.iter_frames())]
    write_mp4(frames, path, fps=15.0, crf=18)
    return path, frames


def _detail(image: np.ndarray) -> float:
    """Mean absolute neighbour difference: high where there is sharp facial detail, low when blurred."""
    grey = image.astype(float).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def _face_core(points: np.ndarray) -> tuple[int, int, int, int] | None:
    """The face's own extent (landmarks 0-10), where its detail is; inside the blurred box."""
    finite = points[np.isfinite(points).all(axis=1)]
    if len(finite) < 3:
        return None
    x0, y0 = np.floor(finite.min(axis=0)).astype(int)
    x1, y1 = np.ceil(finite.max(axis=0)).astype(int) + 1
    return x0, y0, x1, y1


@pytest.mark.slow
def test_the_overlay_blurs_both_faces_in_every_frame_the_model_sees_them(tmp_path):
    import av

    from movelab.analysis import analyse
    from movelab.report.overlay import write_overlay

    path, originals = _two_people(tmp_path / "two.mp4")
    analysis = analyse(path, movement="posture", use_cache=False)
    write_overlay(analysis, tmp_path / "overlay.mp4")
    with av.open(str(tmp_path / "overlay.mp4")) as box:
        shown = [f.to_ndarray(format="rgb24") for f in box.decode(video=0)]
    ds = analysis.landmarks
    client = ds["position_px"].values[:, :11]
    others = ds["others_face_px"].values
    checked = {"client": 0, "other": 0}
    for i, frame in enumerate(ds["frame"].values):
        faces = [("client", client[i])] + [("other", o) for o in others[i]]
        for who, points in faces:
            core = _face_core(points)
            if core is None:
                continue
            x0, y0, x1, y1 = core
            sharp, now = _detail(originals[frame][y0:y1, x0:x1]), _detail(shown[frame][y0:y1, x0:x1])
            assert now < 0.5 * sharp, (who, frame, sharp, now)
            checked[who] += 1
    # the model saw both people in most frames (a test that checked nothing would prove nothing)
    assert checked["client"] >= 20 and checked["other"] >= 20, checked


def test_held_face_boxes_cover_frames_between_sightings():
    from movelab.report.overlay import _HeldBoxes

    held = _HeldBoxes(1.0)
    assert held.update([(10, 10, 30, 30)], 0.0) == [(10, 10, 30, 30)]
    assert held.update([], 0.5) == [(10, 10, 30, 30)]  # not seen, still blurred
    assert held.update([(12, 10, 32, 30)], 0.7) == [(12, 10, 32, 30)]  # seen again: the new box replaces it
    assert held.update([], 1.8) == []  # gone for longer than the hold


def test_the_face_detector_finds_no_face_in_a_plain_picture():
    from movelab.report.overlay import FaceDetector

    picture = np.full((480, 640, 3), 128, np.uint8)
    assert FaceDetector().find(picture) == []
