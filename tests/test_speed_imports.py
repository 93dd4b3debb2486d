"""Fixed costs: building the ``movelab`` command line loads none of the analysis stages (their SciPy imports
cost about 1 s of CPU), and analysing cached landmarks, report included, loads no video or pose library."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

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


def test_a_cached_video_is_analysed_without_loading_the_video_libraries(squats, tmp_path, monkeypatch):
    """``analyse(VIDEO)`` looks in the landmark cache before the extraction (and PyAV and OpenCV with it) is
    imported: a second analysis of a video loads no decoder (0.17 s of CPU); ``extract`` reads the same entry."""
    from movelab.landmark_cache import cache_entry
    from movelab.pose.bundle import BUNDLE_MEMBERS
    from movelab.pose.config import ExtractConfig

    bundle = tmp_path / "pose.task"  # a bundle's shape is all the cache key reads of it (its bytes' hash)
    with zipfile.ZipFile(bundle, "w") as box:
        for member in BUNDLE_MEMBERS:
            box.writestr(member, b"not a model")
    video = str(Path(__file__).parents[1] / "sample_videos" / "squat_side.mp4")
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path / "cache"))  # here and in the probes
    _, _, entry = cache_entry(video, ExtractConfig(model=str(bundle)), use_cache=True)
    entry.parent.mkdir(parents=True)
    lm.save(squats, entry)
    analyse = (
        "from movelab.config import Config\nfrom movelab.pose.config import ExtractConfig\n"
        f"config = Config(extract=ExtractConfig(model={str(bundle)!r}))\n"
        f"from movelab.analysis import analyse\na = analyse({video!r}, config=config)\n"
        "assert a.landmarks.attrs['from_cache'] and len(a.segmentation.reps) == 2\n"
    )
    assert _loaded(analyse, ("cv2", "av", "mediapipe", "movelab.extraction")) == []
    same = (
        "from movelab.extraction import extract\nimport xarray as xr\n"
        f"xr.testing.assert_identical(a.landmarks, extract({video!r}, config=config.extract))\n"
    )
    assert _loaded(analyse + same, ("av",)) == ["av"]  # extract opens the video, then reads the same entry
