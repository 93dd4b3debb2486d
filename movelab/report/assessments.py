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

__all__ = [
    "posture_chain_summary",
    "fms_section",
    "posture_chain_section",
    "fms_series",
    "fms_png",
    "posture_chain_png",
    "CHAIN_MEASURES",
    "KNEE_HYPEREXTENSION",
    "FORWARD_HEAD_POSTURE",
    "CRANIOVERTEBRAL_NOTE",
]

#: Knee hyperextension beyond this counts as hypermobile (one of the Beighton score's criteria).
KNEE_HYPEREXTENSION = Threshold(
    10.0,
    "Beighton, Solomon & Soskolne 1973 (Ann Rheum Dis 32:413): knee hyperextension beyond 10 deg scores a "
    "Beighton point; measured there passively with a goniometer, here in relaxed standing",
)

#: A craniovertebral angle below this counts as forward head posture.
FORWARD_HEAD_POSTURE = Threshold(
    50.0,
    "craniovertebral angle (C7 -> tragus against the horizontal; Wilmart et al. 2002): 50 deg matched a 20 mm "
    "C2-C7 sagittal offset on radiographs (Oakley et al. 2024, J Clin Med 13:2149); adults without neck pain "
    "averaged 50.6 deg (SD 2.1), with chronic neck pain 43.9 deg (SD 3.6) (Lau, Chiu & Lam 2009, Man Ther "
    "14:363); cut-offs of 48-50 deg are used in the literature",
)

#: The chain measures of a posture clip: (column, label, unit, view needed, threshold or None, why none).
CHAIN_MEASURES: tuple[tuple[str, str, str, str, Threshold | None, str], ...] = (
    ("craniovertebral_angle", "Craniovertebral angle (C7→ear, smaller = head forward)", "deg",
     "side", FORWARD_HEAD_POSTURE, ""),
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


#: Measures whose finding flags a value *below* the limit (the limit then lies below the threshold by the
#: method error); the others flag above it. Per measure, the method error's quantity (:class:`MethodError`).
_BELOW = frozenset({"craniovertebral_angle"})
_METHOD_ERROR = {"craniovertebral_angle": "craniovertebral_angle"}

#: Shown with a side-view posture: how the craniovertebral angle is taken and how far it can be trusted
#: (numbers from ``python -m scripts.accuracy.fms_posture_accuracy --reuse``, docs/fms-posture-accuracy.md).
CRANIOVERTEBRAL_NOTE = (
    "Craniovertebral angle: C7 is taken from the outline of the back (the hair must not cover the neck), the "
    "tragus from the pose model's ear; calibrated on rendered bodies. On rendered held-out bodies it erred by "
    "2.4 deg on average (up to 7.1). Not yet checked on people: where the ear "
    "landmark sits on the tragus it may read about 10 deg high. Values within the method error of the 50 deg "
    "limit are not flagged."
)


def posture_chain_summary(motion, *, config: FindingsConfig = FindingsConfig()) -> dict[str, Any]:
    """The chain measures of a standing posture clip, for report.json.

    Returns
    -------
    dict
        ``measures``: per measure its median over the frames it was measured in, the frame count, the first
        and last of those frames, unit, view, and ``finding`` (``"flagged"`` / ``"within"``, the threshold
        moved by the method error in the client's favour, ``flags`` "above" or "below" it, and the source) or
        ``no_threshold`` (why there is none). ``method``: where the definitions and measured errors are.
    """
    from movelab.motion_cache import chain_table  # kept with the kinematics when they are cached

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        chain = chain_table(motion)
    chain["pelvic_obliquity"] = motion.angles["pelvic_obliquity"].to_numpy(dtype=np.float64)
    frames = motion.frame
    measures = {}
    for column, label, unit, view, threshold, why in CHAIN_MEASURES:
        values = chain[column].to_numpy(dtype=np.float64)
        ok = np.isfinite(values)
        entry: dict[str, Any] = {"label": label, "unit": unit, "view": view, "frames": int(ok.sum())}
        entry["median"] = round(float(np.median(values[ok])), 2) if ok.any() else None
        entry["frame_range"] = [int(frames[ok][0]), int(frames[ok][-1])] if ok.any() else None
        if threshold is not None:
            mdd = config.method_error.for_quantity(_METHOD_ERROR.get(column, "knee_flexion")).value
            below = column in _BELOW
            limit = threshold.value - mdd if below else threshold.value + mdd
            value = entry["median"]
            flagged = value is not None and (value < limit if below else value > limit)
            entry["finding"] = {
                "status": "flagged" if flagged else ("within" if entry["median"] is not None else "not measured"),
                "threshold": round(limit, 2),
                "flags": "below" if below else "above",
                "source": f"{threshold.source}; method error {mdd:g} deg",
            }
        else:
            entry["no_threshold"] = why
        measures[column] = entry
    out: dict[str, Any] = {"measures": measures, "method": "docs/fms-posture.md"}
    if measures["craniovertebral_angle"]["median"] is not None:
        out["note"] = CRANIOVERTEBRAL_NOTE
    return out


# ----------------------------------------------------------------------------- HTML


def _num(value: Any, digits: int = 1) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return ""
    return f"{value:.{digits}f}"


def _figure(png: bytes | None, caption: str, element_id: str) -> str:
    """A ``<figure>`` with the PNG inlined as a data URL (as ``movelab.report.html.img_tag``, which imports this
    module) and its caption."""
    if not png:
        return ""
    import base64

    data = base64.b64encode(png).decode("ascii")
    img = f'<img id="{escape(element_id)}" alt="{escape(caption)}" src="data:image/png;base64,{data}">'
    return f"<figure>{img}<figcaption>{escape(caption)}</figcaption></figure>"


FMS_CAPTION = (
    "The FMS criteria this clip's view shows, over the squat: each measured value with its limit (dashed, same "
    "colour); the windows the score was read in shaded"
)
POSTURE_CAPTION = (
    "Standing posture along the chain: each measure's median over the clip; a red tick where a sourced limit "
    "exists (the craniovertebral angle is flagged below its tick, the others above; measures without one are "
    "read against the client's own history)"
)


def fms_section(report: Mapping[str, Any], png: bytes | None = None) -> str:
    """The FMS deep squat score, its criteria table and its plot (empty when the report has no FMS score)."""
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
        + f". {escape(fms.get('pain') or '')}. Method and sources: docs/fms-posture.md.</p>"
        + _figure(png, FMS_CAPTION, "img-fms")
        + "</section>"
    )


def posture_chain_section(report: Mapping[str, Any], png: bytes | None = None) -> str:
    """The posture-chain values table and its plot (empty when the report has none)."""
    chain = report.get("posture_chain")
    if not chain:
        return ""
    rows = []
    for entry in (chain.get("measures") or {}).values():
        finding = entry.get("finding")
        judged = (
            f"{finding['status']} (flagged {finding.get('flags', 'above')} {_num(finding['threshold'])}; "
            f"{finding['source']})"
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
        "<p>Values without a published threshold are followed in the client's own history (trends).</p>"
        + (f"<p>{escape(chain['note'])}</p>" if chain.get("note") else "")
        + _figure(png, POSTURE_CAPTION, "img-posture-chain")
        + "</section>"
    )


# ----------------------------------------------------------------------------- plots


def fms_series(motion, fms) -> tuple[Any, dict[str, float], list[tuple[float, float]]]:
    """The criteria values of one clip of an FMS deep squat over time, for :func:`movelab.plots.fms_criteria`.

    Parameters
    ----------
    motion
        The clip's :class:`movelab.kinematics.Motion`.
    fms
        The score's ``to_dict()`` (report.json's ``fms``).

    Returns
    -------
    (pandas.DataFrame, dict, list)
        Columns by view: from a side view ``torso − tibia (°)`` (trunk lean minus the near shank's lean, both
        shanks averaged when the near one is not known) and ``thigh (°)`` (near thigh against vertical); from a
        front or back view each knee's offset inside its foot (% of the feet's spacing). The limits of the
        criteria judged in this clip's view (the knee fractions as %), and the windows (start, end in s)
        around the frames the score was read in (a single frame spans its own frame interval).
    """
    import pandas as pd

    from movelab.kinematics.views import facing_sign, frontal_sign
    from movelab.motion_cache import chain_table  # kept with the kinematics when they are cached

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        chain = chain_table(motion)
    angles = motion.angles
    time = np.asarray(motion.time_s, dtype=np.float64)
    side = np.isfinite(facing_sign(motion.frame_views)).mean() >= np.isfinite(frontal_sign(motion.frame_views)).mean()
    labels = [str(v) for v in np.asarray(motion.frame_views.values, dtype=object)]
    near = {"side_right": "right", "side_left": "left"}.get(max(set(labels), key=labels.count)) if labels else None
    sides = (near,) if near else ("left", "right")
    crits = {c["code"]: c for c in fms.get("criteria") or []}
    data: dict[str, np.ndarray] = {}
    limits: dict[str, float] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if side:
            tibia = np.nanmean(np.stack([chain[f"tibia_lean_{s}"].to_numpy(np.float64) for s in sides]), axis=0)
            thigh = np.nanmean(np.stack([angles[f"thigh_angle_{s}"].to_numpy(np.float64) for s in sides]), axis=0)
            data["torso − tibia (°)"] = angles["trunk_lean"].to_numpy(np.float64) - tibia
            data["thigh (°)"] = thigh
            wanted = {"torso − tibia (°)": "torso_parallel_tibia", "thigh (°)": "thigh_below_horizontal"}
        else:
            for s in ("left", "right"):
                data[f"{s} knee inside foot (%)"] = 100.0 * chain[f"knee_inside_foot_{s}"].to_numpy(np.float64)
            wanted = {f"{s} knee inside foot (%)": "knees_over_feet" for s in ("left", "right")}
    for column, code in wanted.items():
        c = crits.get(code) or {}
        if c.get("threshold") is not None and c.get("status") != "not judged":
            limits[column] = float(c["threshold"]) * (100.0 if code == "knees_over_feet" else 1.0)
    frames = np.asarray(motion.frame)
    scored = []
    for c in crits.values():
        f = c.get("frames") or []
        if f and c.get("status") != "not judged" and c["code"] in wanted.values():
            hit = np.flatnonzero((frames >= min(f)) & (frames <= max(f)))
            if hit.size:  # a single frame (the deepest) as the frame's own width
                half = 0.5 * float(np.median(np.diff(time))) if time.size > 1 else 0.0
                scored.append((float(time[hit[0]]) - half, float(time[hit[-1]]) + half))
    series = pd.DataFrame(data, index=pd.Index(time, name="time_s"))
    merged: list[tuple[float, float]] = []
    for start, end in sorted(scored):  # overlapping windows (one rep's criteria) drawn once
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return series, limits, merged


def fms_png(analysis, report: Mapping[str, Any]) -> bytes | None:
    """The FMS section's plot (:func:`movelab.plots.fms_criteria`) as PNG, or None without an FMS score or
    a Motion."""
    fms, motion = report.get("fms"), getattr(analysis, "motion", None)
    if not fms or not fms.get("criteria") or motion is None:
        return None
    from matplotlib.figure import Figure

    from movelab import plots
    from movelab.report.figures import figure_png

    series, limits, scored = fms_series(motion, fms)
    fig = Figure(figsize=(7.5, 3.0), layout="constrained")
    plots.fms_criteria(series, limits=limits, scored=scored, ax=fig.subplots())
    return figure_png(fig)


def posture_chain_png(report: Mapping[str, Any]) -> bytes | None:
    """The posture-chain section's plot (:func:`movelab.plots.posture_chain_values`) as PNG, or None."""
    chain = report.get("posture_chain")
    if not chain or not chain.get("measures"):
        return None
    from matplotlib.figure import Figure

    from movelab import plots
    from movelab.report.figures import figure_png

    fig = Figure(figsize=(7.5, 0.45 * len(chain["measures"]) + 1.0), layout="constrained")
    plots.posture_chain_values(chain["measures"], ax=fig.subplots())
    return figure_png(fig)
