"""Settings of landmark extraction (video → landmarks), with their defaults in one place."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["ExtractConfig", "PersonChoice"]

#: How the user picks the client: ``None`` (automatic rule), an index into the automatic ranking
#: of the people in the first frame with someone in it, or an ``(x, y)`` point in that frame
#: (pixels of the upright picture).
PersonChoice = int | tuple[float, float] | None


@dataclass(frozen=True)
class ExtractConfig:
    """Settings of landmark extraction (video → landmarks).

    Attributes
    ----------
    model
        Path of a ``.task`` pose bundle, or ``None`` for the default full model (built on first use).
    num_poses
        People the model may return per frame. More than one is needed to tell the client from others
        (MediaPipe's single-pose tracker jumps to whoever it found first; see docs/pose.md).
    min_pose_detection_confidence, min_pose_presence_confidence, min_tracking_confidence
        MediaPipe's thresholds; 0.5 is MediaPipe's default.
    person
        Which person is the client, see :data:`PersonChoice`.
    outline
        Compute outline features from the person mask (needed for pelvic tilt and lumbar lordosis).
    outline_points
        Points the outline is resampled to (by arc length), about 3 px apart on a 480-px-tall person.
    max_frames
        Stop after this many frames (``None``: whole video).
    max_track_jump
        Largest move of the client's hip centre between consecutive detections, as a fraction of the
        client's own torso height per 1/30 s, beyond which a candidate is not the same person.
    """

    model: str | None = None
    num_poses: int = 2
    min_pose_detection_confidence: float = 0.5
    min_pose_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    person: PersonChoice = None
    outline: bool = True
    outline_points: int = 512
    max_frames: int | None = None
    max_track_jump: float = 0.6

    def cache_key_fields(self) -> dict[str, Any]:
        """The settings that change the extracted landmarks (everything but ``model``, keyed apart)."""
        data = dataclasses.asdict(self)
        data.pop("model")
        return data

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)
