"""How often the pose model gives one leg the other's labels in kept side-view clips, and what it costs the hip.

Usage::

    python -m scripts.accuracy.leg_swaps .cache/lunge_timing_accuracy split_side_R fwd_side_L_deep
    python -m scripts.accuracy.leg_swaps .cache/angle_errors lunge_left_stout lunge_right_tall
    python -m scripts.accuracy.leg_swaps .cache/angle_errors lunge_left_stout --set swap_stance_margin=0.1

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


def _near_errors(ds, truth: pd.DataFrame, near: str, config: KinematicsConfig) -> dict[str, np.ndarray]:
    """The near leg's hip and knee flexion errors (degrees, per frame of ``ds``) with ``config``."""
    from movelab.kinematics import compute_angles

    angles = compute_angles(ds, config=config)
    true = truth.set_index("frame").loc[angles["frame"].to_numpy()]
    return {
        joint: angles[f"{joint}_flexion_{near}"].to_numpy() - true[f"{joint}_flexion_{near}"].to_numpy()
        for joint in ("hip", "knee")
    }


def _mae(err: np.ndarray) -> str:
    return f"{np.nanmean(np.abs(err)):.1f}"


def clip_row(path: Path, config: KinematicsConfig) -> tuple[str, list[dict[str, np.ndarray]]]:
    """One row of the table for the clip kept at ``path`` (``config``: the fix with the stance step), and the
    near leg's errors without and with the stance step."""
    from movelab import landmarks
    from movelab.kinematics import fix_leg_swaps

    truth = pd.read_csv(path.with_suffix(".truth.csv"))
    meta = json.loads(path.with_suffix(".truth.json").read_text())
    near = meta["near_side"]
    ds = landmarks.load(path)
    cells, errors = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        given, told = swapped_frames(ds, truth)
        for variant in (replace(config, swap_stance=False), config):
            left, _ = swapped_frames(fix_leg_swaps(ds, config=variant), truth)
            errors.append(_near_errors(ds, truth, near, variant))
            cells += [f"{left.sum()} ({_runs(left)})", _mae(errors[-1]["hip"]), _mae(errors[-1]["knee"])]
            if not variant.swap_stance:
                cells[-2] += f" ({_mae(errors[-1]['hip'][~left])})"
    lead = meta["parameters"].get("lead_side") or "–"
    row = (
        f"| {path.stem} | {meta['view']}, {lead}, {near} | {ds.sizes['time']} | {told.sum()} | "
        f"{given.sum()} ({_runs(given)}) | " + " | ".join(cells) + " |"
    )
    return row, errors


def _setting(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    return name, float(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder of kept clips (landmarks and truth files)")
    parser.add_argument("clips", nargs="+", help="clip names (side views with a near leg)")
    parser.add_argument(
        "--set",
        nargs="+",
        type=_setting,
        default=[],
        metavar="NAME=VALUE",
        help="KinematicsConfig settings (numbers) of the fix with the stance step, e.g. swap_stance_margin=0.1",
    )
    args = parser.parse_args(argv)
    config = replace(KinematicsConfig(), **dict(args.set))
    print(
        "| clip | view, lead leg, near leg | frames | legs apart | swapped as given (start+frames) | "
        "left by the fix without the stance step | hip (near) MAE (frames not swapped) | knee (near) MAE | "
        "left by the fix | hip (near) MAE | knee (near) MAE |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    pooled: list[list[dict[str, np.ndarray]]] = [[], []]
    for name in args.clips:
        row, errors = clip_row(args.folder / f"{name}.nc", config)
        print(row)
        for k in (0, 1):
            pooled[k].append(errors[k])
    cells = [_mae(np.concatenate([e[joint] for e in pooled[k]])) for k in (0, 1) for joint in ("hip", "knee")]
    print(f"| **pooled** | | | | | | {cells[0]} | {cells[1]} | | {cells[2]} | {cells[3]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
