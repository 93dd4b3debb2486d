"""Which realism option costs the knee FPPA: realistic renders with one option group off against the full ones.

Reads ``fppa_errors.csv`` of the full realistic run of ``frontal_findings_accuracy`` and of each run rendered
``--realistic --without GROUP`` (their kept folders, ``<script>_realistic_no<group>``), and prints, per group
turned off, the same legs' FPPA error at depth with every option on and with that group off. Evaluates nothing
itself: run the renders first, for example

    nice -n 5 .venv/bin/python -m scripts.accuracy.frontal_findings_accuracy --realistic --without clothing \\
        --jobs 1 --only squat_front_A_narrow_v16 squat_front_B_hip_v25 > /dev/null
    .venv/bin/python -m scripts.accuracy.frontal_realism_ablation

Design rows only: rows of any other group are dropped on reading, before anything is printed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from scripts.accuracy import _common as _accuracy
from scripts.accuracy import frontal_findings_accuracy as frontal

#: The groups of ``fppa_errors.csv`` this table may show (the held-out groups are never read past the filter).
DESIGN_GROUPS = ("design",)
#: An FPPA error at most this size (deg) counts as within the method's target (issue 18).
WITHIN_DEG = 4.0


def design_legs(folder: Path) -> pd.DataFrame:
    """The design rows of ``folder/fppa_errors.csv`` (empty when the file is missing)."""
    path = folder / frontal.CSV_FILES["fppa"]
    if not path.is_file() or not path.stat().st_size:
        return pd.DataFrame(columns=["clip", "side", "group", "error"])
    legs = pd.read_csv(path)
    return legs[legs["group"].isin(DESIGN_GROUPS)].reset_index(drop=True)


def _cell(error: pd.Series) -> str:
    """MAE, legs within :data:`WITHIN_DEG`, largest error, legs not measured."""
    size = error.abs()
    if size.notna().any():
        measured = f"{size.mean():.2f}°, {int((size <= WITHIN_DEG).sum())} of {len(size)}, {size.max():.1f}°"
    else:
        measured = f"—, 0 of {len(size)}, —"
    return f"{measured}, {int(size.isna().sum())}"


def ablation_rows(full: pd.DataFrame, off: dict[str, pd.DataFrame]) -> list[dict]:
    """Per group turned off: its clips, and the error cells of the same legs with every option on and with the
    group off (legs matched by clip and side)."""
    rows = []
    for group, legs in off.items():
        if legs.empty:
            continue
        both = legs[["clip", "side", "error"]].merge(
            full[["clip", "side", "error"]], on=["clip", "side"], suffixes=("_off", "_on")
        )
        rows.append(
            {
                "group": group,
                "clips": both["clip"].nunique(),
                "on": _cell(both["error_on"]),
                "off": _cell(both["error_off"]),
                "change": (both["error_off"].abs() - both["error_on"].abs()).mean(),
            }
        )
    return rows


def print_table(rows: list[dict], *, per_leg: dict[str, pd.DataFrame] | None = None) -> None:
    print(
        "| option group off | clips | every option on: MAE, within 4°, largest, not measured | group off: same "
        "| mean change of the error's size (measured both) |"
    )
    print("|---|---|---|---|---|")
    for r in rows:
        change = "—" if pd.isna(r["change"]) else f"{r['change']:+.2f}°"
        print(f"| {r['group']} | {r['clips']} | {r['on']} | {r['off']} | {change} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--realistic",
        type=Path,
        default=_accuracy.kept_folder(frontal.SCRIPT + "_realistic"),
        help="the full realistic run's folder",
    )
    args = parser.parse_args(argv)
    full = design_legs(args.realistic)
    off = {
        group: design_legs(args.realistic.with_name(f"{args.realistic.name}_no{group}"))
        for group in _accuracy.REALISM_GROUPS
    }
    print_table(ablation_rows(full, off))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
