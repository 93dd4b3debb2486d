"""The whole-body mirror fix's chains on kept front and back clips: frames read front and back, the face's and
the feet's evidence, the decision, and whether it matches the true view (:mod:`movelab.kinematics.mirrors`).

Reads the landmark files ``scripts/accuracy/frontal_findings_accuracy.py`` keeps (no rendering, no pose model),
of the groups ``design``, ``lunge``, ``lunge_design`` and, as a check looked at before, ``held_out_4``. The
other held-out groups are never read. Clips kept before the face cue existed have no ``frontal_face``: add it
with ``python -m scripts.backfill_face_cue .cache/frontal_findings_accuracy --only NAME ...`` (the face column
then reads "-" and the rule falls back to the feet).

    python -m scripts.accuracy.mirror_chains [--cache .cache] [--groups design lunge ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from movelab import landmarks
from movelab.kinematics import KinematicsConfig, mirrors
from movelab.kinematics.inputs import scene_positions
from scripts.accuracy.frontal_findings_accuracy import CASES

GROUPS = ("design", "lunge", "lunge_design", "held_out_4")
_VIEW = {None: "-", True: "front", False: "back"}


def chain_rows(name: str, ds, config: KinematicsConfig = KinematicsConfig()) -> list[dict]:
    """One row per chain of square frames of one clip."""
    px = scene_positions(ds, "position_px", config)
    cosine, torso = mirrors.shoulder_cosine(px, config)
    with np.errstate(invalid="ignore"):
        square = (np.abs(cosine) >= config.frontal_mirror_min_width) & (
            np.sign(mirrors._hips_spread(px)) == np.sign(cosine)
        )
    says_front = cosine > 0
    feet = mirrors._feet_evidence(px, torso)
    face = ds["frontal_face"].values.astype(float) if "frontal_face" in ds else np.full(cosine.shape, np.nan)
    rows = []
    for i, chain in enumerate(mirrors._chains(ds["time"].values.astype(float), square, config.frontal_turn_min_s)):
        evidence = mirrors._Evidence(
            face=mirrors._face_view(face[chain], config.frontal_mirror_face_margin),
            feet=mirrors._feet_view(feet[chain], config.frontal_mirror_feet_margin),
        )
        looked = face[chain][np.isfinite(face[chain])]
        finite_feet = feet[chain][np.isfinite(feet[chain])]
        rows.append(
            dict(
                clip=name,
                chain=i,
                frames=len(chain),
                read_front=int(says_front[chain].sum()),
                face_share=float(np.mean(looked > 0.5)) if looked.size else np.nan,
                feet=float(np.median(finite_feet)) if finite_feet.size else np.nan,
                face_view=_VIEW[evidence.face],
                feet_view=_VIEW[evidence.feet],
                decision=_VIEW[mirrors._chain_reading(says_front[chain], evidence)],
            )
        )
    return rows


def table(cache: Path, groups=GROUPS) -> pd.DataFrame:
    rows = []
    for name, case in CASES.items():
        path = cache / "frontal_findings_accuracy" / f"{name}.nc"
        if case.group not in groups or case.view not in ("front", "back") or not path.exists():
            continue
        for row in chain_rows(name, landmarks.load(path)):
            rows.append(dict(group=case.group, view=case.view, **row))
    t = pd.DataFrame(rows)
    truth_front = t["view"] == "front"
    t["read_wrong"] = np.where(truth_front, t["frames"] - t["read_front"], t["read_front"])
    fixed_front = np.where(t["decision"] == "-", t["read_front"], np.where(t["decision"] == "front", t["frames"], 0))
    t["wrong_after"] = np.where(truth_front, t["frames"] - fixed_front, fixed_front)
    return t


def print_table(t: pd.DataFrame) -> None:
    print("### Whole-body mirror chains: frames read as the other view, as read and after the rule\n")
    print("Command: `python -m scripts.accuracy.mirror_chains`\n")
    print("| bodies | view | chains | frames | chains with both readings | face share (min-max) | read wrong | after |")
    print("|---|---|---|---|---|---|---|---|")
    for (group, view), part in t.groupby(["group", "view"], sort=False):
        mixed = ((part["read_front"] > 0) & (part["read_front"] < part["frames"])).sum()
        share = part["face_share"].dropna()
        shares = f"{share.min():.2f}-{share.max():.2f}" if len(share) else "-"
        print(
            f"| {group} | {view} | {len(part)} | {part['frames'].sum()} | {mixed} | {shares} "
            f"| {part['read_wrong'].sum()} | {part['wrong_after'].sum()} |"
        )
    print("\nChains with a frame read as the other view, or changed:\n")
    cols = ["clip", "chain", "frames", "read_front", "face_share", "feet", "face_view", "feet_view", "decision"]
    cols += ["read_wrong", "wrong_after"]
    changed = t[(t["read_wrong"] > 0) | (t["decision"] != "-")]
    print(changed[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(".cache"))
    parser.add_argument("--groups", nargs="+", default=list(GROUPS), choices=GROUPS)
    args = parser.parse_args(argv)
    print_table(table(args.cache, tuple(args.groups)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
