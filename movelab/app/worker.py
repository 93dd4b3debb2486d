"""The analysis worker: a process beside the server that takes queued analyses from SQLite and runs them.

Each job runs :func:`movelab.analysis.analyse` on the stored video (progress = the pose model's frames
over the container's declared frame count, 0-90 %), then :func:`movelab.report.write_outputs` with the
overlay (faces blurred) into the session folder (90-100 %). A :class:`movelab.errors.MovelabError`
fails the job with its one-line message; anything else fails it with the exception's type and is logged
with the analysis id only. A worker whose server died stops at its next frame; the next server start puts
the job back in the queue (:func:`movelab.app.db.requeue_interrupted`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import time
import traceback
from pathlib import Path

from movelab.app import db as appdb
from movelab.app.storage import DataDir

__all__ = ["run_worker", "run_job", "parse_person"]

log = logging.getLogger("movelab.app.worker")
_POSE_SHARE = 90.0
_PROGRESS_EVERY_S = 0.5


class _ServerGone(Exception):
    """The process that started this worker is gone."""


def run_worker(data_root: str, *, parent_pid: int, poll_s: float = 0.3) -> None:
    """Loop: take the oldest queued analysis, run it, repeat; return when the server is gone."""
    logging.basicConfig(level=logging.INFO, format="movelab worker %(process)d: %(message)s")
    data = DataDir(Path(data_root))
    database = appdb.connect(data.database)
    while os.getppid() == parent_pid:
        job = appdb.claim_next(database, worker_pid=os.getpid())
        if job is None:
            time.sleep(poll_s)
            continue
        try:
            run_job(database, data, job, parent_pid=parent_pid)
        except _ServerGone:
            return


def run_job(database, data: DataDir, job: appdb.Analysis, *, parent_pid: int | None = None) -> None:
    """Analyse one job's video into its session folder and record the outcome."""
    from movelab.errors import MovelabError

    log.info("analysis %s started (attempt %d)", job.id, job.attempts)
    reporter = _Reporter(database, job.id, parent_pid)
    try:
        analysis = _analyse(database, data, job, reporter)
        appdb.set_progress(database, job.id, _POSE_SHARE)
        _write(data, job.id, analysis)
    except _ServerGone:
        raise
    except MovelabError as err:
        reason = str(err).replace(str(data.root / "videos" / job.video_file), "the video")
        appdb.fail(database, job.id, reason.splitlines()[0])
        log.info("analysis %s failed: %s", job.id, type(err).__name__)
        return
    except Exception as err:  # noqa: BLE001 - any crash fails this job, not the worker
        appdb.fail(database, job.id, f"internal error ({type(err).__name__}); the server log has details")
        log.error("analysis %s crashed:\n%s", job.id, traceback.format_exc())
        return
    if appdb.get_analysis(database, job.id) is None:  # deleted while it ran: keep nothing of it
        data.remove(job.id, job.video_file)
        log.info("analysis %s was deleted while running; outputs removed", job.id)
        return
    report = analysis.to_report()
    reps = report.get("reps")
    appdb.finish(database, job.id, movement=report.get("movement"), reps=len(reps) if isinstance(reps, list) else None)
    log.info("analysis %s done", job.id)


def _analyse(database, data: DataDir, job: appdb.Analysis, reporter):
    from movelab.analysis import analyse
    from movelab.config import Config

    client = appdb.get_client(database, job.client_id) if job.client_id is not None else None
    config = Config()
    if job.person:
        config = dataclasses.replace(
            config, extract=dataclasses.replace(config.extract, person=parse_person(job.person))
        )
    if client is not None and client.sex:
        config = dataclasses.replace(config, findings=dataclasses.replace(config.findings, sex=client.sex))
    # use_cache=False: the landmark cache lives outside the data folder; a client's data stays inside it
    return analyse(
        data.root / "videos" / job.video_file,
        movement=job.movement_requested,
        config=config,
        use_cache=False,
        progress=reporter,
    )


def _write(data: DataDir, analysis_id: str, analysis) -> None:
    from movelab.report import write_outputs

    out = data.session(analysis_id)
    shutil.rmtree(out, ignore_errors=True)  # a re-run starts clean
    write_outputs(analysis, out, overlay=True, blur_faces=True)


def parse_person(text: str) -> int | tuple[float, float]:
    """``"1"`` (index in the automatic ranking) or ``"320,240"`` (a point, pixels; finite, not negative).

    Raises
    ------
    ValueError
        Anything else.
    """
    import math

    text = text.strip()
    if "," in text:
        x, y = (float(v) for v in text.split(","))
        if not (math.isfinite(x) and math.isfinite(y) and x >= 0 and y >= 0):
            raise ValueError(text)
        return (x, y)
    index = int(text)
    if not 0 <= index < 10:
        raise ValueError(text)
    return index


class _Reporter:
    """The pose model's progress into the database (at most every 0.5 s), and a check that the server lives."""

    def __init__(self, database, analysis_id: str, parent_pid: int | None) -> None:
        self.database, self.analysis_id, self.parent_pid = database, analysis_id, parent_pid
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            raise _ServerGone()
        now = time.monotonic()
        if now - self.last < _PROGRESS_EVERY_S:
            return
        self.last = now
        share = min(done / total, 1.0) if total else 0.0
        appdb.set_progress(self.database, self.analysis_id, _POSE_SHARE * share)
