"""The kinematics cache (movelab.motion_cache): a second analysis of the same landmarks with the same settings
reads the kept kinematics; a changed setting, changed landmarks or a broken entry computes them again."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from movelab import motion_cache
from movelab.analysis import analyse_landmarks
from movelab.config import Config


@pytest.fixture
def computed(monkeypatch, tmp_path):
    """The cache in ``tmp_path``; the list of calls that computed the kinematics (instead of reading them)."""
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path))
    calls = []
    real = motion_cache.compute_motion

    def spy(ds, *, config):
        calls.append(config)
        return real(ds, config=config)

    monkeypatch.setattr(motion_cache, "compute_motion", spy)
    return calls


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "motion").glob("*.pkl"))


def test_a_second_analysis_reads_the_kept_kinematics(squats, computed, tmp_path):
    first = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 1 and len(_entries(tmp_path)) == 1
    second = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 1  # read, not computed
    assert second.motion.landmarks is squats
    pd.testing.assert_frame_equal(second.angles, first.angles)
    pd.testing.assert_frame_equal(second.outline, first.outline)
    for name in ("cleaned", "unfiltered", "label_free"):
        assert getattr(second.motion.positions, name).equals(getattr(first.motion.positions, name))
    assert second.motion.frame_views.equals(first.motion.frame_views)
    assert len(second.segmentation.reps) == len(first.segmentation.reps) == 2
    assert [f.code for f in second.findings] == [f.code for f in first.findings]
    assert second.to_report() == first.to_report()


def test_a_kept_analysis_keeps_the_camera_roll_it_took_out(squats, computed, tmp_path):
    """A roll taken out when computed is taken out of the landmarks read back too, and reported the same."""
    given = Config(kinematics=dataclasses.replace(Config().kinematics, camera_roll=3.0))
    first = analyse_landmarks(squats, config=given, use_cache=True)
    second = analyse_landmarks(squats, config=given, use_cache=True)
    assert len(computed) == 1
    assert second.motion.camera_roll.to_dict() == first.motion.camera_roll.to_dict()
    assert second.motion.camera_roll.applied_deg == 3.0
    np.testing.assert_array_equal(second.motion.landmarks["position_px"], first.motion.landmarks["position_px"])
    assert not np.allclose(second.motion.landmarks["position_px"], squats["position_px"], equal_nan=True)
    assert second.to_report() == first.to_report()


def test_a_changed_setting_or_changed_landmarks_compute_again(squats, computed, tmp_path):
    analyse_landmarks(squats, use_cache=True)
    other = Config(kinematics=dataclasses.replace(Config().kinematics, cutoff_hz=4.0))
    analyse_landmarks(squats, config=other, use_cache=True)
    assert len(computed) == 2 and computed[1].cutoff_hz == 4.0
    moved = squats.copy(deep=True)
    moved["position_px"][10, 0, 0] += 1.0  # one coordinate of one frame
    analyse_landmarks(moved, use_cache=True)
    assert len(computed) == 3 and len(_entries(tmp_path)) == 3
    analyse_landmarks(squats, config=other, use_cache=True)
    assert len(computed) == 3  # each of the three is kept


def test_how_the_landmarks_were_obtained_is_not_part_of_the_key(squats):
    again = squats.copy()
    again.attrs["from_cache"] = not squats.attrs.get("from_cache", False)
    assert motion_cache.dataset_digest(again) == motion_cache.dataset_digest(squats)
    again.attrs["width_px"] = int(squats.attrs.get("width_px", 0)) + 2
    assert motion_cache.dataset_digest(again) != motion_cache.dataset_digest(squats)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps({"format": 1, "angles": None}), pickle.dumps([1, 2, 3])],
    ids=["empty", "garbage", "incomplete", "wrong-type"],
)
def test_a_broken_entry_is_computed_again_and_replaced(squats, computed, tmp_path, content):
    first = analyse_landmarks(squats, use_cache=True)
    (entry,) = _entries(tmp_path)
    entry.write_bytes(content)
    again = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 2
    pd.testing.assert_frame_equal(again.angles, first.angles)
    with open(entry, "rb") as handle:
        assert pickle.load(handle)["format"] == motion_cache._FORMAT  # written anew
    analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 2


def test_without_use_cache_nothing_is_read_or_written(squats, computed, tmp_path):
    analyse_landmarks(squats)
    analyse_landmarks(squats, use_cache=False)
    assert not (tmp_path / "motion").exists() and computed == []


def test_a_cache_that_cannot_be_written_only_loses_the_cache(squats, computed, tmp_path, monkeypatch):
    (tmp_path / "motion").write_text("a file where the folder should be")
    analysis = analyse_landmarks(squats, use_cache=True)
    assert len(computed) == 1 and np.isfinite(analysis.angles.select_dtypes("number").to_numpy()).any()


def _changed_one_value(values: np.ndarray, at: int) -> np.ndarray:
    """``values`` with its ``at``-th element (flat order) changed by the least step its dtype has."""
    out = values.copy()
    flat = out.reshape(-1)
    if out.dtype.kind == "b":
        flat[at] = not flat[at]
    elif out.dtype.kind == "U":
        flat[at] = flat[at][:-1] + ("y" if flat[at][-1:] != "y" else "z")  # same length: the dtype holds it
    elif out.dtype.kind == "f":
        flat[at] = np.nextafter(flat[at], np.inf) if np.isfinite(flat[at]) else 0.0
    else:
        flat[at] = flat[at] + 1
    return out


@pytest.fixture
def with_outline(squats):
    """The squats with a person-mask outline (float32, 64 points) as extraction keeps it."""
    rng = np.random.default_rng(5)
    outline = rng.uniform(0.0, 480.0, (squats.sizes["time"], 64, 2)).astype(np.float32)
    return squats.assign(outline_px=(("time", "outline_point", "xy"), outline))


@pytest.mark.parametrize("hash_name", ["xxh3_128", "sha256"])
def test_the_key_changes_when_any_landmark_value_changes_and_stays_when_none_does(with_outline, hash_name, monkeypatch):
    if hash_name == "sha256":  # the fallback where xxhash is not installed
        monkeypatch.setitem(__import__("sys").modules, "xxhash", None)
    digest = motion_cache.dataset_digest(with_outline)
    assert digest.lower().startswith(hash_name)
    assert motion_cache.dataset_digest(with_outline.copy(deep=True)) == digest
    assert motion_cache.dataset_digest(with_outline.copy(deep=True)) == motion_cache.dataset_digest(with_outline)
    seen = {digest}
    for name in with_outline.variables:
        values = with_outline.variables[name].values
        for at in sorted({0, values.size // 2, values.size - 1}):
            new = (with_outline.variables[name].dims, _changed_one_value(values, at))
            if name in with_outline.coords:
                changed = with_outline.copy(deep=True).assign_coords({name: new})
            else:
                changed = with_outline.copy(deep=True).assign({name: new})
            assert not np.array_equal(changed.variables[name].values, values)
            got = motion_cache.dataset_digest(changed)
            assert got not in seen, (name, at)
            seen.add(got)
    assert motion_cache.dataset_digest(with_outline) == digest  # nothing above changed the original


def test_the_key_of_a_landmark_file_is_the_same_at_each_load(with_outline, tmp_path):
    from movelab import landmarks, load_landmarks

    path = tmp_path / "landmarks.nc"
    landmarks.save(with_outline, path)
    first, second = load_landmarks(path), load_landmarks(path)
    assert motion_cache.dataset_digest(first) == motion_cache.dataset_digest(second)
    np.testing.assert_array_equal(first["outline_px"].values, with_outline["outline_px"].values)
