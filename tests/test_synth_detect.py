"""The pose model on the shipped mannequin clips: found in >= 99 % of frames, left and right not crossed.

Runs MediaPipe's PoseLandmarker (full model, VIDEO mode) directly, so it does not depend on movelab's own
extraction pipeline. Skipped when the model bundle is missing (``python -m movelab.pose.bundle install``).
To keep the suite quick it runs on every second frame (VIDEO mode with the real, still increasing timestamps);
``MOVELAB_DETECT_STRIDE=1`` checks every frame.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pandas as pd
import pytest

from movelab.pose.bundle import resolve_model

ROOT = Path(__file__).resolve().parents[1]
STRIDE = int(os.environ.get("MOVELAB_DETECT_STRIDE", "2"))
CLIPS = ["squat_side", "squat_front", "lunge_side", "gait_side", "posture_side"]
LANDMARKS = {"left_hip": 23, "right_hip": 24, "left_knee": 25, "right_knee": 26, "left_ankle": 27, "right_ankle": 28}

pytestmark = [
    pytest.mark.slow,
]


def _detect(video: Path) -> list[dict[str, np.ndarray] | None]:
    """Per frame, the model's pixel positions of :data:`LANDMARKS`, or None when nobody was found."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model())),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    out = []
    with vision.PoseLandmarker.create_from_options(options) as landmarker, av.open(str(video)) as container:
        last_ms = -1
        for index, frame in enumerate(container.decode(video=0)):
            if index % STRIDE:
                continue
            ms = max(int(round(frame.time * 1000)), last_ms + 1)  # strictly increasing, from real timestamps
            last_ms = ms
            # PyAV pads rows for widths that are not a multiple of 32: copy to a contiguous array first
            rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
            h, w = rgb.shape[:2]
            result = landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), ms)
            if not result.pose_landmarks:
                out.append(None)
                continue
            pose = result.pose_landmarks[0]
            out.append({name: np.array([pose[i].x * w, pose[i].y * h]) for name, i in LANDMARKS.items()})
    return out


@pytest.fixture(scope="module")
def detections() -> dict[str, tuple[list, pd.DataFrame]]:
    """The model's landmarks and the truth table of each shipped clip."""
    return {
        name: (
            _detect(ROOT / "sample_videos" / f"{name}.mp4"),
            pd.read_csv(ROOT / "sample_videos" / f"{name}.truth.csv").iloc[::STRIDE],
        )
        for name in CLIPS
    }


@pytest.mark.parametrize("name", CLIPS)
def test_model_finds_the_figure_in_99_percent_of_frames(detections, name):
    found, truth = detections[name]
    assert len(found) == len(truth)
    rate = np.mean([f is not None for f in found])
    print(f"{name}: detected in {rate:.1%} of {len(found)} frames")
    assert rate >= 0.99


def test_front_view_left_and_right_are_not_crossed(detections):
    """Each of the model's left hip/knee/ankle is nearer the truth's left joint than the truth's right one."""
    found, truth = detections["squat_front"]
    for joint in ("hip", "knee", "ankle"):
        ok = []
        for f, (_, row) in zip(found, truth.iterrows()):
            if f is None:
                continue
            for side, other in (("left", "right"), ("right", "left")):
                mine = np.array([row[f"{side}_{joint}_x_px"], row[f"{side}_{joint}_y_px"]])
                theirs = np.array([row[f"{other}_{joint}_x_px"], row[f"{other}_{joint}_y_px"]])
                ok.append(np.linalg.norm(f[f"{side}_{joint}"] - mine) < np.linalg.norm(f[f"{side}_{joint}"] - theirs))
        print(f"squat_front {joint}: not crossed in {np.mean(ok):.1%} of landmark-frames")
        assert np.mean(ok) >= 0.99


def test_side_view_knee_angle_is_close_to_truth(detections):
    """End-to-end sanity: knee flexion from the model's 2D landmarks against the truth (side view)."""
    found, truth = detections["squat_side"]
    errors = []
    for f, (_, row) in zip(found, truth.iterrows()):
        if f is None:
            continue
        side = "right"  # the near leg in a side_right view
        thigh = f[f"{side}_knee"] - f[f"{side}_hip"]
        shank = f[f"{side}_ankle"] - f[f"{side}_knee"]
        # image y points down: flip to (forward, up) with forward = +x for a figure facing right
        thigh, shank = thigh * [1, -1], shank * [1, -1]
        cross = thigh[0] * shank[1] - thigh[1] * shank[0]
        flexion = -np.degrees(np.arctan2(cross, thigh @ shank))
        errors.append(abs(flexion - row[f"knee_flexion_{side}"]))
    mae = float(np.mean(errors))
    print(f"squat_side knee flexion: mean absolute error {mae:.1f} deg over {len(errors)} frames")
    assert mae < 10.0
