"""Benchmark: how fast the mannequin renders (images only, and with truth + H.264 encoding).

Usage::

    python benchmarks/bench_synth.py [--size 640x480]

Prints frames per second for rendering the pictures of a 1-rep squat (side view), and for a complete
``render_clip(...).write(...)`` (pose solving, truth, encoding).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from movelab.synth import Squat, render_clip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="640x480")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    clip = render_clip(Squat(reps=1), width_px=width, height_px=height, fps=30.0)
    start = time.perf_counter()
    for i in range(clip.n_frames):
        clip.frame(i)
    images_fps = clip.n_frames / (time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        full = render_clip(Squat(reps=1), width_px=width, height_px=height, fps=30.0)
        full.write(Path(tmp) / "squat.mp4")
        total_fps = full.n_frames / (time.perf_counter() - start)
    print(
        f"{clip.n_frames} frames at {width}x{height}: images {images_fps:.1f} frames/s, "
        f"complete clip (solve + truth + H.264) {total_fps:.1f} frames/s"
    )


if __name__ == "__main__":
    main()
