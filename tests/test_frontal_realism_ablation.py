"""scripts/accuracy/frontal_realism_ablation.py: hand-written ``fppa_errors.csv`` files of a full realistic run and
of runs with one realism group off give the errors of the same legs side by side; rows outside the design group
are never read past the filter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scripts.accuracy import frontal_realism_ablation as ablation


def _write(folder, rows) -> None:
    folder.mkdir(parents=True)
    pd.DataFrame(rows, columns=["clip", "group", "side", "error"]).to_csv(folder / "fppa_errors.csv", index=False)


def test_the_same_legs_are_compared_with_every_option_on_and_with_one_group_off(tmp_path):
    full = tmp_path / "run_realistic"
    _write(
        full,
        [
            ("a", "design", "left", 6.0),
            ("a", "design", "right", np.nan),
            ("b", "design", "left", -1.0),
            ("c", "held_out", "left", 9.0),
        ],
    )
    _write(tmp_path / "run_realistic_noclothing", [("a", "design", "left", 1.0), ("a", "design", "right", -3.0)])
    off = {g: ablation.design_legs(tmp_path / f"run_realistic_no{g}") for g in ("clothing", "shake")}
    rows = ablation.ablation_rows(ablation.design_legs(full), off)
    assert len(rows) == 1  # no shake run: no row
    (row,) = rows
    assert row["group"] == "clothing" and row["clips"] == 1
    assert row["on"] == "6.00°, 0 of 2, 6.0°, 1"
    assert row["off"] == "2.00°, 2 of 2, 3.0°, 0"
    assert row["change"] == -5.0  # measured both: the left leg only, 6 -> 1


def test_rows_of_other_groups_are_dropped_on_reading(tmp_path):
    _write(tmp_path / "run", [("c", "held_out", "left", 9.0), ("d", "held_out_2", "right", 1.0)])
    assert ablation.design_legs(tmp_path / "run").empty
