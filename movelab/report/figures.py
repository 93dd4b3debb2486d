"""The report's pictures as PNG bytes, drawn without pyplot (safe outside notebooks and in threads)."""

from __future__ import annotations

import io

import pandas as pd

from movelab import plots

__all__ = ["timeline_png", "curves_png", "figure_png", "spans_of"]


def figure_png(fig, *, dpi: int = 110) -> bytes:
    """Render a matplotlib figure to PNG bytes (Agg canvas), in one drawing pass.

    The same bytes as ``fig.savefig(buffer, format="png", dpi=dpi)``, which draws a figure with a layout
    engine twice: once with drawing turned off, to run the layout, then again for the pixels. Here the
    layout runs at the start of the one real pass (``Figure.draw`` executes the figure's layout engine
    first, as the turned-off pass did), which was a sixth of the timeline's time
    (tests/test_report_speed.py checks the bytes against ``savefig``'s).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    buffer = io.BytesIO()
    imsave(buffer, canvas.buffer_rgba(), format="png", origin="upper", dpi=dpi)
    return buffer.getvalue()


def spans_of(segmentation) -> pd.DataFrame | None:
    """The reps (squat, lunge) or cycles (gait) of a segmentation, or None."""
    movement = getattr(segmentation, "movement", "unknown")
    table = getattr(segmentation, "cycles" if movement == "gait" else "reps", None)
    return table if isinstance(table, pd.DataFrame) and len(table) else None


def timeline_png(angles: pd.DataFrame, segmentation, findings) -> bytes:
    """timeline.png: one panel per group of measured angles, reps or cycles shaded, findings marked."""
    from matplotlib.figure import Figure

    fig = Figure(layout="constrained")
    plots.timeline_panels(angles, spans=spans_of(segmentation), findings=findings, fig=fig)
    return figure_png(fig)


def curves_png(angles: pd.DataFrame, segmentation) -> bytes | None:
    """Time-normalised curves (mean ± SD per side for cycles, rep by rep for reps) of the main angles, or
    None when there are no spans or segmentation's ``time_normalise`` is not available."""
    spans = spans_of(segmentation)
    if spans is None:
        return None
    try:
        from movelab.events import time_normalise
    except ImportError:
        return None
    from matplotlib.figure import Figure

    gait = getattr(segmentation, "movement", "") == "gait"
    stems = _curve_angles(angles, gait)
    if not stems:
        return None
    columns = [c for stem in stems for c in _columns(angles, stem)]
    normalised = time_normalise(angles, spans, columns=columns)
    fig = Figure(figsize=(4.2 * len(stems), 3.0), layout="constrained")
    axes = fig.subplots(1, len(stems), squeeze=False)[0]
    for ax, stem in zip(axes, stems):
        if gait:
            plots.cycle_curves(normalised, angle=stem, ax=ax)
        else:
            best = max(_columns(angles, stem), key=lambda c: int(angles[c].notna().sum()))  # the near leg
            plots.rep_comparison(normalised, angle=best, ax=ax)
    return figure_png(fig)


def _columns(angles: pd.DataFrame, stem: str) -> list[str]:
    if stem in angles.columns:
        return [stem]
    return [f"{stem}_{s}" for s in ("left", "right") if f"{stem}_{s}" in angles.columns]


def _curve_angles(angles: pd.DataFrame, gait: bool) -> list[str]:
    wanted = (
        ("thigh_angle", "knee_flexion", "pelvic_obliquity") if gait else ("knee_flexion", "trunk_lean", "knee_fppa")
    )
    out = []
    for stem in wanted:
        cols = _columns(angles, stem)
        if cols and angles[cols].notna().to_numpy().any():
            out.append(stem)
    return out[:3]
