"""Settings of the supine tests' findings (:mod:`movelab.findings.supine`), every default and its source."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from movelab.errors import ConfigError

__all__ = ["SupineConfig"]


@dataclass(frozen=True)
class SupineConfig:
    """Thresholds and method errors of the supine tests; each default's source in its line.

    Attributes
    ----------
    hold_band_deg
        Frames whose test-thigh angle is within this of its extreme (5th percentile of the hanging thigh,
        95th of the raised one) make the hold; movelab heuristic, larger than the pose model's frame-to-frame
        jitter on the rendered set (docs/assessments-decisions.md).
    min_hold_frames
        A side needs at least this many hold frames to be reported.
    test_leg_margin_deg
        A frame belongs to a side's test when that leg's thigh is this much below (Thomas) or above (ASLR)
        the other thigh; movelab heuristic.
    thomas_hip_max_deg
        Hanging thigh above the table line beyond this = short one-joint hip flexors (0 deg: the EXECP table,
        BMC Sports Sci Med Rehabil 2021, citing Harvey 1998 and others: the thigh should reach the table).
    thomas_knee_min_deg
        Hanging knee flexed less than this = short two-joint hip flexors, rectus femoris (67 deg: the EXECP
        table; Kendall's Muscles: Testing and Function is the usual source for about 80 deg in a normal-length
        test, not checked against the book here: docs/assessments.md).
    aslr_min_raise_deg
        A leg counts as raised above this angle to the table (a rest leg lies at about -5 deg); movelab
        heuristic.
    aslr_knee_max_deg, aslr_rest_max_deg
        The raised knee counts as straight and the other thigh as down while within these (movelab
        heuristics: the FMS names no angle).
    asis_offset_thigh
        How far the ASIS lies headwards of the hip joint centre along the body, in thigh lengths, for the FMS
        ASLR's mid-thigh (ASIS to knee joint line): 0.17, from Bell, Brand & Pedersen 1989 (Hum Mov Sci 8:3-16:
        in adults the hip joint centre lies 30 % of the inter-ASIS distance distal to the ASIS) with an
        inter-ASIS distance of about 0.24 m and a thigh of 0.42 m; the design renders agree
        (docs/assessments-decisions.md).
    hip_error_deg, knee_error_deg, fraction_error
        The method's own error on rendered tests (docs/assessments-accuracy.md: the largest design-set error,
        rounded up): severity steps, and a left/right difference is flagged only beyond twice it.
    """

    hold_band_deg: float = 3.0
    min_hold_frames: int = 3
    test_leg_margin_deg: float = 25.0
    thomas_hip_max_deg: float = 0.0
    thomas_knee_min_deg: float = 67.0
    aslr_min_raise_deg: float = 20.0
    aslr_knee_max_deg: float = 10.0
    aslr_rest_max_deg: float = 10.0
    asis_offset_thigh: float = 0.17
    hip_error_deg: float = 3.0
    knee_error_deg: float = 4.0
    fraction_error: float = 0.1

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value)):
                raise ConfigError(f"SupineConfig.{f.name} must be a finite number, got {value!r}")
        if self.min_hold_frames < 1 or self.hold_band_deg <= 0:
            raise ConfigError(
                f"SupineConfig needs min_hold_frames >= 1 and hold_band_deg > 0, got {self.min_hold_frames!r} "
                f"and {self.hold_band_deg!r}"
            )
