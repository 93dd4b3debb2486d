"""How often the mirror pass's frontal gate passes on kept design landmarks (``mirror_min_shoulder_share``).

Reads landmark files already kept by other accuracy scripts (no rendering, no pose model) and, for each
candidate share, prints the fraction of detected frames whose shoulders' horizontal distance is at least that
share of the torso length (:func:`movelab.pose.mirror.looks_frontal`), for side views (which should skip the
mirror model) and for front and back views (which should run it). Design clips only: the frontal script's
held-out bodies (C, D, G, L, M, N, Q) and the event script's held-out walks are not read.

    python -m scripts.accuracy.mirror_gate_share [--cache /work/main/.cache]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xarray as xr

from movelab.pose.mirror import shoulder_share

SHARES = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)

#: Side views: the frontal script's cut squats, the angle script's side clips, the event script's design walks.
SIDE = {
    "frontal_findings_accuracy": [f"squat_side_{s}_cut{c}" for s in ("right", "left") for c in (0, 10, 20, 30)],
    "angle_errors": [
        "gait_left_tall",
        "gait_right_short",
        "gait_treadmill_stout",
        "lunge_left_stout",
        "lunge_right_tall",
        "squat_left_short",
        "squat_right_small",
        "squat_right_tall",
    ],
    "event_accuracy": ["over_090_right", "over_105_left", "tread_105_left", "tread_120_right", "sample_gait_side"],
}


def _frontal_names() -> list[str]:
    from scripts.accuracy.frontal_findings_accuracy import _cases

    return [k for k, v in _cases().items() if v.group in ("design", "lunge_design")]


def _shares(path: Path) -> np.ndarray:
    with xr.open_dataset(path) as ds:
        px = ds["position_px"].values[ds["detected"].values.astype(bool)]
    return np.array([shoulder_share(frame) for frame in px])


def _row(label: str, shares: np.ndarray, n_clips: int) -> str:
    cells = " | ".join(f"{np.mean(shares >= s):.3f}" for s in SHARES)
    return f"| {label} | {n_clips} | {len(shares)} | {cells} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".cache"))
    args = parser.parse_args(argv)
    groups = {
        "side (skip)": [args.cache / folder / f"{name}.nc" for folder, names in SIDE.items() for name in names],
        "front/back (run)": [args.cache / "frontal_findings_accuracy" / f"{n}.nc" for n in _frontal_names()],
        "oblique 70° (angle_errors)": [args.cache / "angle_errors" / "squat_oblique70.nc"],
    }
    print("| views | clips | frames | " + " | ".join(f"≥ {s}" for s in SHARES) + " |")
    print("|---|---|---|" + "---|" * len(SHARES))
    for label, paths in groups.items():
        found = [p for p in paths if p.is_file()]
        missing = [p.stem for p in paths if not p.is_file()]
        if missing:
            print(f"(missing {len(missing)}: {' '.join(missing)})")
        print(_row(label, np.concatenate([_shares(p) for p in found]), len(found)))


if __name__ == "__main__":
    main()
