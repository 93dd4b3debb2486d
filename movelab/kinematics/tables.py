"""The shape of every per-frame table (angles, outline, markers): one row per frame, time as the index.

The index is named ``time_s`` (seconds from the video's timestamps, float) and ``frame`` (the frame index in
the video, int) is the first column. Tables written to CSV keep ``time_s`` as their first column; reading one
back, or taking a table from an older movelab that kept ``time_s`` as a column, goes through
:func:`time_indexed` (docs/architecture.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import InputError

__all__ = ["TIME_INDEX", "frame_table", "time_indexed", "time_s_of"]

TIME_INDEX = "time_s"


def frame_table(ds: xr.Dataset) -> pd.DataFrame:
    """An empty per-frame table of the landmark Dataset ``ds``: index ``time_s``, column ``frame``."""
    index = pd.Index(ds["time"].values.astype(np.float64), name=TIME_INDEX)
    return pd.DataFrame({"frame": ds["frame"].values.astype(np.int64)}, index=index)


def time_indexed(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with time as its index: as it is when it already has one, else its ``time_s`` column moved
    into the index (a table read from CSV or from an older movelab).

    Raises
    ------
    InputError
        When ``table`` is not a DataFrame or has neither a ``time_s`` index nor a ``time_s`` column.
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"expected a per-frame table (a DataFrame indexed by time_s), got {type(table).__name__}")
    if table.index.name == TIME_INDEX:
        return table
    if TIME_INDEX in table.columns:
        return table.set_index(TIME_INDEX)
    raise InputError(
        f"expected a per-frame table indexed by time_s (or with a time_s column), got columns {list(table.columns)[:6]}"
    )


def time_s_of(table: pd.DataFrame) -> np.ndarray:
    """The seconds of each row of a per-frame table (:func:`time_indexed`), as float64."""
    return time_indexed(table).index.to_numpy(dtype=np.float64)
