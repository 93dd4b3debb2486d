"""Angles estimated from the person's outline (segmentation mask) in side view: **not yet implemented**.

``pelvic_tilt`` and ``lumbar_lordosis`` have no landmark (MediaPipe has no ASIS, PSIS or spine points);
they are to be estimated from the back contour of the outline features that extraction stores beside the
landmarks (``movelab.pose.mask_features``). The method, its validity condition, per-frame quality and
measured error will be documented in ``docs/outline-method.md`` (kinematics issue). Until then this module
returns NaN for both, and :func:`movelab.kinematics.compute_angles` therefore reports NaN for them and for
``hip_flexion_pelvic_{left,right}`` (``thigh_angle + pelvic_tilt``). No value is ever faked.

The hook for the implementation is :func:`outline_angles`: keep its signature and return the same table
with the NaN replaced where the estimate is valid (side views only, docs/conventions.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from movelab.kinematics._points import check_config, check_landmarks
from movelab.kinematics.config import KinematicsConfig

__all__ = ["OUTLINE_ANGLE_NAMES", "OUTLINE_IMPLEMENTED", "outline_angles"]

#: Angles this module provides (docs/conventions.md).
OUTLINE_ANGLE_NAMES: tuple[str, ...] = ("pelvic_tilt", "lumbar_lordosis")

#: False until the outline method lands; reports can say "not measured yet" rather than "not measurable".
OUTLINE_IMPLEMENTED = False


def outline_angles(
    ds: xr.Dataset,
    *,
    views: xr.DataArray | None = None,
    position: xr.DataArray | None = None,
    config: KinematicsConfig = KinematicsConfig(),
) -> pd.DataFrame:
    """Pelvic tilt and lumbar lordosis from the outline, per frame — **not yet implemented: all NaN**.

    Parameters
    ----------
    ds
        Landmark Dataset, with the outline features when extraction kept them.
    views
        Per-frame views (:func:`movelab.kinematics.views_per_frame`); estimates belong to side views only.
    position
        Cleaned keypoint positions (:func:`movelab.kinematics.clean_positions`), to locate the back
        contour relative to the hips and shoulders.
    config
        Settings.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_s``, ``frame``, ``pelvic_tilt``, ``lumbar_lordosis`` (degrees; conventions in
        docs/conventions.md). Currently NaN everywhere; ``attrs["implemented"]`` is False.
    """
    check_landmarks(ds)
    check_config(config)
    n = ds.sizes["time"]
    table = pd.DataFrame({"time_s": ds["time"].values, "frame": ds["frame"].values})
    for name in OUTLINE_ANGLE_NAMES:
        table[name] = np.full(n, np.nan)
    table.attrs["implemented"] = OUTLINE_IMPLEMENTED
    return table
