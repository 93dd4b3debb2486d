"""Modules a later stage needs load in a thread while the pose model runs (``movelab._preload``)."""

from __future__ import annotations

import sys
import threading

import pytest

from movelab import _preload, analysis


def test_modules_are_imported_in_another_thread(tmp_path, monkeypatch):
    (tmp_path / "es_probe_mod.py").write_text("import threading\nTHREAD = threading.get_ident()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_preload.os, "cpu_count", lambda: 2)
    thread = _preload.import_beside(["es_probe_mod"])
    thread.join(timeout=30)
    assert sys.modules["es_probe_mod"].THREAD not in (None, threading.get_ident())
    del sys.modules["es_probe_mod"]


def test_a_failing_import_is_left_to_the_stage_that_needs_it(tmp_path, monkeypatch):
    (tmp_path / "es_broken_mod.py").write_text("raise ValueError('broken on import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_preload.os, "cpu_count", lambda: 2)
    _preload.import_beside(["es_broken_mod", "json"]).join(timeout=30)  # no error escapes the thread
    assert "es_broken_mod" not in sys.modules
    with pytest.raises(ValueError, match="broken on import"):  # the stage's own import says what is wrong
        __import__("es_broken_mod")


def test_nothing_is_started_on_one_cpu(monkeypatch):
    monkeypatch.setattr(_preload.os, "cpu_count", lambda: 1)
    assert _preload.import_beside(["json"]) is None


@pytest.mark.parametrize("cached", [True, False])
def test_analyse_loads_the_kinematics_modules_beside_extraction_only(cached, monkeypatch):
    started = []
    landmarks = object()
    monkeypatch.setattr(_preload, "import_beside", lambda modules: started.append(tuple(modules)))
    monkeypatch.setattr("movelab.landmark_cache.cached_landmarks", lambda *a, **k: landmarks if cached else None)
    monkeypatch.setattr("movelab.extraction.extract", lambda *a, **k: landmarks)
    monkeypatch.setattr(analysis, "analyse_landmarks", lambda ds, **k: ds)
    assert analysis.analyse("clip.mp4") is landmarks
    assert started == ([] if cached else [analysis.KINEMATICS_FIRST_USE])
