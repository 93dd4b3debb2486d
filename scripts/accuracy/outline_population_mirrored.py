"""The held-out error table in the other facing direction: every kept clip of outline_population mirrored.

``scripts.accuracy.outline_population`` films each body facing one way per clip type (the sweep one way, the
sway, strong sweep and squat the other). This script flips every frame of those kept clips left to right
(``<src>/<clip>.mp4``; the same picture, the body now facing the other way), re-encodes them losslessly (x264
crf 0, so the only compression is the original clip's), mirrors the truth (:func:`mirrored_truth`), runs the
same extraction as the population script (MediaPipe, ``markers="auto"``) and keeps ``<src>_mirrored/<clip>.nc``
and ``.truth.csv``; ``--reuse`` evaluates the kept landmarks. The metrics are the population script's
(:func:`~scripts.accuracy.outline_population.compare`, :func:`~scripts.accuracy.outline_population.body_row`),
so a change to the outline method shows here on ``--reuse``.

The mirror image mirrors the light too: a body lit from its left in the filmed clip is lit from its right in
the mirrored one (the renderer's light side follows the picture, not the body).

Per body it prints, as filmed -> mirrored: the sway slope (target |s| <= 0.15), the tilt slope (0.8-1.2), the
tilt change MAE and absolute MAE (sweep), the lordosis change MAE and absolute MAE (sweep), the lordosis slope
against the true lordosis (sweep) and the frames measured in the sweep and the sway; then how many bodies meet
each of issue 13's targets as filmed, mirrored and in both directions.

Usage::

    nice python -m scripts.accuracy.outline_population_mirrored --design  # mirrors and extracts (~10 min)
    python -m scripts.accuracy.outline_population_mirrored --design --reuse   # from the kept landmarks
    python -m scripts.accuracy.outline_population_mirrored --reuse            # the held-out bodies
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics import KinematicsConfig
from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES
from scripts import ROOT
from scripts.accuracy.outline_population import (
    CLIPS,
    DESIGN_CLIPS,
    FPS,
    Clip,
    _setting,
    body_row,
    compare,
    extract_kept,
)

_OTHER = {"left": "right", "right": "left"}
#: frontal-plane truth angles whose sign a mirror image turns (docs/conventions.md: positive = the client's left)
_SIGN_FLIPS = ("pelvic_obliquity", "trunk_lateral_lean")
#: the table's metrics, filmed and mirrored side by side
METRICS = (
    "sway slope",
    "tilt slope",
    "tilt change MAE",
    "tilt MAE",
    "lord change MAE",
    "lord MAE",
    "lord slope",
    "tilt measured %",
    "sway measured %",
)


def _swapped_name(name: str) -> str:
    """``name`` with its side word(s) swapped: ``knee_flexion_left`` -> ``knee_flexion_right``,
    ``left_hip_x_px`` -> ``right_hip_x_px``."""
    return "_".join(_OTHER.get(w, w) for w in name.split("_"))


def mirrored_truth(truth: pd.DataFrame, *, width_px: int) -> pd.DataFrame:
    """The truth of a clip's mirror image (each frame flipped left to right, ``width_px`` wide).

    The mirrored figure's left side is the filmed figure's right: left/right columns swap; image x
    coordinates (``*_x_px``) become ``width_px - 1 - x`` (the renderer's pixel centres lie on integers,
    ``movelab.synth.camera``: the frame flip moves column ``i`` to ``width_px - 1 - i``); the sagittal
    angles (pelvic tilt, lordosis, trunk lean, hip and knee flexion) are unchanged; frontal angles signed
    towards the client's left (:data:`_SIGN_FLIPS`) change sign; per-side ones (knee FPPA, valgus positive)
    only swap.
    """
    out = truth.rename(columns={c: _swapped_name(c) for c in truth.columns})[list(truth.columns)].copy()
    for c in out.columns:
        if re.fullmatch(r".+_x_px", c):
            out[c] = width_px - 1 - out[c]
    for c in _SIGN_FLIPS:
        if c in out:
            out[c] = -out[c]
    return out


def mirrored_meta(meta: dict) -> dict:
    """The truth ``.json`` of the mirror image: view, near side and light side swapped, and marked mirrored."""
    out = json.loads(json.dumps(meta))
    views = {"side_left": "side_right", "side_right": "side_left"}
    out["view"] = views.get(out.get("view"), out.get("view"))
    if out.get("near_side") in _OTHER:
        out["near_side"] = _OTHER[out["near_side"]]
    app = out.get("appearance") or {}
    if app.get("light_from") in _OTHER:
        app["light_from"] = _OTHER[app["light_from"]]
    out["mirrored_from"] = meta.get("view")
    return out


def mirrored_frames(frames):
    """Each ``(height, width, 3)`` frame flipped left to right."""
    for frame in frames:
        yield np.ascontiguousarray(frame[:, ::-1])


def mirror_video(src: Path, dst: Path, *, flip: bool = True) -> int:
    """Decode ``src``, flip every frame left to right, encode losslessly (x264 crf 0) to ``dst`` (atomically);
    ``flip=False``: the same frames unflipped (the control: what re-encoding and re-extracting alone change)."""
    import av

    from movelab.synth.video import write_mp4

    def decoded():
        with av.open(str(src)) as container:
            for frame in container.decode(video=0):
                yield frame.to_ndarray(format="rgb24")

    tmp = dst.with_name(f".{dst.stem}.tmp.mp4")
    try:
        n = write_mp4(mirrored_frames(decoded()) if flip else decoded(), tmp, fps=FPS, crf=0)
        tmp.replace(dst)
    finally:
        tmp.unlink(missing_ok=True)
    return n


def keep_mirrored(clip: Clip, src: Path, dst: Path, *, flip: bool = True) -> None:
    """Mirror one kept clip and its truth into ``dst`` and run the population script's extraction on it
    (``flip=False``: re-encode and extract the clip unflipped, truth as it is)."""
    meta = json.loads((src / f"{clip.name}.truth.json").read_text())
    video = dst / f"{clip.name}.mp4"
    mirror_video(src / f"{clip.name}.mp4", video, flip=flip)
    truth = pd.read_csv(src / f"{clip.name}.truth.csv")
    if flip:
        truth, meta = mirrored_truth(truth, width_px=int(meta["width_px"])), mirrored_meta(meta)
    truth.to_csv(dst / f"{clip.name}.truth.csv", index=False)
    (dst / f"{clip.name}.truth.json").write_text(json.dumps(meta, indent=2))
    extract_kept(video, dst / f"{clip.name}.nc")


def _cell(column: str, a: float, b: float) -> str:
    fmt = "{:.0f}" if "%" in column else "{:.2f}" if "slope" in column else "{:.1f}"
    return " -> ".join("–" if not np.isfinite(v) else fmt.format(v) for v in (a, b))


def side_by_side(filmed: list[dict], mirrored: list[dict], views: dict[str, str], *, label: str = "mirrored") -> str:
    """A markdown table: per body, each metric as filmed -> mirrored (or -> ``label``)."""
    head = ["body", "arms", "sweep filmed from"] + [f"{m} filmed -> {label}" for m in METRICS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f, m in zip(filmed, mirrored, strict=True):
        cells = [f["body"], f["arms"], views[f["body"]]]
        cells += [_cell(k, f.get(k, np.nan), m.get(k, np.nan)) for k in METRICS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: issue 13's targets on the table's metrics: (label, test of one row: True, False, or None where not asked)
TARGETS = (
    ("sway slope |s| <= 0.15", lambda r: abs(r.get("sway slope", np.nan)) <= 0.15),
    ("tilt slope 0.8-1.2", lambda r: 0.8 <= r.get("tilt slope", np.nan) <= 1.2),
    ("tilt change MAE <= 3", lambda r: r.get("tilt change MAE", np.nan) <= 3.0),
    ("tilt MAE <= 5", lambda r: r.get("tilt MAE", np.nan) <= 5.0),
    ("lord change MAE <= 4", lambda r: r.get("lord change MAE", np.nan) <= 4.0),
    ("lord slope 0.7-1.3", lambda r: 0.7 <= r.get("lord slope", np.nan) <= 1.3),
    (
        "measured >= 90 % (arms folded or forward: sweep and sway)",
        lambda r: (
            None if r["arms"] == "hanging" else min(r.get("tilt measured %", 0), r.get("sway measured %", 0)) >= 90
        ),
    ),
)


def targets(filmed: list[dict], mirrored: list[dict], *, label: str = "mirrored") -> str:
    """How many bodies meet each target of :data:`TARGETS` as filmed, mirrored (or ``label``), and in both."""
    lines = []
    for target, ok in TARGETS:
        pairs = [(f, m) for f, m in zip(filmed, mirrored, strict=True) if ok(f) is not None]  # None: not asked
        a = [ok(f) for f, _ in pairs]
        b = [ok(m) for _, m in pairs]
        both = [x and y for x, y in zip(a, b, strict=True)]
        miss = [f["body"] for (f, _), x in zip(pairs, both, strict=True) if not x]
        lines.append(
            f"{target}: as filmed {sum(a)}/{len(a)}, {label} {sum(b)}/{len(b)}, both {sum(both)}/{len(a)}"
            + (f" (not in both: {', '.join(miss)})" if miss else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", action="store_true", help="the design bodies (outline_population --design)")
    parser.add_argument(
        "--src", type=Path, help="the population script's kept clips (default .cache/outline_population[_design])"
    )
    parser.add_argument("--out", type=Path, help="where the mirrored clips go (default <src>_mirrored)")
    parser.add_argument("--reuse", action="store_true", help="evaluate the mirrored landmarks kept from the last run")
    parser.add_argument("--only", nargs="+", metavar="BODY", help="these bodies only")
    parser.add_argument(
        "--control",
        action="store_true",
        help="re-encode and extract the clips unflipped (into <src>_reencoded): the noise of that step alone",
    )
    parser.add_argument(
        "--set",
        nargs="+",
        default=(),
        metavar="FIELD=VALUE",
        help="try other KinematicsConfig outline_* values (design work), e.g. outline_tilt_gain=1.05",
    )
    args = parser.parse_args(argv)
    src = args.src or ROOT / ".cache" / ("outline_population_design" if args.design else "outline_population")
    label = "re-encoded" if args.control else "mirrored"
    dst = args.out or src.with_name(src.name + ("_reencoded" if args.control else "_mirrored"))
    bodies, clips = (DESIGN_BODIES, DESIGN_CLIPS) if args.design else (HELD_OUT_BODIES, CLIPS)
    missing = [c.name for c in clips if not (src / f"{c.name}.nc").is_file()]
    if missing:
        print(f"error: {src} lacks the kept clips {missing[:3]}...; run outline_population first", file=sys.stderr)
        return 2
    dst.mkdir(parents=True, exist_ok=True)
    config = KinematicsConfig()
    for item in args.set:
        config = dataclasses.replace(config, **dict([_setting(item)]))
    filmed, mirrored, views = [], [], {}
    for pb in bodies:
        if args.only and pb.name not in args.only:
            continue
        own = [c for c in clips if c.body is pb]
        for clip in own:
            if not (args.reuse and (dst / f"{clip.name}.nc").is_file()):
                print(f"  {label}: extracting {clip.name}", file=sys.stderr, flush=True)
                keep_mirrored(clip, src, dst, flip=not args.control)
        views[pb.name] = next(c.view for c in own if c.kind == "tilt").removeprefix("side_")
        filmed.append(body_row(pb, {c.kind: compare(c, src, config) for c in own}))
        mirrored.append(body_row(pb, {c.kind: compare(c, dst, config) for c in own}))
    print(side_by_side(filmed, mirrored, views, label=label))
    print()
    print(targets(filmed, mirrored, label=label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
