"""Gait events of walks filmed without a side view (towards the camera, away from it, obliquely), in frames.

Usage::

    python -m scripts.accuracy.picture_gait_accuracy          # render, extract, evaluate (about 2-3 min on 2 cores)
    python -m scripts.accuracy.picture_gait_accuracy --reuse  # evaluate again the landmarks kept from the last run
    python -m scripts.accuracy.picture_gait_accuracy --reuse --only away_100 towards_110

Renders mannequin walks (:mod:`movelab.synth`; portrait 480x640, 30 fps, 4 s) filmed by a camera at 1.2 m
height, 6 m from the middle of the walk (the walker covers 4-5 m, so their size in the picture changes about
two-fold, as a phone filming a corridor), runs the real pose extraction
(``movelab.extraction.extract(path, use_cache=False)``) and :func:`movelab.events.segment`, and prints per
clip the recognised movement, the view, the cadence and the event errors against the mannequin's own events
(detected minus true, negative is early). Scored are the true events from 0.2 s after the walker is first
found to 0.2 s before they are last found; a true event with no detection of its kind and side within 8
frames is a miss. The table goes into docs/events-accuracy.md (*Gait events away from side view*).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from scripts.accuracy._common import (
    CRF,
    arguments,
    keep_clip,
    kept_landmarks,
    nearest_error_frames,
    segmented,
    selected,
)

FPS = 30.0
#: name: (cadence steps/min, view, camera azimuth or None)
CASES: dict[str, tuple[float, str, float | None]] = {
    "towards_090": (90.0, "front", None),
    "towards_110": (110.0, "front", None),
    "away_100": (100.0, "back", None),
    "away_120": (120.0, "back", None),
    "oblique_front_120": (120.0, "front", 40.0),
    "oblique_front_095": (95.0, "front", 320.0),
    "oblique_back_095": (95.0, "back", 215.0),
    "oblique_back_110": (110.0, "back", 145.0),
}


def render(name: str, out: Path, *, crf: int = CRF, realistic: bool = False, without: tuple[str, ...] = ()) -> None:
    from movelab.synth import Gait, camera_for_view, render_clip

    cadence, view, azimuth = CASES[name]
    motion = Gait(cadence_spm=cadence, duration_s=4.0)
    clip = render_clip(motion, view=view, azimuth_deg=azimuth, width_px=480, height_px=640, fps=FPS)
    camera = camera_for_view(
        view,
        azimuth_deg=azimuth,
        distance_m=6.0,
        camera_height_m=1.2,
        look_at_m=motion.scene(clip.body).look_at_m,
        width_px=480,
        height_px=640,
        fit_width_m=2.0,
        fit_height_m=3.2,
    )
    keep_clip(name, out, dataclasses.replace(clip, camera=camera), crf=crf, realistic=realistic, without=without)


def evaluate(name: str, path: Path) -> dict:
    ds, _, _, seg = segmented(path)
    truth = json.loads(path.with_suffix(".events.json").read_text())
    seen = ds["time"].values[ds["detected"].values]
    row = {
        "clip": name,
        "movement": seg.movement,
        "view": (seg.gait or {}).get("view"),
        "cadence_true": CASES[name][0],
        "cadence": (seg.gait or {}).get("cadence_spm", np.nan),
    }
    for event in ("initial_contact", "toe_off"):
        found = seg.events[seg.events["event"] == event]
        errors = []
        for e in truth:
            if e["event"] != event or not seen.min() + 0.2 <= e["time_s"] <= seen.max() - 0.2:
                continue
            errors.append(
                nearest_error_frames(found.loc[found["side"] == e["side"], "time_s"], e["time_s"], FPS, within=8)
            )
        errors = np.array(errors, dtype=float)
        hit = errors[np.isfinite(errors)]
        row[event] = (
            errors.size,
            hit.size,
            float(np.mean(np.abs(hit))) if hit.size else np.nan,
            float(np.max(np.abs(hit))) if hit.size else np.nan,
            float(np.mean(np.abs(hit) <= 2)) if hit.size else np.nan,
        )
    return row


def _kept(name: str, args) -> Path:
    return kept_landmarks(
        name, args.out, args.reuse, render, crf=args.crf, realistic=args.realistic, without=args.without
    )


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, "picture_gait_accuracy", CASES, argv)
    rows = [evaluate(name, _kept(name, args)) for name in selected(args, CASES)]
    print("| clip | movement | view | cadence true / found | event | true | found | mean abs | max abs | <= 2 frames |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        for event in ("initial_contact", "toe_off"):
            n, hit, mean, worst, within = r[event]
            print(
                f"| {r['clip']} | {r['movement']} | {r['view']} | {r['cadence_true']:.0f} / {r['cadence']:.1f} "
                f"| {event} | {n} | {hit} | {mean:.2f} | {worst:.1f} | {within:.0%} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
