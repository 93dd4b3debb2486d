"""MediaPipe's pose landmarker API, imported without the rest of MediaPipe.

``import mediapipe`` runs ``mediapipe/__init__.py``, which imports every task (audio, text, all vision tasks)
and the drawing utilities, which import ``matplotlib.pyplot``: 0.48-0.53 s of CPU, where the pose
landmarker's own modules take 0.10 s (``bench_speed.py`` notes, docs/pose-accuracy.md, Speed). When no part of
MediaPipe is loaded yet, :func:`pose_api` registers the four parent packages without running their
``__init__`` and imports only the modules the landmarker needs. Each such package runs its real ``__init__``
the first time anyone asks it for a name it does not have yet (a module ``__getattr__``), so later code
that uses MediaPipe as usual (``import mediapipe as mp; mp.Image``, ``from mediapipe.tasks.python import
vision; vision.PoseLandmarker``) gets the whole package as before.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType, SimpleNamespace

__all__ = ["pose_api"]

#: The packages between ``mediapipe`` and the landmarker's modules, outermost first.
PACKAGES = ("mediapipe", "mediapipe.tasks", "mediapipe.tasks.python", "mediapipe.tasks.python.vision")

_lock = threading.RLock()


def pose_api() -> SimpleNamespace:
    """``BaseOptions``, ``PoseLandmarker``, ``PoseLandmarkerOptions``, ``VisionTaskRunningMode``, ``Image``
    and ``ImageFormat``, the same objects as MediaPipe's own names for them."""
    with _lock:
        if not any(name in sys.modules for name in PACKAGES):
            for name in PACKAGES:
                _register_without_init(name)
        from mediapipe.tasks.python.core.base_options import BaseOptions
        from mediapipe.tasks.python.vision.core.image import Image, ImageFormat
        from mediapipe.tasks.python.vision.core.vision_task_running_mode import VisionTaskRunningMode
        from mediapipe.tasks.python.vision.pose_landmarker import PoseLandmarker, PoseLandmarkerOptions

    return SimpleNamespace(
        BaseOptions=BaseOptions,
        PoseLandmarker=PoseLandmarker,
        PoseLandmarkerOptions=PoseLandmarkerOptions,
        VisionTaskRunningMode=VisionTaskRunningMode,
        Image=Image,
        ImageFormat=ImageFormat,
    )


def _register_without_init(name: str) -> None:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    module = importlib.util.module_from_spec(spec)
    module.__getattr__ = _complete_on_first_use(module)  # type: ignore[method-assign]
    _pending.append((module, spec))
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


#: Packages registered without their ``__init__``, outermost first, until they are completed.
_pending: list[tuple[ModuleType, object]] = []


def _complete_on_first_use(module: ModuleType):
    """A module ``__getattr__`` that completes the packages (:func:`_complete`), then answers from ``module``."""

    def __getattr__(attr: str):
        _complete()
        try:
            return module.__dict__[attr]
        except KeyError:
            raise AttributeError(f"module {module.__name__!r} has no attribute {attr!r}") from None

    return __getattr__


def _complete() -> None:
    """Run the packages' real ``__init__``, innermost first, as ``import mediapipe`` finishes them (the outer
    ones rebind names, e.g. ``mediapipe.tasks`` to ``mediapipe.tasks.python``, that the inner ones' imports
    must not see yet)."""
    with _lock:
        pending = _pending[::-1]
        _pending.clear()
        for module, _ in pending:
            module.__dict__.pop("__getattr__", None)
        for module, spec in pending:
            spec.loader.exec_module(module)  # type: ignore[attr-defined]
