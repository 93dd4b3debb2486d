"""Plane geometry for drawn test outlines (plain functions, no pytest fixtures).

Import from a test module as ``from drawing import turn`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import math

import numpy as np


def turn(points, deg: float, about=(0.0, 0.0)) -> np.ndarray:
    """Turn ``(forward, up)`` points clockwise (top forward) by ``deg`` about ``about``."""
    p = np.asarray(points, dtype=np.float64) - about
    t = math.radians(deg)
    x = p[:, 0] * math.cos(t) + p[:, 1] * math.sin(t)
    y = -p[:, 0] * math.sin(t) + p[:, 1] * math.cos(t)
    return np.column_stack([x, y]) + about
