"""Fixed costs: building the ``movelab`` command line loads none of the analysis stages (their SciPy imports
cost about 1 s of CPU), and analysing cached landmarks, report included, loads no video or pose library."""

from __future__ import annotations

import json
import subprocess
import sys

from movelab import landmarks as lm


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps([m for m in {list(names)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_building_the_command_line_loads_no_analysis_stage():
    heavy = ("scipy.signal", "scipy.stats", "movelab.kinematics", "movelab.findings", "matplotlib", "cv2", "av")
    assert _loaded("from movelab.cli import _build_parser\n_build_parser()", heavy) == []
    assert _loaded("from movelab.cli import _build_parser\nimport movelab.report", heavy) == []
    assert _loaded("from movelab.events import segment", ("scipy.signal",)) == []  # own find_peaks (_peaks.py)


def test_analysing_cached_landmarks_loads_no_video_or_pose_library():
    code = "from movelab.analysis import analyse_landmarks\nfrom movelab.report import write_outputs, build_report"
    assert _loaded(code, ("cv2", "av", "mediapipe")) == []


def test_analysing_cached_landmarks_loads_scipy_signal_never_and_matplotlib_only_for_the_figures(squats, tmp_path):
    """The fixed cost of a cached analysis: its kinematics come from the cache, so the filters (scipy.signal,
    scipy.interpolate) and the outline's smoothing (scipy.ndimage) are not imported, and matplotlib only when
    the report's figures are drawn."""
    path = tmp_path / "squats.nc"
    lm.save(squats, path)
    heavy = ("scipy.signal", "scipy.interpolate", "scipy.ndimage", "scipy.stats", "matplotlib")
    cache = f"import os; os.environ['MOVELAB_CACHE_DIR'] = {str(tmp_path / 'cache')!r}\n"
    analyse = (
        "from movelab import load_landmarks\nfrom movelab.analysis import analyse_landmarks\n"
        f"a = analyse_landmarks(load_landmarks({str(path)!r}), use_cache=True)\nassert len(a.segmentation.reps) == 2"
    )
    first = _loaded(cache + analyse, heavy)  # computes the kinematics and keeps them: filters
    assert "scipy.signal" in first and "matplotlib" not in first
    assert _loaded(cache + analyse, heavy) == []  # reads them: nothing heavy
    drawn = _loaded(
        cache + analyse + f"\nfrom movelab.report import write_outputs\nwrite_outputs(a, {str(tmp_path / 'out')!r})",
        heavy,
    )
    assert drawn == ["matplotlib"]
