"""The supine tests' results and findings: modified Thomas test and active straight-leg raise (FMS ASLR).

Reads the per-frame table of :func:`movelab.kinematics.supine.supine_angles`. Per side it finds the hold (the
Thomas test: the hanging thigh at its lowest; the ASLR: the raised thigh at its highest), reads the measures
there, and flags what passes a sourced threshold (:class:`SupineConfig`, docs/assessments.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from movelab.findings._context import severity as severity_step
from movelab.findings.finding import Finding
from movelab.findings.supine_config import SupineConfig
from movelab.kinematics.runs import runs
from movelab.kinematics.supine import SUPINE_SIDES

__all__ = [
    "SupineConfig",
    "ThomasSide",
    "AslrSide",
    "thomas_sides",
    "aslr_sides",
    "fms_aslr_score",
    "supine_findings",
    "SUPINE_TESTS",
    "SUPINE_CODES",
]

_OTHER = {"left": "right", "right": "left"}
#: The movements whose findings come from this module.
SUPINE_TESTS = ("thomas", "aslr")
#: The finding codes only this module raises (besides ``left_right_asymmetry``).
SUPINE_CODES = ("short_one_joint_hip_flexors", "short_two_joint_hip_flexors", "limited_straight_leg_raise")

_THOMAS_SOURCE = (
    "modified Thomas test reference values as tabulated in the EXECP protocol (BMC Sports Sci Med Rehabil "
    "2021, doi 10.1186/s13102-021-00242-y, Table 4, citing Harvey 1998 Br J Sports Med 32:68-70 and "
    "others); Kendall et al., Muscles: Testing and Function"
)
_FMS_SOURCE = (
    "FMS active straight-leg raise scoring (Cook, Burton et al.; Functional Movement Systems manual): 3 = the "
    "malleolus passes the mid-thigh (between ASIS and knee joint line), 2 = between mid-thigh and knee joint "
    "line, 1 = below the knee joint line"
)


@dataclass(frozen=True)
class ThomasSide:
    """One side's modified Thomas test, read over the hold (medians), degrees.

    ``hip_deg``: hanging thigh against the table line, positive above it; ``knee_deg``: hanging knee flexion;
    ``held_hip_flexion_deg``: the held leg's hip flexion against the trunk line; ``back_gap``: the back's
    largest gap above the table line (fraction of trunk length; the lumbar arch in the silhouette);
    ``lumbar_flat``: None: whether the lumbar spine lay flat is not measurable from landmarks and mask
    (docs/assessments.md).
    """

    side: str
    hip_deg: float
    knee_deg: float
    held_hip_flexion_deg: float
    back_gap: float
    start_s: float
    end_s: float
    n_frames: int
    lumbar_flat: bool | None = None

    def to_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class AslrSide:
    """One side's active straight-leg raise, at the top of the raise (medians), degrees.

    ``raise_deg``: raised thigh against the table line; ``knee_deg``: its knee flexion; ``rest_deg``: the
    other thigh against the table line; ``ankle_fraction``: the raised ankle along the other thigh (0 hip, 1
    knee); ``fms_score``: 3, 2 or 1 (:func:`fms_aslr_score`); ``knee_straight``, ``rest_down``: the FMS
    conditions, by :class:`SupineConfig`'s limits.
    """

    side: str
    raise_deg: float
    knee_deg: float
    rest_deg: float
    ankle_fraction: float
    fms_score: int | None
    knee_straight: bool
    rest_down: bool
    start_s: float
    end_s: float
    n_frames: int

    def to_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in asdict(self).items()}


def fms_aslr_score(ankle_fraction: float) -> int | None:
    """FMS ASLR score from the raised malleolus's place along the other thigh (0 = ASIS, 1 = knee joint
    line): 3 when it passes mid-thigh (< 0.5), 2 when it passes the knee joint line (< 1), else 1; None when
    not measured. 0 (pain) cannot be seen on video."""
    if not np.isfinite(ankle_fraction):
        return None
    return 3 if ankle_fraction < 0.5 else (2 if ankle_fraction < 1.0 else 1)


def _hold(values: np.ndarray, in_test: np.ndarray, *, highest: bool, config: SupineConfig) -> np.ndarray:
    """Frames of the hold: in the test and within ``hold_band_deg`` of the extreme."""
    ok = in_test & np.isfinite(values)
    if ok.sum() < config.min_hold_frames:
        return np.zeros_like(ok)
    level = np.percentile(values[ok], 95 if highest else 5)
    return ok & (np.abs(values - level) <= config.hold_band_deg)


def _test_side(angles: pd.DataFrame, frames: np.ndarray, leg_label: np.ndarray) -> np.ndarray:
    """Per frame, the tested side: the side facing the camera (``near_side``, from the view; the protocol
    films each side from its own side) where known, else the pose model's label of the test leg (which the
    model swaps in some supine poses: docs/assessments-decisions.md)."""
    near = angles["near_side"].to_numpy(dtype=object) if "near_side" in angles else np.full(len(angles), None)
    return np.where(np.isin(near, SUPINE_SIDES), near, leg_label)


def _pair(angles: pd.DataFrame, stem: str) -> tuple[np.ndarray, np.ndarray]:
    return tuple(angles[f"{stem}_{s}"].to_numpy(dtype=np.float64) for s in SUPINE_SIDES)


def thomas_sides(angles: pd.DataFrame, *, config: SupineConfig = SupineConfig()) -> list[ThomasSide]:
    """Each side tested in the video: the hanging leg's hip and knee over its hold.

    The hanging leg is, per frame, the leg whose thigh is lower by ``test_leg_margin_deg`` (whatever the pose
    model called it); its side is :func:`_test_side`'s."""
    time = angles.index.to_numpy(dtype=np.float64)
    (thigh_l, thigh_r), (knee_l, knee_r) = _pair(angles, "thigh_to_table"), _pair(angles, "knee_flexion")
    held_l, held_r = _pair(angles, "hip_flexion_trunk")
    left_hangs = thigh_l < thigh_r
    hanging = np.where(left_hangs, thigh_l, thigh_r)
    knee = np.where(left_hangs, knee_l, knee_r)
    held = np.where(left_hangs, held_r, held_l)
    in_test = np.abs(thigh_l - thigh_r) > config.test_leg_margin_deg
    sides = _test_side(angles, in_test, np.where(left_hangs, "left", "right"))
    gap = angles["back_gap"].to_numpy(dtype=np.float64)
    out = []
    for side in SUPINE_SIDES:
        hold = _hold(hanging, in_test & (sides == side), highest=False, config=config)
        if hold.sum() < config.min_hold_frames:
            continue
        out.append(
            ThomasSide(
                side=side,
                hip_deg=float(np.median(hanging[hold])),
                knee_deg=_nanmedian(knee[hold]),
                held_hip_flexion_deg=_nanmedian(held[hold]),
                back_gap=_nanmedian(gap[hold]),
                start_s=float(time[hold][0]),
                end_s=float(time[hold][-1]),
                n_frames=int(hold.sum()),
            )
        )
    return out


def _nanmedian(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else float("nan")


def aslr_sides(angles: pd.DataFrame, *, config: SupineConfig = SupineConfig()) -> list[AslrSide]:
    """Each raise in the video (a stretch where a leg rises ``aslr_min_raise_deg`` above the table), read at
    its top; the raised side is :func:`_test_side`'s, the raised leg the one the landmarks put higher in
    most of the top's frames (its length and knee are read under that label). The raise is
    the silhouette's leg line (``raised_leg_outline``) where seen, else the landmarks' thigh. The ankle's
    place along the other thigh, from the hip, is the raised leg's length times the cosine of the raise over
    the other thigh's length (both from the landmarks, longest over the video: no ankle landmark needed) while
    the knee is straight, else the ankle landmark's (``ankle_over_thigh``); it is then measured from the ASIS
    instead of the hip (``SupineConfig.asis_offset_thigh``): FMS's mid-thigh is between ASIS and knee."""
    time = angles.index.to_numpy(dtype=np.float64)
    left, right = (angles[f"thigh_to_table_{s}"].to_numpy(dtype=np.float64) for s in SUPINE_SIDES)
    outline = angles["raised_leg_outline"].to_numpy(dtype=np.float64)
    raised = np.where(np.isfinite(outline), outline, np.fmax(left, right))
    out = []
    for stretch in _stretches(raised > config.aslr_min_raise_deg):
        top = np.zeros(time.size, dtype=bool)
        top[stretch] = True
        top &= raised >= np.percentile(raised[stretch], 95) - config.hold_band_deg
        if top.sum() < config.min_hold_frames:
            continue
        label = "left" if np.sum(left[top] > right[top]) * 2 > top.sum() else "right"  # the model's leg
        other = _OTHER[label]
        side = _majority(_test_side(angles, top, np.full(time.size, label))[top])
        raise_deg = float(np.median(raised[top]))
        knee = _median(angles[f"knee_flexion_{label}"], top)
        if knee <= config.aslr_knee_max_deg:  # a straight leg: its length and the raise place the ankle
            along = _length(angles, label) * np.cos(np.radians(raise_deg)) / _length(angles, other, thigh_only=True)
        else:  # a bent knee: the ankle landmark itself
            along = _median(angles[f"ankle_over_thigh_{label}"], top)
        fraction = (along + config.asis_offset_thigh) / (1.0 + config.asis_offset_thigh)
        rest_deg = _median(angles[f"thigh_to_table_{other}"], top)
        out.append(
            AslrSide(
                side=side,
                raise_deg=raise_deg,
                knee_deg=knee,
                rest_deg=rest_deg,
                ankle_fraction=float(fraction),
                fms_score=fms_aslr_score(float(fraction)),
                knee_straight=bool(knee <= config.aslr_knee_max_deg),
                rest_down=bool(abs(rest_deg) <= config.aslr_rest_max_deg),
                start_s=float(time[top][0]),
                end_s=float(time[top][-1]),
                n_frames=int(top.sum()),
            )
        )
    return out


def _majority(labels: np.ndarray) -> str:
    values, counts = np.unique(labels.astype(str), return_counts=True)
    return str(values[np.argmax(counts)])


def _stretches(mask: np.ndarray) -> list[slice]:
    """Runs of True in ``mask``, as slices."""
    return [slice(a, b) for a, b in runs(mask)]


def _length(angles: pd.DataFrame, side: str, *, thigh_only: bool = False) -> float:
    """A leg's (or its thigh's) length in pixels, the 90th percentile over the video."""
    name = f"thigh_px_{side}" if thigh_only else f"leg_px_{side}"
    values = angles[name].to_numpy(dtype=np.float64)
    values = values[np.isfinite(values)]
    return float(np.percentile(values, 90)) if values.size else float("nan")


def _median(column: pd.Series, mask: np.ndarray) -> float:
    values = column.to_numpy(dtype=np.float64)[mask]
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else float("nan")


def supine_findings(
    movement: str, angles: pd.DataFrame, *, config: SupineConfig = SupineConfig()
) -> tuple[Finding, ...]:
    """Findings of a ``"thomas"`` or ``"aslr"`` video from its supine angle table."""
    if movement == "thomas":
        return _thomas_findings(thomas_sides(angles, config=config), config)
    if movement == "aslr":
        return _aslr_findings(aslr_sides(angles, config=config), config)
    return ()


def _thomas_findings(sides: list[ThomasSide], config: SupineConfig) -> tuple[Finding, ...]:
    found = []
    for s in sides:
        if np.isfinite(s.hip_deg) and s.hip_deg > config.thomas_hip_max_deg:
            found.append(
                _finding(
                    "short_one_joint_hip_flexors",
                    s,
                    value=s.hip_deg,
                    threshold=config.thomas_hip_max_deg,
                    excess=s.hip_deg - config.thomas_hip_max_deg,
                    step=config.hip_error_deg,
                    quantity="hanging thigh above the table line, median of the hold",
                    message=f"The {s.side} thigh stays {s.hip_deg:.0f}° above the table: the {s.side} one-joint "
                    "hip flexors (iliopsoas) test short.",
                    reference=_THOMAS_SOURCE,
                )
            )
        if np.isfinite(s.knee_deg) and s.knee_deg < config.thomas_knee_min_deg:
            found.append(
                _finding(
                    "short_two_joint_hip_flexors",
                    s,
                    value=s.knee_deg,
                    threshold=config.thomas_knee_min_deg,
                    excess=config.thomas_knee_min_deg - s.knee_deg,
                    step=config.knee_error_deg,
                    quantity="hanging knee flexion, median of the hold",
                    message=f"The {s.side} knee bends only {s.knee_deg:.0f}° over the table's end: the {s.side} "
                    "rectus femoris (two-joint hip flexors) tests short.",
                    reference=_THOMAS_SOURCE,
                )
            )
    by_side = {s.side: s for s in sides}
    if len(by_side) == 2:
        for name, limit, unit in (
            ("hip_deg", config.hip_error_deg, "hip"),
            ("knee_deg", config.knee_error_deg, "knee"),
        ):
            diff = getattr(by_side["left"], name) - getattr(by_side["right"], name)
            if np.isfinite(diff) and abs(diff) > 2.0 * limit:
                found.append(_asymmetry(sides, diff, 2.0 * limit, f"Thomas test {unit} angle, left minus right"))
    return tuple(found)


def _aslr_findings(sides: list[AslrSide], config: SupineConfig) -> tuple[Finding, ...]:
    found = []
    for s in sides:
        if s.fms_score is not None and s.fms_score < 3:
            found.append(
                _finding(
                    "limited_straight_leg_raise",
                    s,
                    value=s.ankle_fraction,
                    threshold=0.5,
                    excess=s.ankle_fraction - 0.5,
                    step=config.fraction_error,
                    quantity="raised ankle along the other thigh (0 = ASIS, 1 = knee joint line), top of the raise",
                    message=f"FMS ASLR {s.side}: score {s.fms_score} (raised {s.raise_deg:.0f}°; the ankle "
                    f"reaches {s.ankle_fraction:.2f} of the way from the other side's ASIS to its knee).",
                    reference=_FMS_SOURCE,
                    unit="thigh lengths",
                )
            )
    by_side = {s.side: s for s in sides}
    scores = [by_side[k].fms_score for k in ("left", "right")] if len(by_side) == 2 else [None]
    if None not in scores and scores[0] != scores[1]:  # FMS counts any difference of the scores
        found.append(_asymmetry(sides, float(scores[0] - scores[1]), 0.0, "FMS ASLR score, left minus right", "points"))
    return tuple(found)


def _finding(
    code: str,
    s: ThomasSide | AslrSide,
    *,
    value: float,
    threshold: float,
    excess: float,
    step: float,
    quantity: str,
    message: str,
    reference: str,
    unit: str = "deg",
) -> Finding:
    """A finding about one side: severity by ``excess`` over the threshold in steps of the method error."""
    return Finding(
        code=code,
        severity=severity_step(excess, step),
        side=s.side,
        start_s=s.start_s,
        end_s=s.end_s,
        value=float(value),
        threshold=float(threshold),
        reference=reference,
        message=message,
        unit=unit,
        quantity=quantity,
        occurrences=(0,),
        n_assessed=1,
    )


def _asymmetry(sides, diff: float, threshold: float, quantity: str, unit: str = "deg") -> Finding:
    """Left minus right beyond ``threshold``: in degrees, twice the method error (severity in steps of the
    error); in FMS points, any difference (severity in points)."""
    worse = "left" if diff > 0 else "right"
    degrees = unit == "deg"
    return Finding(
        code="left_right_asymmetry",
        # degrees: steps of the method error; points: one point mild, two moderate
        severity=severity_step(abs(diff) - threshold, threshold / 2.0)
        if degrees
        else severity_step(abs(diff) - 0.5, 1.0),
        side=None,
        start_s=min(s.start_s for s in sides),
        end_s=max(s.end_s for s in sides),
        value=float(diff),
        threshold=float(threshold),
        reference=(
            "twice the method's own error on rendered tests (docs/assessments-accuracy.md); movelab rule"
            if degrees
            else "FMS scoring: a score that differs between the sides is an asymmetry (Cook et al.)"
        ),
        message=f"Left and right differ by {abs(diff):.0f}{'°' if degrees else ' point(s)'} ({quantity}; "
        f"the {worse} side reads higher).",
        unit=unit,
        quantity=quantity,
        occurrences=(0, 1),
        n_assessed=2,
    )
