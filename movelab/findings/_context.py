"""What every detector needs: the angle table, the reps or cycles, the standing frames, the settings.

Private to :mod:`movelab.findings`. Values are read from the angle table over the spans the segmentation
gives, so a detector does not depend on which per-rep metric columns the segmentation chose to compute.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.findings.config import FindingsConfig, Threshold
from movelab.findings.finding import Finding
from movelab.findings.standing import PARTS, StandingReference, outside_picture, quiet_standing
from movelab.kinematics.sole import heel_rise_deg, outline_of
from movelab.kinematics.tables import TIME_INDEX, time_indexed

MOVEMENTS = ("squat", "lunge", "gait", "posture", "thomas", "aslr", "unknown")
SIDES = ("left", "right")


@dataclass(frozen=True)
class Context:
    """The inputs of one detection run, checked and indexed once."""

    angles: pd.DataFrame
    time: np.ndarray
    movement: str
    reps: pd.DataFrame  # index, start_s, bottom_s, end_s (+ whatever segmentation added)
    cycles: pd.DataFrame  # side, start_s, end_s (+ toe_off_s ...)
    events: pd.DataFrame
    gait: dict[str, Any] | None
    view_text: str | None  # e.g. "seen from the front", for notes
    positions: Any  # cleaned keypoint positions (xarray.DataArray) or None
    views: Any
    config: FindingsConfig
    tilt_source: dict = field(default_factory=dict)  # Motion.pelvic_tilt_source; {}: an outline estimate
    standing: StandingReference | None = None  # quiet standing (squat, lunge)
    outside: dict[str, np.ndarray] | None = None  # per body part, frames with it out of the picture
    # per frame, where pelvic_obliquity came from ("hands", "hips", ""; Motion.pelvic_obliquity_source), None:
    # not known (an angle table without its Motion)
    obliquity_source: np.ndarray | None = None
    # per frame, True where the knee FPPA is NaN because the knees' outlines merged (Motion.knees_merged)
    knees_merged: np.ndarray | None = None
    # the person mask's outline per frame (time, outline_point, 2) and the picture's height, for the heel's rise
    # from the sole (movelab.kinematics.sole); None: no outline kept
    outline_px: np.ndarray | None = None
    picture_height_px: float | None = None

    # ------------------------------------------------------------------ reading values
    def column(self, name: str) -> np.ndarray:
        """An angle column as float array (all NaN if the table lacks it), read-only: converted once, when first
        read (the detectors read the same columns for each of hundreds of reps of a long recording)."""
        array = self._columns.get(name)
        if array is None:
            if name in self.angles.columns:
                array = self.angles[name].to_numpy(dtype=np.float64, copy=True)
            else:
                array = np.full(self.time.shape, np.nan)
            self._keep(name, array)
        return array

    def _keep(self, key: str, array: np.ndarray) -> None:
        """Keep ``array`` read-only in :attr:`_columns` under ``key``: every later read gets this same array."""
        array.flags.writeable = False
        self._columns[key] = array

    @functools.cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        """:meth:`column`'s arrays by name (:meth:`both_sides`' by ``"<stem>_<both>"``, :meth:`difference`'s by
        ``"<minuend> - <subtrahend>"``)."""
        return {}

    def mask(self, start_s: float, end_s: float) -> np.ndarray:
        """Frames with ``start_s <= time <= end_s`` (1 ns either side)."""
        span = self._span(start_s, end_s)
        if span is None:
            return (self.time >= start_s - 1e-9) & (self.time <= end_s + 1e-9)
        inside = np.zeros(self.time.shape, bool)
        inside[span] = True
        return inside

    def window(self, values: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
        span = self._span(start_s, end_s)
        return values[self.mask(start_s, end_s) if span is None else span]

    def _span(self, start_s: float, end_s: float) -> slice | None:
        """:meth:`mask` as a slice, found by bisection in the times (a detector reads each of hundreds of reps of
        a long recording: a comparison over every frame each time was most of their cost); None when the times
        are not in order (the mask is then computed)."""
        if not self._time_sorted:
            return None
        key = (start_s, end_s)
        span = self._spans.get(key)
        if span is None:  # the detectors read the same few windows of each rep many times: found once each
            lo = int(np.searchsorted(self.time, start_s - 1e-9, side="left"))
            span = self._spans[key] = slice(lo, max(lo, int(np.searchsorted(self.time, end_s + 1e-9, side="right"))))
        return span

    @functools.cached_property
    def _spans(self) -> dict[tuple[float, float], slice]:
        """:meth:`_span`'s slices by ``(start_s, end_s)``."""
        return {}

    @functools.cached_property
    def _time_sorted(self) -> bool:
        return bool(self.time.ndim == 1 and not np.isnan(self.time).any() and (np.diff(self.time) >= 0).all())

    def usable(self, window: np.ndarray) -> bool:
        """Enough finite samples in ``window`` for a value to count."""
        # count / size as Python divides two ints: the float numpy's mean of the booleans gives, without its set-up
        return window.size > 0 and np.count_nonzero(np.isfinite(window)) / window.size >= self.config.min_valid_fraction

    @functools.cached_property
    def rep_records(self) -> tuple[dict, ...]:
        """:attr:`reps` as plain rows (``reps.to_dict("records")``), made once for every detector's loop over the
        reps (a Series per rep, or the rows made again by each detector, cost more than their measures)."""
        return tuple(self.reps.to_dict("records"))

    def median(self, values: np.ndarray, start_s: float, end_s: float) -> float:
        """Median of ``values`` over ``[start_s, end_s]``, NaN when too few samples are finite."""
        win = self.window(values, start_s, end_s)
        return nanmedian_1d(win) if self.usable(win) else math.nan

    def at(self, values: np.ndarray, t_s: float) -> float:
        """Value at ``t_s``: median over ± ``depth_window_s`` (never a single noisy frame)."""
        w = self.config.depth_window_s
        return self.median(values, t_s - w, t_s + w)

    def extreme(self, values: np.ndarray, start_s: float, end_s: float, kind: str) -> float:
        """``"max"`` or ``"min"`` of ``values`` over the span; NaN when too few samples are finite."""
        win = self.window(values, start_s, end_s)
        if not self.usable(win):
            return math.nan
        return float(np.nanmax(win) if kind == "max" else np.nanmin(win))

    def near_or_both(self, stem: str, start_s: float, end_s: float) -> np.ndarray:
        """``{stem}_<near side>`` when the span is a side view with a measured near leg (the far leg is often
        hidden behind it and errs more), else :meth:`both_sides`."""
        return self.named(self.near_or_both_name(stem, start_s, end_s))

    def near_or_both_name(self, stem: str, start_s: float, end_s: float) -> str:
        """The name :meth:`near_or_both` reads over the span: ``{stem}_left`` or ``{stem}_right`` (a column), or
        ``{stem}_<both>`` (:meth:`both_sides`); :meth:`named` gives its values."""
        near = self.near_side(start_s, end_s)
        if near is not None:
            name = f"{stem}_{near}"
            if self.usable(self.window(self.column(name), start_s, end_s)):
                return name
        return f"{stem}_<both>"

    def named(self, name: str) -> np.ndarray:
        """The values a name of :meth:`near_or_both_name` stands for: :meth:`both_sides` of ``{stem}_<both>``,
        else the column."""
        return self.both_sides(name[: -len("_<both>")]) if name.endswith("_<both>") else self.column(name)

    def difference(self, minuend: str, subtrahend: str) -> np.ndarray:
        """Per frame ``named(minuend) - named(subtrahend)``, read-only, computed once per pair of names (a
        detector reads the same difference for each of hundreds of reps)."""
        key = f"{minuend} - {subtrahend}"
        values = self._columns.get(key)
        if values is None:
            values = self.named(minuend) - self.named(subtrahend)
            self._keep(key, values)
        return values

    def both_sides(self, stem: str) -> np.ndarray:
        """Per frame the mean of ``{stem}_left`` and ``{stem}_right`` where finite (either alone otherwise);
        read-only, computed once per ``stem``."""
        key = f"{stem}_<both>"
        mean = self._columns.get(key)
        if mean is None:
            stacked = np.stack([self.column(f"{stem}_{s}") for s in SIDES])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(stacked, axis=0)
            self._keep(key, mean)
        return mean

    def near_side(self, start_s: float, end_s: float) -> str | None:
        """The client's side nearer the camera over a span of a side view (``side_right``: the client faces
        image right, their right side towards the camera), or None when the views are not known or mixed."""
        key = (start_s, end_s)
        if key in self._near_sides:  # each rep's span is asked about by several detectors
            return self._near_sides[key]
        labels = _view_labels(self._view_stretches, self.window(self.time, start_s, end_s))
        side = None
        if labels is not None and labels.size:
            found = {_NEAR.get(v) for v in labels}
            side = found.pop() if len(found) == 1 else None
        self._near_sides[key] = side
        return side

    @functools.cached_property
    def _near_sides(self) -> dict[tuple[float, float], str | None]:
        """:meth:`near_side`'s answers by ``(start_s, end_s)``."""
        return {}

    @functools.cached_property
    def _view_stretches(self):
        """:attr:`views` as :func:`_view_labels` reads it (a stretches table's columns as arrays, read once)."""
        if isinstance(self.views, pd.DataFrame) and {"view", "start_s", "end_s"} <= set(self.views.columns):
            return _Stretches(
                self.views["start_s"].to_numpy(dtype=np.float64),
                self.views["end_s"].to_numpy(dtype=np.float64),
                self.views["view"].to_numpy(dtype=object),
            )
        return self.views

    # ------------------------------------------------------------------ standing frames
    def standing_mask(self) -> np.ndarray:
        """Frames of quiet standing: the whole clip for posture; for squat/lunge the frames of
        :attr:`standing` (outside every rep, settled, upright, still: :func:`quiet_standing`)."""
        if self.movement == "posture":
            return np.ones(self.time.shape, bool)
        if self.standing is None:
            return np.zeros(self.time.shape, bool)
        return self.standing.mask

    @functools.cached_property
    def heel_rise_deg(self) -> np.ndarray:
        """The heel's rise per frame as the foot pitch it implies, against :meth:`standing_mask`
        (:func:`movelab.kinematics.sole.heel_rise_deg`: the sole's outline where kept, else the feet's
        landmarks), read once: the heel-lift finding and each rep of the FMS deep squat read the same array.
        Needs :attr:`positions`.

        Only the frames its readers read are computed: quiet standing (the reference, its value and spread) and
        each rep's bottom ± ``depth_window_s`` (:meth:`at`); NaN elsewhere. Each frame's value depends on that
        frame and the standing ones alone, so those are :func:`heel_rise_deg`'s values (a long recording's
        outlines between the reps' bottoms are not read)."""
        standing = self.standing_mask()
        read = standing.copy()
        w = self.config.depth_window_s
        for bottom in self.reps["bottom_s"].to_numpy(dtype=np.float64) if "bottom_s" in self.reps else ():
            read |= self.mask(bottom - w, bottom + w)
        return heel_rise_deg(
            self.positions,
            standing,
            outline_px=self.outline_px,
            picture_height_px=self.picture_height_px,
            frames=None if read.all() or not standing.any() else read,
        )

    def reference_text(self) -> str:
        """How the standing reference was taken, for a finding's ``reference`` (frames, seconds, spans)."""
        return self.standing.describe() if self.standing is not None else "no standing reference"

    # ------------------------------------------------------------------ the picture
    def missing(self, parts: tuple[str, ...], start_s: float, end_s: float) -> str | None:
        """The first of ``parts`` (keys of :data:`PARTS`) out of the picture in any frame of the span, or None."""
        if self.outside is None:
            return None
        span = self._span(start_s, end_s)
        inside = self.mask(start_s, end_s) if span is None else span  # a slice: no mask over every frame
        return next((p for p in parts if self.outside[p][inside].any()), None)

    def in_other_view(self, views: tuple[str, ...]) -> bool:
        """True when the clip's main view is known and is none of ``views``."""
        label = _main_view(self.views)
        return label is not None and label not in views

    def cannot_assess(
        self,
        code: str,
        what: str,
        *,
        views: tuple[str, ...],
        needs: str,
        missing: str | None = None,
        otherwise: str | None = None,
    ) -> list[Finding]:
        """The note for a pattern with no usable value, naming what actually was missing: body parts out of
        the picture, else the view when the video is another, else the landmarks themselves."""
        label = _main_view(self.views)
        if label is not None and label not in views:
            return self.not_assessed(code, what, needs)
        if missing is not None:
            return self.note(
                code,
                f"{what} could not be assessed: the {missing} {_ARE[missing]} out of the "
                "picture. Film with the whole body in the picture, feet included.",
            )
        if label is None:
            return self.not_assessed(code, what, needs)
        return self.note(
            code,
            f"{what} could not be assessed: "
            + (
                otherwise
                or "the landmarks it needs were not measured reliably enough (hidden, or below the "
                "confidence gate) at the moments it is read."
            ),
        )

    def standing_value(self, values: np.ndarray) -> tuple[float, float | None, float | None]:
        """Median over the standing frames (NaN when standing is shorter than ``min_baseline_s``), and the
        first and last standing times."""
        mask = self.standing_mask()
        if not mask.any():
            return math.nan, None, None
        step = float(np.median(np.diff(self.time))) if self.time.size > 1 else 0.0
        if mask.sum() * step < self.config.min_baseline_s - 1e-6:  # 9 frames at 30 fps are 0.3 s
            return math.nan, None, None
        win = values[mask]
        value = float(np.nanmedian(win)) if self.usable(win) else math.nan
        return value, float(self.time[mask][0]), float(self.time[mask][-1])

    # ------------------------------------------------------------------ making findings
    def mdd(self, quantity: str) -> Threshold:
        return self.config.method_error.for_quantity(quantity)

    def note(self, code: str, message: str, reference: str = "", *, side=None) -> list[Finding]:
        """An ``"info"`` finding (or nothing when notes are switched off)."""
        if not self.config.include_info:
            return []
        start, end = (float(self.time[0]), float(self.time[-1])) if self.time.size else (None, None)
        return [Finding(code, "info", side, start, end, None, None, reference, message)]

    def not_assessed(self, code: str, what: str, needs: str) -> list[Finding]:
        """The note for a pattern that applies to this movement but had no usable value."""
        seen = f" This video is {self.view_text}." if self.view_text else ""
        return self.note(code, f"{what} could not be assessed: it needs {needs}.{seen}")

    def outline_note(self, code: str, what: str) -> list[Finding]:
        """The note when the back's outline gave no value: in a side view it names the outline, not the view."""
        if self.view_text == "a side view":
            return self.note(
                code,
                f"{what} could not be assessed: the lower back's outline was not measured clearly enough in this "
                "side view (the back hidden by an arm or loose clothing, or not separated from the background).",
            )
        return self.not_assessed(code, what, "a side view with the lower back's outline clearly visible")


_ARE = {p: "were" for p in PARTS}
#: The client's side nearer the camera in each side view (:meth:`Context.near_side`).
_NEAR = {"side_right": "right", "side_left": "left"}


def nanmedian_1d(values: np.ndarray) -> float:
    """``float(numpy.nanmedian(values))`` of a 1-D float array with a value that is not NaN, the same float: the
    middle of the sorted non-NaN values, or the mean of the two middle ones (as :func:`numpy.median` takes it),
    without numpy's general path (the detectors take thousands of medians of a few dozen frames)."""
    ordered = np.sort(values[~np.isnan(values)]).tolist()
    half = len(ordered) // 2
    if len(ordered) % 2:
        return 0.0 + ordered[half]  # numpy's mean adds to 0.0: -0.0 comes out 0.0
    return (0.0 + ordered[half - 1] + ordered[half]) / 2


def severity(excess: float, step: float) -> str:
    """``"mild"`` when the value passed its threshold by less than one method error, ``"moderate"`` by less
    than two, ``"marked"`` beyond (a display convention, docs/findings.md)."""
    if excess < step:
        return "mild"
    if excess < 2.0 * step:
        return "moderate"
    return "marked"


def build_context(
    angles,
    segmentation,
    *,
    views,
    positions,
    config,
    tilt_source=None,
    landmarks=None,
    obliquity_source=None,
    knees_merged=None,
) -> Context:
    """Check the inputs and gather them into a :class:`Context`."""
    if not isinstance(config, FindingsConfig):
        raise ConfigError(f"config must be a FindingsConfig, got {type(config).__name__}")
    if not isinstance(angles, pd.DataFrame) or TIME_INDEX not in (angles.index.name, *angles.columns):
        got = list(angles.columns)[:6] if isinstance(angles, pd.DataFrame) else type(angles).__name__
        raise ConfigError(f"angles must be the angle table (a DataFrame indexed by time_s), got {got}")
    angles = time_indexed(angles)
    movement = getattr(segmentation, "movement", None) if segmentation is not None else "unknown"
    if movement not in MOVEMENTS:
        raise ConfigError(f"segmentation.movement must be one of {list(MOVEMENTS)}, got {movement!r}")
    time = angles.index.to_numpy(dtype=np.float64)
    reps = _table(segmentation, "reps", ["index", "start_s", "bottom_s", "end_s"])
    if not reps.empty:
        reps = _with_bottoms(reps, angles)
    return Context(
        angles=angles,
        time=time,
        movement=movement,
        reps=reps,
        cycles=_table(segmentation, "cycles", ["side", "start_s", "end_s"]),
        events=_table(segmentation, "events", ["event", "side", "time_s"]),
        gait=getattr(segmentation, "gait", None),
        view_text=_view_text(views),
        positions=positions,
        views=views,
        config=config,
        tilt_source=dict(tilt_source or {}),
        standing=_standing(
            angles, time, movement=movement, reps=reps, positions=positions, landmarks=landmarks, config=config
        ),
        outside=outside_picture(landmarks, time.size),
        obliquity_source=None if obliquity_source is None else np.asarray(obliquity_source, dtype=str),
        knees_merged=None if knees_merged is None else np.asarray(knees_merged, dtype=bool),
        **_outline_of(landmarks, time.size),
    )


def _outline_of(landmarks, n_frames: int) -> dict:
    """``outline_px`` and ``picture_height_px`` of the landmark Dataset when it kept the outline for every frame
    (:func:`movelab.kinematics.sole.outline_of`, as the events stage reads them)."""
    if landmarks is None or landmarks.sizes.get("time") != n_frames:
        return {}
    return outline_of(landmarks)


def _standing(angles, time, *, movement, reps, positions, landmarks, config) -> StandingReference | None:
    """Quiet standing outside every rep (squat, lunge); None for other movements. ``positions`` (cleaned)
    give the speeds, ``landmarks`` when the client was found (settling)."""
    if movement not in ("squat", "lunge") or reps.empty:
        return None
    outside = np.ones(time.shape, bool)
    for start, end in zip(reps["start_s"], reps["end_s"]):
        outside &= ~((time >= start - 1e-9) & (time <= end + 1e-9))
    if positions is not None and positions.sizes.get("time") != time.size:
        positions = None
    detected = None
    if landmarks is not None and landmarks.sizes.get("time") == time.size:
        detected = landmarks["detected"].values
    return quiet_standing(time, outside, angles=angles, positions=positions, detected=detected, config=config)


def _table(segmentation, name: str, needed: list[str]) -> pd.DataFrame:
    table = getattr(segmentation, name, None) if segmentation is not None else None
    if table is None:
        return pd.DataFrame(columns=needed)
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(f"segmentation.{name} must be a DataFrame, got {type(table).__name__}")
    required = [c for c in needed if c not in ("index", "bottom_s")]
    missing = [c for c in required if c not in table.columns]
    if missing and not table.empty:
        raise ConfigError(f"segmentation.{name} needs the columns {required}; missing {missing}")
    table = table.reset_index(drop=True)
    if name == "reps" and "index" not in table.columns:
        table = table.assign(index=np.arange(len(table)))
    return table


def _with_bottoms(reps: pd.DataFrame, angles: pd.DataFrame) -> pd.DataFrame:
    """Fill a missing ``bottom_s`` with the time of the deepest knee flexion (or thigh angle) in the rep,
    else the rep's middle."""
    if "bottom_s" in reps.columns and reps["bottom_s"].notna().all():
        return reps
    time = angles.index.to_numpy(dtype=np.float64)
    depth = None
    for stem in ("knee_flexion", "thigh_angle"):
        cols = [f"{stem}_{s}" for s in SIDES if f"{stem}_{s}" in angles.columns]
        if cols and np.isfinite(angles[cols].to_numpy()).any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                depth = np.nanmean(angles[cols].to_numpy(dtype=np.float64), axis=1)
            break
    bottoms = []
    for _, rep in reps.iterrows():
        given = rep.get("bottom_s", math.nan)
        if given is not None and np.isfinite(given):
            bottoms.append(float(given))
            continue
        inside = (time >= rep["start_s"]) & (time <= rep["end_s"])
        if depth is not None and np.isfinite(depth[inside]).any():
            bottoms.append(float(time[inside][np.nanargmax(depth[inside])]))
        else:
            bottoms.append(0.5 * (float(rep["start_s"]) + float(rep["end_s"])))
    return reps.assign(bottom_s=bottoms)


def _view_text(views) -> str | None:
    names = {
        "side_left": "a side view",
        "side_right": "a side view",
        "front": "seen from the front",
        "back": "seen from behind",
        "oblique": "filmed at an angle (oblique)",
    }
    if isinstance(views, str):
        label = views
    elif isinstance(views, pd.DataFrame) and not views.empty and {"view", "start_s", "end_s"} <= set(views.columns):
        durations = (views["end_s"] - views["start_s"]).groupby(views["view"]).sum()
        label = str(durations.idxmax())
    else:
        return None
    text = names.get(label)
    return None if text is None else (text if text.startswith(("seen", "filmed")) else f"{text}")


def _main_view(views) -> str | None:
    """The view covering most of the clip (a name or a stretches table), or None."""
    if isinstance(views, str):
        return views
    if isinstance(views, pd.DataFrame) and not views.empty and {"view", "start_s", "end_s"} <= set(views.columns):
        return str((views["end_s"] - views["start_s"]).groupby(views["view"]).sum().idxmax())
    return None


class _Stretches(NamedTuple):
    """A views stretches table's columns."""

    start_s: np.ndarray
    end_s: np.ndarray
    view: np.ndarray


def _view_labels(views, time: np.ndarray) -> np.ndarray | None:
    """The view label at each of ``time`` from a view name or a stretches table (or its :class:`_Stretches`);
    None if unknown."""
    if isinstance(views, str):
        return np.full(time.shape, views, dtype=object)
    if isinstance(views, pd.DataFrame) and {"view", "start_s", "end_s"} <= set(views.columns):
        views = _Stretches(
            views["start_s"].to_numpy(dtype=np.float64),
            views["end_s"].to_numpy(dtype=np.float64),
            views["view"].to_numpy(dtype=object),
        )
    if not isinstance(views, _Stretches):
        return None
    labels = np.full(time.shape, "unknown", dtype=object)
    if time.size == 0:
        return labels
    lo, hi = np.nanmin(time), np.nanmax(time)
    # only the stretches that reach these times (the others label none of them), in the table's order
    for i in np.flatnonzero(~((views.end_s + 1e-9 < lo) | (views.start_s - 1e-9 > hi))):
        labels[(time >= views.start_s[i] - 1e-9) & (time <= views.end_s[i] + 1e-9)] = views.view[i]
    return labels
