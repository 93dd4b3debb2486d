"""The findings detector: movement patterns from the angle table and the reps or gait cycles.

Each pattern has one function below; what it measures, its threshold and that threshold's source are listed
in ``docs/findings.md`` and in :class:`movelab.findings.FindingsConfig`. A value that cannot be measured
(NaN) never produces a finding; the pattern then gets an ``"info"`` note saying it could not be assessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from movelab.errors import ConfigError
from movelab.findings._context import SIDES, Context, build_context, severity
from movelab.findings.config import FindingsConfig
from movelab.findings.finding import CODES, Finding
from movelab.findings.foot import standing_spread_deg
from movelab.findings.supine import SUPINE_TESTS, supine_findings
from movelab.kinematics.motion import Motion
from movelab.kinematics.supine import motion_supine_angles

__all__ = ["detect_findings", "context_of", "checked_context", "Context"]

_OTHER = {"left": "right", "right": "left"}
_MEDIAN_OF = {"reps": "median of the repetitions", "cycles": "median of the cycles"}


def detect_findings(
    motion,
    segmentation,
    *,
    views=None,
    config: FindingsConfig = FindingsConfig(),
    context: Context | None = None,
) -> tuple[Finding, ...]:
    """Movement patterns seen in one video.

    Parameters
    ----------
    motion
        The video's analysis data (:class:`movelab.kinematics.Motion`: its angle table, views and cleaned
        positions); or an angle table alone (``time_s``, ``frame`` and angles in degrees,
        docs/conventions.md), e.g. one made for a test, without positions: ``heel_lift`` then reads the
        segmentation's ``heel_lift_deg``.
    segmentation
        A :class:`movelab.events.Segmentation` (or any object with ``movement``, ``reps``, ``cycles``,
        ``events`` and ``gait`` as its contract in docs/architecture.md), or None (movement unknown: no
        findings).
    views
        With an angle table: the views table (:func:`movelab.kinematics.detect_views`) or one view name; used
        only to word notes. With a Motion: its own views (passing others is an error).
    config
        Thresholds, norms and their sources (:class:`FindingsConfig`).
    context
        What the detectors read, built before from the same ``motion``, ``segmentation`` and ``config`` by
        :func:`context_of` (the analysis builds it once for the findings and the FMS deep squat score:
        :func:`movelab.analysis.analyse_landmarks`); None: built here.

    Returns
    -------
    tuple of Finding
        Ordered as :data:`movelab.findings.CODES`, then by side. ``"info"`` notes only when
        ``config.include_info``.

    Notes
    -----
    Values "at depth" are medians over ``± config.depth_window_s`` around each rep's ``bottom_s``; a
    pattern is flagged when the median over reps (or over a side's cycles) passes its threshold, and the
    finding lists every rep or cycle that passed it in ``occurrences``. No difference smaller than the
    method's own error (``config.method_error``) is ever flagged.
    """
    if getattr(segmentation, "movement", None) in SUPINE_TESTS:
        return _supine(motion, segmentation.movement, config)
    if context is None:
        ctx = context_of(motion, segmentation, views=views, config=config)
    else:
        ctx = checked_context(context, motion, segmentation, config=config)
    found: list[Finding] = []
    for detector in _DETECTORS.get(ctx.movement, ()):
        found.extend(detector(ctx))
    order = {code: i for i, code in enumerate(CODES)}
    return tuple(sorted(found, key=lambda f: (order[f.code], f.severity == "info", f.side or "")))


def context_of(motion, segmentation, *, views=None, config: FindingsConfig = FindingsConfig()) -> Context:
    """What the detectors read (:class:`Context`) from a Motion or an angle table, as :func:`detect_findings`
    takes them; a new one at each call. Build it once and hand it to each reader of the same Motion,
    segmentation and settings (:func:`detect_findings`, :func:`movelab.findings.fms.deep_squat_score`): its
    standing reference was a tenth of their CPU on a long recording. A Context is frozen and its cached values
    depend on its fields alone, so every reader sees what a new one would give."""
    if isinstance(motion, Motion):
        if views is not None:
            raise ConfigError("views come with the Motion (compute_motion(ds, views=...)); do not pass them again")
        return _motion_context(motion, segmentation, config)
    return build_context(motion, segmentation, views=views, positions=None, config=config)


def checked_context(ctx: Context, motion, segmentation, *, config: FindingsConfig) -> Context:
    """``ctx`` when it can be the :func:`context_of` of these (its settings, movement and frames are theirs),
    else a ConfigError saying which differs."""
    if not isinstance(ctx, Context):
        raise ConfigError(f"context must be a findings Context (context_of), got {type(ctx).__name__}")
    movement = getattr(segmentation, "movement", None) if segmentation is not None else "unknown"
    n_frames = len(motion.time_s) if isinstance(motion, Motion) else len(motion)
    if ctx.config != config:
        raise ConfigError("context was built with other findings settings than config; build it with config")
    if ctx.movement != movement or ctx.time.size != n_frames:
        raise ConfigError(
            f"context is of a {ctx.movement} of {ctx.time.size} frames, the segmentation's movement is {movement} "
            f"of {n_frames} frames: build the context from this motion and segmentation (context_of)"
        )
    return ctx


def _motion_context(motion: Motion, segmentation, config: FindingsConfig) -> Context:
    """:func:`build_context` of a Motion."""
    return build_context(
        motion.angles,
        segmentation,
        views=motion.views,
        positions=motion.positions.cleaned,
        config=config,
        tilt_source=motion.pelvic_tilt_source,
        landmarks=motion.landmarks,
        obliquity_source=motion.pelvic_obliquity_source,
        knees_merged=motion.knees_merged,
    )


def _supine(motion, movement: str, config: FindingsConfig) -> tuple[Finding, ...]:
    """Findings of a supine test (:mod:`movelab.findings.supine`), which needs the Motion's positions."""
    if not isinstance(motion, Motion):
        raise ConfigError(f"the {movement} test needs the Motion (positions and mask outline), not an angle table")
    angles, _ = motion_supine_angles(motion)
    return supine_findings(movement, angles, config=config.supine)


# ----------------------------------------------------------------------------- shared helpers


def _per_rep(
    ctx: Context,
    measure: Callable[[pd.Series], float],
    *,
    needs: tuple[str, ...] = (),
    span: str = "bottom",
) -> tuple[pd.DataFrame, str | None]:
    """``index, start_s, end_s, value`` for each rep with a finite value and every body part of ``needs``
    inside the picture while the value is read (``span``: ``"bottom"`` ± ``depth_window_s``, or the whole
    ``"rep"``), and the name of a part that was out of the picture in a rep (None if none was)."""
    rows, missing = [], None
    for r in ctx.rep_records:
        lost = ctx.missing(needs, *_read_span(ctx, r, span)) if needs else None
        missing = missing or lost
        value = math.nan if lost else measure(r)
        rows.append((int(r["index"]), float(r["start_s"]), float(r["end_s"]), value))
    table = pd.DataFrame(rows, columns=["index", "start_s", "end_s", "value"])
    return table[np.isfinite(table["value"].to_numpy(dtype=float))], missing


def _read_span(ctx: Context, rep: pd.Series, span: str) -> tuple[float, float]:
    if span == "rep":
        return float(rep["start_s"]), float(rep["end_s"])
    w = ctx.config.depth_window_s
    return float(rep["bottom_s"]) - w, float(rep["bottom_s"]) + w


_SIDE_VIEWS = ("side_left", "side_right")
_FRONTAL_VIEWS = ("front", "back")


def _per_cycle(ctx: Context, cycles: pd.DataFrame, measure: Callable[[pd.Series], float]) -> pd.DataFrame:
    """``index, start_s, end_s, value`` for each of ``cycles`` (rows of ``ctx.cycles``) with a finite value."""
    rows = [(int(i), float(c["start_s"]), float(c["end_s"]), measure(c)) for i, c in cycles.iterrows()]
    table = pd.DataFrame(rows, columns=["index", "start_s", "end_s", "value"])
    return table[np.isfinite(table["value"].to_numpy(dtype=float))]


def _flag(
    ctx: Context,
    code: str,
    rows: pd.DataFrame,
    *,
    threshold: float,
    above: bool,
    step: float,
    reference: str,
    message: Callable[[float], str],
    quantity: str,
    side=None,
    unit: str = "deg",
    over: str = "reps",
    baseline: dict | None = None,
) -> list[Finding]:
    """A finding when the median of ``rows.value`` passes ``threshold`` (above or below it), else nothing."""
    value = float(np.median(rows["value"]))
    excess = value - threshold if above else threshold - value
    if not excess > 0:
        return []
    passed = rows["value"] > threshold if above else rows["value"] < threshold
    return [
        Finding(
            code,
            severity(excess, step),
            side,
            float(rows["start_s"].min()),
            float(rows["end_s"].max()),
            value,
            threshold,
            reference,
            message(value),
            unit=unit,
            quantity=f"{quantity}, {_MEDIAN_OF[over]}",
            occurrences=tuple(int(i) for i in rows.loc[passed, "index"]),
            n_assessed=len(rows),
            baseline=baseline,
        )
    ]


def _seen_in(rows: pd.DataFrame, threshold: float, above: bool, what: str) -> str:
    n = int((rows["value"] > threshold).sum() if above else (rows["value"] < threshold).sum())
    return f" Seen in {n} of {len(rows)} {what}."


def _span_of(ctx: Context, mask: np.ndarray) -> tuple[float, float]:
    """First and last time of ``mask`` (an empty span when it has no frame)."""
    times = ctx.time[mask]
    return (float(times[0]), float(times[-1])) if times.size else (math.inf, -math.inf)


# ----------------------------------------------------------------------------- standing posture


def _standing_quantity(ctx: Context, name: str) -> tuple[float, float | None, float | None, str]:
    """The client's standing value of an outline angle (posture: the whole clip; squat, lunge: quiet standing
    outside the reps, described)."""
    values = ctx.column(name)
    value, start, end = ctx.standing_value(values)
    if ctx.movement == "posture" or ctx.standing is None:
        return value, start, end, "median while standing"
    return value, start, end, f"median over {ctx.reference_text()}"


def _standing_baseline(ctx: Context) -> dict | None:
    return None if ctx.movement == "posture" or ctx.standing is None else ctx.standing.to_dict()


def _walking_note(ctx: Context, code: str, what: str) -> list[Finding]:
    return ctx.note(
        code,
        f"{what} is not assessed while walking: the outline method is not validated during "
        "walking (the swinging arms cover the back) and a walk has no standing baseline "
        "(docs/outline.md). Film the client standing still, side on.",
    )


def _tilt_source(ctx: Context):
    """Where the angle table's pelvic tilt came from (:attr:`movelab.kinematics.Motion.pelvic_tilt_source`;
    an angle table alone is taken as an outline estimate): ``(source, method error, a sentence for the
    client)``."""
    info = ctx.tilt_source
    if info.get("mode") == "markers":
        return "ASIS/PSIS skin markers", ctx.mdd("pelvic_tilt_markers"), "Measured from the skin markers"
    if info.get("calibration"):
        return (
            "outline, calibrated to the client's marker session",
            ctx.mdd("pelvic_tilt_client_calibrated"),
            "Estimated from the body outline, calibrated to your own marker session",
        )
    sd = info.get("median_sd_deg")
    per_frame = f", per-frame uncertainty ±{sd:.1f}° (1 SD, median of this clip)" if sd else ""
    return (
        f"outline (population calibration{per_frame})",
        ctx.mdd("pelvic_tilt_outline_absolute"),
        "Estimated from the body outline without markers",
    )


def anterior_pelvic_tilt(ctx: Context) -> list[Finding]:
    code, what = "anterior_pelvic_tilt", "Pelvic tilt"
    if ctx.movement == "gait":
        return _walking_note(ctx, code, what)
    value, start, end, how = _standing_quantity(ctx, "pelvic_tilt")
    if not np.isfinite(value):
        return ctx.outline_note(code, what)
    norm, n_sd = ctx.config.pelvic_tilt_norm, ctx.config.n_sd
    source, mdd, how_measured = _tilt_source(ctx)
    threshold = max(norm.upper(n_sd), norm.mean + mdd.value)
    if value <= threshold:
        return []
    message = (
        f"Your pelvis tips forward more than usual when you stand (about {value:.0f}°; most people stand "
        f"between {norm.lower(n_sd):.0f}° and {norm.upper(n_sd):.0f}°). This is often linked with tight "
        f"hip flexors at the front of the hip and weak buttock (glute) and tummy muscles. {how_measured} "
        f"(error about {mdd.value:g}°)."
    )
    reference = f"mean + {n_sd:g} SD of {norm.text()}; source: {source}; method error {mdd.value:g}° ({mdd.source})"
    return [
        Finding(
            code,
            severity(value - threshold, mdd.value),
            None,
            start,
            end,
            value,
            threshold,
            reference,
            message,
            quantity=f"anterior pelvic tilt, {how}",
            baseline=_standing_baseline(ctx),
        )
    ]


def excessive_lumbar_lordosis(ctx: Context) -> list[Finding]:
    code, what = "excessive_lumbar_lordosis", "The lower-back curve (lumbar lordosis)"
    if ctx.movement == "gait":
        return _walking_note(ctx, code, what)
    value, start, end, how = _standing_quantity(ctx, "lumbar_lordosis")
    if not np.isfinite(value):
        return ctx.outline_note(code, what)
    upper, source = ctx.config.lordosis_upper()
    mdd = ctx.mdd("lumbar_lordosis_outline_absolute")
    if value <= upper:
        return []
    message = (
        f"The curve in your lower back is deeper than usual (about {value:.0f}°; the usual range reaches "
        f"up to about {upper:.0f}°). This often goes with the pelvis tipping forward, tight hip flexors and "
        "weak tummy and buttock (glute) muscles. Estimated from the body outline, whose absolute value "
        f"erred by up to {mdd.value:g}° on bodies it was not tuned on: confirm by hand, and follow the "
        "change from the client's own standing rather than this number."
    )
    return [
        Finding(
            code,
            severity(value - upper, mdd.value),
            None,
            start,
            end,
            value,
            upper,
            f"{source}; source: outline; method error {mdd.value:g}° ({mdd.source})",
            message,
            quantity=f"lumbar lordosis (back-surface angle), {how}",
            baseline=_standing_baseline(ctx),
        )
    ]


# ----------------------------------------------------------------------------- squat at depth


def descent_loss(ctx: Context, values: np.ndarray, rep) -> float:
    """How much of its largest value in a rep's descent ``values`` lost by the bottom (the value there is the
    median over ``± depth_window_s``)."""
    return ctx.extreme(values, rep["start_s"], rep["bottom_s"], "max") - ctx.at(values, rep["bottom_s"])


def lumbar_flexion_at_depth(ctx: Context) -> list[Finding]:
    code = "lumbar_flexion_at_depth"
    cfg = ctx.config
    for name, quantity in (  # noqa: B007 (the one chosen is used after the loop)
        ("lumbar_lordosis", "loss of lumbar lordosis from its largest value in the descent to the bottom"),
        (
            "pelvic_tilt",
            "loss of anterior pelvic tilt from its largest value in the descent to the bottom ('butt wink')",
        ),
    ):
        values = ctx.column(name)

        def loss(rep, values=values) -> float:
            return descent_loss(ctx, values, rep)

        # the outline method is validated on the whole body in the picture: with the feet cut off the person
        # mask changes and a squat read 6.6-8.2 deg of rounding that the full picture did not (docs/findings.md)
        rows, missing = _per_rep(ctx, loss, needs=("feet",), span="rep")
        if not rows.empty or missing:
            break
    if rows.empty:
        if missing:
            return ctx.cannot_assess(
                code,
                "Lower-back rounding at the bottom of the squat",
                views=_SIDE_VIEWS,
                needs="a side view",
                missing=missing,
            )
        return ctx.outline_note(code, "Lower-back rounding at the bottom of the squat")
    # a squat's depth moves the lordosis read from the outline more than standing does (docs/findings-accuracy.md)
    mdd = ctx.mdd("lumbar_loss_squat" if name == "lumbar_lordosis" else name)
    threshold = cfg.lumbar_flexion.value + mdd.value

    def message(value: float) -> str:
        return (
            f"At the bottom of the squat your lower back rounded (it lost about {value:.0f}° of its curve), "
            "sometimes called a 'butt wink'. This is often linked with tight hamstrings or hips, limited "
            "ankle bend (dorsiflexion), or going deeper than the hips comfortably allow."
            + _seen_in(rows, threshold, True, "repetitions")
        )

    return _flag(
        ctx,
        code,
        rows,
        threshold=threshold,
        above=True,
        step=mdd.value,
        reference=f"{cfg.lumbar_flexion.source}; method error {mdd.value:g}° ({mdd.source})",
        message=message,
        quantity=quantity,
    )


def excessive_trunk_lean(ctx: Context) -> list[Finding]:
    code = "excessive_trunk_lean"
    lean = ctx.column("trunk_lean")

    def beyond(rep) -> float:
        span = (rep["start_s"], rep["end_s"])
        knee, thigh = ctx.near_or_both_name("knee_flexion", *span), ctx.near_or_both_name("thigh_angle", *span)
        tibia = ctx.difference(knee, thigh)  # the shin's incline, computed once per pair of columns read
        return ctx.at(lean, rep["bottom_s"]) - ctx.at(tibia, rep["bottom_s"])

    rows, missing = _per_rep(ctx, beyond, needs=("feet", "knees", "hips", "shoulders"), span="rep")
    if rows.empty:
        return ctx.cannot_assess(
            code,
            "Trunk lean at the bottom of the squat",
            views=_SIDE_VIEWS,
            needs="a side view",
            missing=missing,
        )
    cfg, mdd = ctx.config, ctx.mdd("trunk_vs_tibia")
    threshold = cfg.trunk_beyond_tibia.value + mdd.value

    def message(value: float) -> str:
        return (
            f"At the bottom of the squat your upper body leaned further forward than your shins (about "
            f"{value:.0f}° more); a good squat keeps the back about parallel to the shins. This often comes "
            "with limited ankle bend (dorsiflexion), weak buttock (glute) or thigh muscles, or stiff hips."
            + _seen_in(rows, threshold, True, "repetitions")
        )

    return _flag(
        ctx,
        code,
        rows,
        threshold=threshold,
        above=True,
        step=mdd.value,
        reference=f"{cfg.trunk_beyond_tibia.source}; method error {mdd.value:g}° ({mdd.source})",
        message=message,
        quantity="trunk lean minus the shin's forward inclination at depth",
    )


def limited_squat_depth(ctx: Context) -> list[Finding]:
    code = "limited_squat_depth"

    def deepest(rep) -> float:
        thigh = ctx.near_or_both("thigh_angle", rep["start_s"], rep["end_s"])
        return ctx.extreme(thigh, rep["start_s"], rep["end_s"], "max")

    rows, missing = _per_rep(ctx, deepest, needs=("knees", "hips"), span="rep")
    if rows.empty:
        return ctx.cannot_assess(code, "Squat depth", views=_SIDE_VIEWS, needs="a side view", missing=missing)
    cfg, mdd = ctx.config, ctx.mdd("thigh_angle")
    threshold = cfg.squat_thigh_angle.value - mdd.value

    def message(value: float) -> str:
        return (
            f"Your squat stopped with the thighs above horizontal (thigh at about {value:.0f}° from vertical; "
            "a full squat reaches 90°). Limited ankle bend (dorsiflexion), stiff hips or weak legs commonly "
            "limit depth." + _seen_in(rows, threshold, False, "repetitions")
        )

    return _flag(
        ctx,
        code,
        rows,
        threshold=threshold,
        above=False,
        step=mdd.value,
        reference=f"{cfg.squat_thigh_angle.source}; method error {mdd.value:g}° ({mdd.source})",
        message=message,
        quantity="deepest thigh angle (thigh against vertical)",
    )


#: Why a heel lift read from the sole's outline has no value at the bottom of any rep (kinematics/sole.py).
_SOLE_UNREAD = (
    "the sole's outline was not readable at the bottom of the squats (the person mask lost the front of the "
    "shoe, or the feet's landmarks were hidden). A plain floor in contrast with the shoes helps."
)


def heel_lift(ctx: Context) -> list[Finding]:
    code = "heel_lift"
    what = "Heel lift"
    cfg, mdd = ctx.config, ctx.mdd("heel_rise")
    if ctx.in_other_view(_SIDE_VIEWS):  # the heel's rise is a height in a side view
        return ctx.not_assessed(code, what, "a side view with the feet visible")
    if ctx.positions is not None:
        standing = ctx.standing_mask()
        rise = ctx.heel_rise_deg
        lost = ctx.missing(("feet",), *_span_of(ctx, ctx.standing_mask()))
        if lost or not np.isfinite(ctx.standing_value(rise)[0]):
            still = (
                f"the client standing still (at least {cfg.min_baseline_s:g} s, not counting the first "
                f"{cfg.standing_settle_s:g} s) before, between or after the squats"
            )
            return ctx.cannot_assess(
                code,
                what,
                views=_SIDE_VIEWS,
                missing=lost,
                needs=f"a side view with {still}",
                otherwise=f"it needs {still} as the reference; quiet standing here: {ctx.reference_text()}.",
            )
        spread = standing_spread_deg(rise, standing)
        if spread > mdd.value:  # the picture (or the feet's landmarks) moved while the client stood still
            return ctx.note(
                code,
                f"{what} could not be assessed: while the client stood still the heels' landmarks moved by up to "
                f"{spread:.0f}° of foot pitch, more than the method's {mdd.value:g}° error (a hand-held or moving "
                "camera, or heel landmarks that wander). The heel's rise is read against the picture: film with "
                "the camera on a stand.",
                ctx.reference_text(),
            )
        rows, missing = _per_rep(ctx, lambda rep: ctx.at(rise, rep["bottom_s"]), needs=("feet",))
    elif "heel_lift_deg" in ctx.reps.columns:
        missing = None
        rows = ctx.reps.assign(value=ctx.reps["heel_lift_deg"].astype(float))[["index", "start_s", "end_s", "value"]]
        rows = rows[np.isfinite(rows["value"].to_numpy(dtype=float))]
    else:
        return ctx.note(code, f"{what} could not be assessed: it needs the landmarks of the feet.")
    if rows.empty:
        return ctx.cannot_assess(
            code,
            what,
            views=_SIDE_VIEWS,
            needs="a side view with the feet visible",
            missing=missing,
            otherwise=_SOLE_UNREAD if ctx.positions is not None and ctx.outline_px is not None else None,
        )
    threshold = cfg.heel_lift.value + mdd.value

    def message(value: float) -> str:
        return (
            f"Your heels came up from the floor at the bottom of the squat (the foot tipped up about "
            f"{value:.0f}°). "
            "This is most often a sign of limited ankle bend (tight calves, limited dorsiflexion)."
            + _seen_in(rows, threshold, True, "repetitions")
        )

    standing = ctx.standing if ctx.positions is not None else None
    return _flag(
        ctx,
        code,
        rows,
        threshold=threshold,
        above=True,
        step=mdd.value,
        reference=f"{cfg.heel_lift.source}; reference: the heels' height in "
        f"{ctx.reference_text() if standing else 'standing'}; method error "
        f"{mdd.value:g}° ({mdd.source})",
        baseline=standing.to_dict() if standing is not None else None,
        message=message,
        quantity="heel rise at depth above standing, as the foot pitch it implies",
    )


# ----------------------------------------------------------------------------- frontal plane, reps


def _fppa_rows(ctx: Context, side: str) -> tuple[pd.DataFrame, str | None]:
    fppa = ctx.column(f"knee_fppa_{side}")
    return _per_rep(ctx, lambda r: ctx.at(fppa, r["bottom_s"]), needs=("feet", "knees", "hips"))


#: Why a lunge's knee valgus is not judged: measured with ``python -m scripts.accuracy.frontal_findings_accuracy
#: --reuse`` (and ``--realistic``), table *Lunges at depth: the front leg's FPPA read against its projected truth*.
_LUNGE_VALGUS_NOTE = (
    "Knee valgus is not judged in lunges: on rendered front- and back-view lunges the front knee's angle read "
    "from video was up to 38° off the true one (docs/findings-accuracy.md). Film a squat from the front to "
    "judge the knees."
)


def knee_valgus(ctx: Context) -> list[Finding]:
    code = "knee_valgus"
    if ctx.movement == "lunge":
        return ctx.note(code, _LUNGE_VALGUS_NOTE)
    cfg = ctx.config
    norm, mdd, margin = cfg.fppa_upper(), ctx.mdd("knee_fppa"), cfg.knee_valgus_margin
    threshold = max(norm.value, mdd.value)
    reference = (
        f"{norm.source} (the higher limit when sex is not given); method error {mdd.value:g}° ({mdd.source}); "
        f"raised past the limit by more than {margin.value:g}° ({margin.source})"
    )
    found, assessed, missing = [], False, None
    for side in SIDES:
        rows, lost = _fppa_rows(ctx, side)
        if rows.empty:
            missing = missing or lost
            continue
        assessed = True

        def message(value: float, side=side, rows=rows) -> str:
            return (
                f"Your {side} knee moved inward as you went down (about {value:.0f}°; the usual range goes up "
                f"to about {threshold:.0f}°). This is often linked with weak hip muscles (glutes) that hold "
                "the thigh out, or with limited ankle bend (dorsiflexion)."
                + _seen_in(rows, threshold, True, "repetitions")
            )

        value = float(np.median(rows["value"]))
        if threshold < value <= threshold + margin.value:  # past the norm by less than movelab's own error
            found += ctx.note(code, _near_threshold(side, value, threshold, margin.value), margin.source, side=side)
            continue
        found += _flag(
            ctx,
            code,
            rows,
            threshold=threshold,
            above=True,
            step=mdd.value,
            side=side,
            reference=reference,
            message=message,
            quantity="knee frontal plane projection angle at depth (valgus positive)",
        )
    if assessed:
        return found
    if missing is None and _knees_merged_at_depth(ctx):
        return ctx.cannot_assess(
            code, "Knee valgus", views=_FRONTAL_VIEWS, needs="a front or back view", otherwise=_KNEES_MERGED
        )
    return ctx.cannot_assess(code, "Knee valgus", views=_FRONTAL_VIEWS, needs="a front or back view", missing=missing)


def _near_threshold(side: str, value: float, threshold: float, margin: float) -> str:
    return (
        f"Your {side} knee moved inward by about {value:.0f}° at the bottom of the squat, just past the usual "
        f"range (up to about {threshold:.0f}°) but within movelab's own measuring error ({margin:g}°) of it, so it "
        "is not flagged. A clinician's look at the video can tell."
    )


_KNEES_MERGED = (
    "at the bottom of the squat the knees' outlines merged in the picture (knees together, or loose trousers) "
    "and too few frames showed them apart to place each knee. Film in closer-fitting clothes, with the knees "
    "apart while standing."
)


def _knees_merged_at_depth(ctx: Context) -> bool:
    """True when, at some rep's bottom, the knee FPPA was left unmeasured because the knees' outlines merged."""
    if ctx.knees_merged is None or ctx.reps.empty:
        return False
    return any(ctx.knees_merged[ctx.mask(*_read_span(ctx, r, "bottom"))].any() for r in ctx.rep_records)


def _obliquity_measure(ctx: Context) -> tuple[np.ndarray, str | None]:
    """``pelvic_obliquity`` where it came from the same measure as in the standing reference (the hands' or
    the hips' line, :mod:`movelab.kinematics.frontal_pelvis`), NaN elsewhere, and that measure (None when the
    angle table came without its Motion, or there is no standing reference)."""
    obliquity = ctx.column("pelvic_obliquity")
    source = ctx.obliquity_source
    if source is None:
        return obliquity, None
    standing = source[ctx.standing_mask()]
    standing = standing[standing != ""]
    if not standing.size:
        return obliquity, None
    names, counts = np.unique(standing, return_counts=True)
    measure = str(names[np.argmax(counts)])
    return np.where(source == measure, obliquity, np.nan), measure


#: What the pelvic obliquity was read from, for a finding's reference.
_MEASURES = {
    "hands": "the line between the wrists (hands on the hips; from behind their height difference x 1.12, "
    "KinematicsConfig.hands_obliquity_gain_back: rendered 10 deg drops read 8.8-11.7 deg)",
    "hips": "the hip landmarks",
}


def pelvic_drop_reps(ctx: Context) -> list[Finding]:
    code = "pelvic_drop"
    obliquity, measure = _obliquity_measure(ctx)
    if ctx.movement == "lunge" and measure == "hips":
        return ctx.note(
            code,
            "Pelvic drop could not be assessed in this lunge: with the arms hanging, the hip points the pose "
            "model finds follow only a third to a half of a dropping pelvis in a lunge, so a drop would be "
            "missed. Ask the client to put the hands on the hips (filmed from the front or back): the hands "
            "then show the pelvis's level.",
        )
    baseline, _, _ = ctx.standing_value(obliquity)
    if not np.isfinite(baseline):
        still = (
            f"the client standing still (at least {ctx.config.min_baseline_s:g} s, not counting the "
            f"first {ctx.config.standing_settle_s:g} s) before, between or after the repetitions"
        )
        return ctx.cannot_assess(
            code,
            "Pelvic drop",
            views=_FRONTAL_VIEWS,
            needs=f"a front or back view with {still}",
            missing=ctx.missing(("hips",), *_span_of(ctx, ctx.standing_mask())),
            otherwise=f"it needs {still} as the reference; quiet standing here: {ctx.reference_text()}.",
        )
    rows, missing = _per_rep(ctx, lambda rep: ctx.at(obliquity, rep["bottom_s"]) - baseline, needs=("hips",))
    if rows.empty:
        return ctx.cannot_assess(
            code, "Pelvic drop", views=_FRONTAL_VIEWS, needs="a front or back view", missing=missing
        )
    cfg, mdd = ctx.config, ctx.mdd("pelvic_obliquity")
    signed = float(np.median(rows["value"]))
    side = "right" if signed > 0 else "left"  # obliquity > 0: the left hip is higher, the right has dropped
    sign = 1.0 if side == "right" else -1.0
    rows = rows.assign(value=sign * rows["value"])
    threshold = cfg.pelvic_level.value + mdd.value

    def message(value: float) -> str:
        return (
            f"At the bottom of the movement the {side} side of your pelvis was lower than when you stood "
            f"(by about {value:.0f}°). This is often linked with weak muscles at the side of the hip "
            "(gluteus medius) that keep the pelvis level." + _seen_in(rows, threshold, True, "repetitions")
        )

    return _flag(
        ctx,
        code,
        rows,
        threshold=threshold,
        above=True,
        step=mdd.value,
        side=side,
        reference=f"{cfg.pelvic_level.source}; reference: the client's standing obliquity "
        f"({baseline:.1f}°), median over {ctx.reference_text()}; measured on {_MEASURES.get(measure, 'the hips')}; "
        f"method error {mdd.value:g}° ({mdd.source})",
        baseline=ctx.standing.to_dict() if ctx.standing is not None else None,
        message=message,
        quantity="pelvic obliquity at depth minus standing, towards the dropped side",
    )


def fppa_asymmetry(ctx: Context) -> list[Finding]:
    if ctx.movement != "squat":
        return []
    rows = {s: _fppa_rows(ctx, s)[0] for s in SIDES}
    if any(r.empty for r in rows.values()):
        return []
    merged = rows["left"].merge(rows["right"], on=["index", "start_s", "end_s"], suffixes=("_l", "_r"))
    if merged.empty:
        return []
    difference = merged["value_l"] - merged["value_r"]
    side = "left" if float(np.median(difference)) > 0 else "right"
    merged = merged.assign(value=difference if side == "left" else -difference)
    mdd = ctx.mdd("knee_fppa_between_legs")

    def message(value: float) -> str:
        return (
            f"Your {side} knee moved inward about {value:.0f}° more than the {_OTHER[side]} one at the bottom "
            "of the squat. One-sided differences are often linked with weakness of the hip muscles (glutes) "
            "or less ankle bend on that side, or with an old injury."
        )

    return _flag(
        ctx,
        "left_right_asymmetry",
        merged,
        threshold=mdd.value,
        above=True,
        step=mdd.value,
        side=side,
        reference=f"difference beyond the smallest detectable difference: {mdd.source}",
        message=message,
        quantity=f"knee FPPA at depth, {side} minus {_OTHER[side]}",
    )


# ----------------------------------------------------------------------------- gait


def _stance_end(cycle: pd.Series) -> float:
    toe_off = cycle.get("toe_off_s", math.nan)
    if toe_off is not None and np.isfinite(toe_off):
        return float(toe_off)
    return float(cycle["start_s"] + 0.6 * (cycle["end_s"] - cycle["start_s"]))  # stance ≈ 60 % of the cycle


def _near_leg_cycles(ctx: Context, side: str) -> tuple[pd.DataFrame, bool]:
    """``side``'s cycles in which that leg was nearer the camera, and whether any were on the far side.

    In side view the far leg is often hidden by the near one and its angles err more (on the rendered walk
    the far thigh read 5° more extension than it had); when the views are known only near-leg cycles count.
    """
    cycles = ctx.cycles[ctx.cycles["side"] == side]
    near = [ctx.near_side(c["start_s"], c["end_s"]) for _, c in cycles.iterrows()]
    if all(n is None for n in near):
        return cycles, False
    keep = np.array([n == side for n in near], dtype=bool)
    return cycles[keep], bool((~keep).any())


def reduced_hip_extension(ctx: Context) -> list[Finding]:
    code = "reduced_hip_extension"
    if ctx.cycles.empty:
        return ctx.not_assessed(code, "Hip extension in walking", "whole gait cycles in a side view")
    cfg = ctx.config
    norm, mdd = cfg.hip_extension_norm, ctx.mdd("thigh_angle")
    threshold = min(norm.lower(cfg.n_sd), norm.mean - mdd.value)
    found, medians, far_only = [], {}, []
    for side in SIDES:
        thigh = ctx.column(f"thigh_angle_{side}")
        cycles, had_far = _near_leg_cycles(ctx, side)
        rows = _per_cycle(ctx, cycles, lambda c, thigh=thigh: -ctx.extreme(thigh, c["start_s"], c["end_s"], "min"))
        if rows.empty:
            if had_far:
                far_only.append(side)
            continue
        medians[side] = (float(np.median(rows["value"])), rows)

        def message(value: float, side=side, rows=rows) -> str:
            return (
                f"When walking, your {side} thigh did not swing far behind you (about {value:.0f}° behind "
                f"vertical; young adults reach about {norm.mean:.0f}°). This is often linked with tight hip "
                "flexors at the front of the hip, which can also pull on the lower back."
                + _seen_in(rows, threshold, False, "steps")
            )

        found += _flag(
            ctx,
            code,
            rows,
            threshold=threshold,
            above=False,
            step=mdd.value,
            side=side,
            over="cycles",
            reference=f"mean - {cfg.n_sd:g} SD of {norm.text()}; here the thigh against vertical "
            f"(Stenum et al. 2021); method error {mdd.value:g}° ({mdd.source})",
            message=message,
            quantity="peak thigh extension behind vertical at terminal stance",
        )
    for side in far_only:
        found += ctx.note(
            code,
            f"The {side} hip's extension was not assessed: that leg was on the far side of the "
            "camera. Film the walk in the other direction too.",
            side=side,
        )
    if not medians and not far_only:
        return ctx.not_assessed(code, "Hip extension in walking", "a side view")
    return found + _hip_extension_asymmetry(ctx, medians)


def _hip_extension_asymmetry(ctx: Context, medians: dict) -> list[Finding]:
    if len(medians) < 2:
        return []
    mdd = ctx.mdd("thigh_angle")
    error = math.sqrt(2.0) * mdd.value  # a difference of two angles, each measured with the landmark error
    (left, rows_l), (right, rows_r) = medians["left"], medians["right"]
    difference = abs(left - right)
    if not difference > error:
        return []
    side = "left" if left < right else "right"
    rows = pd.concat([rows_l, rows_r])
    message = (
        f"Your {side} hip extended about {difference:.0f}° less than the {_OTHER[side]} one when walking. "
        "A one-sided difference is often linked with a tighter hip flexor on that side, or with pain or "
        "an old injury."
    )
    return [
        Finding(
            "left_right_asymmetry",
            severity(difference - error, mdd.value),
            side,
            float(rows["start_s"].min()),
            float(rows["end_s"].max()),
            difference,
            error,
            f"difference beyond sqrt(2) x the method error {mdd.value:g}° ({mdd.source})",
            message,
            quantity="peak thigh extension, difference between sides (medians of cycles)",
            n_assessed=len(rows),
        )
    ]


def pelvic_drop_gait(ctx: Context) -> list[Finding]:
    code = "pelvic_drop"
    obliquity = ctx.column("pelvic_obliquity")
    if ctx.cycles.empty:
        return ctx.not_assessed(code, "Pelvic drop in walking", "whole gait cycles in a front or back view")
    # the client's own pelvic level: median of the per-cycle medians (each cycle is one whole stride, so the
    # drops to either side balance within it, however many strides the clip holds)
    per_cycle = [ctx.median(obliquity, c["start_s"], c["end_s"]) for _, c in ctx.cycles.iterrows()]
    per_cycle = [v for v in per_cycle if np.isfinite(v)]
    level = float(np.median(per_cycle)) if per_cycle else math.nan
    if not np.isfinite(level):
        return ctx.not_assessed(code, "Pelvic drop in walking", "a front or back view")
    cfg, mdd = ctx.config, ctx.mdd("pelvic_obliquity")
    threshold = cfg.pelvic_level.value + mdd.value
    found = []
    for stance in SIDES:
        sign = 1.0 if stance == "left" else -1.0  # standing on the left, a right drop makes obliquity positive
        drop = sign * (obliquity - level)
        cycles = ctx.cycles[ctx.cycles["side"] == stance]
        rows = _per_cycle(ctx, cycles, lambda c, drop=drop: ctx.extreme(drop, c["start_s"], _stance_end(c), "max"))
        if rows.empty:
            continue
        dropped = _OTHER[stance]

        def message(value: float, stance=stance, dropped=dropped, rows=rows) -> str:
            return (
                f"When standing on your {stance} leg, the {dropped} side of your pelvis dropped (about "
                f"{value:.0f}° below its usual level). This is often linked with weak muscles at the side of "
                f"the {stance} hip (gluteus medius) that keep the pelvis level."
                + _seen_in(rows, threshold, True, "steps")
            )

        found += _flag(
            ctx,
            code,
            rows,
            threshold=threshold,
            above=True,
            step=mdd.value,
            side=dropped,
            over="cycles",
            message=message,
            reference=f"{cfg.pelvic_level.source}; reference: the client's mean obliquity over the "
            f"cycles; method error {mdd.value:g}° ({mdd.source})",
            quantity=f"largest drop of the {dropped} side below the mean level during {stance} stance",
        )
    return found


def step_time_asymmetry(ctx: Context) -> list[Finding]:
    code = "left_right_asymmetry"
    if ctx.cycles.empty:
        return []
    start, end = float(ctx.cycles["start_s"].min()), float(ctx.cycles["end_s"].max())
    if ctx.near_side(start, end) is not None:
        # one side view throughout: the far foot's events are found late or early (up to 0.13 s on the rendered
        # walks), which makes a symmetric walk look uneven
        return ctx.note(
            code,
            "Step timing (left against right) was not assessed: in a side view the far foot's "
            "steps are timed less well than the near foot's. Film from the front or behind, or "
            "walk both ways past the camera.",
        )
    left, right = _step_times(ctx)
    if not (np.isfinite(left) and np.isfinite(right)):
        return []
    index = 2.0 * (left - right) / (left + right) * 100.0
    error = ctx.mdd("event_timing_s")
    # a step time is the difference of two event times: with an error e on each (or a bias e of one foot's
    # events), L - R is off by about 2e and the index by 2·2e/(L+R)·100
    threshold = 4.0 * error.value / (left + right) * 100.0
    if not abs(index) > threshold:
        return []
    side = "left" if index > 0 else "right"
    message = (
        f"Your steps were uneven in time: the step onto your {side} foot took about {abs(index):.0f}% longer "
        f"than the step onto your {_OTHER[side]} foot. Uneven steps are often linked with pain, stiffness or "
        "weakness on one side, and are worth checking together."
    )
    return [
        Finding(
            code,
            severity(abs(index) - threshold, threshold),
            side,
            start,
            end,
            abs(index),
            threshold,
            f"step-time asymmetry index 2(L-R)/(L+R)x100 (biomechanics notes) beyond what an event timing "
            f"error of {error.value:g} s could make ({error.source})",
            message,
            unit="%",
            quantity=f"step-time asymmetry index, the {side} step longer",
            n_assessed=len(ctx.cycles),
        )
    ]


def _step_times(ctx: Context) -> tuple[float, float]:
    """Mean left and right step times (s): a side's step ends at that side's initial contact."""
    gait = ctx.gait or {}
    if {"step_time_left_s", "step_time_right_s"} <= set(gait):
        return float(gait["step_time_left_s"] or math.nan), float(gait["step_time_right_s"] or math.nan)
    contacts = ctx.events[ctx.events["event"] == "initial_contact"].sort_values("time_s")
    steps: dict[str, list[float]] = {"left": [], "right": []}
    previous = None
    for _, ev in contacts.iterrows():
        if previous is not None and ev["side"] in steps and ev["side"] != previous["side"]:
            steps[ev["side"]].append(float(ev["time_s"] - previous["time_s"]))
        previous = ev
    return tuple(float(np.mean(steps[s])) if steps[s] else math.nan for s in SIDES)


_DETECTORS: dict[str, tuple[Callable[[Context], list[Finding]], ...]] = {
    "posture": (anterior_pelvic_tilt, excessive_lumbar_lordosis),
    "squat": (
        anterior_pelvic_tilt,
        excessive_lumbar_lordosis,
        lumbar_flexion_at_depth,
        excessive_trunk_lean,
        limited_squat_depth,
        heel_lift,
        knee_valgus,
        pelvic_drop_reps,
        fppa_asymmetry,
    ),
    "lunge": (anterior_pelvic_tilt, excessive_lumbar_lordosis, knee_valgus, pelvic_drop_reps),
    "gait": (
        anterior_pelvic_tilt,
        excessive_lumbar_lordosis,
        reduced_hip_extension,
        pelvic_drop_gait,
        step_time_asymmetry,
    ),
}
