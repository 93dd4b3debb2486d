"""Two sessions of one client: metrics with their change and the method error, findings resolved / new /
persisting, the files and the command."""

from __future__ import annotations

import argparse
import json

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_findings_helpers import (  # noqa: E402
    StandInAnalysis,
    angle_table,
    make_segmentation,
    squat_columns,
    squat_reps,
)
from test_report import synthetic_analysis  # noqa: E402

from movelab.errors import InputError  # noqa: E402
from movelab.findings import detect_findings  # noqa: E402
from movelab.report import (  # noqa: E402
    add_compare_parser,
    build_report,
    cmd_compare,
    compare_sessions,
    write_compare,
    write_outputs,
)


def session(lean: float, *, view: str = "side_right") -> StandInAnalysis:
    """Two squats with ``lean``° of trunk lean at depth (the shin at 25°)."""
    base = synthetic_analysis()
    standing = {
        "knee_flexion_left": 0.0,
        "knee_flexion_right": 0.0,
        "thigh_angle_left": 0.0,
        "thigh_angle_right": 0.0,
        "trunk_lean": 0.0,
    }
    bottom = {
        "knee_flexion_left": 120.0,
        "knee_flexion_right": 120.0,
        "thigh_angle_left": 95.0,
        "thigh_angle_right": 95.0,
        "trunk_lean": lean,
    }
    angles = angle_table(5.5, squat_columns(standing, bottom))
    seg = make_segmentation("squat", reps=squat_reps())
    views = base.views.assign(view=view)
    return StandInAnalysis(base.landmarks, angles, views, seg, detect_findings(angles, seg, views=views), base.summary)


def test_before_and_after_treatment():
    before, after = build_report(session(50.0)), build_report(session(28.0))
    result = compare_sessions(before, after, labels=("before", "after"))
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert [s["label"] for s in result["sessions"]] == ["before", "after"]
    assert result["warnings"] == []
    (lean,) = [f for f in result["findings"] if f["code"] == "excessive_trunk_lean"]
    assert lean["status"] == "resolved" and lean["b"] is None and lean["a"]["value"] == pytest.approx(25.0)
    metric = next(m for m in result["metrics"] if m["name"] == "max_trunk_lean_deg")
    assert (metric["a"], metric["b"], metric["change"]) == (50.0, 28.0, -22.0)
    assert metric["method_error"] == 5.0 and metric["beyond_error"] is True


def test_small_changes_are_within_the_method_error():
    result = compare_sessions(build_report(session(50.0)), build_report(session(47.0)))
    metric = next(m for m in result["metrics"] if m["name"] == "max_trunk_lean_deg")
    assert metric["change"] == pytest.approx(-3.0) and metric["beyond_error"] is False
    assert [f["status"] for f in result["findings"]] == ["persisting"]


def test_new_finding_and_view_warning():
    result = compare_sessions(build_report(session(28.0)), build_report(session(50.0, view="front")))
    assert [f["status"] for f in result["findings"]] == ["new"]
    assert any("camera views" in w for w in result["warnings"])


def test_write_compare_from_analyse_folders(tmp_path):
    write_outputs(session(50.0), tmp_path / "before")
    write_outputs(session(28.0), tmp_path / "after")
    files = write_compare(tmp_path / "before", tmp_path / "after", tmp_path / "cmp", labels=("before", "after"))
    assert [f.name for f in files] == ["compare.json", "compare.png", "compare.html"]
    html = (tmp_path / "cmp" / "compare.html").read_text()
    assert "resolved" in html and "data:image/png;base64," in html and "<script" not in html


def test_the_command(tmp_path, capsys):
    write_outputs(session(50.0), tmp_path / "a")
    write_outputs(session(28.0), tmp_path / "b")
    parser = argparse.ArgumentParser(prog="movelab")
    add_compare_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "compare",
            str(tmp_path / "a"),
            str(tmp_path / "b"),
            "--out",
            str(tmp_path / "c"),
            "--labels",
            "before",
            "after",
        ]
    )
    assert cmd_compare(args) == 0
    assert json.loads((tmp_path / "c" / "compare.json").read_text())["sessions"][1]["label"] == "after"
    assert "compare.html" in capsys.readouterr().err


def test_a_folder_that_is_not_an_analysis_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="report.json, angles.csv missing"):
        write_compare(tmp_path / "empty", tmp_path / "empty", tmp_path / "cmp")
    with pytest.raises(InputError, match="not found"):
        write_compare(tmp_path / "nowhere", tmp_path / "empty", tmp_path / "cmp")
    assert not (tmp_path / "cmp").exists()


def test_a_side_view_compares_only_the_near_leg():
    """Issue 14: two side-view squats listed the far leg's fragments (max left hip flexion 126.8 vs 4.2) as a
    change beyond method error; the far leg and frontal-plane angles are not measurable from the side."""
    before, after = build_report(session(50.0)), build_report(session(47.0))
    for report, far in ((before, 126.8), (after, 4.2)):
        for row in report["per_span"]:
            row["max_hip_flexion_left_deg"], row["max_hip_flexion_right_deg"] = far, 100.0
            row["knee_fppa_left_at_depth_deg"] = far
    names = [m["name"] for m in compare_sessions(before, after)["metrics"]]
    assert "max_hip_flexion_right_deg" in names and "max_trunk_lean_deg" in names
    assert not any("_left" in n or "fppa" in n for n in names), names


def test_trust_follows_the_view():
    from movelab.report.compare import is_trusted

    assert is_trusted("max_knee_flexion_left_deg", "side_left") and not is_trusted(
        "max_knee_flexion_left_deg", "side_right"
    )
    assert not is_trusted("knee_fppa_right_at_depth_deg", "side_right") and is_trusted(
        "knee_fppa_right_at_depth_deg", "front"
    )
    assert not is_trusted("max_pelvic_tilt_deg", "front") and is_trusted("max_pelvic_tilt_deg", "side_left")
    assert is_trusted("reps_or_cycles", None) and is_trusted("duration_s", "front")
