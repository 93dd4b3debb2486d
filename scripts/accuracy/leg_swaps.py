"""How often the pose model gives one leg the other's labels in kept side-view clips, and what it costs the hip.

Usage::

    python -m scripts.accuracy.leg_swaps .cache/lunge_timing_accuracy split_side_R fwd_side_L_deep
    python -m scripts.accuracy.leg_swaps .cache/angle_errors lunge_left_stout lunge_right_tall

Reads clips kept by another accuracy script (``<name>.nc`` beside ``<name>.truth.csv`` / ``.truth.json``, e.g.
``--work`` of ``angle_errors`` or the folder of ``lunge_timing_accuracy``). A frame's legs count as *swapped*
when the left and right knee and ankle landmarks lie nearer the other leg's projected joints than their own
(summed pixel distances of the two parts), among the frames where the figure's two knees and two ankles are at
least 0.3 torso lengths apart in all (the truth's median shoulder-hip distance; closer legs cannot be told
apart). Counted on the landmarks as given, after movelab's swap fix without the split-stance step
(``swap_stance=False``) and with it (the default), and the near leg's ``hip_flexion`` MAE (degrees) of each;
for the first also over the frames it leaves unswapped.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics.config import KinematicsConfig

PARTS = ("knee", "ankle")
#: the truth's knees and ankles closer than this in all (torso lengths) are not counted
MIN_APART_TORSO = 0.3


def _true_px(truth: pd.DataFrame, name: str) -> np.ndarray:
    return truth[[f"{name}_x_px", f"{name}_y_px"]].to_numpy()


def swapped_frames(ds, truth: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per frame of ``ds``: are its legs swapped, and can that be told (the true legs far enough apart)?"""
    true = truth.set_index("frame").loc[ds["frame"].values]
    px = ds["position_px"]
    kept, crossed, apart = 0.0, 0.0, 0.0
    for part in PARTS:
        left, right = px.sel(keypoint=f"left_{part}").values, px.sel(keypoint=f"right_{part}").values
        t_left, t_right = _true_px(true, f"left_{part}"), _true_px(true, f"right_{part}")
        kept = kept + np.linalg.norm(left - t_left, axis=1) + np.linalg.norm(right - t_right, axis=1)
        crossed = crossed + np.linalg.norm(left - t_right, axis=1) + np.linalg.norm(right - t_left, axis=1)
        apart = apart + np.linalg.norm(t_left - t_right, axis=1)
    shoulders = _true_px(true, "left_shoulder") + _true_px(true, "right_shoulder")
    trunk = 0.5 * (shoulders - _true_px(true, "left_hip") - _true_px(true, "right_hip"))
    torso = float(np.median(np.linalg.norm(trunk, axis=1)))
    told = apart >= MIN_APART_TORSO * torso
    return (crossed < kept) & told, told


def _runs(flags: np.ndarray) -> str:
    """``start+length`` of each run of True frames."""
    marks = np.concatenate([[0], flags.astype(int), [0]])
    starts, stops = np.flatnonzero(np.diff(marks) == 1), np.flatnonzero(np.diff(marks) == -1)
    return " ".join(f"{a}+{b - a}" for a, b in zip(starts, stops)) or "–"


def clip_row(path: Path) -> str:
    """One row of the table for the clip kept at ``path``."""
    from movelab import landmarks
    from movelab.kinematics import compute_angles, fix_leg_swaps

    truth = pd.read_csv(path.with_suffix(".truth.csv"))
    meta = json.loads(path.with_suffix(".truth.json").read_text())
    near = meta["near_side"]
    ds = landmarks.load(path)
    cells = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        given, told = swapped_frames(ds, truth)
        for config in (replace(KinematicsConfig(), swap_stance=False), KinematicsConfig()):
            left, _ = swapped_frames(fix_leg_swaps(ds, config=config), truth)
            angles = compute_angles(ds, config=config)
            true = truth.set_index("frame").loc[angles["frame"].to_numpy()]
            err = angles[f"hip_flexion_{near}"].to_numpy() - true[f"hip_flexion_{near}"].to_numpy()
            cells += [f"{left.sum()} ({_runs(left)})", f"{np.nanmean(np.abs(err)):.1f}"]
            if not config.swap_stance:
                cells[-1] += f" ({np.nanmean(np.abs(err[~left])):.1f})"
    lead = meta["parameters"].get("lead_side") or "–"
    return (
        f"| {path.stem} | {meta['view']}, {lead}, {near} | {ds.sizes['time']} | {told.sum()} | "
        f"{given.sum()} ({_runs(given)}) | " + " | ".join(cells) + " |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder of kept clips (landmarks and truth files)")
    parser.add_argument("clips", nargs="+", help="clip names (side views with a near leg)")
    args = parser.parse_args(argv)
    print(
        "| clip | view, lead leg, near leg | frames | legs apart | swapped as given (start+frames) | "
        "left by the fix without the stance step | hip (near) MAE (frames not swapped) | left by the fix | "
        "hip (near) MAE |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.clips:
        print(clip_row(args.folder / f"{name}.nc"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
