"""Benchmark: what the face cue (``frontal_face``, :mod:`movelab.pose.face_cue`) costs ``movelab.extract``.

Usage::

    python benchmarks/bench_face_cue.py VIDEO [VIDEO ...]

Per video, after one warm-up run, three interleaved pairs of :func:`movelab.extract` without the cache: with the
cue, and with ``Payload.look_for_face`` replaced by a no-op. Prints the wall times and the ratio of the best runs.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(videos: list[str]) -> int:
    import movelab.extraction_rows as rows
    from movelab.extraction import extract

    real = rows.Payload.look_for_face
    for video in videos:
        extract(video, use_cache=False)  # warm-up (model load, file cache)
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(3):
            for mode in times:
                rows.Payload.look_for_face = real if mode == "with" else (lambda self, image, config: None)
                start = time.perf_counter()
                extract(video, use_cache=False)
                times[mode].append(time.perf_counter() - start)
        rows.Payload.look_for_face = real
        shown = {k: [round(t, 2) for t in v] for k, v in times.items()}
        print(f"{video}: {shown} s, with / without (best): {min(times['with']) / min(times['without']):.3f}")
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    sys.exit(main(sys.argv[1:]))
