"""report.json: the whole analysis as plain JSON (no NaN; missing values are null)."""

from __future__ import annotations

import dataclasses
import math
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movelab.findings import FindingsConfig
from movelab.kinematics.conventions import ANGLE_NAMES
from movelab.kinematics.tables import time_s_of
from movelab.report.supine import supine_results

__all__ = ["build_report", "json_ready", "REPORT_SCHEMA", "span_table", "angle_summaries", "dominant_view"]

#: Name and version of the report.json layout (docs/report.md).
REPORT_SCHEMA = "movelab.report/1"


def build_report(analysis) -> dict[str, Any]:
    """The content of report.json for an :class:`movelab.analysis.Analysis`.

    Parameters
    ----------
    analysis
        Needs ``landmarks``, ``angles``, ``views``, ``segmentation``, ``findings`` and ``summary`` (the
        contract in docs/architecture.md).

    Returns
    -------
    dict
        JSON-ready (plain Python types; NaN and infinities become None). Keys: ``schema``,
        ``movelab_version``, ``video``, ``pose``, ``view``, ``views``, ``movement``, ``reps`` (squat,
        lunge) or ``gait`` and ``cycles`` (gait), ``per_span`` (one row per rep or cycle), ``metrics``
        (per angle: frames measured, min, max, mean, median), ``camera_roll`` (the camera's roll, its source and
        what was taken out), ``findings`` (including ``"info"`` notes),
        ``thresholds`` (every threshold with its source); ``supine`` for a Thomas test or ASLR
        (:func:`movelab.report.supine.supine_results`). See docs/report.md.
    """
    from movelab.version import __version__

    summary = dict(getattr(analysis, "summary", None) or {})
    segmentation = analysis.segmentation
    seg_report = _segmentation_report(segmentation)
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "movelab_version": __version__,
        "video": _video(summary, analysis.landmarks),
        "pose": summary.get("pose", {}),
        "view": dominant_view(analysis.views),
        "views": _records(analysis.views) if isinstance(analysis.views, pd.DataFrame) else analysis.views,
        "movement": getattr(segmentation, "movement", "unknown"),
    }
    for key in ("reps", "gait"):
        if key in seg_report:
            report[key] = seg_report[key]
    if report["movement"] == "gait":
        report["cycles"] = _records(getattr(segmentation, "cycles", None))
    report["per_span"] = _records(span_table(analysis.angles, segmentation))
    report["metrics"] = angle_summaries(analysis.angles)
    report["pelvic_tilt_source"] = pelvic_tilt_source_summary(analysis)
    report["camera_roll"] = camera_roll_summary(analysis)
    supine = supine_results(analysis)
    if supine is not None:
        report["supine"] = supine
    report["findings"] = [f.to_dict() for f in analysis.findings]
    report["thresholds"] = describe_thresholds(_findings_config(analysis))
    if getattr(analysis, "fms", None) is not None:
        report["fms"] = analysis.fms.to_dict()
    if getattr(analysis, "posture_chain", None) is not None:
        report["posture_chain"] = analysis.posture_chain
    extra = {k: v for k, v in summary.items() if k not in ("video", "pose")}
    if extra:
        report["summary"] = extra
    return json_ready(report)


def pelvic_tilt_source_summary(analysis) -> dict[str, Any]:
    """Where the pelvic tilt came from (:attr:`movelab.kinematics.Motion.pelvic_tilt_source`: ``mode``,
    ``note``, ``calibration``, ``client_calibration`` or ``median_sd_deg``) and ``frames`` per source
    (``markers``, ``outline``, ``none``); an analysis without a Motion gives ``mode: outline``."""
    motion, outline = getattr(analysis, "motion", None), getattr(analysis, "outline", None)
    out: dict[str, Any] = (
        dict(motion.pelvic_tilt_source) if motion is not None else {"mode": "outline", "note": "", "calibration": None}
    )
    if isinstance(outline, pd.DataFrame) and "pelvic_tilt_source" in outline.columns:
        source = outline["pelvic_tilt_source"].astype(str)
        out["frames"] = {
            "markers": int((source == "markers").sum()),
            "outline": int((source == "outline").sum()),
            "none": int((source == "").sum()),
        }
    return out


def camera_roll_summary(analysis) -> dict[str, Any] | None:
    """The camera's roll (:class:`movelab.kinematics.CameraRoll`: ``applied_deg``, ``estimate_deg``,
    ``sd_deg``, ``source``, each cue, ``note``, ``warning``); None for an analysis without a Motion."""
    motion = getattr(analysis, "motion", None)
    roll = getattr(motion, "camera_roll", None)
    return roll.to_dict() if roll is not None else None


def json_ready(value: Any) -> Any:
    """``value`` with numpy and pandas scalars made plain, NaN/inf made None, tuples made lists."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_ready(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, (Path, os.PathLike)):
        return os.fspath(value)
    if value is pd.NA or value is pd.NaT:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_ready(dataclasses.asdict(value))
    return value


def dominant_view(views) -> str | None:
    """The view covering most of the video (a views table or a view name)."""
    if isinstance(views, str):
        return views
    if isinstance(views, pd.DataFrame) and len(views) and {"view", "start_s", "end_s"} <= set(views.columns):
        durations = (views["end_s"] - views["start_s"]).groupby(views["view"]).sum()
        return str(durations.idxmax())
    return None


def angle_summaries(angles: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per angle column: ``frames`` with a value, ``fraction`` of all frames, ``min``, ``max``, ``mean``,
    ``median`` (degrees, 0.1° precision); angles never measured get only ``frames: 0``."""
    out = {}
    n = len(angles)
    for name in [c for c in angles.columns if c in ANGLE_NAMES]:
        values = angles[name].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        entry: dict[str, Any] = {"frames": int(finite.size), "fraction": round(finite.size / n, 3) if n else 0.0}
        if finite.size:
            entry.update(
                {
                    k: round(float(f(finite)), 1)
                    for k, f in (("min", np.min), ("max", np.max), ("mean", np.mean), ("median", np.median))
                }
            )
        out[name] = entry
    return out


def span_table(angles: pd.DataFrame, segmentation) -> pd.DataFrame:
    """One row per rep or gait cycle: the segmentation's own columns, plus peaks of the main angles.

    Added columns (only where the segmentation has none of that name, and only for angles with values):
    ``duration_s``; per rep ``max_<angle>_deg`` of the flexion, lean and valgus angles; per cycle
    ``peak_extension_deg`` (``−min(thigh_angle)`` of the cycle's side) and ``max_knee_flexion_deg``.
    """
    movement = getattr(segmentation, "movement", "unknown")
    table = getattr(segmentation, "cycles" if movement == "gait" else "reps", None)
    if table is None or len(table) == 0:
        return pd.DataFrame()
    table = table.reset_index(drop=True).copy()
    time = time_s_of(angles)
    ordered = time.ndim == 1 and not np.isnan(time).any() and bool((np.diff(time) >= 0).all())
    columns = _Columns(angles)
    extra: dict[str, list] = {"duration_s": []}
    for span in table.to_dict("records"):
        start, end = span["start_s"] - 1e-9, span["end_s"] + 1e-9
        if ordered:  # the same frames as the comparisons below, found by bisection (hundreds of reps: 36 000 frames)
            lo = int(np.searchsorted(time, start, side="left"))
            inside = slice(lo, max(lo, int(np.searchsorted(time, end, side="right"))))
        else:
            inside = (time >= start) & (time <= end)
        extra["duration_s"].append(float(span["end_s"] - span["start_s"]))
        for name, value in _span_peaks(columns, inside, movement, span.get("side")).items():
            extra.setdefault(name, []).append(value)
    for name, values in extra.items():
        if name not in table.columns and len(values) == len(table) and np.isfinite(np.asarray(values, float)).any():
            table[name] = values
    return table


_REP_PEAKS = (
    "knee_flexion_left",
    "knee_flexion_right",
    "hip_flexion_left",
    "hip_flexion_right",
    "thigh_angle_left",
    "thigh_angle_right",
    "trunk_lean",
    "knee_fppa_left",
    "knee_fppa_right",
    "pelvic_tilt",
    "lumbar_lordosis",
)


class _Columns(dict):
    """Angle columns as float arrays, each read from the table once (None: no such column)."""

    def __init__(self, angles: pd.DataFrame) -> None:
        super().__init__()
        self.angles = angles

    def __missing__(self, column: str) -> np.ndarray | None:
        values = self.angles[column].to_numpy(dtype=float) if column in self.angles.columns else None
        self[column] = values
        return values


def _span_peaks(columns: _Columns, inside: np.ndarray | slice, movement: str, side) -> dict[str, float]:
    def peak(column: str, kind: str) -> float:
        if columns[column] is None:
            return math.nan
        values = columns[column][inside]
        if not np.isfinite(values).any():
            return math.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return round(float(np.nanmax(values) if kind == "max" else np.nanmin(values)), 1)

    if movement == "gait" and side in ("left", "right"):
        extension = peak(f"thigh_angle_{side}", "min")
        return {
            "peak_extension_deg": -extension if np.isfinite(extension) else math.nan,
            "max_knee_flexion_deg": peak(f"knee_flexion_{side}", "max"),
        }
    return {f"max_{c}_deg": peak(c, "max") for c in _REP_PEAKS}


def describe_thresholds(config: FindingsConfig) -> list[dict[str, Any]]:
    """Every threshold, norm and method error of ``config`` as ``{name, value | mean and sd, unit, source}``."""
    out = []

    def add(name: str, item: Any) -> None:
        if hasattr(item, "mean") and hasattr(item, "sd"):
            out.append({"name": name, "mean": item.mean, "sd": item.sd, "unit": item.unit, "source": item.source})
        elif hasattr(item, "value") and hasattr(item, "source"):
            out.append({"name": name, "value": item.value, "unit": item.unit, "source": item.source})

    for f in dataclasses.fields(config):
        item = getattr(config, f.name)
        if f.name == "method_error":
            for g in dataclasses.fields(item):
                add(f"method_error.{g.name}", getattr(item, g.name))
        else:
            add(f.name, item)
    out.append(
        {
            "name": "n_sd",
            "value": config.n_sd,
            "unit": "SD",
            "source": "statistical convention: mean ± 2 SD holds about 95 % of a normal sample",
        }
    )
    out.append(
        {
            "name": "sex",
            "value": config.sex,
            "unit": "",
            "source": "sex-specific norms; None uses the higher upper limit",
        }
    )
    return out


def _findings_config(analysis) -> FindingsConfig:
    config = getattr(analysis, "config", None)
    found = getattr(config, "findings", None)
    return found if isinstance(found, FindingsConfig) else FindingsConfig()


def _segmentation_report(segmentation) -> dict[str, Any]:
    to_report = getattr(segmentation, "to_report", None)
    if callable(to_report):
        return dict(to_report())
    movement = getattr(segmentation, "movement", "unknown")
    if movement == "gait":
        return {"movement": movement, "gait": dict(getattr(segmentation, "gait", None) or {})}
    return {"movement": movement, "reps": _records(getattr(segmentation, "reps", None))}


def _video(summary: dict, landmarks) -> dict[str, Any]:
    video = dict(summary.get("video", {}))
    attrs = getattr(landmarks, "attrs", {}) or {}
    video.setdefault("path", attrs.get("source_path"))
    video.setdefault("width", attrs.get("width_px"))
    video.setdefault("height", attrs.get("height_px"))
    if "frames" not in video and landmarks is not None and "time" in getattr(landmarks, "sizes", {}):
        video["frames"] = int(landmarks.sizes["time"])
    video["name"] = os.path.basename(str(video.get("path") or "")) or None
    return video


def _records(table) -> list[dict[str, Any]]:
    if table is None or not isinstance(table, pd.DataFrame) or table.empty:
        return []
    return [json_ready(row) for row in table.to_dict("records")]
