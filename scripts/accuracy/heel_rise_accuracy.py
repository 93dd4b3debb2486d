"""Heel rise read at the bottom of rendered side-view squats, by bodies and camera height, against the rendered truth.

Reads the landmarks kept by other accuracy scripts and by this one (no pose model with ``--reuse``, the
default): the population squats of ``lumbar_flexion_accuracy`` and ``outline_population`` (flat feet; cameras
0.7/1.0/1.3 m high at 5.5/3.5/4.5 m), the side clips of ``fms_posture_accuracy`` (three subjects, cameras 0.88 m
and, for ``heldout2cam``, 1.2 m; the ``heels`` variant lifts the heels 15°), the side squats of
``squat_timing_accuracy`` (clean and ``_realistic``: hand-held shake, loose clothes; flat feet) and this
script's heel raises (``--render``: the FMS squat with the heels lifted 5-25° on design bodies A, design2,
design5 (camera 1.2 m) and held-out heldout4, heldout5 (camera 1.2 m), :data:`RENDER_LIFTS_DEG`). Per rep it
reads the heel rise as ``heel_lift`` and the FMS deep squat do (``movelab.findings.heel_rise_deg`` at the rep's
bottom, standing reference from ``movelab.findings.detect.context_of``; ``--method`` reads the landmark
methods instead). Prints, per bodies (design or held-out), camera (still, or hand-held with the realistic
renders' shake) and camera height, the largest reading on flat feet and every reading of lifted heels, the
readings' spread while the client stood still (``movelab.findings.foot.standing_spread_deg``: ``heel_lift``
and the FMS deep squat do not read the rise where it exceeds the 5° method error), and the error per true lift.

    nice python -m scripts.accuracy.heel_rise_accuracy [--method sole|landmarks|heel]   # about 3 min
    nice python -m scripts.accuracy.heel_rise_accuracy --render    # first renders the heel raises not kept
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.findings import FindingsConfig
from scripts import ROOT

#: The heel rise's method error: beyond it the standing spread stops a reading (``heel_lift``, FMS).
SPREAD_LIMIT_DEG = FindingsConfig().method_error.heel_rise.value

SCRIPT = "heel_rise_accuracy"

FOLDERS = (
    SCRIPT,
    "lumbar_flexion_accuracy",
    "outline_population",
    "outline_population_design",
    "fms_posture_accuracy",
    "squat_timing_accuracy",
    "squat_timing_accuracy_realistic",
)


#: Heel raises rendered by this script (``--render``): the FMS overhead squat (one rep, side view facing right,
#: ``fms_posture_accuracy.GOOD``) with the heels lifted by each size. Design bodies: A (default proportions) and
#: two of the design population; held-out: two of the held-out population, one filmed from 1.2 m. The kept
#: FMS clips add A and two held-out bodies at 0° and 15°.
RENDER_LIFTS_DEG = {"A": (5.0, 10.0, 20.0, 25.0), "design": (10.0, 25.0), "held_out": (0.0, 10.0, 20.0)}


def _render_subjects() -> dict[str, tuple]:
    """``name → (body, group, camera keywords)`` of the bodies ``--render`` films."""
    from movelab.synth import BodyProportions
    from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES

    return {
        "A": (BodyProportions(), "design", {}),
        DESIGN_BODIES[1].name: (DESIGN_BODIES[1].body, "design", {}),
        DESIGN_BODIES[4].name: (DESIGN_BODIES[4].body, "design", {"camera_height_m": 1.2, "distance_m": 3.8}),
        HELD_OUT_BODIES[3].name: (HELD_OUT_BODIES[3].body, "held_out", {}),
        HELD_OUT_BODIES[4].name: (HELD_OUT_BODIES[4].body, "held_out", {"camera_height_m": 1.2, "distance_m": 3.8}),
    }


#: Design squats filmed from higher and closer (``--render``): ``clip name → (design body index, variant of
#: ``fms_posture_accuracy.VARIANTS``, heel lift °, camera keywords)``. From 1.2-1.3 m the person mask drops the
#: white shoe's front at depth on some frames (the sole is lost near the toes: ``sole.SOLE_LOST_FRACTION``).
CAMERA_CASES = {
    "cam_design5_depth_l0": (4, "depth", 0.0, {"camera_height_m": 1.2, "distance_m": 3.8}),
    "cam_design5_depth_l15": (4, "depth", 15.0, {"camera_height_m": 1.2, "distance_m": 3.8}),
    "cam_design2_dowel_l0": (1, "dowel", 0.0, {"camera_height_m": 1.2, "distance_m": 3.8}),
    "cam_design2_depth_l0_close": (1, "depth", 0.0, {"camera_height_m": 1.3, "distance_m": 3.0}),
    "cam_design2_depth_l15_close": (1, "depth", 15.0, {"camera_height_m": 1.3, "distance_m": 3.0}),
}


def render_cases() -> dict[str, tuple]:
    """``clip name → (subject, heel lift °)`` of the heel raises ``--render`` keeps (and :data:`CAMERA_CASES`)."""
    cases = {name: (None, lift) for name, (_, _, lift, _) in CAMERA_CASES.items()}
    for sub, (_, group, _) in _render_subjects().items():
        cases.update(
            {f"heel_{sub}_l{lift:g}": (sub, lift) for lift in RENDER_LIFTS_DEG.get(sub, RENDER_LIFTS_DEG[group])}
        )
    return cases


def render(name: str, out: Path) -> None:
    """Render the heel raise ``name`` (:func:`render_cases`), extract and keep its landmarks and truth."""
    from movelab.synth import Squat, render_clip
    from scripts.accuracy import _common
    from scripts.accuracy.fms_posture_accuracy import GOOD, VARIANTS

    if name in CAMERA_CASES:
        from movelab.synth.population import DESIGN_BODIES

        index, variant, lift, camera = CAMERA_CASES[name]
        body, group, params = DESIGN_BODIES[index].body, "design", {**GOOD, **VARIANTS[variant]}
    else:
        sub, lift = render_cases()[name]
        body, group, camera = _render_subjects()[sub]
        params = dict(GOOD)
    clip = render_clip(Squat(**{**params, "heel_lift_deg": lift}), view="side_right", body=body, **camera)
    _common.keep_clip(name, out, clip)
    meta = out / f"{name}.truth.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "group": group}, indent=1))


def kept_squats() -> list[Path]:
    """The kept side-view squat landmarks (``.nc`` beside a ``.truth.json``)."""
    roots = [ROOT / ".cache", Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache")]
    found: dict[str, Path] = {}
    for root in roots:
        for folder in FOLDERS:
            for path in sorted((root / folder).glob("*.nc")):
                meta = path.with_suffix(".truth.json")
                if not meta.is_file():
                    continue
                truth = json.loads(meta.read_text())
                if truth.get("motion") == "squat" and str(truth.get("view", "")).startswith("side"):
                    found.setdefault(f"{folder}/{path.stem}", path)
    return list(found.values())


def _heel_only(position, standing):
    """The heel landmark's rise alone, both feet's minimum (the landmark method before the ankle check)."""
    from movelab.kinematics.geometry import heel_rise_pitch_deg, point

    rises = []
    for side in ("left", "right"):
        heel, toe = point(position, f"{side}_heel"), point(position, f"{side}_foot_index")
        length = np.nanmedian(np.hypot(*(toe[standing] - heel[standing]).T))
        rises.append(heel_rise_pitch_deg(np.nanmedian(heel[standing, 1]), heel[:, 1], length))
    return np.nanmin(np.stack(rises), axis=0)


#: ``--method``: what is read. ``sole``: what ``heel_lift`` and the FMS deep squat read (the sole's outline);
#: ``landmarks``: the heel landmark's pitch capped by the ankle's (their method until 2026-12-06, and still
#: theirs without an outline); ``heel``: the heel landmark alone.
METHODS = ("sole", "landmarks", "heel")


def _rise(ctx, standing, method: str) -> np.ndarray:
    from movelab.findings import heel_rise_deg

    if method == "heel":
        return _heel_only(ctx.positions, standing)
    if method == "landmarks":
        return heel_rise_deg(ctx.positions, standing)
    return heel_rise_deg(ctx.positions, standing, outline_px=ctx.outline_px, picture_height_px=ctx.picture_height_px)


def _group(path: Path, meta: dict) -> str:
    """``design`` or ``held_out`` by the body filmed (the clips of other scripts name held-out bodies
    ``heldout…``; their other bodies are the default body A or design population bodies)."""
    return meta.get("group") or ("held_out" if "heldout" in path.stem else "design")


def readings(path: Path, *, method: str) -> list[dict]:
    """One row per rep: bodies, camera, true heel lift, reading at the bottom, standing spread."""
    from movelab import landmarks
    from movelab.events import segment
    from movelab.findings.detect import context_of
    from movelab.findings.foot import standing_spread_deg
    from movelab.kinematics import compute_motion

    meta = json.loads(path.with_suffix(".truth.json").read_text())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(path))
        ctx = context_of(motion, segment(motion, movement="squat"))
        standing = ctx.standing_mask()
        if not standing.any():
            return []
        rise = _rise(ctx, standing, method)
        spread = standing_spread_deg(rise, standing)
    lift = float(meta["parameters"].get("heel_lift_deg") or 0.0)
    return [
        {
            "clip": f"{path.parent.name}/{path.stem}",
            "bodies": _group(path, meta),
            "camera": "hand-held (realistic)" if path.parent.name.endswith("_realistic") else "still",
            "camera_height_m": round(float(meta["camera"]["position_m"][1]), 2),
            "true_lift_deg": lift,
            "read_deg": float(ctx.at(rise, rep["bottom_s"])),
            "standing_spread_deg": spread,
        }
        for _, rep in ctx.reps.iterrows()
    ]


def table(rows: pd.DataFrame) -> str:
    """Per bodies, camera and its height: flat feet, lifted heels, the standing spread and its gate."""
    head = (
        "| bodies | camera | height m | flat-foot reps | largest on flat feet ° | lifted reps: true → read ° "
        "| reps not measurable at the bottom (sole lost) "
        f"| standing spread °, largest | reps not read (spread > {SPREAD_LIMIT_DEG:g}°) "
        "| largest on flat feet, read ° |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|"]
    for (bodies, camera, height), g in rows.groupby(["bodies", "camera", "camera_height_m"]):
        flat, lifted = g[g["true_lift_deg"] == 0], g[g["true_lift_deg"] > 0].sort_values("true_lift_deg")
        lifts = ", ".join(f"{t:g} → {r:.1f}" for t, r in zip(lifted["true_lift_deg"], lifted["read_deg"])) or "–"
        largest = f"{flat['read_deg'].max():.1f}" if len(flat) else "–"
        spread = g["standing_spread_deg"]
        read = flat[~(flat["standing_spread_deg"] > SPREAD_LIMIT_DEG)]["read_deg"]
        lost = int(g["read_deg"].isna().sum())
        lines.append(
            f"| {bodies} | {camera} | {height:g} | {len(flat)} | {largest} | {lifts} | {lost} | {spread.max():.1f} "
            f"| {int((spread > SPREAD_LIMIT_DEG).sum())} of {len(g)} | {f'{read.max():.1f}' if len(read) else '–'} |"
        )
    return "\n".join(lines)


def error_table(rows: pd.DataFrame) -> str:
    """Per bodies and true lift (still cameras): the reading's signed error and how many reps pass ``heel_lift``
    (above the 5° method error; reps the standing spread stops count as not passing)."""
    still = rows[rows["camera"] == "still"].copy()
    read = still["read_deg"].where(~(still["standing_spread_deg"] > SPREAD_LIMIT_DEG))
    still["error"], still["raised"] = read - still["true_lift_deg"], read > SPREAD_LIMIT_DEG
    lines = [
        "| bodies | true lift ° | reps | error °: mean / largest size | within ±5° | heel_lift raised |",
        "|---|---|---|---|---|---|",
    ]
    for (bodies, lift), g in still.groupby(["bodies", "true_lift_deg"]):
        err = g["error"].dropna()
        size = f"{err.mean():+.1f} / {err.abs().max():.1f}" if len(err) else "–"
        lines.append(
            f"| {bodies} | {lift:g} | {len(g)} | {size} | {int((err.abs() <= SPREAD_LIMIT_DEG).sum())} of {len(g)} "
            f"| {int(g['raised'].sum())} of {len(g)} |"
        )
    return "\n".join(lines)


def sources(path: Path) -> list[dict]:
    """Per rep of a lifted or flat design clip, the near foot at the bottom: how far its heel and ankle landmarks
    rose against the rendered heel and ankle (truth file, projected), the landmark foot length and ankle lever
    against the rendered ones, and the pitches the landmark method and the sole read."""
    from movelab import landmarks
    from movelab.events import segment
    from movelab.findings import heel_rise_deg
    from movelab.findings.detect import context_of
    from movelab.kinematics import compute_motion
    from movelab.kinematics.geometry import foot_pitch_deg, heel_rise_pitch_deg, point

    meta = json.loads(path.with_suffix(".truth.json").read_text())
    side = meta.get("near_side")
    truth = pd.read_csv(path.with_suffix(".truth.csv")).set_index("frame")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(path))
        ctx = context_of(motion, segment(motion, movement="squat"))
        st = ctx.standing_mask()
        if side not in ("left", "right") or not st.any():
            return []
        tr = truth.reindex(motion.frame)
        lm = {k: point(ctx.positions, f"{side}_{k}") for k in ("heel", "ankle", "foot_index")}
        rendered = {k: tr[[f"{side}_{k}_x_px", f"{side}_{k}_y_px"]].to_numpy() for k in lm}

        def rise(xy, b):
            return float(np.nanmedian(xy[st, 1]) - ctx.at(xy[:, 1], b))

        def length(a, b):
            return float(np.nanmedian(np.hypot(*(a[st] - b[st]).T)))

        sole = heel_rise_deg(ctx.positions, st, outline_px=ctx.outline_px, picture_height_px=ctx.picture_height_px)
        method = foot_pitch_deg(lm["heel"], lm["ankle"], lm["foot_index"], st)
        rows = []
        for _, rep in ctx.reps.iterrows():
            b = rep["bottom_s"]
            lever = float(np.nanmedian(np.abs(lm["foot_index"][st, 0] - lm["ankle"][st, 0])))
            rows.append(
                {
                    "clip": path.stem,
                    "lift": float(meta["parameters"].get("heel_lift_deg") or 0.0),
                    "heel px: landmark / rendered": f"{rise(lm['heel'], b):.1f} / {rise(rendered['heel'], b):.1f}",
                    "ankle px": f"{rise(lm['ankle'], b):.1f} / {rise(rendered['ankle'], b):.1f}",
                    "foot length px": f"{length(lm['foot_index'], lm['heel']):.0f} / "
                    f"{length(rendered['foot_index'], rendered['heel']):.0f}",
                    "heel pitch °": float(
                        heel_rise_pitch_deg(0.0, -rise(lm["heel"], b), length(lm["foot_index"], lm["heel"]))
                    ),
                    "ankle pitch °": float(heel_rise_pitch_deg(0.0, -rise(lm["ankle"], b), lever)),
                    "landmark method °": float(ctx.at(method, b)),
                    "sole °": float(ctx.at(sole, b)),
                }
            )
    return rows


def sources_table(paths: list[Path]) -> str:
    """:func:`sources` of the design clips, as markdown."""
    rows = pd.DataFrame([r for p in paths for r in sources(p)]).sort_values(["lift", "clip"])
    cols = list(rows.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in rows.iterrows():
        lines.append("| " + " | ".join(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=METHODS, default="sole", help="what is read (default: sole)")
    parser.add_argument(
        "--render", nargs="*", metavar="NAME", help="render and keep these heel raises (all when none named) first"
    )
    parser.add_argument("--reuse", action="store_true", help="read the kept landmarks only (the default)")
    parser.add_argument(
        "--sources",
        action="store_true",
        help="where the landmark method's error comes from: the design bodies' FMS squats (body A) and heel raises",
    )
    args = parser.parse_args(argv)
    if args.sources:
        design = [p for p in kept_squats() if p.parent.name == SCRIPT and "heldout" not in p.stem]
        design += [p for p in kept_squats() if p.parent.name == "fms_posture_accuracy" and "_A_" in p.stem]
        print(sources_table(design))
        return 0
    if args.render is not None:
        out = ROOT / ".cache" / SCRIPT
        out.mkdir(parents=True, exist_ok=True)
        for name in args.render or render_cases():
            if not (out / f"{name}.nc").is_file():
                render(name, out)
                print(f"kept {name}", flush=True)
    rows = pd.DataFrame([r for path in kept_squats() for r in readings(path, method=args.method)])
    if rows.empty:
        print("no kept side-view squats found: run the accuracy scripts named in the docstring first")
        return 1
    print(table(rows))
    print()
    print(error_table(rows))
    worst = rows[(rows["true_lift_deg"] == 0) & (rows["camera"] == "still")].nlargest(3, "read_deg")
    largest = ", ".join(f"{c} {r:.1f}" for c, r in zip(worst["clip"], worst["read_deg"]))
    print(f"\nlargest flat-foot readings, still camera: {largest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
