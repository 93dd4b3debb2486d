"""Decode ahead in a background thread, so decoding overlaps with the pose model.

PyAV releases the GIL while it decodes and converts frames, and the pose model releases it while it
runs, so a reader thread a few frames ahead takes decoding off the critical path.
"""

from __future__ import annotations

import queue
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["prefetched"]

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
