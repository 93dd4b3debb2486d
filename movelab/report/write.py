"""Writing an analysis's output folder: report.json, angles.csv, timeline.png, report.html (+ overlay.mp4)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.io.outputs import write_json
from movelab.io.outputs import write_outputs as _write_atomically
from movelab.kinematics.tables import time_indexed
from movelab.report.build import build_report
from movelab.report.figure_worker import FigureSet, FigureWorker
from movelab.report.html import render_html
from movelab.report.supine import supine_png

__all__ = ["write_outputs", "write_angles_csv", "OUTPUT_FILES"]

#: The files of an analyse output folder, in writing order (overlay.mp4 only with ``overlay=True``).
OUTPUT_FILES = ("report.json", "angles.csv", "timeline.png", "report.html", "overlay.mp4")


def write_outputs(
    analysis,
    out_dir: str | os.PathLike,
    *,
    overlay: bool = False,
    blur_faces: bool = True,
    progress: bool = False,
    figure_worker: FigureWorker | None = None,
) -> list[Path]:
    """Write an analysis's files into ``out_dir``, all together or none (:func:`movelab.io.outputs.write_outputs`).

    Parameters
    ----------
    analysis
        A :class:`movelab.analysis.Analysis`.
    out_dir
        The output folder (created; files already there with the same names are replaced).
    overlay
        Also write overlay.mp4 (re-reads the video: about as long as decoding it).
    blur_faces
        Blur the client's face in overlay.mp4.
    progress
        Progress bar for the overlay.
    figure_worker
        A :class:`movelab.report.figure_worker.FigureWorker` started before the analysis (matplotlib loaded in it
        meanwhile), as the ``movelab`` command does: it draws timeline.png and the curves while this process
        writes the rest; the same files. None (the library's default): drawn in this process.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    options = {"overlay": overlay, "blur_faces": blur_faces, "progress": progress}
    drawn = FigureSet(analysis.angles, analysis.segmentation, analysis.findings, worker=figure_worker)
    try:
        return _write_atomically(out_dir, _writers(analysis, out_dir, drawn.timeline, drawn.curves, **options))
    finally:
        drawn.close()


def _writers(
    analysis,
    out_dir,
    timeline: Callable[[], bytes],
    curves: Callable[[], bytes | None],
    *,
    overlay: bool,
    blur_faces: bool,
    progress: bool,
) -> dict:
    """The output files' writers, file name -> ``writer(path)``; the report and the other figures are made here,
    ``timeline()`` and ``curves()`` give those two figures' bytes when the files need them."""
    report = _report(analysis)
    figures = {}
    supine = supine_png(analysis, report.get("supine"))
    if supine is not None:
        figures["supine"] = supine
    from movelab.report.assessments import fms_png, posture_chain_png

    for key, png in (("fms", fms_png(analysis, report)), ("posture_chain", posture_chain_png(report))):
        if png is not None:
            figures[key] = png

    def html() -> str:
        drawn = curves()
        return render_html(
            report, {"timeline": timeline(), **({"curves": drawn} if drawn is not None else {}), **figures}
        )

    writers = {
        "report.json": lambda p: write_json(report, p),
        "angles.csv": lambda p: write_angles_csv(analysis.angles, p, pelvic_tilt_source=_tilt_source(analysis)),
        "timeline.png": lambda p: Path(p).write_bytes(timeline()),
        "report.html": lambda p: Path(p).write_text(html(), encoding="utf-8"),
    }
    made = (report.get("pelvic_tilt_source") or {}).get("client_calibration")
    if made is not None:
        made = dict(made, source=str(Path(out_dir).resolve()))
        writers[CLIENT_BASELINE] = lambda p: write_json(made, p)
    if overlay:
        from movelab.report.overlay import write_overlay

        writers["overlay.mp4"] = lambda p: write_overlay(analysis, p, blur_faces=blur_faces, progress=progress)
    return writers


#: Written by a marker session (``--markers``): the client's own outline offset, read by ``--client-baseline``.
CLIENT_BASELINE = "client_baseline.json"


def load_client_baseline(folder: str | os.PathLike):
    """The :class:`movelab.kinematics.config.ClientCalibration` a marker session wrote into ``folder``.

    Raises
    ------
    movelab.errors.InputError
        No readable ``client_baseline.json`` in ``folder``.
    """
    import json

    from movelab.errors import ConfigError, InputError
    from movelab.kinematics.config import ClientCalibration

    path = Path(folder) / CLIENT_BASELINE
    if not path.is_file():
        raise InputError(
            f"--client-baseline expects the output folder of a session analysed with --markers "
            f"(it holds {CLIENT_BASELINE}); {path} does not exist"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ClientCalibration(
            float(data["pelvic_tilt_offset_deg"]), int(data["frames"]), str(data.get("source", folder))
        )
    except (ValueError, KeyError, TypeError, ConfigError) as exc:
        raise InputError(f"{path} is not a client baseline written by movelab ({exc})") from None


def write_angles_csv(angles: pd.DataFrame, path: str | os.PathLike, *, pelvic_tilt_source=None) -> None:
    """The angle table as CSV: header ``time_s,frame,<angles>``, 4 decimals, empty cells where NaN; with
    ``pelvic_tilt_source`` (per frame ``markers``, ``outline`` or empty) a last column of that name."""
    if pelvic_tilt_source is not None:
        angles = angles.assign(pelvic_tilt_source=list(pelvic_tilt_source))
    table = time_indexed(angles)
    columns = _csv_columns(table)
    if columns is None:  # a column the fast path does not write exactly as pandas does
        table.to_csv(path, index=True, float_format="%.4f", na_rep="")
        return
    header = ",".join(map(str, [table.index.name or "", *table.columns]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        for start in range(0, len(table), _CSV_CHUNK_ROWS):  # a chunk of rows at a time: memory stays bounded
            cells = [column(start, start + _CSV_CHUNK_ROWS) for column in columns]
            handle.writelines(",".join(row) + "\n" for row in zip(*cells))


#: Rows formatted at a time by :func:`write_angles_csv`.
_CSV_CHUNK_ROWS = 8192
#: Characters that make pandas quote a CSV cell (its QUOTE_MINIMAL).
_CSV_QUOTED = re.compile(r'[,"\r\n]')


def _csv_columns(table: pd.DataFrame):
    """Per column (the index first), a function of a row range giving its CSV cells exactly as
    ``table.to_csv(float_format="%.4f", na_rep="")`` writes them (floats ``%.4f``, NaN and None empty,
    integers and booleans as ``str``, text as it is), in pure-Python list comprehensions over plain values:
    pandas formats each float through a per-cell function and ``notna`` check, 4x slower on a 10-minute table.
    None when a column or name holds something the fast path does not cover (pandas writes the file then)."""
    names = [table.index.name or "", *table.columns]
    if any(not isinstance(n, str) or _CSV_QUOTED.search(n) for n in names) or not table.columns.is_unique:
        return None
    series = [table.index.to_series(), *(table.iloc[:, i] for i in range(table.shape[1]))]
    columns = [_csv_cells(s) for s in series]
    return None if any(c is None for c in columns) else columns


def _csv_cells(series: pd.Series):
    kind = series.dtype.kind
    if kind == "f":
        values = series.to_numpy(dtype=np.float64).tolist()
        return lambda a, b: ["" if v != v else f"{v:.4f}" for v in values[a:b]]
    if kind in "iub":
        values = series.to_numpy().tolist()
        return lambda a, b: [str(v) for v in values[a:b]]
    if kind in "OUT" or isinstance(series.dtype, pd.StringDtype):
        values = series.astype(object).tolist()
        if not all(v is None or isinstance(v, str) or (isinstance(v, float) and v != v) for v in values):
            return None
        if any(_CSV_QUOTED.search(v) for v in values if isinstance(v, str)):
            return None
        return lambda a, b: [v if isinstance(v, str) else "" for v in values[a:b]]
    return None


def _tilt_source(analysis):
    outline = getattr(analysis, "outline", None)
    if isinstance(outline, pd.DataFrame) and "pelvic_tilt_source" in outline.columns:
        return outline["pelvic_tilt_source"].to_numpy()
    return None


def _report(analysis) -> dict:
    to_report = getattr(analysis, "to_report", None)
    return to_report() if callable(to_report) else build_report(analysis)
