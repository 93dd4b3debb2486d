"""Recording a client on a webcam, with a live skeleton preview, to a local video file.

The clinic workflow: frame the client with the live preview, record the squats (or lunges, or a walk),
stop with ``q`` in the preview window or Ctrl-C, then analyse the recording like any video file
(``movelab record`` does both). The recording keeps the camera's real frame times (monotonic clock,
millisecond time base), stays on this machine, and is written atomically.

The live preview shows the pose model's skeleton and two-dimensional knee angles of whoever the model
sees first: it is a framing aid. The measurements come from the full analysis of the recording.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np

from movelab.io.video import open_video
from movelab.kinematics.geometry import unsigned_angle_deg
from movelab.landmarks import KEYPOINTS, SKELETON

__all__ = ["record", "draw_preview", "Preview"]

#: Called with each upright RGB frame (already drawn on); returns False to stop recording.
Preview = Callable[[np.ndarray], bool]

#: The overlay's bones (:data:`movelab.landmarks.SKELETON`) as index pairs into the model's 33 landmarks.
_BONES = tuple((KEYPOINTS.index(a), KEYPOINTS.index(b)) for a, b in SKELETON)
_SIDE = tuple(name.split("_")[0] if name.startswith(("left_", "right_")) else "mid" for name in KEYPOINTS)
_MS = Fraction(1, 1000)  # frame times are kept to the millisecond
_COLOURS = {"left": (60, 130, 230), "right": (235, 110, 50), "mid": (240, 240, 240)}  # RGB, as the overlay
_KNEES = tuple(
    (label, tuple(KEYPOINTS.index(f"{side}_{part}") for part in ("hip", "knee", "ankle")))
    for label, side in (("L", "left"), ("R", "right"))
)


def record(
    camera: int,
    out_path: str | os.PathLike,
    *,
    max_seconds: float | None = None,
    preview: Preview | None = None,
    model: str | None = None,
) -> Path:
    """Record webcam ``camera`` to ``out_path`` (H.264 MP4 with the camera's real frame times).

    Parameters
    ----------
    camera
        Webcam index.
    out_path
        The ``.mp4`` to write; it appears only when the recording is complete.
    max_seconds
        Stop after this long (``None``: until ``preview`` returns False or Ctrl-C).
    preview
        Shown every frame with the skeleton drawn (e.g. an OpenCV window); ``None`` for no preview and
        no pose model while recording.
    model
        Pose bundle for the preview (default model otherwise).

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    import av

    out_path = Path(out_path)
    pose = _preview_model(model) if preview is not None else None
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".mp4", dir=out_path.parent)
    os.close(fd)
    try:
        with open_video(camera) as reader, av.open(tmp, mode="w") as container:
            stream = container.add_stream("libx264", rate=30, options={"crf": "20", "preset": "veryfast"})
            stream.width, stream.height = _even(reader.info.width_px), _even(reader.info.height_px)
            stream.pix_fmt = "yuv420p"
            stream.time_base = stream.codec_context.time_base = _MS
            _record_frames(reader, container, stream, pose=pose, preview=preview, max_seconds=max_seconds)
        os.replace(tmp, out_path)
    finally:
        if pose is not None:
            pose.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out_path


def _record_frames(reader, container, stream, *, pose, preview, max_seconds) -> None:
    import av

    start_s, last_ms = None, -1
    try:
        for frame in reader:
            start_s = frame.time_s if start_s is None else start_s
            if max_seconds is not None and frame.time_s - start_s > max_seconds:
                break
            image = frame.image[: stream.height, : stream.width]
            out = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
            last_ms = max(int(round((frame.time_s - start_s) * 1000)), last_ms + 1)
            out.pts, out.time_base = last_ms, _MS  # not stream.time_base: the muxer changes it
            container.mux(stream.encode(out))
            if preview is not None and not _show(preview, pose, frame):
                break
    except KeyboardInterrupt:
        pass  # Ctrl-C ends the recording; what was recorded is kept
    container.mux(stream.encode())


def _show(preview: Preview, pose, frame) -> bool:
    image = np.array(frame.image)
    candidates = pose.detect(frame.image, frame.time_s)
    if candidates:
        h, w = image.shape[:2]
        draw_preview(image, candidates[0].pixels(w, h))
    return bool(preview(image))


def _preview_model(model: str | None):
    from movelab.pose.bundle import resolve_model
    from movelab.pose.landmarker import PoseModel

    return PoseModel(resolve_model(model), num_poses=1, output_masks=False)


def _even(n: int) -> int:
    return n - n % 2


def draw_preview(image: np.ndarray, xy_px: np.ndarray) -> np.ndarray:
    """Draw the skeleton and the 2D knee angles (180° − hip–knee–ankle, degrees) onto ``image`` in place.

    ``xy_px`` is ``(33, 2)`` pixels of the picture; NaN points are skipped.
    """
    import cv2

    thick = max(2, image.shape[0] // 240)
    for a, b in _BONES:
        if np.isfinite(xy_px[[a, b]]).all():
            colour = _COLOURS[_SIDE[a] if _SIDE[a] == _SIDE[b] else "mid"]
            cv2.line(image, _pt(xy_px[a]), _pt(xy_px[b]), colour, thick, cv2.LINE_AA)
    for i, (side, (hip, knee, ankle)) in enumerate(_KNEES):
        angle = _knee_2d(xy_px[hip], xy_px[knee], xy_px[ankle])
        text = f"knee {side} {angle:5.1f}" if math.isfinite(angle) else f"knee {side}   --"
        cv2.putText(image, text, (10, 24 + 22 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 2, cv2.LINE_AA)
    return image


def _knee_2d(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> float:
    """180° minus the hip–knee–ankle angle in the picture (NaN when a point is missing)."""
    return 180.0 - float(unsigned_angle_deg(hip - knee, ankle - knee))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def opencv_window(title: str = "movelab: q to stop") -> Preview:
    """A preview in an OpenCV window (needs a display); ``q`` or Esc stops the recording."""
    import cv2

    def show(image_rgb: np.ndarray) -> bool:
        cv2.imshow(title, cv2.cvtColor(image_rgb, cv2.COLOR_RGB2BGR))
        return (cv2.waitKey(1) & 0xFF) not in (ord("q"), 27)

    return show
