"""Heel rise read at the bottom of rendered side-view squats, by camera height, against the rendered truth.

Reads the landmarks other accuracy scripts keep (no rendering, no pose model): the population squats of
``lumbar_flexion_accuracy`` and ``outline_population`` (flat feet; cameras 0.7/1.0/1.3 m high at 5.5/3.5/4.5 m),
the side clips of ``fms_posture_accuracy`` (three subjects, cameras 0.88 m and, for ``heldout2cam``, 1.2 m;
the ``heels`` variant lifts the heels 15°) and the side squats of ``squat_timing_accuracy`` (clean and
``_realistic``: hand-held shake, loose clothes; flat feet). Per rep
it computes the heel rise as ``heel_lift`` and the FMS deep squat do (``movelab.findings.heel_rise_deg`` at
the rep's bottom, standing reference from ``movelab.findings.detect.context_of``), and, with
``--heel-only``, as before the ankle check (the heel's rise alone). Prints, per camera (still, or hand-held
with the realistic renders' shake, which the heel rise does not allow for: it needs a camera that does not
move) and camera height, the largest reading on flat feet and every reading of lifted heels, and the
readings' spread while the client stood still (``movelab.findings.foot.standing_spread_deg``: ``heel_lift``
and the FMS deep squat do not read the rise where it exceeds the 5° method error).

    nice python -m scripts.accuracy.heel_rise_accuracy [--heel-only]   # about 2 min
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.findings import FindingsConfig
from scripts import ROOT

#: The heel rise's method error: beyond it the standing spread stops a reading (``heel_lift``, FMS).
SPREAD_LIMIT_DEG = FindingsConfig().method_error.heel_rise.value

FOLDERS = (
    "lumbar_flexion_accuracy",
    "outline_population",
    "outline_population_design",
    "fms_posture_accuracy",
    "squat_timing_accuracy",
    "squat_timing_accuracy_realistic",
)


def kept_squats() -> list[Path]:
    """The kept side-view squat landmarks (``.nc`` beside a ``.truth.json``)."""
    roots = [ROOT / ".cache", Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache")]
    found: dict[str, Path] = {}
    for root in roots:
        for folder in FOLDERS:
            for path in sorted((root / folder).glob("*.nc")):
                meta = path.with_suffix(".truth.json")
                if not meta.is_file():
                    continue
                truth = json.loads(meta.read_text())
                if truth.get("motion") == "squat" and str(truth.get("view", "")).startswith("side"):
                    found.setdefault(f"{folder}/{path.stem}", path)
    return list(found.values())


def _heel_only(position, standing):
    """The heel's rise alone, both feet's minimum (``heel_rise_deg`` before the ankle check)."""
    from movelab.kinematics.geometry import heel_rise_pitch_deg, point

    rises = []
    for side in ("left", "right"):
        heel, toe = point(position, f"{side}_heel"), point(position, f"{side}_foot_index")
        length = np.nanmedian(np.hypot(*(toe[standing] - heel[standing]).T))
        rises.append(heel_rise_pitch_deg(np.nanmedian(heel[standing, 1]), heel[:, 1], length))
    return np.nanmin(np.stack(rises), axis=0)


def readings(path: Path, *, heel_only: bool) -> list[dict]:
    """One row per rep: camera height, true heel lift, reading at the bottom."""
    from movelab import landmarks
    from movelab.events import segment
    from movelab.findings import heel_rise_deg
    from movelab.findings.detect import context_of
    from movelab.findings.foot import standing_spread_deg
    from movelab.kinematics import compute_motion

    meta = json.loads(path.with_suffix(".truth.json").read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(path))
        ctx = context_of(motion, segment(motion, movement="squat"))
        standing = ctx.standing_mask()
        if not standing.any():
            return []
        rise = (_heel_only if heel_only else heel_rise_deg)(ctx.positions, standing)
        spread = standing_spread_deg(rise, standing)
    lift = float(meta["parameters"].get("heel_lift_deg") or 0.0)
    return [
        {
            "clip": f"{path.parent.name}/{path.stem}",
            "camera": "hand-held (realistic)" if path.parent.name.endswith("_realistic") else "still",
            "camera_height_m": round(float(meta["camera"]["position_m"][1]), 2),
            "true_lift_deg": lift,
            "read_deg": float(ctx.at(rise, rep["bottom_s"])),
            "standing_spread_deg": spread,
        }
        for _, rep in ctx.reps.iterrows()
    ]


def table(rows: pd.DataFrame) -> str:
    head = (
        "| camera | height m | flat-foot reps | largest on flat feet ° | lifted reps: true → read ° "
        f"| standing spread °, largest | reps not read (spread > {SPREAD_LIMIT_DEG:g}°) "
        "| largest on flat feet, read ° |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for (camera, height), g in rows.groupby(["camera", "camera_height_m"]):
        flat, lifted = g[g["true_lift_deg"] == 0], g[g["true_lift_deg"] > 0]
        lifts = ", ".join(f"{t:g} → {r:.1f}" for t, r in zip(lifted["true_lift_deg"], lifted["read_deg"])) or "–"
        largest = f"{flat['read_deg'].max():.1f}" if len(flat) else "–"
        spread = g["standing_spread_deg"]
        read = flat[~(flat["standing_spread_deg"] > SPREAD_LIMIT_DEG)]["read_deg"]
        lines.append(
            f"| {camera} | {height:g} | {len(flat)} | {largest} | {lifts} | {spread.max():.1f} "
            f"| {int((spread > SPREAD_LIMIT_DEG).sum())} of {len(g)} | {f'{read.max():.1f}' if len(read) else '–'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heel-only", action="store_true", help="the heel's rise alone (before the ankle check)")
    args = parser.parse_args(argv)
    rows = pd.DataFrame([r for path in kept_squats() for r in readings(path, heel_only=args.heel_only)])
    if rows.empty:
        print("no kept side-view squats found: run the accuracy scripts named in the docstring first")
        return 1
    print(table(rows))
    worst = rows[(rows["true_lift_deg"] == 0) & (rows["camera"] == "still")].nlargest(3, "read_deg")
    largest = ", ".join(f"{c} {r:.1f}" for c, r in zip(worst["clip"], worst["read_deg"]))
    print(f"\nlargest flat-foot readings, still camera: {largest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
