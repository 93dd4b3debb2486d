"""A client's key measures across sessions of one movement, each with its method error.

The values are those :func:`movelab.report.compare.trusted_metric_values` keeps (what the findings trust:
the near leg in side views, each angle from the view it needs), so a trend never draws a hidden limb's
fragments. A change smaller than the method error cannot be told from measurement noise; the plot
(:func:`movelab.plots.trend`) draws the error as a band around each session's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from movelab.findings import FindingsConfig
from movelab.report.compare import is_trusted, method_error_of, trusted_metric_values

__all__ = ["KEY_MEASURES", "trend_table", "trend_png"]

#: The key measures of each movement, as stems of metric names; a measure appears when a session's view
#: can measure it (e.g. squat depth and trunk lean from the side, knee valgus from the front).
KEY_MEASURES: dict[str, tuple[str, ...]] = {
    "squat": ("max_thigh_angle", "max_trunk_lean", "max_pelvic_tilt", "max_lumbar_lordosis", "knee_fppa"),
    "lunge": ("max_thigh_angle", "max_trunk_lean", "max_pelvic_tilt", "knee_fppa"),
    "gait": ("peak_extension", "pelvic_obliquity", "cadence", "stride_time"),
    "posture": (
        "pelvic_tilt_median",
        "lumbar_lordosis_median",
        "trunk_lean_median",
        "craniovertebral_angle_median",
        "thoracic_kyphosis_median",
        "shoulder_obliquity_median",
        "lateral_trunk_shift_median",
    ),
    "thomas": ("thomas_hip", "thomas_knee"),
    "aslr": ("aslr_raise", "aslr_fms_score"),
}
#: The supine tests' per-side values taken into the trend (report.json ``supine.sides``), by test.
_SUPINE_KEYS = {"thomas": ("hip_deg", "knee_deg"), "aslr": ("raise_deg", "fms_score")}


def trend_table(
    sessions: Sequence[tuple[Any, dict]], *, movement: str, config: FindingsConfig = FindingsConfig()
) -> pd.DataFrame:
    """One row per session and key measure.

    Parameters
    ----------
    sessions
        ``(when, report)`` pairs: ``when`` is the session's date (anything pandas reads as a time), the
        report a report.json dictionary. Sessions of other movements are skipped.
    movement
        ``"squat"``, ``"lunge"``, ``"gait"``, ``"posture"``, ``"thomas"`` or ``"aslr"``.

    Returns
    -------
    pandas.DataFrame
        ``when``, ``measure``, ``value``, ``method_error`` (None/NaN where the measure has none), sorted by
        measure then time.
    """
    stems = KEY_MEASURES.get(movement, ())
    rows = []
    for when, report in sessions:
        if report.get("movement") != movement:
            continue
        for name, value in _values(report).items():
            if value is not None and any(
                name.startswith(s) or f"_{s}" in name or name.startswith(f"gait.{s}") for s in stems
            ):
                rows.append(
                    {
                        "when": pd.Timestamp(when),
                        "measure": name,
                        "value": float(value),
                        "method_error": _supine_error(name, config) or method_error_of(name, config),
                    }
                )
    table = pd.DataFrame(rows, columns=["when", "measure", "value", "method_error"])
    return table.sort_values(["measure", "when"], kind="stable").reset_index(drop=True)


def trend_png(table: pd.DataFrame, *, title: str = "") -> bytes:
    """The trend figure as PNG: one panel per measure (at most 6)."""
    from matplotlib.figure import Figure

    from movelab import plots
    from movelab.report.figures import figure_png

    measures = list(dict.fromkeys(table["measure"]))[:6]
    fig = Figure(figsize=(8.0, 2.1 * max(len(measures), 1) + 0.4), layout="constrained")
    if not measures:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "No measure this view can give.", ha="center", va="center")
        ax.set_axis_off()
        return figure_png(fig)
    axes = fig.subplots(len(measures), 1, squeeze=False, sharex=True)[:, 0]
    for ax, measure in zip(axes, measures):
        plots.trend(table[table["measure"] == measure], ax=ax)
    if title:
        fig.suptitle(title)
    return figure_png(fig)


def _supine_error(name: str, config: FindingsConfig) -> float | None:
    """The supine tests' own method error (:class:`movelab.findings.supine_config.SupineConfig`)."""
    if name.startswith(("thomas_hip", "aslr_raise")):
        return config.supine.hip_error_deg
    if name.startswith("thomas_knee"):
        return config.supine.knee_error_deg
    return None


def _supine_values(report: dict) -> dict[str, float | None]:
    """``<test>_<value>_<side>`` for each side of a supine test (e.g. ``thomas_hip_deg_left``)."""
    supine = report.get("supine") or {}
    test = supine.get("test")
    values = {}
    for side in supine.get("sides") or []:
        for key in _SUPINE_KEYS.get(test, ()):
            value = side.get(key)
            values[f"{test}_{key}_{side.get('side')}"] = None if value is None else float(value)
    return values


def _values(report: dict) -> dict[str, float | None]:
    """The trusted metrics, plus the standing medians of each angle for a posture session and the per-side
    values of a supine test."""
    values = trusted_metric_values(report)
    values.update(_supine_values(report))
    if report.get("movement") == "posture":
        view = report.get("view")
        for angle, summary in (report.get("metrics") or {}).items():
            name = f"{angle}_median_deg"
            if isinstance(summary, dict) and is_trusted(name, view):
                values[name] = summary.get("median")
        for measure, entry in ((report.get("posture_chain") or {}).get("measures") or {}).items():
            if isinstance(entry, dict) and entry.get("median") is not None:
                values[f"{measure}_median_{'pct' if entry.get('unit') == '% torso' else 'deg'}"] = entry["median"]
    return values
