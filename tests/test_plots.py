"""Plot API: each function returns (fig, ax), draws into a given ax, and draws what it was given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import xarray as xr  # noqa: E402
from test_findings_helpers import angle_table, bump  # noqa: E402

from movelab import plots  # noqa: E402
from movelab.errors import ConfigError  # noqa: E402
from movelab.findings import Finding  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def table() -> pd.DataFrame:
    """3 s at 30 fps: knee flexion bumps to 100° (left) and 90° (right) between 0.5 and 2.5 s; trunk 20°."""
    return angle_table(
        3.0,
        {
            "knee_flexion_left": lambda t: bump(t, 0.5, 1.5, 2.5, 0, 100),
            "knee_flexion_right": lambda t: bump(t, 0.5, 1.5, 2.5, 0, 90),
            "trunk_lean": 20.0,
        },
    )


def normalised(n_spans: int = 4, sides: bool = True) -> xr.DataArray:
    """Spans whose curve is ``span index + sin``: the mean of spans 0 and 2 is ``1 + sin``."""
    percent = np.linspace(0, 100, 101)
    data = np.stack([[i + np.sin(percent / 100 * 2 * np.pi)] * 2 for i in range(n_spans)]).transpose(0, 2, 1)
    coords = {"percent": percent, "angle": ["thigh_angle_left", "thigh_angle_right"]}
    if sides:
        coords["side"] = ("span", ["left", "right"] * (n_spans // 2))
    return xr.DataArray(data, dims=("span", "percent", "angle"), coords=coords)


def test_timeline_returns_a_new_figure_with_one_line_per_column(table):
    fig, ax = plots.timeline(table, columns=["knee_flexion_left", "knee_flexion_right"])
    assert fig is ax.figure and len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata().max(), 100.0, atol=1e-9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Knee flexion (left)", "Knee flexion (right)"]


def test_timeline_draws_into_a_given_ax(table):
    fig, ax = plt.subplots()
    out = plots.timeline(table, columns="trunk_lean", ax=ax)
    assert out == (fig, ax) and len(ax.lines) == 1


def test_timeline_default_columns_are_the_measured_ones(table):
    _, ax = plots.timeline(table)
    assert len(ax.lines) == 3


def test_timeline_shades_reps_and_marks_findings(table):
    reps = pd.DataFrame({"index": [0], "start_s": [0.5], "end_s": [2.5]})
    finding = Finding("excessive_trunk_lean", "moderate", None, 0.5, 2.5, 12.0, 5.0, "ref", "msg")
    note = Finding("knee_valgus", "info", None, 0.0, 3.0, None, None, "", "not assessed")
    _, ax = plots.timeline(table, columns=["trunk_lean"], spans=reps, findings=[finding, note])
    texts = [t.get_text() for t in ax.texts]
    assert "rep 1" in texts and "excessive trunk lean" in texts
    assert not any("knee valgus" in t for t in texts)  # notes are not drawn
    _, ax2 = plots.timeline(table, columns=["knee_flexion_left"], findings=[finding])
    assert "excessive trunk lean" not in [t.get_text() for t in ax2.texts]  # not about this angle


def test_timeline_panels_skip_unmeasured_groups(table):
    fig, axes = plots.timeline_panels(table)
    assert [ax.get_title(loc="left") for ax in axes] == ["Knee flexion", "Trunk lean"]
    fig, axes = plots.timeline_panels(angle_table(1.0, {}))
    assert axes == []


def test_cycle_curves_mean_and_sd_per_side():
    fig, ax = plots.cycle_curves(normalised(4), angle="thigh_angle")
    assert len(ax.lines) == 2  # left, right
    left = ax.lines[0].get_ydata()
    percent = np.linspace(0, 100, 101)
    np.testing.assert_allclose(left, 1 + np.sin(percent / 100 * 2 * np.pi), atol=1e-12)  # spans 0 and 2
    assert "n=2" in ax.lines[0].get_label()
    assert ax.get_xlabel() == "% of cycle"


def test_cycle_curves_without_sides():
    fig, ax = plots.cycle_curves(normalised(3, sides=False), angle="thigh_angle_left")
    assert len(ax.lines) == 1 and ax.get_xlabel() == "% of repetition"


def test_rep_comparison_one_line_per_span():
    fig, ax = plots.rep_comparison(normalised(4), angle="thigh_angle")
    assert len(ax.lines) == 4
    assert ax.lines[1].get_label() == "right cycle 2"
    with pytest.raises(ConfigError, match="one entry per span"):
        plots.rep_comparison(normalised(4), angle="thigh_angle", labels=["a"])


def test_compare_timelines_aligns_on_the_first_span(table):
    later = table.set_axis(table.index + 2.0)
    spans = pd.DataFrame({"start_s": [0.5], "end_s": [2.5]})
    _, ax = plots.compare_timelines(
        table,
        later,
        column="knee_flexion_left",
        labels=("before", "after"),
        spans_a=spans,
        spans_b=spans.assign(start_s=2.5),
        align="first_span",
    )
    a, b = ax.lines
    assert a.get_xdata()[np.argmax(a.get_ydata())] == pytest.approx(b.get_xdata()[np.argmax(b.get_ydata())])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before", "after"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t: plots.timeline(t, columns=["nope"]), "no such angle"),
        (lambda t: plots.timeline(t.reset_index(drop=True)), "time_s"),
        (lambda t: plots.timeline(t, spans=pd.DataFrame({"a": [1]})), "start_s"),
        (lambda t: plots.cycle_curves(xr.DataArray(np.zeros((2, 3)), dims=("x", "y"))), "span, percent, angle"),
        (lambda t: plots.cycle_curves(normalised(2), angle="knee"), "no angle"),
        (lambda t: plots.cycle_curves(normalised(2)), "choose an angle"),
        (lambda t: plots.compare_timelines(t, t, column="trunk_lean", align="middle"), "align"),
    ],
)
def test_bad_inputs_say_what_was_expected(table, call, match):
    with pytest.raises(ConfigError, match=match):
        call(table)


def test_many_reps_are_one_collection_with_thinned_labels(table):
    """A long recording's hundreds of reps: bands in one collection, at most MAX_SPAN_LABELS numbered (rep 1
    among them), and the rep-by-rep curves one collection whose legend names the first and the last."""
    from movelab.plots.timeline import MAX_SPAN_LABELS

    n = 200
    start = np.linspace(0.0, 2.9, n, endpoint=False)
    reps = pd.DataFrame({"index": np.arange(n), "start_s": start, "end_s": start + 0.01})
    _, ax = plots.timeline(table, columns=["trunk_lean"], spans=reps)
    labels = [t.get_text() for t in ax.texts]
    assert "rep 1" in labels and 0 < len(labels) <= MAX_SPAN_LABELS
    assert len(ax.collections) == 1 and len(ax.collections[0].get_paths()) == n and not ax.patches
    _, ax = plots.rep_comparison(normalised(40, sides=False), angle="thigh_angle_left")
    assert len(ax.collections[0].get_segments()) == 40
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["rep 1", "rep 40"]
    np.testing.assert_allclose(ax.collections[0].get_segments()[39][:, 1], 39 + np.sin(np.linspace(0, 2 * np.pi, 101)))


def test_gait_cycles_are_bands_and_start_lines(table):
    cycles = pd.DataFrame({"start_s": [0.2, 0.7, 1.2], "end_s": [1.2, 1.7, 2.2], "side": ["left", "right", "left"]})
    _, ax = plots.timeline(table, columns=["trunk_lean"], spans=cycles)
    bands, starts = ax.collections
    assert len(bands.get_paths()) == 3 and len(starts.get_segments()) == 3
    assert ax.get_ylim()[1] > 10  # the start lines (axes fraction in y) leave the angle's y range alone
