"""The clean and the realistic runs of ``frontal_findings_accuracy`` side by side, on the clips both evaluated.

Reads the CSV files each run writes into its folder (``fppa_errors.csv``, ``findings.csv``, ``pelvic_drop.csv``,
``attribution.csv``) and prints the markdown table *Realistic against clean, in short* of
docs/findings-accuracy.md. Evaluates nothing itself: run both scripts first (``--reuse`` reads their kept
landmarks); the clean run needs only the clips the realistic one renders (``--clips`` names them).

    .venv/bin/python -m scripts.accuracy.frontal_findings_accuracy --realistic --reuse > /dev/null
    .venv/bin/python -m scripts.accuracy.frontal_findings_accuracy --reuse \\
        --only $(.venv/bin/python -m scripts.accuracy.frontal_realistic_summary --clips) > /dev/null
    .venv/bin/python -m scripts.accuracy.frontal_realistic_summary
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from scripts.accuracy import _common as _accuracy
from scripts.accuracy import frontal_findings_accuracy as frontal

#: The FPPA columns of ``fppa_errors.csv`` per joint centre method, in the order of the table's rows.
FPPA_METHODS = (("outline", "error"), (frontal.BEFORE, "before_error"), ("landmarks", "landmark_error"))
#: The columns of ``findings.csv`` that hold text, empty where there is none (``; ``-separated lists).
FINDINGS_TEXT = ("raised", "notes", "feet_notes")
#: A true pelvic drop below this (deg) counts as a level pelvis (the renders set 0 or 10).
LEVEL_DEG = 0.5


def load_run(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables a run of ``frontal_findings_accuracy`` wrote into ``folder``, by the keys of
    :data:`frontal.CSV_FILES`."""
    missing = [name for name in frontal.CSV_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder} lacks {', '.join(missing)}: run scripts.accuracy.frontal_findings_accuracy with --out "
            f"{folder} (and --reuse) first"
        )
    run = {
        key: pd.read_csv(folder / name) if (folder / name).stat().st_size else pd.DataFrame(columns=["clip"])
        for key, name in frontal.CSV_FILES.items()
    }
    text = list(FINDINGS_TEXT)
    run["findings"][text] = run["findings"][text].astype(object).fillna("")
    return run


def in_both(clean: dict[str, pd.DataFrame], realistic: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    """Both runs' tables restricted to the clips both evaluated (``findings.csv`` names every clip)."""
    clips = set(clean["findings"]["clip"]) & set(realistic["findings"]["clip"])

    def restrict(run: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        return {key: table[table["clip"].isin(clips)].reset_index(drop=True) for key, table in run.items()}

    return restrict(clean), restrict(realistic)


def _bodies(table: pd.DataFrame) -> str:
    return ", ".join(sorted(table["body"].astype(str).unique()))


def _fppa_cell(legs: pd.DataFrame, column: str) -> str:
    """MAE, legs within 4°, largest error, legs not measured (by stance when some are)."""
    error = legs[column].abs()
    missing = legs[legs[column].isna()]
    stances = ", ".join(f"{s} {n}" for s, n in missing.groupby("stance").size().items())
    return f"{error.mean():.2f}°, {int((error <= 4).sum())} of {len(legs)}, {error.max():.1f}°, {len(missing)}" + (
        f" ({stances})" if stances else ""
    )


def _knee_alone_cell(legs: pd.DataFrame) -> str:
    """Mean size of the FPPA change with the knee joint centre alone from the method, left / right leg:
    landmarks; outline."""

    def mean_size(method: str, side: str) -> str:
        return f"{legs.loc[legs['side'] == side, f'{method}_knee_deg'].abs().mean():.1f}°"

    return "; ".join(f"{mean_size(m, 'left')} / {mean_size(m, 'right')}" for m in ("landmarks", "outline"))


def _valgus_cell(legs: pd.DataFrame) -> str:
    return (
        f"{int(legs['raised'].sum())} of {len(legs)}, {int(legs['read'].isna().sum())} not measured "
        f"({frontal.BEFORE} {int(legs['raised_before'].sum())})"
    )


def _level_squats(findings: pd.DataFrame) -> pd.DataFrame:
    frontal_squats = findings[(findings["movement"] == "squat") & findings["view"].isin(["front", "back"])]
    return frontal_squats[frontal_squats["true_pelvic_drop_deg"] < LEVEL_DEG]


def _raised(findings: pd.DataFrame, code: str) -> pd.Series:
    """Per clip: whether ``code`` was raised."""
    return findings["raised"].str.split("; ").map(lambda fs: any(f.split(" ")[0] == code for f in fs))


def _noted(findings: pd.DataFrame, code: str) -> pd.Series:
    return findings["notes"].str.split("; ").map(lambda codes: code in codes)


def _hanging_lunges(findings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    lunges = findings[(findings["movement"] == "lunge") & (findings["arms"] == "hanging")]
    level = lunges["true_pelvic_drop_deg"] < LEVEL_DEG
    return lunges[level], lunges[~level]


def _pelvic_drop_cell(findings: pd.DataFrame) -> str:
    squats = _level_squats(findings)
    level, dropped = _hanging_lunges(findings)
    lunges = pd.concat([level, dropped])
    counts = " / ".join(str(int(_raised(t, "pelvic_drop").sum())) for t in (squats, level, dropped))
    false = squats[_raised(squats, "pelvic_drop")]
    named = "".join(
        f"; {r['clip']}: " + ", ".join(f for f in r["raised"].split("; ") if f.startswith("pelvic_drop "))
        for _, r in false.iterrows()
    )
    return f"{counts} (a note on {int(_noted(lunges, 'pelvic_drop').sum())} of {len(lunges)} lunges{named})"


def _range(values: pd.Series) -> str:
    return f"{values.min():.1f}–{values.max():.1f}°" if values.notna().any() else "—"


def _hands_cell(drops: pd.DataFrame) -> str:
    """``pelvic_drop`` raised on the level / dropped hands-on-hips lunges (the values), and the hands' line's
    change at depth."""
    hips = drops[drops["arms"] == "hips"]
    level, dropped = hips[hips["true"].abs() < LEVEL_DEG], hips[hips["true"].abs() >= LEVEL_DEG]

    def raised(rows: pd.DataFrame) -> pd.DataFrame:
        return rows[rows["raised"].str.match(r"(left|right) ")]

    values = raised(dropped)["raised"].str.split(" ").str[1].astype(float)
    return (
        f"{len(raised(level))} / {len(raised(dropped))} ({_range(values)}); level within "
        f"{level['hands'].abs().max():.1f}°, drops {_range(dropped['hands'].abs())}"
    )


def _side_raised_cell(findings: pd.DataFrame) -> str:
    """Per facing (right first): the findings raised, ``code value`` each (a side view's have no side)."""
    whole = findings[findings["view"].str.startswith("side") & (findings["cut"] == 0)]
    return "; ".join(
        f"facing {r['view'].removeprefix('side_')}: "
        + (", ".join(" ".join(f.split()) for f in r["raised"].split("; ")) if r["raised"] else "—")
        for _, r in whole.sort_values("view", ascending=False).iterrows()
    )


def _cut_sides(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["view"].str.startswith("side") & (findings["cut"] > 0)]


def _cut_cell(findings: pd.DataFrame) -> str:
    cut = _cut_sides(findings)
    return f"{int(cut['feet_notes'].ne('').sum())} of {len(cut)}"


def _obliquity_cell(findings: pd.DataFrame) -> str:
    squats = _level_squats(findings)
    low, high = squats["obliquity_min_deg"].min(), squats["obliquity_max_deg"].max()
    return f"{low:.1f} … {high:.1f}°"


def _standing_cell(findings: pd.DataFrame) -> str:
    frames = findings.loc[findings["view"].isin(["front", "back"]), "standing_frames"]
    none = int(frames.isna().sum())
    return f"{frames.min():.0f}–{frames.max():.0f} frames, mean {frames.mean():.1f}" + (
        f", none on {none}" if none else ""
    )


Row = tuple[str, Callable[[dict[str, pd.DataFrame]], str]]


def _fppa_rows(run: dict[str, pd.DataFrame]) -> list[Row]:
    """Per group of bodies: the FPPA's error per joint centre method, then the knee joint centre alone."""
    fppa, rows = run["fppa"], []
    for group, legs in fppa.groupby("group"):
        for method, column in FPPA_METHODS:
            rows.append(
                (
                    f"{group} bodies {_bodies(legs)}, FPPA at depth ({method}): MAE, legs within 4°, largest, "
                    "not measured",
                    lambda r, g=group, c=column: _fppa_cell(r["fppa"][r["fppa"]["group"] == g], c),
                )
            )
    for group, legs in run["attribution"].groupby("group"):
        per_leg = int(((legs["view"] == "front") & (legs["side"] == "left")).sum())
        rows.append(
            (
                f"{group} bodies {_bodies(fppa[fppa['group'] == group])}, front view: the knee joint centre alone "
                f"(others projected truth), mean size of the FPPA change, left / right leg ({per_leg} "
                "each): landmarks; outline",
                lambda r, g=group: _knee_alone_cell(
                    r["attribution"][(r["attribution"]["group"] == g) & (r["attribution"]["view"] == "front")]
                ),
            )
        )
    return rows


def _valgus_rows(run: dict[str, pd.DataFrame]) -> list[Row]:
    """``knee_valgus`` raised per band of the true FPPA (:func:`frontal.valgus_bands`), every body together."""
    fppa = run["fppa"]
    return [
        (
            f"`knee_valgus` raised (outline), true FPPA {band}, bodies {_bodies(fppa)}",
            lambda r, i=index: _valgus_cell(frontal.valgus_bands(r["fppa"])[i][1]),
        )
        for index, (band, _) in enumerate(frontal.valgus_bands(fppa))
    ]


def _clip_rows(run: dict[str, pd.DataFrame]) -> list[Row]:
    """The pelvis, the standing reference and the side squats, per clip."""
    findings = run["findings"]
    level, dropped = _hanging_lunges(findings)
    squats = len(_level_squats(findings))
    hips = int((run["pelvic_drop"]["arms"] == "hips").sum())
    frontal_clips = int(findings["view"].isin(["front", "back"]).sum())
    return [
        (
            f"pelvic obliquity read on the {squats} level-pelvis front and back squats",
            lambda r: _obliquity_cell(r["findings"]),
        ),
        (
            f"`pelvic_drop` raised: level-pelvis squats ({squats}) / hanging-arm lunges, level ({len(level)}) / "
            f"dropped ({len(dropped)})",
            lambda r: _pelvic_drop_cell(r["findings"]),
        ),
        (
            f"`pelvic_drop` raised, hands on the hips: level lunges / dropped lunges ({hips}); the hands' line at "
            "depth",
            lambda r: _hands_cell(r["pelvic_drop"]),
        ),
        (
            f"standing reference ({frontal_clips} front and back clips): range, mean",
            lambda r: _standing_cell(r["findings"]),
        ),
        ("side squats, picture whole: raised", lambda r: _side_raised_cell(r["findings"])),
        (
            f"side squats, 10–30 % cut off ({len(_cut_sides(findings))}): feet-dependent findings not assessed, "
            "with a note",
            lambda r: _cut_cell(r["findings"]),
        ),
    ]


def summary_rows(run: dict[str, pd.DataFrame]) -> list[Row]:
    """The table's rows as ``(figure, cell of a run)``, their labels counted on ``run`` (either run: both hold
    the same clips)."""
    return _fppa_rows(run) + _valgus_rows(run) + _clip_rows(run)


def print_summary(clean: dict[str, pd.DataFrame], realistic: dict[str, pd.DataFrame]) -> None:
    """The table, on the clips both runs evaluated."""
    clean, realistic = in_both(clean, realistic)
    findings = clean["findings"]
    groups = ", ".join(f"{group} {n}" for group, n in findings.groupby("group").size().items())
    print(f"Clips in both runs: {len(findings)} (bodies {_bodies(findings)}; groups {groups}).\n")
    print("| figure | clean | realistic |")
    print("|---|---|---|")
    for figure, cell in summary_rows(clean):
        print(f"| {figure} | {cell(clean)} | {cell(realistic)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clean", type=Path, default=_accuracy.kept_folder(frontal.SCRIPT), help="the clean run's folder"
    )
    parser.add_argument(
        "--realistic",
        type=Path,
        default=_accuracy.kept_folder(frontal.SCRIPT + "_realistic"),
        help="the realistic run's folder",
    )
    parser.add_argument(
        "--clips",
        action="store_true",
        help="print the names of the clips --realistic evaluates (for the clean run's --only) and stop",
    )
    args = parser.parse_args(argv)
    if args.clips:
        print(" ".join(frontal.realistic_names(list(frontal.CASES))))
        return 0
    print_summary(load_run(args.clean), load_run(args.realistic))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
