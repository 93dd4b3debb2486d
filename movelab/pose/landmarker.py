"""A thin wrapper over MediaPipe's ``PoseLandmarker`` in VIDEO mode.

It turns one RGB frame and its real timestamp into a list of :class:`Candidate` poses as plain numpy
arrays, so that nothing downstream touches MediaPipe types.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movelab._native import native_stderr_silenced

__all__ = ["Candidate", "PoseModel"]


@dataclass(frozen=True)
class Candidate:
    """One person the model found in one frame.

    Attributes
    ----------
    norm
        ``(33, 3)`` normalised image coordinates (x, y in [0, 1] of the picture, z relative depth).
    world_m
        ``(33, 3)`` world coordinates in metres, origin between the hips.
    visibility, presence
        ``(33,)`` MediaPipe's per-landmark scores.
    mask
        ``(H, W)`` float32 person mask in [0, 1], or ``None`` when masks are off.
    """

    norm: np.ndarray
    world_m: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    mask: np.ndarray | None = None

    def pixels(self, width_px: int, height_px: int) -> np.ndarray:
        """``(33, 2)`` positions in pixels of the picture."""
        return self.norm[:, :2] * np.array([width_px, height_px], dtype=np.float64)

    def bbox_norm(self) -> np.ndarray:
        """``[x0, y0, x1, y1]`` box of the landmarks, normalised."""
        xy = self.norm[:, :2]
        return np.concatenate([xy.min(axis=0), xy.max(axis=0)])


class PoseModel:
    """MediaPipe ``PoseLandmarker`` in VIDEO mode, fed with real timestamps.

    Parameters
    ----------
    model_path
        A ``.task`` bundle (see :mod:`movelab.pose.bundle`).
    num_poses
        Most people returned per frame.
    output_masks
        Also return each person's segmentation mask.
    min_pose_detection_confidence, min_pose_presence_confidence, min_tracking_confidence
        MediaPipe's thresholds.
    video
        VIDEO mode (tracking from frame to frame, the default); False: IMAGE mode, every frame on its own
        (person detector and landmarks each time, no state; ``time_s`` is then ignored).

    Notes
    -----
    VIDEO mode requires strictly increasing integer millisecond timestamps. Frame times from the
    container are rounded to the millisecond; two frames closer than 1 ms (possible at > 500 fps or
    with broken timestamps) are given the previous stamp + 1 ms so the model never refuses a frame.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        num_poses: int = 2,
        output_masks: bool = True,
        min_pose_detection_confidence: float = 0.5,
        min_pose_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        video: bool = True,
    ) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        from movelab.pose._mediapipe_api import pose_api

        api = self._api = pose_api()  # the landmarker's modules, not all of MediaPipe (0.1 instead of 0.5 s)
        mode = api.VisionTaskRunningMode
        options = api.PoseLandmarkerOptions(
            base_options=api.BaseOptions(model_asset_path=str(model_path)),
            running_mode=mode.VIDEO if video else mode.IMAGE,
            num_poses=num_poses,
            min_pose_detection_confidence=min_pose_detection_confidence,
            min_pose_presence_confidence=min_pose_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
            output_segmentation_masks=output_masks,
        )
        with native_stderr_silenced():
            self._landmarker = api.PoseLandmarker.create_from_options(options)
        self._last_ms = -1
        self._video = video

    def __enter__(self) -> PoseModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with native_stderr_silenced():
            self._landmarker.close()

    def timestamp_ms(self, time_s: float) -> int:
        """The strictly increasing millisecond stamp used for a frame at ``time_s``."""
        ms = max(int(round(time_s * 1000.0)), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def detect(self, image_rgb: np.ndarray, time_s: float) -> list[Candidate]:
        """All people found in one upright RGB frame (uint8, HxWx3)."""
        image = self._api.Image(image_format=self._api.ImageFormat.SRGB, data=np.ascontiguousarray(image_rgb))
        stamp = self.timestamp_ms(time_s)
        with native_stderr_silenced():  # the runtime logs set-up notes on the first frames it meets
            result = self._landmarker.detect_for_video(image, stamp) if self._video else self._landmarker.detect(image)
        masks = result.segmentation_masks or []
        candidates = []
        for i, landmarks in enumerate(result.pose_landmarks):
            world = result.pose_world_landmarks[i]
            mask = masks[i].numpy_view().squeeze().astype(np.float32, copy=True) if i < len(masks) else None
            candidates.append(_candidate(landmarks, world, mask))
        return candidates


def _candidate(landmarks, world, mask) -> Candidate:
    norm = np.array([(p.x, p.y, p.z) for p in landmarks], dtype=np.float64)
    world_m = np.array([(p.x, p.y, p.z) for p in world], dtype=np.float64)
    visibility = np.array([_score(p.visibility) for p in landmarks], dtype=np.float64)
    presence = np.array([_score(p.presence) for p in landmarks], dtype=np.float64)
    return Candidate(norm=norm, world_m=world_m, visibility=visibility, presence=presence, mask=mask)


def _score(value: float | None) -> float:
    return float("nan") if value is None else float(value)
