"""The FMS deep squat's criteria over the squat, and standing posture along the chain against its norms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from movelab.plots.style import new_axes

__all__ = ["fms_criteria", "posture_chain_values"]

_COLOURS = ("#333333", "#1f6fb4", "#d4572a", "#2e8b57")
_LIMIT = "#b8222d"


def fms_criteria(
    series: pd.DataFrame,
    *,
    limits: Mapping[str, float],
    scored: Sequence[tuple[float, float]] = (),
    ax=None,
):
    """Each FMS criterion's measured value over the clip, its limit dashed in the same colour, and the
    windows the score was read in shaded.

    Parameters
    ----------
    series
        One column per criterion value (its label, with its unit, as the column name), indexed by ``time_s``
        (e.g. ``"torso − tibia (°)"``, ``"thigh (°)"``; from a front view ``"left knee inside foot (%)"``).
    limits
        Column name → the limit it is judged against (columns without one get no line).
    scored
        ``(start_s, end_s)`` of each window the criteria were read in (each rep's bottom); shaded and
        labelled "scored".
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    fig, ax = new_axes(ax)
    t = series.index.to_numpy(dtype=np.float64)
    for i, column in enumerate(series.columns):
        colour = _COLOURS[i % len(_COLOURS)]
        ax.plot(t, series[column].to_numpy(dtype=np.float64), color=colour, linewidth=1.6, label=column)
        if column in limits:
            ax.axhline(limits[column], color=colour, linewidth=0.9, linestyle="--", label=f"limit {limits[column]:g}")
    for k, (start, end) in enumerate(scored):
        ax.axvspan(start, end, color="#999999", alpha=0.22, linewidth=0, label="scored" if k == 0 else None)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("criterion value")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=7)
    return fig, ax


def posture_chain_values(measures: Mapping[str, Mapping], *, ax=None):
    """The standing posture measures as horizontal bars with their values, and the limit where one is sourced.

    Parameters
    ----------
    measures
        As ``posture_chain_summary(...)["measures"]`` (:mod:`movelab.report.assessments`): per measure its
        ``label``, ``unit``, ``median`` (None: not measurable from this clip's view) and, where a sourced
        threshold exists, ``finding`` with ``threshold`` and ``status``.
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
        One bar per measure, top to bottom in the given order; a measure not measured from this view is
        written as not measured instead of a bar; a limit is a red tick on its bar's row.
    """
    fig, ax = new_axes(ax, figsize=(7.5, 0.45 * max(len(measures), 1) + 1.0))
    names = list(measures)
    y = np.arange(len(names))[::-1]
    for row, name in zip(y, names):
        entry = measures[name]
        value = entry.get("median")
        finding = entry.get("finding") or {}
        if value is None:
            ax.text(0.0, row, "  not measured in this clip (view or outline)", va="center", fontsize=7, color="#777")
            continue
        flagged = finding.get("status") == "flagged"
        ax.barh(row, value, color=_LIMIT if flagged else "#1f6fb4", alpha=0.75, height=0.6)
        ax.text(value, row, f" {value:.1f} {entry.get('unit', '')}", va="center", fontsize=7)
        if finding.get("threshold") is not None:
            ax.plot([finding["threshold"]] * 2, [row - 0.4, row + 0.4], color=_LIMIT, linewidth=1.6)
    ax.axvline(0.0, color="#333333", linewidth=0.8)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_yticks(y, [f"{measures[n]['label']} ({measures[n].get('unit', '')})" for n in names], fontsize=7)
    ax.set_xlabel("median over the clip (red tick: limit where one is sourced)")
    ax.grid(True, axis="x", alpha=0.3)
    return fig, ax
