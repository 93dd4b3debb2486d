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
    python -m scripts.accuracy.outline_short_clips --reuse --mirror --bodies design1,design4,design5,design7
        # the "test" clips against their mirror images ("mirrored_light_right"): which part differs

``--mirror`` reads each body's ``test`` clips and its ``mirrored_light_right`` clips (the same pictures flipped
left to right, up to the encoder) and prints the slopes: as filmed; its landmarks and outline mirrored by
arithmetic (movelab's analysis is mirror-symmetric when this equals the first); the mirror-image clip (what
the pose model made of it, mirrored back); the filmed clip with only the hip landmarks, only the shoulder
landmarks, or only the outline taken from the mirror-image clip.
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
    light_from: str = "left"


CONDITIONS: tuple[Condition, ...] = (
    Condition("test"),  # tests/test_population.py::test_held_out_body_sway_is_not_tilt_and_tilt_is
    Condition("fps30", fps=30.0),
    Condition("3s", duration_s=3.0),
    Condition("fps30_3s", fps=30.0, duration_s=3.0),
    Condition("crf20", crf=20),
    Condition("lordosis0.6", lordosis_per_tilt=0.6),
    Condition("camera", distance_m=3.5, camera_height_m=1.0),
    Condition("mirrored", mirrored=True),
    Condition("light_right", light_from="right"),
    Condition("mirrored_light_right", mirrored=True, light_from="right"),
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
    from movelab.synth import Appearance

    look = Appearance(light_from=cond.light_from)
    out = {
        kind: Filming(motion, view, cond.crf, cond.distance_m, cond.camera_height_m, look)
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


def mirrored_dataset(ds):
    """``ds`` as its picture flipped left to right would give it if the pose model were mirror-symmetric:
    x mirrored in ``position_px``, ``position_norm``, ``position_world_m`` and ``outline_px``, and the left
    and right keypoints swapped."""
    width = ds.attrs["width_px"]
    names = [str(n) for n in ds["keypoint"].values]
    other = {"left": "right", "right": "left"}
    swap = [names.index("_".join(other.get(w, w) for w in n.split("_"))) for n in names]
    out = ds.copy(deep=True)
    for var, flip in (("position_px", lambda x: width - x), ("position_norm", lambda x: 1.0 - x)):
        a = ds[var].transpose("time", "keypoint", ...).values[:, swap].copy()
        a[..., 0] = flip(a[..., 0])
        out[var] = (ds[var].transpose("time", "keypoint", ...).dims, a)
    a = ds["position_world_m"].transpose("time", "keypoint", ...).values[:, swap].copy()
    a[..., 0] = -a[..., 0]
    out["position_world_m"] = (ds["position_world_m"].transpose("time", "keypoint", ...).dims, a)
    for var in ("visibility", "presence"):
        out[var] = (("time", "keypoint"), ds[var].transpose("time", "keypoint").values[:, swap])
    o = ds["outline_px"].transpose("time", "outline_point", "space_2d").values.copy()
    o[..., 0] = width - o[..., 0]
    out["outline_px"] = (("time", "outline_point", "space_2d"), o)
    return out


def mirror_rows(pb: PopulationBody, out: Path, config: KinematicsConfig) -> list[dict]:
    """The ``test`` clips against their mirror images, part by part (see the module's docstring)."""
    from movelab import landmarks

    rows = []
    for kind, view, column in (("sway", "side_left", "trunk_lean"), ("tilt", "side_right", "pelvic_tilt")):
        filmed = landmarks.load(out / f"{pb.name}_test_{kind}.nc")
        truth = pd.read_csv(out / f"{pb.name}_test_{kind}.truth.csv").set_index("frame")
        image = mirrored_dataset(landmarks.load(out / f"{pb.name}_mirrored_light_right_{kind}.nc"))
        n = min(filmed.sizes["time"], image.sizes["time"])
        filmed, image = filmed.isel(time=slice(0, n)), image.isel(time=slice(0, n))
        variants = {"as filmed": filmed, "mirrored by arithmetic": mirrored_dataset(filmed), "mirror image": image}
        for part in ("hip", "shoulder"):
            ds = filmed.copy(deep=True)
            keys = [f"{side}_{part}" for side in ("left", "right")]
            ds["position_px"].loc[{"keypoint": keys}] = image["position_px"].sel(keypoint=keys).values
            variants[f"{part}s from mirror image"] = ds
        variants["outline from mirror image"] = filmed.assign(outline_px=image["outline_px"])
        for label, ds in variants.items():
            own_view = {"side_left": "side_right", "side_right": "side_left"}[view] if "arithmetic" in label else view
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = outline_estimates(ds, views=own_view, config=config)
            x = truth.loc[est["frame"].to_numpy(), column].to_numpy()
            y = est["pelvic_tilt"].to_numpy()
            ok = np.isfinite(y)
            rows.append(
                {"body": pb.name, "clip": kind, "variant": label, "slope": float(np.polyfit(x[ok], y[ok], 1)[0])}
            )
    return rows


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
    parser.add_argument("--mirror", action="store_true", help="the test clips against their mirror images")
    args = parser.parse_args(argv)
    config = dataclasses.replace(KinematicsConfig(), **dict(_setting(s) for s in args.set))
    bodies = {pb.name: pb for pb in DESIGN_BODIES}
    wanted = [bodies[b] for b in args.bodies.split(",")]
    conds = [c for c in CONDITIONS if c.name in args.conditions.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.mirror:
        table = pd.DataFrame([r for pb in wanted for r in mirror_rows(pb, args.out, config)])
        wide = table.pivot_table(index=["body", "clip"], columns="variant", values="slope", sort=False)
        print(wide.to_string(float_format=lambda v: f"{v:+.2f}"))
        return 0
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
