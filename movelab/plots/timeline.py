"""Angle timelines with reps or gait cycles shaded and findings marked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.kinematics.tables import TIME_INDEX, time_s_of
from movelab.plots.style import (
    FINDING_COLUMNS,
    PANELS,
    SEVERITY_COLOURS,
    SIDE_COLOURS,
    SPAN_COLOURS,
    label_of,
    new_axes,
    side_of,
)

__all__ = ["timeline", "timeline_panels"]


def timeline(
    angles: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    spans: pd.DataFrame | None = None,
    findings: Iterable[Any] | None = None,
    ax=None,
    title: str | None = None,
    legend: bool = True,
):
    """Angles against time, with reps or cycles shaded and findings marked.

    Parameters
    ----------
    angles
        The angle table (indexed by ``time_s``; angle columns in degrees).
    columns
        Angle columns to draw; default every angle with a finite value. Left side blue, right side orange.
    spans
        Reps (``start_s``, ``end_s``) or gait cycles (also ``side``) to shade: reps alternate two tints and
        are numbered; cycles are drawn as thin bands in their side's colour at the bottom.
    findings
        :class:`movelab.findings.Finding` objects; those about the drawn columns (and those about no
        particular angle) are marked as a coloured bar along the top over their time span, labelled with
        their code. ``"info"`` notes are not drawn.
    ax
        Axes to draw in; default a new figure.
    title
        Axes title.
    legend
        Draw a legend of the columns.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    columns = _columns(angles, columns)
    fig, ax = new_axes(ax)
    time = time_s_of(angles)
    _shade_spans(ax, spans)
    styles = ("-", "--", ":", "-.")
    for i, column in enumerate(columns):
        side = side_of(column)
        colour = SIDE_COLOURS[side] if side else f"C{2 + i}"
        ax.plot(
            time,
            angles[column].to_numpy(dtype=float),
            color=colour,
            linestyle=styles[0] if side else styles[i % len(styles)],
            linewidth=1.4,
            label=label_of(column),
        )
    _mark_findings(ax, findings, columns)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("angle (°)")
    if time.size:
        ax.set_xlim(float(np.nanmin(time)), float(np.nanmax(time)))
    if title:
        # y given: matplotlib then leaves the title where the default puts it (just above the axes) instead of
        # measuring, at every layout pass and draw, the x axis and the y ticks of every panel to see whether
        # anything above the axes is in its way (nothing is: the x ticks are below, and an angle's y axis shows
        # no offset text); the same pixels, 7 % of a 10-minute timeline's CPU
        ax.set_title(title, fontsize=10, loc="left", y=1.0)
    if legend and columns:
        ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
    ax.grid(True, alpha=0.3)
    return fig, ax


def timeline_panels(
    angles: pd.DataFrame,
    *,
    spans: pd.DataFrame | None = None,
    findings: Iterable[Any] | None = None,
    panels: Sequence[tuple[str, Sequence[str]]] = PANELS,
    fig=None,
    width_in: float = 9.0,
    panel_height_in: float = 2.0,
):
    """One :func:`timeline` panel per group of angles that has any finite value (the report's figure).

    Parameters
    ----------
    angles, spans, findings
        As :func:`timeline`.
    panels
        ``(title, columns)`` groups; default :data:`movelab.plots.PANELS`.
    fig
        A figure to draw in (e.g. ``matplotlib.figure.Figure()`` outside notebooks); default a pyplot figure.
    width_in, panel_height_in
        Size of the figure in inches.

    Returns
    -------
    (matplotlib.figure.Figure, list of matplotlib.axes.Axes)
        No axes when no angle has a value (the figure then says so).
    """
    findings = list(findings or [])
    shown = [
        (t, [c for c in cols if c in angles.columns and np.isfinite(angles[c].to_numpy(dtype=float)).any()])
        for t, cols in panels
    ]
    shown = [(t, cols) for t, cols in shown if cols]
    height = panel_height_in * max(len(shown), 1) + 0.4
    if fig is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width_in, height), layout="constrained")
    else:
        fig.set_size_inches(width_in, height)
    if not shown:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "No angle could be measured in this video.", ha="center", va="center")
        ax.set_axis_off()
        return fig, []
    axes = fig.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (title, cols) in zip(axes, shown):
        timeline(angles, columns=cols, spans=spans, findings=findings, ax=ax, title=title)
        ax.set_xlabel("")
    axes[-1].set_xlabel("time (s)")
    return fig, list(axes)


def _columns(angles: pd.DataFrame, columns: Sequence[str] | None) -> list[str]:
    if not isinstance(angles, pd.DataFrame) or TIME_INDEX not in (angles.index.name, *angles.columns):
        raise ConfigError("angles must be the angle table (a DataFrame indexed by time_s)")
    if columns is None:
        return [
            c
            for c in angles.columns
            if c not in (TIME_INDEX, "frame") and np.isfinite(angles[c].to_numpy(dtype=float)).any()
        ]
    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in columns if c not in angles.columns]
    if missing:
        raise ConfigError(f"no such angle column(s) {missing}; the table has {list(angles.columns)}")
    return columns


#: At most this many reps are numbered in a panel; with more, every k-th is (a long recording's labels would
#: overlap into a smear, and drawing hundreds of them was most of the time of its report).
MAX_SPAN_LABELS = 30


def _shade_spans(ax, spans: pd.DataFrame | None) -> None:
    """Reps as alternating tinted bands (numbered), gait cycles as thin side-coloured bands at the bottom with a
    dotted line at each start; each kind is one collection, however many spans there are."""
    if spans is None or len(spans) == 0:
        return
    if not {"start_s", "end_s"} <= set(spans.columns):
        raise ConfigError(f"spans need start_s and end_s columns, got {list(spans.columns)}")
    start = spans["start_s"].to_numpy(dtype=float)
    end = spans["end_s"].to_numpy(dtype=float)
    if "side" in spans.columns:
        sides = spans["side"].to_numpy(dtype=object)
        low = np.where(sides == "left", 0.02, 0.06)
        colours = [SIDE_COLOURS.get(side, "#999999") for side in sides]
        _bands(ax, start, end, low=low, high=low + 0.035, colours=colours, alpha=0.55, zorder=1)
        ax.vlines(
            start, 0, 1, transform=ax.get_xaxis_transform(), colors=colours, linestyles=":", linewidth=0.9, alpha=0.7
        )
        return
    n = len(spans)
    _bands(
        ax,
        start,
        end,
        low=np.zeros(n),
        high=np.ones(n),
        colours=[SPAN_COLOURS[i % 2] for i in range(n)],
        alpha=0.9,
        zorder=0,
    )
    labels = spans["index"].to_numpy(dtype=int) + 1 if "index" in spans.columns else np.arange(1, n + 1)
    every = -(-n // MAX_SPAN_LABELS)
    for i in range(0, n, every):
        ax.text(
            (start[i] + end[i]) / 2,
            0.02,
            f"rep {labels[i]}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7,
            color="#555555",
            in_layout=False,  # inside the axes: the layout need not measure it (hundreds of texts a long report)
        )


def _bands(ax, start, end, *, low, high, colours, alpha: float, zorder: float) -> None:
    """Vertical bands from ``start`` to ``end`` (data) and ``low`` to ``high`` (axes fraction), one collection."""
    from matplotlib.collections import PolyCollection

    verts = [[(a, lo), (a, hi), (b, hi), (b, lo)] for a, b, lo, hi in zip(start, end, low, high)]
    bands = PolyCollection(
        verts,
        facecolors=colours,
        edgecolors="none",
        linewidths=0,
        alpha=alpha,
        zorder=zorder,
        transform=ax.get_xaxis_transform(),
    )
    ax.add_collection(bands, autolim=False)


def _mark_findings(ax, findings: Iterable[Any] | None, columns: Sequence[str]) -> None:
    relevant = []
    for f in findings or ():
        if getattr(f, "severity", "info") == "info" or f.start_s is None or f.end_s is None:
            continue
        about = FINDING_COLUMNS.get(f.code)
        if about is None or set(about) & set(columns):
            relevant.append(f)
    for row, f in enumerate(relevant):
        top = 0.97 - 0.07 * row
        colour = SEVERITY_COLOURS.get(f.severity, "#b8222d")
        ax.axvspan(f.start_s, f.end_s, ymin=top - 0.035, ymax=top, color=colour, alpha=0.9, linewidth=0)
        side = f" ({f.side})" if f.side else ""
        ax.text(
            f.start_s,
            top - 0.04,
            f"{f.code.replace('_', ' ')}{side}",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=7,
            color=colour,
            fontweight="bold",
            in_layout=False,  # inside the axes, as the rep labels
        )
