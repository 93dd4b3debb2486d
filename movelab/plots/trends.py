"""One measure of one client across sessions, with the method error as a band."""

from __future__ import annotations

import numpy as np
import pandas as pd

from movelab.plots.style import new_axes

__all__ = ["trend"]


def trend(table: pd.DataFrame, *, ax=None, colour: str = "#1b6ca8"):
    """Values of one measure over sessions, each with a band of ± its method error.

    Parameters
    ----------
    table
        Rows of one measure: ``when`` (time), ``value``, ``method_error`` (NaN: no band), ``measure``.
    ax
        Axes to draw in, or None for a new figure.

    Returns
    -------
    (fig, ax)

    Notes
    -----
    The band is the interval ``value ± method_error`` around each session's point, joined from session to
    session: a later point inside the band of an earlier one is a change the method cannot tell from
    noise.
    """
    fig, ax = new_axes(ax)
    table = table.sort_values("when")
    when = pd.to_datetime(table["when"]).to_numpy()
    value = table["value"].to_numpy(dtype=float)
    error = pd.to_numeric(table["method_error"], errors="coerce").to_numpy(dtype=float)
    if np.isfinite(error).any():
        ax.fill_between(
            when,
            value - error,
            value + error,
            color=colour,
            alpha=0.18,
            linewidth=0,
            label="method error",
            gid="method-error-band",
        )
        ax.errorbar(
            when, value, yerr=np.where(np.isfinite(error), error, 0.0), fmt="none", ecolor=colour, alpha=0.5, capsize=4
        )  # visible for a single session too, where a band has no width
    ax.plot(when, value, "o-", color=colour, gid="values")
    if len(when) == 1:
        day = np.timedelta64(1, "D")
        ax.set_xlim(when[0] - 15 * day, when[0] + 15 * day)
    name = str(table["measure"].iloc[0]) if len(table) else ""
    unit = "°" if name.endswith("_deg") else ""
    ax.set_ylabel(f"{name.removesuffix('_deg')} {unit}".strip(), fontsize=8)
    ax.grid(alpha=0.3)
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    return fig, ax
