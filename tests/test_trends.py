"""A client's key measures across sessions: values the findings trust, each with its method error band."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from movelab.report.trends import trend_png, trend_table  # noqa: E402


def squat_report(depth_right: float, lean: float, *, far_left: float, view: str = "side_right") -> dict:
    """A report.json of a two-rep side-view squat: thigh angle (depth) of the near (right) leg, trunk lean,
    and the far (left) leg's fragment that must not be trended."""
    row = {
        "max_thigh_angle_right_deg": depth_right,
        "max_thigh_angle_left_deg": far_left,
        "max_trunk_lean_deg": lean,
        "knee_fppa_right_at_depth_deg": 30.0,
        "duration_s": 2.0,
    }
    return {"movement": "squat", "view": view, "per_span": [dict(row), dict(row)]}


SESSIONS = [
    ("2026-01-05", squat_report(60.0, 45.0, far_left=126.8)),
    ("2026-02-02", squat_report(72.0, 41.0, far_left=4.2)),
    ("2026-03-02", squat_report(85.0, 30.0, far_left=90.0)),
]


def test_trend_table_holds_the_known_values_of_three_sessions():
    table = trend_table(SESSIONS, movement="squat")
    depth = table[table["measure"] == "max_thigh_angle_right_deg"]
    assert depth["value"].tolist() == [60.0, 72.0, 85.0]
    assert depth["when"].tolist() == [pd.Timestamp(w) for w, _ in SESSIONS]
    lean = table[table["measure"] == "max_trunk_lean_deg"]
    assert lean["value"].tolist() == [45.0, 41.0, 30.0] and (lean["method_error"] == 5.0).all()
    assert not table["measure"].str.contains("left|fppa").any()  # far leg, frontal angle: not from the side
    assert set(table["measure"]) == {"max_thigh_angle_right_deg", "max_trunk_lean_deg"}


def test_trend_plot_draws_each_value_with_its_method_error_band():
    from matplotlib.figure import Figure

    from movelab import plots

    table = trend_table(SESSIONS, movement="squat")
    lean = table[table["measure"] == "max_trunk_lean_deg"]
    fig = Figure()
    _, ax = plots.trend(lean, ax=fig.add_subplot())
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "values"]
    assert list(line.get_ydata()) == [45.0, 41.0, 30.0]
    (band,) = [c for c in ax.collections if c.get_gid() == "method-error-band"]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(25.0) and ys.max() == pytest.approx(50.0)
    png = trend_png(table)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_other_movements_and_an_empty_history_are_handled():
    assert trend_table(SESSIONS, movement="gait").empty
    assert trend_png(trend_table([], movement="squat"))[:4] == b"\x89PNG"


def test_posture_trends_the_standing_medians_from_the_side():
    report = {
        "movement": "posture",
        "view": "side_left",
        "per_span": [],
        "metrics": {"pelvic_tilt": {"median": 14.0}, "knee_fppa_left": {"median": 3.0}},
    }
    table = trend_table([("2026-01-01", report)], movement="posture")
    assert table["measure"].tolist() == ["pelvic_tilt_median_deg"] and table["value"].tolist() == [14.0]
    assert np.isfinite(table["method_error"]).all()
