"""Accuracy of the supine tests (modified Thomas test, active straight-leg raise) on rendered clips.

Renders the tests with known angles (:class:`movelab.synth.ThomasTest`, :class:`movelab.synth.StraightLegRaise`)
on two **design** bodies (``design1``, ``design4`` of :mod:`movelab.synth.population`) at two camera heights,
and on two **held-out** bodies (``heldout2``, ``heldout4``) at a third camera height that were never looked at
while tuning; both sides, each filmed from the test leg's side. Runs the real pose model, then the supine
angles and sides of ``movelab.findings.supine`` and ``recognise_movement``, and prints the markdown tables of
docs/assessments-accuracy.md: per set, the MAE / bias / largest error of the hip (thigh to table) and knee
angles, the findings against the truth's, the FMS ASLR scores against the truth's, and the recognised movements.

A third set films the first design body at table height with the picture turned 8 deg (a phone held askew):
the table line must follow the table, not the picture. Thomas cases: hip -20..+20 deg (threshold 0), knee
30..100 deg (threshold 67), in pairs that put each value on both sides of its threshold. ASLR cases: raised
thigh 40..100 deg, a bent-knee and a rest-leg-lifting case.

Usage::

    nice python -m scripts.accuracy.supine_accuracy           # renders and extracts (~5-8 min on 2 busy cores)
    python -m scripts.accuracy.supine_accuracy --reuse        # the tables from the kept landmarks (~30 s)
    python -m scripts.accuracy.supine_accuracy --reuse --others '.cache/*/*.nc'  # + other movements' recognition

Clips are kept under ``$MOVELAB_CACHE_DIR/accuracy/supine_accuracy`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FPS = 10.0
SIZE_PX = (480, 360)
#: Thomas cases: (hip = thigh above the table, knee flexion), degrees.
THOMAS_CASES = ((-20.0, 100.0), (-6.0, 80.0), (6.0, 55.0), (20.0, 30.0), (-6.0, 55.0), (6.0, 80.0))
#: ASLR cases: (raise, raised-knee flexion, rest-thigh lift), degrees.
ASLR_CASES = ((40.0, 0.0, 0.0), (55.0, 0.0, 0.0), (70.0, 0.0, 0.0), (85.0, 0.0, 0.0), (100.0, 0.0, 0.0))
ASLR_FAULTS = ((75.0, 25.0, 0.0), (75.0, 0.0, 20.0))
#: (set, bodies, camera heights for the Thomas test, camera heights for the ASLR), metres.
SETS = {
    "design": (("design1", "design4"), (0.8, 1.3), (0.35, 0.9)),
    "held-out": (("heldout2", "heldout4"), (1.05,), (0.6,)),
}


@dataclass(frozen=True)
class Case:
    """One rendered clip."""

    name: str
    set: str
    test: str  # thomas | aslr
    side: str
    body: str
    camera_height_m: float
    params: dict
    roll_deg: float = 0.0  # the picture turned counter-clockwise by this much (a phone held askew)


def cases() -> list[Case]:
    out = []
    for set_name, (bodies, th_heights, sl_heights) in SETS.items():
        for body in bodies:
            for side in ("left", "right"):
                for h in th_heights:
                    for hip, knee in THOMAS_CASES:
                        name = f"thomas_{body}_{side}_h{h:.2f}_hip{hip:+.0f}_knee{knee:.0f}"
                        params = dict(thigh_above_horizontal_deg=hip, knee_flexion_deg=knee)
                        out.append(Case(name, set_name, "thomas", side, body, h, params))
                        if set_name == "design" and body == bodies[0] and h == th_heights[0]:
                            out.append(Case(f"{name}_roll8", "rolled 8°", "thomas", side, body, h, params, 8.0))
                for h in sl_heights:
                    faults = ASLR_FAULTS if set_name == "design" else ()
                    for up, knee, lift in ASLR_CASES + faults:
                        name = f"aslr_{body}_{side}_h{h:.2f}_up{up:.0f}_knee{knee:.0f}_lift{lift:.0f}"
                        params = dict(raise_deg=up, knee_flexion_deg=knee, rest_lift_deg=lift)
                        out.append(Case(name, set_name, "aslr", side, body, h, params))
    return out


def _body(name: str):
    from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES

    return {pb.name: pb.body for pb in DESIGN_BODIES + HELD_OUT_BODIES}[name]


def render_case(case: Case, out: Path) -> None:
    """Render, extract and keep ``<name>.nc``, ``<name>.truth.csv`` and ``<name>.supine.json`` (the truth)."""
    from movelab import landmarks
    from movelab.extraction import extract
    from movelab.synth import StraightLegRaise, ThomasTest, render_clip

    if case.test == "thomas":
        motion = ThomasTest(test_side=case.side, lower_s=0.6, duration_s=1.6, **case.params)
    else:
        motion = StraightLegRaise(test_side=case.side, rest_s=0.2, raise_s=0.8, duration_s=1.6, **case.params)
    clip = render_clip(
        motion,
        view=f"side_{case.side}",
        fps=FPS,
        width_px=SIZE_PX[0],
        height_px=SIZE_PX[1],
        camera_height_m=case.camera_height_m,
        body=_body(case.body),
    )
    if case.roll_deg:
        paths = _write_rolled(clip, out / f"{case.name}.mp4", case.roll_deg)
    else:
        paths = clip.write(out / f"{case.name}.mp4")
    landmarks.save(extract(paths["video"], use_cache=False), out / f"{case.name}.nc")
    (out / f"{case.name}.supine.json").write_text(json.dumps(supine_truth(clip, case)) + "\n")
    paths["video"].unlink()


def _write_rolled(clip, path: Path, roll_deg: float) -> dict:
    """Write ``clip`` with every frame turned ``roll_deg`` counter-clockwise about its centre (edges
    replicated) and its truth table beside it (angles unchanged; the landmark pixels are the unturned ones)."""
    import cv2

    from movelab.synth import write_mp4

    h, w = clip.camera.height_px, clip.camera.width_px
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), roll_deg, 1.0)
    frames = (cv2.warpAffine(f, turn, (w, h), borderMode=cv2.BORDER_REPLICATE) for f in clip.iter_frames())
    write_mp4(frames, path, fps=clip.fps, crf=26)
    clip.truth.to_csv(path.with_suffix(".truth.csv"), index=False, float_format="%.4f")
    return {"video": path}


def supine_truth(clip, case: Case) -> dict:
    """The test's true values at the last frame (the hold), from the rendered figure's 3D points."""
    from movelab.synth.truth import sagittal_2d

    fig = clip.figures[-1]
    p = sagittal_2d(fig.points, fig.heading)
    side, other = case.side, "right" if case.side == "left" else "left"

    def above(a: str, b: str) -> float:
        v = p[b] - p[a]
        return float(np.degrees(np.arctan2(v[1], v[0])))

    def knee(s: str) -> float:
        a, b = p[f"{s}_hip"] - p[f"{s}_knee"], p[f"{s}_ankle"] - p[f"{s}_knee"]
        cos = np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)
        return 180.0 - float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))

    truth = {
        "test": case.test,
        "side": side,
        "hip_deg": above(f"{side}_hip", f"{side}_knee"),
        "knee_deg": knee(side),
        "other_hip_deg": above(f"{other}_hip", f"{other}_knee"),
    }
    if case.test == "aslr":
        asis, kn, ank = p[f"{other}_asis"][0], p[f"{other}_knee"][0], p[f"{side}_ankle"][0]
        fraction = (ank - asis) / (kn - asis)
        truth["ankle_fraction"] = float(fraction)
        truth["fms_score"] = 3 if fraction < 0.5 else (2 if fraction < 1.0 else 1)
    return truth


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("MOVELAB_CACHE_DIR", Path.home() / ".cache" / "movelab")) / "accuracy"
    parser.add_argument("--out", type=Path, default=default / "supine_accuracy", help="where clips are kept")
    parser.add_argument("--reuse", action="store_true", help="evaluate the kept landmarks, render only missing")
    parser.add_argument("--render-only", action="store_true", help="render and extract, print nothing")
    parser.add_argument(
        "--others",
        nargs="*",
        default=[],
        metavar="GLOB",
        help="kept landmark files (.nc) of other movements: count how many are taken for a supine test",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    all_cases = cases()
    for i, case in enumerate(all_cases):
        if not (args.reuse and (args.out / f"{case.name}.nc").is_file()):
            print(f"[{i + 1}/{len(all_cases)}] {case.name}", file=sys.stderr, flush=True)
            render_case(case, args.out)
    if args.render_only:
        return 0
    from scripts.accuracy._supine_tables import print_tables

    print_tables(all_cases, args.out)
    if args.others:
        from scripts.accuracy._supine_tables import print_others

        print_others(args.others)
    return 0


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sys.exit(main())
