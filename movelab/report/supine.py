"""The report's content for a supine test (modified Thomas test or active straight-leg raise): per side the
measured values with their norms, and a plot of the test leg over time (the HTML is
:func:`movelab.report.html.supine_section`)."""

from __future__ import annotations

from typing import Any

from movelab.findings.supine import SUPINE_TESTS, aslr_sides, thomas_sides
from movelab.findings.supine_config import SupineConfig

__all__ = ["supine_results", "supine_png", "SUPINE_TITLES"]

SUPINE_TITLES = {"thomas": "Modified Thomas test", "aslr": "Active straight-leg raise (FMS)"}


def _config(analysis) -> SupineConfig:
    findings = getattr(getattr(analysis, "config", None), "findings", None)
    return getattr(findings, "supine", None) or SupineConfig()


def _angles(analysis):
    from movelab.kinematics.supine import motion_supine_angles

    return motion_supine_angles(analysis.motion)


def supine_results(analysis) -> dict[str, Any] | None:
    """``{"test", "table", "sides": [...], "norms": {...}}`` for a supine test, else None (also when the
    analysis carries no Motion)."""
    movement = getattr(analysis.segmentation, "movement", None)
    if movement not in SUPINE_TESTS or getattr(analysis, "motion", None) is None:
        return None
    config = _config(analysis)
    angles, table = _angles(analysis)
    if movement == "thomas":
        sides = [s.to_dict() for s in thomas_sides(angles, config=config)]
        norms = {"hip_deg_max": config.thomas_hip_max_deg, "knee_deg_min": config.thomas_knee_min_deg}
    else:
        sides = [s.to_dict() for s in aslr_sides(angles, config=config)]
        norms = {"score_3_fraction_below": 0.5, "score_2_fraction_below": 1.0}
    return {"test": movement, "table": table, "sides": sides, "norms": norms}


def supine_png(analysis, results: dict[str, Any] | None) -> bytes | None:
    """The section's plot (:func:`movelab.plots.supine_test`) as PNG, or None."""
    if not results:
        return None
    from matplotlib.figure import Figure

    from movelab import plots
    from movelab.report.figures import figure_png

    angles, _ = _angles(analysis)
    norms = results["norms"]
    lines = (
        {"hip 0°": norms["hip_deg_max"], f"knee {norms['knee_deg_min']:g}°": norms["knee_deg_min"]}
        if results["test"] == "thomas"
        else {}
    )
    fig = Figure(figsize=(7.5, 3.0), layout="constrained")
    plots.supine_test(angles, test=results["test"], sides=results["sides"], thresholds=lines, ax=fig.subplots())
    return figure_png(fig)
