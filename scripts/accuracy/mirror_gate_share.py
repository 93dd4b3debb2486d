"""How often the mirror pass's frontal gate passes on kept design landmarks (``mirror_min_shoulder_share``).

Reads landmark files already kept by other accuracy scripts (no rendering, no pose model) and, for each
candidate share, prints the fraction of detected frames whose shoulders' horizontal distance is at least that
share of the torso length (:func:`movelab.pose.mirror.looks_frontal`), for side views (which should skip the
mirror model) and for front and back views (which should run it). Design clips only: the frontal script's
held-out bodies (C, D, G, L, M, N, Q) and the event script's held-out walks are not read.

    python -m scripts.accuracy.mirror_gate_share [--cache /work/main/.cache]

``--effect NAME ...`` (design back views of ``frontal_findings_accuracy`` only, kept in ``.cache``) extracts
the clips again with ``mirror_hips="all"`` and ``"frontal"`` (into ``.cache/mirror_gate_share/<mode>``, kept
with ``--reuse``) and prints, per clip, the frames the gate left out, the hips' obliquity change from standing
to depth and the ``pelvic_drop`` raised under each mode.
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


def _extracted(name: str, mode: str, *, reuse: bool) -> xr.Dataset:
    from movelab import landmarks
    from movelab.extraction import extract
    from movelab.pose.config import ExtractConfig
    from scripts.accuracy.frontal_hips_mirrored import SRC

    path = Path(".cache") / "mirror_gate_share" / mode / f"{name}.nc"
    if not (reuse and path.is_file()):
        path.parent.mkdir(parents=True, exist_ok=True)
        ds = extract(SRC / f"{name}.mp4", config=ExtractConfig(mirror_hips=mode), use_cache=False)
        landmarks.save(ds, path)
    return landmarks.load(path)


def _effect_row(name: str, *, reuse: bool) -> str:
    """One design clip's gated-out frames, obliquity change and ``pelvic_drop`` under "all" and "frontal"."""
    from movelab.findings.detect import context_of
    from scripts.accuracy.frontal_findings_accuracy import evaluate
    from scripts.accuracy.frontal_hips_mirrored import SRC, obliquity_deg, pelvic_drop_text

    result = evaluate(name, SRC)
    standing = context_of(result["motion"], result["segmentation"]).standing_mask()
    time_s = result["motion"].time_s
    depth = np.zeros(time_s.size, dtype=bool)
    for bottom in result["segmentation"].reps["bottom_s"]:
        depth |= np.abs(time_s - bottom) <= 0.1 + 1e-9
    cells = []
    for mode in ("all", "frontal"):
        ds = _extracted(name, mode, reuse=reuse)
        px = ds["position_px"].sel(keypoint=["left_hip", "right_hip"]).values
        oblique = obliquity_deg(px[:, 0], px[:, 1])
        change = float(np.nanmedian(oblique[depth]) - np.nanmedian(oblique[standing]))
        cells += [f"{int(ds.attrs['mirror_frames'])}/{int(ds['detected'].sum())}", f"{change:+.1f}"]
        cells.append(pelvic_drop_text(ds, result))
    return f"| {name} | " + " | ".join(cells) + " |"


def _print_effect(names: list[str], *, reuse: bool) -> int:
    import sys
    import warnings

    from scripts.accuracy.frontal_findings_accuracy import CASES

    refused = [n for n in names if n not in CASES or CASES[n].group not in ("design", "lunge_design")]
    if refused:
        print(f"not a design clip of frontal_findings_accuracy: {refused}", file=sys.stderr)
        return 2
    print(
        "| clip | all: mirrored frames | all: change ° | all: pelvic_drop | frontal: mirrored frames | "
        "frontal: change ° | frontal: pelvic_drop |"
    )
    print("|---|---|---|---|---|---|---|")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for name in names:
            print(_effect_row(name, reuse=reuse))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".cache"))
    parser.add_argument("--effect", nargs="+", metavar="NAME", help="design clips to extract under both modes")
    parser.add_argument("--reuse", action="store_true", help="with --effect: the landmarks kept by a run before")
    args = parser.parse_args(argv)
    if args.effect:
        return _print_effect(args.effect, reuse=args.reuse)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
