"""Look for other people on a sparse schedule: one pose every frame, several only when needed.

MediaPipe's ``PoseLandmarker`` in VIDEO mode runs its person detector on every frame in which it tracks
fewer people than ``num_poses``. With ``num_poses=2`` and one person in view (the usual clinic video) the
detector therefore runs on every frame looking for a second person, which costs about as much as the
landmark model itself (1.7-1.9x the one-pose loop, docs/pose.md). The client rule needs to *notice* other
people, not to re-detect them on every frame.

:class:`SparseSearchModel` keeps two landmarkers, each with its own tracking state:

* **one person in view**: a one-pose landmarker on every frame; every ``search_every_s`` the frame is also
  given to a ``num_poses`` landmarker in IMAGE mode (no state to go stale between searches), whose people
  other than the one already found are added to the frame's candidates;
* a **newcomer** is noticed at once by a cheap motion check: where a 64-pixel-wide grey copy of the frame
  changed since the previous frame outside the boxes of the people already found (someone walking in), the
  frame is searched at once (at most every ``motion_every_frames`` frames);
* **while the client is being chosen** (``dense_first_s``, the tracker's look-ahead window, from the first
  frame with anyone in it): the ``num_poses`` VIDEO-mode landmarker on every frame, exactly as without the
  schedule, so the client is chosen from the same people (a person half in the picture is often found by
  the detector in one frame only and then kept by VIDEO-mode tracking; a sparse look misses that frame);
* **several people in view** (a search found someone else): a fresh ``num_poses`` VIDEO-mode landmarker on
  every frame, as without the schedule, until nobody else has been seen for ``quiet_s``; then back to one
  pose. It is created anew at each such change (0.2-0.4 s): one fed only now and then keeps stale regions
  of interest, returns the same person twice and then stops looking for the newcomer.

The one-pose landmarker, skipped while several people are in view, re-finds its person when it resumes.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

from movelab.pose.landmarker import Candidate, PoseModel

__all__ = ["SparseSearchModel"]


class SparseSearchModel:
    """A pose model that looks for other people every ``search_every_s`` rather than on every frame.

    Parameters
    ----------
    model_path
        A ``.task`` bundle.
    num_poses
        Most people returned per frame (1: a single landmarker, no search).
    output_masks
        Return each person's mask.
    search_every_s
        Seconds between searches for other people while one person is in view; None searches on every
        frame (the ``num_poses`` landmarker alone, as MediaPipe does by itself).
    quiet_s
        After the last frame with several people, seconds with one person before going back to one pose.
    motion_every_frames
        Fewest frames between two searches started by motion outside the people found.
    dense_first_s
        Seconds from the first frame with anyone in it during which every frame goes to the ``num_poses``
        landmarker (the client tracker's look-ahead window, :class:`movelab.pose.tracking.ClientTracker`).
    **thresholds
        MediaPipe's confidence thresholds, passed to both landmarkers.

    Attributes
    ----------
    frames_single, frames_multi, searches
        Frames given to the one-pose landmarker alone, frames given to the ``num_poses`` landmarker
        (searches included), and searches.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        num_poses: int = 2,
        output_masks: bool = True,
        search_every_s: float | None = 1.0,
        quiet_s: float = 1.0,
        motion_every_frames: int = 5,
        dense_first_s: float = 0.0,
        **thresholds: float,
    ) -> None:
        sparse = num_poses > 1 and search_every_s is not None
        self._single = (
            PoseModel(model_path, num_poses=1, output_masks=output_masks, **thresholds)
            if sparse or num_poses == 1
            else None
        )
        self._make_multi = lambda: PoseModel(model_path, num_poses=num_poses, output_masks=output_masks, **thresholds)
        self._multi = self._make_multi() if num_poses > 1 and not sparse else None
        self._search_model = (
            PoseModel(model_path, num_poses=num_poses, output_masks=False, video=False, **thresholds)
            if sparse
            else None
        )
        self._search_every_s = search_every_s
        self._quiet_s = quiet_s
        self._crowded_until_s = -math.inf
        self._next_search_s = -math.inf
        self._last_count = 0
        self._motion = _MotionOutside()
        self._motion_every = motion_every_frames
        self._since_search = 0
        self._dense_first_s = dense_first_s
        self._dense_until_s: float | None = None if dense_first_s > 0 else -math.inf
        self.frames_single = self.frames_multi = self.searches = 0

    def __enter__(self) -> SparseSearchModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for model in (self._single, self._multi, self._search_model):
            if model is not None:
                model.close()

    def detect(self, image_rgb: np.ndarray, time_s: float) -> list[Candidate]:
        """The people found in one upright RGB frame (see :meth:`PoseModel.detect`)."""
        if self._single is None:
            return self._multi_frame(image_rgb, time_s)
        if self._search_model is None:
            self.frames_single += 1
            return self._single.detect(image_rgb, time_s)
        if self._dense_until_s is None or time_s < self._dense_until_s or time_s < self._crowded_until_s:
            if self._multi is None:
                self._multi = self._make_multi()
            return self._multi_frame(image_rgb, time_s)
        if self._multi is not None:  # back to one person: the next crowd gets a fresh landmarker
            self._multi.close()
            self._multi = None
        self.frames_single += 1
        found = self._single.detect(image_rgb, time_s)
        moved = self._motion.outside(image_rgb, found)
        self._since_search += 1
        # Search on schedule, when the one-pose landmarker gains or loses its person, and when something
        # moves outside the person found.
        if (
            time_s >= self._next_search_s
            or len(found) != self._last_count
            or (moved and self._since_search >= self._motion_every)
        ):
            found = found + self._search(image_rgb, time_s, found)
        self._last_count = len(found)
        return found

    def _multi_frame(self, image_rgb: np.ndarray, time_s: float) -> list[Candidate]:
        self.frames_multi += 1
        found = self._multi.detect(image_rgb, time_s)
        if self._dense_until_s is None and found:  # the first frame with anyone: the window starts
            self._dense_until_s = time_s + self._dense_first_s
        if len(_distinct(found, image_rgb.shape)) > 1:
            self._crowded_until_s = time_s + self._quiet_s
        self._last_count = len(found)
        return found

    def _search(self, image_rgb: np.ndarray, time_s: float, found: list[Candidate]) -> list[Candidate]:
        """People the ``num_poses`` landmarker finds besides those in ``found``."""
        self.searches += 1
        self.frames_multi += 1
        self._since_search = 0
        self._next_search_s = time_s + self._search_every_s
        shape = image_rgb.shape
        others = [
            c for c in self._search_model.detect(image_rgb, time_s) if not any(_same_person(c, f, shape) for f in found)
        ]
        if others:
            self._crowded_until_s = time_s + self._quiet_s
        return others


class _MotionOutside:
    """Did the picture change outside the people found? A grey 64-px-wide copy against the previous one.

    A pixel changed when its grey level moved by more than ``level`` (of 255); motion is more than
    ``fraction`` of the pixels outside the people's boxes (landmark boxes grown by a quarter each side).
    """

    def __init__(self, *, width_px: int = 64, level: int = 25, fraction: float = 0.004) -> None:
        self._width = width_px
        self._level = level
        self._fraction = fraction
        self._previous: np.ndarray | None = None

    def outside(self, image_rgb: np.ndarray, found: list[Candidate]) -> bool:
        h, w = image_rgb.shape[:2]
        small_h = max(1, round(h * self._width / w))
        grey = cv2.cvtColor(
            cv2.resize(image_rgb, (self._width, small_h), interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY
        )
        previous, self._previous = self._previous, grey
        if previous is None or previous.shape != grey.shape:
            return False
        changed = cv2.absdiff(grey, previous) > self._level
        for c in found:
            x0, y0 = c.norm[:, :2].min(axis=0)
            x1, y1 = c.norm[:, :2].max(axis=0)
            gx, gy = 0.25 * (x1 - x0), 0.25 * (y1 - y0)
            cx0, cx1 = int(max(x0 - gx, 0) * self._width), int(np.ceil(min(x1 + gx, 1) * self._width))
            cy0, cy1 = int(max(y0 - gy, 0) * small_h), int(np.ceil(min(y1 + gy, 1) * small_h))
            changed[cy0:cy1, cx0:cx1] = False
        return bool(changed.mean() > self._fraction)


def _distinct(candidates: list[Candidate], shape: tuple[int, ...]) -> list[Candidate]:
    kept: list[Candidate] = []
    for c in candidates:
        if not any(_same_person(c, k, shape) for k in kept):
            kept.append(c)
    return kept


def _same_person(a: Candidate, b: Candidate, shape: tuple[int, ...]) -> bool:
    """Hips within half a torso height and landmark boxes overlapping by more than half (IoU), in pixels.

    The same test as the tracker's duplicate rule (:mod:`movelab.pose.tracking`).
    """
    size = np.array([shape[1], shape[0]], dtype=np.float64)
    pa, pb = a.norm[:, :2] * size, b.norm[:, :2] * size
    hip_a, hip_b = pa[[23, 24]].mean(axis=0), pb[[23, 24]].mean(axis=0)
    torso = max(_torso(pa), _torso(pb))
    if not np.linalg.norm(hip_a - hip_b) <= 0.5 * torso:
        return False
    return _iou(np.r_[pa.min(0), pa.max(0)], np.r_[pb.min(0), pb.max(0)]) > 0.5


def _torso(px: np.ndarray) -> float:
    return float(np.linalg.norm(px[[11, 12]].mean(axis=0) - px[[23, 24]].mean(axis=0)))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(min(a[2], b[2]) - max(a[0], b[0]), 0.0)
    h = max(min(a[3], b[3]) - max(a[1], b[1]), 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return float(w * h / union) if union > 0 else 0.0


def model_for(model_path: str | Path, config, *, dense_first_s: float) -> SparseSearchModel:
    """The :class:`SparseSearchModel` an extraction with ``config`` (:class:`movelab.pose.config.ExtractConfig`)
    runs: its people, masks, search schedule and MediaPipe thresholds; ``dense_first_s`` as in the class."""
    return SparseSearchModel(
        model_path,
        num_poses=config.num_poses,
        output_masks=config.outline,
        search_every_s=config.search_every_s,
        dense_first_s=dense_first_s,
        **config.thresholds(),
    )
