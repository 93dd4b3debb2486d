"""Interleaved timing pairs shared by the extraction benchmarks: one warm-up, then ``repeats`` rounds of every mode."""

from __future__ import annotations

import time
from collections.abc import Callable


def interleaved(video: str, modes: dict[str, Callable[[], object]], *, repeats: int = 3) -> dict[str, list[float]]:
    """Wall seconds of each mode's run, ``repeats`` interleaved rounds after one warm-up run of the first mode."""
    first = next(iter(modes.values()))
    first()  # warm-up (model load, file cache)
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(repeats):
        for mode, run in modes.items():
            start = time.perf_counter()
            run()
            times[mode].append(time.perf_counter() - start)
    return times


def report(video: str, times: dict[str, list[float]]) -> str:
    """One line: every mode's times and the ratio of the first mode's best run to the second's."""
    (first, a), (second, b) = list(times.items())[:2]
    shown = {k: [round(t, 2) for t in v] for k, v in times.items()}
    return f"{video}: {shown} s, {first} / {second} (best): {min(a) / min(b):.3f}"
