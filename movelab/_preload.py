"""Import modules in a background thread while the calling thread waits on something else (the pose model).

The pose model releases the GIL while it runs, so modules a later stage imports on first use (SciPy's signal
and image filters for the kinematics: 0.5-0.9 s of CPU) can load meanwhile on a second core instead of after
the model. An import that fails here is left for the later stage, which imports the module again and reports
the error itself.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence

__all__ = ["import_beside"]


def import_beside(modules: Sequence[str]) -> threading.Thread | None:
    """Start importing ``modules`` (dotted names, in order) in a daemon thread; None on a single CPU, where it
    would only compete with the caller."""
    if (os.cpu_count() or 1) < 2:
        return None
    thread = threading.Thread(target=_import_all, args=(tuple(modules),), name="movelab-import-beside", daemon=True)
    thread.start()
    return thread


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (the stage that needs it imports it again and says what is wrong)
            return
