"""The hips' (and wrists') heights averaged with the pose model's reading of the mirror image
(``ExtractConfig.mirror_hips``, ``ExtractConfig.mirror_wrists``).

The pose model is not mirror-symmetric. On rendered squats filmed from behind with a level pelvis it placed the
standing figure's hip on the image's right 1.9-3.8 px lower than the other (design body A; both 6-10 px below
their joints) and both level at depth, so the standing reference of ``pelvic_drop`` leaned 2.5-4.8° and every
rep read a "drop" of that size. In the picture mirrored left to right the hip on the image's right -- the
client's other hip -- still sat 1.7-2.9 px lower: the error follows the picture, not the body. Averaging each
hip's height with the height the model gives its mirror twin cancels such an error and keeps a real obliquity,
which mirrors with the body (docs/findings-decisions.md, *Pelvic drop from behind*; measured with
``scripts/accuracy/frontal_hips_mirrored.py``: level design squats from behind −4.8…+0.3° → −1.2…+0.5°).

The wrists of hands resting on the hips err the same way: on the rendered hands-on-hips lunges filmed from
behind (design bodies A, design1, design4, group ``lunge`` and ``lunge_design`` of
``scripts/accuracy/frontal_findings_accuracy.py``) the standing wrists' line leaned +1.3…+3.7° (front views
−1.1…+1.2°), and a 10° drop read 6.9-8.7° with the left leg forward, 6.9-10.7° with the right; with the wrists
averaged too, standing −0.6…0.0° and the drops 7.9-10.4° (docs/findings-decisions.md, *Pelvic drop lunges: the
wrists' line against the mirror image*).

:func:`mirror_averaged_heights` does it for one frame's candidates. The mirror image's person is matched to each
filmed one by the hips' midpoint (un-mirrored: ``x → 1 − x`` in normalised coordinates); the mirrored figure's
left hip is the filmed figure's right one.

:func:`looks_frontal` is the gate of ``mirror_hips="frontal"``: the mirror model runs on a frame only when a
person in it faces the camera or turns their back to it (their shoulders spread across the picture), not on
side views, where the hips overlap and the pass would cost without use.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from movelab.landmarks import KEYPOINTS
from movelab.pose.landmarker import Candidate

__all__ = ["MIRRORED_PARTS", "looks_frontal", "mirror_averaged_heights", "mirrored_image", "shoulder_share"]

#: The body parts whose left and right landmarks the mirror pass can average in height.
MIRRORED_PARTS: tuple[str, ...] = ("hip", "wrist")

_LEFT_HIP, _RIGHT_HIP = KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")
_LEFT_SHOULDER, _RIGHT_SHOULDER = KEYPOINTS.index("left_shoulder"), KEYPOINTS.index("right_shoulder")


def shoulder_share(xy_px: np.ndarray) -> float:
    """The shoulders' horizontal distance as a share of the torso length (NaN when not measurable).

    ``xy_px`` is one person's ``(33, 2)`` landmarks in pixels of the picture; the torso length is the distance
    from the shoulders' midpoint to the hips' midpoint. About 0.5-0.7 facing the camera or turned away from
    it, near 0 side on.
    """
    shoulders = xy_px[[_LEFT_SHOULDER, _RIGHT_SHOULDER]]
    hips = xy_px[[_LEFT_HIP, _RIGHT_HIP]]
    torso_px = float(np.linalg.norm(shoulders.mean(axis=0) - hips.mean(axis=0)))
    if not np.isfinite(torso_px) or torso_px <= 0.0:
        return float("nan")
    return abs(float(shoulders[0, 0] - shoulders[1, 0])) / torso_px


def looks_frontal(xy_px: np.ndarray, *, min_share: float) -> bool:
    """Whether the person of ``xy_px`` (``(33, 2)`` pixels) faces the camera or turns their back to it: the
    shoulders' horizontal distance is at least ``min_share`` of the torso length (False when not measurable)."""
    share = shoulder_share(xy_px)
    return bool(np.isfinite(share) and share >= min_share)


def mirrored_image(image_rgb: np.ndarray) -> np.ndarray:
    """The frame flipped left to right (``(height, width, 3)``, contiguous for the model)."""
    return np.ascontiguousarray(image_rgb[:, ::-1])


def mirror_averaged_heights(
    candidates: list[Candidate],
    mirrored: list[Candidate],
    *,
    parts: tuple[str, ...] = ("hip",),
    max_distance_share: float = 0.5,
) -> list[Candidate]:
    """``candidates`` with the height (normalised ``y``) of each landmark of ``parts`` averaged with its mirror
    twin's.

    Parameters
    ----------
    candidates
        The people the model found in the frame.
    mirrored
        The people it found in the frame's mirror image (:func:`mirrored_image`).
    parts
        Body parts of :data:`MIRRORED_PARTS` (``"hip"``, ``"wrist"``): their left and right landmarks are
        averaged.
    max_distance_share
        A mirror person is the same person when its un-mirrored hip midpoint lies within this share of the
        filmed person's hip-to-shoulder distance (in normalised image units) of the filmed hip midpoint;
        a candidate without one keeps its hips as found.

    Notes
    -----
    With ``(x, y)`` normalised, the mirror image maps ``x`` to ``1 − x`` and swaps the sides: the filmed left
    hip's twin is the mirror person's ``right_hip`` (the same for the wrists). Only the ``y`` of the ``parts``'
    landmarks change; ``x``, depth, the world coordinates and the scores stay as filmed.
    """
    unknown = sorted(set(parts) - set(MIRRORED_PARTS))
    if unknown:
        raise ValueError(f"parts must be among {', '.join(MIRRORED_PARTS)}, got {', '.join(unknown)}")
    pairs = [(KEYPOINTS.index(f"left_{part}"), KEYPOINTS.index(f"right_{part}")) for part in parts]
    out = []
    for candidate in candidates:
        twin = _twin(candidate, mirrored, max_distance_share=max_distance_share)
        if twin is None:
            out.append(candidate)
            continue
        norm = candidate.norm.copy()
        for left, right in pairs:
            norm[left, 1] = 0.5 * (candidate.norm[left, 1] + twin.norm[right, 1])
            norm[right, 1] = 0.5 * (candidate.norm[right, 1] + twin.norm[left, 1])
        out.append(dataclasses.replace(candidate, norm=norm))
    return out


def _hip_midpoint(norm: np.ndarray, *, mirrored: bool) -> np.ndarray:
    mid = 0.5 * (norm[_LEFT_HIP, :2] + norm[_RIGHT_HIP, :2])
    return np.array([1.0 - mid[0], mid[1]]) if mirrored else mid


def _twin(candidate: Candidate, mirrored: list[Candidate], *, max_distance_share: float) -> Candidate | None:
    """The mirror person nearest the candidate by the hips' midpoint, if near enough (None otherwise)."""
    if not mirrored:
        return None
    shoulders = 0.5 * (candidate.norm[_LEFT_SHOULDER, :2] + candidate.norm[_RIGHT_SHOULDER, :2])
    hips = _hip_midpoint(candidate.norm, mirrored=False)
    limit = max_distance_share * float(np.linalg.norm(shoulders - hips))
    distances = [float(np.linalg.norm(_hip_midpoint(m.norm, mirrored=True) - hips)) for m in mirrored]
    best = int(np.argmin(distances))
    return mirrored[best] if np.isfinite(distances[best]) and distances[best] <= limit else None
