"""One video of a batch: analyse it into its folder and return its ``summary.csv`` row.

Runs in a worker process (local pool or Dask worker); :mod:`movelab.batch` orchestrates.
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from movelab.config import Config
from movelab.errors import MovelabError

__all__ = ["Task", "analyse_one", "lost_row", "SUMMARY_COLUMNS", "MARKER_FILE", "atomic_write_text"]

#: Columns of ``summary.csv``, in order. Angles in degrees; NaN/None are empty cells.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "file",
    "movement",
    "view",
    "reps",
    "cadence_spm",
    "stride_time_s",
    "knee_flexion_max_deg",
    "hip_flexion_max_deg",
    "trunk_lean_max_deg",
    "pelvic_tilt_median_deg",
    "lumbar_lordosis_median_deg",
    "detection_rate",
    "findings",
    "status",
    "error",
    "warnings",
    "seconds",
)

#: The file in each video's result folder that records its row and fingerprint (written last).
MARKER_FILE = "batch.json"


@dataclass(frozen=True)
class Task:
    """One video to analyse: where it is, where its results go, and the fingerprint of what it is."""

    video: str
    rel: str
    folder: str
    fingerprint: dict[str, Any]


def analyse_one(task: Task, config: Config, movement: str) -> dict[str, Any]:
    """Analyse one video into its result folder and return its summary row (never raises for a bad video).

    Runs in a worker process (local pool or Dask worker). The report files are written atomically, then
    ``batch.json``; a failure writes ``batch.json`` with ``status = "error"`` and the one-line reason.
    """
    from movelab.analysis import analyse
    from movelab.report import write_outputs

    start = time.perf_counter()
    row: dict[str, Any] = {"file": task.rel, "status": "ok", "error": ""}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            analysis = analyse(task.video, movement=movement, config=config)
            write_outputs(analysis, task.folder)
            row.update(_measures(analysis))
        except MovelabError as err:
            row.update(status="error", error=_one_line(err))
        except Exception as err:  # noqa: BLE001 - a bug on one video must not stop the batch; its type is kept
            row.update(status="error", error=f"{type(err).__name__}: {_one_line(err)}")
    row["warnings"] = " | ".join(sorted({_one_line(w.message) for w in caught}))
    row["seconds"] = round(time.perf_counter() - start, 2)
    row = {column: row.get(column) for column in SUMMARY_COLUMNS}
    _write_marker(Path(task.folder), {"row": row, "fingerprint": task.fingerprint})
    return row


def _measures(analysis) -> dict[str, Any]:
    """The summary's key measures of one analysis."""
    from movelab.report.build import dominant_view

    seg = analysis.segmentation
    angles = analysis.angles
    gait = seg.gait or {}
    codes = [f.code + (f"_{f.side}" if f.side else "") for f in analysis.findings if f.severity != "info"]
    return {
        "movement": seg.movement,
        "view": dominant_view(analysis.views),
        "reps": int(len(seg.reps)) if seg.movement in ("squat", "lunge") else None,
        "cadence_spm": _round(gait.get("cadence_spm")),
        "stride_time_s": _round(gait.get("stride_time_s"), 3),
        "knee_flexion_max_deg": _stat(angles, ("knee_flexion_left", "knee_flexion_right"), np.nanmax),
        "hip_flexion_max_deg": _stat(angles, ("hip_flexion_left", "hip_flexion_right"), np.nanmax),
        "trunk_lean_max_deg": _stat(angles, ("trunk_lean",), np.nanmax),
        "pelvic_tilt_median_deg": _stat(angles, ("pelvic_tilt",), np.nanmedian),
        "lumbar_lordosis_median_deg": _stat(angles, ("lumbar_lordosis",), np.nanmedian),
        "detection_rate": analysis.summary.get("pose", {}).get("detection_rate"),
        "findings": ";".join(codes),
    }


def _stat(angles, columns: tuple[str, ...], reduce: Callable) -> float | None:
    values = np.concatenate([angles[c].to_numpy(dtype=float) for c in columns if c in angles])
    values = values[np.isfinite(values)]
    return _round(float(reduce(values))) if values.size else None


def _round(value: Any, digits: int = 1) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _write_marker(folder: Path, data: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / MARKER_FILE, json.dumps(data, indent=2, allow_nan=False) + "\n")


def atomic_write_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def lost_row(task: Task, reason: str) -> dict[str, Any]:
    """The row of a video whose worker was lost before it could record anything (not saved as done)."""
    row = {column: None for column in SUMMARY_COLUMNS}
    row.update(file=task.rel, status="error", error=reason, warnings="")
    return row
