"""The supine tests over time: the hanging thigh and knee of a Thomas test, the raised leg of an ASLR."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from movelab.plots.style import SIDE_COLOURS, new_axes

__all__ = ["supine_test"]


def supine_test(
    angles: pd.DataFrame,
    *,
    test: str,
    sides: Sequence[dict] = (),
    thresholds: dict[str, float] | None = None,
    ax=None,
):
    """The test leg's angles over the video, each side's hold (or top of the raise) shaded.

    Parameters
    ----------
    angles
        The supine angle table (:func:`movelab.kinematics.supine.supine_angles`), indexed by ``time_s``.
    test
        ``"thomas"``: the hanging thigh against the table line (whichever leg hangs) and its knee flexion;
        ``"aslr"``: the raised leg against the table line.
    sides
        Per side tested: ``side``, ``start_s``, ``end_s`` (as :class:`movelab.findings.supine.ThomasSide`'s or
        :class:`movelab.findings.supine.AslrSide`'s ``to_dict()``); shaded in the side's colour.
    thresholds
        Names and values of dashed reference lines (e.g. ``{"hip 0°": 0, "knee 67°": 67}``).
    ax
        Axes to draw in; default a new figure.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    fig, ax = new_axes(ax)
    t = angles.index.to_numpy(dtype=np.float64)
    left, right = (angles[f"thigh_to_table_{s}"].to_numpy(dtype=np.float64) for s in ("left", "right"))
    if test == "thomas":
        low = np.where(left < right, left, right)
        knee = np.where(left < right, angles["knee_flexion_left"], angles["knee_flexion_right"])
        ax.plot(t, low, color="#333333", linewidth=1.8, label="hanging thigh to table (°, + above)")
        ax.plot(t, knee, color="#777777", linewidth=1.4, linestyle="-.", label="hanging knee flexion (°)")
    else:
        outline = angles["raised_leg_outline"].to_numpy(dtype=np.float64)
        raised = np.where(np.isfinite(outline), outline, np.fmax(left, right))
        ax.plot(t, raised, color="#333333", linewidth=1.8, label="raised leg to table (°)")
    for s in sides:
        ax.axvspan(s["start_s"], s["end_s"], color=SIDE_COLOURS.get(s["side"], "#999999"), alpha=0.18, linewidth=0)
        ax.text(s["start_s"], 1.0, f" {s['side']}", transform=ax.get_xaxis_transform(), va="top", fontsize=8)
    for name, value in (thresholds or {}).items():
        ax.axhline(value, color="#b8222d", linewidth=0.9, linestyle="--")
        ax.text(t[0] if t.size else 0.0, value, f" {name}", color="#b8222d", fontsize=7, va="bottom")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("degrees")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=7)
    return fig, ax
