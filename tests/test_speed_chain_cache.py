"""The posture chain table (the per-frame kyphosis estimate: most of a second analysis of cached landmarks)
is kept beside the kinematics cache entry: a second analysis of the same landmarks reads it, with the same
report; a Motion that did not come through the cache computes it once (the FMS score and the report both ask)."""

from __future__ import annotations

import pandas as pd
import pytest

from movelab import motion_cache
from movelab.analysis import analyse_landmarks
from movelab.kinematics import compute_motion, posture_chain


@pytest.fixture
def computed(monkeypatch, tmp_path):
    """The cache in ``tmp_path``; the Motions whose chain table was computed (instead of read)."""
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path))
    calls = []
    real = posture_chain.chain_table

    def spy(motion, **options):
        calls.append(motion)
        return real(motion, **options)

    monkeypatch.setattr(posture_chain, "chain_table", spy)
    return calls


def test_a_second_analysis_reads_the_kept_chain_table_and_reports_the_same(squats, computed, tmp_path):
    first = analyse_landmarks(squats, use_cache=True)
    assert first.segmentation.movement == "squat" and first.fms is not None
    assert len(computed) == 1 and len(list((tmp_path / "motion").glob("*.chain"))) == 1
    second = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 1  # read, not computed
    assert second.to_report() == first.to_report()
    pd.testing.assert_frame_equal(motion_cache.chain_table(second.motion), posture_chain.chain_table(first.motion))


def test_a_motion_not_from_the_cache_computes_its_chain_table_once(squats, computed, tmp_path):
    motion = compute_motion(squats)
    first = motion_cache.chain_table(motion)
    first["added by a caller"] = 1.0
    second = motion_cache.chain_table(motion)
    assert len(computed) == 1 and not (tmp_path / "motion").exists()
    assert "added by a caller" not in second  # each caller gets its own copy
    motion_cache.chain_table(compute_motion(squats))  # another Motion: computed
    assert len(computed) == 2


def test_a_broken_chain_entry_is_computed_again(squats, computed, tmp_path):
    analyse_landmarks(squats, use_cache=True)
    (entry,) = (tmp_path / "motion").glob("*.chain")
    entry.write_bytes(b"not a pickle")
    again = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 2 and again.fms is not None
    assert entry.read_bytes() != b"not a pickle"
