"""The test tiers hold: ``make test-fast`` leaves out every test marked slow, browser or network, and a test
not marked slow cannot start the pose model, in the test process or in a Python subprocess (``conftest.py``
and ``tests/_tiers/`` fail it).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _fast_markers() -> str:
    """The marker expression of ``make test-fast``, read from the Makefile."""
    found = re.search(r"^FAST_MARKERS\s*:?=\s*(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, "Makefile defines FAST_MARKERS"
    return found.group(1).strip()


def _collected(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 5), result.stdout[-2000:] + result.stderr[-2000:]  # 5: nothing collected
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_make_test_fast_deselects_slow_browser_and_network_tests():
    expression = _fast_markers()
    for marker in ("slow", "browser", "network"):
        assert f"not {marker}" in expression
    files = [
        "tests/test_report_browser.py",
        "tests/test_notebooks.py",
        "tests/test_models.py",
        "tests/test_cli_extract.py",
    ]
    fast = _collected("-m", expression, *files)
    assert not any("test_report_browser.py" in t or "test_notebooks.py" in t for t in fast)  # browser; slow
    assert not any("test_fetch_wheel" in t or "test_built_bundle" in t for t in fast)  # the real wheel: network
    assert not any("test_extract_writes_landmarks_and_summary" in t for t in fast)  # the demo clip: slow, network
    assert not any("no person" in t for t in fast)  # the pose model in a subprocess: slow
    assert any("test_unavailable_webcam_is_a_clear_error" in t for t in fast)  # fast tests stay
    assert any("test_bad_input_is_one_line_and_leaves_nothing[missing]" in t for t in fast)


def test_a_fast_test_that_starts_the_pose_model_fails():
    from mediapipe.tasks.python.vision import PoseLandmarker

    with pytest.raises(pytest.fail.Exception, match="starts the pose model but is not marked slow"):
        PoseLandmarker.create_from_options(None)


def test_a_fast_test_cannot_start_the_pose_model_in_a_subprocess_either():
    code = "from mediapipe.tasks.python.vision import PoseLandmarker; PoseLandmarker.create_from_options(None)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 97
    assert "starts the pose model but is not marked slow" in result.stderr
    assert result.stderr.rstrip().endswith("(in a subprocess)")


@pytest.mark.slow
def test_a_slow_test_may_start_the_pose_model():
    from mediapipe.tasks.python.vision import PoseLandmarker

    with pytest.raises(Exception) as error:  # the guard lets the call through; MediaPipe rejects no options
        PoseLandmarker.create_from_options(None)
    assert not isinstance(error.value, pytest.fail.Exception)
