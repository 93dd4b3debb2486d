"""The report's timeline and curves drawn by a worker forked before the analysis (movelab.report.figure_worker):
the same files as drawn in this process, and this process draws them itself whenever the worker fails."""

from __future__ import annotations

import os
import signal
import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

import movelab.report.figure_worker as worker_module  # noqa: E402
from movelab.report import OUTPUT_FILES, write_outputs  # noqa: E402
from movelab.report.figure_worker import FigureWorker  # noqa: E402


def _same_files(a_dir, b_dir):
    names = list(OUTPUT_FILES[:4])
    assert sorted(p.name for p in a_dir.iterdir()) == sorted(p.name for p in b_dir.iterdir())
    for name in names:
        assert (a_dir / name).read_bytes() == (b_dir / name).read_bytes(), name


def test_the_worker_draws_the_same_files(tmp_path):
    analysis = synthetic_analysis()
    write_outputs(analysis, tmp_path / "here")
    worker = FigureWorker.start(force=True)
    assert worker is not None
    files = write_outputs(analysis, tmp_path / "worker", figure_worker=worker)
    assert [f.name for f in files] == list(OUTPUT_FILES[:4])
    assert worker._pid is None  # waited for
    _same_files(tmp_path / "here", tmp_path / "worker")


def test_a_worker_killed_leaves_the_figures_to_this_process(tmp_path, monkeypatch):
    analysis = synthetic_analysis()
    write_outputs(analysis, tmp_path / "here")
    drawn_here = []
    real_draw = worker_module._draw

    def draw(*args):
        drawn_here.append(os.getpid())
        return real_draw(*args)

    monkeypatch.setattr(worker_module, "_draw", draw)
    worker = FigureWorker.start(force=True)
    os.kill(worker._pid, signal.SIGKILL)
    write_outputs(analysis, tmp_path / "worker", figure_worker=worker)
    assert drawn_here == [os.getpid()]  # drawn here, once
    _same_files(tmp_path / "here", tmp_path / "worker")


def test_an_error_in_the_worker_is_raised_here_and_nothing_is_written(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(worker_module, "_draw", broken)
    worker = FigureWorker.start(force=True)
    with pytest.raises(RuntimeError, match="no fonts"):
        write_outputs(synthetic_analysis(), tmp_path / "out", figure_worker=worker)
    assert not (tmp_path / "out").exists()


def test_a_worker_never_used_is_ended_at_once():
    worker = FigureWorker.start(force=True)
    pid = worker._pid
    start = time.perf_counter()
    worker.close()
    assert time.perf_counter() - start < 5.0
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def test_no_worker_on_one_cpu(monkeypatch):
    monkeypatch.setattr(worker_module, "_cpus", lambda: 1)
    assert FigureWorker.start() is None
    monkeypatch.setattr(worker_module, "_cpus", lambda: 2)
    worker = FigureWorker.start()
    assert worker is not None
    worker.close()
