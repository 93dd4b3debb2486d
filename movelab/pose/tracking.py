"""Choosing the client among the people in view, and keeping them from frame to frame.

The rule (documented in docs/pose.md):

1. Every person the model returns is followed by a simple multi-person tracker: each frame's people are
   matched to the existing tracks by the distance of their hip centres, scaled by the track's torso
   height and the time since it was last seen (Hungarian assignment, gated by ``max_jump``).
2. The client is chosen once, after a look-ahead window (``window_s``, 5 s by default) from the first
   frame in which anyone is seen: the track with the largest sum over that window of
   ``box area × mean landmark presence × centrality``, times ``1 + travel`` (the range of its hip
   centre in torso heights, capped at ``max_motion_bonus``): the person who is largest, most completely
   visible, near the centre, present longest and moving wins. ``person=N`` picks the N-th track of that
   ranking instead; ``person=(x, y)`` picks the track whose box contains that point (pixels) in the
   first frame of the window, or the nearest one.
3. After that, a frame gets the client's landmarks only when the client's track was matched. When the
   client's track has been lost for longer than ``max_lost_s``, a *new* track (one that starts after the
   client vanished, of a compatible size: ``size_ratio`` of the client's last torso height, entering
   at an edge of the picture (``edge_fraction``) or where the client left, and not born beside another
   person who was in view just then) is adopted as the client returning. Frames in between are
   missing, never filled with someone else.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Detection", "TrackedFrame", "ClientTracker"]

_L_SHOULDER, _R_SHOULDER, _L_HIP, _R_HIP = 11, 12, 23, 24
_INFEASIBLE = 1e6
_MAX_REACH = 5.0  # the gate never grows beyond 5 x max_jump, however long a track was unseen
_SIZE_STEP = (0.6, 1.6)  # torso height ratio allowed between two sightings of one track
_SCALE_SMOOTHING = 0.2  # weight of a new sighting in the track's smoothed torso height
_CLIENT_PREFERENCE = 0.5  # the client's track costs half: ties between duplicate tracks go to it


@dataclass
class Detection:
    """One person in one frame, as the tracker needs it: pixel landmarks, presence and a payload."""

    xy_px: np.ndarray  # (33, 2)
    presence: np.ndarray  # (33,)
    payload: Any = None  # whatever the caller wants back for the chosen person

    @property
    def hip_centre(self) -> np.ndarray:
        return (self.xy_px[_L_HIP] + self.xy_px[_R_HIP]) / 2.0

    @property
    def torso_px(self) -> float:
        shoulders = (self.xy_px[_L_SHOULDER] + self.xy_px[_R_SHOULDER]) / 2.0
        return float(max(np.linalg.norm(shoulders - self.hip_centre), 1.0))

    def box(self) -> np.ndarray:
        return np.concatenate([self.xy_px.min(axis=0), self.xy_px.max(axis=0)])


@dataclass
class _Track:
    track_id: int
    last: Detection
    last_time_s: float
    first_time_s: float
    score: float = 0.0
    first: Detection | None = None
    path: list = field(default_factory=list)  # hip centres while the client is being chosen
    born_near_other: bool = False
    scale_px: float = 0.0  # torso height smoothed over sightings, robust to one bad detection

    def __post_init__(self) -> None:
        if self.first is None:
            self.first = self.last
        self.path.append(self.last.hip_centre)
        self.scale_px = self.last.torso_px

    def see(self, det: Detection, time_s: float) -> None:
        self.last, self.last_time_s = det, time_s
        self.scale_px += _SCALE_SMOOTHING * (det.torso_px - self.scale_px)

    def distance(self, det: Detection, time_s: float) -> float:
        """Hip-centre distance in torso heights, divided by the allowance for the time elapsed.

        Infinite when the torso height changed by more than ``_SIZE_STEP`` allows. A value ≤ 1 is within reach:
        ``max_jump`` torso heights for the next frame (at 30 frames/s),
        plus a third of that per further frame missed, up to ``_MAX_REACH`` torso heights.
        """
        ratio = det.torso_px / self.scale_px
        if not _SIZE_STEP[0] <= ratio <= _SIZE_STEP[1]:
            return np.inf  # nobody changes size that much between two sightings: a misdetection
        frames = max((time_s - self.last_time_s) * 30.0, 1.0)
        reach = min(1.0 + (frames - 1.0) / 3.0, _MAX_REACH)
        return float(np.linalg.norm(det.hip_centre - self.last.hip_centre) / self.scale_px / reach)


@dataclass(frozen=True)
class TrackedFrame:
    """The tracker's decision for one frame: the client's detection, or ``None`` when missing, and the
    other people the model saw in it (their faces are blurred in exported pictures too)."""

    index: int
    time_s: float
    client: Detection | None
    n_people: int
    others: tuple[Detection, ...] = ()


@dataclass
class ClientTracker:
    """Follow every person, choose the client once, and report the client frame by frame.

    Feed frames with :meth:`update`; it yields decided :class:`TrackedFrame` objects, in order, as soon as
    they are decided (frames are held back only during the initial look-ahead window). Call
    :meth:`finish` at the end to flush the rest.
    """

    width_px: int
    height_px: int
    person: int | tuple[float, float] | None = None
    window_s: float = 5.0
    max_motion_bonus: float = 3.0
    edge_fraction: float = 0.15
    max_jump: float = 0.6
    max_lost_s: float = 0.5
    size_ratio: tuple[float, float] = (0.6, 1.6)
    forget_s: float = 2.0
    _tracks: dict[int, _Track] = field(default_factory=dict)
    _next_id: int = 0
    _pending: deque = field(default_factory=deque)
    _window_start_s: float | None = None
    client_id: int | None = None
    _client_last: _Track | None = None
    _others_last: dict[int, _Track] = field(default_factory=dict)
    ranking: list[int] = field(default_factory=list)

    # -- public ---------------------------------------------------------------------------------
    def update(self, index: int, time_s: float, detections: list[Detection]) -> Iterator[TrackedFrame]:
        """Add one frame; yield the frames that are now decided."""
        assigned = self._associate(time_s, detections)
        if self._window_start_s is None and detections:
            self._window_start_s = time_s
        self._pending.append((index, time_s, assigned, len(detections)))
        if self.client_id is None and self._window_start_s is not None:
            if time_s - self._window_start_s < self.window_s:
                return
            self._choose_client()
        yield from self._flush()

    def held_detections(self) -> Iterator[Detection]:
        """Detections of frames not yet decided (during the look-ahead window)."""
        for _, _, assigned, _ in self._pending:
            yield from assigned.values()

    def finish(self) -> Iterator[TrackedFrame]:
        """Decide and yield every frame still held back."""
        if self.client_id is None and self._window_start_s is not None:
            self._choose_client()
        yield from self._flush()

    # -- association ----------------------------------------------------------------------------
    def _associate(self, time_s: float, detections: list[Detection]) -> dict[int, Detection]:
        self._forget(time_s)
        detections = _without_duplicates(detections)
        tracks = list(self._tracks.values())
        assigned: dict[int, Detection] = {}
        unmatched = list(range(len(detections)))
        if tracks and detections:
            cost = np.array([[t.distance(d, time_s) for d in detections] for t in tracks])
            feasible = cost <= self.max_jump
            cost *= np.array([[_CLIENT_PREFERENCE if t.track_id == self.client_id else 1.0] for t in tracks])
            # Pairs beyond the gate get one large cost so they cannot bend the other assignments.
            from scipy.optimize import linear_sum_assignment  # here: a cached analysis never loads scipy.optimize

            rows, cols = linear_sum_assignment(np.where(feasible, cost, _INFEASIBLE))
            for r, c in zip(rows, cols):
                if feasible[r, c]:
                    self._extend(tracks[r], detections[c], time_s)
                    assigned[tracks[r].track_id] = detections[c]
                    unmatched.remove(c)
        self._extend_client_leniently(time_s, detections, unmatched, assigned)
        for c in unmatched:
            track = self._new_track(detections[c], time_s)
            assigned[track.track_id] = detections[c]
        if self.client_id is not None and self.client_id not in assigned:
            self._reacquire(time_s, assigned)
        return assigned

    def _extend_client_leniently(self, time_s, detections, unmatched, assigned) -> None:
        """A client unmatched by the strict gate takes the nearest leftover detection within 3 gates.

        Pose models jump by a little more than the gate now and then (a limb leaving the picture, a
        duplicate detection); the client's track should not break for that.
        """
        client = self._tracks.get(self.client_id) if self.client_id is not None else None
        if client is None or self.client_id in assigned:
            return
        # Leftover detections, and those just taken by a young track (likely a duplicate of the client).
        young = {tid: det for tid, det in assigned.items() if time_s - self._tracks[tid].first_time_s < self.max_lost_s}
        options = [(None, c, detections[c]) for c in unmatched] + [(tid, None, d) for tid, d in young.items()]
        if not options:
            return
        tid, c, det = min(options, key=lambda o: client.distance(o[2], time_s))
        if client.distance(det, time_s) > 3 * self.max_jump:
            return
        self._extend(client, det, time_s)
        assigned[client.track_id] = det
        if c is not None:
            unmatched.remove(c)
        else:
            del assigned[tid], self._tracks[tid]

    def _extend(self, track: _Track, det: Detection, time_s: float) -> None:
        track.see(det, time_s)
        if self.client_id is None:
            track.path.append(det.hip_centre)
        track.score += _frame_score(det, self.width_px, self.height_px)

    def _new_track(self, det: Detection, time_s: float) -> _Track:
        track = _Track(self._next_id, det, time_s, time_s, _frame_score(det, self.width_px, self.height_px))
        track.born_near_other = any(  # a new track beside another person is that person, re-detected
            np.linalg.norm(o.last.hip_centre - det.hip_centre) < 1.5 * max(o.last.torso_px, det.torso_px)
            for o in self._tracks.values()
            if o.track_id != self.client_id and time_s - o.last_time_s <= self.max_lost_s
        )
        self._tracks[track.track_id] = track
        self._next_id += 1
        return track

    def _forget(self, time_s: float) -> None:
        for tid in [tid for tid, t in self._tracks.items() if time_s - t.last_time_s > self.forget_s]:
            track = self._tracks.pop(tid)
            if self.client_id is None:  # still choosing: a person seen early still counts
                self._others_last[tid] = track

    # -- choosing the client --------------------------------------------------------------------
    def _choose_client(self) -> None:
        candidates = {
            tid: t
            for tid, t in {**self._others_last, **self._tracks}.items()
            if t.first_time_s <= self._window_start_s + self.window_s
        }
        self.ranking = sorted(candidates, key=lambda tid: -self._choice_score(candidates[tid]))
        if not self.ranking:
            return
        self.client_id = self._pick(candidates)
        self._others_last = {}

    def _choice_score(self, track: _Track) -> float:
        """Presence-weighted size, times ``1 + motion`` (hip travel in torso heights, capped)."""
        travel = np.ptp(np.array(track.path), axis=0).max() / track.scale_px if track.path else 0.0
        return track.score * (1.0 + min(float(travel), self.max_motion_bonus))

    def _pick(self, candidates: dict[int, _Track]) -> int:
        from movelab.errors import ConfigError

        if self.person is None:
            return self.ranking[0]
        if isinstance(self.person, int):
            if not 0 <= self.person < len(self.ranking):
                raise ConfigError(
                    f"--person {self.person}: only {len(self.ranking)} people were found at the start "
                    f"(valid indices 0..{len(self.ranking) - 1})"
                )
            return self.ranking[self.person]
        return self._pick_by_point(np.asarray(self.person, dtype=float))

    def _pick_by_point(self, point: np.ndarray) -> int:
        first = next((assigned for _, _, assigned, _ in self._pending if assigned), {})
        best, best_d = self.ranking[0], np.inf
        for tid, det in first.items():
            x0, y0, x1, y1 = det.box()
            inside = x0 <= point[0] <= x1 and y0 <= point[1] <= y1
            d = -1.0 if inside else float(np.linalg.norm(det.hip_centre - point))
            if d < best_d:
                best, best_d = tid, d
        return best

    def _reacquire(self, time_s: float, assigned: dict[int, Detection]) -> None:
        """Adopt a track born after the client vanished that looks like the client coming back."""
        client = self._tracks.get(self.client_id) or self._client_last
        if client is None or time_s - client.last_time_s < self.max_lost_s:
            return
        options = [
            self._tracks[tid]
            for tid in assigned
            if self._tracks[tid].first_time_s > client.last_time_s
            and self._looks_like_client(self._tracks[tid], client)
        ]
        if options:
            self.client_id = max(options, key=lambda t: t.score).track_id

    def _looks_like_client(self, track: _Track, client: _Track) -> bool:
        ratio = track.scale_px / client.scale_px
        if not self.size_ratio[0] <= ratio <= self.size_ratio[1]:
            return False
        near = np.linalg.norm(track.first.hip_centre - client.last.hip_centre)
        if near > 2 * client.scale_px and not self._enters_at_edge(track.first):
            return False  # people come back into view at an edge or where they left, not mid-picture
        return not track.born_near_other

    def _enters_at_edge(self, det: Detection) -> bool:
        x0, y0, x1, y1 = det.box()
        margin_x, margin_y = self.edge_fraction * self.width_px, self.edge_fraction * self.height_px
        return bool(x0 < margin_x or x1 > self.width_px - margin_x or y0 < margin_y or y1 > self.height_px - margin_y)

    # -- output ---------------------------------------------------------------------------------
    def _flush(self) -> Iterator[TrackedFrame]:
        while self._pending:
            index, time_s, assigned, n_people = self._pending.popleft()
            client = assigned.get(self.client_id) if self.client_id is not None else None
            if self.client_id is not None and self.client_id in self._tracks:
                self._client_last = self._tracks[self.client_id]
            others = tuple(d for tid, d in assigned.items() if tid != self.client_id)
            yield TrackedFrame(index, time_s, client, n_people, others)


def _without_duplicates(detections: list[Detection]) -> list[Detection]:
    """Drop a detection that repeats a more complete one of the same person.

    Two detections are one person when their hips are within half a torso height and their boxes
    overlap by more than half (intersection over union); people crossing at different depths differ
    in size, so their boxes do not.
    """
    order = sorted(detections, key=lambda d: -float(np.nansum(d.presence)))
    kept: list[Detection] = []
    for det in order:
        if not any(_same_person(det, k) for k in kept):
            kept.append(det)
    return [d for d in detections if any(d is k for k in kept)]


def _same_person(a: Detection, b: Detection) -> bool:
    close = np.linalg.norm(a.hip_centre - b.hip_centre) <= 0.5 * max(a.torso_px, b.torso_px)
    return bool(close and _iou(a.box(), b.box()) > 0.5)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(min(a[2], b[2]) - max(a[0], b[0]), 0.0)
    h = max(min(a[3], b[3]) - max(a[1], b[1]), 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return float(w * h / union) if union > 0 else 0.0


def _frame_score(det: Detection, width_px: int, height_px: int) -> float:
    """Box area (fraction of the picture) × mean presence × centrality (1 at the centre, 0.5 at an edge)."""
    x0, y0, x1, y1 = det.box()
    area = max(x1 - x0, 0.0) * max(y1 - y0, 0.0) / (width_px * height_px)
    completeness = float(np.nanmean(det.presence)) if np.isfinite(det.presence).any() else 0.5
    cx = (x0 + x1) / 2.0 / width_px
    centrality = 1.0 - abs(cx - 0.5)
    return area * completeness * centrality
