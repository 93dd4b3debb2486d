"""Cleaning of keypoint tracks: confidence gating, short-gap interpolation, Hampel outlier rejection and a
zero-lag Butterworth low-pass.

Every function takes a labelled :class:`xarray.DataArray` with a ``time`` dimension (seconds, strictly
increasing; other dimensions are free), returns a new DataArray of the same shape and coordinates, and
appends a line to its ``processing`` attribute. Options are keyword-only with their units in their names.
The defaults used by movelab live in :class:`movelab.kinematics.KinematicsConfig`; the chain is described
in ``docs/kinematics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import xarray as xr

from movelab.errors import ConfigError, InputError
from movelab.kinematics.config import ConfidenceScore
from movelab.kinematics.runs import runs

__all__ = ["confidence_score", "gate_confidence", "interpolate_gaps", "hampel", "lowpass", "sampling_rate_hz"]

# Time comparisons allow for floating-point times such as k / 30.
_TIME_EPS_S = 1e-9


def confidence_score(ds: xr.Dataset, *, method: ConfidenceScore = "visibility*presence") -> xr.DataArray:
    """Per-keypoint confidence in [0, 1] from a landmark Dataset.

    Parameters
    ----------
    ds
        Landmark Dataset (``movelab.landmarks``) with ``visibility`` and ``presence``.
    method
        ``"visibility*presence"`` (default), ``"visibility"`` or ``"presence"``.

    Returns
    -------
    xarray.DataArray
        ``confidence (time, keypoint)``; 0 in frames where the client was not detected.
    """
    if method == "visibility*presence":
        score = ds["visibility"] * ds["presence"]
    elif method in ("visibility", "presence"):
        score = ds[method]
    else:
        raise ConfigError(f"method must be 'visibility*presence', 'visibility' or 'presence', got {method!r}")
    score = score.where(ds["detected"], 0.0).fillna(0.0)
    score.name = "confidence"
    score.attrs = {"units": "1", "method": method}
    return score


def gate_confidence(position: xr.DataArray, confidence: xr.DataArray, *, min_confidence: float) -> xr.DataArray:
    """Set positions whose keypoint confidence is below ``min_confidence`` to NaN.

    Parameters
    ----------
    position
        Keypoint positions, e.g. ``position_px (time, keypoint, space_2d)``.
    confidence
        Scores broadcastable to ``position`` (e.g. ``(time, keypoint)``), see :func:`confidence_score`.
    min_confidence
        Threshold in [0, 1]; a score equal to it passes.

    Returns
    -------
    xarray.DataArray
        ``position`` with NaN where the gate failed.
    """
    _check_time(position)
    if not (isinstance(min_confidence, (int, float)) and 0.0 <= min_confidence <= 1.0):
        raise ConfigError(f"min_confidence must be a number in [0, 1], got {min_confidence!r}")
    out = position.where(confidence >= min_confidence)
    return _finish(out, position, f"gate_confidence(min_confidence={min_confidence})")


def interpolate_gaps(da: xr.DataArray, *, max_gap_s: float) -> xr.DataArray:
    """Fill short runs of NaN by linear interpolation in time; leave longer runs NaN.

    Parameters
    ----------
    da
        Data with a ``time`` dimension.
    max_gap_s
        A run of NaN is filled when the valid samples just before and just after it are at most this many
        seconds apart. NaN at the start or the end (no valid sample on one side) are never filled.

    Returns
    -------
    xarray.DataArray
        ``da`` with its short gaps filled.

    Notes
    -----
    The gap length is measured between the valid neighbours (the rule of
    :meth:`xarray.DataArray.interpolate_na` with ``max_gap``), on the real frame times, so a video with a
    variable frame rate is handled correctly: at 30 fps, 0.1 s fills up to 2 missing frames.
    Interpolation is linear: ``y(t) = y_a + (y_b − y_a)(t − t_a)/(t_b − t_a)``.
    """
    _check_time(da)
    _check_nonnegative("max_gap_s", max_gap_s)
    time = da["time"].values

    def fill(y: np.ndarray) -> np.ndarray:
        finite = np.flatnonzero(np.isfinite(y))
        if finite.size < 2:
            return y
        out = y.copy()
        for j in np.flatnonzero(np.diff(finite) > 1):
            a, b = finite[j], finite[j + 1]
            if time[b] - time[a] <= max_gap_s + _TIME_EPS_S:
                out[a + 1 : b] = np.interp(time[a + 1 : b], time[[a, b]], y[[a, b]])
        return out

    return _finish(_apply_columns(da, fill), da, f"interpolate_gaps(max_gap_s={max_gap_s})")


def hampel(
    da: xr.DataArray,
    *,
    half_window_s: float,
    n_sigma: float = 3.0,
    min_deviation: float = 0.0,
    joint_dim: str | None = None,
) -> xr.DataArray:
    """Hampel filter: replace outliers by NaN.

    Parameters
    ----------
    da
        Data with a ``time`` dimension.
    half_window_s
        Half-width of the centred window, seconds; converted to ``h = max(1, round(half_window_s · f))``
        samples at the median sampling rate ``f`` (window ``2h + 1`` samples).
    n_sigma
        Threshold in robust standard deviations.
    min_deviation
        Deviations up to this (in the units of ``da``) are never outliers; guards against a zero MAD.
    joint_dim
        If given (e.g. ``"space_2d"``), a sample that is an outlier in one entry along this dimension is
        an outlier in all of them (a keypoint is dropped whole, not one coordinate of it).

    Returns
    -------
    xarray.DataArray
        ``da`` with outliers set to NaN (fill them with :func:`interpolate_gaps`).

    Notes
    -----
    With ``m`` the median and ``MAD`` the median absolute deviation from ``m`` of the finite samples in
    the window (at least 3 needed), sample ``x`` is an outlier when
    ``|x − m| > max(n_sigma · 1.4826 · MAD, min_deviation)``; 1.4826 makes the MAD a consistent estimate
    of the standard deviation of normal data (Pearson 2002).
    """
    _check_time(da)
    _check_positive("half_window_s", half_window_s)
    _check_positive("n_sigma", n_sigma)
    _check_nonnegative("min_deviation", min_deviation)
    if joint_dim is not None and joint_dim not in da.dims:
        raise InputError(f"joint_dim {joint_dim!r} is not a dimension of the data; its dims are {da.dims}")
    h = max(1, int(round(half_window_s * sampling_rate_hz(da))))

    def outliers(y: np.ndarray) -> np.ndarray:  # y: (time, columns)
        pad = np.full((h, y.shape[1]), np.nan)
        windows = np.lib.stride_tricks.sliding_window_view(np.vstack([pad, y, pad]), 2 * h + 1, axis=0)
        median = _nanmedian_last(windows)
        mad = _nanmedian_last(np.abs(windows - median[..., None]))
        enough = np.isfinite(windows).sum(axis=-1) >= 3
        limit = np.maximum(n_sigma * 1.4826 * mad, min_deviation)
        with np.errstate(invalid="ignore"):
            return (enough & (np.abs(y - median) > limit)).astype(np.float64)

    flags = _apply_matrix(da, outliers) > 0.5
    if joint_dim is not None:
        flags = flags.any(joint_dim).broadcast_like(da)
    out = da.where(~flags)
    return _finish(
        out, da, f"hampel(half_window_s={half_window_s}, n_sigma={n_sigma}, min_deviation={min_deviation:g})"
    )


def lowpass(
    da: xr.DataArray,
    *,
    cutoff_hz: float,
    order: int = 4,
    time_jitter_tolerance: float = 0.05,
    max_step_s: float = 0.1,
) -> xr.DataArray:
    """Zero-lag Butterworth low-pass over each run of finite samples.

    Parameters
    ----------
    da
        Data with a ``time`` dimension.
    cutoff_hz
        Cut-off frequency, Hz; must be below the Nyquist frequency of the median sampling rate.
    order
        Order of the zero-lag filter, even: a Butterworth of order ``order / 2`` run forwards and
        backwards (:func:`scipy.signal.sosfiltfilt`).
    time_jitter_tolerance
        If every frame interval is within this fraction of the median interval, samples are filtered as
        uniform; otherwise each run is resampled (cubic spline) to the median rate, filtered, and
        interpolated back (cubic spline) to the original times.
    max_step_s
        A run of finite samples also ends where two consecutive frames are more than this far apart.

    Returns
    -------
    xarray.DataArray
        Filtered data; NaN stay NaN.

    Notes
    -----
    Forward–backward filtering squares the magnitude response, ``|H(f)|² = 1 / (1 + (f/f_c)^order)``, and
    cancels the phase, so there is no lag; the gain at ``cutoff_hz`` is 0.5. Filtering runs over each
    maximal run of finite samples separately, with odd extension padding of ``3 · (2 · n_sections + 1)``
    samples (SciPy's default, 9 for ``order = 4``). Runs not longer than the padding are returned
    unfiltered.
    """
    _check_time(da)
    _check_positive("cutoff_hz", cutoff_hz)
    _check_positive("max_step_s", max_step_s)
    if not (isinstance(order, int) and order >= 2 and order % 2 == 0):
        raise ConfigError(f"order is the zero-lag order and must be an even integer >= 2, got {order!r}")
    time = da["time"].values
    fs = sampling_rate_hz(da)
    if not cutoff_hz < fs / 2:
        raise ConfigError(
            f"cutoff_hz must be below the Nyquist frequency ({fs / 2:.3g} Hz at {fs:.3g} samples/s), "
            f"got {cutoff_hz}; lower the cut-off or record at a higher frame rate"
        )
    from scipy import signal  # here, not on import: analysing cached kinematics never filters (0.5-0.9 s CPU)
    from scipy.interpolate import CubicSpline

    sos = signal.butter(order // 2, cutoff_hz, btype="lowpass", fs=fs, output="sos")
    padlen = 3 * (2 * len(sos) + 1)
    steps = np.diff(time)
    uniform = steps.size == 0 or np.all(np.abs(steps - 1.0 / fs) <= time_jitter_tolerance / fs)
    breaks = np.flatnonzero(steps > max_step_s + _TIME_EPS_S) + 1

    def run_filter(t: np.ndarray, y: np.ndarray) -> np.ndarray:  # y: (run, columns), all finite
        if uniform:
            return signal.sosfiltfilt(sos, y, axis=0, padlen=padlen) if len(y) > padlen else y
        # The grid covers the run; its last point may lie up to one interval past the last sample
        # (the cubic spline extrapolates there).
        grid = t[0] + np.arange(int(math.ceil((t[-1] - t[0]) * fs - _TIME_EPS_S)) + 1) / fs
        if grid.size <= padlen or t.size < 2:
            return y
        smooth = signal.sosfiltfilt(sos, CubicSpline(t, y, axis=0)(grid), axis=0, padlen=padlen)
        return CubicSpline(grid, smooth, axis=0)(t)

    def filt(y: np.ndarray) -> np.ndarray:  # (time, columns)
        out = y.copy()
        finite = np.isfinite(y)
        # Columns with the same pattern of missing samples are filtered together.
        patterns: dict[bytes, list[int]] = {}
        for j in range(y.shape[1]):
            patterns.setdefault(np.packbits(finite[:, j]).tobytes(), []).append(j)
        for columns in patterns.values():
            for start, stop in _finite_runs(finite[:, columns[0]], breaks):
                out[start:stop, columns] = run_filter(time[start:stop], y[start:stop, columns])
        return out

    out = _apply_matrix(da, filt)
    return _finish(out, da, f"lowpass(cutoff_hz={cutoff_hz}, order={order}, zero-lag)")


def sampling_rate_hz(da: xr.DataArray) -> float:
    """Median sampling rate of ``da`` along ``time`` (1 / median frame interval), samples per second."""
    _check_time(da)
    steps = np.diff(da["time"].values)
    if steps.size == 0:
        raise InputError("need at least 2 frames to know the sampling rate, got 1")
    return float(1.0 / np.median(steps))


def _nanmedian_last(windows: np.ndarray) -> np.ndarray:
    """Median of the finite values along the last axis (NaN where there are none); fast for short windows."""
    ordered = np.sort(windows, axis=-1)  # NaN sort last
    count = np.isfinite(windows).sum(axis=-1)
    low = np.clip((count - 1) // 2, 0, None)[..., None]
    high = np.clip(count // 2, 0, windows.shape[-1] - 1)[..., None]
    median = (np.take_along_axis(ordered, low, -1) + np.take_along_axis(ordered, high, -1))[..., 0] / 2.0
    return np.where(count > 0, median, np.nan)


def _finite_runs(finite: np.ndarray, breaks: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` index ranges of consecutive finite samples, also split at ``breaks``."""
    pieces = []
    for start, stop in runs(finite):
        cuts = breaks[(breaks > start) & (breaks < stop)]
        bounds = [start, *cuts.tolist(), stop]
        pieces.extend(zip(bounds[:-1], bounds[1:]))
    return pieces


def _apply_columns(da: xr.DataArray, func: Callable[[np.ndarray], np.ndarray]) -> xr.DataArray:
    """Apply a 1-D function of the time series to every column (all other dims flattened)."""
    return _apply_matrix(da, lambda m: np.column_stack([func(m[:, j]) for j in range(m.shape[1])]))


def _apply_matrix(da: xr.DataArray, func: Callable[[np.ndarray], np.ndarray]) -> xr.DataArray:
    """Apply a function to the ``(time, columns)`` matrix of ``da`` (all other dims flattened)."""
    other = [d for d in da.dims if d != "time"]
    ordered = da.transpose("time", *other)
    values = np.asarray(ordered.values, dtype=np.float64)
    flat = values.reshape(values.shape[0], -1)
    out = func(flat) if flat.shape[1] else flat
    result = ordered.copy(data=np.asarray(out).reshape(values.shape))
    return result.transpose(*da.dims)


def _finish(out: xr.DataArray, original: xr.DataArray, step: str) -> xr.DataArray:
    out.name = original.name
    out.attrs = dict(original.attrs)
    history = original.attrs.get("processing", "")
    out.attrs["processing"] = f"{history}; {step}" if history else step
    return out


def _check_time(da) -> None:
    if not isinstance(da, xr.DataArray):
        raise InputError(f"expected an xarray.DataArray with a 'time' dimension, got {type(da).__name__}")
    if "time" not in da.dims:
        raise InputError(f"expected a 'time' dimension, got dims {da.dims}")
    time = np.asarray(da["time"].values, dtype=np.float64)
    if not np.all(np.isfinite(time)) or (time.size > 1 and not np.all(np.diff(time) > 0)):
        raise InputError("time must be finite and strictly increasing (seconds)")


def _check_positive(name: str, value) -> None:
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0):
        raise ConfigError(f"{name} must be a positive number, got {value!r}")


def _check_nonnegative(name: str, value) -> None:
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0):
        raise ConfigError(f"{name} must be a number >= 0, got {value!r}")
