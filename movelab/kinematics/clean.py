"""The cleaning chain for keypoint positions: mirror fix → leg-swap fix → gate → Hampel → gap fill → low-pass."""

from __future__ import annotations

import warnings

import xarray as xr

from movelab.kinematics import filtering
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import median_torso_length
from movelab.kinematics.inputs import check_config, check_landmarks
from movelab.kinematics.mirrors import fix_frontal_mirrors
from movelab.kinematics.swaps import fix_frontal_swaps, fix_leg_swaps
from movelab.kinematics.views import views_per_frame

__all__ = ["clean_positions"]


def clean_positions(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig(), views=None) -> xr.DataArray:
    """Cleaned pixel positions of every keypoint, ready for angles (and for events).

    Parameters
    ----------
    ds
        Landmark Dataset.
    config
        All settings; see :class:`KinematicsConfig`.
    views
        Views as accepted by :func:`movelab.kinematics.views_per_frame` (used by the leg-swap fix);
        detected when ``None``.

    Returns
    -------
    xarray.DataArray
        ``position_px (time, keypoint, space_2d)``, pixels of the upright picture; NaN where the client
        was not found or a keypoint failed the gate, unless inside a gap of at most ``max_gap_s``. Its
        ``processing`` attribute lists the steps applied.

    Notes
    -----
    Steps, in order (docs/kinematics.md):

    0. the labels of frames read as a whole-body mirror in a front or back view put back
       (:func:`movelab.kinematics.mirrors.fix_frontal_mirrors`), always: the views are detected on the labels
       put back, so the positions must agree with them;
    1. leg-swap fix in side views (:func:`movelab.kinematics.fix_leg_swaps`) and in front and back views
       (:func:`movelab.kinematics.swaps.fix_frontal_swaps`), if ``fix_leg_swaps``;
    2. confidence gate (:func:`filtering.gate_confidence`) on ``confidence`` ≥ ``min_confidence``, and
       NaN in frames where the client was not detected;
    3. Hampel outlier rejection (:func:`filtering.hampel`), a keypoint dropped whole, with
       ``min_deviation = hampel_min_deviation × median torso length``, if ``reject_outliers``;
    4. linear interpolation over gaps of at most ``max_gap_s`` (:func:`filtering.interpolate_gaps`);
    5. zero-lag Butterworth low-pass (:func:`filtering.lowpass`), if ``lowpass``. When ``cutoff_hz`` is not
       below the Nyquist frequency of the video, a warning is given and this step is skipped.
    """
    check_landmarks(ds)
    check_config(config)
    ds = fix_frontal_mirrors(ds, config=config)
    if config.fix_leg_swaps:
        frame_views = views_per_frame(ds, views, config=config)
        ds = fix_leg_swaps(ds, views=frame_views, config=config)
        ds = fix_frontal_swaps(ds, views=frame_views, config=config)
    score = filtering.confidence_score(ds, method=config.confidence)
    position = filtering.gate_confidence(ds["position_px"], score, min_confidence=config.min_confidence)
    if ds.sizes["time"] < 2:
        return position
    if config.reject_outliers:
        scale = median_torso_length(position)
        position = filtering.hampel(
            position,
            half_window_s=config.hampel_half_window_s,
            n_sigma=config.hampel_n_sigma,
            min_deviation=config.hampel_min_deviation * scale if scale == scale else 0.0,
            joint_dim="space_2d",
        )
    position = filtering.interpolate_gaps(position, max_gap_s=config.max_gap_s)
    if config.lowpass:
        fs = filtering.sampling_rate_hz(position)
        if config.cutoff_hz < fs / 2:
            position = filtering.lowpass(
                position,
                cutoff_hz=config.cutoff_hz,
                order=config.filter_order,
                time_jitter_tolerance=config.time_jitter_tolerance,
                max_step_s=max(config.max_gap_s, 1.5 / fs),
            )
        else:
            warnings.warn(
                f"the video's frame rate ({fs:.3g} frames/s) is too low to low-pass at {config.cutoff_hz} Hz "
                f"(Nyquist {fs / 2:.3g} Hz); keypoints were not filtered. Lower cutoff_hz to filter.",
                UserWarning,
                stacklevel=2,
            )
    return position
