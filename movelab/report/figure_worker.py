"""The report's two large figures drawn in a child process: the one way the ``movelab`` command draws figures apart.

Importing matplotlib and loading its fonts costs a fresh ``movelab analyse`` about 0.2 s of CPU, and the timeline
and curves of a 10-minute recording about 0.65 s more, all after the analysis. On a machine with two CPUs or more
the ``movelab`` command forks a :class:`FigureWorker` before it analyses (``analyse``, ``analyse SIDE FRONT`` and
``record``, after the recording): the child imports matplotlib and draws a small figure (fonts loaded) while the
parent analyses, then waits. For each analysis written, a :class:`FigureSet` sends it what the figures show (the
angle table, the reps or cycles, the findings: pickled through a pipe, each message after its length) and the
parent goes on with the report, ``report.json`` and ``angles.csv``; the PNG bytes come back through a second pipe.
One worker draws any number of sets, one after the other (``analyse SIDE FRONT`` writes two folders).

The bytes are those :func:`movelab.report.figures.timeline_png` and :func:`~movelab.report.figures.curves_png` give
in this process (the same code on the same values; ``tests/test_report_figure_worker.py``). When the child fails in
any way (an error, a signal, a message cut short, nothing for ``timeout_s``) it is ended and this process draws
the figures itself, for this set and every later one, so the bytes and any error are those of the one-process
code. Where no worker can help (the system does not fork, the process may use one CPU, the fork is refused) the
command passes none and :class:`FigureSet` draws here.

Meant for the ``movelab`` command only, not for the library's callers: a notebook's or a server's other threads
may hold locks the child would need.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
from types import SimpleNamespace

__all__ = ["FigureWorker", "FigureSet"]

#: Bytes of a message's length header.
_HEADER = 8


class FigureSet:
    """The timeline and curves PNG bytes of one analysis: from ``worker`` when one is given and answers (the
    figures it was asked for early by :meth:`FigureWorker.on_stage`, or asked for now), else drawn here when first
    asked for."""

    def __init__(self, angles, segmentation, findings, *, worker: FigureWorker | None) -> None:
        self._inputs = {
            "timeline": (angles, _spans_only(segmentation), list(findings or ())),
            "curves": (angles, _spans_only(segmentation)),
        }
        self._worker = worker
        self._jobs: dict[str, int | None] = {}
        if worker is not None:
            self._jobs = {
                "curves": worker.job("curves", angles, segmentation),
                "timeline": worker.job("timeline", angles, segmentation, findings),
            }
        self._pngs: dict[str, bytes | None] = {}

    def timeline(self) -> bytes:
        return self._png("timeline")

    def curves(self) -> bytes | None:
        return self._png("curves")

    def close(self) -> None:
        """Take the worker's answers, if any are awaited (kept for :meth:`timeline` and :meth:`curves`)."""
        for kind, job in self._jobs.items():
            if kind not in self._pngs and job is not None:
                answer = self._worker.result(job)
                if answer is not _FAILED:
                    self._pngs[kind] = answer
        self._jobs = {}

    def _png(self, kind: str) -> bytes | None:
        self.close()
        if kind not in self._pngs:  # no worker, or it failed: drawn here
            self._pngs[kind] = _draw(kind, *self._inputs[kind])
        return self._pngs[kind]


class FigureWorker:
    """A forked child that has loaded matplotlib and draws each figure it is asked for, in turn (:class:`FigureSet`).

    Use it as a context manager (or call :meth:`close`): the child is ended however the block ends.
    """

    def __init__(self, *, timeout_s: float = 60.0) -> None:
        self._timeout_s = timeout_s
        self._pid: int | None = None
        self._send: int | None = None
        self._receive: int | None = None
        self._sent: list[tuple[str, tuple]] = []  # each job's figure and the objects it shows, by job number
        self._answers: dict[int, bytes | None] = {}  # answers read, not yet taken
        self._read = 0  # answers read so far (the child answers in the order asked)
        self._unfreeze = False

    @classmethod
    def start(cls, *, force: bool = False, timeout_s: float = 60.0) -> FigureWorker | None:
        """A started worker, or None where it cannot gain time: the system does not fork (or refuses to), or this
        process may use one CPU only (``force``: whenever the system forks). The load average does not matter:
        forked before the landmarks are read, the worker shares little memory with this process, and on a machine
        with no CPU free (load 9-11) the whole warm 10-minute run took no more CPU with it than without
        (docs/pose-accuracy.md, Speed)."""
        if not hasattr(os, "fork") or not (force or _cpus() > 1):
            return None
        worker = cls(timeout_s=timeout_s)
        return worker if worker._fork() else None

    @property
    def alive(self) -> bool:
        """True until the child has ended (closed, failed or killed)."""
        return self._pid is not None

    def on_stage(self, stage: str, motion, segmentation, findings=None) -> None:
        """The analysis's hook (:func:`movelab.analysis.analyse`'s ``on_stage``): the curves are asked for once the
        reps are found (``"segmented"``), the timeline once the findings are (``"found"``), so that the child draws
        them while this process goes on with the analysis; :class:`FigureSet` takes them."""
        if stage == "segmented":
            self.job("curves", motion.angles, segmentation)
        elif stage == "found":
            self.job("timeline", motion.angles, segmentation, findings)

    def job(self, kind: str, *shown) -> int | None:
        """The number of the job drawing figure ``kind`` (``"timeline"``, ``"curves"``) of ``shown`` (the angle
        table, the segmentation, and for the timeline the findings): the one asked for before with these very
        objects, else a new one; None when the child has ended or cannot be sent them (it is then ended)."""
        for number, (sent_kind, sent) in enumerate(self._sent):
            if sent_kind == kind and len(sent) == len(shown) and all(a is b for a, b in zip(sent, shown)):
                return number
        if self._pid is None:
            return None
        inputs = (shown[0], _spans_only(shown[1]), *([list(shown[2] or ())] if kind == "timeline" else []))
        try:
            _write_message(self._send, pickle.dumps((kind, inputs), protocol=pickle.HIGHEST_PROTOCOL), self._timeout_s)
        except Exception:  # unpicklable, the child gone or stuck: this process draws them
            self._end()
            return None
        self._sent.append((kind, shown))
        return len(self._sent) - 1

    def result(self, number: int):
        """Job ``number``'s PNG bytes (None: no figure to draw), or :data:`_FAILED` when the child failed (it is
        then ended)."""
        while number not in self._answers and self._pid is not None and self._read <= number:
            try:
                self._answers[self._read] = pickle.loads(_read_message(self._receive, self._timeout_s))
            except Exception:  # an error or signal in the child, a message cut short, nothing for timeout_s
                self._end()
                break
            self._read += 1
        return self._answers.get(number, _FAILED)

    def close(self) -> None:
        """End the child (at once: it holds nothing this process needs)."""
        self._end()

    def __enter__(self) -> FigureWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _fork(self) -> bool:
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        # this moment's objects left out of garbage collection until the worker is ended: a collection writes to
        # every object's header, and each page written is copied from the memory the two processes share
        self._unfreeze = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:  # no process to spare
            for fd in (request_r, request_w, reply_r, reply_w):
                os.close(fd)
            self._thaw()
            return False
        if pid == 0:  # the child: matplotlib now, each figure when asked, then leave at once
            os.close(request_w)
            os.close(reply_r)
            code = 1
            try:
                _serve(request_r, reply_w)
                code = 0
            finally:
                os._exit(code)
        os.close(request_r)
        os.close(reply_w)
        os.set_blocking(request_w, False)  # a send waits at most timeout_s for a child that does not read
        self._pid, self._send, self._receive = pid, request_w, reply_r
        return True

    def _end(self) -> None:
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        for fd in (self._send, self._receive):
            os.close(fd)
        self._send = self._receive = None
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        self._thaw()

    def _thaw(self) -> None:
        if self._unfreeze:
            self._unfreeze = False
            gc.unfreeze()


#: What :meth:`FigureWorker.result` gives for a figure the child did not draw.
_FAILED = object()


def _cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _serve(request_fd: int, reply_fd: int) -> None:
    """The child's loop: load matplotlib and its fonts, then draw each set of figures sent until the end."""
    _warm_up()
    while True:
        try:
            request = _read_message(request_fd, None)
        except EOFError:  # the parent is gone
            return
        kind, inputs = pickle.loads(request)
        _write_message(reply_fd, pickle.dumps(_draw(kind, *inputs), protocol=pickle.HIGHEST_PROTOCOL), None)


def _write_message(fd: int, data: bytes, timeout_s: float | None) -> None:
    """``data`` after its length; TimeoutError when the reader takes none of it for ``timeout_s`` (None: wait)."""
    view = memoryview(len(data).to_bytes(_HEADER, "little") + data)
    while view:
        if timeout_s is not None and not select.select([], [fd], [], timeout_s)[1]:
            raise TimeoutError(f"no byte read by the other process in {timeout_s} s")
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            continue


def _read_message(fd: int, timeout_s: float | None) -> bytes:
    """The next message (its length first); EOFError when the writer ended before a whole message, TimeoutError
    when no byte arrives for ``timeout_s`` (None: wait)."""
    length = int.from_bytes(_read_exactly(fd, _HEADER, timeout_s), "little")
    return _read_exactly(fd, length, timeout_s)


def _read_exactly(fd: int, n: int, timeout_s: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if timeout_s is not None and not select.select([fd], [], [], timeout_s)[0]:
            raise TimeoutError(f"no byte from the other process in {timeout_s} s")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError(f"the other process ended after {n - left} of {n} bytes")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


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


def _draw(kind: str, *inputs) -> bytes | None:
    """Figure ``kind``'s PNG bytes: ``"timeline"`` of (angles, segmentation, findings), ``"curves"`` of (angles,
    segmentation)."""
    from movelab.report.figures import curves_png, timeline_png

    return timeline_png(*inputs) if kind == "timeline" else curves_png(*inputs)
