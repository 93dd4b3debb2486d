"""Peaks of a 1-D signal: :func:`scipy.signal.find_peaks` for the options the events stage uses (``height``,
``prominence``, ``distance``), the same peaks and properties, without importing :mod:`scipy.signal`.

Importing :mod:`scipy.signal` loads :mod:`scipy.stats`, :mod:`scipy.interpolate` and :mod:`scipy.optimize`
(about 0.5-0.9 s of CPU), most of the fixed cost of analysing cached landmarks, for one function. The steps
and their tie rules follow SciPy's (``scipy/signal/_peak_finding.py`` and ``_peak_finding_utils.pyx``):

1. local maxima: a sample (or the middle of a flat run, rounded down) higher than both neighbours; a flat run
   touching either end of the signal is not a peak, and NaN is never higher nor equal;
2. ``height``: peaks at least this high;
3. ``distance``: peaks in order of height (``numpy.argsort``, as SciPy), each removing the lower peaks closer
   than ``ceil(distance)`` samples;
4. ``prominence``: a peak's height above the higher of its two bases, each the lowest point (the one nearest
   the peak) before the signal first rises above the peak (or is NaN) on that side; peaks at least this
   prominent are kept.

``tests/test_events_peaks.py`` checks the peaks and properties equal SciPy's on random signals with flat runs,
ties, NaN and -inf.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["find_peaks"]


def find_peaks(
    x: np.ndarray, *, height: float | None = None, prominence: float | None = None, distance: float | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Indices of the peaks of ``x`` and their properties (``peak_heights`` with ``height``; ``prominences``,
    ``left_bases`` and ``right_bases`` with ``prominence``), as :func:`scipy.signal.find_peaks` with the same
    scalar options returns them.

    Raises
    ------
    ValueError
        ``x`` is not one-dimensional, or ``distance`` is under 1.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"expected a 1-D signal, got an array of shape {x.shape}")
    if distance is not None and distance < 1:
        raise ValueError(f"distance must be at least 1 sample, got {distance}")
    peaks = _local_maxima(x)
    properties: dict[str, np.ndarray] = {}
    if height is not None:
        heights = x[peaks]
        keep = height <= heights
        peaks, properties = peaks[keep], {"peak_heights": heights[keep]}
    if distance is not None:
        keep = _by_distance(peaks, x[peaks], math.ceil(distance))
        peaks, properties = peaks[keep], {k: v[keep] for k, v in properties.items()}
    if prominence is not None:
        properties.update(zip(("prominences", "left_bases", "right_bases"), _prominences(x, peaks)))
        keep = prominence <= properties["prominences"]
        peaks, properties = peaks[keep], {k: v[keep] for k, v in properties.items()}
    return peaks, properties


def _local_maxima(x: np.ndarray) -> np.ndarray:
    """Middles (rounded down) of the runs of equal samples higher than the runs either side of them."""
    if x.size < 3:
        return np.zeros(0, dtype=np.intp)
    starts = np.concatenate([[0], np.flatnonzero(x[1:] != x[:-1]) + 1])  # NaN != NaN: each NaN a run of its own
    ends = np.concatenate([starts[1:] - 1, [x.size - 1]])
    value = x[starts]
    inner = np.arange(1, starts.size - 1)
    higher = (value[inner - 1] < value[inner]) & (value[inner + 1] < value[inner])
    chosen = inner[higher]
    return ((starts[chosen] + ends[chosen]) // 2).astype(np.intp)


def _by_distance(peaks: np.ndarray, priority: np.ndarray, distance: int) -> np.ndarray:
    """Keep-mask of ``peaks``: from the highest (``priority``), each removes the others closer than ``distance``."""
    keep = np.ones(peaks.size, dtype=bool)
    at = peaks.tolist()
    for j in np.argsort(priority)[::-1].tolist():
        if not keep[j]:
            continue
        k = j - 1
        while k >= 0 and at[j] - at[k] < distance:
            keep[k] = False
            k -= 1
        k = j + 1
        while k < len(at) and at[k] - at[j] < distance:
            keep[k] = False
            k += 1
    return keep


def _prominences(x: np.ndarray, peaks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prominence, left base and right base of each peak (see the module notes)."""
    prominences = np.empty(peaks.size, dtype=np.float64)
    left_bases = np.empty(peaks.size, dtype=np.intp)
    right_bases = np.empty(peaks.size, dtype=np.intp)
    for n, peak in enumerate(peaks.tolist()):
        top = x[peak]
        above = np.flatnonzero(~(x[:peak] <= top))  # higher, or NaN: where the walk to the left stops
        start = int(above[-1]) + 1 if above.size else 0
        left = x[start : peak + 1]
        left_bases[n] = start + left.size - 1 - int(np.argmin(left[::-1]))  # the lowest nearest the peak
        above = np.flatnonzero(~(x[peak + 1 :] <= top))
        stop = peak + 1 + int(above[0]) if above.size else x.size
        right = x[peak:stop]
        right_bases[n] = peak + int(np.argmin(right))
        prominences[n] = top - max(x[left_bases[n]], x[right_bases[n]])
    return prominences, left_bases, right_bases
