"""The Functional Movement Screen's deep squat score (3/2/1) from one or two clips of the same squat set.

The deep squat (Cook, Burton and Hoogenboom 2006; Cook et al., *Movement*, 2010) is done with a dowel held
overhead. Score 3: upper torso parallel with the tibia or towards vertical, femur below horizontal, knees
aligned over the feet, dowel aligned over the feet; 2: the same only with the heels raised; 1: not achieved;
0: pain, which a video cannot show. Each criterion is read at each rep's bottom in the view that shows it:

==========================  =========  ==================================================================
criterion                   view       value
==========================  =========  ==================================================================
``torso_parallel_tibia``    side       trunk lean minus the shin's forward lean (degrees; ≤ threshold: met)
``thigh_below_horizontal``  side       deepest thigh angle against vertical (degrees; ≥ threshold: met)
``knees_over_feet``         front/back knee inside its foot's centre, fraction of the feet's spacing (≤: met)
``dowel_over_feet``         side       wrists' midpoint along the foot, 0 heel, 1 toe tip (≤: met)
==========================  =========  ==================================================================

plus the heels' rise (side view) which caps the score at 2. A criterion whose view no clip offers is *not
judged*; the score is then "at most N" (or 1 when a judged criterion failed). The best rep counts (the FMS
takes the best of three attempts); with two clips the reps are paired in order. Thresholds and their sources:
:class:`FmsConfig`; docs/fms.md.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from movelab.errors import ConfigError
from movelab.findings._context import Context
from movelab.findings.config import FindingsConfig, Threshold
from movelab.findings.detect import checked_context, context_of
from movelab.findings.foot import standing_spread_deg

__all__ = ["FmsConfig", "Criterion", "DeepSquatScore", "deep_squat_score", "CRITERIA"]

#: The four criteria, in the FMS manual's order.
CRITERIA: tuple[str, ...] = ("torso_parallel_tibia", "thigh_below_horizontal", "knees_over_feet", "dowel_over_feet")
_LABELS = {
    "torso_parallel_tibia": "Upper torso parallel with the tibia or more upright",
    "thigh_below_horizontal": "Thigh below horizontal",
    "knees_over_feet": "Knees aligned over the feet",
    "dowel_over_feet": "Dowel (hands) aligned over the feet",
}
_VIEW_OF = {
    "torso_parallel_tibia": "side",
    "thigh_below_horizontal": "side",
    "knees_over_feet": "front",
    "dowel_over_feet": "side",
}
_SIDE_VIEWS = ("side_left", "side_right")
_FRONTAL_VIEWS = ("front", "back")
_COOK = "Cook, Burton & Hoogenboom 2006 (N Am J Sports Phys Ther 1:62); Cook et al. 2010, Movement"


@dataclass(frozen=True)
class FmsConfig:
    """Where each criterion is met; every number with its source.

    The FMS is a rater's visual judgement and publishes no angles, so each threshold is the FMS criterion
    (e.g. "parallel": 0°) plus the measurement's own error, giving the client the benefit of the doubt as a
    rater would; the errors are those of :class:`movelab.findings.FindingsConfig`.
    """

    torso_beyond_tibia: Threshold = Threshold(
        7.1,
        f"{_COOK}: torso parallel with the tibia or more upright (0 deg), plus the method error of a "
        "difference of two landmark angles (sqrt(2) x 5 deg = 7.1 deg; FindingsConfig.method_error)",
    )
    thigh_angle: Threshold = Threshold(
        85.0,
        f"{_COOK}: femur below horizontal (thigh 90 deg from vertical), less the landmark-angle error (5 deg)",
    )
    knee_inside_foot: Threshold = Threshold(
        0.15,
        "movelab: a knee more than 0.15 of the feet's spacing inside its foot's centre is no longer over the "
        "foot (about half a shoe's width at a hip-width stance); the FMS gives no number",
        unit="fraction",
    )
    hands_along_foot: Threshold = Threshold(
        1.1,
        "movelab: the wrists' midpoint ahead of the toe tip by more than 10 % of the foot's length is no longer "
        "over the feet (the landmark error of the wrist and toe, about 3 cm, is 10 % of a 27 cm foot); "
        f"{_COOK} give no number",
        unit="fraction of the foot",
    )
    heel_rise: Threshold = Threshold(
        5.0,
        "FindingsConfig.heel_lift (0, any lift lowers the FMS score to 2) plus its method error (5 deg)",
    )
    overhead_margin: float = 0.0
    """Arms count as overhead when the wrists' midpoint is above the nose by more than this many torso
    lengths at the rep's bottom (the FMS deep squat holds the dowel overhead; 0: anywhere above the nose)."""


@dataclass(frozen=True)
class Criterion:
    """One criterion of one rep: met, not met, or not judged (``met is None``), with its evidence."""

    code: str
    met: bool | None
    value: float = math.nan
    threshold: float = math.nan
    unit: str = ""
    view: str = ""
    clip: int | None = None
    rep: int | None = None
    frames: tuple[int, ...] = ()
    reason: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        return _LABELS.get(self.code, self.code)

    @property
    def status(self) -> str:
        return "not judged" if self.met is None else ("met" if self.met else "not met")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "status": self.status,
            "value": None if not math.isfinite(self.value) else round(self.value, 3),
            "threshold": None if not math.isfinite(self.threshold) else self.threshold,
            "unit": self.unit,
            "view": self.view,
            "clip": self.clip,
            "rep": self.rep,
            "frames": list(self.frames),
            "reason": self.reason,
            "source": self.source,
        }


@dataclass(frozen=True)
class DeepSquatScore:
    """The FMS deep squat score of the best rep.

    Attributes
    ----------
    score
        3, 2 or 1 when it is certain; None when a criterion was not judged and none failed.
    at_most
        The highest score still possible (equal to ``score`` when certain); None when not scored at all.
    criteria
        The best rep's four criteria (:class:`Criterion`), in :data:`CRITERIA` order.
    heels_raised
        The heels rose at the bottom (caps the score at 2), None when not judged; ``heel`` its evidence.
    reps
        The score text of every rep, e.g. ``("at most 3", "1")``.
    note
        Why it was not scored, or what was paired.
    """

    score: int | None
    at_most: int | None
    criteria: tuple[Criterion, ...] = ()
    heels_raised: bool | None = None
    heel: Criterion | None = None
    reps: tuple[str, ...] = ()
    note: str = ""

    @property
    def text(self) -> str:
        if self.at_most is None:
            return "not scored"
        return str(self.score) if self.score is not None else f"at most {self.at_most}"

    def criterion(self, code: str) -> Criterion:
        return next(c for c in self.criteria if c.code == code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "at_most": self.at_most,
            "text": self.text,
            "criteria": [c.to_dict() for c in self.criteria],
            "heels_raised": self.heels_raised,
            "heel": None if self.heel is None else self.heel.to_dict(),
            "reps": list(self.reps),
            "note": self.note,
            "pain": "not assessable from video: score 0 (pain) must be asked",
        }


# ----------------------------------------------------------------------------- one clip


@dataclass(frozen=True)
class _Clip:
    index: int
    kind: str  # "side" or "front"
    ctx: Context
    chain: Any  # the chain table (pandas.DataFrame)
    frames: np.ndarray
    overhead: tuple[bool, ...]


def _clip(
    index: int, motion, segmentation, *, ctx: Context | None, findings_config: FindingsConfig, findings_margin: float
) -> _Clip | None:
    from movelab.kinematics.views import frontal_sign
    from movelab.motion_cache import chain_table  # kept with the kinematics when they are cached

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        chain = chain_table(motion)
    if ctx is None:
        ctx = context_of(motion, segmentation, config=findings_config)
    if ctx.reps.empty:
        return None
    labels = np.asarray(motion.frame_views.values, dtype=object)
    bottoms = [ctx.mask(*_window(ctx, r)) for r in ctx.rep_records]
    side = [np.isin(labels[m], _SIDE_VIEWS).mean() > 0.5 if m.any() else False for m in bottoms]
    facing = np.isfinite(frontal_sign(motion.frame_views))
    front = [facing[m].mean() > 0.5 if m.any() else False for m in bottoms]
    kind = "side" if sum(side) >= sum(front) and any(side) else ("front" if any(front) else "")
    if not kind:
        return None
    return _Clip(index, kind, ctx, chain, motion.frame, _overhead(motion, ctx, findings_margin))


def _window(ctx: Context, rep) -> tuple[float, float]:
    w = ctx.config.depth_window_s
    return float(rep["bottom_s"]) - w, float(rep["bottom_s"]) + w


def _overhead(motion, ctx: Context, margin: float) -> tuple[bool, ...]:
    from movelab.kinematics.geometry import midpoint, point, torso_length

    position = motion.positions.cleaned
    wrist = midpoint(position, "wrist", fallback=True)[:, 1]
    nose = point(position, "nose")[:, 1]
    torso = torso_length(position)
    above = (nose - wrist) / torso  # image y grows downwards
    return tuple(bool(ctx.at(above, float(r["bottom_s"])) > margin) for r in ctx.rep_records)


def _frames(clip: _Clip, start_s: float, end_s: float) -> tuple[int, ...]:
    m = clip.ctx.mask(start_s, end_s)
    return (int(clip.frames[m][0]), int(clip.frames[m][-1])) if m.any() else ()


def _judge(code: str, value: float, limit: Threshold, *, above: bool, clip: _Clip, rep, frames) -> Criterion:
    """``code`` met when ``value`` is at or beyond ``limit`` (``above``) or at or within it; not judged when
    the value could not be measured."""
    where = dict(view=clip.kind, clip=clip.index, rep=int(rep["index"]), frames=frames)
    evidence = dict(threshold=limit.value, unit=limit.unit, source=limit.source)
    if not math.isfinite(value):
        reason = "the landmarks it needs were not measured reliably at the bottom of the squat"
        return Criterion(code, None, reason=reason, **where, **evidence)
    met = value >= limit.value if above else value <= limit.value
    return Criterion(code, bool(met), value=value, **where, **evidence)


def _side_criteria(clip: _Clip, rep, cfg: FmsConfig) -> dict[str, Criterion]:
    ctx, chain = clip.ctx, clip.chain
    start, end = float(rep["start_s"]), float(rep["end_s"])
    bottom = float(rep["bottom_s"])
    win = _frames(clip, *_window(ctx, rep))
    near = ctx.near_side(start, end)
    sides = (near,) if near else ("left", "right")

    def chain_col(stem: str) -> np.ndarray:
        cols = np.stack([chain[f"{stem}_{s}"].to_numpy(dtype=np.float64) for s in sides])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(cols, axis=0)

    tibia = chain_col("tibia_lean")
    beyond = ctx.at(ctx.column("trunk_lean") - tibia, bottom)
    thigh = ctx.near_or_both("thigh_angle", start, end)
    deepest = ctx.extreme(thigh, start, end, "max")
    m = ctx.mask(start, end)
    deep_frame = ()
    if np.isfinite(thigh[m]).any():
        deep_frame = (int(clip.frames[m][int(np.nanargmax(thigh[m]))]),)
    hands = ctx.at(chain_col("hands_over_foot"), bottom)
    out = {
        "torso_parallel_tibia": _judge(
            "torso_parallel_tibia", beyond, cfg.torso_beyond_tibia, above=False, clip=clip, rep=rep, frames=win
        ),
        "thigh_below_horizontal": _judge(
            "thigh_below_horizontal", deepest, cfg.thigh_angle, above=True, clip=clip, rep=rep, frames=deep_frame
        ),
        "dowel_over_feet": _judge(
            "dowel_over_feet", hands, cfg.hands_along_foot, above=False, clip=clip, rep=rep, frames=win
        ),
    }
    standing = ctx.standing_mask()
    rise = ctx.heel_rise_deg if standing.any() else np.full(ctx.time.shape, np.nan)  # read once per clip
    if standing_spread_deg(rise, standing) > cfg.heel_rise.value:  # the picture moved: not measurable (foot.py)
        rise = np.full(ctx.time.shape, np.nan)
    out["heel"] = _judge("heels_flat", ctx.at(rise, bottom), cfg.heel_rise, above=False, clip=clip, rep=rep, frames=win)
    return out


def _front_criteria(clip: _Clip, rep, cfg: FmsConfig) -> dict[str, Criterion]:
    ctx, chain = clip.ctx, clip.chain
    bottom = float(rep["bottom_s"])
    values = [ctx.at(chain[f"knee_inside_foot_{s}"].to_numpy(dtype=np.float64), bottom) for s in ("left", "right")]
    worst = max(values) if all(math.isfinite(v) for v in values) else math.nan
    crit = _judge(
        "knees_over_feet", worst, cfg.knee_inside_foot, above=False, clip=clip, rep=rep,
        frames=_frames(clip, *_window(ctx, rep)),
    )  # fmt: skip
    return {"knees_over_feet": crit}


def _not_judged(code: str, rep: int | None) -> Criterion:
    view = _VIEW_OF[code]
    needs = "a side view" if view == "side" else "a front or back view"
    return Criterion(code, None, view=view, rep=rep, reason=f"needs {needs}; no clip of the squat set offers it")


# ----------------------------------------------------------------------------- scoring


def _score(crits: dict[str, Criterion]) -> tuple[int | None, int, bool | None]:
    judged = [crits[c].met for c in CRITERIA if crits[c].met is not None]
    heel = crits.get("heel")
    raised = None if heel is None or heel.met is None else (not heel.met)
    if any(m is False for m in judged):
        return 1, 1, raised
    ceiling = 2 if raised else 3
    certain = len(judged) == len(CRITERIA) and raised is not None
    return (ceiling if certain else None), ceiling, raised


def deep_squat_score(
    *clips: tuple[Any, Any],
    config: FmsConfig = FmsConfig(),
    findings_config: FindingsConfig = FindingsConfig(),
    contexts: tuple[Context | None, ...] | None = None,
) -> DeepSquatScore:
    """The FMS deep squat score of one squat set from one clip, or two clips (side and front) of it.

    Parameters
    ----------
    *clips
        ``(motion, segmentation)`` of each clip (:class:`movelab.kinematics.Motion`,
        :class:`movelab.events.Segmentation`), e.g. a side view and a front view of the same set.
    config
        The criteria's thresholds (:class:`FmsConfig`).
    findings_config
        The findings settings that read values at depth and take the standing reference.
    contexts
        Per clip, what the findings read of it, built with ``findings_config``
        (:func:`movelab.findings.detect.context_of`; the analysis builds it once for the findings and this
        score), or None to build it here; None: built here for every clip.

    Returns
    -------
    DeepSquatScore
        Not scored (``at_most`` None) when no clip holds squat reps with the arms overhead. Reps are paired
        by order across clips (the first side rep with the first front rep ...); the best pair counts.
    """
    if not clips:
        raise ConfigError("deep_squat_score needs at least one (motion, segmentation) pair, got none")
    if contexts is None:
        contexts = (None,) * len(clips)
    if len(contexts) != len(clips):
        raise ConfigError(f"contexts must give one context (or None) per clip: {len(clips)}, got {len(contexts)}")
    made = []
    for i, ((motion, segmentation), ctx) in enumerate(zip(clips, contexts)):
        if ctx is not None:
            ctx = checked_context(ctx, motion, segmentation, config=findings_config)
        made.append(
            _clip(
                i,
                motion,
                segmentation,
                ctx=ctx,
                findings_config=findings_config,
                findings_margin=config.overhead_margin,
            )
        )
    made = [c for c in made if c is not None and c.ctx.movement == "squat"]
    if not made:
        return DeepSquatScore(None, None, note="no squat reps were found in a side, front or back view")
    if not any(any(c.overhead) for c in made):
        return DeepSquatScore(
            None, None, note="the arms were not overhead at the bottom of the squat: not an FMS deep squat"
        )
    kinds = {}
    for c in made:  # one clip per view kind: the first one
        kinds.setdefault(c.kind, c)
    n = min(len(c.ctx.reps) for c in kinds.values())
    per_rep = []
    for i in range(n):
        crits: dict[str, Criterion] = {}
        for c in kinds.values():
            rep = c.ctx.reps.iloc[i]
            crits.update(_side_criteria(c, rep, config) if c.kind == "side" else _front_criteria(c, rep, config))
        for code in CRITERIA:
            crits.setdefault(code, _not_judged(code, i))
        per_rep.append((crits, *_score(crits)))
    best = max(range(n), key=lambda i: (per_rep[i][2], per_rep[i][1] is not None, -i))
    crits, score, at_most, raised = per_rep[best]
    texts = tuple(str(s) if s is not None else f"at most {c}" for _, s, c, _ in per_rep)
    counts = ", ".join(f"{len(c.ctx.reps)} rep(s) in the {c.kind} view" for c in kinds.values())
    note = f"best of {n} rep(s) ({counts}; paired in order)" if len(kinds) > 1 else f"best of {n} rep(s)"
    return DeepSquatScore(
        score,
        at_most,
        tuple(crits[c] for c in CRITERIA),
        raised,
        crits.get("heel"),
        texts,
        note,
    )


def with_thresholds(config: FmsConfig, **values: float) -> FmsConfig:
    """``config`` with some thresholds' values replaced (sources kept), e.g. ``knee_inside_foot=0.2``."""
    return replace(config, **{k: replace(getattr(config, k), value=float(v)) for k, v in values.items()})
