"""Time-normalised curves: gait cycles as mean ± SD per side, and reps or cycles one by one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from movelab.errors import ConfigError
from movelab.plots.style import SIDE_COLOURS, label_of, new_axes

__all__ = ["cycle_curves", "rep_comparison", "MAX_LEGEND_SPANS"]

#: :func:`rep_comparison` draws up to this many spans as separate, labelled lines; more are drawn as one
#: collection whose legend names the first and the last (a legend of hundreds of reps is unreadable and
#: was most of the time of a long recording's report).
MAX_LEGEND_SPANS = 12


def cycle_curves(normalised, *, angle: str | None = None, by_side: bool = True, ax=None, title: str | None = None):
    """Mean ± 1 SD of time-normalised cycles (or reps), per side when the spans have one.

    Parameters
    ----------
    normalised
        ``xarray.DataArray`` with dims ``(span, percent, angle)`` as
        ``movelab.events.time_normalise`` returns; a ``side`` coordinate along ``span`` splits the curves.
    angle
        The angle to draw; may be omitted when there is only one. With ``by_side`` and a stem such as
        ``"thigh_angle"``, each side's cycles are drawn with their own side's column
        (``thigh_angle_left`` for left cycles).
    by_side
        Split by the ``side`` coordinate (if present).
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Notes
    -----
    Mean and SD are taken over the spans at each percent, ignoring NaN (``nanmean``, ``nanstd`` with
    ``ddof=1`` where at least two spans have a value). The number of spans is in the legend.
    """
    _check(normalised)
    fig, ax = new_axes(ax)
    percent = normalised["percent"].values
    groups = _groups(normalised, by_side)
    for side, spans in groups:
        column = _column(normalised, angle, side)
        values = normalised.isel(span=spans).sel(angle=column).values  # (span, percent)
        finite = np.isfinite(values).sum(axis=0)
        with np.errstate(invalid="ignore"), _quiet():
            mean = np.nanmean(values, axis=0)
            sd = np.where(finite >= 2, np.nanstd(values, axis=0, ddof=1), np.nan)
        colour = SIDE_COLOURS.get(side, "#333333")
        name = f"{side} " if side else ""
        ax.plot(percent, mean, color=colour, linewidth=1.8, label=f"{name}mean ± SD (n={len(spans)})")
        ax.fill_between(percent, mean - sd, mean + sd, color=colour, alpha=0.2, linewidth=0)
    stem = angle or str(normalised["angle"].values[0])
    ax.set_xlabel("% of cycle" if "side" in normalised.coords else "% of repetition")
    ax.set_ylabel(f"{label_of(stem)} (°)")
    ax.set_xlim(float(percent[0]), float(percent[-1]))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return fig, ax


def rep_comparison(
    normalised, *, angle: str | None = None, labels: Sequence[str] | None = None, ax=None, title: str | None = None
):
    """Each rep (or cycle) as its own time-normalised curve, to compare them one by one.

    Parameters
    ----------
    normalised
        ``xarray.DataArray`` ``(span, percent, angle)`` (``movelab.events.time_normalise``).
    angle
        The angle column to draw (may be omitted when there is only one).
    labels
        One legend label per span; default ``rep 1``, ``rep 2``... (or ``left cycle 1``... with sides). With
        more than :data:`MAX_LEGEND_SPANS` spans the legend shows only the first and the last.
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    _check(normalised)
    n = normalised.sizes["span"]
    if labels is not None and len(labels) != n:
        raise ConfigError(f"labels must have one entry per span ({n}), got {len(labels)}")
    fig, ax = new_axes(ax)
    percent = normalised["percent"].values
    sides = normalised["side"].values if "side" in normalised.coords else [None] * n
    sides = [side if side in ("left", "right") else None for side in sides]
    cmap = _colours(n)
    curves = {side: normalised.sel(angle=_column(normalised, angle, side)).values for side in set(sides)}
    names = [
        labels[i] if labels is not None else (f"{s} cycle {i + 1}" if s else f"rep {i + 1}")
        for i, s in enumerate(sides)
    ]
    if n <= MAX_LEGEND_SPANS:
        for i, side in enumerate(sides):
            ax.plot(percent, curves[side][i], color=cmap[i], linewidth=1.5, label=names[i])
    else:  # one collection; the legend names the first and the last span (the colours run between them)
        from matplotlib.collections import LineCollection

        lines = [np.column_stack([percent, curves[side][i]]) for i, side in enumerate(sides)]
        ax.add_collection(LineCollection(lines, colors=cmap, linewidths=1.0))
        ax.autoscale_view()
        for i in (0, n - 1):
            ax.plot([], [], color=cmap[i], linewidth=1.5, label=names[i])
    stem = angle or str(normalised["angle"].values[0])
    ax.set_xlabel("% of cycle" if "side" in normalised.coords else "% of repetition")
    ax.set_ylabel(f"{label_of(stem)} (°)")
    ax.set_xlim(float(percent[0]), float(percent[-1]))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    return fig, ax


def _check(normalised) -> None:
    dims = getattr(normalised, "dims", None)
    if dims is None or set(dims) != {"span", "percent", "angle"}:
        raise ConfigError(f"expected a DataArray with dims (span, percent, angle) from time_normalise, got {dims}")
    if normalised.sizes["span"] == 0:
        raise ConfigError("there are no reps or cycles to draw (the normalised array has 0 spans)")


def _groups(normalised, by_side: bool) -> list[tuple[str | None, list[int]]]:
    n = normalised.sizes["span"]
    if by_side and "side" in normalised.coords:
        sides = np.asarray(normalised["side"].values, dtype=object)
        return [(s, [i for i in range(n) if sides[i] == s]) for s in ("left", "right") if (sides == s).any()]
    return [(None, list(range(n)))]


def _column(normalised, angle: str | None, side: str | None) -> str:
    names = [str(a) for a in normalised["angle"].values]
    if angle is None:
        if len(names) != 1:
            raise ConfigError(f"choose an angle: the array has {names}")
        return names[0]
    if angle in names:
        return angle
    if side and f"{angle}_{side}" in names:
        return f"{angle}_{side}"
    raise ConfigError(f"no angle {angle!r} (or {angle!r}_left/_right) in the array; it has {names}")


def _colours(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return [cmap(x) for x in np.linspace(0.0, 0.85, max(n, 1))]


class _quiet:
    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
