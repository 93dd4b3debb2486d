"""The findings' context read once (issue 17): its columns converted once, the same Context for the FMS score's
read of the same Motion, and its medians the floats :func:`numpy.nanmedian` gives."""

from __future__ import annotations

import gc
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


def test_the_fms_score_reads_the_findings_context_of_the_same_motion_and_segmentation(squat):
    motion, seg = squat
    first = context_of(motion, seg)
    assert context_of(motion, seg) is first
    other = segment(motion, movement="squat")  # equal, but another object: a new context
    assert context_of(motion, other) is not first
    assert context_of(motion, seg) is not first  # only the last one is kept


def test_the_kept_context_goes_with_its_motion(squats):
    from movelab.findings import detect as detect_module

    motion = compute_motion(squats)
    seg = segment(motion, movement="squat")
    context_of(motion, seg)
    assert detect_module._LAST_CONTEXT._entry is not None
    del motion, seg
    gc.collect()
    assert detect_module._LAST_CONTEXT._entry is None


def test_findings_read_from_a_kept_context_are_a_fresh_contexts(squat):
    motion, seg = squat
    kept = detect_findings(motion, seg)
    assert detect_findings(motion, seg) == kept  # the second from the kept context
    from movelab.findings import detect as detect_module

    detect_module._LAST_CONTEXT._entry = None
    assert detect_findings(motion, seg) == kept


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
