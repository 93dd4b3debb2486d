"""Fetch the real demo video (one person walking in side view, from the ``sports2d`` wheel on PyPI).

Usage::

    python -m scripts.assets.fetch_demo

Runs ``pip download sports2d --no-deps`` into a cache folder, takes ``Sports2D/Demo/demo.mp4`` out of the
wheel and writes ``sample_videos/demo_walk_sports2d.mp4`` (1768x994, 30 fps, 230 frames; no ground truth).
The file is git-ignored: it is not ours to commit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

from scripts import ROOT

MEMBER = "Sports2D/Demo/demo.mp4"


def _wheel(cache: Path) -> Path:
    wheels = sorted(cache.glob("sports2d-*.whl"))
    if not wheels:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "sports2d",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(cache),
        ]
        subprocess.run(cmd, check=True)
        wheels = sorted(cache.glob("sports2d-*.whl"))
    if not wheels:
        raise SystemExit(f"no sports2d wheel in {cache} after pip download")
    return wheels[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="where the wheel is kept")
    parser.add_argument("--out", type=Path, default=ROOT / "sample_videos" / "demo_walk_sports2d.mp4")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    wheel = _wheel(args.cache)
    with zipfile.ZipFile(wheel) as zf:
        if MEMBER not in zf.namelist():
            raise SystemExit(f"{wheel.name} has no {MEMBER}; pin an older sports2d version")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(zf.read(MEMBER))
    print(f"wrote {args.out} from {wheel.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
