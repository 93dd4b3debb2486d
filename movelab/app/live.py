"""The webcam page's live preview: the pose model on the server, fed JPEG frames over a WebSocket.

The browser sends a frame only when the answer to the previous one has arrived (one in flight), so the
preview never queues behind the model: latency stays one round trip (JPEG encode + send + pose model +
answer) and the frame rate adapts to the machine. Each answer carries the skeleton (33 normalised points,
NaN-free JSON: null where not seen), the live repetition count and the browser's own timestamp back, from
which the page measures the latency it shows.

The live counter is a framing and pacing aid; the session's measurements, repetition count included,
come from the full analysis of the recording.
"""

from __future__ import annotations

import math
import struct
import time
from dataclasses import dataclass

import numpy as np

__all__ = ["LiveCounter", "LivePose", "knee_flexion_2d"]

_HIP, _KNEE, _ANKLE = (23, 24), (25, 26), (27, 28)


def knee_flexion_2d(xy: np.ndarray, visibility: np.ndarray, *, min_visibility: float = 0.5) -> float:
    """The larger picture-plane knee flexion of the two legs (180° − hip–knee–ankle angle), degrees;
    NaN when neither leg's three points are visible. ``xy`` is ``(33, 2)`` in any square-pixel unit."""
    best = math.nan
    for hip, knee, ankle in zip(_HIP, _KNEE, _ANKLE):
        if min(visibility[hip], visibility[knee], visibility[ankle]) < min_visibility:
            continue
        u, v = xy[hip] - xy[knee], xy[ankle] - xy[knee]
        norm = float(np.linalg.norm(u) * np.linalg.norm(v))
        if norm > 0 and np.isfinite(norm):
            flexion = 180.0 - math.degrees(math.acos(float(np.clip(np.dot(u, v) / norm, -1.0, 1.0))))
            best = flexion if not math.isfinite(best) else max(best, flexion)
    return best


@dataclass
class LiveCounter:
    """Counts repetitions from knee flexion with hysteresis: one rep = down past ``down_deg`` then back
    up below ``up_deg``.

    Defaults: a squat or lunge to parallel flexes the knee 90-120°, standing is under 15°; 60° and 30° leave
    wide margins on both sides so a half-squat counts and tracking jitter (a few degrees) never does.
    """

    down_deg: float = 60.0
    up_deg: float = 30.0
    reps: int = 0
    down: bool = False

    def update(self, flexion_deg: float) -> int:
        if math.isfinite(flexion_deg):
            if not self.down and flexion_deg >= self.down_deg:
                self.down = True
            elif self.down and flexion_deg <= self.up_deg:
                self.down = False
                self.reps += 1
        return self.reps


class LivePose:
    """One preview connection: the pose model (one person, no mask) and the counter."""

    def __init__(self, model: str | None = None) -> None:
        from movelab.pose.bundle import resolve_model
        from movelab.pose.landmarker import PoseModel

        self.model = PoseModel(resolve_model(model), num_poses=1, output_masks=False)
        self.counter = LiveCounter()
        self.start = time.monotonic()

    def close(self) -> None:
        self.model.close()

    def reset(self) -> None:
        self.counter = LiveCounter()

    def answer(self, message: bytes) -> dict:
        """``message`` = the browser's timestamp (float64, little-endian, ms) + a JPEG frame."""
        import cv2

        if len(message) < 9:
            return {"error": "expected an 8-byte timestamp and a JPEG frame"}
        (sent_ms,) = struct.unpack("<d", message[:8])
        picture = cv2.imdecode(np.frombuffer(message[8:], np.uint8), cv2.IMREAD_COLOR)
        if picture is None:
            return {"t": sent_ms, "error": "the frame is not a JPEG picture"}
        rgb = cv2.cvtColor(picture, cv2.COLOR_BGR2RGB)
        started = time.perf_counter()
        people = self.model.detect(rgb, time.monotonic() - self.start)
        model_ms = 1000.0 * (time.perf_counter() - started)
        if not people:
            return {"t": sent_ms, "points": None, "reps": self.counter.reps, "model_ms": round(model_ms, 1)}
        person = people[0]
        h, w = rgb.shape[:2]
        flexion = knee_flexion_2d(person.pixels(w, h), np.nan_to_num(person.visibility))
        reps = self.counter.update(flexion)
        points = [[round(float(x), 4), round(float(y), 4)] for x, y in person.norm[:, :2]]
        return {
            "t": sent_ms,
            "points": points,
            "reps": reps,
            "knee_deg": None if not math.isfinite(flexion) else round(flexion, 1),
            "model_ms": round(model_ms, 1),
        }
