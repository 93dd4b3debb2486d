"""The hip landmarks' pelvic obliquity of front- and back-view clips against their mirror images (issue 18).

On the design back-view squats of body A the hip landmarks' line read a level pelvis 2.5-4.8° oblique in
standing (the right hip, on the image's right, lower) and level at depth, so the standing reference put a
one-sided "drop" of the same size into every rep. This script asks whether that follows the body (the render)
or the picture (the pose model): it flips every frame of a kept clip of
``scripts.accuracy.frontal_findings_accuracy`` left to right (losslessly, as
:mod:`scripts.accuracy.outline_population_mirrored` does; the renderer's light flips with the picture),
extracts the landmarks without the mirror pass and keeps them in ``.cache/frontal_hips_mirrored``. It also
extracts the clip as filmed without the mirror pass (``mirror_hips="off"``, into
``.cache/frontal_hips_mirrored/filmed``: the frontal script's own landmarks have the pass since it became the
default) and with the pipeline's fix, ``ExtractConfig(mirror_hips="all")`` (:mod:`movelab.pose.mirror`), into
``.cache/frontal_hips_mirrored/mirror_hips``.

Per clip it prints the hip landmarks' obliquity (left side higher positive, raw landmarks, no cleaning) in the
standing frames the findings use as the reference (:meth:`Context.standing_mask`) and at the true bottoms
(± 0.1 s), and its change (depth minus standing): as filmed, in the mirror image (its sign turned back to the
filmed body's left), from hip heights averaged over the two pictures (each hip's height as filmed and as
its mirror twin's), and as ``mirror_hips`` extracts them (the same average, frame by frame in one pass), then
``pelvic_drop`` as the findings raise it from the landmarks as filmed, with the averaged hips and with
``mirror_hips``. It also prints how many pixels the hip on the image's right sits below the one on the
image's left in the standing frames, as filmed and mirrored: a bias that keeps its image side in both pictures
is the pose model's; one that keeps its body side is in the render.

Usage::

    nice .venv/bin/python -m scripts.accuracy.frontal_hips_mirrored              # design back views (~20 s a clip)
    .venv/bin/python -m scripts.accuracy.frontal_hips_mirrored --reuse           # from the kept landmarks
    .venv/bin/python -m scripts.accuracy.frontal_hips_mirrored --only squat_front_A_wide_v0
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scripts import ROOT

SRC = ROOT / ".cache" / "frontal_findings_accuracy"
OUT = ROOT / ".cache" / "frontal_hips_mirrored"
#: Sub-folder of the landmarks extracted with ``ExtractConfig(mirror_hips="all")`` (the pipeline's option).
MIRROR_HIPS = "mirror_hips"
#: Sub-folder of the landmarks extracted as filmed without the mirror pass, with the clip's truth and events.
FILMED = "filmed"
#: The groups this script may look at: design material only (the held-out groups stay unseen).
GROUPS = ("design", "lunge_design", "lunge")


def default_names() -> list[str]:
    """The design squats and design lunges filmed from behind."""
    from scripts.accuracy.frontal_findings_accuracy import CASES

    return [n for n, c in CASES.items() if c.group in ("design", "lunge_design") and c.view == "back"]


def hip_points(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The raw ``left_hip`` and ``right_hip`` pixel positions ``(time, 2)`` of a kept landmark file."""
    from movelab import landmarks

    ds = landmarks.load(path)
    position = ds["position_px"].transpose("time", "keypoint", ...).values.reshape(ds.sizes["time"], -1, 2)
    keypoints = list(ds["keypoint"].values)
    return position[:, keypoints.index("left_hip")], position[:, keypoints.index("right_hip")]


def obliquity_deg(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The hips' line, left side higher positive (image ``y`` down), for any facing direction."""
    return np.degrees(np.arctan2(right[:, 1] - left[:, 1], np.abs(left[:, 0] - right[:, 0])))


def averaged_hips(
    left: np.ndarray, right: np.ndarray, mirror_left: np.ndarray, mirror_right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each hip with its height averaged with its mirror twin's: the mirror image's ``right_hip`` is the
    filmed body's left hip (the mirrored figure's left is the filmed one's right); ``x`` as filmed."""
    avg_left, avg_right = left.copy(), right.copy()
    avg_left[:, 1] = 0.5 * (left[:, 1] + mirror_right[:, 1])
    avg_right[:, 1] = 0.5 * (right[:, 1] + mirror_left[:, 1])
    return avg_left, avg_right


def image_right_lower_px(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """How far the hip on the image's right sits below the one on the image's left (px, image ``y`` down)."""
    on_right = left[:, 0] > right[:, 0]
    return np.where(on_right, left[:, 1] - right[:, 1], right[:, 1] - left[:, 1])


def with_averaged_hips(ds, mirrored):
    """The landmark Dataset ``ds`` with each hip's height (``position_px`` y) averaged with its mirror twin's
    (``mirrored``: the same clip's landmarks extracted from its mirror image); everything else as filmed."""
    position = ds["position_px"].copy()
    for side, twin in (("left", "right"), ("right", "left")):
        filmed_y = ds["position_px"].sel(keypoint=f"{side}_hip", space_2d="y")
        twin_y = mirrored["position_px"].sel(keypoint=f"{twin}_hip", space_2d="y")
        position.loc[dict(keypoint=f"{side}_hip", space_2d="y")] = 0.5 * (filmed_y + twin_y.values)
    return ds.assign(position_px=position)


def pelvic_drop_text(ds, result: dict) -> str:
    """``pelvic_drop`` as the findings raise it from ``ds`` (side and value), ``note`` or ``—``."""
    from movelab.findings import detect_findings
    from movelab.kinematics import compute_motion, detect_views

    motion = compute_motion(ds, views=detect_views(ds))
    found = [f for f in detect_findings(motion, result["segmentation"]) if f.code == "pelvic_drop"]
    raised = [f for f in found if f.severity != "info"]
    return f"{raised[0].side} {raised[0].value:.1f}" if raised else ("note" if found else "—")


def _extract_kept(video: Path, path: Path, *, mirror_hips: str) -> None:
    """Extract ``video``'s landmarks with ``ExtractConfig(mirror_hips=...)`` (no cache, warnings quiet) and keep
    them at ``path``."""
    from movelab import landmarks
    from movelab.extraction import extract
    from movelab.pose.config import ExtractConfig

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ds = extract(video, config=ExtractConfig(mirror_hips=mirror_hips), use_cache=False)
    landmarks.save(ds, path)


def keep_mirrored(name: str, out: Path) -> None:
    """Mirror the kept clip ``name`` losslessly and extract its landmarks as the frontal script did before the
    mirror pass became the default (``mirror_hips="off"``: the mirror image's own reading)."""
    from scripts.accuracy.outline_population_mirrored import mirror_video

    video = out / f"{name}.mp4"
    mirror_video(SRC / f"{name}.mp4", video)
    _extract_kept(video, out / f"{name}.nc", mirror_hips="off")


def keep_filmed(name: str, out: Path) -> None:
    """Extract the kept clip ``name`` as filmed without the mirror pass (``mirror_hips="off"``) into ``out``, its
    truth and true events beside it (what :func:`scripts.accuracy.frontal_findings_accuracy.evaluate` reads)."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    for suffix in (".truth.csv", ".events.json"):
        shutil.copyfile(SRC / f"{name}{suffix}", out / f"{name}{suffix}")
    _extract_kept(SRC / f"{name}.mp4", out / f"{name}.nc", mirror_hips="off")


def keep_with_mirror_hips(name: str, out: Path) -> None:
    """Extract the kept clip ``name`` as filmed with ``ExtractConfig(mirror_hips="all")`` into ``out``."""
    _extract_kept(SRC / f"{name}.mp4", out / f"{name}.nc", mirror_hips="all")


def clip_row(name: str, out: Path) -> dict:
    """Standing, depth and change of the hips' obliquity as filmed, mirrored, averaged and extracted with
    ``mirror_hips`` (one clip), and the ``pelvic_drop`` each raises."""
    from movelab import landmarks
    from movelab.findings.detect import context_of
    from scripts.accuracy.frontal_findings_accuracy import evaluate

    result = evaluate(name, out / FILMED)
    standing = context_of(result["motion"], result["segmentation"]).standing_mask()
    time_s = result["motion"].time_s
    depth = np.zeros(time_s.size, dtype=bool)
    for bottom in result["segmentation"].reps["bottom_s"]:
        depth |= np.abs(time_s - bottom) <= 0.1 + 1e-9
    truth = result["truth"]["pelvic_obliquity"].to_numpy(dtype=float)
    n = min(truth.size, time_s.size)
    left, right = hip_points(out / FILMED / f"{name}.nc")
    mirror_left, mirror_right = hip_points(out / f"{name}.nc")
    extracted = landmarks.load(out / MIRROR_HIPS / f"{name}.nc")
    readings = {
        "filmed": obliquity_deg(left, right),
        "mirrored": -obliquity_deg(mirror_left, mirror_right),  # the mirrored figure's left is the filmed right
        "averaged": obliquity_deg(*averaged_hips(left, right, mirror_left, mirror_right)),
        "mirror_hips": obliquity_deg(*hip_points(out / MIRROR_HIPS / f"{name}.nc")),
    }
    row = dict(clip=name, true=float(np.median(truth[:n][depth[:n]]) - np.median(truth[:n][standing[:n]])))
    for label, values in readings.items():
        if label == "filmed":
            row["filmed standing"] = float(np.nanmedian(values[standing]))
            row["filmed depth"] = float(np.nanmedian(values[depth]))
        row[f"{label} change"] = float(np.nanmedian(values[depth]) - np.nanmedian(values[standing]))
    averaged = with_averaged_hips(result["ds"], landmarks.load(out / f"{name}.nc"))
    row["pelvic_drop filmed"] = pelvic_drop_text(result["ds"], result)
    row["pelvic_drop averaged"] = pelvic_drop_text(averaged, result)
    row["pelvic_drop mirror_hips"] = pelvic_drop_text(extracted, result)
    row["image right lower, filmed (px)"] = float(np.nanmedian(image_right_lower_px(left, right)[standing]))
    row["image right lower, mirrored (px)"] = float(
        np.nanmedian(image_right_lower_px(mirror_left, mirror_right)[standing])
    )
    return row


def print_table(rows: list[dict]) -> None:
    table = pd.DataFrame(rows)
    columns = list(table.columns)
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for _, r in table.iterrows():
        print("| " + " | ".join(r[c] if isinstance(r[c], str) else f"{r[c]:+.1f}" for c in columns) + " |")
    for label in ("filmed", "mirrored", "averaged", "mirror_hips"):
        change = table[f"{label} change"] - table["true"]
        print(f"- {label}: change minus true, largest {np.abs(change).max():.1f}°, mean {change.mean():+.1f}°")


def main(argv: list[str] | None = None) -> int:
    from scripts.accuracy.frontal_findings_accuracy import CASES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the kept mirrored landmarks")
    parser.add_argument("--only", nargs="+", help="clip names (design and lunge groups only)")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="allow the held-out groups' clips in --only (the lead's one evaluation after a merge, never "
        "while a method is chosen)",
    )
    args = parser.parse_args(argv)
    names = args.only or default_names()
    refused = [n for n in names if n not in CASES or not (args.held_out or CASES[n].group in GROUPS)]
    if refused:
        print(f"not a design or lunge clip of frontal_findings_accuracy: {refused}", file=sys.stderr)
        return 2
    (OUT / MIRROR_HIPS).mkdir(parents=True, exist_ok=True)
    for name in names:
        if not (args.reuse and (OUT / FILMED / f"{name}.nc").exists()):
            keep_filmed(name, OUT / FILMED)
        if not (args.reuse and (OUT / f"{name}.nc").exists()):
            keep_mirrored(name, OUT)
        if not (args.reuse and (OUT / MIRROR_HIPS / f"{name}.nc").exists()):
            keep_with_mirror_hips(name, OUT / MIRROR_HIPS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        print_table([clip_row(name, OUT) for name in names])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
