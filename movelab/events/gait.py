"""Gait events: initial contacts and toe-offs of each foot in a side-view walk.

Two methods, both along the walking direction of the side view (a walk to the left works like a walk to
the right) and both valid overground and on a treadmill:

* ``"zeni"`` (Zeni et al., Gait Posture 27:710, 2008), the baseline: initial contact at a maximum of the
  heel's position relative to the pelvis, toe-off at a minimum of the toe's, per labelled foot.
* ``"velocity"`` (movelab, the default): the feet's forward velocity **relative to the ground**, on the
  *front* and *rear* foot (sorted by position, so the model swapping the left and right labels does not
  matter). A swing is a peak of that velocity: the contact is where the front heel's velocity then falls
  below ``contact_walking_speed_fraction`` of the walking speed and stays low, the toe-off where the rear
  toe's velocity last rose above ``toe_off_walking_speed_fraction`` of it (a foot is in stance while it
  moves slower than 0.75 walking speeds; a real heel lands still moving). The ground's velocity in the
  picture is the median over frames of the slower foot's (one foot is always down in walking): about zero
  overground with a still camera, minus the belt speed on a treadmill. Sides come from the contacts'
  alternation, phased by the landmark labels' majority.

The maths of both is in ``docs/events.md``, their measured accuracy in ``docs/events-accuracy.md``; cycles and
the spatiotemporal summary in :mod:`movelab.events.cycles`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from movelab.errors import ConfigError
from movelab.events._peaks import find_peaks
from movelab.events._signals import (
    SIDES,
    Signals,
    build_signals,
    crossing_time,
    nanmean_rows,
    runs,
    velocity,
)
from movelab.events.config import EventsConfig, GaitMethod
from movelab.kinematics.filtering import hampel, lowpass
from movelab.kinematics.geometry import midpoint, point
from movelab.kinematics.motion import Motion

__all__ = ["EVENT_COLUMNS", "detect_gait_events", "gait_events", "picture_direction", "walk_tracks", "walk_view"]

#: Columns of every events table.
EVENT_COLUMNS: list[str] = ["event", "side", "time_s", "frame"]


@dataclass(frozen=True)
class _Walk:
    """Foot and pelvis tracks projected on the walking direction in the picture (px), per labelled side, and
    the ground's and the walker's speed along it (px/s).

    ``side_view`` is False when the video has no side view and the direction was taken from the feet's
    motion in the picture (walking towards, away from or obliquely to the camera); then ``pelvis`` is the
    feet's midpoint (the hips of a walker approaching a camera at hip height hardly move in the picture)
    and ``scale`` is the walker's local speed over its median (the picture speed of a walker approaching
    the camera grows as the distance shrinks), which velocity thresholds divide out. ``scale`` is 1 in
    side views. ``direction`` is the per-frame unit vector the tracks were projected on.
    """

    heel: dict[str, np.ndarray]
    toe: dict[str, np.ndarray]
    foot: dict[str, np.ndarray]
    pelvis: np.ndarray
    ground_px_s: float
    speed_px_s: float
    side_view: bool
    scale: np.ndarray
    direction: np.ndarray


def detect_gait_events(
    motion: Motion,
    *,
    method: GaitMethod | None = None,
    config: EventsConfig = EventsConfig(),
) -> pd.DataFrame:
    """Initial contacts and toe-offs of both feet in a side-view walk.

    Parameters
    ----------
    motion
        The video's analysis data (:func:`movelab.kinematics.compute_motion`): its views and cleaned positions.
    method
        ``"velocity"`` or ``"zeni"``; default ``config.gait_method``.
    config
        Settings, see :class:`EventsConfig`.

    Returns
    -------
    pandas.DataFrame
        Columns ``event`` (``initial_contact`` or ``toe_off``), ``side`` (``left``/``right``), ``time_s``
        (interpolated between frames) and ``frame`` (the nearest frame), in time order. Empty when the
        video has no side view, or nobody walks.
    """
    signals = build_signals(motion, config=config)
    return gait_events(signals, method=method or config.gait_method, config=config)


def gait_events(signals: Signals, *, method: GaitMethod, config: EventsConfig) -> pd.DataFrame:
    """:func:`detect_gait_events` on prepared :class:`Signals`."""
    return walk_events(signals, method=method, config=config)[0]


def walk_events(signals: Signals, *, method: GaitMethod, config: EventsConfig) -> tuple[pd.DataFrame, _Walk | None]:
    """:func:`gait_events` and the walk they were read from (:func:`walk_tracks` of the cleaned positions;
    None when there is none to measure)."""
    if method not in ("velocity", "zeni"):
        raise ConfigError(f"method must be 'velocity' or 'zeni', got {method!r}")
    walk = walk_tracks(signals, signals.position)
    min_speed = config.walk_min_speed if walk is None or walk.side_view else config.walk_min_speed_picture
    if walk is None or not walk.speed_px_s >= min_speed * signals.leg_px:
        return _table([], signals), walk
    if method == "zeni":  # the foot relative to the pelvis: a side-view method
        return _table(_zeni_events(signals, walk, config) if walk.side_view else [], signals), walk
    # the velocity method reads the feet before the low-pass, and filters its own front/rear tracks
    if not walk.side_view:  # labelled feet
        return _table(
            _picture_events(signals, walk_tracks(signals, signals.unfiltered, reuse=walk), config), signals
        ), walk
    sortable = walk_tracks(signals, signals.label_free, reuse=walk)  # sorted into front and rear by position
    return _table(_velocity_events(signals, sortable, config), signals), walk


def walk_ground(walk: _Walk | None) -> str | None:
    """``"treadmill"`` when the feet in stance move at over half the walker's speed through the picture
    (the belt carries them), else ``"overground"``; None without a walk."""
    if walk is None or not walk.speed_px_s > 0:
        return None
    return "treadmill" if abs(walk.ground_px_s) > 0.5 * walk.speed_px_s else "overground"


def steady_belt_fraction(walk: _Walk, time_s: np.ndarray) -> float:
    """Fraction of the frames (both feet seen) in which the slower foot moves back at 0.5–1.5 times the
    ground's speed: near 1 when a treadmill's belt carries the stance foot, low when a negative ground speed
    is landmark jitter or left/right exchanges of a client who stays in place; 0 when the ground does not
    move back."""
    if not walk.ground_px_s < 0:
        return 0.0
    slower = np.minimum(velocity(walk.foot["left"], time_s), velocity(walk.foot["right"], time_s))
    slower = slower[np.isfinite(slower)]
    if not slower.size:
        return 0.0
    ground = walk.ground_px_s
    return float(np.mean((slower <= 0.5 * ground) & (slower >= 1.5 * ground)))


def walk_tracks(signals: Signals, position: xr.DataArray, *, reuse: _Walk | None = None) -> _Walk | None:
    """The feet and pelvis along the walking direction, and the ground's and the walker's speed.

    In a video with a side view the walking direction is the client's facing (image ``x`` times
    ``signals.forward``); in one without, the direction of the feet's motion in the picture
    (:func:`picture_direction`). None when there is neither, or too little to measure. ``reuse``: a walk
    of the same video (other positions) whose direction, ground and walking speed are taken as they are.
    """
    if not signals.usable:
        return None
    side_view = bool(np.isfinite(signals.forward).any())
    if reuse is not None:
        direction = reuse.direction
    elif side_view:
        direction = np.stack([signals.forward, np.zeros_like(signals.forward)], axis=1)
    else:
        direction = picture_direction(signals)
    if direction is None:
        return None
    t = signals.time_s

    def along(name: str) -> np.ndarray:
        return np.sum(point(position, name) * direction, axis=1)

    heel, toe, foot = {}, {}, {}
    for side in SIDES:
        heel[side], toe[side] = along(f"{side}_heel"), along(f"{side}_foot_index")
        centre = nanmean_rows(heel[side], toe[side])
        foot[side] = np.where(np.isfinite(centre), centre, along(f"{side}_ankle"))
    if side_view:
        pelvis = np.sum(midpoint(position, "hip", fallback=True) * direction, axis=1)
    else:
        pelvis = nanmean_rows(foot["left"], foot["right"])
    if reuse is not None:
        ground_px_s, speed_px_s = reuse.ground_px_s, reuse.speed_px_s
    else:
        v_left, v_right = velocity(foot["left"], t), velocity(foot["right"], t)
        both = np.isfinite(v_left) & np.isfinite(v_right)
        v_pelvis = velocity(pelvis, t)
        if both.sum() < 5 or not np.isfinite(v_pelvis).any():
            return None
        ground_px_s = float(np.median(np.minimum(v_left, v_right)[both]))
        speed_px_s = float(np.nanmedian(v_pelvis)) - ground_px_s
    scale = np.ones_like(t) if side_view else _speed_scale(pelvis, t, ground_px_s, speed_px_s)
    return _Walk(heel, toe, foot, pelvis, ground_px_s, speed_px_s, side_view, scale, direction)


def picture_direction(signals: Signals) -> np.ndarray | None:
    """``(time, 2)`` unit vector of the walking direction in the picture, for a video without a side view.

    The direction of the feet's mean motion (a straight line fitted to the mean of both heels and toes
    against time) when it moves at least ``0.05`` leg lengths per second; otherwise, on a treadmill or
    standing, straight down the picture in front view (walking towards the camera) and up in back view;
    None in other views.
    """
    feet = nanmean_rows(*(signals.point(f"{s}_{p}") for s in SIDES for p in ("heel", "foot_index")))
    seen = np.isfinite(feet).all(axis=1)
    if seen.sum() < 5:
        return None
    t = signals.time_s[seen]
    slope = np.array([np.polyfit(t, feet[seen, k], 1)[0] for k in range(2)])
    speed = float(np.hypot(*slope))
    if speed >= 0.05 * signals.leg_px:
        unit = slope / speed
    else:
        labels = [str(v) for v in np.asarray(signals.views.values)[seen]]
        front, back = labels.count("front"), labels.count("back")
        if max(front, back) <= 0.5 * len(labels):
            return None
        unit = np.array([0.0, 1.0 if front > back else -1.0])
    return np.tile(unit, (signals.time_s.size, 1))


def _speed_scale(pelvis: np.ndarray, t: np.ndarray, ground_px_s: float, speed_px_s: float) -> np.ndarray:
    """The walker's local speed along the walking direction over its median speed: the feet's midpoint
    velocity relative to the ground, averaged over 1.2 s (a stride), kept within 0.25–4."""
    if not speed_px_s > 0:
        return np.ones_like(t)
    v = velocity(pelvis, t) - ground_px_s
    rate = 1.0 / float(np.median(np.diff(t)))
    half = max(1, int(round(0.6 * rate)))
    local = pd.Series(v).rolling(2 * half + 1, center=True, min_periods=half).mean().to_numpy()
    local = pd.Series(local).ffill().bfill().to_numpy()
    ratio = np.clip(local / speed_px_s, 0.25, 4.0)
    return np.where(np.isfinite(ratio), ratio, 1.0)


# ----------------------------------------------------------------------------- the velocity method


def _glitches(track: np.ndarray, t: np.ndarray, walk: _Walk, leg_px: float, config: EventsConfig) -> np.ndarray:
    """Samples of a (front or rear) foot track to ignore: jumps away and back (:func:`_teleports`),
    single-frame spikes (:func:`_spikes`), and outliers of a Hampel filter over
    ``foot_hampel_half_window_s`` that stray more than ``foot_hampel_min_deviation`` leg lengths. The Hampel
    filter runs on the track relative to the ground (minus the ground's motion in the picture): a stance
    foot is still there, overground and on a treadmill alike, so a landmark wandering off it stands out."""
    relative = _on_ground(track, t, walk.ground_px_s)
    da = xr.DataArray(relative, dims=("time",), coords={"time": t})
    outliers = np.isnan(
        hampel(
            da, half_window_s=config.foot_hampel_half_window_s, min_deviation=config.foot_hampel_min_deviation * leg_px
        ).values
    )
    return (
        (outliers & np.isfinite(track))
        | _teleports(track, t, walk, config)
        | _spikes(track, t, walk.ground_px_s, config.foot_spike_min_jump * leg_px)
    )


def _spikes(track: np.ndarray, t: np.ndarray, ground_px_s: float, min_jump_px: float) -> np.ndarray:
    """Samples a foot track jumps to and straight back from, by more than ``min_jump_px`` each way relative
    to the ground (the model putting a point off the foot for one frame). A walking foot never reverses
    that fast: its forward velocity relative to the ground is never much below zero. (A sorted track's
    kink where the feet cross is a change of slope, not a reversal.) Of neighbouring reversals the larger
    one is the spike."""
    out = np.zeros(track.size, dtype=bool)
    if track.size < 3:
        return out
    relative = _on_ground(track, t, ground_px_s)
    step_in, step_out = np.diff(relative)[:-1], np.diff(relative)[1:]
    jump = np.zeros(track.size)
    with np.errstate(invalid="ignore"):
        reversal = np.sign(step_in) == -np.sign(step_out)
        jump[1:-1] = np.where(reversal, np.fmin(np.abs(step_in), np.abs(step_out)), 0.0)
    jump = np.nan_to_num(jump)
    # the spike itself, not a neighbour whose step in or out is the spike's
    out[1:-1] = (jump[1:-1] > min_jump_px) & (jump[1:-1] >= jump[:-2]) & (jump[1:-1] >= jump[2:])
    return out


def _bridge(track: np.ndarray, t: np.ndarray, ground_px_s: float, max_gap_s: float) -> np.ndarray:
    """The track with interior gaps (finite samples on both sides at most ``max_gap_s`` apart) filled by
    straight lines relative to the ground (a stance foot hidden for a moment stays where it was on the
    ground, also on a treadmill's moving belt)."""
    finite = np.isfinite(track)
    if finite.sum() < 2 or finite.all():
        return track
    relative = _on_ground(track, t, ground_px_s)
    idx = np.flatnonzero(finite)
    out = relative.copy()
    for a, b in zip(idx[:-1], idx[1:]):
        if b - a > 1 and t[b] - t[a] <= max_gap_s:
            out[a + 1 : b] = np.interp(t[a + 1 : b], t[[a, b]], relative[[a, b]])
    return out + ground_px_s * (t - t[0])


def _on_ground(track: np.ndarray, t: np.ndarray, ground_px_s: float) -> np.ndarray:
    """A track relative to the ground: minus the ground's motion in the picture since the first frame (a
    stance foot is still in it, overground and on a treadmill's belt alike)."""
    return track - ground_px_s * (t - t[0])


def _teleports(track: np.ndarray, t: np.ndarray, walk: _Walk, config: EventsConfig) -> np.ndarray:
    """Samples of a foot track inside a jump away and back (the model putting a hidden foot on the other
    one for a few frames): a frame-to-frame move faster than ``foot_max_speed`` times the walking speed
    (relative to the ground), followed within ``teleport_max_s`` by one the other way."""
    dt = np.diff(t)
    step = (np.diff(track) - walk.ground_px_s * dt) / walk.scale[1:]
    jumps = np.flatnonzero(np.abs(step) > config.foot_max_speed * walk.speed_px_s * dt)
    blank = np.zeros(track.size, dtype=bool)
    for i in jumps:
        back = jumps[(jumps > i) & (t[jumps + 1] - t[i + 1] <= config.teleport_max_s)]
        back = back[np.sign(step[back]) == -np.sign(step[i])]
        if back.size:
            blank[i + 1 : back[0] + 1] = True
    return blank


def _velocity_events(signals: Signals, walk: _Walk, config: EventsConfig) -> list[tuple]:
    """Label-free front and rear feet; a contact where the front heel stops after a swing, a toe-off where
    the rear toe starts before one; then the sides (see docs/events.md)."""
    t = signals.time_s
    v_front, v_rear, v_heel, v_toe, left_front = _front_rear_velocities(signals, walk, config)
    height = config.swing_min_speed * walk.speed_px_s

    def stance_level(walking_fraction: float | None) -> float | None:
        return None if walking_fraction is None else walking_fraction * walk.speed_px_s

    contacts = _swing_ends(
        t,
        v_front,
        v_heel,
        step=+1,
        height=height,
        fraction=config.contact_speed_fraction,
        level_px_s=stance_level(config.contact_walking_speed_fraction),
        config=config,
        settle_s=contact_settle_s(config),
    )
    toe_offs = _swing_ends(
        t,
        v_rear,
        v_toe,
        step=-1,
        height=height,
        fraction=config.toe_off_speed_fraction,
        level_px_s=stance_level(config.toe_off_walking_speed_fraction),
        config=config,
    )
    return _assign_sides(t, contacts, toe_offs, left_front, config)


def contact_settle_s(config: EventsConfig) -> float:
    """How long the front foot must stay slow after a side-view contact: ``contact_min_stance_s`` (a landed
    foot stays in front, in stance, until the other foot swings past it), or ``foot_settle_s`` with the
    levels used before (``contact_walking_speed_fraction`` None), kept as they were."""
    return config.foot_settle_s if config.contact_walking_speed_fraction is None else config.contact_min_stance_s


def _front_rear_velocities(signals: Signals, walk: _Walk, config: EventsConfig) -> tuple[np.ndarray, ...]:
    """Velocities relative to the ground (px/s, along the walking direction) of the front foot, the rear
    foot, the front heel and the rear toe, cleaned of glitches, bridged over short gaps and low-passed;
    and per frame +1 where the left foot is the front one, −1 the right, 0 unknown."""
    t = signals.time_s
    known = np.isfinite(walk.foot["left"]) & np.isfinite(walk.foot["right"])
    front_is_left = np.where(known, walk.foot["left"] >= walk.foot["right"], False)

    def sorted_track(track: dict[str, np.ndarray], front: bool) -> np.ndarray:
        return np.where(known, np.where(front_is_left == front, track["left"], track["right"]), np.nan)

    glitch = {
        front: _glitches(sorted_track(walk.foot, front), t, walk, signals.leg_px, config) for front in (True, False)
    }

    def pick(track: dict[str, np.ndarray], front: bool) -> np.ndarray:
        # a glitch of the foot (heel and toe's mean) or of the point itself removes a sample of the point
        raw = sorted_track(track, front)
        bad = glitch[front] if track is walk.foot else glitch[front] | _glitches(raw, t, walk, signals.leg_px, config)
        return _smooth(_bridge(np.where(bad, np.nan, raw), t, walk.ground_px_s, config.foot_max_gap_s), signals, config)

    def rel_velocity(track: np.ndarray) -> np.ndarray:
        return (velocity(track, t) - walk.ground_px_s) / walk.scale

    v_front, v_rear = rel_velocity(pick(walk.foot, True)), rel_velocity(pick(walk.foot, False))
    v_heel, v_toe = rel_velocity(pick(walk.heel, True)), rel_velocity(pick(walk.toe, False))
    left_front = np.where(known, np.where(front_is_left, 1.0, -1.0), 0.0)
    return v_front, v_rear, v_heel, v_toe, left_front


def _picture_events(signals: Signals, walk: _Walk, config: EventsConfig) -> list[tuple]:
    """Events of a walk seen from the front, the back or obliquely, per labelled foot: the foot's speed in
    the picture (both directions: from the front a swing is mostly the foot lifting and landing lower in
    the picture), relative to the ground; a contact where the heel stops after a swing peak, a toe-off
    where the toe starts before one (as :func:`_velocity_events`, with the model's side labels, which are
    reliable away from side view)."""
    t = signals.time_s
    ground = walk.ground_px_s * walk.direction

    def speed(name: str) -> np.ndarray:
        xy = point(signals.unfiltered, name)
        xy = np.stack([_smooth(xy[:, k], signals, config) for k in range(2)], axis=1)
        v = np.stack([velocity(xy[:, k], t) for k in range(2)], axis=1) - ground
        return np.hypot(v[:, 0], v[:, 1]) / walk.scale

    from_behind = walk_view(signals, walk) == "back"  # the toes are hidden behind the heels
    height = max(config.swing_min_speed * walk.speed_px_s, config.swing_min_picture_speed * signals.leg_px)
    gap = 0.5 * config.stride_range_s[0]
    out = []
    for side in SIDES:
        heel, toe = speed(f"{side}_heel"), speed(f"{side}_foot_index")
        foot = nanmean_rows(heel, toe)
        contacts = _swing_ends(
            t, foot, heel, step=+1, height=height, fraction=config.picture_contact_speed_fraction, config=config
        )
        toe_offs = _swing_ends(
            t, foot, toe, step=-1, height=height, fraction=config.toe_off_speed_fraction, config=config
        )
        out += [("initial_contact", side, when) for when in _one_per_swing(contacts, gap, keep="last")]
        if not from_behind:
            out += [("toe_off", side, when) for when in _one_per_swing(toe_offs, gap, keep="first")]
    return [e for event in ("initial_contact", "toe_off") for e in _alternating([e for e in out if e[0] == event])]


def _alternating(events: list[tuple]) -> list[tuple]:
    """Events of one kind, of both feet, with the duplicates a label mix-up makes removed: of two events
    closer than half the median interval, the one whose side breaks the left/right alternation."""
    events = sorted(events, key=lambda e: e[2])
    if len(events) < 3:
        return events
    half = 0.5 * float(np.median(np.diff([e[2] for e in events])))
    kept: list[tuple] = []
    for k, e in enumerate(events):
        if kept and e[2] - kept[-1][2] < half:
            before = kept[-2][1] if len(kept) >= 2 else None
            after = events[k + 1][1] if k + 1 < len(events) else None
            if (before is not None and kept[-1][1] == before) or (after is not None and e[1] == after):
                if kept[-1][1] == before:
                    kept[-1] = e
                continue
        kept.append(e)
    return kept


def walk_view(signals: Signals, walk: _Walk | None) -> str | None:
    """How the walk was filmed: ``"side"``, or else the commonest view label among the frames with the
    client (``"front"``, ``"back"``, ``"oblique"``); None when there is no walk."""
    if walk is None:
        return None
    if walk.side_view:
        return "side"
    labels = [str(v) for v in np.asarray(signals.views.values) if str(v) in ("front", "back", "oblique")]
    return max(("front", "back", "oblique"), key=labels.count) if labels else None


def _one_per_swing(times: list[float], gap_s: float, *, keep: str) -> list[float]:
    """One event of a foot per swing: of events closer than ``gap_s`` (half the shortest stride) keep the
    last (contacts: seen from the front a swing can show two speed peaks, the foot lifting and then
    landing, and only the second one ends on the floor) or the first (toe-offs, likewise)."""
    kept: list[float] = []
    for when in sorted(times):
        if kept and when - kept[-1] < gap_s:
            if keep == "last":
                kept[-1] = when
            continue
        kept.append(when)
    return kept


def _swing_ends(
    t: np.ndarray,
    v_track: np.ndarray,
    v_point: np.ndarray,
    *,
    step: int,
    height: float,
    fraction: float,
    config: EventsConfig,
    level_px_s: float | None = None,
    settle_s: float | None = None,
) -> list[float]:
    """Times where a swing of the track ends (``step`` +1: the point stops after the peak) or starts
    (``step`` −1: the point starts before it): where the point's velocity crosses ``level_px_s``, or
    ``fraction`` of the swing's peak when that is None. Peaks under half the median swing peak (a landmark
    glitch) are ignored; of two ends closer than half the median interval, the one of the higher peak is
    kept. ``settle_s``: how long the point must stay slow after (before) the end, default
    ``config.foot_settle_s``."""
    rate = 1.0 / float(np.median(np.diff(t)))
    distance = max(1, int(0.25 * config.stride_range_s[0] * rate))
    peaks, _ = find_peaks(np.where(np.isfinite(v_track), v_track, -np.inf), height=height, distance=distance)
    peaks = _with_cut_swing(peaks, v_track, step, height, distance)
    if peaks.size == 0:
        return []
    peaks = peaks[v_track[peaks] >= 0.5 * np.median(v_track[peaks])]
    ends = []
    for p in peaks:
        level = fraction * v_track[p] if level_px_s is None else level_px_s
        found = _scan(
            t,
            v_point,
            v_track,
            start=p,
            step=step,
            level=level,
            max_s=config.swing_max_s,
            settle_s=config.foot_settle_s if settle_s is None else settle_s,
        )
        if found is not None:
            ends.append((found, float(v_track[p])))
    if len(ends) >= 3:
        gap = float(np.median(np.diff([e[0] for e in ends])))
        kept: list[tuple[float, float]] = []
        for end in ends:
            if kept and end[0] - kept[-1][0] < 0.5 * gap:
                if end[1] > kept[-1][1]:
                    kept[-1] = end
                continue
            kept.append(end)
        ends = kept
    return [e[0] for e in ends]


def _with_cut_swing(peaks: np.ndarray, v_track: np.ndarray, step: int, height: float, distance: int) -> np.ndarray:
    """``peaks`` and, where the track's end cuts a swing (the video's end, or the walker leaving the picture),
    its edge: for swing starts (``step`` −1) the last seen sample when the track is still speeding up there,
    above ``height`` and ``distance`` samples past the last peak (a toe-off just before the end, whose swing
    peaks after it); for swing ends (+1) likewise the first seen sample, slowing down (a contact just after
    the video starts or the walker enters)."""
    seen = np.flatnonzero(np.isfinite(v_track))
    if seen.size < 2:
        return peaks
    edge, inner = (seen[-1], seen[-2]) if step < 0 else (seen[0], seen[1])
    rising = v_track[edge] > v_track[inner] and inner == edge + step
    clear = peaks.size == 0 or abs(edge - (peaks[-1] if step < 0 else peaks[0])) >= distance
    if rising and clear and v_track[edge] >= height:
        return np.sort(np.append(peaks, edge))
    return peaks


def _assign_sides(
    t: np.ndarray, contacts: list[float], toe_offs: list[float], left_front: np.ndarray, config: EventsConfig
) -> list[tuple]:
    """Sides of label-free events.

    Contacts alternate between the feet: within a chain of contacts (broken where one is missing, a gap
    over 1.6 times the median step), the sides alternate and the chain's phase is the one the landmark
    labels agree with most (the landing foot is the front one for ``side_vote_s`` after contact). A
    toe-off belongs to the foot opposite the contact just before it (the rear foot leaves after the front
    one has landed), or else to the foot of the contact just after it.
    """
    out = []
    sides: list[str | None] = [None] * len(contacts)
    times = np.array(contacts)
    step = float(np.median(np.diff(times))) if times.size >= 2 else 0.5 * config.stride_range_s[1]
    if contacts:
        chains, current = [], [0]
        for k in range(1, len(contacts)):
            if contacts[k] - contacts[k - 1] > 1.6 * step:
                chains.append(current)
                current = []
            current.append(k)
        chains.append(current)
        for chain in chains:
            votes = np.array([_vote(t, left_front, contacts[k], +1, config.side_vote_s) for k in chain])
            parity = np.where(np.arange(len(chain)) % 2 == 0, 1.0, -1.0)
            score = float(np.sum(votes * parity))
            if score == 0:
                continue
            first = "left" if score > 0 else "right"
            for i, k in enumerate(chain):
                sides[k] = first if i % 2 == 0 else _other(first)
        out += [("initial_contact", side, when) for when, side in zip(contacts, sides) if side is not None]
    for when in toe_offs:
        before = np.flatnonzero((times < when) & (times > when - step))
        after = np.flatnonzero((times > when) & (times < when + step))
        if before.size and sides[before[-1]] is not None:
            side = _other(sides[before[-1]])
        elif after.size and sides[after[0]] is not None:
            side = sides[after[0]]
        else:
            vote = _vote(t, left_front, when, -1, config.side_vote_s)
            side = None if vote == 0 else ("right" if vote > 0 else "left")
        if side is not None:
            out.append(("toe_off", side, when))
    return out


def _vote(t: np.ndarray, left_front: np.ndarray, when: float, step: int, window_s: float) -> float:
    """Mean of ``left_front`` (+1 left foot in front, −1 right, 0 unknown) over ``window_s`` after
    (``step`` +1) or before (−1) ``when``."""
    window = (t >= when) & (t <= when + window_s) if step > 0 else (t <= when) & (t >= when - window_s)
    return float(np.mean(left_front[window])) if window.any() else 0.0


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _smooth(track: np.ndarray, signals: Signals, config: EventsConfig) -> np.ndarray:
    """Zero-lag low-pass of one track at ``foot_cutoff_hz`` with the kinematics' filter order and longest
    bridged gap (per finite run; unchanged when the video's frame rate is too low)."""
    t, kinematics = signals.time_s, signals.kinematics
    rate = 1.0 / float(np.median(np.diff(t)))
    if config.foot_cutoff_hz >= rate / 2:
        return track
    da = xr.DataArray(track, dims=("time",), coords={"time": t})
    return lowpass(
        da,
        cutoff_hz=config.foot_cutoff_hz,
        order=kinematics.filter_order,
        max_step_s=max(kinematics.max_gap_s, 1.5 / rate),
    ).values


def _scan(
    t: np.ndarray,
    primary: np.ndarray,
    fallback: np.ndarray,
    *,
    start: int,
    step: int,
    level: float,
    max_s: float,
    settle_s: float = 0.0,
) -> float | None:
    """Walk from sample ``start`` in direction ``step`` until the velocity (``primary`` where finite, else
    ``fallback``) is at or below ``level`` and stays at or below twice that for ``settle_s`` further on (a
    foot that has landed stays still; a momentary dip is a landmark glitch); the interpolated crossing
    time, or None if the track ends, is lost, or ``max_s`` passes first."""
    value = np.where(np.isfinite(primary), primary, fallback)
    previous = start
    j = start + step
    while 0 <= j < t.size and abs(t[j] - t[start]) <= max_s:
        if not np.isfinite(value[j]):
            return None
        if value[j] <= level:
            after = j + step
            settled = True
            while 0 <= after < t.size and abs(t[after] - t[j]) <= settle_s:
                if np.isfinite(value[after]) and value[after] > 2 * level:
                    settled = False
                    break
                after += step
            if settled:
                return crossing_time(t[[previous, j]], value[[previous, j]], 0, 1, level)
        previous, j = j, j + step
    return None


# ----------------------------------------------------------------------------- Zeni's method


def _zeni_events(signals: Signals, walk: _Walk, config: EventsConfig) -> list[tuple]:
    """Heel-minus-pelvis maxima (contacts) and toe-minus-pelvis minima (toe-offs), refined to a fraction of
    a frame by a parabola through the peak and its neighbours."""
    t = signals.time_s
    rate = 1.0 / float(np.median(np.diff(t)))
    distance = max(1, int(0.5 * config.stride_range_s[0] * rate))
    prominence = config.zeni_min_prominence * signals.leg_px
    out = []
    for side in SIDES:
        for event, track, sign in (("initial_contact", walk.heel[side], 1.0), ("toe_off", walk.toe[side], -1.0)):
            relative = sign * (track - walk.pelvis)
            for start, stop in runs(np.isfinite(relative)):
                segment = relative[start:stop]
                peaks, _ = find_peaks(segment, prominence=prominence, distance=distance)
                out += [(event, side, _parabolic_peak(t[start:stop], segment, p)) for p in peaks]
    return out


def _parabolic_peak(t: np.ndarray, y: np.ndarray, p: int) -> float:
    """Time of the vertex of the parabola through samples ``p − 1``, ``p``, ``p + 1``."""
    if p <= 0 or p >= y.size - 1:
        return float(t[p])
    denominator = y[p - 1] - 2 * y[p] + y[p + 1]
    if denominator >= 0:
        return float(t[p])
    offset = 0.5 * (y[p - 1] - y[p + 1]) / denominator
    dt = t[p + 1] - t[p] if offset > 0 else t[p] - t[p - 1]
    return float(t[p] + offset * dt)


def _table(found: list[tuple], signals: Signals) -> pd.DataFrame:
    """The events table (:data:`EVENT_COLUMNS`) of ``(event, side, time_s)`` tuples, in time order."""
    rows = [(event, side, float(t), signals.nearest_frame(t)) for event, side, t in sorted(found, key=lambda r: r[2])]
    return pd.DataFrame(rows, columns=EVENT_COLUMNS).astype({"time_s": float, "frame": np.int64})
