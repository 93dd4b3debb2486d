"""Lumbar lordosis lost at the bottom of a squat ("butt wink"), read from the outline against the rendered truth.

Squats of the body population (``movelab.synth.population``) whose lumbar curve stays (0°) or flattens by 8
or 16° at the bottom, side view, one rep each (95° deep, 28° trunk lean). The design bodies set the squat's
method error of ``lumbar_flexion_at_depth`` (``MethodError.lumbar_loss_squat``); the held-out bodies and the
kept squats of ``squat_timing_accuracy`` (constant lordosis but ``squat_side``) and ``frontal_findings_accuracy``
(the two full-picture side squats) check it. Per rep: the lordosis lost from the descent to the bottom, read and
true, computed as the finding computes it (``movelab.findings.detect.descent_loss``), and whether the finding
is raised.

    nice python -m scripts.accuracy.lumbar_flexion_accuracy [--reuse] [--out FOLDER]

The clips are kept under ``.cache/lumbar_flexion_accuracy`` (``--out`` chooses another folder).
"""

from __future__ import annotations

import argparse
import dataclasses
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.synth import Squat
from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES
from scripts import ROOT
from scripts.accuracy import outline_population as pop

LOSSES_DEG = (0.0, 8.0, 16.0)
OUT = ROOT / ".cache" / "lumbar_flexion_accuracy"
#: Kept squats of other scripts whose truth is known (checks only).
KEPT = [
    ROOT / ".cache" / "squat_timing_accuracy" / f"{n}.nc"
    for n in (
        "s_side105_d12p",
        "s_side120_d10p",
        "s_side50_d07",
        "s_side60_d08",
        "s_side65_d06",
        "s_side70_d12",
        "s_side75_d09",
        "s_side80_d15",
        "s_side85_d18",
        "s_side90_d20",
        "side100_d10",
        "h_side45_d10",
        "h_side55_d10",
    )
] + [ROOT / ".cache" / "frontal_findings_accuracy" / f"squat_side_{s}_cut0.nc" for s in ("right", "left")]


def clips(bodies, group: str) -> list[tuple[str, pop.Clip]]:
    """One squat per body and lordosis loss, filmed like the body's population squat."""
    out = []
    for i, pb in enumerate(bodies):
        base = pop.clips_of(i, pb)[1]  # the sway clip's camera, view and appearance
        for loss in LOSSES_DEG:
            motion = Squat(
                depth_deg=95.0, trunk_lean_deg=28.0, lumbar_flexion_deg=loss, reps=1, lead_in_s=0.6, pause_top_s=0.4
            )
            clip = dataclasses.replace(base, name=f"{pb.name}_squat_l{loss:.0f}", kind="squat", motion=motion)
            out.append((group, clip))
    return out


def evaluate(nc: Path, group: str, *, before: bool = False) -> list[dict]:
    """Per rep of one kept clip: read and true loss, as ``lumbar_flexion_at_depth`` computes them, and
    whether the finding is raised."""
    from movelab import landmarks
    from movelab.events import segment
    from movelab.findings import FindingsConfig, detect_findings
    from movelab.findings.config import MethodError
    from movelab.findings.detect import context_of, descent_loss
    from movelab.kinematics import compute_motion

    motion = compute_motion(landmarks.load(nc))
    seg = segment(motion)
    errors = MethodError()
    if before:  # the lordosis's standing error, used for squats before this script
        errors = dataclasses.replace(errors, lumbar_loss_squat=errors.lumbar_lordosis)
    config = FindingsConfig(method_error=errors)
    raised = any(
        f.code == "lumbar_flexion_at_depth" and f.severity != "info"
        for f in detect_findings(motion, seg, config=config)
    )
    ctx = context_of(motion, seg, config=config)
    truth = pd.read_csv(nc.with_suffix(".truth.csv"))
    true = np.interp(ctx.time, truth["time_s"].to_numpy(), truth["lumbar_lordosis"].to_numpy())
    read = ctx.column("lumbar_lordosis")
    return [
        {
            "group": group,
            "clip": nc.stem,
            "read": descent_loss(ctx, read, rep),
            "true": descent_loss(ctx, true, rep),
            "raised": raised,
        }
        for _, rep in ctx.reps.iterrows()
    ]


def markdown(table: pd.DataFrame) -> str:
    """A markdown table, numbers to 0.1."""
    cell = lambda v: f"{v:.1f}" if isinstance(v, float) else str(v)  # noqa: E731
    rows = [" | ".join(map(str, table.columns)), "|".join("---" for _ in table.columns)]
    rows += [" | ".join(cell(v) for v in r) for r in table.itertuples(index=False)]
    return "\n".join(f"| {r} |" for r in rows)


def _keep(clip: pop.Clip, out: Path = OUT) -> None:
    if not (out / f"{clip.name}.nc").is_file():
        pop.keep(clip, out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="evaluate the kept landmarks only")
    parser.add_argument("--jobs", type=int, default=2, help="clips rendered and extracted at once")
    parser.add_argument("--before", action="store_true", help="the squat's method error as before (5 deg)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the clips are kept ({OUT})")
    parser.add_argument("--design-only", action="store_true", help="the design bodies only (choosing the error)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rendered = clips(DESIGN_BODIES, "design") + ([] if args.design_only else clips(HELD_OUT_BODIES, "held_out"))
    if not args.reuse:
        with ProcessPoolExecutor(args.jobs) as pool:
            list(pool.map(_keep, [c for _, c in rendered], [args.out] * len(rendered)))
    rows = []
    for group, clip in rendered:
        rows += evaluate(args.out / f"{clip.name}.nc", group, before=args.before)
    for nc in [] if args.design_only else KEPT:
        rows += evaluate(nc, "kept squats", before=args.before)
    table = pd.DataFrame(rows)
    table["error"] = table["read"] - table["true"]
    print(markdown(table))
    key = ["group", table["true"].round(0).rename("true loss")]
    summary = table.groupby(key).agg(
        reps=("error", "size"),
        error_mean=("error", "mean"),
        error_min=("error", "min"),
        error_max=("error", "max"),
        clips=("clip", "nunique"),
    )
    summary["clips raised"] = table.drop_duplicates("clip").groupby(key)["raised"].sum()
    print()
    print(markdown(summary.reset_index()))


if __name__ == "__main__":
    main()
