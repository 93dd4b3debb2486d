"""The mirror pass for the hips during extraction: a second pose model on the mirror image of the frames that
want it (``ExtractConfig.mirror_hips``; :mod:`movelab.pose.mirror` for the averaging and the gate).

:func:`mirror_pass_wanted` decides per frame; :class:`MirrorPass` runs the second model where it says so and
counts the frames it read (``mirror_frames`` in the landmark file's attributes). Single-process extraction
and each :mod:`movelab.parallel` chunk worker hold one each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from movelab.pose.config import ExtractConfig
from movelab.pose.landmarker import Candidate, PoseModel
from movelab.pose.mirror import looks_frontal, mirror_averaged_heights, mirrored_image

__all__ = ["MirrorPass", "mirror_pass_wanted", "mirror_model_wanted"]


def mirror_model_wanted(mode: str, *, source: str) -> bool:
    """Whether a source (``"file"`` or ``"webcam"``) needs the mirror model at all under ``mode``
    (``"frontal"`` is for files only: a live webcam's frames are not held up for it)."""
    return mode == "all" or (mode == "frontal" and source == "file")


def mirror_pass_wanted(people_px: Sequence[np.ndarray], *, mode: str, source: str, min_shoulder_share: float) -> bool:
    """Whether the mirror model reads this frame: always with ``"all"``; with ``"frontal"`` on a file when
    any person found (``(33, 2)`` pixels each) looks frontal (:func:`movelab.pose.mirror.looks_frontal`);
    never with ``"off"``, nor on a webcam with ``"frontal"``."""
    if not mirror_model_wanted(mode, source=source):
        return False
    if mode == "all":
        return True
    return any(looks_frontal(px, min_share=min_shoulder_share) for px in people_px)


class MirrorPass:
    """A context for the mirror model, loaded at the first frame that wants it (a side view never loads it);
    :meth:`apply` per frame; ``frames`` counts the frames it read."""

    def __init__(self, model_path: Path, config: ExtractConfig, *, source: str) -> None:
        self._model_path = model_path
        self._config = config
        self._source = source
        self._model: PoseModel | None = None
        self.frames = 0

    def __enter__(self) -> MirrorPass:
        return self

    def __exit__(self, *exc) -> None:
        if self._model is not None:
            self._model.close()
            self._model = None

    def _loaded(self) -> PoseModel:
        if self._model is None:
            config = self._config
            self._model = PoseModel(
                self._model_path, num_poses=config.num_poses, output_masks=False, **config.thresholds()
            )
        return self._model

    def apply(self, image: np.ndarray, time_s: float, candidates: list[Candidate]) -> list[Candidate]:
        """``candidates`` with the hips (and the wrists, ``ExtractConfig.mirror_wrists``) averaged with the mirror
        image's when the frame wants the pass."""
        if not candidates or not mirror_model_wanted(self._config.mirror_hips, source=self._source):
            return candidates
        h, w = image.shape[:2]
        people_px = [c.pixels(w, h) for c in candidates]
        if not mirror_pass_wanted(
            people_px,
            mode=self._config.mirror_hips,
            source=self._source,
            min_shoulder_share=self._config.mirror_min_shoulder_share,
        ):
            return candidates
        self.frames += 1
        parts = ("hip", "wrist") if self._config.mirror_wrists else ("hip",)
        return mirror_averaged_heights(candidates, self._loaded().detect(mirrored_image(image), time_s), parts=parts)
