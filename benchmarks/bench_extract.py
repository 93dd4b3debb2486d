"""Benchmark: ``movelab extract`` against a bare decode + PoseLandmarker loop on the same video.

Usage::

    python benchmarks/bench_extract.py [VIDEO ...] [--repeats 3]

For each video, in one process and interleaved, it times:

* ``bare_same``: PyAV decode → RGB → ``PoseLandmarker.detect_for_video`` with the same model options as
  movelab (``num_poses``, masks), nothing else;
* ``bare_min``: the same loop with ``num_poses=1`` and no masks (MediaPipe's cheapest use);
* ``movelab``: :func:`movelab.extract` without the cache (tracking, outline, Dataset building).

It prints frames/s and the ratio ``movelab / bare_same`` (the cost of movelab's own work) and
``movelab / bare_min`` (that plus the cost of looking for a second person and of the mask).
The best of ``--repeats`` runs is kept for each, to damp noise from the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from movelab.config import ExtractConfig  # noqa: E402
from movelab.extraction import extract  # noqa: E402
from movelab.pose.bundle import resolve_model  # noqa: E402
from movelab.pose.landmarker import PoseModel  # noqa: E402


def bare_loop(video: Path, model: Path, *, num_poses: int, masks: bool) -> int:
    """Decode every frame with PyAV and run the pose model on it; return the frame count."""
    n = 0
    with PoseModel(model, num_poses=num_poses, output_masks=masks) as pose, av.open(str(video)) as box:
        stream = box.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in box.decode(stream):
            image = frame.to_ndarray(format="rgb24")
            pose.detect(image, float(frame.pts * stream.time_base))
            n += 1
    return n


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    n = fn()
    return time.perf_counter() - start, n


def bench(video: Path, repeats: int) -> dict[str, float]:
    model = resolve_model(None)
    config = ExtractConfig()
    runs = {
        "bare_same": lambda: bare_loop(video, model, num_poses=config.num_poses, masks=config.outline),
        "bare_min": lambda: bare_loop(video, model, num_poses=1, masks=False),
        "movelab": lambda: extract(video, config=config, use_cache=False).sizes["time"],
    }
    best = {name: np.inf for name in runs}
    frames = 0
    for _ in range(repeats):
        for name, fn in runs.items():
            seconds, frames = timed(fn)
            best[name] = min(best[name], seconds)
    return {
        "frames": frames,
        **{f"{k}_fps": frames / v for k, v in best.items()},
        "ratio_same": best["movelab"] / best["bare_same"],
        "ratio_min": best["movelab"] / best["bare_min"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path, default=sorted((ROOT / "sample_videos").glob("*.mp4")))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'video':32s} {'frames':>6s} {'bare_min':>9s} {'bare_same':>9s} {'movelab':>9s} "
        f"{'ml/same':>8s} {'ml/min':>7s}   (frames/s; ratios of wall time)"
    )
    for video in args.videos:
        r = bench(video, args.repeats)
        print(
            f"{video.name:32s} {r['frames']:6d} {r['bare_min_fps']:9.1f} {r['bare_same_fps']:9.1f} "
            f"{r['movelab_fps']:9.1f} {r['ratio_same']:8.3f} {r['ratio_min']:7.3f}"
        )


if __name__ == "__main__":
    main()
