"""The findings' context read once (issue 17): its columns converted once, one Context built by the analysis and
handed to the findings and the FMS score (nothing kept between calls), and its medians the floats
:func:`numpy.nanmedian` gives."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from movelab.events import segment
from movelab.findings import detect_findings
from movelab.findings._context import nanmedian_1d
from movelab.findings.detect import context_of
from movelab.kinematics import compute_motion


def test_the_context_median_is_numpys_nanmedian_bit_for_bit():
    rng = np.random.default_rng(7)
    cases = [np.array([-0.0]), np.array([-0.0, -0.0]), np.array([np.nan, -0.0, 0.0]), np.array([1e308, 1e308])]
    cases += [np.array([np.inf, -np.inf]), np.array([np.nan, 3.0, np.inf]), np.array([0.1, 0.2])]
    for n in range(1, 40):
        values = rng.normal(0.0, 10.0 ** rng.integers(-3, 6), n)
        values[rng.random(n) < 0.3] = np.nan
        values[0] = rng.normal()  # one value not NaN
        cases.append(values)
        cases.append(np.round(values))
    for values in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = float(np.nanmedian(values))
        got = nanmedian_1d(values)
        assert isinstance(got, float)
        assert np.float64(got).tobytes() == np.float64(expected).tobytes(), (values, got, expected)


@pytest.fixture(scope="module")
def squat(squats):
    motion = compute_motion(squats)
    return motion, segment(motion, movement="squat")


def test_a_context_column_is_converted_once_and_cannot_be_changed(squat):
    ctx = context_of(*squat)
    column = ctx.column("trunk_lean")
    np.testing.assert_array_equal(column, squat[0].angles["trunk_lean"].to_numpy(dtype=np.float64))
    assert ctx.column("trunk_lean") is column
    with pytest.raises(ValueError):
        column[0] = 1.0  # a detector writing into it would change every later reader's values
    missing = ctx.column("no_such_angle")
    assert np.isnan(missing).all() and missing.shape == ctx.time.shape
    both = ctx.both_sides("knee_flexion")
    sides = [squat[0].angles[f"knee_flexion_{s}"].to_numpy(dtype=np.float64) for s in ("left", "right")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmean(sides, axis=0)
    np.testing.assert_array_equal(both, expected)
    assert ctx.both_sides("knee_flexion") is both


def test_the_analysis_builds_the_findings_context_once_for_the_findings_and_the_fms_score(squats, monkeypatch):
    from movelab.analysis import analyse_landmarks
    from movelab.findings import _context, detect, fms

    built = []
    real = _context.build_context

    def spy(*args, **kwargs):
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(detect, "build_context", spy)
    read = []
    real_clip = fms._clip
    monkeypatch.setattr(fms, "_clip", lambda *a, ctx, **k: read.append(ctx) or real_clip(*a, ctx=ctx, **k))
    analysis = analyse_landmarks(squats, movement="squat")
    assert analysis.segmentation.movement == "squat" and analysis.fms is not None
    assert len(built) == 1 and read == built  # the FMS score read the context the findings read
    assert analyse_landmarks(squats, movement="squat").findings == analysis.findings
    assert len(built) == 2  # nothing kept between analyses: the second built its own


def test_a_context_is_built_anew_at_each_call_and_nothing_is_kept(squat):
    from movelab.findings import detect as detect_module

    motion, seg = squat
    assert context_of(motion, seg) is not context_of(motion, seg)
    assert not any(isinstance(v, detect_module.Context) for v in vars(detect_module).values())


def test_findings_and_score_from_a_given_context_are_those_of_a_new_one(squat):
    from movelab.findings.fms import deep_squat_score

    motion, seg = squat
    ctx = context_of(motion, seg)
    alone = detect_findings(motion, seg)
    assert detect_findings(motion, seg, context=ctx) == alone
    assert detect_findings(motion, seg, context=ctx) == alone  # a context read before gives the same
    given = deep_squat_score((motion, seg), contexts=(ctx,)).to_dict()
    assert given == deep_squat_score((motion, seg)).to_dict()


def test_a_context_of_other_settings_or_another_movement_is_refused(squat):
    import dataclasses

    from movelab.errors import ConfigError
    from movelab.findings import FindingsConfig
    from movelab.findings.fms import deep_squat_score

    motion, seg = squat
    ctx = context_of(motion, seg)
    other = dataclasses.replace(FindingsConfig(), depth_window_s=0.2)
    with pytest.raises(ConfigError, match="other findings settings"):
        detect_findings(motion, seg, config=other, context=ctx)
    with pytest.raises(ConfigError, match="movement is lunge"):
        detect_findings(motion, dataclasses.replace(seg, movement="lunge"), context=ctx)
    with pytest.raises(ConfigError, match="one context"):
        deep_squat_score((motion, seg), contexts=(ctx, ctx))
    with pytest.raises(ConfigError, match="findings Context"):
        detect_findings(motion, seg, context="not a context")


def test_the_shins_incline_is_computed_once_per_pair_of_columns_and_is_their_difference(squat):
    ctx = context_of(*squat)
    rep = ctx.reps.iloc[0]
    knee = ctx.near_or_both_name("knee_flexion", rep["start_s"], rep["end_s"])
    thigh = ctx.near_or_both_name("thigh_angle", rep["start_s"], rep["end_s"])
    tibia = ctx.difference(knee, thigh)
    expected = ctx.near_or_both("knee_flexion", rep["start_s"], rep["end_s"]) - ctx.near_or_both(
        "thigh_angle", rep["start_s"], rep["end_s"]
    )
    assert tibia.tobytes() == expected.tobytes() and not tibia.flags.writeable
    assert ctx.difference(knee, thigh) is tibia
    both = ctx.named("knee_flexion_<both>")
    assert both is ctx.both_sides("knee_flexion")


def test_the_onsets_line_fit_is_numpys_polyfit_bit_for_bit():
    from movelab.events.rep_timing import line_fit

    rng = np.random.default_rng(3)
    for i in range(2000):
        n = int(rng.integers(2, 40))
        x = np.sort(rng.uniform(0.0, 600.0, n))
        x = np.round(x * 60.0) / 60.0 if i % 2 else x  # frame times
        y = rng.normal(0.0, 1.0, n) ** 2
        y[: i % 3] = -0.0
        expected = np.polyfit(x, y, 1)
        got = line_fit(x, y)
        assert np.asarray(got, dtype=np.float64).tobytes() == expected.tobytes(), (x, y)


def test_the_contexts_heel_rise_is_heel_rise_deg_on_every_frame_its_readers_read(squat):
    from movelab.kinematics.sole import heel_rise_deg

    motion, seg = squat
    ctx = context_of(motion, seg)
    standing = ctx.standing_mask()
    assert standing.any() and not standing.all() and len(ctx.reps)
    full = heel_rise_deg(ctx.positions, standing, outline_px=ctx.outline_px, picture_height_px=ctx.picture_height_px)
    read = standing.copy()
    for bottom in ctx.reps["bottom_s"]:
        read |= ctx.mask(bottom - ctx.config.depth_window_s, bottom + ctx.config.depth_window_s)
    assert not read.all() and np.isfinite(full[read]).any()
    got = ctx.heel_rise_deg
    assert got[read].tobytes() == full[read].tobytes()
    assert np.isnan(got[~read]).all()
    for bottom in ctx.reps["bottom_s"]:
        assert np.float64(ctx.at(got, bottom)).tobytes() == np.float64(ctx.at(full, bottom)).tobytes()


def test_heel_rise_on_some_frames_needs_every_standing_frame(squat):
    from movelab.kinematics.sole import heel_rise_deg

    ctx = context_of(*squat)
    standing = ctx.standing_mask()
    frames = standing.copy()
    frames[np.flatnonzero(standing)[0]] = False
    with pytest.raises(ValueError, match="every standing one"):
        heel_rise_deg(ctx.positions, standing, frames=frames)


def test_shape_speeds_on_some_frames_are_those_of_every_frame_bit_for_bit(squat):
    from movelab.kinematics.shape_speeds import shape_speeds

    motion = squat[0]
    position, time_s = motion.positions.cleaned, motion.time_s
    every = shape_speeds(position, time_s=time_s, window_s=0.2)
    assert np.isfinite(every).any()
    frames = np.random.default_rng(11).random(time_s.size) < 0.4
    frames[[0, -1]] = True  # the ends' windows are widened to their neighbours
    some = shape_speeds(position, time_s=time_s, window_s=0.2, frames=frames)
    assert some[:, frames].tobytes() == every[:, frames].tobytes()
    assert np.isnan(some[:, ~frames]).all()


def test_quiet_standing_is_the_same_when_only_its_candidates_speeds_are_computed(squat, monkeypatch):
    from movelab.findings import standing
    from movelab.kinematics.shape_speeds import shape_speeds

    motion, seg = squat
    ctx = context_of(motion, seg)
    monkeypatch.setattr(standing, "shape_speeds", lambda *a, frames, **k: shape_speeds(*a, **k))  # every frame
    assert ctx.standing.mask.any()
    assert np.array_equal(context_of(motion, seg).standing.mask, ctx.standing.mask)


def test_windows_and_near_sides_asked_again_are_those_found_the_first_time(squat):
    from movelab.findings._context import _view_labels

    ctx = context_of(*squat)
    rng = np.random.default_rng(2)
    spans = [tuple(sorted(rng.uniform(ctx.time[0] - 0.5, ctx.time[-1] + 0.5, 2))) for _ in range(40)]
    spans += [(float(r["start_s"]), float(r["end_s"])) for r in ctx.reps.to_dict("records")]
    for _ in range(2):  # the second time from what the first kept
        for start, end in spans:
            inside = (ctx.time >= start - 1e-9) & (ctx.time <= end + 1e-9)
            assert np.array_equal(ctx.mask(start, end), inside)
            labels = _view_labels(ctx.views, ctx.time[inside])
            sides = {{"side_right": "right", "side_left": "left"}.get(v) for v in labels}
            expected = sides.pop() if len(sides) == 1 else None
            assert ctx.near_side(start, end) == expected


def test_usable_is_the_share_of_finite_samples_as_numpys_mean_takes_it(squat):
    import dataclasses

    ctx = context_of(*squat)
    rng = np.random.default_rng(4)
    for fraction in (0.1, 0.3, 0.5, 0.6, 0.7, 0.9, 1.0 / 3.0, 2.0 / 3.0):
        strict = dataclasses.replace(ctx, config=dataclasses.replace(ctx.config, min_valid_fraction=fraction))
        for n in range(1, 60):
            for k in range(n + 1):  # every count of finite samples, the threshold's edge included
                window = np.full(n, np.nan)
                window[rng.permutation(n)[:k]] = 1.0
                assert strict.usable(window) == bool(np.isfinite(window).mean() >= fraction), (fraction, n, k)
    assert not ctx.usable(np.array([]))
    assert [r["index"] for r in ctx.rep_records] == list(ctx.reps["index"])
