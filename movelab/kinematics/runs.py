"""Runs of True in a per-frame mask, as ``[start, stop)`` index pairs: the one helper kinematics, events and
findings use to turn a per-frame condition into stretches of frames."""

from __future__ import annotations

import numpy as np

__all__ = ["runs"]


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` index pairs of the runs of True in a boolean array."""
    mask = np.asarray(mask, dtype=bool)
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))
