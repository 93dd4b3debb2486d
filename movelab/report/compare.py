"""Two sessions of one client side by side (``movelab compare A B --out DIR``): metrics, findings, timelines.

A and B are ``movelab analyse`` output folders (report.json + angles.csv) or videos (analysed first).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movelab.errors import InputError
from movelab.findings import FindingsConfig
from movelab.io.outputs import write_json
from movelab.io.outputs import write_outputs as _write_atomically
from movelab.kinematics.tables import time_indexed
from movelab.report.build import json_ready
from movelab.report.compare_cli import add_compare_parser  # noqa: F401 (its home before; the parser needs no report code)
from movelab.report.html import escape, img_tag, page, table_html, title_of

__all__ = [
    "Session",
    "load_session",
    "compare_sessions",
    "write_compare",
    "cmd_compare",
    "add_compare_parser",
    "COMPARE_SCHEMA",
    "trusted_metric_values",
    "is_trusted",
    "method_error_of",
]

COMPARE_SCHEMA = "movelab.compare/1"
#: Angles of the sagittal plane: measured from a side view only.
_SAGITTAL = (
    "knee_flexion",
    "hip_flexion",
    "thigh_angle",
    "trunk_lean",
    "pelvic_tilt",
    "lumbar_lordosis",
    "ankle_dorsiflexion",
    "heel_lift",
    "hip_extension",
    "peak_extension",
)
#: Angles of the frontal plane: measured from the front or from behind only.
_FRONTAL = ("knee_fppa", "pelvic_obliquity", "trunk_lateral_lean", "pelvic_drop")
_COMPARE_COLUMNS = (
    "knee_flexion",
    "thigh_angle",
    "trunk_lean",
    "pelvic_tilt",
    "lumbar_lordosis",
    "knee_fppa",
    "pelvic_obliquity",
)


@dataclass(frozen=True)
class Session:
    """One analysed session: its report.json content and its angle table."""

    report: dict[str, Any]
    angles: pd.DataFrame
    label: str


def load_session(source: str | os.PathLike, *, label: str | None = None, progress: bool = False) -> Session:
    """An analyse output folder (report.json, angles.csv), or a video, which is analysed first.

    Raises
    ------
    movelab.errors.InputError
        The folder lacks report.json or angles.csv, or the path is neither a folder nor a file.
    """
    path = Path(source)
    label = label or path.name
    if path.is_dir():
        missing = [n for n in ("report.json", "angles.csv") if not (path / n).is_file()]
        if missing:
            raise InputError(
                f"{path} is not a movelab analyse folder: {', '.join(missing)} missing. "
                "Run `movelab analyse VIDEO --out FOLDER` first, or give the video."
            )
        report = json.loads((path / "report.json").read_text(encoding="utf-8"))
        return Session(report, time_indexed(pd.read_csv(path / "angles.csv")), label)
    if path.is_file():
        from movelab.analysis import analyse  # the whole pipeline (imported only when a video is given)

        analysis = analyse(path, progress=progress)
        return Session(analysis.to_report(), analysis.angles, label)
    raise InputError(f"expected an analyse output folder or a video file, got {str(path)!r} (not found)")


def compare_sessions(
    report_a: dict, report_b: dict, *, labels: Sequence[str] = ("A", "B"), config: FindingsConfig = FindingsConfig()
) -> dict[str, Any]:
    """Compare two report.json dictionaries of one client.

    Returns
    -------
    dict
        JSON-ready: ``schema``, ``sessions`` (label, video, movement, view), ``warnings`` (e.g. different
        movements or views), ``metrics`` (name, unit, a, b, change = b − a, ``method_error`` and
        ``beyond_error``: whether the change is larger than the method's own error, None when unknown),
        ``findings`` (code, side, ``status`` resolved / new / persisting, and each session's severity and
        value).

    Notes
    -----
    Only metrics the findings trust are compared (:func:`trusted_metric_values`): in a side view the far
    leg's values are fragments of a hidden limb and frontal-plane angles are not measurable; from the
    front, sagittal angles are not. Metrics are medians over the reps or gait cycles of each session's
    per-rep / per-cycle table (per side
    for gait), the gait parameters, and the number of reps or cycles. A change smaller than the method error
    of that angle (:class:`movelab.findings.MethodError`) is reported but marked ``beyond_error: false``:
    it cannot be told from measurement noise.
    """
    labels = list(labels)
    warnings_ = []
    for key, what in (("movement", "movements"), ("view", "camera views")):
        if report_a.get(key) != report_b.get(key):
            warnings_.append(
                f"The two sessions have different {what} ({report_a.get(key)} vs {report_b.get(key)}); "
                "compare them with care."
            )
    a, b = trusted_metric_values(report_a), trusted_metric_values(report_b)
    metrics = []
    for name in [n for n in a if n in b] + [n for n in b if n not in a]:
        va, vb = a.get(name), b.get(name)
        change = vb - va if va is not None and vb is not None else None
        error = _method_error(name, config)
        beyond = None if change is None or error is None else abs(change) > error
        metrics.append(
            {
                "name": name,
                "unit": _unit(name),
                "a": va,
                "b": vb,
                "change": change,
                "method_error": error,
                "beyond_error": beyond,
            }
        )
    return json_ready(
        {
            "schema": COMPARE_SCHEMA,
            "sessions": [_session_facts(r, lab) for r, lab in zip((report_a, report_b), labels)],
            "warnings": warnings_,
            "metrics": metrics,
            "findings": _compare_findings(report_a.get("findings") or [], report_b.get("findings") or []),
        }
    )


def write_compare(
    a: str | os.PathLike | Session,
    b: str | os.PathLike | Session,
    out_dir: str | os.PathLike,
    *,
    labels: Sequence[str] = ("A", "B"),
    progress: bool = False,
) -> list[Path]:
    """Write compare.json, compare.png (overlaid timelines) and compare.html (self-contained) into ``out_dir``.

    ``a`` and ``b`` are analyse output folders, videos, or :class:`Session` objects.
    """
    sa = a if isinstance(a, Session) else load_session(a, label=labels[0], progress=progress)
    sb = b if isinstance(b, Session) else load_session(b, label=labels[1], progress=progress)
    result = compare_sessions(sa.report, sb.report, labels=(sa.label, sb.label))
    png = compare_png(sa, sb)
    return _write_atomically(
        out_dir,
        {
            "compare.json": lambda p: write_json(result, p),
            "compare.png": lambda p: Path(p).write_bytes(png),
            "compare.html": lambda p: Path(p).write_text(render_compare_html(result, png), encoding="utf-8"),
        },
    )


def compare_png(sa: Session, sb: Session) -> bytes:
    """Overlaid timelines of the angles both sessions measured (up to four panels)."""
    from matplotlib.figure import Figure

    from movelab import plots
    from movelab.report.figures import figure_png

    columns = _shared_columns(sa.angles, sb.angles)[:4]
    fig = Figure(figsize=(9.0, 2.2 * max(len(columns), 1) + 0.3), layout="constrained")
    if not columns:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "The two sessions measured no angle in common.", ha="center", va="center")
        ax.set_axis_off()
        return figure_png(fig)
    axes = fig.subplots(len(columns), 1, squeeze=False)[:, 0]
    spans = [_spans(s.report) for s in (sa, sb)]
    for ax, column in zip(axes, columns):
        plots.compare_timelines(
            sa.angles,
            sb.angles,
            column=column,
            labels=(sa.label, sb.label),
            spans_a=spans[0],
            spans_b=spans[1],
            align="first_span",
            ax=ax,
        )
    return figure_png(fig)


def render_compare_html(result: dict[str, Any], png: bytes) -> str:
    """The comparison page: sessions, warnings, findings then and now, metrics, overlaid timelines."""
    s = result["sessions"]
    parts = [
        f"<h1>Session comparison: {escape(s[0]['label'])} → {escape(s[1]['label'])}</h1>",
        table_html(
            [
                {
                    "session": x["label"],
                    "video": x.get("video"),
                    "movement": x.get("movement"),
                    "view": x.get("view"),
                    "duration_s": x.get("duration_s"),
                }
                for x in s
            ],
            element_id="sessions",
        ),
    ]
    parts += [f'<p class="disclaimer">{escape(w)}</p>' for w in result["warnings"]]
    rows = [
        {
            "finding": title_of(f["code"]) + (f" ({f['side']})" if f.get("side") else ""),
            "status": f["status"],
            s[0]["label"]: _finding_text(f.get("a")),
            s[1]["label"]: _finding_text(f.get("b")),
        }
        for f in result["findings"]
    ]
    parts.append(
        '<h2>Findings</h2><div id="findings">'
        + (table_html(rows) if rows else '<p class="none">Neither session raised a finding.</p>')
        + "</div>"
    )
    mrows = [
        {
            "metric": m["name"],
            "unit": m["unit"],
            s[0]["label"]: m["a"],
            s[1]["label"]: m["b"],
            "change": m["change"],
            "beyond method error": {True: "yes", False: "no"}.get(m["beyond_error"], ""),
        }
        for m in result["metrics"]
    ]
    parts.append(
        "<h2>Metrics</h2>"
        + (table_html(mrows, element_id="metrics") if mrows else "<p>No metric.</p>")
        + '<p class="meta">Medians over repetitions or gait cycles. A change within the method error '
        "cannot be told from measurement noise.</p>"
    )
    parts.append(
        f"<h2>Timelines</h2><figure>{img_tag(png, 'overlaid angle timelines', element_id='img-compare')}"
        "<figcaption>Each angle of both sessions, aligned on the first repetition or cycle.</figcaption>"
        "</figure>"
    )
    return page(f"movelab comparison: {s[0]['label']} vs {s[1]['label']}", "".join(parts))


# ----------------------------------------------------------------------------- the command


def cmd_compare(args: argparse.Namespace) -> int:
    """``movelab compare A B --out DIR``: writes compare.json, compare.png, compare.html."""
    labels = args.labels or (Path(args.a).stem or "A", Path(args.b).stem or "B")
    if labels[0] == labels[1]:
        labels = (f"{labels[0]} (A)", f"{labels[1]} (B)")
    files = write_compare(args.a, args.b, args.out, labels=labels, progress=not args.quiet)
    if not args.quiet:
        print(f"movelab: wrote {', '.join(str(f) for f in files)}", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------- helpers


def _session_facts(report: dict, label: str) -> dict[str, Any]:
    video = report.get("video") or {}
    return {
        "label": label,
        "video": video.get("name") or video.get("path"),
        "movement": report.get("movement"),
        "view": report.get("view"),
        "duration_s": video.get("duration_s"),
    }


def trusted_metric_values(report: dict) -> dict[str, float | None]:
    """A session's metrics (:func:`_metric_values`) keeping only those its view can measure
    (:func:`is_trusted` with the report's dominant view)."""
    view = report.get("view")
    return {name: value for name, value in _metric_values(report).items() if is_trusted(name, view)}


def is_trusted(name: str, view: str | None) -> bool:
    """Whether a metric is measurable from ``view`` (the findings' own rules).

    Sagittal angles (knee and hip flexion, thigh angle, trunk lean, pelvic tilt, lordosis, ...) need a side
    view, and there only the near leg counts (``side_right``: the right leg faces the camera); frontal-plane
    angles (knee FPPA, pelvic obliquity, lateral trunk lean) need a front or back view. Other metrics
    (counts, durations, gait timing) are kept. An unknown view keeps nothing angular.
    """
    stem = name.lower()
    is_angle = stem.endswith("_deg")
    if not is_angle:
        return True
    side_view = bool(view) and view.startswith("side_")
    if any(key in stem for key in _FRONTAL):
        return view in ("front", "back")
    if any(key in stem for key in _SAGITTAL):
        if not side_view:
            return False
        near = view.split("_", 1)[1]
        far = "left" if near == "right" else "right"
        return f"_{far}_" not in stem and not stem.startswith(f"{far}_")
    return True


def method_error_of(name: str, config: FindingsConfig = FindingsConfig()) -> float | None:
    """The method error (degrees) of an angular metric, None for others."""
    return _method_error(name, config)


def _metric_values(report: dict) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    rows = report.get("per_span") or []
    gait = report.get("movement") == "gait"
    values["reps_or_cycles"] = float(len(rows))
    groups = {}
    for row in rows:
        suffix = f"_{row['side']}" if gait and row.get("side") in ("left", "right") else ""
        for key, value in row.items():
            if key.endswith("_deg") or key.endswith("_pct") or key == "duration_s":
                groups.setdefault(_with_side(key, suffix), []).append(value)
    for key, vals in sorted(groups.items()):
        finite = [float(v) for v in vals if isinstance(v, (int, float)) and v is not None and math.isfinite(v)]
        values[key] = round(float(np.median(finite)), 2) if finite else None
    for key, value in (report.get("gait") or {}).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values[f"gait.{key}"] = float(value)
    return values


def _with_side(key: str, suffix: str) -> str:
    if not suffix:
        return key
    stem, _, unit = key.rpartition("_")
    return f"{stem}{suffix}_{unit}" if stem else key + suffix


def _unit(name: str) -> str:
    for end, unit in (("_deg", "deg"), ("_pct", "%"), ("_s", "s"), ("_spm", "steps/min")):
        if name.endswith(end):
            return unit
    return ""


def _method_error(name: str, config: FindingsConfig) -> float | None:
    if not name.endswith("_deg"):
        return None
    me = config.method_error
    for key, threshold in (
        ("knee_fppa", me.knee_fppa),
        ("pelvic_tilt", me.pelvic_tilt),
        ("lumbar_lordosis", me.lumbar_lordosis),
        ("knee_flexion", me.knee_flexion),
        ("pelvic_obliquity", me.pelvic_obliquity),
        ("trunk_lean", me.trunk_lean),
    ):
        if key in name:
            return threshold.value
    return me.thigh_angle.value


def _compare_findings(fa: list[dict], fb: list[dict]) -> list[dict[str, Any]]:
    def index(findings):
        return {(f["code"], f.get("side")): f for f in findings if f.get("severity") != "info"}

    ia, ib = index(fa), index(fb)
    out = []
    for key in list(ia) + [k for k in ib if k not in ia]:
        a, b = ia.get(key), ib.get(key)
        status = "persisting" if a and b else "resolved" if a else "new"
        out.append({"code": key[0], "side": key[1], "status": status, "a": _finding_brief(a), "b": _finding_brief(b)})
    return out


def _finding_brief(f: dict | None) -> dict | None:
    if f is None:
        return None
    return {k: f.get(k) for k in ("severity", "value", "threshold", "unit")}


def _finding_text(brief: dict | None) -> str:
    if not brief:
        return "not seen"
    unit = "°" if brief.get("unit") == "deg" else f" {brief.get('unit') or ''}"
    value = brief.get("value")
    if isinstance(value, (int, float)):
        return f"{brief.get('severity')} ({value:.1f}{unit})"
    return str(brief.get("severity"))


def _shared_columns(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    out = []
    for stem in _COMPARE_COLUMNS:
        for column in (stem, f"{stem}_left", f"{stem}_right"):
            if all(column in t.columns and t[column].notna().any() for t in (a, b)):
                out.append(column)
    return out


def _spans(report: dict) -> pd.DataFrame | None:
    rows = report.get("per_span") or []
    table = pd.DataFrame(rows)
    return table if {"start_s", "end_s"} <= set(table.columns) else None
