"""Plane geometry for drawn test outlines (plain functions, no pytest fixtures).

Import from a test module as ``from drawing import turn`` (or ``to_image``, ``densify``); pytest puts
``tests/`` on ``sys.path``.
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


#: Where the drawn outlines' hip sits in the image and how many pixels one torso length (hip to shoulder) is.
HIP_PX = np.array([640.0, 420.0])
TORSO_PX = 150.0


def to_image(points) -> np.ndarray:
    """``(forward, up)`` points in torso lengths from the hip → image pixels (``y`` down) around :data:`HIP_PX`."""
    p = np.asarray(points, dtype=np.float64)
    return np.column_stack([HIP_PX[0] + p[:, 0] * TORSO_PX, HIP_PX[1] - p[:, 1] * TORSO_PX])


def densify(polygon: np.ndarray, n: int) -> np.ndarray:
    """``n`` points evenly spaced by arc length around the closed ``polygon`` (a contour as the mask gives)."""
    closed = np.vstack([polygon, polygon[:1]])
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(closed, axis=0).T))])
    s = np.linspace(0.0, arc[-1], n, endpoint=False)
    return np.column_stack([np.interp(s, arc, closed[:, 0]), np.interp(s, arc, closed[:, 1])])
