"""Shared inputs of the events stage, read from the analysis data (:class:`movelab.kinematics.Motion`): cleaned
positions with their times, the client's size, the walking direction, and small signal helpers (velocity on
real timestamps, threshold crossings, runs)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from movelab.errors import ConfigError, InputError
from movelab.events.config import EventsConfig
from movelab.kinematics.config import KinematicsConfig
from movelab.kinematics.geometry import midpoint, point
from movelab.kinematics.motion import Motion
from movelab.kinematics.runs import runs
from movelab.kinematics.sole import outline_of
from movelab.kinematics.views import facing_sign

SIDES: tuple[str, str] = ("left", "right")


@dataclass(frozen=True)
class Signals:
    """Everything the detectors read, taken from the video's :class:`movelab.kinematics.Motion` (its arrays
    under the names the detectors use) plus the two quantities of the events stage, ``forward`` and
    ``leg_px``.

    Attributes
    ----------
    time_s, frame
        Per frame, from the landmark Dataset (real timestamps; possibly a variable frame rate).
    position
        Cleaned pixel positions ``(time, keypoint, space_2d)``.
    views
        Per-frame view labels.
    forward
        Per frame +1 when the client faces image right, −1 facing left; side-view labels are carried to
        the nearest frames without one (the client entering, an oblique moment); NaN when the video has
        no side view at all.
    leg_px
        The client's leg length in pixels (hip→knee + knee→ankle, 90th percentile over frames and sides);
        NaN when never measured or under ``min_leg_px``.
    unfiltered
        The same positions cleaned without the low-pass (the gait methods filter their own tracks) and
        without the partial leg-swap fix: the labelled feet of gait seen away from the side.
    label_free
        Only gated and gap-filled (no leg-swap fixes, no outlier rejection, no low-pass), for the side-view
        velocity method, which sorts the feet into front and rear itself. Those steps work per label: where
        the pose model exchanged the legs for a few frames, the outlier rejection half-undid the exchange
        and put the front heel 30 px behind where it landed, and a contact came 3 frames late
        (``sample_videos/gait_side.mp4``, docs/events-decisions.md).
    kinematics
        The kinematics settings the positions were cleaned with (the foot tracks of gait are low-passed
        with the same filter order and longest gap).
    outline_px, picture_height_px
        The person mask's outline per frame ``(time, outline_point, 2)`` and the picture's height, as the
        landmark Dataset kept them (the heel's rise from the sole, :func:`movelab.kinematics.sole.heel_rise_deg`,
        as the findings read it); None when no outline was kept.
    """

    time_s: np.ndarray
    frame: np.ndarray
    position: xr.DataArray
    views: xr.DataArray
    forward: np.ndarray
    leg_px: float
    unfiltered: xr.DataArray
    label_free: xr.DataArray
    kinematics: KinematicsConfig
    outline_px: np.ndarray | None = None
    picture_height_px: float | None = None

    _points: dict = field(default_factory=dict, repr=False, compare=False)  # keypoint -> read-only track

    def point(self, name: str) -> np.ndarray:
        """``(time, 2)`` pixel positions of one keypoint (NaN where missing), read-only: read from the positions
        once per keypoint (each rep's metrics ask again; a long recording's track is a large copy)."""
        track = self._points.get(name)
        if track is None:
            track = point(self.position, name)
            track.flags.writeable = False
            self._points[name] = track
        return track

    @property
    def view_labels(self) -> np.ndarray:
        """The per-frame view labels as a NumPy array (``views.values``)."""
        return self.views.values

    def part(self, lo: int, hi: int) -> SignalsPart:
        """These signals over the frames ``lo:hi`` only (:class:`SignalsPart`): what one rep's measures read, so
        that each costs its own length rather than the recording's (element-wise, and reduced over the same
        samples, the values are the same)."""
        return SignalsPart(self, slice(lo, hi))

    def hip_mid(self) -> np.ndarray:
        return midpoint(self.position, "hip", fallback=True)

    def nearest_frame(self, time_s: float) -> int:
        """The frame whose timestamp is nearest ``time_s``."""
        if len(self.time_s) == 1:
            return int(self.frame[0])
        index = int(np.clip(np.searchsorted(self.time_s, time_s), 1, len(self.time_s) - 1))
        if time_s - self.time_s[index - 1] <= self.time_s[index] - time_s:
            index -= 1
        return int(self.frame[index])

    @property
    def usable(self) -> bool:
        return bool(np.isfinite(self.leg_px))


class SignalsPart:
    """A :class:`Signals` over a window of its frames, read as a :class:`Signals` is (same attributes and methods,
    same client size and settings). The per-frame arrays are views of the whole recording's; a keypoint's track is
    the whole recording's (read once, :meth:`Signals.point`) sliced; the position arrays and view labels are
    sliced from the recording's only when first asked for (a rep's measures read tracks and
    :attr:`view_labels`, not the labelled arrays: selecting the four of them was 0.9 ms for each of a 10-minute
    recording's 358 reps)."""

    def __init__(self, whole: Signals, window: slice) -> None:
        self._whole, self._window = whole, window
        self.time_s = whole.time_s[window]
        self.frame = whole.frame[window]
        self.forward = whole.forward[window]
        self.leg_px = whole.leg_px
        self.kinematics = whole.kinematics
        self.outline_px = None if whole.outline_px is None else whole.outline_px[window]
        self.picture_height_px = whole.picture_height_px

    @functools.cached_property
    def position(self) -> xr.DataArray:
        return self._whole.position.isel(time=self._window)

    @functools.cached_property
    def views(self) -> xr.DataArray:
        return self._whole.views.isel(time=self._window)

    @functools.cached_property
    def unfiltered(self) -> xr.DataArray:
        return self._whole.unfiltered.isel(time=self._window)

    @functools.cached_property
    def label_free(self) -> xr.DataArray:
        return self._whole.label_free.isel(time=self._window)

    @property
    def view_labels(self) -> np.ndarray:
        """:attr:`Signals.view_labels` over this window (a view of the recording's)."""
        return self._whole.view_labels[self._window]

    def point(self, name: str) -> np.ndarray:
        """:meth:`Signals.point` over this window (a read-only view of the recording's track)."""
        return self._whole.point(name)[self._window]

    def part(self, lo: int, hi: int) -> SignalsPart:
        """Frames ``lo:hi`` of this window."""
        start = self._window.start + lo
        return SignalsPart(self._whole, slice(start, start + (hi - lo)))

    hip_mid = Signals.hip_mid
    nearest_frame = Signals.nearest_frame
    usable = Signals.usable


def build_signals(motion: Motion, *, config: EventsConfig = EventsConfig()) -> Signals:
    """The events stage's per-video quantities, read from ``motion`` (nothing is cleaned again)."""
    if not isinstance(motion, Motion):
        raise InputError(
            f"expected the analysis data of movelab.kinematics.compute_motion (a Motion), got {type(motion).__name__}"
        )
    if not isinstance(config, EventsConfig):
        raise ConfigError(f"config must be an EventsConfig, got {type(config).__name__}")
    leg = leg_length_px(motion.positions.cleaned)
    return Signals(
        time_s=motion.time_s,
        frame=motion.frame,
        position=motion.positions.cleaned,
        views=motion.frame_views,
        forward=_carry_nearest(facing_sign(motion.frame_views)),
        leg_px=leg if np.isfinite(leg) and leg >= config.min_leg_px else float("nan"),
        unfiltered=motion.positions.unfiltered,
        label_free=motion.positions.label_free,
        kinematics=motion.config,
        **outline_of(motion.landmarks),
    )


def leg_length_px(position: xr.DataArray) -> float:
    """Hip→knee plus knee→ankle in pixels: the 90th percentile over frames and both legs (NaN if never seen).

    The upper percentile ignores frames where the leg points towards the camera and looks short (the
    thigh in a squat filmed from the front).
    """
    lengths = []
    for side in SIDES:
        hip, knee, ankle = (point(position, f"{side}_{p}") for p in ("hip", "knee", "ankle"))
        lengths.append(np.hypot(*(knee - hip).T) + np.hypot(*(ankle - knee).T))
    values = np.concatenate(lengths)
    values = values[np.isfinite(values) & (values > 0)]
    return float(np.percentile(values, 90)) if values.size else float("nan")


def velocity(values: np.ndarray, time_s: np.ndarray) -> np.ndarray:
    """Time derivative of ``values`` (along the first axis) on the real timestamps, per finite run.

    Central differences inside a run, one-sided at its ends; NaN where the sample is NaN or alone.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values) if values.ndim == 1 else np.isfinite(values).all(axis=-1)
    for start, stop in runs(finite):
        if stop - start >= 2:
            out[start:stop] = np.gradient(values[start:stop], time_s[start:stop], axis=0)
    return out


def crossing_time(time_s: np.ndarray, values: np.ndarray, i: int, j: int, level: float) -> float:
    """Time at which the straight line from sample ``i`` to sample ``j`` reaches ``level``."""
    a, b = values[i], values[j]
    if not np.isfinite(a) or not np.isfinite(b) or a == b:
        return float(time_s[j])
    w = float(np.clip((level - a) / (b - a), 0.0, 1.0))
    return float(time_s[i] + w * (time_s[j] - time_s[i]))


def nanmean_rows(*arrays: np.ndarray) -> np.ndarray:
    """Element-wise mean ignoring NaN (NaN where all are NaN), without warnings."""
    stack = np.stack(arrays)
    count = np.isfinite(stack).sum(axis=0)
    total = np.nansum(stack, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _carry_nearest(sign: np.ndarray) -> np.ndarray:
    """Fill NaN with the nearest finite value (ties to the earlier one); all NaN stays NaN."""
    sign = np.asarray(sign, dtype=np.float64)
    known = np.flatnonzero(np.isfinite(sign))
    if known.size == 0:
        return sign
    index = np.arange(sign.size)
    right = np.clip(np.searchsorted(known, index), 0, known.size - 1)
    left = np.clip(right - 1, 0, known.size - 1)
    pick = np.where(np.abs(known[left] - index) <= np.abs(known[right] - index), known[left], known[right])
    return sign[pick]
