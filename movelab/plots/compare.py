"""Two sessions of one client on one plot (before and after treatment)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.kinematics.tables import time_s_of
from movelab.plots.style import label_of, new_axes

__all__ = ["compare_timelines"]

SESSION_COLOURS = ("#555555", "#1b9e77")


def compare_timelines(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    column: str,
    labels: Sequence[str] = ("A", "B"),
    spans_a: pd.DataFrame | None = None,
    spans_b: pd.DataFrame | None = None,
    align: str = "start",
    ax=None,
    title: str | None = None,
):
    """One angle of two sessions over each other.

    Parameters
    ----------
    a, b
        Angle tables of the two sessions.
    column
        The angle column to compare.
    labels
        Names of the sessions in the legend (e.g. ``("before", "after")``).
    spans_a, spans_b
        Reps or cycles of each session (``start_s``, ``end_s``): with ``align="first_span"`` each session's
        time starts at its first span.
    align
        ``"start"``: time from each video's first frame; ``"first_span"``: from each session's first rep or
        cycle, so the movements line up.
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    if align not in ("start", "first_span"):
        raise ConfigError(f"align must be 'start' or 'first_span', got {align!r}")
    if len(labels) != 2:
        raise ConfigError(f"labels must name the two sessions, got {labels!r}")
    fig, ax = new_axes(ax)
    for table, spans, label, colour, style in zip((a, b), (spans_a, spans_b), labels, SESSION_COLOURS, ("--", "-")):
        if column not in table.columns:
            raise ConfigError(f"session {label!r} has no column {column!r}")
        time = time_s_of(table)
        origin = _origin(time, spans, align)
        ax.plot(
            time - origin,
            table[column].to_numpy(dtype=float),
            color=colour,
            linestyle=style,
            linewidth=1.6,
            label=str(label),
        )
    ax.set_xlabel("time from the first repetition or cycle (s)" if align == "first_span" else "time (s)")
    ax.set_ylabel(f"{label_of(column)} (°)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return fig, ax


def _origin(time: np.ndarray, spans: pd.DataFrame | None, align: str) -> float:
    if align == "first_span" and spans is not None and len(spans):
        return float(spans["start_s"].min())
    return float(time[0]) if time.size else 0.0
