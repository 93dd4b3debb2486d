"""movelab.events._quantile.nanpercentile gives the same float as numpy.nanpercentile (the rep timing's shortcut)."""

import math
import warnings

import numpy as np
import pytest

from movelab.events._quantile import nanpercentile


def _arrays(rng):
    for n in (1, 2, 3, 5, 17, 18, 40, 121):
        yield rng.normal(10.0, 5.0, n)
        yield rng.integers(-3, 4, n).astype(float)  # ties, and signed zeros below
        values = rng.normal(0.0, 1.0, n)
        values[rng.random(n) < 0.3] = np.nan
        yield values
        values = rng.integers(-2, 3, n) * 0.0  # +0.0 and -0.0
        yield values
        values = rng.normal(0.0, 1.0, n)
        values[rng.random(n) < 0.2] = rng.choice([np.inf, -np.inf])
        yield values


@pytest.mark.parametrize("q", [0, 10, 20, 25, 50, 63.7, 95, 100])
def test_same_float_as_numpy(q):
    rng = np.random.default_rng(17)
    for _ in range(40):
        for values in _arrays(rng):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = float(np.nanpercentile(values, q))
            got = nanpercentile(values, q)
            assert type(got) is float
            if math.isnan(expected):
                assert math.isnan(got)
            else:
                assert got == expected, (values, q)  # -0.0 == 0.0: NumPy's partition orders equal zeros its own way


def test_all_nan_is_nan():
    assert math.isnan(nanpercentile(np.full(4, np.nan), 20))
    assert math.isnan(nanpercentile(np.array([]), 20))
