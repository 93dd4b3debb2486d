"""Writing result files atomically: all of a run's files appear together, or none do; and making one file's bytes
in a forked process while this one makes the others."""

from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["write_outputs", "write_json", "BytesApart", "can_work_apart", "read_until_closed"]


def write_json(data: Any, path: str | os.PathLike) -> None:
    """Write ``data`` as indented JSON (UTF-8) to ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, allow_nan=False, default=_json_default)
        handle.write("\n")


def _json_default(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_outputs(out_dir: str | os.PathLike, writers: Mapping[str, Callable[[Path], Any]]) -> list[Path]:
    """Run each ``writer(path)`` into a staging folder, then move every file into ``out_dir``.

    If any writer fails, nothing is moved, the staging folder is removed, and ``out_dir`` is not
    created. Each file is moved with ``os.replace`` (atomic on one file system), so a reader never sees
    a half-written file.
    """
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=parent))
    try:
        for name, writer in writers.items():
            writer(staging / name)
        out_dir.mkdir(exist_ok=True)
        moved = []
        for name in writers:
            os.replace(staging / name, out_dir / name)
            moved.append(out_dir / name)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_until_closed(fd: int, *, timeout_s: float) -> bytes | None:
    """Everything written to pipe ``fd`` until its writer closes it (the fd is closed after); None when no byte
    arrives for ``timeout_s``."""
    chunks = []
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while True:
            ready, _, _ = select.select([pipe], [], [], timeout_s)
            if not ready:
                return None
            chunk = pipe.read(1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def can_work_apart() -> bool:
    """True where :class:`BytesApart` can gain time: the system forks, this process may run on more than one CPU
    and one of them is free (the 1-minute load average is below the CPUs less one). Working apart costs about
    10 % more CPU (the processes' memory is shared until written), which a busy machine pays without the gain."""
    if not hasattr(os, "fork"):
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus > 1 and os.getloadavg()[0] < cpus - 1


class BytesApart:
    """``make()``'s bytes, made in a forked child process (``apart=True``, where the system forks) while this
    process goes on, or here when :meth:`result` is first asked for.

    The child is a copy of this process (nothing is pickled or imported again): it runs ``make``, sends the bytes
    through a pipe and ends without running exit handlers or flushing this process's buffers. When it fails in
    any way (an exception, a signal, bytes cut short), :meth:`result` calls ``make()`` here instead, so the
    result and any error are exactly those of calling it in this process; the child reports nothing itself.
    Use it as a context manager, so that the child is waited for however the block ends. Meant for the
    ``movelab`` command, not for notebooks or servers, whose other threads may hold locks the child would need;
    a child that has not finished ``timeout_s`` after it is asked for (stuck on such a lock) is killed and the
    bytes are made here.
    """

    def __init__(self, make: Callable[[], bytes], *, apart: bool = True, timeout_s: float = 60.0) -> None:
        self._make = make
        self._timeout_s = timeout_s
        self._result: bytes | None = None
        self._pid: int | None = None
        self._pipe: int | None = None
        self._unfreeze = False
        if apart and hasattr(os, "fork"):
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        # The objects of this moment left out of garbage collection in both processes until the child is done: a
        # collection would write to every object's header and copy most of the shared memory (write CPU +0.3 s
        # instead of +0.1 s on a 10-minute report).
        self._unfreeze = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:  # no process to spare: the bytes are made here when asked for
            os.close(read_end)
            os.close(write_end)
            if self._unfreeze:
                gc.unfreeze()
            return
        if pid == 0:  # the child: make the bytes, send them after their length, leave at once
            os.close(read_end)
            try:
                data = self._make()
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(len(data).to_bytes(8, "little") + data)
            except BaseException:  # the parent makes the bytes again, and raises what this raised
                os._exit(1)
            os._exit(0)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> bytes:
        """The bytes (waiting for the child, or making them here)."""
        if self._result is None:
            data = self._collect()
            self._result = data if data is not None else self._make()
        return self._result

    def close(self) -> None:
        """Wait for the child, if one was started and not yet waited for."""
        self._collect()

    def _collect(self) -> bytes | None:
        """The child's bytes (None when it failed or none was started); the child is waited for."""
        if self._pid is None:
            return None
        pid, self._pid = self._pid, None
        data = read_until_closed(self._pipe, timeout_s=self._timeout_s)
        if data is None:  # stuck: the parent makes the bytes
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if self._unfreeze:
            gc.unfreeze()
        whole = data is not None and len(data) >= 8 and int.from_bytes(data[:8], "little") == len(data) - 8
        return data[8:] if os.waitstatus_to_exitcode(status) == 0 and whole else None

    def __enter__(self) -> BytesApart:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
