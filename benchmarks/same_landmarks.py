"""Check that two copies of movelab extract the same landmarks from a video, variable for variable.

Usage::

    python benchmarks/same_landmarks.py --before DIR VIDEO... [--search-every 1]

``DIR`` holds the older code's ``movelab/`` (e.g. ``git archive main movelab | tar -x -C DIR``). For each
``VIDEO`` both codes run ``movelab.extract(VIDEO, use_cache=False)`` in a fresh process (the pose model
included); every data variable and coordinate of the two Datasets is compared exactly (NaN equal to NaN),
and every attribute except the video's path. Prints one line per video with each side's wall and CPU
seconds, and exits non-zero on any difference.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

#: Extract one video without the cache and pickle its arrays and attributes (plus wall and CPU seconds).
EXTRACT = r"""
import pickle, sys, time
from movelab.extraction import extract
from movelab.pose.config import ExtractConfig
w, c = time.perf_counter(), time.process_time()
ds = extract(sys.argv[1], use_cache=False, config=ExtractConfig(search_every_s=float(sys.argv[3]) or None))
w, c = time.perf_counter() - w, time.process_time() - c
out = {"vars": {k: ds[k].values for k in ds.variables}, "attrs": dict(ds.attrs), "wall": w, "cpu": c}
with open(sys.argv[2], "wb") as f:
    pickle.dump(out, f)
"""

#: Attributes that name the file rather than describe the landmarks.
PATH_ATTRS = ("source_path", "video_info")


def _extract(code: Path, video: Path, out: Path, search_every_s: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run([PY, "-c", EXTRACT, str(video), str(out), str(search_every_s)], check=True, cwd=code, env=env)
    with open(out, "rb") as f:
        return pickle.load(f)


def differences(a: dict, b: dict) -> list[str]:
    """Names of the variables and attributes that differ between two pickled extractions."""
    out = [k for k in a["vars"].keys() | b["vars"].keys() if not _same(a["vars"].get(k), b["vars"].get(k))]
    keys = (a["attrs"].keys() | b["attrs"].keys()) - set(PATH_ATTRS)
    return sorted(out) + sorted(f"attr {k}" for k in keys if str(a["attrs"].get(k)) != str(b["attrs"].get(k)))


def _same(x: np.ndarray | None, y: np.ndarray | None) -> bool:
    if x is None or y is None or x.shape != y.shape or x.dtype != y.dtype:
        return False
    return bool(np.array_equal(x, y, equal_nan=x.dtype.kind in "fc"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="+", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a folder holding the older code's movelab/")
    parser.add_argument("--search-every", type=float, default=0.0, help="ExtractConfig.search_every_s (0: off)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for video in args.videos:
            video = video.resolve()
            old = _extract(args.before.resolve(), video, Path(tmp) / "old.pkl", args.search_every)
            new = _extract(ROOT, video, Path(tmp) / "new.pkl", args.search_every)
            diff = differences(old, new)
            failed |= bool(diff)
            print(
                f"{video.name}: {len(new['vars'])} variables, "
                + (f"DIFFERENT: {', '.join(diff)}" if diff else "identical")
                + f" (before {old['wall']:.1f} s wall, {old['cpu']:.1f} s CPU; this code {new['wall']:.1f} s, "
                f"{new['cpu']:.1f} s; load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
