"""How the outline tilt's sway and tilt slopes depend on the clip's frame rate, length, encoding and protocol.

Issue 13's slow test renders 2 s clips at 15 fps (default camera, crf 26) where
``scripts.accuracy.outline_population`` renders 3 s at 30 fps; the same held-out body read differently in the
two. This script renders the *design* bodies (never the held-out ones) under the slow test's conditions and
under one changed factor at a time, runs the real extraction, keeps ``<out>/<body>_<condition>_<kind>.nc`` and
``.truth.csv``, and prints per body and condition the slope of the estimated tilt against the trunk lean in the
sway (target |s| <= 0.15) and against the true tilt in the sweep (0.8-1.2), with the frames measured.

Usage::

    nice python -m scripts.accuracy.outline_short_clips            # renders and extracts (~5 min)
    python -m scripts.accuracy.outline_short_clips --reuse         # the table from the kept landmarks
    python -m scripts.accuracy.outline_short_clips --reuse --set outline_registration_prior_deg2_s=3.3
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics import KinematicsConfig, outline_estimates
from movelab.synth import Posture, render_clip
from movelab.synth.population import DESIGN_BODIES, PopulationBody
from scripts import ROOT


@dataclass(frozen=True)
class Condition:
    """How a clip pair is filmed: the slow test's conditions, or one of them changed."""

    name: str
    fps: float = 15.0
    duration_s: float = 2.0
    crf: int = 26
    lordosis_per_tilt: float = 0.0
    distance_m: float | None = None
    camera_height_m: float | None = None
    #: True: the body's views, camera place, encoding, appearance (stickers, shirt, light) and lordosis coupling
    #: of scripts.accuracy.outline_population, at this condition's frame rate and length
    population: bool = False
    mirrored: bool = False


CONDITIONS: tuple[Condition, ...] = (
    Condition("test"),  # tests/test_population.py::test_held_out_body_sway_is_not_tilt_and_tilt_is
    Condition("fps30", fps=30.0),
    Condition("3s", duration_s=3.0),
    Condition("fps30_3s", fps=30.0, duration_s=3.0),
    Condition("crf20", crf=20),
    Condition("lordosis0.6", lordosis_per_tilt=0.6),
    Condition("camera", distance_m=3.5, camera_height_m=1.0),
    Condition("mirrored", mirrored=True),
    Condition("population", population=True),
    Condition("population_fps30_3s", population=True, fps=30.0, duration_s=3.0),
)
#: Design bodies with the arms folded (design2: lumbar bend low; design5: high; design8: even) and one with it low.
BODIES: tuple[str, ...] = ("design2", "design5", "design8", "design4")


@dataclass(frozen=True)
class Filming:
    """One clip's motion and camera."""

    motion: Posture
    view: str
    crf: int
    distance_m: float | None = None
    camera_height_m: float | None = None
    appearance: object = None


def filmings(cond: Condition, pb: PopulationBody) -> dict[str, Filming]:
    """The sway and the tilt sweep of ``cond``."""
    if cond.population:
        return _population_filmings(cond, pb)
    out = {
        kind: Filming(motion, view, cond.crf, cond.distance_m, cond.camera_height_m)
        for kind, (motion, view) in motions(cond, pb).items()
    }
    if cond.mirrored:
        flip = {"side_left": "side_right", "side_right": "side_left"}
        out = {k: dataclasses.replace(f, view=flip[f.view]) for k, f in out.items()}
    return out


def _population_filmings(cond: Condition, pb: PopulationBody) -> dict[str, Filming]:
    from scripts.accuracy.outline_population import clips_of

    i = [b.name for b in DESIGN_BODIES].index(pb.name)
    d = cond.duration_s
    out = {}
    for clip in clips_of(i, pb):
        if clip.kind not in ("sway", "tilt"):
            continue
        period = clip.motion.period_s * d / clip.motion.duration_s
        motion = dataclasses.replace(clip.motion, period_s=period, duration_s=d)
        out[clip.kind] = Filming(motion, clip.view, clip.crf, clip.distance_m, clip.camera_height_m, clip.appearance)
    return out


def motions(cond: Condition, pb: PopulationBody) -> dict[str, tuple[Posture, str]]:
    """The sway and the tilt sweep of the slow test, stretched to ``cond.duration_s``."""
    d = cond.duration_s
    return {
        "sway": (Posture(sway_amplitude_deg=10.0, period_s=d / 1.3, duration_s=d, arms=pb.arms), "side_left"),
        "tilt": (
            Posture(
                pelvic_tilt_deg=10.0,
                tilt_amplitude_deg=10.0,
                lordosis_per_tilt=cond.lordosis_per_tilt,
                period_s=d,
                duration_s=d,
                arms=pb.arms,
            ),
            "side_right",
        ),
    }


def keep(pb: PopulationBody, cond: Condition, out: Path) -> None:
    """Render, encode and extract the condition's two clips; keep landmarks and truth."""
    from movelab import landmarks
    from movelab.extraction import extract

    for kind, f in filmings(cond, pb).items():
        name = f"{pb.name}_{cond.name}_{kind}"
        clip = render_clip(
            f.motion,
            view=f.view,
            fps=cond.fps,
            body=pb.body,
            distance_m=f.distance_m,
            camera_height_m=f.camera_height_m,
            appearance=f.appearance,
        )
        video = clip.write(out / f"{name}.mp4", crf=f.crf)["video"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = extract(video, use_cache=False)
        landmarks.save(ds, out / f"{name}.nc")
        clip.truth.to_csv(out / f"{name}.truth.csv", index=False)


def slopes(pb: PopulationBody, cond: Condition, out: Path, config: KinematicsConfig) -> dict[str, float]:
    """Sway and tilt slopes and the frames measured, as the slow test computes them."""
    from movelab import landmarks

    row: dict[str, float] = {}
    for kind, f in filmings(cond, pb).items():
        view = f.view
        name = f"{pb.name}_{cond.name}_{kind}"
        ds = landmarks.load(out / f"{name}.nc")
        truth = pd.read_csv(out / f"{name}.truth.csv").set_index("frame")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = outline_estimates(ds, views=view, config=config)
        x = truth.loc[est["frame"].to_numpy(), "trunk_lean" if kind == "sway" else "pelvic_tilt"].to_numpy()
        y = est["pelvic_tilt"].to_numpy()
        ok = np.isfinite(y)
        row[f"{kind} slope"] = float(np.polyfit(x[ok], y[ok], 1)[0]) if ok.sum() > 2 else float("nan")
        row[f"{kind} measured"] = float(ok.mean())
    return row


def _setting(item: str) -> tuple[str, object]:
    key, _, value = item.partition("=")
    default = getattr(KinematicsConfig(), key)
    if isinstance(default, bool):
        return key, value.lower() in ("1", "true", "yes")
    if isinstance(default, tuple):
        return key, tuple(float(v) for v in value.split(","))
    return key, type(default)(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "outline_short_clips")
    parser.add_argument("--reuse", action="store_true", help="evaluate the kept landmarks only")
    parser.add_argument("--bodies", default=",".join(BODIES))
    parser.add_argument("--conditions", default=",".join(c.name for c in CONDITIONS))
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    args = parser.parse_args(argv)
    config = dataclasses.replace(KinematicsConfig(), **dict(_setting(s) for s in args.set))
    bodies = {pb.name: pb for pb in DESIGN_BODIES}
    wanted = [bodies[b] for b in args.bodies.split(",")]
    conds = [c for c in CONDITIONS if c.name in args.conditions.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for pb in wanted:
        for cond in conds:
            if not args.reuse and not (args.out / f"{pb.name}_{cond.name}_tilt.nc").exists():
                keep(pb, cond, args.out)
            rows.append({"body": pb.name, "condition": cond.name, **slopes(pb, cond, args.out, config)})
            print(rows[-1], file=sys.stderr, flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
