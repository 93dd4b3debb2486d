"""Shortcuts in drawing and writing the report, each pinned against the straightforward code it replaces."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

from movelab.report.figures import timeline_png  # noqa: E402


def _long_angles(minutes: float = 1.0, fps: float = 60.0) -> pd.DataFrame:
    """A long angle table: squat-like knee, thigh and trunk curves with noise and a gap, indexed by time_s."""
    t = np.arange(int(minutes * 60 * fps)) / fps
    rng = np.random.default_rng(3)
    wave = 0.5 - 0.5 * np.cos(2 * np.pi * t / 3.3)
    table = pd.DataFrame(
        {
            "frame": np.arange(t.size),
            "knee_flexion_left": 120 * wave + rng.normal(0, 1.5, t.size),
            "knee_flexion_right": 118 * wave + rng.normal(0, 1.5, t.size),
            "trunk_lean": 40 * wave + rng.normal(0, 1.0, t.size),
            "pelvic_tilt": 12 + 8 * wave + rng.normal(0, 0.7, t.size),
        },
        index=pd.Index(t, name="time_s"),
    )
    table.iloc[500:900, 1] = np.nan
    return table


def _auto_titles(monkeypatch):
    """matplotlib's own title placement (no ``y``), as the timeline drew its titles before."""
    original = Axes.set_title

    def set_title(self, label, *args, **kwargs):
        kwargs.pop("y", None)
        return original(self, label, *args, **kwargs)

    monkeypatch.setattr(Axes, "set_title", set_title)


def test_timeline_titles_placed_without_measuring_are_where_matplotlib_puts_them(monkeypatch):
    """The timeline's panel titles are given their height (``y=1.0``), which spares matplotlib measuring every
    panel's axes to place them: the PNG is byte-identical to the one with matplotlib's placement."""
    analysis = synthetic_analysis()
    long = _long_angles()
    spans = pd.DataFrame({"start_s": np.arange(1.0, 55.0, 3.3), "end_s": np.arange(3.0, 57.0, 3.3)})
    segmentation = type("Seg", (), {"movement": "squat", "reps": spans})()
    fast = [
        timeline_png(analysis.angles, analysis.segmentation, analysis.findings),
        timeline_png(long, segmentation, []),
    ]
    _auto_titles(monkeypatch)
    slow = [
        timeline_png(analysis.angles, analysis.segmentation, analysis.findings),
        timeline_png(long, segmentation, []),
    ]
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
