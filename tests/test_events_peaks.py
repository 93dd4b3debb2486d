"""movelab.events._peaks.find_peaks gives SciPy's peaks and properties (the events stage uses it so that
analysing cached landmarks does not import scipy.signal)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from movelab.events._peaks import find_peaks


def _signals(seed: int):
    """Random walks and their rounded copies (long flat runs and ties between peaks), with NaN and -inf holes."""
    rng = np.random.default_rng(seed)
    for n in (0, 1, 2, 3, 5, 40, 700):
        walk = np.cumsum(rng.normal(size=n))
        yield walk
        yield np.round(walk)  # plateaus, equal peaks
        holes = np.round(walk * 2) / 2
        if n > 5:
            holes[rng.integers(0, n, size=n // 20 + 1)] = np.nan
            holes[rng.integers(0, n, size=n // 20 + 1)] = -np.inf
        yield holes
    yield np.array([0.0, 1.0, 1.0, 1.0])  # a plateau touching the end is no peak
    yield np.array([1.0, 1.0, 0.0, 2.0, 2.0, 0.0])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "options",
    [{}, {"prominence": 0.5}, {"distance": 7}, {"distance": 2.5, "prominence": 1.0}, {"height": 0.0, "distance": 4}],
)
def test_find_peaks_equals_scipys(seed, options):
    for x in _signals(seed):
        peaks, props = find_peaks(x, **options)
        expected, expected_props = signal.find_peaks(x, **options)
        np.testing.assert_array_equal(peaks, expected)
        assert props.keys() == expected_props.keys()
        for key in props:
            np.testing.assert_array_equal(props[key], expected_props[key], err_msg=key)


def test_find_peaks_rejects_what_scipy_rejects():
    with pytest.raises(ValueError, match="distance must be at least 1"):
        find_peaks(np.zeros(5), distance=0.5)
    with pytest.raises(ValueError, match="expected a 1-D signal"):
        find_peaks(np.zeros((3, 3)))
