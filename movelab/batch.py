"""Analyse every video in a folder: one result folder per video and one ``summary.csv`` row per video.

Typical use::

    from movelab.batch import run_batch

    result = run_batch("study/videos", "study/results", jobs=2)              # local process pool
    result = run_batch("study/videos", "study/results", engine="dask",
                       scheduler="tcp://scheduler:8786")                    # a Dask cluster

Layout of ``out_dir``::

    summary.csv                    one row per video (:data:`SUMMARY_COLUMNS`), rewritten atomically
    <relative/path/of/video_mp4>/  the video's analysis (report.json, angles.csv, ...), and
        batch.json                 its summary row and the fingerprint of the file and settings it came from

Videos are found by their content (the first bytes name a video container), not by their extension.
A video is *done* when its ``batch.json`` records the same file (size, modification time) and the same
settings; a second run skips done videos, failed ones included (a fixed file has a new fingerprint and
runs again; ``retry_failed=True`` runs failures again anyway). A failure is recorded in the video's row
as one line and stops nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from movelab._batch_task import MARKER_FILE, SUMMARY_COLUMNS, Task, analyse_one, atomic_write_text, lost_row
from movelab.config import Config
from movelab.errors import InputError

__all__ = ["run_batch", "find_videos", "sniff_video", "analyse_one", "BatchResult", "SUMMARY_COLUMNS", "MARKER_FILE"]

Engine = Literal["local", "dask"]

_HEAD_BYTES = 4096
_ISO_NOT_VIDEO = {b"M4A ", b"M4B ", b"M4P ", b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"}


# ----------------------------------------------------------------------------- finding videos


def sniff_video(path: str | os.PathLike) -> str | None:
    """The video container a file's first bytes announce, or None when they announce none.

    Recognised: ISO base media (MP4, MOV, 3GP; audio-only and image brands excluded), Matroska/WebM, AVI,
    MPEG transport and program streams, FLV, ASF/WMV and Ogg. A file that announces a container may still
    be damaged; reading it says so.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return None if head[8:12] in _ISO_NOT_VIDEO else "mp4"
    if len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "matroska"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return "mpegts"
    if head[:4] == b"\x00\x00\x01\xba":
        return "mpegps"
    if head[:3] == b"FLV":
        return "flv"
    if head[:8] == b"\x30\x26\xb2\x75\x8e\x66\xcf\x11":
        return "asf"
    if head[:4] == b"OggS":
        return "ogg"
    return None


def find_videos(folder: str | os.PathLike, *, exclude: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Every video file under ``folder`` (recursively, by content; hidden files and folders skipped), sorted.

    ``exclude`` names folders not to enter (the batch's own output folder when it lies inside ``folder``).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"'{folder}' is not a folder; expected a folder of videos")
    skip = {Path(p).resolve() for p in exclude}
    found = []
    for current, dirs, files in os.walk(root):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip)
        found += [here / f for f in files if not f.startswith(".") and sniff_video(here / f) is not None]
    return sorted(found)


# ----------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class BatchResult:
    """What one :func:`run_batch` call did.

    Attributes
    ----------
    rows
        One summary row per video found, sorted by file (those skipped as done included).
    ran, skipped
        Relative paths of the videos analysed by this call, and of those skipped as already done.
    summary_csv
        Where the summary was written.
    """

    rows: tuple[dict[str, Any], ...]
    ran: tuple[str, ...]
    skipped: tuple[str, ...]
    summary_csv: Path

    @property
    def n_failed(self) -> int:
        """Videos whose row says ``status = "error"``."""
        return sum(row["status"] != "ok" for row in self.rows)


def run_batch(
    folder: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    config: Config = Config(),
    movement: str = "auto",
    jobs: int | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    retry_failed: bool = False,
    progress: bool = False,
) -> BatchResult:
    """Analyse every video under ``folder`` into ``out_dir`` (see the module docstring for the layout).

    Parameters
    ----------
    folder
        The folder searched recursively for videos (recognised by content).
    out_dir
        Where the per-video folders and ``summary.csv`` go (created).
    config, movement
        As for :func:`movelab.analysis.analyse`, the same for every video.
    jobs
        Parallel worker processes (default: the number of CPUs, at most the number of videos to run).
        With ``engine="dask"`` and no scheduler, the workers of the local cluster started.
    engine
        ``"local"``: a process pool on this machine. ``"dask"``: one task per video on a Dask distributed
        cluster (needs ``pip install movelab[dask]``); ``out_dir`` and ``folder`` must then be at the same
        paths on every worker (shared storage).
    scheduler
        The Dask scheduler's address (``tcp://host:8786``); None starts a local cluster. Only for dask.
    retry_failed
        Run again videos whose last run failed (by default a recorded failure counts as done).
    progress
        A progress bar over the whole batch on stderr.

    Returns
    -------
    BatchResult

    Raises
    ------
    movelab.errors.InputError
        ``folder`` is not a folder or holds no video.
    movelab.errors.ConfigError
        An engine, scheduler or job count it cannot use.
    """
    _check_options(engine=engine, scheduler=scheduler, jobs=jobs)
    root, out = Path(folder).resolve(), Path(out_dir).resolve()
    videos = find_videos(root, exclude=[out])
    if not videos:
        raise InputError(f"no video found under '{folder}' (videos are recognised by content, recursively)")
    settings = json.loads(json.dumps({"config": _config_dict(config), "movement": movement}, default=str))
    tasks = [_task(v, root, out, settings) for v in videos]
    rows = {t.rel: r for t in tasks if (r := _done_row(t, retry_failed)) is not None}
    todo = [t for t in tasks if t.rel not in rows]
    summary_csv = out / "summary.csv"
    out.mkdir(parents=True, exist_ok=True)
    bar = _bar(len(tasks), len(rows), progress)
    try:
        for row in _execute(todo, config, movement, engine=engine, scheduler=scheduler, jobs=jobs):
            rows[row["file"]] = row
            bar.update(1)
            _write_summary(summary_csv, rows.values())
    finally:
        bar.close()
    _write_summary(summary_csv, rows.values())
    ordered = tuple(rows[t.rel] for t in tasks if t.rel in rows)
    return BatchResult(
        rows=ordered,
        ran=tuple(t.rel for t in todo),
        skipped=tuple(t.rel for t in tasks if t not in todo),
        summary_csv=summary_csv,
    )


def _check_options(*, engine: str, scheduler: str | None, jobs: int | None) -> None:
    from movelab.errors import ConfigError

    if engine not in ("local", "dask"):
        raise ConfigError(f"engine must be 'local' or 'dask', got {engine!r}")
    if scheduler is not None and engine != "dask":
        raise ConfigError("a scheduler address is only used with engine 'dask' (--engine dask)")
    if jobs is not None and jobs < 1:
        raise ConfigError(f"jobs must be at least 1, got {jobs}")


def _config_dict(config: Config) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(config)


def _task(video: Path, root: Path, out: Path, settings: dict[str, Any]) -> Task:
    rel = video.relative_to(root)
    folder = out / rel.parent / rel.name.replace(".", "_")
    stat = video.stat()
    fingerprint = {"size_bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "settings": settings}
    return Task(video=str(video), rel=rel.as_posix(), folder=str(folder), fingerprint=fingerprint)


def _done_row(task: Task, retry_failed: bool) -> dict[str, Any] | None:
    """The recorded row when this video was already analysed with these settings, else None."""
    marker = Path(task.folder) / MARKER_FILE
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != task.fingerprint:
        return None
    row = data.get("row") or {}
    if row.get("status") != "ok" and retry_failed:
        return None
    return {column: row.get(column) for column in SUMMARY_COLUMNS}


def _bar(total: int, done: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=done, unit="video", desc="batch", disable=not enabled)


def _write_summary(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: r["file"]):
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in SUMMARY_COLUMNS})
    atomic_write_text(path, buffer.getvalue())


# ----------------------------------------------------------------------------- engines


def _execute(
    tasks: list[Task], config: Config, movement: str, *, engine: str, scheduler: str | None, jobs: int | None
) -> Iterator[dict[str, Any]]:
    """Rows of ``tasks`` as they finish, on the chosen engine."""
    if not tasks:
        return iter(())
    if engine == "dask":
        from movelab._batch_dask import run_on_dask

        return run_on_dask(tasks, config, movement, scheduler=scheduler, jobs=jobs)
    return _run_local(tasks, config, movement, jobs=jobs)


def _run_local(tasks: list[Task], config: Config, movement: str, *, jobs: int | None) -> Iterator[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers == 1:
        for task in tasks:
            yield analyse_one(task, config, movement)
        return
    # "spawn": MediaPipe's native threads do not survive a fork.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(analyse_one, t, config, movement): t for t in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield lost_row(futures[future], "the worker process died (out of memory, or a crash)")
