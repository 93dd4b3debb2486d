"""The report's section for a supine test (modified Thomas test or active straight-leg raise): per side the
measured values, with their norms, and a plot of the test leg over time."""

from __future__ import annotations

from html import escape
from typing import Any

from movelab.findings.supine import SUPINE_TESTS, aslr_sides, thomas_sides
from movelab.findings.supine_config import SupineConfig

__all__ = ["supine_results", "supine_png", "supine_section"]

_TITLES = {"thomas": "Modified Thomas test", "aslr": "Active straight-leg raise (FMS)"}


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


def supine_section(results: dict[str, Any] | None, png: bytes | None) -> str:
    """The HTML section: title, the per-side table, the plot and what was not measurable."""
    if not results:
        return ""
    from movelab.report.html import img_tag, table_html

    test = results["test"]
    if test == "thomas":
        columns = ["side", "hip_deg", "knee_deg", "held_hip_flexion_deg", "back_gap", "lumbar_flat", "n_frames"]
        note = (
            "hip_deg: the hanging thigh against the table line (positive = above it: short one-joint hip flexors "
            f"beyond {results['norms']['hip_deg_max']:g}°); knee_deg: the hanging knee's flexion (short rectus "
            f"femoris below {results['norms']['knee_deg_min']:g}°); whether the lumbar spine lay flat is not "
            "measurable from the video (lumbar_flat empty), back_gap is the back's arch above the table line in "
            "trunk lengths. Table line from the person mask "
            f"({escape(str(results['table'].get('source')))}). Norms and sources: docs/assessments.md."
        )
    else:
        columns = [
            "side",
            "fms_score",
            "raise_deg",
            "ankle_fraction",
            "knee_deg",
            "knee_straight",
            "rest_deg",
            "rest_down",
            "n_frames",
        ]
        note = (
            "fms_score: 3 when the raised ankle passes the other leg's mid-thigh (ankle_fraction below 0.5, "
            "0 = ASIS, 1 = knee joint line), 2 when it passes the knee joint line, 1 otherwise; pain (0) cannot "
            "be seen on video. raise_deg: the raised leg against the table line. Sources: docs/assessments.md."
        )
    rows = results["sides"] or []
    body = table_html(rows, columns=columns, element_id=f"supine-{test}") if rows else "<p>No side was tested.</p>"
    figure = ""
    if png:
        caption = "The test leg over time; shaded: each side's hold (or top of the raise); dashed: thresholds."
        figure = f"<figure>{img_tag(png, caption, element_id='img-supine')}<figcaption>{caption}</figcaption></figure>"
    return f'<h2>{_TITLES[test]}</h2>{body}<p class="meta">{note}</p>{figure}'
