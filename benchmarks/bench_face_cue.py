"""Benchmark: what the face cue (``frontal_face``, :mod:`movelab.pose.face_cue`) costs ``movelab.extract``.

Usage::

    python benchmarks/bench_face_cue.py VIDEO [VIDEO ...]

Per video, after one warm-up run, three interleaved pairs of :func:`movelab.extract` without the cache: with the
cue, and with ``Payload.look_for_face`` replaced by a no-op. Prints the wall times and the ratio of the best runs.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(videos: list[str]) -> int:
    import movelab.extraction_rows as rows
    from benchmarks._interleaved import interleaved, report
    from movelab.extraction import extract

    real = rows.Payload.look_for_face

    def run(video: str, look_for_face):
        def once():
            rows.Payload.look_for_face = look_for_face
            extract(video, use_cache=False)

        return once

    for video in videos:
        times = interleaved(video, {"with": run(video, real), "without": run(video, lambda self, image, config: None)})
        rows.Payload.look_for_face = real
        print(report(video, times))
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    sys.exit(main(sys.argv[1:]))
