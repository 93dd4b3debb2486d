"""The FMS and posture-chain report plots: the figures' artists from synthetic inputs, and the report's sections
with their plots on the mannequin's projected joints (no pose model)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from test_fms_posture import GOOD, projected_landmarks, with_outline  # noqa: E402

from movelab import plots  # noqa: E402
from movelab.synth import Posture, Squat, render_clip  # noqa: E402

_MEASURES = {
    "thoracic_kyphosis": {"label": "Thoracic kyphosis", "unit": "deg", "median": 12.0, "no_threshold": "no norm"},
    "knee_hyperextension_right": {
        "label": "Right knee hyperextension",
        "unit": "deg",
        "median": 18.0,
        "finding": {"status": "flagged", "threshold": 15.6},
    },
    "shoulder_obliquity": {"label": "Shoulder obliquity", "unit": "deg", "median": None, "no_threshold": "none"},
}


def test_fms_criteria_draws_each_value_with_its_limit_and_shades_the_scored_window():
    t = np.linspace(0.0, 3.0, 31)
    series = pd.DataFrame(
        {"torso − tibia (°)": np.sin(t), "thigh (°)": 100 * t / 3.0}, index=pd.Index(t, name="time_s")
    )
    fig = Figure()
    _, ax = plots.fms_criteria(series, limits={"thigh (°)": 85.0}, scored=[(1.8, 2.2)], ax=fig.subplots())
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["torso − tibia (°)", "thigh (°)", "limit 85"]
    limit = ax.get_lines()[2]
    assert limit.get_ydata()[0] == 85.0 and limit.get_linestyle() == "--"
    assert limit.get_color() == ax.get_lines()[1].get_color()  # the limit in its criterion's colour
    spans = [p for p in ax.patches if p.get_label() == "scored"]
    assert len(spans) == 1
    assert spans[0].get_x() == pytest.approx(1.8) and spans[0].get_width() == pytest.approx(0.4)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "scored" in legend and ax.get_xlabel() == "time (s)"


def test_posture_chain_values_draws_a_bar_per_measured_value_a_limit_tick_and_says_what_was_not_measured():
    fig = Figure()
    _, ax = plots.posture_chain_values(_MEASURES, ax=fig.subplots())
    bars = ax.patches
    assert sorted(b.get_width() for b in bars) == [12.0, 18.0]
    assert bars[1].get_facecolor()[:3] != bars[0].get_facecolor()[:3]  # the flagged one stands out
    ticks = [line for line in ax.get_lines() if line.get_xdata()[0] == 15.6]
    assert len(ticks) == 1
    texts = [t.get_text() for t in ax.texts]
    assert any("not measured in this clip" in t for t in texts)
    assert any("12.0 deg" in t for t in texts)
    top_down = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [label for _, label in top_down] == [
        "Thoracic kyphosis (deg)",
        "Right knee hyperextension (deg)",
        "Shoulder obliquity (deg)",
    ]


@pytest.fixture(scope="module")
def knees_pair():
    """The knees-together overhead squat analysed as one set from the side and the front (projected joints)."""
    from movelab.analysis import analyse_squat_set

    sq = Squat(**{**GOOD, "knee_swivel_deg": 20.0})
    side = projected_landmarks(render_clip(sq, view="side_right", fps=15))
    front = projected_landmarks(render_clip(sq, view="front", fps=15))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyse_squat_set(side, front)


def test_fms_series_holds_the_criteria_of_each_clips_view_with_their_limits_and_scored_frames(knees_pair):
    from movelab.report.assessments import fms_series

    side, front = knees_pair
    fms = side.fms.to_dict()
    series, limits, scored = fms_series(side.motion, fms)
    assert list(series.columns) == ["torso − tibia (°)", "thigh (°)"]
    assert limits == {"torso − tibia (°)": pytest.approx(7.1), "thigh (°)": pytest.approx(85.0)}
    assert len(scored) == 1 and scored[0][0] < scored[0][1]  # one rep: its windows drawn as one
    deep = series["thigh (°)"].to_numpy()
    assert np.nanmax(deep) > 85.0  # the squat went below horizontal
    series, limits, scored = fms_series(front.motion, fms)
    assert list(series.columns) == ["left knee inside foot (%)", "right knee inside foot (%)"]
    assert limits["left knee inside foot (%)"] == pytest.approx(15.0)
    start, end = scored[0]
    at_bottom = series.loc[(series.index >= start) & (series.index <= end)]
    assert (at_bottom.median() > 15.0).all()  # the knees pressed together: inside the feet


def test_written_squat_report_has_the_fms_section_with_its_plot(knees_pair, tmp_path):
    from movelab.report.write import write_outputs

    write_outputs(knees_pair[1], tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="fms">') :]
    section = section[: section.index("</section>")]
    assert 'id="img-fms"' in section and "data:image/png;base64," in section
    assert 'id="fms-criteria"' in section


def test_written_posture_report_has_the_chain_section_with_its_plot(tmp_path):
    from movelab.analysis import analyse_landmarks
    from movelab.report.write import write_outputs

    ds = with_outline(render_clip(Posture(forward_head_deg=20.0, duration_s=1.5), view="side_right", fps=10))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = analyse_landmarks(ds, movement="posture")
        write_outputs(analysis, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="posture-chain">') :]
    section = section[: section.index("</section>")]
    assert 'id="img-posture-chain"' in section and 'id="posture-chain-table"' in section
    assert "C7 is taken from the outline" in section  # the craniovertebral angle's note, beside its value
    assert 'id="img-fms"' not in html
