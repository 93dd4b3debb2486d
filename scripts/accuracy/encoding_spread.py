"""Rep timing errors over several encodings of the same rendered clips: how much is encoding noise.

Usage::

    python -m scripts.accuracy.encoding_spread squat_timing_accuracy --crf 20 26 30          # renders what is missing
    python -m scripts.accuracy.encoding_spread lunge_timing_accuracy --crf 20 26 30 --reuse  # the kept landmarks
    python -m scripts.accuracy.encoding_spread squat_timing_accuracy --crf 20 26 30 --reuse --only front60_d06

The renders are deterministic (docs/synth.md), so the clips of one script differ between encodings only by
the x264 quality ``crf``. Each encoding's clips, landmarks and truth are kept in ``.cache/<script>`` for crf
26 (the script's own run) and ``.cache/<script>_crf<N>`` otherwise; the shipped sample videos are taken as
they are in every column. Prints per clip and encoding the reps found (and, for lunges, the movement
recognised when it is not a lunge) against the reps expected (the true ones; none for the squats under
``rep_min_depth``, ``squat_timing_accuracy.UNCOUNTED``) and the worst start/bottom/end error in frames, then
the worst over the encodings and its range (largest minus smallest worst error), and a summary: clips whose
rep count is exact and clips within 2 frames in every encoding.
"""

from __future__ import annotations

import argparse
import importlib
import math

import numpy as np

from scripts.accuracy._common import CRF, kept_folder, kept_landmarks

SCRIPTS = ("squat_timing_accuracy", "lunge_timing_accuracy")


def expected(row: dict) -> int:
    """The reps the method should find: the true ones, or none for squats under ``rep_min_depth``."""
    return row.get("reps_expected", row["reps_true"])


def worst_frames(row: dict) -> float:
    """The largest absolute error of a clip's rep events; infinite when one was missed; 0 when no rep is
    expected."""
    if expected(row) == 0:
        return 0.0 if row["reps"] == 0 else math.inf
    values = np.array([v for _, v in row["errors"]], dtype=np.float64)
    return math.inf if not np.isfinite(values).all() else float(np.max(np.abs(values), initial=0.0))


def cell(row: dict) -> str:
    moved = f" {row['movement']}" if row.get("movement", "lunge") != "lunge" else ""
    worst = worst_frames(row)
    return f"{row['reps']}/{expected(row)}{moved} {'miss' if math.isinf(worst) else f'{worst:.1f}'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", choices=SCRIPTS)
    parser.add_argument("--crf", type=int, nargs="+", default=[20, CRF, 30], help="x264 qualities to compare")
    parser.add_argument("--reuse", action="store_true", help="evaluate the landmarks kept from the last runs")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these clips only")
    args = parser.parse_args(argv)
    module = importlib.import_module(f"scripts.accuracy.{args.script}")
    names = args.only or list(module.CASES)
    unknown = sorted(set(names) - set(module.CASES))
    if unknown:
        parser.error(f"unknown clip(s): {', '.join(unknown)}")
    rows = {}
    for crf in args.crf:
        out = kept_folder(args.script, crf)
        out.mkdir(parents=True, exist_ok=True)
        rows[crf] = {
            name: module.evaluate(name, kept_landmarks(name, out, args.reuse, module.render, crf=crf)) for name in names
        }
    print("| clip | " + " | ".join(f"crf {crf}: reps, worst" for crf in args.crf) + " | worst | range |")
    print("|---|" + "---|" * (len(args.crf) + 2))
    exact = within = 0
    for name in names:
        found = [rows[crf][name] for crf in args.crf]
        worst = [worst_frames(r) for r in found]
        # squat rows are segmented as squats; lunge rows say what was recognised
        counted = all(r["reps"] == expected(r) and r.get("movement", "lunge") == "lunge" for r in found)
        exact += counted
        within += counted and max(worst) <= 2.0
        spread = max(worst) - min(worst)
        print(
            f"| {name} | "
            + " | ".join(cell(r) for r in found)
            + f" | {'miss' if math.isinf(max(worst)) else f'{max(worst):.1f}'} | "
            f"{'–' if not math.isfinite(spread) else f'{spread:.1f}'} |"
        )
    print(
        f"\n{len(names)} clips, {len(args.crf)} encodings: rep count (and movement) right in every encoding "
        f"{exact}; that and every start/bottom/end within 2 frames in every encoding {within}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
