"""The report's two large figures drawn by a process forked before the analysis, which loads matplotlib meanwhile.

Importing matplotlib and loading its fonts costs a fresh ``movelab analyse`` about 0.2 s of CPU, and the timeline
and curves of a 10-minute recording about 0.65 s more, all after the analysis. On a machine with two CPUs or more
the ``movelab`` command forks a :class:`FigureWorker` before it analyses: the child imports matplotlib and draws a
small figure (fonts loaded) while the parent analyses, then waits. A :class:`FigureSet` made after the analysis
sends it what the figures show (the angle table, the reps or cycles, the findings: pickled through a pipe), and the
parent goes on with the report, ``report.json`` and ``angles.csv``; the PNG bytes come back through a second pipe.
They are the bytes :func:`movelab.report.figures.timeline_png` and :func:`~movelab.report.figures.curves_png` give
in this process (the same code on the same values; ``tests/test_report_figure_worker.py``), and when the child
fails in any way (an error, a signal, a pipe cut short, nothing for ``timeout_s``) this process draws them itself.

Meant for the ``movelab`` command only (as :class:`movelab.io.outputs.BytesApart`): a notebook's or a server's
other threads may hold locks the child would need.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from types import SimpleNamespace

from movelab.io.outputs import read_until_closed

__all__ = ["FigureWorker", "FigureSet"]


class FigureSet:
    """The timeline and curves PNG bytes of one analysis, from the worker or drawn here."""

    def __init__(self, angles, segmentation, findings, *, worker: FigureWorker | None) -> None:
        self._inputs = (angles, _spans_only(segmentation), list(findings or ()))
        self._pngs: tuple[bytes, bytes | None] | None = None
        self._worker = worker
        if worker is not None and not worker.send(self._inputs):
            self._worker = None

    def timeline(self) -> bytes:
        return self._result()[0]

    def curves(self) -> bytes | None:
        return self._result()[1]

    def close(self) -> None:
        """Wait for the worker (its bytes are kept for :meth:`timeline` and :meth:`curves`)."""
        if self._worker is not None:
            worker, self._worker = self._worker, None
            self._pngs = worker.receive()

    def _result(self) -> tuple[bytes, bytes | None]:
        self.close()
        if self._pngs is None:
            self._pngs = _draw(*self._inputs)
        return self._pngs


class FigureWorker:
    """A forked child that has loaded matplotlib and waits for one set of figures to draw (:class:`FigureSet`)."""

    def __init__(self, *, timeout_s: float = 60.0) -> None:
        self._timeout_s = timeout_s
        self._pid: int | None = None
        self._send: int | None = None
        self._receive: int | None = None
        self._unfreeze = False

    @classmethod
    def start(cls, *, force: bool = False, timeout_s: float = 60.0) -> FigureWorker | None:
        """A started worker, or None where it cannot gain time: the system does not fork, or this process may use
        one CPU only (``force``: whenever the system forks). Unlike the late fork of
        :class:`movelab.io.outputs.BytesApart`, the load does not matter: forked before the landmarks are read,
        the worker shares little memory with this process, and on a machine with no CPU free (load 9-11) the
        whole warm 10-minute run took no more CPU with it than without (docs/pose-accuracy.md, Speed)."""
        if not hasattr(os, "fork") or not (force or _cpus() > 1):
            return None
        worker = cls(timeout_s=timeout_s)
        return worker if worker._fork() else None

    def _fork(self) -> bool:
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        # this moment's objects left out of garbage collection until the figures are back: a collection writes to
        # every object's header, and each page written is copied from the memory the two processes share
        self._unfreeze = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            for fd in (request_r, request_w, reply_r, reply_w):
                os.close(fd)
            self._thaw()
            return False
        if pid == 0:  # the child: matplotlib now, the figures when asked, then leave at once
            os.close(request_w)
            os.close(reply_r)
            code = 1
            try:
                _child(request_r, reply_w)
                code = 0
            finally:
                os._exit(code)
        os.close(request_r)
        os.close(reply_w)
        self._pid, self._send, self._receive = pid, request_w, reply_r
        return True

    def send(self, inputs) -> bool:
        """Hand the child what the figures show; False (and the child ended) when that fails."""
        try:
            data = pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._send, "wb") as pipe:
                pipe.write(len(data).to_bytes(8, "little") + data)
            return True
        except Exception:  # unpicklable, or the child gone: this process draws them
            self.receive()
            return False
        finally:
            self._send = None

    def receive(self) -> tuple[bytes, bytes | None] | None:
        """The child's PNG bytes, or None when it failed; the child is waited for."""
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        if self._send is not None:  # never given figures (this process failed first): no need to wait for it
            os.close(self._send)
            self._send = None
            os.kill(pid, signal.SIGKILL)
        data = read_until_closed(self._receive, timeout_s=self._timeout_s)
        if data is None:  # stuck: this process draws the figures
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        self._thaw()
        whole = data is not None and len(data) >= 8 and int.from_bytes(data[:8], "little") == len(data) - 8
        if os.waitstatus_to_exitcode(status) != 0 or not whole:
            return None
        try:
            return pickle.loads(data[8:])
        except Exception:
            return None

    def close(self) -> None:
        """End the child if it was never given figures to draw."""
        self.receive()

    def _thaw(self) -> None:
        if self._unfreeze:
            self._unfreeze = False
            gc.unfreeze()


def _cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _child(request_fd: int, reply_fd: int) -> None:
    """Load matplotlib and its fonts, wait for the inputs, draw, reply."""
    _warm_up()
    request = read_until_closed(request_fd, timeout_s=24 * 3600.0)
    if not request or len(request) < 8 or int.from_bytes(request[:8], "little") != len(request) - 8:
        raise SystemExit(1)  # the parent sent nothing (it failed, or draws itself)
    pngs = _draw(*pickle.loads(request[8:]))
    data = pickle.dumps(pngs, protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(reply_fd, "wb") as pipe:
        pipe.write(len(data).to_bytes(8, "little") + data)


def _warm_up() -> None:
    """matplotlib's modules, the Agg canvas and the default font loaded: what every report figure needs first."""
    from matplotlib.figure import Figure

    from movelab.report.figures import figure_png

    fig = Figure(figsize=(1.0, 1.0))
    fig.text(0.5, 0.5, "0.5°")
    figure_png(fig, dpi=20)


def _spans_only(segmentation):
    """What the two figures read of a segmentation: its movement and its reps or cycles."""
    return SimpleNamespace(
        movement=getattr(segmentation, "movement", "unknown"),
        reps=getattr(segmentation, "reps", None),
        cycles=getattr(segmentation, "cycles", None),
    )


def _draw(angles, segmentation, findings) -> tuple[bytes, bytes | None]:
    from movelab.report.figures import curves_png, timeline_png

    return timeline_png(angles, segmentation, findings), curves_png(angles, segmentation)
