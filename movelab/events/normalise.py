"""Time-normalise any angle over reps or gait cycles: 0–100 % of each span, sampled at ``n_points``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import ConfigError, InputError
from movelab.kinematics.tables import time_indexed

__all__ = ["time_normalise"]


def time_normalise(
    angles: pd.DataFrame,
    spans: pd.DataFrame,
    *,
    columns: list[str] | tuple[str, ...] | None = None,
    n_points: int = 101,
) -> xr.DataArray:
    """Each span's angles resampled to ``n_points`` equally spaced instants from its start to its end.

    Parameters
    ----------
    angles
        A per-frame table indexed by ``time_s`` with angle columns (:func:`movelab.kinematics.compute_angles`).
    spans
        A table with ``start_s`` and ``end_s``: ``Segmentation.reps`` or ``Segmentation.cycles`` (cycles also
        carry ``side``). Other columns travel along as coordinates of the ``span`` dimension.
    columns
        The columns to normalise; default every numeric column but ``frame``.
    n_points
        Samples per span: 101 gives 0, 1, ..., 100 % (the gait convention).

    Returns
    -------
    xarray.DataArray
        ``angle_deg (span, percent, angle)``; coordinates ``percent`` (0–100), ``angle`` (column names), and
        along ``span`` ``start_s``, ``end_s`` and, when present, ``side`` and ``index``.

    Notes
    -----
    Percent ``q`` of a span is the instant ``start_s + q / 100 · (end_s − start_s)``; its value is the linear
    interpolation between the two frames around that instant, on the real timestamps. It is NaN when
    either frame's value is NaN or the instant is outside the video: a gap is never bridged.
    """
    angles = time_indexed(angles)
    if not isinstance(spans, pd.DataFrame) or not {"start_s", "end_s"} <= set(spans.columns):
        raise InputError(
            "spans must be a DataFrame with start_s and end_s columns (Segmentation.reps or "
            f".cycles), got {type(spans).__name__}"
            + (f" with columns {list(spans.columns)}" if isinstance(spans, pd.DataFrame) else "")
        )
    if not isinstance(n_points, (int, np.integer)) or isinstance(n_points, bool) or n_points < 2:
        raise ConfigError(f"n_points must be an integer of at least 2, got {n_points!r}")
    if columns is None:
        columns = [
            c
            for c in angles.columns
            if c != "frame" and pd.api.types.is_numeric_dtype(angles[c]) and not pd.api.types.is_bool_dtype(angles[c])
        ]
    missing = [c for c in columns if c not in angles]
    if missing:
        raise InputError(f"columns {missing} are not in the angle table; it has {list(angles.columns)}")
    time = angles.index.to_numpy(dtype=np.float64)
    values = angles[list(columns)].to_numpy(dtype=np.float64)
    percent = np.linspace(0.0, 100.0, n_points)
    out = np.full((len(spans), n_points, len(columns)), np.nan)
    for k, (start, end) in enumerate(zip(spans["start_s"].to_numpy(float), spans["end_s"].to_numpy(float))):
        if np.isfinite(start) and np.isfinite(end) and end > start:
            out[k] = _interpolate(time, values, start + percent / 100.0 * (end - start))
    coords = {
        "percent": percent,
        "angle": list(columns),
        "start_s": ("span", spans["start_s"].to_numpy(float)),
        "end_s": ("span", spans["end_s"].to_numpy(float)),
    }
    for extra in ("side", "index"):
        if extra in spans:
            coords[extra] = ("span", spans[extra].to_numpy())
    return xr.DataArray(
        out,
        dims=("span", "percent", "angle"),
        coords=coords,
        name="angle_deg",
        attrs={"units": "deg", "description": "angles over 0-100 % of each span"},
    )


def _interpolate(time: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Linear interpolation of every column at the instants ``at``; NaN outside or next to a NaN."""
    result = np.full((at.size, values.shape[1]), np.nan)
    if time.size == 0:
        return result
    inside = (at >= time[0]) & (at <= time[-1])
    j = np.clip(np.searchsorted(time, at, side="right"), 1, time.size - 1)
    i = j - 1
    span = time[j] - time[i]
    w = np.where(span > 0, (at - time[i]) / np.where(span > 0, span, 1.0), 0.0)
    blended = values[i] * (1 - w[:, None]) + values[j] * w[:, None]
    # on a frame, that frame alone decides (its neighbour may be NaN)
    blended = np.where(np.isclose(at, time[i])[:, None], values[i], blended)
    blended = np.where(np.isclose(at, time[j])[:, None], values[j], blended)
    result[inside] = blended[inside]
    return result
