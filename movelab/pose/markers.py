"""Skin stickers on the ASIS and the PSIS: two small coloured dots found near the hip landmark.

Clinicians who film posture in 2D put coloured skin markers on the anterior and posterior superior iliac
spines. In a side view their line is the pelvis's ASIS-PSIS line, so the pelvic tilt is measured, not
estimated. This module finds the dots in one RGB frame; :mod:`movelab.extraction` stores them per frame in the
landmark Dataset (``marker_px``, ``marker_area_px``, ``marker_count``) and
:func:`movelab.kinematics.markers.marker_pelvic_tilt` turns them into the angle.

A dot is a connected region of the marker's colour (HSV ranges, OpenCV scale: hue 0-179) inside a window
around the hip landmark, of a sticker's size relative to the torso (hip-to-shoulder distance in pixels) and
compact (it fills at least ``min_fill`` of its bounding box) and not cut by the window's edge. A colour has a
pair in a frame only when exactly two such dots are found; one dot (the other hidden), none, or more than two
(ambiguous) leave it empty, and the count says which. With ``auto`` every named colour is searched and the
clip's colour is chosen later, over all frames.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from movelab.pose.marker_spec import MARKER_COLOURS, HsvRange, MarkerSpec, parse_marker_spec

__all__ = ["MARKER_COLOURS", "MarkerSpec", "DotSearch", "Dots", "parse_marker_spec", "find_dots"]


@dataclass(frozen=True)
class DotSearch:
    """Where and what a dot may be, in torso lengths (hip-to-shoulder distance in pixels).

    The window spans ``forward_back`` either side of the hip landmark and from ``above`` above it to
    ``below`` below it (the stickers sit about 0.17 torso above the hip joint centre, the ASIS ahead of it
    and the PSIS behind). A dot's equivalent radius lies within ``radius``; ``min_fill`` is its area over
    its bounding box's (a disc fills 0.785, one seen at 60 deg about the same).

    A dot cut by an edge (a shirt's hem) is told by its height (:func:`_pair`): ``cut_tolerance`` is the share
    of its height it may lack against the other dot's and still count as whole (two whole 5-7 px dots through
    H.264 at crf 20-30 differ by up to 0.24 in 90 % of the design clips' frames, ``scripts/accuracy/
    marker_dots.py``; 0.2 and 0.25 were compared there, 0.25 changed no whole clip's tilt by more than
    0.08 deg). More than ``max_hidden`` missing and its centre is NaN (0.35 was tried: it took frames and
    gained nothing). With ``cut_from_above`` a cut dot's centre row is half the other dot's height above its
    lower edge (the cover is taken to come from above: a shirt's hem, a hand on the hip); without, it keeps
    its centroid. Either way its centre's standard uncertainty is the centroid's possible shift,
    ``cut_shift_per_share`` times the hidden share times the full height (a disc cut by a chord: 0.32-0.42
    for 20-50 % of its height hidden).

    With ``unmix_centre`` a dot's centre (a cut dot's row then as above) is the centroid of its sticker share per pixel
    (:func:`_unmixed_centre`): each pixel unmixed between the sticker's colour and the background in its own
    direction (the median of ``background_sectors`` sectors of a ring ``background_ring_px`` beyond the dot's
    radius), in YCbCr with luma weighted by ``luma_weight`` against the chroma, summed within
    ``centre_margin_px`` beyond the radius. Chosen on the 23 design clips at crf 20, 26 and 30 against the
    drawn stickers (``scripts/accuracy/marker_dots.py``; docs/outline-decisions.md): the dots' tilt error per
    clip (detected dots' line against the drawn stickers') 0.44 -> 0.39 deg on average over the 69 encodings,
    the worst 0.99 -> 0.88 deg; luma weights 0-0.3, margins 0.5-1.3 px and rings from 1.0-2.5 px out to 2.5-6 px beyond
    the radius gave 0.37-0.40 deg on a sample of the clips' dots (chosen: 1-3 px; a ring close to the dot also
    keeps a hem or the back's edge beyond the ring rather than between ring and dot); the full luma weight
    (1.0) 2.3 deg, as the body's shading and its edge then count as the sticker. With ``elliptic_window``
    the share's window and the background ring follow the dot's elongation (:func:`_shape`; a PSIS sticker
    near the back's edge shows 2-3 px wide and 6 px tall) instead of a circle of its area: tried on the 69
    design encodings, the dots' tilt error 0.391 -> 0.382 deg on average but its worst 0.88 -> 0.97 and the
    marker tilt MAE 0.553 -> 0.572 (worst 1.40 -> 1.48): not chosen (docs/outline-decisions.md).
    """

    forward_back: float = 0.45
    above: float = 0.45
    below: float = 0.2
    radius: tuple[float, float] = (0.016, 0.07)
    min_fill: float = 0.45
    cut_tolerance: float = 0.25
    max_hidden: float = 0.5
    cut_shift_per_share: float = 0.4
    cut_from_above: bool = True
    unmix_centre: bool = True
    luma_weight: float = 0.2
    centre_margin_px: float = 1.0
    background_ring_px: tuple[float, float] = (1.0, 3.0)
    background_sectors: int = 16
    elliptic_window: bool = False


@dataclass(frozen=True)
class Dots:
    """The dots of one colour in one frame: ``centres_px`` (2, 2) sorted by image x and their ``areas_px``
    (NaN unless exactly two were found), ``count``, the dots of that colour found, and per dot ``hidden``, the
    share of its height missing against the other dot's (0: whole), and ``cut_sd_px``, the standard
    uncertainty its cut adds to its centre (0 when whole; a centre is NaN when the dot is mostly hidden)."""

    centres_px: np.ndarray
    areas_px: np.ndarray
    count: int
    hidden: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(2))
    cut_sd_px: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(2))

    @staticmethod
    def empty(count: int = 0) -> Dots:
        return Dots(np.full((2, 2), np.nan), np.full(2, np.nan), count, np.full(2, np.nan), np.full(2, np.nan))


_KERNEL = np.ones((3, 3), np.uint8)


@dataclass(frozen=True)
class _Blob:
    """One candidate dot in window pixels: weighted centre, area, and its column profile's half-maximum rows
    (``top``, ``bottom``; :func:`_rows`)."""

    x: float
    y: float
    area: float
    top: float
    bottom: float


def _blobs(
    hsv: np.ndarray, ranges: tuple[HsvRange, ...], torso_px: float, search: DotSearch, rgb: np.ndarray | None = None
) -> list[_Blob]:
    mask = np.zeros(hsv.shape[:2], np.uint8)
    for lo, hi in ranges:
        mask |= cv2.inRange(hsv, np.array(lo, np.uint8), np.array(hi, np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _KERNEL)  # join a dot split by chroma bleeding
    n, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    r_lo, r_hi = (r * torso_px for r in search.radius)
    out = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        radius = np.sqrt(area / np.pi)
        if not r_lo <= radius <= r_hi or area < 3:
            continue
        if x == 0 or y == 0 or x + w == mask.shape[1] or y + h == mask.shape[0]:
            continue  # cut by the window: a piece of something larger
        if area / float(w * h) < search.min_fill or max(w, h) > 3 * min(w, h):
            continue
        weight, (x0, y0) = _evidence(hsv, ranges, (x, y, w, h))
        total = weight.sum()
        if total <= 0:
            cx, cy = x + 0.5 * (w - 1), y + 0.5 * (h - 1)
            top, bottom = y - 0.5, y + h - 0.5
        else:
            rows, cols = np.indices(weight.shape)
            cx, cy = float((weight * cols).sum() / total + x0), float((weight * rows).sum() / total + y0)
            top, bottom = (v + y0 for v in _rows(weight.sum(axis=1)))
        if search.unmix_centre and rgb is not None:
            shape = _shape(weight, (cx - x0, cy - y0)) if search.elliptic_window and total > 0 else (1.0, 0.0)
            centre = _unmixed_centre(rgb, (cx, cy), float(radius), search, shape=shape)
            if centre is not None:
                cx, cy = centre
        out.append(_Blob(cx, cy, float(area), top, bottom))
    return out


def _evidence(
    hsv: np.ndarray, ranges: tuple[HsvRange, ...], box: tuple[int, ...]
) -> tuple[np.ndarray, tuple[int, int]]:
    """A dot's colour evidence over its box grown by 2 px, and the grown box's corner (x, y).

    Evidence per pixel = saturation x value x hue match (1 inside a range, falling to 0 over 8 hue units
    outside it), minus the median evidence on the grown box's border (the surround), clipped at 0; edge
    pixels that the dot covers in part (anti-aliasing, chroma subsampling) count in part, so its centroid (the
    dot's centre) is not pulled by which side of the threshold an edge pixel fell. (Weighting by brightness
    contrast instead was tried: the surround's seam between shirt and trousers pulled it by 1-2 px.)
    """
    x, y, w, h = box
    y0, x0 = max(0, y - 2), max(0, x - 2)
    patch = hsv[y0 : y + h + 2, x0 : x + w + 2].astype(np.float64)
    hue = patch[..., 0]
    match = np.zeros_like(hue)
    for (h_lo, _, _), (h_hi, _, _) in ranges:
        below = np.minimum(np.abs(hue - h_lo), 180 - np.abs(hue - h_lo))
        above = np.minimum(np.abs(hue - h_hi), 180 - np.abs(hue - h_hi))
        inside = (hue >= h_lo) & (hue <= h_hi)
        match = np.maximum(match, np.where(inside, 1.0, np.clip(1 - np.minimum(below, above) / 8.0, 0, 1)))
    evidence = patch[..., 1] / 255 * patch[..., 2] / 255 * match
    border = np.concatenate([evidence[0], evidence[-1], evidence[:, 0], evidence[:, -1]])
    return np.clip(evidence - np.median(border), 0, None), (x0, y0)


def _shape(weight: np.ndarray, centre: tuple[float, float]) -> tuple[float, float]:
    """A dot's elongation from its evidence's second moments: the long axis over the short one (>= 1) and the
    long axis's direction (radians from image x)."""
    rows, cols = np.indices(weight.shape)
    dx, dy = cols - centre[0], rows - centre[1]
    total = weight.sum()
    cov = (
        np.array(
            [[(weight * dx * dx).sum(), (weight * dx * dy).sum()], [(weight * dx * dy).sum(), (weight * dy * dy).sum()]]
        )
        / total
    )
    values, vectors = np.linalg.eigh(cov)
    if values[0] <= 0:
        return 1.0, 0.0
    return float(np.sqrt(values[1] / values[0])), float(np.arctan2(vectors[1, 1], vectors[0, 1]))


_YCBCR = np.array([[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]])


def _unmixed_centre(
    rgb: np.ndarray,
    centre: tuple[float, float],
    radius_px: float,
    search: DotSearch,
    *,
    shape: tuple[float, float] = (1.0, 0.0),
) -> tuple[float, float] | None:
    """A dot's centre from its sticker share per pixel, or None when no pixel shows the sticker.

    Around the first ``centre`` (the evidence centroid), each pixel's colour ``p`` (YCbCr, luma weighted by
    ``search.luma_weight``) is taken as a mix ``B + a (S - B)`` of the background ``B`` in its direction (the
    median of its sector of a ring ``background_ring_px`` beyond ``radius_px``: a sticker on the shirt's hem
    has shirt above and trousers below, each its own background) and the sticker's colour ``S`` (the pixel
    farthest from its background, within the ring's inner edge); ``a`` is the least-squares share. A mix is
    linear, and so are the blur of the encoder's 4:2:0 chroma and its upsampling, so the centroid of ``a``
    within ``centre_margin_px`` beyond the radius stays the sticker's centre where the saturation x value x
    hue weights of :func:`_evidence` (not linear in the mix) weigh a mixed edge pixel by which colour lies
    beyond it.
    """
    cx, cy = centre
    ratio, angle = shape
    long_px = radius_px * np.sqrt(ratio)  # the ellipse of the dot's area and elongation
    inner, outer = radius_px + search.background_ring_px[0], radius_px + search.background_ring_px[1]
    reach = long_px + search.background_ring_px[1]
    x0, y0 = max(0, int(np.floor(cx - reach)) - 1), max(0, int(np.floor(cy - reach)) - 1)
    x1, y1 = min(rgb.shape[1], int(np.ceil(cx + reach)) + 2), min(rgb.shape[0], int(np.ceil(cy + reach)) + 2)
    weights = np.array([search.luma_weight, 1.0, 1.0])
    colour = rgb[y0:y1, x0:x1].astype(np.float64) @ (_YCBCR.T * weights)
    rows, cols = np.indices(colour.shape[:2])
    dx, dy = cols + x0 - cx, rows + y0 - cy
    dist = _edge_distance(dx, dy, radius_px, ratio, angle) + radius_px
    n = search.background_sectors
    sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * n).astype(int) % n
    ring = (dist >= inner) & (dist <= outer)
    if not ring.any():
        return None
    fallback = np.median(colour[ring], axis=0)
    medians = [colour[ring & (sector == k)] for k in range(n)]
    background = np.array([np.median(m, axis=0) if len(m) else fallback for m in medians])[sector]
    diff = colour - background
    inside = dist < inner
    k = np.unravel_index(np.argmax(np.where(inside, np.linalg.norm(diff, axis=-1), -1.0)), dist.shape)
    towards = colour[k] - background
    share = (diff * towards).sum(axis=-1) / np.maximum((towards * towards).sum(axis=-1), 1e-9)
    share = np.where(dist < radius_px + search.centre_margin_px, share, 0.0)
    total = share.sum()
    if total <= 0:
        return None
    return float((share * cols).sum() / total + x0), float((share * rows).sum() / total + y0)


def _edge_distance(dx: np.ndarray, dy: np.ndarray, radius_px: float, ratio: float, angle: float) -> np.ndarray:
    """How far each offset ``(dx, dy)`` lies beyond the edge of the ellipse of area ``pi radius_px^2``, long
    over short axis ``ratio``, long axis at ``angle``, along its own direction (a disc: ``hypot - radius``)."""
    u = dx * np.cos(angle) + dy * np.sin(angle)
    v = -dx * np.sin(angle) + dy * np.cos(angle)
    a, b = radius_px * np.sqrt(ratio), radius_px / np.sqrt(ratio)
    rho = np.sqrt((u / a) ** 2 + (v / b) ** 2)
    dist = np.hypot(dx, dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rho > 0, dist * (1.0 - 1.0 / rho), -min(a, b))


def _rows(profile: np.ndarray) -> tuple[float, float]:
    """The half-maximum crossings (top, bottom; linear between rows) of a dot's evidence summed along its
    rows."""
    k = int(np.argmax(profile))
    half = 0.5 * profile[k]
    i = k
    while i > 0 and profile[i - 1] >= half:
        i -= 1
    top = i - 0.5 if i == 0 else i - (profile[i] - half) / (profile[i] - profile[i - 1])
    j = k
    while j < profile.size - 1 and profile[j + 1] >= half:
        j += 1
    bottom = j + 0.5 if j == profile.size - 1 else j + (profile[j] - half) / (profile[j] - profile[j + 1])
    return float(top), float(bottom)


def _pair(blobs: list[_Blob], offset: tuple[int, int], search: DotSearch) -> Dots:
    """Two dots as :class:`Dots`, a dot cut by an edge told by its height and centred from its lower edge.

    The two stickers are the same size and their discs turn alike with the pelvis, so they show about the
    same height in the picture (half-maximum rows of the colour evidence; the ASIS one a few per cent more,
    being nearer). A dot more than ``cut_tolerance`` of the other's height short is cut by an edge: its
    centroid sits off the sticker's centre, away from the cut. Which side is cut a 5-7 px dot through H.264
    does not show (its profile's skew and peak were tried on the design clips: the 2x2 chroma blocks hide
    them), so the cover is taken to come from above (``cut_from_above``; a waistband over a sticker from below
    would be corrected the wrong way, the uncertainty ``cut_sd_px`` then covers half the error). More than
    ``max_hidden`` hidden, its centre is NaN. Both dots cut alike are not told (each looks whole).
    """
    x0, y0 = offset
    heights = np.array([b.bottom - b.top for b in blobs])
    full = float(heights.max())
    hidden = np.clip(1.0 - heights / full, 0.0, 1.0) if full > 0 else np.zeros(2)
    centres = np.array([[b.x + x0, b.y + y0] for b in blobs])
    cut = hidden > search.cut_tolerance
    sd = np.where(cut, search.cut_shift_per_share * hidden * full, 0.0)
    if search.cut_from_above:  # the centre row half the other dot's height above the lower edge
        for k in np.flatnonzero(cut):
            centres[k, 1] = y0 + blobs[k].bottom - 0.5 * full
    gone = hidden > search.max_hidden
    centres[gone], sd[gone] = np.nan, np.nan
    return Dots(centres, np.array([b.area for b in blobs]), 2, hidden, sd)


def find_dots(
    image_rgb: np.ndarray,
    *,
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    spec: MarkerSpec,
    search: DotSearch = DotSearch(),
) -> dict[str, Dots]:
    """The sticker dots of each colour of ``spec`` near the hip of one person in one frame.

    Parameters
    ----------
    image_rgb
        ``(H, W, 3)`` uint8 frame.
    hip_px, shoulder_px
        The person's hip and shoulder midpoints in pixels (the window and the size scale).
    spec
        From :func:`parse_marker_spec`.
    search
        Window and dot shape limits.

    Returns
    -------
    dict
        Colour name -> :class:`Dots`, in the order of ``spec.colours``. Which colour the client wears is
        decided over the whole clip (:func:`movelab.kinematics.markers.marker_pelvic_tilt`), not per frame.
    """
    empty = {name: Dots.empty() for name, _ in spec.colours}
    hip, sh = np.asarray(hip_px, float), np.asarray(shoulder_px, float)
    if not (np.isfinite(hip).all() and np.isfinite(sh).all()):
        return empty
    torso = float(np.linalg.norm(sh - hip))
    if torso < 10:
        return empty
    h_img, w_img = image_rgb.shape[:2]
    x0 = int(max(0, hip[0] - search.forward_back * torso))
    x1 = int(min(w_img, hip[0] + search.forward_back * torso + 1))
    y0 = int(max(0, hip[1] - search.above * torso))
    y1 = int(min(h_img, hip[1] + search.below * torso + 1))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return empty
    window = np.ascontiguousarray(image_rgb[y0:y1, x0:x1])
    hsv = cv2.cvtColor(window, cv2.COLOR_RGB2HSV)
    out = {}
    for name, ranges in spec.colours:
        blobs = sorted(_blobs(hsv, ranges, torso, search, window), key=lambda b: (b.x, b.y))
        out[name] = Dots.empty(len(blobs)) if len(blobs) != 2 else _pair(blobs, (x0, y0), search)
    return out
