"""scripts/accuracy/frontal_realistic_summary.py: the clean and realistic runs' CSV files, written by hand for a
few clips with known findings, give a table with the counts those findings make, on the clips both runs hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scripts.accuracy import frontal_findings_accuracy as frontal
from scripts.accuracy import frontal_realistic_summary as summary

NAN = np.nan


def _leg(clip, group, body, stance, side, true, error, before, landmarks, raised, raised_before) -> dict:
    return dict(
        clip=clip,
        group=group,
        body=body,
        view="front",
        stance=stance,
        side=side,
        true=true,
        read=true + error,
        error=error,
        before_error=before,
        landmark_error=landmarks,
        raised=raised,
        raised_before=raised_before,
    )


def _clip(clip, group, view, movement, *, raised="", notes="", feet="", drop=0.0, obl=(NAN, NAN), frames=NAN, **kw):
    return dict(
        clip=clip,
        group=group,
        view=view,
        movement=movement,
        body=kw.get("body", "A"),
        arms=kw.get("arms", ""),
        cut=kw.get("cut", 0.0),
        raised=raised,
        notes=notes,
        feet_notes=feet,
        true_pelvic_drop_deg=drop,
        obliquity_min_deg=obl[0],
        obliquity_max_deg=obl[1],
        standing_frames=frames,
    )


def _attribution(clip, group, side, landmarks, outline) -> dict:
    return dict(clip=clip, group=group, view="front", side=side, landmarks_knee_deg=landmarks, outline_knee_deg=outline)


A, C, E = "squat_front_A_hip_v25", "squat_front_C_narrow_v0", "squat_front_E_hip_v0"
LEVEL, DROP = "lunge_front_left_drop0", "lunge_front_left_drop10"


@pytest.fixture
def clean() -> dict[str, pd.DataFrame]:
    """Body A's hip-width squat at 25° valgus (both legs raise `knee_valgus`, the right one 4° high), held-out
    C's narrow squat at 0° (a left leg 5° high, a right one not measured; `pelvic_drop` raised on its level
    pelvis), four lunges of the default body (hanging arms: a note on both; hands on the hips: the 10° drop
    raised at 9.5), two side squats (whole: `lumbar_flexion_at_depth` raised; 10 % cut: a note naming the feet),
    and body E's squat, which the realistic run does not hold: every leg, finding and frame count of E would
    move the figures if it were counted."""
    return {
        "fppa": pd.DataFrame(
            [
                _leg(A, "design", "A", "hip", "left", 22.0, 1.0, 2.0, -10.0, True, True),
                _leg(A, "design", "A", "hip", "right", 22.0, 4.0, 0.0, -6.0, True, False),
                _leg(C, "held_out", "C", "narrow", "left", 2.0, 5.0, 1.0, 3.0, False, False),
                _leg(C, "held_out", "C", "narrow", "right", 2.0, NAN, NAN, 1.0, False, False),
                _leg(E, "design", "E", "hip", "left", 0.0, 20.0, 20.0, 20.0, True, True),
                _leg(E, "design", "E", "hip", "right", 0.0, 20.0, 20.0, 20.0, True, True),
            ]
        ),
        "findings": pd.DataFrame(
            [
                _clip(
                    A,
                    "design",
                    "front",
                    "squat",
                    raised="knee_valgus left 23; knee_valgus right 26",
                    obl=(-2, 1),
                    frames=30,
                ),
                _clip(
                    C, "held_out", "front", "squat", body="C", raised="pelvic_drop left 6.7", obl=(-1.5, 6.5), frames=40
                ),
                _clip(E, "design", "front", "squat", body="E", raised="pelvic_drop right 9", obl=(-9, 9), frames=10),
                _clip(LEVEL, "lunge", "front", "lunge", arms="hanging", notes="pelvic_drop", frames=32),
                _clip(
                    DROP,
                    "lunge",
                    "front",
                    "lunge",
                    arms="hanging",
                    notes="knee_valgus; pelvic_drop",
                    drop=10,
                    frames=31,
                ),
                _clip(LEVEL + "_hips", "lunge", "front", "lunge", arms="hips", frames=25),
                _clip(
                    DROP + "_hips",
                    "lunge",
                    "front",
                    "lunge",
                    arms="hips",
                    raised="pelvic_drop right 9.5",
                    drop=10,
                    frames=20,
                ),
                _clip(
                    "squat_side_right_cut0",
                    "cut",
                    "side_right",
                    "squat",
                    raised="lumbar_flexion_at_depth  5.8",
                    frames=31,
                ),
                _clip("squat_side_right_cut10", "cut", "side_right", "squat", cut=0.1, feet="heel_lift", frames=31),
            ]
        ),
        "pelvic_drop": pd.DataFrame(
            [
                dict(clip=LEVEL, arms="hanging", true=0.0, hands=NAN, raised="note"),
                dict(clip=DROP, arms="hanging", true=10.0, hands=NAN, raised="note"),
                dict(clip=LEVEL + "_hips", arms="hips", true=0.0, hands=-1.2, raised="—"),
                dict(clip=DROP + "_hips", arms="hips", true=10.0, hands=9.5, raised="right 9.5"),
            ]
        ),
        "attribution": pd.DataFrame(
            [
                _attribution(A, "design", "left", -4.0, 1.0),
                _attribution(A, "design", "right", 6.0, -0.5),
                _attribution(C, "held_out", "left", 2.0, 0.2),
                _attribution(C, "held_out", "right", -3.0, 0.4),
                _attribution(E, "design", "left", 50.0, 50.0),
                _attribution(E, "design", "right", 50.0, 50.0),
            ]
        ),
    }


@pytest.fixture
def realistic() -> dict[str, pd.DataFrame]:
    """The same clips but E: A's left leg not measured and `knee_valgus` raised on the right only, C's legs
    within 2°, nothing raised on the level squats, a note on one hanging-arm lunge only, the hands' drop raised
    at 8.1, nothing raised on the whole side squat and no note on the cut one, no standing reference on C's
    squat and one of 2 frames on the level hands-on-hips lunge."""
    return {
        "fppa": pd.DataFrame(
            [
                _leg(A, "design", "A", "hip", "left", 22.0, NAN, NAN, -12.0, False, False),
                _leg(A, "design", "A", "hip", "right", 22.0, -2.0, -3.0, -8.0, True, True),
                _leg(C, "held_out", "C", "narrow", "left", 2.0, -1.0, -1.0, 4.0, False, False),
                _leg(C, "held_out", "C", "narrow", "right", 2.0, 2.0, 2.0, -2.0, False, False),
            ]
        ),
        "findings": pd.DataFrame(
            [
                _clip(A, "design", "front", "squat", raised="knee_valgus right 20", obl=(-3, 0.5), frames=28),
                _clip(C, "held_out", "front", "squat", body="C", obl=(-1, 2)),
                _clip(LEVEL, "lunge", "front", "lunge", arms="hanging", frames=30),
                _clip(DROP, "lunge", "front", "lunge", arms="hanging", notes="pelvic_drop", drop=10, frames=30),
                _clip(LEVEL + "_hips", "lunge", "front", "lunge", arms="hips", frames=2),
                _clip(
                    DROP + "_hips",
                    "lunge",
                    "front",
                    "lunge",
                    arms="hips",
                    raised="pelvic_drop right 8.1",
                    drop=10,
                    frames=27,
                ),
                _clip("squat_side_right_cut0", "cut", "side_right", "squat", frames=31),
                _clip("squat_side_right_cut10", "cut", "side_right", "squat", cut=0.1, frames=31),
            ]
        ),
        "pelvic_drop": pd.DataFrame(
            [
                dict(clip=LEVEL, arms="hanging", true=0.0, hands=NAN, raised="note"),
                dict(clip=DROP, arms="hanging", true=10.0, hands=NAN, raised="—"),
                dict(clip=LEVEL + "_hips", arms="hips", true=0.0, hands=2.0, raised="—"),
                dict(clip=DROP + "_hips", arms="hips", true=10.0, hands=8.1, raised="right 8.1"),
            ]
        ),
        "attribution": pd.DataFrame(
            [
                _attribution(A, "design", "left", -9.0, 2.0),
                _attribution(A, "design", "right", 13.0, -1.0),
                _attribution(C, "held_out", "left", 8.0, 2.5),
                _attribution(C, "held_out", "right", -12.0, 3.5),
            ]
        ),
    }


def _write(run: dict[str, pd.DataFrame], folder) -> None:
    folder.mkdir()
    for key, table in run.items():
        table.to_csv(folder / frontal.CSV_FILES[key], index=False)


@pytest.fixture
def printed(clean, realistic, tmp_path, capsys) -> dict[str, tuple[str, str]]:
    """The printed table read back through the CSV files: figure -> (clean, realistic)."""
    _write(clean, tmp_path / "clean")
    _write(realistic, tmp_path / "realistic")
    assert summary.main(["--clean", str(tmp_path / "clean"), "--realistic", str(tmp_path / "realistic")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Clips in both runs: 8 (bodies A, C; groups cut 2, design 1, held_out 1, lunge 4)."
    cells = [[c.strip() for c in line.strip("|").split(" | ")] for line in lines if line.startswith("| ")]
    assert cells[0] == ["figure", "clean", "realistic"]
    return {figure: (c, r) for figure, c, r in cells[1:]}


def test_fppa_rows_count_mae_legs_within_4_deg_largest_and_not_measured_by_stance(printed):
    label = "{} bodies {}, FPPA at depth ({}): MAE, legs within 4°, largest, not measured"
    assert printed[label.format("design", "A", "outline")] == (
        "2.50°, 2 of 2, 4.0°, 0",
        "2.00°, 1 of 2, 2.0°, 1 (hip 1)",
    )
    assert printed[label.format("design", "A", "outline_share")] == (
        "1.00°, 2 of 2, 2.0°, 0",
        "3.00°, 1 of 2, 3.0°, 1 (hip 1)",
    )
    assert printed[label.format("design", "A", "landmarks")] == ("8.00°, 0 of 2, 10.0°, 0", "10.00°, 0 of 2, 12.0°, 0")
    assert printed[label.format("held_out", "C", "outline")] == (
        "5.00°, 0 of 2, 5.0°, 1 (narrow 1)",
        "1.50°, 2 of 2, 2.0°, 0",
    )


def test_knee_alone_rows_average_the_size_of_the_change_per_leg(printed):
    figure = (
        "design bodies A, front view: the knee joint centre alone (others projected truth), mean size of the FPPA "
        "change, left / right leg (1 each): landmarks; outline"
    )
    assert printed[figure] == ("4.0° / 6.0°; 1.0° / 0.5°", "9.0° / 13.0°; 2.0° / 1.0°")


def test_valgus_rows_count_raised_and_not_measured_legs_per_band(printed):
    label = "`knee_valgus` raised (outline), true FPPA {}, bodies A, C"
    must = ("2 of 2, 0 not measured (outline_share 1)", "1 of 2, 1 not measured (outline_share 1)")
    assert printed[label.format("> 19.5° (must be raised)")] == must
    either = "0 of 0, 0 not measured (outline_share 0)"
    assert printed[label.format("12-19.5° (either)")] == (either, either)
    assert printed[label.format("< 12° (must not be raised)")] == (
        "0 of 2, 1 not measured (outline_share 0)",
        "0 of 2, 0 not measured (outline_share 0)",
    )


def test_pelvic_rows_count_raised_findings_notes_and_the_hands_line(printed):
    assert printed["pelvic obliquity read on the 2 level-pelvis front and back squats"] == (
        "-2.0 … 6.5°",
        "-3.0 … 2.0°",
    )
    drop = "`pelvic_drop` raised: level-pelvis squats (2) / hanging-arm lunges, level (1) / dropped (1)"
    assert printed[drop] == (
        "1 / 0 / 0 (a note on 2 of 2 lunges; squat_front_C_narrow_v0: pelvic_drop left 6.7)",
        "0 / 0 / 0 (a note on 1 of 2 lunges)",
    )
    hands = "`pelvic_drop` raised, hands on the hips: level lunges / dropped lunges (2); the hands' line at depth"
    assert printed[hands] == (
        "0 / 1 (9.5–9.5°); level within 1.2°, drops 9.5–9.5°",
        "0 / 1 (8.1–8.1°); level within 2.0°, drops 8.1–8.1°",
    )


def test_standing_and_side_rows(printed):
    assert printed["standing reference (6 front and back clips): range, mean"] == (
        "20–40 frames, mean 29.7",
        "2–30 frames, mean 23.4, none on 1",
    )
    assert printed["side squats, picture whole: raised"] == (
        "facing right: lumbar_flexion_at_depth 5.8",
        "facing right: —",
    )
    cut = "side squats, 10–30 % cut off (1): feet-dependent findings not assessed, with a note"
    assert printed[cut] == ("1 of 1", "0 of 1")


def test_a_folder_without_the_csv_files_is_named_with_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"lacks fppa_errors\.csv, findings\.csv.*--reuse"):
        summary.load_run(tmp_path)


def test_clips_names_the_realistic_selection_without_the_clean_only_bodies(capsys):
    assert summary.main(["--clips"]) == 0
    names = capsys.readouterr().out.split()
    assert "squat_front_C_hip_v0" in names and "lunge_back_right_drop10_hips" in names
    assert not [n for n in names if "_E_" in n or "_G_" in n or n.endswith("_design1")]


def test_design_lunge_bodies_are_design_clips_named_by_their_letter():
    for letter in frontal.DESIGN_LUNGE_BODIES:
        names = [n for n in frontal.CASES if n.endswith(f"_{letter}_hips")]
        assert len(names) == 8  # level and 10 deg drop, both facings and lead legs
        for name in names:
            case = frontal.CASES[name]
            assert case.group == "lunge_design"
            assert frontal._case_columns(name, case)["body"] == letter
        assert not set(names) & set(frontal.realistic_names(names))
    held_out = {
        frontal._case_columns(name, case)["body"]
        for name, case in frontal.CASES.items()
        if case.group.startswith(("held_out", "lunge_held_out"))
    }
    assert {"C", "AE", "AJ"} <= held_out and not set(frontal.DESIGN_LUNGE_BODIES) & held_out


def test_realistic_held_out_bodies_are_filmed_realistically_in_their_front_squats_only():
    """The realistic run renders the front squats of the held-out bodies named for it (every stance and valgus
    amount), not their back views or lunges, and none of the other clean-only bodies."""
    chosen = set(frontal.realistic_names(list(frontal.CASES)))
    for body in frontal.REALISTIC_HELD_OUT_BODIES:
        own = {n for n in frontal.CASES if f"_{body}_" in n or n.endswith(f"_{body}_hips")}
        assert {n for n in own if n.startswith("squat_front_")} <= chosen
        assert len(own & chosen) == len(frontal.STANCES_M) * len(frontal.VALGUS_DEG)
        assert not {n for n in own & chosen if not n.startswith("squat_front_")}
    assert not [n for n in chosen if "_AN_" in n or "_AJ_" in n]  # whole held-out sets filmed clean only
