"""The movelab command turns off NumPy's huge-page advice for its process (movelab/_memory.py), respecting a
user's own NUMPY_MADVISE_HUGEPAGE."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = (
    "import sys\nfrom movelab._memory import no_huge_page_advice\n{before}"
    "print(no_huge_page_advice())\nimport numpy\nfrom numpy._core.multiarray import _set_madvise_hugepage\n"
    "print(_set_madvise_hugepage(True))"  # returns the setting it replaces
)


def _run(before: str = "", **env: str) -> list[str]:
    environ = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"} | env
    code = PROBE.format(before=before)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environ
    ).stdout.split()


def test_the_advice_is_off_whether_numpy_was_imported_before_or_not():
    assert _run() == ["True", "False"]
    assert _run(before="import numpy\n") == ["True", "False"]


def test_a_users_setting_is_kept():
    assert _run(NUMPY_MADVISE_HUGEPAGE="1") == ["False", "True"]
