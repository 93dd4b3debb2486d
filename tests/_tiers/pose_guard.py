"""The fast tier's guard: wrap MediaPipe's ``PoseLandmarker.create_from_options`` when its module is first
imported, so that starting the pose model calls ``refuse(nodeid)`` while a test not marked slow runs.

Used in the test process by ``tests/conftest.py`` and in every Python subprocess a test starts (the CLI tests
run ``python -m movelab``) through ``sitecustomize.py`` beside this file, which conftest puts on
``PYTHONPATH`` and which reads the running fast test's id from ``MOVELAB_FAST_TEST``. Imports nothing
from MediaPipe itself: a run that never loads the pose model pays nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Callable

#: the MediaPipe module whose ``PoseLandmarker.create_from_options`` starts the pose model
POSE_MODULE = "mediapipe.tasks.python.vision.pose_landmarker"
#: environment variable naming the fast test that is running (set for subprocesses)
ENV = "MOVELAB_FAST_TEST"


def _wrap(landmarker: type, current: Callable[[], str | None], refuse: Callable[[str], None]) -> None:
    create = landmarker.__dict__["create_from_options"]

    def create_from_options(cls, *args, **kwargs):
        nodeid = current()
        if nodeid:
            refuse(nodeid)
        return create.__func__(cls, *args, **kwargs)

    landmarker.create_from_options = classmethod(create_from_options)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, current: Callable[[], str | None], refuse: Callable[[str], None]) -> None:
        self.current, self.refuse = current, refuse

    def find_spec(self, name, path, target=None):
        if name != POSE_MODULE:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            _wrap(module.PoseLandmarker, self.current, self.refuse)

        spec.loader.exec_module = exec_module
        return spec


def install(current: Callable[[], str | None], refuse: Callable[[str], None]) -> None:
    """Guard this process: ``current()`` names the fast test running (or None), ``refuse(nodeid)`` fails it."""
    if POSE_MODULE in sys.modules:
        _wrap(sys.modules[POSE_MODULE].PoseLandmarker, current, refuse)
    else:
        sys.meta_path.insert(0, _Finder(current, refuse))


def message(nodeid: str) -> str:
    return (
        f"{nodeid} starts the pose model but is not marked slow "
        "(@pytest.mark.slow, so that make test-fast leaves it out)"
    )
