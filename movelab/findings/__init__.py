"""Findings: movement patterns from the angle table and the reps or gait cycles (no OpenCV, no matplotlib).

Every threshold is configurable and carries its source (:class:`FindingsConfig`); what each finding measures
is in ``docs/findings.md``. Typical use::

    from movelab.findings import FindingsConfig, detect_findings

    findings = detect_findings(motion, segmentation)   # motion: movelab.kinematics.compute_motion(ds)
    for f in findings:
        print(f.code, f.severity, f.side, f.value, f.threshold, f.message)
"""

from movelab.findings.config import FindingsConfig, MethodError, Norm, Threshold
from movelab.findings.detect import detect_findings
from movelab.findings.finding import CODES, SEVERITIES, Finding
from movelab.findings.foot import heel_rise_deg

__all__ = [
    "detect_findings",
    "Finding",
    "FindingsConfig",
    "MethodError",
    "Threshold",
    "Norm",
    "CODES",
    "SEVERITIES",
    "heel_rise_deg",
]
