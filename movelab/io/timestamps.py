"""Frame timestamps: kept strictly increasing as they are read (a duplicate or decreasing pts becomes the
previous time + 1 µs, a missing pts the previous time + 1/fps, each kind of fix reported once), and the
running frame intervals that tell a variable frame rate (conventions in :mod:`movelab.io.video`)."""

from __future__ import annotations

import math

__all__ = ["Clock", "Intervals", "NUDGE_S"]

NUDGE_S = 1e-6
"""Step added to a duplicate or decreasing timestamp to keep times strictly increasing."""


class Clock:
    """Make frame times strictly increasing, reporting each kind of fix once."""

    def __init__(self, fps: float) -> None:
        self.last_s: float | None = None
        self._step_s = 1.0 / fps if fps > 0 else 1.0 / 30.0
        self._reported: set[str] = set()

    def next(self, time_s: float | None) -> tuple[float, str | None]:
        """Return the fixed time and a note the first time a given fix is needed."""
        note = None
        if time_s is None:
            time_s = 0.0 if self.last_s is None else self.last_s + self._step_s
            note = self._once("missing", "a frame has no timestamp; using previous + 1/fps")
        elif self.last_s is not None and time_s <= self.last_s:
            note = self._once(
                "order",
                f"frame timestamp {time_s:.6f} s is not after the previous one ({self.last_s:.6f} s); "
                "nudged to previous + 1 µs",
            )
            time_s = self.last_s + NUDGE_S
        self.last_s = time_s
        return time_s, note

    def _once(self, kind: str, note: str) -> str | None:
        if kind in self._reported:
            return None
        self._reported.add(kind)
        return note


class Intervals:
    """Running min / max / mean of frame intervals, in constant memory."""

    def __init__(self, *, tick_s: float) -> None:
        self._tick_s = tick_s
        self._first_s: float | None = None
        self._last_s: float | None = None
        self._n = 0
        self._min_s = math.inf
        self._max_s = 0.0

    def add(self, time_s: float) -> None:
        if self._last_s is not None:
            step = time_s - self._last_s
            self._min_s, self._max_s = min(self._min_s, step), max(self._max_s, step)
        else:
            self._first_s = time_s
        self._last_s = time_s
        self._n += 1

    def vary(self) -> bool | None:
        """True when intervals differ by more than 2 ticks + 1 % of the mean; None if < 3 frames."""
        if self._n < 3 or self._first_s is None or self._last_s is None:
            return None
        mean_s = (self._last_s - self._first_s) / (self._n - 1)
        return self._max_s - self._min_s > 2 * self._tick_s + 0.01 * mean_s
