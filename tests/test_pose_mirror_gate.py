"""The frontal gate of the mirror pass (``ExtractConfig(mirror_hips="frontal")``), its settings and CLI flag."""

from __future__ import annotations

import numpy as np
import pytest

from movelab.errors import ConfigError
from movelab.landmarks import KEYPOINTS
from movelab.pose.config import ExtractConfig
from movelab.pose.mirror import looks_frontal, shoulder_share
from movelab.pose.mirror_pass import mirror_model_wanted, mirror_pass_wanted

SHARE = ExtractConfig().mirror_min_shoulder_share


def _person(shoulders_apart_px: float, *, torso_px: float = 200.0, x_px: float = 300.0) -> np.ndarray:
    """``(33, 2)`` pixels: shoulders ``shoulders_apart_px`` apart across the picture, hips ``torso_px`` below."""
    px = np.full((33, 2), [x_px, 250.0])
    px[KEYPOINTS.index("left_shoulder")] = [x_px + shoulders_apart_px / 2, 100.0]
    px[KEYPOINTS.index("right_shoulder")] = [x_px - shoulders_apart_px / 2, 100.0]
    px[KEYPOINTS.index("left_hip")] = [x_px + 20.0, 100.0 + torso_px]
    px[KEYPOINTS.index("right_hip")] = [x_px - 20.0, 100.0 + torso_px]
    return px


FRONT, SIDE = _person(140.0), _person(15.0)  # shares 0.7 and 0.075


def test_shoulder_share_is_the_shoulders_spread_over_the_torso_length():
    assert shoulder_share(_person(140.0, torso_px=200.0)) == pytest.approx(0.7)
    assert shoulder_share(_person(-140.0, torso_px=200.0)) == pytest.approx(0.7)  # turned away: sides swapped
    assert shoulder_share(_person(50.0, torso_px=100.0)) == pytest.approx(0.5)


def test_a_person_without_a_measurable_torso_does_not_look_frontal():
    nan = FRONT.copy()
    nan[KEYPOINTS.index("left_hip")] = np.nan
    assert np.isnan(shoulder_share(nan)) and not looks_frontal(nan, min_share=SHARE)
    flat = _person(140.0, torso_px=0.0)
    flat[[KEYPOINTS.index("left_hip"), KEYPOINTS.index("right_hip")], 0] = [
        370.0,
        230.0,
    ]  # hips' midpoint on the shoulders'
    assert np.isnan(shoulder_share(flat)) and not looks_frontal(flat, min_share=SHARE)


def test_looks_frontal_compares_with_the_share():
    assert looks_frontal(_person(90.0), min_share=0.45) and not looks_frontal(_person(89.0), min_share=0.45)


@pytest.mark.parametrize(
    "people, mode, source, wanted",
    [
        ([FRONT], "frontal", "file", True),
        ([SIDE], "frontal", "file", False),
        ([SIDE, FRONT], "frontal", "file", True),  # anyone frontal: the client may be the second found
        ([], "frontal", "file", False),
        ([FRONT], "frontal", "webcam", False),  # live: never held up for the mirror model
        ([SIDE], "all", "file", True),
        ([SIDE], "all", "webcam", True),
        ([FRONT], "off", "file", False),
    ],
)
def test_the_gate_runs_the_mirror_model_where_the_mode_says(people, mode, source, wanted):
    assert mirror_pass_wanted(people, mode=mode, source=source, min_shoulder_share=SHARE) is wanted


def test_the_mirror_model_is_loaded_only_for_sources_that_may_use_it():
    assert mirror_model_wanted("frontal", source="file") and mirror_model_wanted("all", source="webcam")
    assert not mirror_model_wanted("frontal", source="webcam") and not mirror_model_wanted("off", source="file")


def test_the_default_is_frontal_and_the_first_forms_still_read():
    assert ExtractConfig().mirror_hips == "frontal"
    assert ExtractConfig(mirror_hips=True).mirror_hips == "all"
    assert ExtractConfig(mirror_hips=False).mirror_hips == "off"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mirror_hips": "front"},
        {"mirror_hips": None},
        {"mirror_wrists": "yes"},
        {"mirror_wrists": None},
        {"mirror_min_shoulder_share": 0.0},
        {"mirror_min_shoulder_share": -0.3},
        {"mirror_min_shoulder_share": float("nan")},
        {"mirror_min_shoulder_share": float("inf")},
        {"mirror_min_shoulder_share": "0.45"},
    ],
)
def test_bad_mirror_settings_are_refused(kwargs):
    with pytest.raises(ConfigError, match=next(iter(kwargs))):
        ExtractConfig(**kwargs)


def test_the_cache_key_names_the_mirror_setting():
    keys = {mode: ExtractConfig(mirror_hips=mode).cache_key_fields() for mode in ("off", "frontal", "all")}
    assert "mirror_hips" not in keys["off"] and "mirror_min_shoulder_share" not in keys["off"]  # the old key
    assert keys["frontal"]["mirror_hips"] == "frontal" and keys["frontal"]["mirror_min_shoulder_share"] == SHARE
    assert keys["all"]["mirror_hips"] == "all" and "mirror_min_shoulder_share" not in keys["all"]
    assert len({str(sorted(k.items())) for k in keys.values()}) == 3
    other = ExtractConfig(mirror_min_shoulder_share=0.3).cache_key_fields()
    assert other != keys["frontal"]


def test_the_cache_key_names_the_wrists_only_when_the_pass_averages_them():
    """Landmarks cached before ``mirror_wrists`` existed averaged the hips alone: their key is the one without it."""
    assert ExtractConfig().cache_key_fields()["mirror_wrists"] is True
    hips_only = ExtractConfig(mirror_wrists=False).cache_key_fields()
    assert "mirror_wrists" not in hips_only and hips_only["mirror_hips"] == "frontal"
    assert "mirror_wrists" not in ExtractConfig(mirror_hips="off").cache_key_fields()


@pytest.mark.parametrize("command", ["extract", "analyse"])
def test_the_cli_flag_chooses_the_mode(command, tmp_path):
    from movelab.cli import _build_parser, _extract_config

    parser = _build_parser()
    base = [command, "clip.mp4", "--out", str(tmp_path)]
    assert _extract_config(parser.parse_args(base)).mirror_hips == "frontal"
    for mode in ("off", "all", "frontal"):
        assert _extract_config(parser.parse_args([*base, "--mirror-hips", mode])).mirror_hips == mode
    with pytest.raises(SystemExit):
        parser.parse_args([*base, "--mirror-hips"])  # the flag now takes a value
