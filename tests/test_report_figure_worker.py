"""The report's timeline and curves drawn in a child process (movelab.report.figure_worker), the one way the
``movelab`` command draws figures apart: the child's bytes are those the figure functions give in this process,
one worker serves every analysis a command writes (``analyse``, ``analyse SIDE FRONT``, ``record``), and this
process draws the figures itself whenever the child fails or no child can be had (one CPU, no fork)."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
import signal
import threading
import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

import movelab.report.figure_worker as worker_module  # noqa: E402
from movelab.report import OUTPUT_FILES, write_outputs  # noqa: E402
from movelab.report.figure_worker import FigureSet, FigureWorker  # noqa: E402
from movelab.report.figures import curves_png, timeline_png  # noqa: E402


@pytest.fixture
def drawn_here(monkeypatch):
    """The pids of every figure drawing seen by this process: a child's drawing is not seen (its list is its own
    copy), so an empty list after a write means the child drew the figures. Set before a worker is forked."""
    calls = []
    real_draw = worker_module._draw

    def draw(*args):
        calls.append(os.getpid())
        return real_draw(*args)

    monkeypatch.setattr(worker_module, "_draw", draw)
    return calls


def _other_analysis():
    """The synthetic squats with the trunk 10 degrees further forward: a different timeline and curves."""
    first = synthetic_analysis()
    return dataclasses.replace(first, angles=first.angles.assign(trunk_lean=first.angles["trunk_lean"] + 10.0))


#: the figures drawn in this process, by what they show: most tests check the same two synthetic analyses
_drawn_here: dict[bytes, tuple[bytes, bytes | None]] = {}


def _figures_here(analysis) -> tuple[bytes, bytes | None]:
    """The timeline and curves the figure functions draw of ``analysis`` in this process, drawn once per content
    (the pickled values the worker would be sent: equal bytes, equal values, the same figures)."""
    shown = (analysis.angles, worker_module._spans_only(analysis.segmentation), list(analysis.findings or ()))
    key = hashlib.sha256(pickle.dumps(shown, protocol=pickle.HIGHEST_PROTOCOL)).digest()
    if key not in _drawn_here:
        _drawn_here[key] = (
            timeline_png(analysis.angles, analysis.segmentation, analysis.findings),
            curves_png(analysis.angles, analysis.segmentation),
        )
    return _drawn_here[key]


def _assert_figures_of(analysis, folder):
    """timeline.png is the figure function's own bytes in this process, and report.html holds the curves it draws."""
    import base64

    timeline, curves = _figures_here(analysis)
    assert (folder / "timeline.png").read_bytes() == timeline
    assert curves is not None and base64.b64encode(curves).decode() in (folder / "report.html").read_text()


def _same_files(a_dir, b_dir):
    assert sorted(p.name for p in a_dir.iterdir()) == sorted(p.name for p in b_dir.iterdir())
    for name in OUTPUT_FILES[:4]:
        assert (a_dir / name).read_bytes() == (b_dir / name).read_bytes(), name


def test_the_child_draws_the_figures_this_process_would(tmp_path, drawn_here):
    analysis = synthetic_analysis()
    with FigureWorker.start(force=True) as worker:
        files = write_outputs(analysis, tmp_path / "worker", figure_worker=worker)
        assert worker.alive  # waiting for the next set
    assert drawn_here == []  # the child drew them
    assert [f.name for f in files] == list(OUTPUT_FILES[:4])
    _assert_figures_of(analysis, tmp_path / "worker")
    write_outputs(analysis, tmp_path / "here")
    assert drawn_here == [os.getpid()] * 2  # the timeline and the curves
    _same_files(tmp_path / "here", tmp_path / "worker")


def test_one_worker_draws_each_analysis_in_turn(tmp_path, drawn_here):
    first, second = synthetic_analysis(), _other_analysis()
    with FigureWorker.start(force=True) as worker:
        write_outputs(first, tmp_path / "first", figure_worker=worker)
        write_outputs(second, tmp_path / "second", figure_worker=worker)
    assert drawn_here == []
    _assert_figures_of(first, tmp_path / "first")
    _assert_figures_of(second, tmp_path / "second")
    assert (tmp_path / "first" / "timeline.png").read_bytes() != (tmp_path / "second" / "timeline.png").read_bytes()


def test_figures_asked_for_at_each_stage_are_the_ones_the_report_takes(tmp_path, drawn_here):
    """The analysis's hook asks for the curves once the reps are found and the timeline once the findings are;
    writing the report then sends nothing more and takes those bytes."""
    from types import SimpleNamespace

    analysis = synthetic_analysis()
    motion = SimpleNamespace(angles=analysis.angles)
    with FigureWorker.start(force=True) as worker:
        worker.on_stage("segmented", motion, analysis.segmentation)
        worker.on_stage("found", motion, analysis.segmentation, analysis.findings)
        assert [kind for kind, _ in worker._sent] == ["curves", "timeline"]
        write_outputs(analysis, tmp_path / "out", figure_worker=worker)
        assert len(worker._sent) == 2
    assert drawn_here == []
    _assert_figures_of(analysis, tmp_path / "out")


def test_the_analysis_tells_each_stage_the_objects_it_returns():
    """``on_stage`` is given the very segmentation and findings the Analysis holds (the figure worker finds its
    early jobs by them), in order: segmented, then found."""
    from test_events import figure, squat_motion

    from movelab.analysis import analyse_landmarks

    t, hip, ankles, lean, _ = squat_motion()
    told = []
    analysis = analyse_landmarks(figure(t, hip=hip, ankles=ankles, lean_deg=lean), on_stage=lambda *a: told.append(a))
    assert [call[0] for call in told] == ["segmented", "found"]
    assert told[0][1] is analysis.motion and told[0][2] is analysis.segmentation
    assert told[1][2] is analysis.segmentation and told[1][3] is analysis.findings
    assert told[0][1].angles is analysis.angles


def test_a_squat_set_drawn_at_its_stages_needs_no_figure_asked_again(tmp_path, drawn_here):
    """``analyse_squat_set`` tells each clip's stages; the two analyses it returns (their FMS score replaced) still
    show the objects told, so writing both reports takes the four figures drawn early and asks for none."""
    import warnings

    from test_fms_posture import GOOD, projected_landmarks

    from movelab.analysis import analyse_squat_set
    from movelab.synth import Squat, render_clip

    squat = Squat(**GOOD)
    side, front = (projected_landmarks(render_clip(squat, view=v, fps=15)) for v in ("side_right", "front"))
    with FigureWorker.start(force=True) as worker, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first, second = analyse_squat_set(side, front, on_stage=worker.on_stage)
        assert [kind for kind, _ in worker._sent] == ["curves", "timeline"] * 2
        write_outputs(first, tmp_path / "side", figure_worker=worker)
        write_outputs(second, tmp_path / "front", figure_worker=worker)
        assert len(worker._sent) == 4
    assert drawn_here == []
    _assert_figures_of(first, tmp_path / "side")
    _assert_figures_of(second, tmp_path / "front")


def test_a_worker_killed_leaves_this_and_every_later_set_to_this_process(tmp_path, drawn_here):
    analysis = synthetic_analysis()
    worker = FigureWorker.start(force=True)
    os.kill(worker._pid, signal.SIGKILL)
    write_outputs(analysis, tmp_path / "first", figure_worker=worker)
    assert drawn_here == [os.getpid()] * 2 and not worker.alive
    write_outputs(analysis, tmp_path / "second", figure_worker=worker)
    assert drawn_here == [os.getpid()] * 4
    _assert_figures_of(analysis, tmp_path / "first")
    _same_files(tmp_path / "first", tmp_path / "second")


def test_a_worker_killed_while_drawing_leaves_the_figures_to_this_process(tmp_path, monkeypatch):
    """The child dies after it read a figure's inputs (a message never answered): this process draws the same
    bytes."""
    parent = os.getpid()
    real_draw = worker_module._draw

    def draw(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_draw(*args)

    monkeypatch.setattr(worker_module, "_draw", draw)
    analysis = synthetic_analysis()
    with FigureWorker.start(force=True) as worker:
        write_outputs(analysis, tmp_path / "out", figure_worker=worker)
    _assert_figures_of(analysis, tmp_path / "out")


def test_an_error_in_the_worker_is_raised_here_and_nothing_is_written(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(worker_module, "_draw", broken)
    with FigureWorker.start(force=True) as worker:
        with pytest.raises(RuntimeError, match="no fonts"):
            write_outputs(synthetic_analysis(), tmp_path / "out", figure_worker=worker)
    assert not (tmp_path / "out").exists()


def test_a_worker_stuck_is_ended_after_the_timeout_and_the_figures_drawn_here(tmp_path, monkeypatch):
    """A child that never answers (as one stuck on a lock another thread held at the fork would) is ended after
    ``timeout_s`` without a byte, and this process draws the figures."""
    parent = os.getpid()
    real_draw = worker_module._draw

    def draw(*args):
        if os.getpid() != parent:
            time.sleep(60)
        return real_draw(*args)

    monkeypatch.setattr(worker_module, "_draw", draw)
    analysis = synthetic_analysis()
    started = time.monotonic()
    with FigureWorker.start(force=True, timeout_s=1.0) as worker:
        write_outputs(analysis, tmp_path / "out", figure_worker=worker)
        assert not worker.alive
    assert time.monotonic() - started < 30
    _assert_figures_of(analysis, tmp_path / "out")


def test_a_worker_never_used_is_ended_at_once():
    frozen = gc.get_freeze_count()
    worker = FigureWorker.start(force=True)
    assert gc.get_freeze_count() > frozen  # this moment's objects out of collection while the child lives
    pid = worker._pid
    start = time.perf_counter()
    worker.close()
    assert time.perf_counter() - start < 5.0
    assert gc.get_freeze_count() == frozen
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def test_messages_many_times_a_pipes_buffer_arrive_whole():
    read_end, write_end = os.pipe()
    data = bytes(range(256)) * 8192  # 2 MB
    got = []
    reader = threading.Thread(target=lambda: got.append(worker_module._read_message(read_end, 10.0)))
    reader.start()
    worker_module._write_message(write_end, data, 10.0)
    worker_module._write_message(write_end, b"next", 10.0)
    reader.join()
    assert got == [data] and worker_module._read_message(read_end, 10.0) == b"next"
    os.close(write_end)
    with pytest.raises(EOFError):
        worker_module._read_message(read_end, 10.0)
    os.close(read_end)


def test_no_worker_on_one_cpu(monkeypatch):
    monkeypatch.setattr(worker_module, "_cpus", lambda: 1)
    assert FigureWorker.start() is None
    monkeypatch.setattr(worker_module, "_cpus", lambda: 2)
    worker = FigureWorker.start()
    assert worker is not None and worker.alive
    worker.close()


def test_no_worker_where_the_system_does_not_fork(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert FigureWorker.start(force=True) is None


def test_no_worker_when_the_fork_is_refused(monkeypatch):
    def refused():
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    frozen = gc.get_freeze_count()
    assert FigureWorker.start(force=True) is None
    assert gc.get_freeze_count() == frozen


def test_without_a_worker_the_figures_are_drawn_here_once_when_asked(drawn_here):
    analysis = synthetic_analysis()
    figures = FigureSet(analysis.angles, analysis.segmentation, analysis.findings, worker=None)
    assert drawn_here == []
    assert figures.timeline() == timeline_png(analysis.angles, analysis.segmentation, analysis.findings)
    assert figures.curves() == curves_png(analysis.angles, analysis.segmentation)
    assert figures.timeline() and drawn_here == [os.getpid()] * 2  # each drawn once


# The command's wiring: each command that writes a report starts one worker before it analyses and hands it to
# every write; with no worker to be had it writes the same files.


@pytest.fixture
def started(monkeypatch):
    """The workers the command starts (forced, so that the test does not depend on this machine's CPUs)."""
    workers = []
    real_start = FigureWorker.start.__func__

    def start(cls, **kwargs):
        worker = real_start(cls, **{**kwargs, "force": True})
        workers.append(worker)
        return worker

    monkeypatch.setattr(FigureWorker, "start", classmethod(start))
    return workers


@pytest.fixture
def analyses(monkeypatch, tmp_path):
    """The analyses the commands make, stood in by the synthetic squats (the second clip's: another set)."""
    import movelab.analysis
    import movelab.app.record

    first, second = synthetic_analysis(), _other_analysis()
    hooks = []  # the on_stage each analysis was given
    monkeypatch.setattr(movelab.analysis, "analyse", lambda *args, **kwargs: hooks.append(kwargs["on_stage"]) or first)
    monkeypatch.setattr(
        movelab.analysis,
        "analyse_squat_set",
        lambda *args, **kwargs: hooks.append(kwargs["on_stage"]) or (first, second),
    )
    monkeypatch.setattr(movelab.app.record, "record", lambda *args, **kwargs: tmp_path / "recording.mp4")
    return first, second, hooks


COMMANDS = {
    "analyse": ["analyse", "clip.mp4"],
    "analyse SIDE FRONT": ["analyse", "side.mp4", "front.mp4", "--movement", "squat"],
    "record": ["record", "0", "--no-preview"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_figures_drawn_by_one_worker(command, tmp_path, analyses, started, drawn_here):
    from movelab.cli import main

    out = tmp_path / "out"
    assert main([*COMMANDS[command], "--out", str(out), "--quiet"]) == 0
    assert len(started) == 1 and not started[0].alive  # one worker, ended when the command returned
    assert analyses[2] == [started[0].on_stage]  # told of each stage as the analysis went
    assert drawn_here == []  # every figure came from it
    _assert_figures_of(analyses[0], out)
    if command == "analyse SIDE FRONT":
        _assert_figures_of(analyses[1], out / "front")


@pytest.mark.parametrize(
    ("command", "why"), [("analyse", "one CPU"), ("analyse SIDE FRONT", "no fork"), ("record", "one CPU")]
)
def test_each_command_without_a_worker_draws_the_same_figures_here(
    command, why, tmp_path, analyses, monkeypatch, drawn_here
):
    from movelab.cli import main

    if why == "one CPU":
        monkeypatch.setattr(worker_module, "_cpus", lambda: 1)
    else:
        monkeypatch.delattr(os, "fork")
    out = tmp_path / "out"
    assert main([*COMMANDS[command], "--out", str(out), "--quiet"]) == 0
    assert drawn_here == [os.getpid()] * (4 if command == "analyse SIDE FRONT" else 2)
    assert analyses[2] == [None]
    _assert_figures_of(analyses[0], out)
    if command == "analyse SIDE FRONT":
        _assert_figures_of(analyses[1], out / "front")
