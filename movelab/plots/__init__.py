"""Plots for notebooks and reports (matplotlib only; nothing else in movelab draws with matplotlib).

Every function takes ``ax=None`` (a new figure) or an existing ``matplotlib.axes.Axes`` and returns
``(fig, ax)``; nothing is shown or saved. Typical use::

    from movelab import plots

    fig, ax = plots.timeline(angles, columns=["knee_flexion_left", "knee_flexion_right"],
                             spans=segmentation.reps, findings=findings)
    fig, ax = plots.cycle_curves(time_normalise(angles, segmentation.cycles), angle="thigh_angle_right")
"""

from movelab.plots.assessments import fms_criteria, posture_chain_values
from movelab.plots.compare import compare_timelines
from movelab.plots.curves import cycle_curves, rep_comparison
from movelab.plots.style import FINDING_COLUMNS, PANELS, label_of
from movelab.plots.supine import supine_test
from movelab.plots.timeline import timeline, timeline_panels
from movelab.plots.trends import trend

__all__ = [
    "timeline",
    "timeline_panels",
    "cycle_curves",
    "rep_comparison",
    "compare_timelines",
    "trend",
    "supine_test",
    "fms_criteria",
    "posture_chain_values",
    "PANELS",
    "FINDING_COLUMNS",
    "label_of",
]
