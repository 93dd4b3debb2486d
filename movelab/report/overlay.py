"""overlay.mp4: the video with the skeleton, the pelvis line, live angles and findings, faces blurred.

Frames stream from :func:`movelab.io.video.open_video` one at a time and go straight to the encoder
(PyAV, H.264), keeping the video's own frame times; the video is never held in memory.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movelab.errors import InputError
from movelab.landmarks import KEYPOINTS, SKELETON

__all__ = ["write_overlay", "face_box", "blur_box", "FaceDetector", "SKELETON"]

_FACE = KEYPOINTS[:11]  # nose, eyes, ears, mouth: landmarks 0-10
_COLOURS = {"left": (60, 130, 230), "right": (235, 110, 50), "mid": (240, 240, 240)}  # RGB
_LIVE = (
    "knee_flexion_left",
    "knee_flexion_right",
    "hip_flexion_left",
    "hip_flexion_right",
    "trunk_lean",
    "pelvic_tilt",
    "lumbar_lordosis",
    "knee_fppa_left",
    "knee_fppa_right",
    "pelvic_obliquity",
)
_SHORT = {
    "knee_flexion": "knee",
    "hip_flexion": "hip",
    "trunk_lean": "trunk",
    "pelvic_tilt": "pelvic tilt",
    "lumbar_lordosis": "lordosis",
    "knee_fppa": "knee FPPA",
    "pelvic_obliquity": "pelvis obliq.",
}
#: A face box found in an earlier frame is kept this long when the face landmarks go missing.
FACE_HOLD_S = 0.5
#: Another person's face box is kept this long between sightings (the pose model may look for other people
#: only now and then, and a face detector misses turned heads).
OTHER_FACE_HOLD_S = 2.5
#: The face detector runs once per this interval of video (its three Haar passes took about 2 s per
#: frame of the Sports2D demo on a loaded 2-core machine); its boxes are held for :data:`OTHER_FACE_HOLD_S`.
FACE_DETECT_EVERY_S = 2.0


def write_overlay(
    analysis,
    path: str | os.PathLike,
    *,
    blur_faces: bool = True,
    progress: bool = False,
    source: str | os.PathLike | None = None,
) -> int:
    """Write the overlay video of an analysis.

    Parameters
    ----------
    analysis
        Needs ``landmarks`` (its ``source_path`` attribute names the video unless ``source`` is given),
        ``angles``, ``findings`` and, for the pelvis line, ``views``.
    path
        The ``.mp4`` to write.
    blur_faces
        Blur every face: the client's, located from face landmarks 0-10 (nose, eyes, ears, mouth) and held
        for :data:`FACE_HOLD_S` when they go missing; the other people's the pose model saw
        (``others_face_px`` of the landmarks), and faces OpenCV's Haar cascades find (frontal and both
        profiles, once per :data:`FACE_DETECT_EVERY_S`), each held for :data:`OTHER_FACE_HOLD_S` between
        sightings.
    progress
        Show a progress bar on stderr.
    source
        The video file, if not the landmarks' ``source_path``.

    Returns
    -------
    int
        Frames written.

    Notes
    -----
    Drawn per frame: the skeleton (client's left blue, right orange), the pelvis line through the hip
    centre at the measured ``pelvic_tilt`` (only where it was measured; docs/conventions.md sign; turned by the
    camera roll taken out, so it lies on the pelvis in the picture), the
    person's outline when extraction kept it, the live angles in a box, and the findings whose time span
    covers the frame. Frame ``i`` of the video is matched to row ``i`` of the landmarks by decode index.
    """
    import av
    from tqdm import tqdm

    from movelab.io.video import open_video

    ds = analysis.landmarks
    source = source or ds.attrs.get("source_path")
    if not source or not Path(source).is_file():
        raise InputError(
            f"the overlay needs the original video; {source!r} is not a file. "
            "Pass the video path, or run without --overlay."
        )
    frames_index = {int(f): i for i, f in enumerate(ds["frame"].values)}
    drawer = _Drawer(analysis)
    n = 0
    with (
        open_video(source) as reader,
        av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as container,
    ):
        stream = None
        first_time = None
        last_pts = -1
        for frame in tqdm(reader, total=len(frames_index), disable=not progress, desc="overlay", unit="frame"):
            image = np.array(frame.image)  # writable copy of one frame
            row = frames_index.get(frame.index)
            if row is not None:
                drawer.draw(image, row, frame.time_s, blur_faces=blur_faces)
            image = _even(image)
            if stream is None:
                stream = _open_stream(container, image, reader.info.fps_nominal)
                first_time = frame.time_s
            vf = av.VideoFrame.from_ndarray(image, format="rgb24")
            pts = max(int(round((frame.time_s - first_time) / stream.time_base)), last_pts + 1)
            vf.pts, last_pts = pts, pts
            vf.time_base = stream.time_base
            for packet in stream.encode(vf):
                container.mux(packet)
            n += 1
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    return n


def face_box(points: np.ndarray, width: int, height: int) -> tuple[int, int, int, int] | None:
    """``(x0, y0, x1, y1)`` pixel box around face landmarks (``(11, 2)``, NaN allowed), widened to cover
    the head: the landmarks' extent grown by 60 % of its larger side on every side, at least 24 px wide."""
    finite = points[np.isfinite(points).all(axis=1)]
    if finite.shape[0] < 2:
        return None
    (x0, y0), (x1, y1) = finite.min(axis=0), finite.max(axis=0)
    size = max(x1 - x0, y1 - y0, 12.0)
    grow = 0.6 * size
    box = (
        int(math.floor(x0 - grow)),
        int(math.floor(y0 - 1.2 * grow)),
        int(math.ceil(x1 + grow)),
        int(math.ceil(y1 + grow)),
    )
    x0, y0, x1, y1 = max(box[0], 0), max(box[1], 0), min(box[2], width), min(box[3], height)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


class _Drawer:
    """Everything needed to draw one frame, prepared once."""

    def __init__(self, analysis) -> None:
        ds = analysis.landmarks
        self.names = [str(k) for k in ds["keypoint"].values]
        self.px = np.asarray(ds["position_px"].values, dtype=np.float64)
        self.outline = np.asarray(ds["outline_px"].values, dtype=np.float64) if "outline_px" in ds else None
        self.angles: pd.DataFrame = analysis.angles
        self.findings = [f for f in analysis.findings if f.severity != "info" and f.start_s is not None]
        self.face_idx = [self.names.index(n) for n in _FACE if n in self.names]
        self.others = np.asarray(ds["others_face_px"].values, dtype=np.float64) if "others_face_px" in ds else None
        self.facing = _facing(analysis, ds)
        roll = getattr(getattr(analysis, "motion", None), "camera_roll", None)
        self.roll_deg = float(roll.applied_deg) if roll is not None else 0.0  # angles are level; the video is not
        self.last_face: tuple[tuple[int, int, int, int], float] | None = None
        self.other_faces = _HeldBoxes(OTHER_FACE_HOLD_S)
        self.detector = FaceDetector()
        self.detected_at: float | None = None

    def draw(self, image: np.ndarray, row: int, time_s: float, *, blur_faces: bool) -> None:
        import cv2

        h, w = image.shape[:2]
        scale = max(h / 480.0, 0.6)
        if blur_faces:
            self._blur_face(image, row, time_s)
            self._blur_others(image, row, time_s)
        if self.outline is not None and np.isfinite(self.outline[row]).all(axis=1).sum() > 2:
            pts = self.outline[row][np.isfinite(self.outline[row]).all(axis=1)].astype(np.int32)
            cv2.polylines(image, [pts], True, (200, 200, 120), max(1, int(scale)), cv2.LINE_AA)
        self._skeleton(image, row, scale)
        self._pelvis_line(image, row, scale)
        self._text(image, row, time_s, scale)

    def _p(self, row: int, name: str) -> np.ndarray:
        return self.px[row, self.names.index(name)]

    def _blur_face(self, image: np.ndarray, row: int, time_s: float) -> None:
        box = face_box(self.px[row, self.face_idx], image.shape[1], image.shape[0])
        if box is not None:
            self.last_face = (box, time_s)
        elif self.last_face is not None and time_s - self.last_face[1] <= FACE_HOLD_S:
            box = self.last_face[0]
        if box is not None:
            blur_box(image, box)

    def _blur_others(self, image: np.ndarray, row: int, time_s: float) -> None:
        h, w = image.shape[:2]
        seen = []
        if self.others is not None and row < len(self.others):
            seen = [b for b in (face_box(points, w, h) for points in self.others[row]) if b is not None]
        if self.detected_at is None or time_s - self.detected_at >= FACE_DETECT_EVERY_S - 1e-6:
            self.detected_at = time_s
            seen += self.detector.find(image)
        for box in self.other_faces.update(seen, time_s):
            blur_box(image, box)

    def _skeleton(self, image: np.ndarray, row: int, scale: float) -> None:

        import cv2

        thick = max(2, int(round(2 * scale)))
        for a, b in SKELETON:
            pa, pb = self._p(row, a), self._p(row, b)
            if np.isfinite(pa).all() and np.isfinite(pb).all():
                side = a.split("_")[0] if a.split("_")[0] == b.split("_")[0] else "mid"
                cv2.line(image, _pt(pa), _pt(pb), _COLOURS.get(side, _COLOURS["mid"]), thick, cv2.LINE_AA)
        for name in self.names[11:]:
            p = self._p(row, name)
            if np.isfinite(p).all():
                side = name.split("_")[0]
                cv2.circle(image, _pt(p), thick + 1, _COLOURS.get(side, _COLOURS["mid"]), -1, cv2.LINE_AA)

    def _pelvis_line(self, image: np.ndarray, row: int, scale: float) -> None:
        """The ASIS–PSIS direction at the measured tilt, through the hip centre (side views only)."""
        import cv2

        tilt = _value(self.angles, "pelvic_tilt", row)
        facing = self.facing[row] if row < len(self.facing) else np.nan
        hips = [self._p(row, n) for n in ("left_hip", "right_hip")]
        hips = [p for p in hips if np.isfinite(p).all()]
        if not (np.isfinite(tilt) and np.isfinite(facing) and hips):
            return
        centre = np.mean(hips, axis=0)
        length = 60.0 * scale
        # forward/up frame: PSIS -> ASIS points forward and down by the tilt; image y is down
        d = np.array([facing * math.cos(math.radians(tilt)), math.sin(math.radians(tilt))]) * length / 2
        if self.roll_deg:  # the tilt is against the level; the picture is turned by the camera's roll
            c, s = math.cos(math.radians(self.roll_deg)), math.sin(math.radians(self.roll_deg))
            d = np.array([c * d[0] - s * d[1], s * d[0] + c * d[1]])
        cv2.line(image, _pt(centre - d), _pt(centre + d), (255, 220, 0), max(2, int(3 * scale)), cv2.LINE_AA)

    def _text(self, image: np.ndarray, row: int, time_s: float, scale: float) -> None:
        import cv2

        lines = [f"t {time_s:5.2f} s"]
        for name in _LIVE:
            value = _value(self.angles, name, row)
            if np.isfinite(value):
                stem = name.rsplit("_", 1)[0] if name.endswith(("_left", "_right")) else name
                side = " L" if name.endswith("_left") else " R" if name.endswith("_right") else ""
                lines.append(f"{_SHORT.get(stem, stem)}{side} {value:5.1f}")
        active = [f for f in self.findings if f.start_s - 1e-6 <= time_s <= f.end_s + 1e-6]
        font, size = cv2.FONT_HERSHEY_SIMPLEX, 0.45 * scale
        step = int(18 * scale)
        cv2.rectangle(image, (4, 4), (int(170 * scale), 10 + step * len(lines)), (0, 0, 0), -1)
        for i, text in enumerate(lines):
            cv2.putText(image, text, (10, 4 + step * (i + 1)), font, size, (255, 255, 255), 1, cv2.LINE_AA)
        for i, f in enumerate(active):
            text = f.code.replace("_", " ") + (f" ({f.side})" if f.side else "")
            y = image.shape[0] - 10 - step * i
            cv2.putText(image, text, (10, y), font, size, (255, 80, 60), max(1, int(scale)), cv2.LINE_AA)


def blur_box(image: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """Blur ``image[y0:y1, x0:x1]`` in place: a coarse mosaic then a Gaussian blur; no facial detail
    survives either step."""
    import cv2

    x0, y0, x1, y1 = box
    region = image[y0:y1, x0:x1]
    if region.size == 0:
        return
    cells = max(2, min(region.shape[:2]) // 8)
    small = cv2.resize(
        region, (max(1, region.shape[1] // cells), max(1, region.shape[0] // cells)), interpolation=cv2.INTER_AREA
    )
    mosaic = cv2.resize(small, (region.shape[1], region.shape[0]), interpolation=cv2.INTER_NEAREST)
    k = max(3, (min(region.shape[:2]) // 4) | 1)
    image[y0:y1, x0:x1] = cv2.GaussianBlur(mosaic, (k, k), 0)


class FaceDetector:
    """Faces by OpenCV's bundled Haar cascades (frontal, and profile facing either way), on a picture
    scaled to at most :attr:`width_px` wide; boxes grown like :func:`face_box` to cover the head.

    A second line of defence for people the pose model did not report, run once per
    :data:`FACE_DETECT_EVERY_S`: conservative settings (``minNeighbors=5``, faces at least 4 % of the
    picture's height), so few false boxes are blurred.
    """

    width_px = 480

    def __init__(self) -> None:
        import cv2

        root = Path(cv2.data.haarcascades)
        self.cascades = [
            cv2.CascadeClassifier(str(root / name))
            for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
        ]
        self.cascades = [c for c in self.cascades if not c.empty()]

    def find(self, image: np.ndarray) -> list[tuple[int, int, int, int]]:
        import cv2

        h, w = image.shape[:2]
        scale = min(1.0, self.width_px / w)
        grey = cv2.cvtColor(
            cv2.resize(image, (int(w * scale), int(h * scale))) if scale < 1 else image, cv2.COLOR_RGB2GRAY
        )
        grey = cv2.equalizeHist(grey)
        min_px = max(12, int(0.04 * grey.shape[0]))
        boxes = []
        for i, cascade in enumerate(self.cascades):
            for flipped in (False, True) if i == 1 else (False,):
                picture = cv2.flip(grey, 1) if flipped else grey
                for x, y, bw, bh in cascade.detectMultiScale(
                    picture, scaleFactor=1.2, minNeighbors=5, minSize=(min_px, min_px)
                ):
                    x = grey.shape[1] - x - bw if flipped else x
                    grow = 0.25 * bw
                    box = ((x - grow) / scale, (y - grow) / scale, (x + bw + grow) / scale, (y + bh + grow) / scale)
                    boxes.append(
                        (max(int(box[0]), 0), max(int(box[1]), 0), min(int(box[2]) + 1, w), min(int(box[3]) + 1, h))
                    )
        return boxes


class _HeldBoxes:
    """Face boxes kept for ``hold_s`` after their last sighting; a new box replaces an old one it overlaps."""

    def __init__(self, hold_s: float) -> None:
        self.hold_s = hold_s
        self.boxes: list[tuple[tuple[int, int, int, int], float]] = []

    def update(self, seen: list[tuple[int, int, int, int]], time_s: float) -> list[tuple[int, int, int, int]]:
        kept = [(b, t) for b, t in self.boxes if time_s - t <= self.hold_s and not any(_overlap(b, s) for s in seen)]
        self.boxes = kept + [(s, time_s) for s in seen]
        return [b for b, _ in self.boxes]


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _value(angles: pd.DataFrame, name: str, row: int) -> float:
    if name not in angles.columns or row >= len(angles):
        return math.nan
    return float(angles[name].iloc[row])


def _facing(analysis, ds) -> np.ndarray:
    from movelab.kinematics import facing_sign, views_per_frame

    return facing_sign(views_per_frame(ds, getattr(analysis, "views", None)))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _even(image: np.ndarray) -> np.ndarray:
    """H.264 in yuv420p needs even sizes: drop a last odd row or column."""
    h, w = image.shape[:2]
    return np.ascontiguousarray(image[: h - h % 2, : w - w % 2])


def _open_stream(container: Any, image: np.ndarray, fps: float):
    rate = Fraction(fps if fps and math.isfinite(fps) and fps > 0 else 30.0).limit_denominator(1001)
    stream = container.add_stream("libx264", rate=rate)
    stream.width, stream.height = image.shape[1], image.shape[0]
    stream.pix_fmt = "yuv420p"
    stream.time_base = Fraction(1, 90000)
    # the encoder counts in the same fine ticks: in 1/fps ticks two close frames of a variable-rate video
    # (a browser's webcam recording) collapse onto one time and the muxer refuses the stream
    stream.codec_context.time_base = Fraction(1, 90000)
    stream.options = {"crf": "23", "preset": "veryfast"}
    return stream
