"""report.html: one self-contained page (inline CSS, images as base64 PNG, no script, no external URL).

Every text that comes from data is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape
from typing import Any

from movelab.report.assessments import fms_section, posture_chain_section
from movelab.report.supine import SUPINE_TITLES

__all__ = ["render_html", "page", "img_tag", "table_html", "CSS"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:1.5em;margin:0 0 4px}
h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;font-size:.9em}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.fact{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:6px 10px;font-size:.9em}
.fact b{display:block;font-size:1.1em}
.finding{background:#fff;border:1px solid #e3e3e3;border-left:6px solid #999;border-radius:6px;padding:10px 14px;margin:10px 0}
.finding.mild{border-left-color:#e8a33d}
.finding.moderate{border-left-color:#d9622b}
.finding.marked{border-left-color:#b8222d}
.finding h3{margin:0 0 4px;font-size:1.05em}
.badge{display:inline-block;font-size:.75em;padding:1px 8px;border-radius:10px;color:#fff;background:#888;margin-left:6px;vertical-align:middle}
.badge.mild{background:#c0841f}
.badge.moderate{background:#c4521f}
.badge.marked{background:#b8222d}
.numbers{font-size:.85em;color:#444;margin-top:6px}
.ref{font-size:.78em;color:#666;margin-top:4px}
.notes li{margin:4px 0;color:#444}
.none{color:#2d6a2d}
figure{margin:10px 0;background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:8px}
figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:.85em;color:#555;margin-top:4px}
table{border-collapse:collapse;font-size:.82em;background:#fff;margin:8px 0;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#f0f0f0}
td:first-child,th:first-child{text-align:left}
.disclaimer{font-size:.85em;color:#555;background:#fff8e6;border:1px solid #f0dca8;border-radius:6px;padding:8px 12px}
details{margin:8px 0}
summary{cursor:pointer;color:#333}
"""

_TITLES = {
    "anterior_pelvic_tilt": "Forward-tipped pelvis (anterior pelvic tilt)",
    "excessive_lumbar_lordosis": "Deep lower-back curve (lumbar lordosis)",
    "lumbar_flexion_at_depth": "Lower back rounding at the bottom ('butt wink')",
    "excessive_trunk_lean": "Upper body leaning forward",
    "limited_squat_depth": "Limited squat depth",
    "heel_lift": "Heels lifting",
    "knee_valgus": "Knee moving inward (valgus)",
    "pelvic_drop": "Pelvis dropping to one side",
    "reduced_hip_extension": "Reduced hip extension when walking",
    "left_right_asymmetry": "Left–right difference",
}


def title_of(code: str) -> str:
    """Plain title of a finding code."""
    return _TITLES.get(code, code.replace("_", " ").capitalize())


def img_tag(png: bytes, alt: str, *, element_id: str = "") -> str:
    """An ``<img>`` with the PNG inlined as a data URL."""
    data = base64.b64encode(png).decode("ascii")
    ident = f' id="{escape(element_id)}"' if element_id else ""
    return f'<img{ident} alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def table_html(rows: list[dict[str, Any]], *, columns: list[str] | None = None, element_id: str = "") -> str:
    """A plain table of records (numbers to 2 decimals at most; None shown as an empty cell)."""
    if not rows:
        return ""
    columns = columns or list(dict.fromkeys(k for row in rows for k in row))
    ident = f' id="{escape(element_id)}"' if element_id else ""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body`` (already escaped HTML)."""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


#: Images drawn inside their own section rather than with the figures.
_SECTION_IMAGES = ("supine", "fms", "posture_chain")


def render_html(report: Mapping[str, Any], images: Mapping[str, bytes]) -> str:
    """The report page for a report.json dictionary and its PNG images.

    Parameters
    ----------
    report
        As :func:`movelab.report.build_report` returns.
    images
        ``{"timeline": png_bytes, "curves": png_bytes, "supine": png_bytes, "fms": ..., "posture_chain": ...}``;
        missing ones are left out (``supine``, ``fms`` and ``posture_chain`` go in their own sections).
    """
    video = report.get("video") or {}
    name = video.get("name") or "video"
    meta = " · ".join(
        escape(str(x))
        for x in (
            f"movelab {report.get('movelab_version', '')}",
            report.get("movement", "unknown"),
            report.get("view") or "view unknown",
        )
    )
    parts = [
        f"<h1>Movement report: {escape(str(name))}</h1>",
        f'<p class="meta">{meta}</p>',
        _facts(report),
        _findings_section(report.get("findings") or []),
        supine_section(report.get("supine"), images.get("supine")),
        fms_section(report, images.get("fms")),
        posture_chain_section(report, images.get("posture_chain")),
        _figures({k: v for k, v in images.items() if k not in _SECTION_IMAGES}),
        _spans_section(report),
        _metrics_section(report.get("metrics") or {}),
        _method_section(report),
    ]
    return page(f"movelab report: {name}", "".join(parts))


def _facts(report: Mapping[str, Any]) -> str:
    video, pose = report.get("video") or {}, report.get("pose") or {}
    facts = [
        ("Movement", report.get("movement")),
        ("View", report.get("view")),
        ("Duration", _num(video.get("duration_s"), " s")),
        ("Frames", video.get("frames")),
        ("Client found", _pct(pose.get("detection_rate"))),
    ]
    if report.get("reps") is not None and report.get("movement") in ("squat", "lunge"):
        facts.append(("Repetitions", len(report.get("reps") or [])))
    gait = report.get("gait") or {}
    if report.get("movement") == "gait":
        facts += [("Cycles", len(report.get("cycles") or [])), ("Cadence", _num(gait.get("cadence_spm"), " steps/min"))]
    cells = "".join(
        f'<div class="fact">{escape(k)}<b>{escape(str(v if v is not None else "–"))}</b></div>' for k, v in facts
    )
    return f'<div class="facts" id="summary">{cells}</div>'


def _findings_section(findings: list[Mapping[str, Any]]) -> str:
    flagged = [f for f in findings if f.get("severity") != "info"]
    notes = [f for f in findings if f.get("severity") == "info"]
    out = [
        '<h2>Findings</h2><p class="disclaimer">These are movement patterns measured from ordinary video, each '
        "compared with a published threshold or with the client's own baseline. They are not a diagnosis; "
        "they are starting points for the clinician's own assessment.</p>",
        '<div id="findings">',
    ]
    if not flagged:
        out.append('<p class="none">No pattern passed its threshold in this video.</p>')
    for f in flagged:
        out.append(_finding_card(f))
    out.append("</div>")
    if notes:
        items = "".join(
            f'<li class="note">{escape(title_of(str(n.get("code"))))}: {escape(str(n.get("message", "")))}</li>'
            for n in notes
        )
        out.append(f'<h3>Not assessed</h3><ul class="notes" id="notes">{items}</ul>')
    return "".join(out)


def _finding_card(f: Mapping[str, Any]) -> str:
    severity = escape(str(f.get("severity", "")))
    side = f" – {escape(str(f['side']))}" if f.get("side") else ""
    unit = str(f.get("unit") or "")
    unit_text = "°" if unit == "deg" else f" {unit}"
    numbers = (
        f"Measured {escape(_num(f.get('value'), unit_text))} "
        f"(threshold {escape(_num(f.get('threshold'), unit_text))}); {escape(str(f.get('quantity', '')))}"
    )
    when = ""
    if f.get("start_s") is not None:
        when = f"; {escape(_num(f.get('start_s'), ''))}–{escape(_num(f.get('end_s'), ''))} s"
    return (
        f'<div class="finding {severity}" data-code="{escape(str(f.get("code")))}">'
        f'<h3>{escape(title_of(str(f.get("code"))))}{side}<span class="badge {severity}">{severity}</span></h3>'
        f"<div>{escape(str(f.get('message', '')))}</div>"
        f'<div class="numbers">{numbers}{when}</div>'
        f'<div class="ref">Source: {escape(str(f.get("reference", "")))}</div></div>'
    )


def _figures(images: Mapping[str, bytes]) -> str:
    captions = {
        "timeline": "Angles over time. Shaded: repetitions (or coloured bands: gait cycles, blue left, orange "
        "right). Bars along the top of a panel: findings about that angle.",
        "curves": "Each repetition (or the mean ± SD of the gait cycles per side), time-normalised to 0–100 %.",
    }
    out = ["<h2>Plots</h2>"] if images else []
    for key, png in images.items():
        out.append(
            f"<figure>{img_tag(png, captions.get(key, key), element_id=f'img-{key}')}"
            f"<figcaption>{escape(captions.get(key, key))}</figcaption></figure>"
        )
    return "".join(out)


def _spans_section(report: Mapping[str, Any]) -> str:
    rows = report.get("per_span") or []
    if not rows:
        return ""
    what = "gait cycle" if report.get("movement") == "gait" else "repetition"
    hidden = {"start_frame", "bottom_frame", "end_frame"}
    columns = [c for c in dict.fromkeys(k for row in rows for k in row) if c not in hidden]
    return f"<h2>Per {what}</h2>" + table_html(rows, columns=columns, element_id="per-span")


def _metrics_section(metrics: Mapping[str, Mapping[str, Any]]) -> str:
    rows = [{"angle": name, **values} for name, values in metrics.items() if values.get("frames")]
    if not rows:
        return "<h2>Angles</h2><p>No angle could be measured.</p>"
    return (
        "<h2>Angles over the whole video (degrees)</h2>"
        + table_html(
            rows, columns=["angle", "frames", "fraction", "min", "max", "mean", "median"], element_id="metrics"
        )
        + '<p class="meta">Definitions: docs/conventions.md. Angles that need another camera view are not '
        "listed.</p>"
    )


def _method_section(report: Mapping[str, Any]) -> str:
    rows = []
    for t in report.get("thresholds") or []:
        value = t.get("value") if "value" in t else f"{t.get('mean')} ± {t.get('sd')}"
        rows.append({"setting": t.get("name"), "value": value, "unit": t.get("unit"), "source": t.get("source")})
    if not rows:
        return ""
    tilt = report.get("pelvic_tilt_source") or {}
    source = (
        (
            f'<p class="meta" id="pelvic-tilt-source">Pelvic tilt: {escape(str(tilt.get("note") or ""))}. '
            "Error of the outline estimate on bodies it was not tuned on, and of the skin markers: see "
            "method_error.pelvic_tilt_* and lumbar_lordosis_outline_absolute below (docs/outline.md)."
            "</p>"
        )
        if tilt
        else ""
    )
    roll = report.get("camera_roll") or {}
    if roll.get("note"):
        warning = f" {roll['warning']}" if roll.get("warning") else ""
        source += (
            f'<p class="meta" id="camera-roll">Camera: {escape(str(roll["note"]))}.{escape(warning)} '
            "Method and error: docs/kinematics.md (Camera roll).</p>"
        )
    return (
        "<h2>Method</h2>"
        + source
        + "<details><summary>Thresholds, norms and their sources</summary>"
        + table_html(rows, columns=["setting", "value", "unit", "source"], element_id="thresholds")
        + "</details>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return escape(f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}")
    return escape(str(value))


def _num(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    try:
        return f"{float(value):.1f}{unit}"
    except (TypeError, ValueError):
        return str(value)


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.0f} %"


def supine_section(results: dict[str, Any] | None, png: bytes | None) -> str:
    """The HTML section: title, the per-side table, the plot and what was not measurable."""
    if not results:
        return ""
    test = results["test"]
    if test == "thomas":
        columns = ["side", "hip_deg", "knee_deg", "held_hip_flexion_deg", "back_gap", "lumbar_flat", "n_frames"]
        note = (
            "hip_deg: the hanging thigh against the table line (positive = above it: short one-joint hip flexors "
            f"beyond {results['norms']['hip_deg_max']:g}°); knee_deg: the hanging knee's flexion (short rectus "
            f"femoris below {results['norms']['knee_deg_min']:g}°); whether the lumbar spine lay flat is not "
            "measurable from the video (lumbar_flat empty), back_gap is the back's arch above the table line in "
            "trunk lengths. Table line from the person mask "
            f"({escape(str(results['table'].get('source')))}). Norms and sources: docs/assessments.md."
        )
    else:
        columns = [
            "side",
            "fms_score",
            "raise_deg",
            "ankle_fraction",
            "knee_deg",
            "knee_straight",
            "rest_deg",
            "rest_down",
            "n_frames",
        ]
        note = (
            "fms_score: 3 when the raised ankle passes the other leg's mid-thigh (ankle_fraction below 0.5, "
            "0 = ASIS, 1 = knee joint line), 2 when it passes the knee joint line, 1 otherwise; pain (0) cannot "
            "be seen on video. raise_deg: the raised leg against the table line. Sources: docs/assessments.md."
        )
    rows = results["sides"] or []
    body = table_html(rows, columns=columns, element_id=f"supine-{test}") if rows else "<p>No side was tested.</p>"
    figure = ""
    if png:
        caption = "The test leg over time; shaded: each side's hold (or top of the raise); dashed: thresholds."
        figure = f"<figure>{img_tag(png, caption, element_id='img-supine')}<figcaption>{caption}</figcaption></figure>"
    return f'<h2>{SUPINE_TITLES[test]}</h2>{body}<p class="meta">{note}</p>{figure}'
