"""Reports: report.json, angles.csv, timeline.png, report.html, overlay.mp4, and session comparison.

Typical use (``analysis`` from :func:`movelab.analysis.analyse`)::

    from movelab.report import write_outputs, write_compare

    write_outputs(analysis, "results/squat", overlay=True)      # faces blurred by default
    write_compare("results/before", "results/after", "results/compare", labels=("before", "after"))

Layouts of the files are in ``docs/report.md``.
"""

from typing import TYPE_CHECKING

from movelab._lazy import lazy_getattr

if TYPE_CHECKING:
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
        cmd_compare,
        compare_sessions,
        load_session,
        write_compare,
    )
    from movelab.report.compare_cli import add_compare_parser
    from movelab.report.html import render_html
    from movelab.report.overlay import write_overlay
    from movelab.report.write import OUTPUT_FILES, write_angles_csv, write_outputs

#: name -> module, imported on first use (PEP 562): the command line builds its parser (``compare``'s options,
#: :mod:`movelab.report.compare_cli`) without loading the findings, the kinematics and SciPy (about 1 s of CPU).
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("REPORT_SCHEMA", "angle_summaries", "build_report", "describe_thresholds", "json_ready", "span_table"),
        "movelab.report.build",
    ),
    **dict.fromkeys(
        ("COMPARE_SCHEMA", "Session", "cmd_compare", "compare_sessions", "load_session", "write_compare"),
        "movelab.report.compare",
    ),
    "add_compare_parser": "movelab.report.compare_cli",
    "render_html": "movelab.report.html",
    "write_overlay": "movelab.report.overlay",
    **dict.fromkeys(("OUTPUT_FILES", "write_angles_csv", "write_outputs"), "movelab.report.write"),
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


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
