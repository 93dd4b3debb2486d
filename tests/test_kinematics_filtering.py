"""Cleaning functions on synthetic signals with known answers: gate, gap fill, Hampel, zero-lag low-pass."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from movelab.errors import ConfigError, InputError
from movelab.kinematics import confidence_score, gate_confidence, hampel, interpolate_gaps, lowpass
from movelab.kinematics.stickfigure import stick_figure

FPS = 30.0


def series(values, time=None, name: str = "signal") -> xr.DataArray:
    """A 1-D DataArray along ``time`` (30 fps unless times are given)."""
    values = np.asarray(values, dtype=np.float64)
    time = np.arange(values.size) / FPS if time is None else np.asarray(time, dtype=np.float64)
    return xr.DataArray(values, dims=("time",), coords={"time": time}, name=name, attrs={"units": "px"})


@pytest.fixture
def sine_1hz() -> xr.DataArray:
    """4 s of a 1 Hz sine of amplitude 100 px at 30 fps."""
    t = np.arange(120) / FPS
    return series(100 * np.sin(2 * np.pi * t), t)


# --- gate ----------------------------------------------------------------------------------------------


def test_gate_removes_keypoints_below_threshold_and_undetected_frames():
    """A still figure; the nose scores 0.25 in frame 3; frame 5 has no detection."""
    ds = stick_figure(np.arange(8) / FPS, view="front", pose={})
    ds["visibility"].loc[{"keypoint": "nose"}] = np.where(np.arange(8) == 3, 0.5, 1.0)
    ds["presence"].loc[{"keypoint": "nose"}] = np.where(np.arange(8) == 3, 0.5, 1.0)
    ds["detected"][5] = False
    score = confidence_score(ds)
    assert score.sel(keypoint="nose")[3] == pytest.approx(0.25)
    gated = gate_confidence(ds["position_px"], score, min_confidence=0.3)
    assert gated.sel(keypoint="nose")[3].isnull().all()
    assert gated.sel(keypoint="left_eye")[3].notnull().all()
    assert gated[5].isnull().all()
    assert gated.dims == ds["position_px"].dims and gated.name == "position_px"
    assert "gate_confidence(min_confidence=0.3)" in gated.attrs["processing"]
    assert confidence_score(ds, method="visibility").sel(keypoint="nose")[3] == pytest.approx(0.5)


# --- gaps ----------------------------------------------------------------------------------------------


def test_short_gap_filled_linearly_long_gap_and_ends_left_nan():
    """A ramp 0, 1, 2, ... with a 2-frame gap (filled), a 3-frame gap (0.133 s: kept) and NaN ends."""
    y = np.arange(20, dtype=float)
    y[[0, 5, 6, 10, 11, 12, 19]] = np.nan
    out = interpolate_gaps(series(y), max_gap_s=0.1).values
    np.testing.assert_allclose(out[5:7], [5.0, 6.0])
    assert np.isnan(out[10:13]).all()
    assert np.isnan(out[0]) and np.isnan(out[19])


def test_gap_length_uses_real_times():
    """Frames at irregular times: the same 1-frame gap is short or long depending on the timestamps."""
    y = np.array([0.0, np.nan, 2.0, 3.0, np.nan, 5.0])
    t = np.array([0.0, 0.04, 0.08, 0.2, 0.3, 0.4])
    out = interpolate_gaps(series(y, t), max_gap_s=0.1).values
    assert out[1] == pytest.approx(2.0 * 0.04 / 0.08)
    assert np.isnan(out[4])


def test_interpolation_keeps_other_dims_and_order():
    """Two keypoints × (x, y); only one column has a gap."""
    values = np.arange(40, dtype=float).reshape(5, 2, 2, 2)[..., 0]  # (time=5, keypoint=2, space=2)
    values = values.copy()
    values[2, 1, 0] = np.nan
    da = xr.DataArray(
        values,
        dims=("time", "keypoint", "space_2d"),
        coords={"time": np.arange(5) / FPS, "keypoint": ["a", "b"], "space_2d": ["x", "y"]},
    )
    out = interpolate_gaps(da, max_gap_s=0.1)
    assert out.dims == da.dims
    assert out.values[2, 1, 0] == pytest.approx((values[1, 1, 0] + values[3, 1, 0]) / 2)


# --- Hampel --------------------------------------------------------------------------------------------


def test_hampel_removes_a_spike_and_nothing_else(sine_1hz):
    """The sine (moving up to 10 px per frame) with a 150 px spike at frame 40."""
    spiked = sine_1hz.copy()
    spiked[40] += 150.0
    out = hampel(spiked, half_window_s=0.1, n_sigma=3.0)
    assert np.isnan(out.values[40])
    assert np.isfinite(np.delete(out.values, 40)).all()
    np.testing.assert_array_equal(np.delete(out.values, 40), np.delete(spiked.values, 40))


def test_hampel_min_deviation_protects_still_signals():
    """A still keypoint with a 1 px blip at frame 10 (the MAD is 0 around it)."""
    y = np.zeros(20)
    y[10] = 1.0
    assert np.flatnonzero(np.isnan(hampel(series(y), half_window_s=0.1).values)).tolist() == [10]
    assert np.isfinite(hampel(series(y), half_window_s=0.1, min_deviation=2.0).values).all()


def test_hampel_keeps_a_step():
    """A keypoint that moves 40 px between two frames and stays: the window median follows it."""
    y = np.r_[np.zeros(10), np.full(10, 40.0)]
    assert np.isfinite(hampel(series(y), half_window_s=0.1).values).all()


def test_hampel_joint_dim_drops_the_whole_keypoint():
    """A 2-D point whose x jumps by 50 px in frame 10; y is clean."""
    t = np.arange(30) / FPS
    xy = np.column_stack([10 * t, 5 * t])
    xy[10, 0] += 50
    da = xr.DataArray(xy, dims=("time", "space_2d"), coords={"time": t, "space_2d": ["x", "y"]})
    out = hampel(da, half_window_s=0.1, joint_dim="space_2d")
    assert np.isnan(out.values[10]).all()
    assert np.isfinite(np.delete(out.values, 10, axis=0)).all()


# --- low-pass ------------------------------------------------------------------------------------------


def test_lowpass_has_zero_lag_on_a_sine(sine_1hz):
    """Filtering the 1 Hz sine at 6 Hz: the phase of the output (from its projections on sin and cos over
    three whole periods) equals the input's, the cross-correlation peaks at lag 0, and the amplitude is
    kept within 0.1 %."""
    t = sine_1hz["time"].values
    out = lowpass(sine_1hz, cutoff_hz=6.0).values
    inner = slice(15, 105)  # three whole periods away from the ends
    w = 2 * np.pi * t[inner]
    phase = np.arctan2(np.dot(out[inner], np.cos(w)), np.dot(out[inner], np.sin(w)))
    assert abs(phase) < 1e-3  # radians; a lag of one frame would be 0.21
    lags = np.arange(-5, 6)
    xcorr = [np.dot(sine_1hz.values[inner], np.roll(out, lag)[inner]) for lag in lags]
    assert lags[int(np.argmax(xcorr))] == 0
    np.testing.assert_allclose(out[inner], sine_1hz.values[inner], atol=0.1)


def test_lowpass_attenuates_noise_above_cutoff(sine_1hz):
    """The sine plus a 12 Hz ripple of 10 px: the ripple's gain is 1 / (1 + 2^4) ≈ 0.06."""
    t = sine_1hz["time"].values
    noisy = sine_1hz + 10 * np.sin(2 * np.pi * 12 * t)
    out = lowpass(noisy, cutoff_hz=6.0).values
    residual = (out - sine_1hz.values)[15:-15]
    assert np.max(np.abs(residual)) < 1.0


def test_lowpass_gain_at_cutoff_is_one_half():
    """A 6 Hz cosine at 60 fps through the 6 Hz zero-lag filter keeps half its amplitude."""
    t = np.arange(600) / 60.0
    out = lowpass(series(np.cos(2 * np.pi * 6 * t), t), cutoff_hz=6.0).values
    assert np.max(np.abs(out[100:-100])) == pytest.approx(0.5, abs=0.01)


def test_lowpass_keeps_nan_and_filters_runs_separately(sine_1hz):
    """A 20-frame hole splits the sine into two runs; a 5-frame island (too short to pad) is kept raw."""
    y = sine_1hz.values.copy()
    y[40:60] = np.nan
    y[65:80] = np.nan
    y[60:65] += 3.0  # island of 5 samples
    out = lowpass(series(y, sine_1hz["time"].values), cutoff_hz=6.0).values
    np.testing.assert_array_equal(np.isnan(out), np.isnan(y))
    np.testing.assert_array_equal(out[60:65], y[60:65])
    np.testing.assert_allclose(out[10:30], sine_1hz.values[10:30], atol=0.1)


def test_lowpass_on_irregular_times_matches_the_uniform_result():
    """A 1 Hz sine sampled at times jittered by ±30 % of the frame interval (variable frame rate)."""
    rng = np.random.default_rng(1)
    t = np.arange(150) / FPS + rng.uniform(-0.3, 0.3, 150) / FPS
    out = lowpass(series(100 * np.sin(2 * np.pi * t), t), cutoff_hz=6.0).values
    np.testing.assert_allclose(out[10:-10], 100 * np.sin(2 * np.pi * t[10:-10]), atol=0.1)


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda s: lowpass(s, cutoff_hz=20.0), ConfigError, "below the Nyquist frequency \\(15 Hz"),
        (lambda s: lowpass(s, cutoff_hz=-1.0), ConfigError, "cutoff_hz must be a positive number, got -1.0"),
        (lambda s: lowpass(s, cutoff_hz=6.0, order=3), ConfigError, "even integer >= 2, got 3"),
        (lambda s: interpolate_gaps(s, max_gap_s=-0.1), ConfigError, "max_gap_s must be a number >= 0"),
        (lambda s: hampel(s, half_window_s=0), ConfigError, "half_window_s must be a positive number, got 0"),
        (lambda s: hampel(s, half_window_s=0.1, joint_dim="space"), InputError, "joint_dim 'space' is not"),
        (lambda s: lowpass(s.values, cutoff_hz=6.0), InputError, "expected an xarray.DataArray .* got ndarray"),
        (lambda s: lowpass(s.rename(time="t"), cutoff_hz=6.0), InputError, "expected a 'time' dimension"),
        (
            lambda s: lowpass(s.assign_coords(time=s["time"].values[::-1]), cutoff_hz=6.0),
            InputError,
            "strictly increasing",
        ),
        (lambda s: gate_confidence(s, s, min_confidence=2), ConfigError, "min_confidence must be a number in"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(sine_1hz, call, error, match):
    with pytest.raises(error, match=match):
        call(sine_1hz)
