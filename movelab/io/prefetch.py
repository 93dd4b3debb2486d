"""Decode ahead in a background thread, so decoding overlaps with the pose model.

PyAV releases the GIL while it decodes and converts frames, and the pose model releases it while it
runs, so a reader thread a few frames ahead takes decoding off the critical path.
"""

from __future__ import annotations

import queue
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["prefetched", "HandOff"]

T = TypeVar("T")
_END = object()


def prefetched(items: Iterable[T], *, depth: int = 4) -> Iterator[T]:
    """Iterate over ``items`` while a daemon thread produces up to ``depth`` items ahead.

    An exception raised while producing is raised here, at the item where it happened. Closing the
    returned generator early (``break``, an exception in the consumer) stops the producer. Warnings the
    producer raises are shown from the consumer's thread, in order with the items: the consumer may have
    stderr redirected at that moment (the pose model's native logging is silenced around each call).
    """
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    shown = warnings.showwarning
    held: queue.Queue = queue.Queue()

    def hold(*args, **kwargs) -> None:
        if threading.current_thread() is worker:
            held.put((args, kwargs))
        else:
            shown(*args, **kwargs)

    def produce() -> None:
        try:
            for item in items:
                if not _put(buffer, (True, item), stop):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            _put(buffer, (False, exc), stop)
            return
        _put(buffer, (True, _END), stop)

    worker = threading.Thread(target=produce, name="movelab-decode", daemon=True)
    warnings.showwarning = hold
    worker.start()
    try:
        while True:
            ok, item = buffer.get()
            while not held.empty():
                args, kwargs = held.get()
                shown(*args, **kwargs)
            if not ok:
                raise item
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        worker.join(timeout=5.0)
        if warnings.showwarning is hold:
            warnings.showwarning = shown
        while not held.empty():
            args, kwargs = held.get()
            shown(*args, **kwargs)


def _put(buffer: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            buffer.put(entry, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


class HandOff:
    """Give items to ``consume`` in a background thread, in order, at most ``depth`` waiting.

    The other half of :func:`prefetched`: the pose model runs in the calling thread (it releases the GIL)
    while what follows it for the previous frames (the client tracker, mask -> outline, scene lines) runs
    in this thread, so their costs overlap instead of adding up. ``consume`` sees exactly the items
    :meth:`put` was given, one at a time and in the same order, so the results are those of calling it
    directly. Use as a context manager: leaving the block normally waits until every item is consumed;
    leaving it with an exception stops the thread without consuming the rest. An exception raised by
    ``consume`` is raised in the calling thread by the next :meth:`put` or when the block is left.
    """

    def __init__(self, consume: Callable[[T], object], *, depth: int = 4) -> None:
        self._consume = consume
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="movelab-after-model", daemon=True)

    def __enter__(self) -> HandOff:
        self._thread.start()
        return self

    def put(self, item: T) -> None:
        """Queue ``item`` for ``consume`` (blocks while ``depth`` items wait)."""
        self._raise_error()
        if not _put(self._queue, (True, item), self._stop):
            self._raise_error()  # stopped by an error in the thread
            raise RuntimeError("the hand-off thread has stopped")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            _put(self._queue, (False, None), self._stop)
        else:
            self._stop.set()
        self._thread.join()
        if exc_type is None:
            self._raise_error()

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                more, item = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if not more:
                return
            try:
                self._consume(item)
            except BaseException as error:  # handed to the calling thread
                self._error = error
                self._stop.set()
                return

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error
