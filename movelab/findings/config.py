"""Settings of the findings detector: every threshold and norm with its source, defaults in one place.

What each finding measures and how it uses these settings is described in ``docs/findings.md``. Change a
setting with :func:`dataclasses.replace`, e.g. ``replace(config, sex="male")`` or
``replace(config, hip_extension_norm=Norm(18.0, 4.0, "my lab's young adults"))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Literal

from movelab.errors import ConfigError
from movelab.events.config import DEPTH_WINDOW_S, MIN_VALID_FRACTION
from movelab.findings.supine_config import SupineConfig

__all__ = ["Threshold", "Norm", "MethodError", "FindingsConfig"]

Sex = Literal["female", "male"]


@dataclass(frozen=True)
class Threshold:
    """One number a finding is compared with, and where it comes from.

    Attributes
    ----------
    value
        The number, in ``unit``.
    source
        Who published it, or ``"movelab ..."`` for a choice of this software (then say why).
    unit
        ``"deg"``, ``"s"``, ``"%"``...
    """

    value: float
    source: str
    unit: str = "deg"

    def __post_init__(self) -> None:
        if not (isinstance(self.value, (int, float)) and math.isfinite(self.value)):
            raise ConfigError(f"a threshold needs a finite number, got {self.value!r} ({self.source})")
        if not self.source.strip():
            raise ConfigError(f"a threshold needs its source; got an empty one for {self.value!r}")


@dataclass(frozen=True)
class Norm:
    """A normative sample's mean and standard deviation, and where they come from."""

    mean: float
    sd: float
    source: str
    unit: str = "deg"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and math.isfinite(self.sd) and self.sd > 0):
            raise ConfigError(f"a norm needs a finite mean and a positive SD, got {self.mean!r} ± {self.sd!r}")
        if not self.source.strip():
            raise ConfigError("a norm needs its source")

    def upper(self, n_sd: float) -> float:
        """``mean + n_sd · sd``."""
        return self.mean + n_sd * self.sd

    def lower(self, n_sd: float) -> float:
        """``mean − n_sd · sd``."""
        return self.mean - n_sd * self.sd

    def text(self) -> str:
        return f"{self.mean:g} ± {self.sd:g} {self.unit} ({self.source})"


_LANDMARK_ERROR = (
    "movelab default for landmark angles: MediaPipe 2D angles came within 3-4.5 deg (mean absolute error) "
    "of a rendered figure's (shared note on the pose model); 2D side-view keypoints vs motion capture in "
    "walking: hip 4.0 deg, knee 5.6 deg (Stenum et al., PLoS Comput Biol 2021)"
)
_OUTLINE_ERROR = (
    "docs/outline-accuracy.md, measured on rendered clips: pooled MAE 3.1 deg (tilt) and 2.9 deg (lordosis), "
    "1.9 / 2.2 deg for the change from standing, up to 8.9 / 8.3 deg on a figure with prominent buttocks; "
    "5 deg is used (for comparison OpenCap's pelvis errs 4.1 deg, Falisse et al., IEEE TBME 2025)"
)


@dataclass(frozen=True)
class MethodError:
    """The smallest difference movelab can tell from its own measurement error, per quantity (degrees).

    No finding is raised for a difference smaller than these (issue 6: "never flag a difference smaller than
    the method's own measured error"). They also set the severity steps (``docs/findings.md``).
    """

    trunk_lean: Threshold = Threshold(5.0, _LANDMARK_ERROR)
    thigh_angle: Threshold = Threshold(5.0, _LANDMARK_ERROR)
    trunk_vs_tibia: Threshold = Threshold(
        7.1,
        "the difference of two landmark angles (trunk lean and shin inclination), each with the 5 deg "
        "landmark-angle error: sqrt(2) x 5 deg",
    )
    knee_flexion: Threshold = Threshold(5.6, "Stenum et al. 2021: knee 5.6 deg mean absolute error (2D side view)")
    heel_rise: Threshold = Threshold(
        5.0,
        "movelab, measured: from the sole's outline, rendered side squats with flat feet read at most 3.2 deg "
        "and heel raises of 5-25 deg within 2.3 deg (docs/findings-accuracy.md, Heel rise); the landmark-angle "
        "error (5 deg) is kept as the floor",
    )
    knee_fppa: Threshold = Threshold(
        7.5,
        "Munro et al. 2012: frontal plane projection angle, SEM 2-4 deg, smallest detectable difference "
        "7.5-8.9 deg (the lower end is used for one leg against a norm)",
    )
    knee_fppa_between_legs: Threshold = Threshold(
        8.9,
        "Munro et al. 2012: smallest detectable difference of the FPPA 7.5-8.9 deg (the upper end is "
        "used for a difference of two legs, each measured with its own error)",
    )
    pelvic_obliquity: Threshold = Threshold(
        6.0,
        "movelab, measured: a level pelvis read up to 5.4 deg of obliquity on the hip landmarks at the bottom "
        "of a rendered front-view lunge (the front leg's hip landmark sits higher above its joint than the rear "
        "one's); with the hands on the hips the wrists' line read a level pelvis within 2.4 deg and a 10 deg "
        "drop within 1.7 deg on the design lunges of bodies A, design1 and design4, within 2.4 deg on those of "
        "AG, AH and AI (the wrists averaged with the mirror image, the back-view "
        "gain 1.12; scripts/accuracy/frontal_findings_accuracy.py, "
        "docs/findings-accuracy.md); from behind, the design squats' level pelvis read a change from standing of "
        "-4.8..+0.3 deg on the hip landmarks (the pose model's standing hips lean towards the image's right; "
        "-1.2..+0.5 deg with the mirror pass, ExtractConfig.mirror_hips, on by default for front and back views "
        "of files, docs/findings-decisions.md); above the 5 deg "
        "landmark-angle error (" + _LANDMARK_ERROR + ")",
    )
    pelvic_tilt: Threshold = Threshold(5.0, _OUTLINE_ERROR)
    lumbar_lordosis: Threshold = Threshold(5.0, _OUTLINE_ERROR)
    pelvic_tilt_outline_absolute: Threshold = Threshold(
        9.5,
        "movelab, measured on 6 held-out rendered bodies never used for tuning "
        "(scripts/accuracy/outline_population.py, "
        "docs/outline-accuracy.md): absolute tilt MAE 0.6-9.5 deg per body from the outline over tilts of "
        "0-20 deg, where a client with a normal tilt stands (1.2-8.8 deg filmed facing the other way, "
        "scripts/accuracy/outline_population_mirrored.py; 1.8-14.1 deg over 15-35 deg); the worst body is "
        "used",
    )
    lumbar_lordosis_outline_absolute: Threshold = Threshold(
        9.8,
        "movelab, measured on 6 held-out rendered bodies (scripts/accuracy/outline_population.py): "
        "absolute lordosis "
        "MAE 1.6-9.8 deg per body from the outline over tilts of 0-20 deg (1.7-8.9 deg filmed facing the other "
        "way; the lumbar curve's shape differs between bodies); the worst body is used. The change from the "
        "client's own standing erred 0.8-1.3 deg (0.8-1.5 facing the other way)",
    )
    pelvic_tilt_markers: Threshold = Threshold(
        2.0,
        "movelab, measured: ASIS/PSIS sticker tilt MAE 0.3-1.9 deg per clip on 6 held-out rendered bodies "
        "(posture, sway, squat; crf 20-30; 3.2 deg with the camera 0.7 m high at 5.5 m: parallax of the "
        "stickers' different depths); 2 deg is used",
    )
    lumbar_loss_squat: Threshold = Threshold(
        6.5,
        "movelab, measured: lordosis lost from the descent to the bottom of a rendered side-view squat, read "
        "from the outline, erred -5.1..+6.5 deg per rep on the 9 design bodies with true losses of 0, 8 and "
        "16 deg (a squat with no true loss read up to 4.8; with the hip's height from the soles and the "
        "lumbo-sacral gain 1.1; -6.1..+8.3 with the gain 1.2, when 8.3 was used; -6.8..+7.3 "
        "before it, when 7.3 was used; clips rendered after the renderer's shading fix, -4.6..+6.4 before it, "
        "when 6.6 was used); the largest, 6.5 deg, is used "
        "(scripts/accuracy/lumbar_flexion_accuracy.py, docs/findings-accuracy.md)",
    )
    craniovertebral_angle: Threshold = Threshold(
        6.5,
        "movelab, measured: the craniovertebral angle (C7 from the outline with the shoulder-bulge correction, "
        "the tragus from the ear landmarks) erred by at most 6.5 deg on the 40 standing clips of the design "
        "bodies it was calibrated on (a 45 deg thoracic bend of a spine-forward body; 4.7 on the nine design "
        "bodies' 18 clips); held-out bodies MAE 2.4 deg, max 7.1 (scripts/accuracy/fms_posture_accuracy.py, "
        "docs/fms-posture-accuracy.md)",
    )
    pelvic_tilt_client_calibrated: Threshold = Threshold(
        3.3,
        "movelab, measured: outline tilt MAE 0.7-3.3 deg on 4 held-out rendered bodies after a client "
        "calibration from a marker session of the same body (scripts/accuracy/outline_population.py, "
        "docs/outline-accuracy.md); the worst body is used",
    )
    event_timing_s: Threshold = Threshold(
        0.05,
        "movelab, measured: initial contacts found by movelab.events on three rendered side-view walks "
        "were 0.05 s from the true ones on average (up to 0.13 s, mostly the far foot, which biases one "
        "side); Stenum et al. 2021 report 0.02 s for their 2D method. "
        "Replace with docs/events-accuracy.md's table",
        "s",
    )

    def for_quantity(self, name: str) -> Threshold:
        try:
            return getattr(self, name)
        except AttributeError:
            known = [f.name for f in fields(self)]
            raise ConfigError(f"no method error for {name!r}; known: {known}") from None


@dataclass(frozen=True)
class FindingsConfig:
    """All settings of :func:`movelab.findings.detect_findings`. Frozen: change with :func:`dataclasses.replace`.

    Attributes
    ----------
    sex
        Picks the sex-specific norm where one exists (lumbar lordosis, knee FPPA). ``None`` (not told) uses
        the higher upper limit of the two, so nobody is flagged by the other sex's norm.
    n_sd
        A value is outside a normative range when it is more than ``n_sd`` standard deviations from the
        sample mean: 2 SD holds about 95 % of a normally distributed sample (statistical convention).
    method_error
        The smallest detectable difference of each quantity (:class:`MethodError`).
    pelvic_tilt_norm
        Standing anterior pelvic tilt.
    lordosis_norm_female, lordosis_norm_male
        Standing lumbar lordosis measured on the back surface (Spinal Mouse), which is how movelab's outline
        estimate is defined (docs/conventions.md).
    fppa_upper_female, fppa_upper_male
        Upper end of the normal knee frontal plane projection angle (valgus positive).
    knee_valgus_margin
        ``knee_valgus`` is raised when the FPPA at depth passes the threshold by more than this (movelab's own
        FPPA error); a reading past the threshold by less gets a note instead (docs/findings-decisions.md).
    hip_extension_norm
        Peak hip extension in walking at terminal stance.
    trunk_beyond_tibia
        Deep squat: trunk lean beyond the shin's forward inclination.
    squat_thigh_angle
        Deep squat: the thigh should reach horizontal (``thigh_angle`` 90°) or below.
    heel_lift
        Deep squat: heels stay on the floor (foot pitch change from standing).
    lumbar_flexion
        Loss of lordosis (or of anterior pelvic tilt) from its largest value in the descent to the bottom.
    pelvic_level
        Squat, lunge, walking: the pelvis stays level (obliquity change from the client's own reference).
    depth_window_s
        Values "at depth" are the median over this many seconds either side of the rep's bottom (default: the
        reps table's, :data:`movelab.events.config.DEPTH_WINDOW_S`).
    min_baseline_s
        Least duration of standing (outside every rep) needed for a standing baseline.
    standing_settle_s
        Frames this soon after the pose model first finds the client are not standing: the model is still
        settling (on a rendered front-view squat its first 0.6 s read the pelvis 16° to 11° oblique, issue 18).
    standing_max_lean_deg, standing_max_knee_deg, standing_max_speed
        Quiet upright standing: trunk within this of upright (sagittal and frontal), knees within this of
        straight, hip centre, shoulder centre and ankles moving slower than this many torso lengths per second
        relative to each other; the outline baseline's values (``KinematicsConfig.outline_baseline_*``,
        docs/outline-method.md), the speed now of the body's shape (:mod:`movelab.kinematics.shape_speeds`).
    standing_speed_window_s
        The shape speeds compare frames this far apart (half before, half after). 0.2 s: chosen on the
        realistic renders' design clips (docs/findings-decisions.md, *Quiet standing under a hand-held
        camera*: 15-32 of their 32 candidate frames kept, mean 31.0; 0.3 s 18-32 but it also dropped the
        clean lunges' frames next to a rep).
    min_valid_fraction
        Least fraction of finite samples a window needs before its value counts (default: the reps table's,
        :data:`movelab.events.config.MIN_VALID_FRACTION`).
    include_info
        Add ``"info"`` findings for patterns that apply to the movement but could not be assessed.
    supine
        Thresholds and method errors of the modified Thomas test and the active straight-leg raise
        (:class:`movelab.findings.supine_config.SupineConfig`).
    """

    sex: Sex | None = None
    n_sd: float = 2.0
    method_error: MethodError = field(default_factory=MethodError)
    pelvic_tilt_norm: Norm = Norm(
        13.0,
        5.0,
        "Preece et al. 2008: standing anterior pelvic tilt 13 ± 5 deg (cadaver-validated palpation); "
        "no validated threshold for 'excessive' exists",
    )
    lordosis_norm_female: Norm = Norm(
        29.6, 11.3, "Lang-Tapia et al., J Appl Biomech 27:143, 2011 (Spinal Mouse, women)"
    )
    lordosis_norm_male: Norm = Norm(17.3, 9.3, "Lang-Tapia et al., J Appl Biomech 27:143, 2011 (Spinal Mouse, men)")
    fppa_upper_female: Threshold = Threshold(
        12.0, "Herrington & Munro 2010: normal FPPA in step landing, women 5-12 deg"
    )
    fppa_upper_male: Threshold = Threshold(9.0, "Herrington & Munro 2010: normal FPPA in step landing, men 1-9 deg")
    knee_valgus_margin: Threshold = Threshold(
        3.1,
        "movelab's own knee FPPA error at depth: 95th percentile of |read - projected truth| over 192 legs of "
        "rendered design-body squats (python -m scripts.accuracy.frontal_findings_accuracy --reuse)",
    )
    hip_extension_norm: Norm = Norm(
        20.4,
        4.0,
        "Kerrigan et al. 2001, Arch Phys Med Rehabil 82:26: peak hip extension in walking, young "
        "adults 20.4 ± 4.0 deg (older adults 14.3 ± 4.4); absolute values depend on the definition",
    )
    trunk_beyond_tibia: Threshold = Threshold(
        0.0,
        "Functional Movement Screen, deep squat: full score needs the torso parallel to the tibia or "
        "more upright (Cook et al.)",
    )
    squat_thigh_angle: Threshold = Threshold(
        90.0, "Functional Movement Screen, deep squat: full score needs the thigh below horizontal (Cook et al.)"
    )
    heel_lift: Threshold = Threshold(
        0.0,
        "Functional Movement Screen, deep squat: heels raised lowers the score from 3 to 2 (Cook et al.); "
        "no angle is published, so any lift beyond the method's error counts",
    )
    lumbar_flexion: Threshold = Threshold(
        0.0,
        "'Butt wink': pelvis angle at maximum depth minus the maximum anterior tilt during descent "
        "(Appl Sci 15:12526, 2025); no validated cut-off, so any loss beyond the method's error counts",
    )
    pelvic_level: Threshold = Threshold(
        0.0,
        "The pelvis stays level; each extra degree of contralateral pelvic drop raised injury odds by 80 % "
        "in runners (Bramah et al. 2018); no validated cut-off for walking or squatting, so any drop "
        "beyond the method's error, against the client's own reference, counts",
    )
    depth_window_s: float = DEPTH_WINDOW_S
    min_baseline_s: float = 0.3
    standing_settle_s: float = 0.5
    standing_max_lean_deg: float = 10.0
    standing_max_knee_deg: float = 15.0
    standing_max_speed: float = 0.25
    standing_speed_window_s: float = 0.2
    min_valid_fraction: float = MIN_VALID_FRACTION
    include_info: bool = True
    supine: SupineConfig = field(default_factory=SupineConfig)

    def __post_init__(self) -> None:
        if self.sex not in (None, "female", "male"):
            raise ConfigError(f"sex must be 'female', 'male' or None, got {self.sex!r}")
        for name in (
            "n_sd",
            "depth_window_s",
            "min_baseline_s",
            "standing_settle_s",
            "standing_max_lean_deg",
            "standing_max_knee_deg",
            "standing_max_speed",
            "standing_speed_window_s",
        ):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ConfigError(f"{name} must be a finite number >= 0, got {value!r}")
        if not 0.0 < self.min_valid_fraction <= 1.0:
            raise ConfigError(f"min_valid_fraction must be in (0, 1], got {self.min_valid_fraction!r}")

    def lordosis_upper(self) -> tuple[float, str]:
        """Upper normal limit of standing lordosis for :attr:`sex`, and its source text."""
        norms = {"female": self.lordosis_norm_female, "male": self.lordosis_norm_male}
        return _pick_upper([norms[self.sex]] if self.sex else list(norms.values()), self.n_sd)

    def fppa_upper(self) -> Threshold:
        """Upper normal FPPA for :attr:`sex` (the higher of the two when not told)."""
        if self.sex == "female":
            return self.fppa_upper_female
        if self.sex == "male":
            return self.fppa_upper_male
        return max(self.fppa_upper_female, self.fppa_upper_male, key=lambda t: t.value)


def _pick_upper(norms: list[Norm], n_sd: float) -> tuple[float, str]:
    best = max(norms, key=lambda n: n.upper(n_sd))
    return best.upper(n_sd), f"mean + {n_sd:g} SD of {best.text()}"
