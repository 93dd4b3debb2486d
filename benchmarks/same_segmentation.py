"""Check that two copies of movelab segment kept landmark files alike: movement, reps, events, findings.

Usage::

    python benchmarks/same_segmentation.py --before DIR LANDMARKS_OR_FOLDER... [--cache CACHE]

``DIR`` holds the older code's ``movelab/`` (e.g. ``git archive main movelab | tar -x -C DIR``). Each code, in
its own process, analyses every landmark file (``*.nc``; folders searched recursively) with the kinematics cache
in ``CACHE`` (default: a folder under the system's temporary folder, so the second code reads what the first
computed when their kinematics code is the same) and prints, per file, the movement recognised and a digest of
the reps, events, cycles and findings. Prints the files whose results differ and exits non-zero if any do.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

#: Per landmark file: the movement, and digests of the segmentation's tables and of the findings.
ONE_CODE = r"""
import hashlib, json, sys, warnings
warnings.simplefilter("ignore")
from movelab import load_landmarks
from movelab.analysis import analyse_landmarks

def digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]

for path in sys.argv[1:]:
    try:
        a = analyse_landmarks(load_landmarks(path), use_cache=True)
    except Exception as error:  # a file this code cannot analyse: say so, equally for both codes
        print(json.dumps({"file": path, "error": type(error).__name__}), flush=True)
        continue
    seg = a.segmentation
    print(json.dumps({
        "file": path,
        "movement": seg.movement,
        "reps": len(seg.reps),
        "tables": digest([t.to_csv() for t in (seg.reps, seg.events, seg.cycles)]),
        "findings": digest([repr(f) for f in a.findings]),
        "report": digest(json.dumps(a.to_report(), sort_keys=True, default=str)),
    }), flush=True)
"""


def _files(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        out += [str(p) for p in sorted(path.rglob("*.nc"))] if path.is_dir() else [str(path)]
    return out


def _run(code: Path, files: list[str], cache: Path) -> dict[str, dict]:
    env = {**os.environ, "PYTHONPATH": str(code), "MOVELAB_CACHE_DIR": str(cache)}
    result = subprocess.run([PY, "-c", ONE_CODE, *files], check=True, capture_output=True, text=True, env=env)
    return {r["file"]: r for r in map(json.loads, result.stdout.splitlines())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a folder holding the older code's movelab/")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "same_segmentation_cache")
    args = parser.parse_args()
    files = _files(args.paths)
    before = _run(args.before.resolve(), files, args.cache)
    now = _run(ROOT, files, args.cache)
    differ = [f for f in files if before.get(f) != now.get(f)]
    movements: dict[str, int] = {}
    for result in now.values():
        movements[result.get("movement", "error")] = movements.get(result.get("movement", "error"), 0) + 1
    print(f"{len(files)} landmark files, movements {movements}, reps {sum(r.get('reps', 0) for r in now.values())}")
    for f in differ:
        print(f"DIFFERENT {f}: before {before.get(f)} now {now.get(f)}")
    print("all identical" if not differ else f"{len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
