"""Keeping native libraries' console chatter (MediaPipe, OpenCV) away from the user's terminal."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["native_stderr_silenced"]


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Silence what MediaPipe's C++ runtime writes to file descriptor 2 (model-loading chatter).

    Set ``MOVELAB_NATIVE_LOGS=1`` to see it. Python's own ``sys.stderr`` is flushed first and works
    again afterwards.
    """
    if os.environ.get("MOVELAB_NATIVE_LOGS"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
