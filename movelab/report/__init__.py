"""Reports: report.json, angles.csv, timeline.png, report.html, overlay.mp4, and session comparison.

Typical use (``analysis`` from :func:`movelab.analysis.analyse`)::

    from movelab.report import write_outputs, write_compare

    write_outputs(analysis, "results/squat", overlay=True)      # faces blurred by default
    write_compare("results/before", "results/after", "results/compare", labels=("before", "after"))

Layouts of the files are in ``docs/report.md``.
"""

from movelab.report.build import (
    REPORT_SCHEMA,
    angle_summaries,
    build_report,
    describe_thresholds,
    json_ready,
    span_table,
)
from movelab.report.compare import (
    COMPARE_SCHEMA,
    Session,
    add_compare_parser,
    cmd_compare,
    compare_sessions,
    load_session,
    write_compare,
)
from movelab.report.html import render_html
from movelab.report.overlay import write_overlay
from movelab.report.write import OUTPUT_FILES, write_angles_csv, write_outputs

__all__ = [
    "write_outputs",
    "build_report",
    "render_html",
    "write_angles_csv",
    "write_overlay",
    "compare_sessions",
    "write_compare",
    "load_session",
    "Session",
    "cmd_compare",
    "add_compare_parser",
    "angle_summaries",
    "span_table",
    "describe_thresholds",
    "json_ready",
    "REPORT_SCHEMA",
    "COMPARE_SCHEMA",
    "OUTPUT_FILES",
]
