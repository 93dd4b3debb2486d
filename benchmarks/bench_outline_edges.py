"""Benchmark: what moving the outline onto the picture's edges (``outline_edges_px``, :mod:`movelab.pose.outline_edges`)
costs ``movelab.extract``.

Usage::

    python benchmarks/bench_outline_edges.py VIDEO [VIDEO ...]

Per video, after one warm-up run, three interleaved pairs of :func:`movelab.extract` without the cache: with
``ExtractConfig(outline_edges=True)`` (the default) and ``False``. Prints the wall times and the ratio of the best runs.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(videos: list[str]) -> int:
    from benchmarks._interleaved import interleaved, report
    from movelab.extraction import extract
    from movelab.pose.config import ExtractConfig

    def run(video: str, edges: bool):
        return lambda: extract(video, config=ExtractConfig(outline_edges=edges), use_cache=False)

    for video in videos:
        print(report(video, interleaved(video, {"with": run(video, True), "without": run(video, False)})))
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    sys.exit(main(sys.argv[1:]))
