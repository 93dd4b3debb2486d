"""The assessments in the report: the FMS deep squat score table and standing posture along the chain.

:func:`posture_chain_summary` turns the chain table of a posture clip (:func:`movelab.kinematics.posture_chain.
chain_table`) into the report's values, each with the view it needs, its finding where a sourced threshold
exists, and otherwise the value alone (the client's own history then shows its change: the trend of the
``*_median_deg`` values, :mod:`movelab.report.trends`). The HTML sections render both.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np

from movelab.findings.config import FindingsConfig, Threshold

__all__ = ["posture_chain_summary", "fms_section", "posture_chain_section", "CHAIN_MEASURES", "KNEE_HYPEREXTENSION"]

#: Knee hyperextension beyond this counts as hypermobile (one of the Beighton score's criteria).
KNEE_HYPEREXTENSION = Threshold(
    10.0,
    "Beighton, Solomon & Soskolne 1973 (Ann Rheum Dis 32:413): knee hyperextension beyond 10 deg scores a "
    "Beighton point; measured there passively with a goniometer, here in relaxed standing",
)

#: The chain measures of a posture clip: (column, label, unit, view needed, threshold or None, why none).
CHAIN_MEASURES: tuple[tuple[str, str, str, str, Threshold | None, str], ...] = (
    ("forward_head", "Forward head (shoulder→ear line against vertical)", "deg", "side", None,
     "no published norm for the shoulder→ear angle (the craniovertebral angle's norms, e.g. < 48-50 deg, "
     "are taken from C7, which the pose model does not give)"),
    ("thoracic_kyphosis", "Thoracic kyphosis (upper back outline)", "deg", "side", None,
     "radiographic norms (Cobb angle > 40 deg) do not apply to a surface outline estimate; compare with the "
     "client's own earlier sessions"),
    ("knee_hyperextension_left", "Left knee hyperextension", "deg", "side", KNEE_HYPEREXTENSION, ""),
    ("knee_hyperextension_right", "Right knee hyperextension", "deg", "side", KNEE_HYPEREXTENSION, ""),
    ("shoulder_obliquity", "Shoulder obliquity (left higher positive)", "deg", "front", None,
     "no published cut-off for video"),
    ("pelvic_obliquity", "Pelvic obliquity (left higher positive)", "deg", "front", None,
     "no published cut-off for standing video"),
    ("lateral_trunk_shift", "Lateral trunk shift (shoulders to the left positive)", "% torso", "front", None,
     "no published cut-off"),
)  # fmt: skip


def posture_chain_summary(motion, *, config: FindingsConfig = FindingsConfig()) -> dict[str, Any]:
    """The chain measures of a standing posture clip, for report.json.

    Returns
    -------
    dict
        ``measures``: per measure its median over the frames it was measured in, the frame count, the first
        and last of those frames, unit, view, and ``finding`` (``"flagged"`` / ``"within"``, the threshold
        plus the method error, and the source) or ``no_threshold`` (why there is none). ``method``: where the
        definitions and measured errors are.
    """
    from movelab.motion_cache import chain_table  # kept with the kinematics when they are cached

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        chain = chain_table(motion)
    chain["pelvic_obliquity"] = motion.angles["pelvic_obliquity"].to_numpy(dtype=np.float64)
    frames = motion.frame
    measures = {}
    mdd = config.method_error.for_quantity("knee_flexion").value
    for column, label, unit, view, threshold, why in CHAIN_MEASURES:
        values = chain[column].to_numpy(dtype=np.float64)
        ok = np.isfinite(values)
        entry: dict[str, Any] = {"label": label, "unit": unit, "view": view, "frames": int(ok.sum())}
        entry["median"] = round(float(np.median(values[ok])), 2) if ok.any() else None
        entry["frame_range"] = [int(frames[ok][0]), int(frames[ok][-1])] if ok.any() else None
        if threshold is not None:
            limit = threshold.value + mdd
            flagged = entry["median"] is not None and entry["median"] > limit
            entry["finding"] = {
                "status": "flagged" if flagged else ("within" if entry["median"] is not None else "not measured"),
                "threshold": round(limit, 2),
                "source": f"{threshold.source}; method error {mdd:g} deg",
            }
        else:
            entry["no_threshold"] = why
        measures[column] = entry
    return {"measures": measures, "method": "docs/fms-posture.md"}


# ----------------------------------------------------------------------------- HTML


def _num(value: Any, digits: int = 1) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return ""
    return f"{value:.{digits}f}"


def fms_section(report: Mapping[str, Any]) -> str:
    """The FMS deep squat score and its criteria table (empty when the report has no FMS score)."""
    fms = report.get("fms")
    if not fms:
        return ""
    rows = []
    for c in fms.get("criteria") or []:
        frames = c.get("frames") or []
        rows.append(
            "<tr>"
            f"<td>{escape(c['label'])}</td><td>{escape(c['status'])}</td>"
            f"<td>{_num(c.get('value'), 2)} {escape(str(c.get('unit') or ''))}</td>"
            f"<td>{_num(c.get('threshold'), 2)}</td><td>{escape(str(c.get('view') or ''))}</td>"
            f"<td>{escape('–'.join(str(f) for f in frames))}</td>"
            f"<td>{escape(c.get('reason') or '')}</td></tr>"
        )
    heel = fms.get("heel") or {}
    heels = {True: "raised (score at most 2)", False: "flat", None: "not judged (needs a side view)"}
    body = (
        "<thead><tr><th>criterion</th><th>result</th><th>measured</th><th>limit</th><th>view</th>"
        "<th>frames</th><th>note</th></tr></thead><tbody>" + "".join(rows) + "</tbody>"
    )
    return (
        '<section id="fms"><h2>FMS deep squat</h2>'
        f'<p class="score">Score: <strong>{escape(str(fms.get("text")))}</strong>'
        + (f" — {escape(fms.get('note') or '')}" if fms.get("note") else "")
        + "</p>"
        + (f'<table id="fms-criteria">{body}</table>' if rows else "")
        + f"<p>Heels: {escape(heels.get(fms.get('heels_raised'), 'not judged'))}"
        + (f" (rise {_num(heel.get('value'))}°)" if heel.get("value") is not None else "")
        + f". {escape(fms.get('pain') or '')}. Method and sources: docs/fms-posture.md.</p></section>"
    )


def posture_chain_section(report: Mapping[str, Any]) -> str:
    """The posture-chain values table (empty when the report has none)."""
    chain = report.get("posture_chain")
    if not chain:
        return ""
    rows = []
    for entry in (chain.get("measures") or {}).values():
        finding = entry.get("finding")
        judged = (
            f"{finding['status']} (limit {_num(finding['threshold'])}; {finding['source']})"
            if finding
            else f"value only: {entry.get('no_threshold', '')}"
        )
        value = "not measurable from this view" if entry.get("median") is None else _num(entry["median"])
        rows.append(
            f"<tr><td>{escape(entry['label'])}</td><td>{escape(value)}</td><td>{escape(entry['unit'])}</td>"
            f"<td>{escape(entry['view'])}</td><td>{escape(judged)}</td></tr>"
        )
    return (
        '<section id="posture-chain"><h2>Standing posture along the chain</h2><table id="posture-chain-table">'
        "<thead><tr><th>measure</th><th>median</th><th>unit</th><th>view</th><th>finding</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table>"
        "<p>Values without a published threshold are followed in the client's own history (trends).</p></section>"
    )
