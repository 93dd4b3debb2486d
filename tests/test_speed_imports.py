"""Fixed costs: building the ``movelab`` command line loads none of the analysis stages (their SciPy imports
cost about 1 s of CPU), and analysing cached landmarks, report included, loads no video or pose library."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps([m for m in {list(names)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_building_the_command_line_loads_no_analysis_stage():
    heavy = ("scipy.signal", "scipy.stats", "movelab.kinematics", "movelab.findings", "matplotlib", "cv2", "av")
    assert _loaded("from movelab.cli import _build_parser\n_build_parser()", heavy) == []
    assert _loaded("from movelab.cli import _build_parser\nimport movelab.report", heavy) == []
    assert _loaded("from movelab.events import segment", ("scipy.signal",)) == ["scipy.signal"]  # still there


def test_analysing_cached_landmarks_loads_no_video_or_pose_library():
    code = "from movelab.analysis import analyse_landmarks\nfrom movelab.report import write_outputs, build_report"
    assert _loaded(code, ("cv2", "av", "mediapipe")) == []
