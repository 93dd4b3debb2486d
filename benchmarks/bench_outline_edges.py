"""Benchmark: what moving the outline onto the picture's edges (``outline_edges_px``, :mod:`movelab.pose.outline_edges`)
costs ``movelab.extract``.

Usage::

    python benchmarks/bench_outline_edges.py VIDEO [VIDEO ...]

Per video, after one warm-up run, three interleaved pairs of :func:`movelab.extract` without the cache: with
``ExtractConfig(outline_edges=True)`` (the default) and ``False``. Prints the wall times and the ratio of the best runs.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(videos: list[str]) -> int:
    from movelab.extraction import extract
    from movelab.pose.config import ExtractConfig

    for video in videos:
        extract(video, use_cache=False)  # warm-up (model load, file cache)
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(3):
            for mode in times:
                config = ExtractConfig(outline_edges=mode == "with")
                start = time.perf_counter()
                extract(video, config=config, use_cache=False)
                times[mode].append(time.perf_counter() - start)
        shown = {k: [round(t, 2) for t in v] for k, v in times.items()}
        print(f"{video}: {shown} s, with / without (best): {min(times['with']) / min(times['without']):.3f}")
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    sys.exit(main(sys.argv[1:]))
