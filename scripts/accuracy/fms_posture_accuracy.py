"""FMS deep squat criteria and score, forward head and thoracic kyphosis on rendered bodies.

Renders overhead squats with a dowel that vary one FMS criterion at a time (side and front view of the same
squat), and standing postures with set forward-head and thoracic-bend values (side view), for a design body
and held-out bodies of the population (``movelab.synth.population.HELD_OUT_BODIES``, one of them filmed by
another camera) that nothing was tuned on; extracts their landmarks with the pose model and keeps them with
their truth (``--reuse`` reads the kept landmarks and regenerates every table).

    nice .venv/bin/python -m scripts.accuracy.fms_posture_accuracy          # render, extract, tables
    .venv/bin/python -m scripts.accuracy.fms_posture_accuracy --reuse  # tables from the kept landmarks
    .venv/bin/python -m scripts.accuracy.fms_posture_accuracy --pictures docs/images  # protocol pictures, plots

The clips are kept under ``$MOVELAB_CACHE_DIR/fms_posture_accuracy`` when that variable is set, else under
``.cache/fms_posture_accuracy`` (``--out`` chooses another folder).

Tables (markdown) go to stdout; docs/fms-posture-accuracy.md quotes them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.accuracy import _common as _accuracy

SCRIPT = "fms_posture_accuracy"

#: The FMS-3 overhead squat every variant starts from (one rep; arms vertical overhead with a dowel).
GOOD = dict(
    arms="overhead",
    dowel=True,
    depth_deg=140.0,
    shank_lean_deg=38.0,
    trunk_lean_deg=30.0,
    knee_swivel_deg=-8.0,
    reps=1,
    lead_in_s=1.0,
    descent_s=1.0,
    pause_bottom_s=0.4,
    ascent_s=0.9,
    pause_top_s=0.6,
)
#: One criterion changed at a time.
VARIANTS: dict[str, dict] = {
    "good": {},
    "torso": dict(trunk_lean_deg=45.0, shank_lean_deg=30.0),
    "depth": dict(depth_deg=110.0, shank_lean_deg=35.0),
    "knees": dict(knee_swivel_deg=20.0),  # knees pressed together at the bottom
    "knees_in": dict(knee_swivel_deg=12.0),  # knees inside the feet, apart
    "dowel": dict(overhead_tilt_deg=35.0),
    "heels": dict(heel_lift_deg=15.0),
}
#: Standing postures: (forward head target or None for the neutral neck, thoracic bend).
POSTURES_DESIGN = ((None, 30.0), (10.0, 30.0), (20.0, 30.0), (30.0, 30.0), (None, 20.0), (None, 40.0), (None, 50.0))
POSTURES_HELD_OUT = ((None, 30.0), (15.0, 30.0), (25.0, 30.0), (None, 20.0), (None, 45.0))
#: Standing postures of the population bodies (forward head only): the design population's fit the forward-head
#: calibration, the further held-out bodies only measure it.
POSTURES_POPULATION = ((None, 30.0), (20.0, 30.0))
POSTURES_POPULATION_HELD_OUT = ((None, 30.0), (20.0, 30.0), (None, 45.0))
#: The design bodies whose spine leans forward over the hips (``DESIGN_SPINE_FORWARD_BODIES``): as held out.
POSTURES_SPINE_FORWARD = POSTURES_POPULATION_HELD_OUT
#: Standing from the front: (pelvic obliquity, trunk lateral lean), degrees.
FRONTAL_DESIGN = ((0.0, 0.0), (5.0, 0.0), (0.0, 6.0), (-4.0, -4.0))
FRONTAL_HELD_OUT = ((0.0, 0.0), (5.0, 0.0), (0.0, 6.0))
#: Standing with the knees bent backwards (side view), degrees.
KNEES_DESIGN = (8.0, 15.0, 20.0)
KNEES_HELD_OUT = (8.0, 20.0)


@dataclass(frozen=True)
class Subject:
    """A body and a camera: ``group`` "design" (tuned on) or "held_out" (never); ``population``: standing
    side-view postures only (the forward head's calibration bodies and further held-out bodies)."""

    body: object
    group: str
    arms: str = "hanging"
    camera: dict = field(default_factory=dict)
    population: bool = False
    postures: tuple | None = None
    split: str | None = None


#: The split of the design bodies drawn with the spine leaning forward over the hips.
SPINE_FORWARD_SPLIT = "design spine forward"


def _subjects() -> dict[str, Subject]:
    from movelab.synth import BodyProportions
    from movelab.synth.population import DESIGN_BODIES, DESIGN_SPINE_FORWARD_BODIES, HELD_OUT_BODIES

    h1, h2 = HELD_OUT_BODIES[0], HELD_OUT_BODIES[1]
    subjects = {
        "A": Subject(BodyProportions(), "design"),
        h1.name: Subject(h1.body, "held_out", h1.arms),
        f"{h2.name}cam": Subject(h2.body, "held_out", h2.arms, dict(distance_m=3.8, camera_height_m=1.2)),
    }
    # arms held forward hide nothing of the head but drag the shoulder landmark (not measured): folded instead
    for pb, group in [(b, "design") for b in DESIGN_BODIES] + [(b, "held_out") for b in HELD_OUT_BODIES[2:]]:
        arms = "folded" if pb.arms == "forward" else pb.arms
        subjects[pb.name] = Subject(pb.body, group, arms, population=True)
    for pb in DESIGN_SPINE_FORWARD_BODIES:
        arms = "folded" if pb.arms == "forward" else pb.arms
        subjects[pb.name] = Subject(
            pb.body, "design", arms, population=True, postures=POSTURES_SPINE_FORWARD, split=SPINE_FORWARD_SPLIT
        )
    return subjects


SUBJECTS = _subjects()


def _posture_name(sub: str, head: float | None, bend: float) -> str:
    return f"posture_{sub}_fh{'n' if head is None else f'{head:g}'}_k{bend:g}"


def _cases() -> dict[str, tuple]:
    cases: dict[str, tuple] = {}
    for sub, subject in SUBJECTS.items():
        if subject.population:
            postures = POSTURES_POPULATION if subject.group == "design" else POSTURES_POPULATION_HELD_OUT
            postures = subject.postures or postures
            cases.update({_posture_name(sub, head, bend): ("posture", sub, head, bend) for head, bend in postures})
            continue
        for variant in VARIANTS:
            for view in ("side_right", "front"):
                cases[f"squat_{sub}_{variant}_{view}"] = ("squat", sub, variant, view)
        postures = POSTURES_DESIGN if subject.group == "design" else POSTURES_HELD_OUT
        cases.update({_posture_name(sub, head, bend): ("posture", sub, head, bend) for head, bend in postures})
        for obl, lean in FRONTAL_DESIGN if subject.group == "design" else FRONTAL_HELD_OUT:
            cases[f"front_{sub}_o{obl:g}_l{lean:g}"] = ("front", sub, obl, lean)
        for hyper in KNEES_DESIGN if subject.group == "design" else KNEES_HELD_OUT:
            cases[f"knee_{sub}_h{hyper:g}"] = ("knee", sub, hyper, None)
    return cases


CASES = _cases()


def _motion(case: tuple):
    from movelab.synth import Posture, Squat

    kind, sub, a, b = case
    if kind == "squat":
        return Squat(**{**GOOD, **VARIANTS[a]})
    if kind == "front":
        return Posture(duration_s=2.0, pelvic_obliquity_deg=a, lateral_lean_deg=b, arms=SUBJECTS[sub].arms)
    if kind == "knee":
        return Posture(duration_s=2.0, knee_hyperextension_deg=a, arms=SUBJECTS[sub].arms)
    return Posture(duration_s=2.0, forward_head_deg=a, thoracic_bend_deg=b, arms=SUBJECTS[sub].arms)


def _clip(name: str):
    from movelab.synth import render_clip

    case = CASES[name]
    subject = SUBJECTS[case[1]]
    if case[0] == "squat":
        return render_clip(_motion(case), view=case[3], body=subject.body, **subject.camera)
    if case[0] == "front":
        return render_clip(_motion(case), view="front", body=subject.body, **subject.camera)
    # standing posture is filmed in portrait, as on a phone: the upper back spans twice the pixels
    return render_clip(
        _motion(case), view="side_right", body=subject.body, width_px=540, height_px=960, **subject.camera
    )


def render(name: str, out: Path, *, crf: int = _accuracy.CRF) -> None:
    """Render ``name``, extract and keep its landmarks, its truth and its chain truth."""
    from movelab import landmarks
    from movelab.extraction import extract
    from movelab.synth.truth_chain import chain_truth_table

    clip = _clip(name)
    video = clip.write(out / f"{name}.mp4", crf=crf)["video"]
    landmarks.save(extract(video, use_cache=False), out / f"{name}.nc")
    chain_truth_table(clip).to_csv(out / f"{name}.chain.csv", index=False, float_format="%.4f")


# ----------------------------------------------------------------------------- evaluation


def _analysed(path: Path, movement: str):
    from movelab import landmarks
    from movelab.events import segment
    from movelab.kinematics import compute_motion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(path))
        return motion, segment(motion, movement=movement)


def truth_score(chain: pd.DataFrame, events_bottom_s: float) -> dict:
    """The FMS criteria of the truth at the rep's bottom, judged with the default thresholds."""
    from movelab.findings.fms import FmsConfig

    cfg = FmsConfig()
    t = chain["time_s"].to_numpy()
    i = int(np.argmin(np.abs(t - events_bottom_s)))
    row = chain.iloc[i]
    stand = chain.iloc[0]
    rise = float(row["heel_height_m_right"] - stand["heel_height_m_right"])
    values = {
        "torso_parallel_tibia": float(row["trunk_lean"] - row["tibia_lean_right"]),
        "thigh_below_horizontal": float(chain["thigh_angle_right"].max()),
        "knees_over_feet": float(max(row["knee_inside_foot_left"], row["knee_inside_foot_right"])),
        "dowel_over_feet": float(row["hands_over_foot_right"]),
        "heel_rise_m": rise,
    }
    met = {
        "torso_parallel_tibia": values["torso_parallel_tibia"] <= 0.0,
        "thigh_below_horizontal": values["thigh_below_horizontal"] >= 90.0,
        "knees_over_feet": values["knees_over_feet"] <= cfg.knee_inside_foot.value,
        "dowel_over_feet": values["dowel_over_feet"] <= 1.0,
    }
    raised = rise > 0.01  # the heels more than a centimetre off the floor
    score = 1 if not all(met.values()) else (2 if raised else 3)
    return {"values": values, "met": met, "raised": raised, "score": score}


def _ceiling(truth: dict, judged: tuple[str, ...]) -> str:
    """The score text the truth gives when only ``judged`` criteria can be seen (heels with the side view)."""
    if any(not truth["met"][c] for c in judged):
        return "1"
    side = "torso_parallel_tibia" in judged
    top = 2 if (side and truth["raised"]) else 3
    return str(top) if len(judged) == 4 else f"at most {top}"


def fms_rows(out: Path, subjects: list[str]) -> pd.DataFrame:
    from movelab.findings.fms import CRITERIA, deep_squat_score

    rows = []
    side_only = ("torso_parallel_tibia", "thigh_below_horizontal", "dowel_over_feet")
    for sub in subjects:
        for variant in VARIANTS:
            names = {v: f"squat_{sub}_{variant}_{v}" for v in ("side_right", "front")}
            if not all((out / f"{n}.nc").is_file() for n in names.values()):
                continue
            motion = _motion(CASES[names["side_right"]])
            bottom = [e for e in _events(motion) if e["event"] == "rep_bottom"][0]["time_s"]
            truth = truth_score(pd.read_csv(out / f"{names['side_right']}.chain.csv"), bottom)
            side = _analysed(out / f"{names['side_right']}.nc", "squat")
            front = _analysed(out / f"{names['front']}.nc", "squat")
            pair = deep_squat_score(side, front)
            only_side, only_front = deep_squat_score(side), deep_squat_score(front)
            row = {"subject": sub, "group": SUBJECTS[sub].group, "variant": variant}
            for code in CRITERIA:
                c = pair.criterion(code) if pair.criteria else None
                row[f"{code}_value"] = c.value if c else math.nan
                row[f"{code}_truth"] = truth["values"][code]
                row[f"{code}_ok"] = c is not None and c.met == truth["met"][code]
            row["heels_ok"] = pair.heels_raised == truth["raised"]
            row["score"], row["score_truth"] = pair.text, str(truth["score"])
            row["side_only"], row["side_only_truth"] = only_side.text, _ceiling(truth, side_only)
            row["front_only"], row["front_only_truth"] = only_front.text, _ceiling(truth, ("knees_over_feet",))
            row["side_not_judged"] = [c.code for c in only_side.criteria if c.met is None]
            row["front_not_judged"] = [c.code for c in only_front.criteria if c.met is None]
            rows.append(row)
    return pd.DataFrame(rows)


def _events(motion) -> list[dict]:
    from movelab.synth import BodyProportions

    return [{"event": e.event, "time_s": e.time_s} for e in motion.events(BodyProportions())]


def posture_rows(out: Path) -> pd.DataFrame:
    from movelab.kinematics.posture_chain import chain_table

    rows = []
    for name, case in CASES.items():
        if case[0] != "posture" or not (out / f"{name}.nc").is_file():
            continue
        motion, _ = _analysed(out / f"{name}.nc", "posture")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            chain = chain_table(motion)
        truth = _chain_truth(out, name)
        rows.append(
            {
                "name": name,
                "subject": case[1],
                "group": SUBJECTS[case[1]].group,
                "head": case[2],
                "bend": case[3],
                "cva": float(np.nanmedian(chain["craniovertebral_angle"])),
                "cva_truth": float(truth["craniovertebral_angle"].median()),
                "kyphosis": float(np.nanmedian(chain["thoracic_kyphosis"]))
                if np.isfinite(chain["thoracic_kyphosis"]).any()
                else math.nan,
                "kyphosis_quality": float(np.median(chain["thoracic_kyphosis_quality"])),
                "kyphosis_truth": float(truth["thoracic_kyphosis"].median()),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    neutral = table[table["head"].isna() & (table["bend"] == 30.0)].set_index("subject")
    table["cva_change"] = table["cva"] - table["subject"].map(neutral["cva"])
    table["cva_change_truth"] = table["cva_truth"] - table["subject"].map(neutral["cva_truth"])
    table["kyphosis_change"] = table["kyphosis"] - table["subject"].map(neutral["kyphosis"])
    table["kyphosis_change_truth"] = table["kyphosis_truth"] - table["subject"].map(neutral["kyphosis_truth"])
    return table


def _chain_truth(out: Path, name: str) -> pd.DataFrame:
    """The kept chain truth of ``name``; clips kept before the craniovertebral angle's truth existed get it from
    the clip's figures (no rendering needed)."""
    from movelab.synth.truth_chain import chain_truth_table

    truth = pd.read_csv(out / f"{name}.chain.csv")
    if "craniovertebral_angle" not in truth:
        truth["craniovertebral_angle"] = chain_truth_table(_clip(name))["craniovertebral_angle"].to_numpy()
    return truth


def cva_findings(rows: pd.DataFrame) -> str:
    """The forward-head-posture finding on each clip's CVA against the truth's side of the sourced limit."""
    from movelab.findings.config import FindingsConfig
    from movelab.report.assessments import FORWARD_HEAD_POSTURE

    mdd = FindingsConfig().method_error.craniovertebral_angle.value
    limit = FORWARD_HEAD_POSTURE.value - mdd
    lines = [f"Flagged below {limit:g}° (the {FORWARD_HEAD_POSTURE.value:g}° limit minus the {mdd:g}° method "
             "error, in the client's favour). Each clip's truth judged against the limit itself:\n",
             f"| group | clips | truth below {FORWARD_HEAD_POSTURE.value - mdd:g}°: flagged | truth at or above "
             f"{FORWARD_HEAD_POSTURE.value + mdd:g}°: within | truth within {mdd:g}° of the limit: flagged / within |",
             "|---|---|---|---|---|"]  # fmt: skip
    for group, g in rows.groupby("group", sort=False):
        flagged = g["cva"] < limit
        below = g["cva_truth"] < FORWARD_HEAD_POSTURE.value - mdd
        above = g["cva_truth"] >= FORWARD_HEAD_POSTURE.value + mdd
        near = ~below & ~above
        lines.append(f"| {group} | {len(g)} | {int((flagged & below).sum())}/{int(below.sum())} | "
                     f"{int((~flagged & above).sum())}/{int(above.sum())} | "
                     f"{int((flagged & near).sum())} / {int((~flagged & near).sum())} |")  # fmt: skip
    return "\n".join(lines)


def knee_rows(out: Path) -> pd.DataFrame:
    """Knee hyperextension of the near (right) knee in the side-view standing clips, and its finding."""
    from movelab.report.assessments import posture_chain_summary

    rows = []
    for name, case in CASES.items():
        wanted = case[0] == "knee" or (case[0] == "posture" and case[2] is None and case[3] == 30.0)
        if not wanted or not (out / f"{name}.nc").is_file():
            continue
        motion, _ = _analysed(out / f"{name}.nc", "posture")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            entry = posture_chain_summary(motion)["measures"]["knee_hyperextension_right"]
        truth = -float(pd.read_csv(out / f"{name}.chain.csv")["knee_flexion_right"].median())
        rows.append(
            {
                "name": name,
                "group": SUBJECTS[case[1]].group,
                "value": math.nan if entry["median"] is None else entry["median"],
                "truth": max(truth, 0.0),
                "finding": entry["finding"]["status"],
                "limit": entry["finding"]["threshold"],
            }
        )
    return pd.DataFrame(rows)


def knee_table(rows: pd.DataFrame) -> str:
    lines = [
        "| clip | group | near knee hyperextension ° (truth) | error ° | finding (limit °) |",
        "|---|---|---|---|---|",
    ]
    for _, r in rows.iterrows():
        lines.append(
            f"| {r['name']} | {r['group']} | {_fmt(r['value'])} ({_fmt(r['truth'])}) | "
            f"{_fmt(r['value'] - r['truth'])} | {r['finding']} ({_fmt(r['limit'])}) |"
        )
    return "\n".join(lines)


def frontal_rows(out: Path) -> pd.DataFrame:
    from movelab.kinematics.posture_chain import chain_table

    rows = []
    for name, case in CASES.items():
        if case[0] != "front" or not (out / f"{name}.nc").is_file():
            continue
        motion, _ = _analysed(out / f"{name}.nc", "posture")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            chain = chain_table(motion)
        chain["pelvic_obliquity"] = motion.angles["pelvic_obliquity"].to_numpy(dtype=np.float64)
        truth = pd.read_csv(out / f"{name}.chain.csv")
        row = {"name": name, "group": SUBJECTS[case[1]].group}
        for col in ("shoulder_obliquity", "pelvic_obliquity", "lateral_trunk_shift"):
            row[col] = float(np.nanmedian(chain[col])) if np.isfinite(chain[col]).any() else math.nan
            row[f"{col}_truth"] = float(truth[col].median())
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- tables


def _fmt(v, digits: int = 1) -> str:
    return "–" if not isinstance(v, (int, float)) or not math.isfinite(v) else f"{v:.{digits}f}"


def fms_table(rows: pd.DataFrame) -> str:
    from movelab.findings.fms import CRITERIA

    short = {"torso_parallel_tibia": "torso−tibia °", "thigh_below_horizontal": "thigh °",
             "knees_over_feet": "knee inside", "dowel_over_feet": "hands along foot"}  # fmt: skip
    head = "| subject | group | variant | " + " | ".join(f"{short[c]} (truth)" for c in CRITERIA)
    head += " | criteria = truth | score (truth) | side only (truth) | front only (truth) |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for _, r in rows.iterrows():
        cells = [f"{_fmt(r[f'{c}_value'], 2)} ({_fmt(r[f'{c}_truth'], 2)})" for c in CRITERIA]
        ok = all(r[f"{c}_ok"] for c in CRITERIA) and r["heels_ok"]
        lines.append(
            f"| {r['subject']} | {r['group']} | {r['variant']} | " + " | ".join(cells)
            + f" | {'yes' if ok else 'NO'} | {r['score']} ({r['score_truth']}) | {r['side_only']} "
            f"({r['side_only_truth']}) | {r['front_only']} ({r['front_only_truth']}) |"
        )  # fmt: skip
    return "\n".join(lines)


def fms_summary(rows: pd.DataFrame) -> str:
    from movelab.findings.fms import CRITERIA

    lines = ["| group | pairs | every criterion = truth | score = truth | side-only = truth | front-only = truth |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for group, g in rows.groupby("group", sort=False):
        crit = sum(all(r[f"{c}_ok"] for c in CRITERIA) and r["heels_ok"] for _, r in g.iterrows())
        lines.append(
            f"| {group} | {len(g)} | {crit}/{len(g)} | {(g['score'] == g['score_truth']).sum()}/{len(g)} | "
            f"{(g['side_only'] == g['side_only_truth']).sum()}/{len(g)} | "
            f"{(g['front_only'] == g['front_only_truth']).sum()}/{len(g)} |"
        )
    return "\n".join(lines)


def posture_table(rows: pd.DataFrame) -> str:
    lines = ["| clip | group | CVA ° (truth) | error ° | kyphosis ° (truth) | quality | "
             "kyphosis change ° (truth) | change error ° |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for _, r in rows.iterrows():
        lines.append(
            f"| {r['name']} | {r['group']} | {_fmt(r['cva'])} ({_fmt(r['cva_truth'])}) | "
            f"{_fmt(r['cva'] - r['cva_truth'])} | {_fmt(r['kyphosis'])} "
            f"({_fmt(r['kyphosis_truth'])}) | {_fmt(r['kyphosis_quality'], 2)} | {_fmt(r['kyphosis_change'])} "
            f"({_fmt(r['kyphosis_change_truth'])}) | {_fmt(r['kyphosis_change'] - r['kyphosis_change_truth'])} |"
        )
    return "\n".join(lines)


def _split(rows: pd.DataFrame) -> pd.Series:
    """Which part of the design/held-out split each row's body is in: the design body ``A`` (every level and
    the kyphosis offset tuned on it), the design population (the forward head's offset fitted on it), or
    held-out (never tuned on)."""
    pop = rows["subject"].map(lambda s: SUBJECTS[s].population)
    split = np.where(rows["group"] == "held_out", "held-out", np.where(pop, "design population", "design body A"))
    named = rows["subject"].map(lambda s: SUBJECTS[s].split)
    return np.where(named.notna(), named, split)


_SPLITS = ("design body A", "design population", SPINE_FORWARD_SPLIT, "held-out")


def posture_summary(rows: pd.DataFrame) -> str:
    lines = [
        "| split | bodies | clips | CVA MAE ° | max ° | CVA change MAE ° | max ° | "
        "kyphosis change MAE ° | max ° | clips with kyphosis |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = rows.assign(split=_split(rows))
    for split in _SPLITS:
        g = rows[rows["split"] == split]
        if g.empty:
            continue
        fh = (g["cva"] - g["cva_truth"]).abs()
        moved = g[~(g["head"].isna() & (g["bend"] == 30.0))]
        ky = (moved["kyphosis_change"] - moved["kyphosis_change_truth"]).abs()
        fc = (moved["cva_change"] - moved["cva_change_truth"]).abs()
        lines.append(
            f"| {split} | {g['subject'].nunique()} | {len(g)} | {_fmt(fh.mean())} | {_fmt(fh.max())} | "
            f"{_fmt(fc.mean())} | {_fmt(fc.max())} | {_fmt(ky.mean())} | {_fmt(ky.max())} | "
            f"{int(np.isfinite(g['kyphosis']).sum())}/{len(g)} |"
        )
    return "\n".join(lines)


def cva_offsets(rows: pd.DataFrame) -> str:
    """Per body, the craniovertebral angle's error standing neutral (the body-specific offset left after the
    calibration), and its spread per split."""
    neutral = rows[rows["head"].isna() & (rows["bend"] == 30.0)].assign(split=lambda t: _split(t))
    neutral = neutral.assign(offset=neutral["cva"] - neutral["cva_truth"])
    lines = [
        "| split | bodies | neutral error mean ° | SD ° | min ° | max ° | per body ° |",
        "|---|---|---|---|---|---|---|",
    ]
    for split in _SPLITS:
        g = neutral[neutral["split"] == split]
        if g.empty:
            continue
        per = ", ".join(f"{r['subject']} {r['offset']:+.1f}" for _, r in g.iterrows())
        sd = g["offset"].std() if len(g) > 1 else math.nan
        lines.append(
            f"| {split} | {len(g)} | {_fmt(g['offset'].mean())} | {_fmt(sd)} | {_fmt(g['offset'].min())} | "
            f"{_fmt(g['offset'].max())} | {per} |"
        )
    return "\n".join(lines)


def pictures(folder: Path) -> list[Path]:
    """The protocol pictures of docs/fms-posture.md: one frame of each test as a clinician films it."""
    import cv2

    from movelab.synth import Posture, Squat, render_clip

    folder.mkdir(parents=True, exist_ok=True)
    squat = Squat(**GOOD)
    bottom = [e.time_s for e in squat.events(SUBJECTS["A"].body) if e.event == "rep_bottom"][0]
    shots = {
        "fms-squat-side.png": (render_clip(squat, view="side_right", width_px=480, height_px=360), bottom),
        "fms-squat-front.png": (render_clip(squat, view="front", width_px=480, height_px=360), bottom),
        "posture-side.png": (
            render_clip(Posture(duration_s=1.0, forward_head_deg=20.0, thoracic_bend_deg=40.0, arms="folded"),
                        view="side_right", width_px=270, height_px=480), 0.0),
    }  # fmt: skip
    written = []
    for name, (clip, t_s) in shots.items():
        frame = clip.frame(int(round(t_s * clip.fps)))
        cv2.imwrite(str(folder / name), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
        written.append(folder / name)
    return written


def report_plots(folder: Path, out: Path) -> list[Path]:
    """The report's FMS and posture-chain plots of kept clips (real pose model landmarks), for docs/fms-posture.md:
    the design body's knees-together squat (side and front, scored as a pair) and its standing posture with 20°
    of forward head."""
    from movelab import landmarks
    from movelab.analysis import analyse_landmarks, analyse_squat_set
    from movelab.report.assessments import fms_png, posture_chain_png

    folder.mkdir(parents=True, exist_ok=True)
    names = ("squat_A_knees_side_right", "squat_A_knees_front", "posture_A_fh20_k30")
    if not all((out / f"{n}.nc").is_file() for n in names):
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        side, front = analyse_squat_set(*(landmarks.load(out / f"{n}.nc") for n in names[:2]))
        posture = analyse_landmarks(landmarks.load(out / f"{names[2]}.nc"), movement="posture")
        pngs = {
            "fms-plot-side.png": fms_png(side, side.to_report()),
            "fms-plot-front.png": fms_png(front, front.to_report()),
            "posture-chain-plot.png": posture_chain_png(posture.to_report()),
        }
    written = []
    for name, png in pngs.items():
        if png is not None:
            (folder / name).write_bytes(png)
            written.append(folder / name)
    return written


def _extra(parser) -> None:
    parser.add_argument("--pictures", type=Path, help="write the protocol pictures into this folder and stop")


_FRONTAL = ("shoulder_obliquity", "pelvic_obliquity", "lateral_trunk_shift")


def frontal_table(rows: pd.DataFrame) -> str:
    lines = ["| clip | group | shoulder obliquity ° (truth) | pelvic obliquity ° (truth) | lateral shift % (truth) |",
             "|---|---|---|---|---|"]  # fmt: skip
    for _, r in rows.iterrows():
        cells = " | ".join(f"{_fmt(r[c])} ({_fmt(r[f'{c}_truth'])})" for c in _FRONTAL)
        lines.append(f"| {r['name']} | {r['group']} | {cells} |")
    return "\n".join(lines)


def frontal_summary(rows: pd.DataFrame) -> str:
    lines = ["| group | clips | shoulder obliquity MAE ° (max) | pelvic obliquity MAE ° (max) | lateral shift MAE % "
             "(max) |", "|---|---|---|---|---|"]  # fmt: skip
    for group, g in rows.groupby("group", sort=False):
        cells = []
        for c in _FRONTAL:
            err = (g[c] - g[f"{c}_truth"]).abs()
            cells.append(f"{_fmt(err.mean())} ({_fmt(err.max())})")
        lines.append(f"| {group} | {len(g)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import os

    args = _accuracy.arguments(__doc__, SCRIPT, CASES, argv, extra=_extra)
    cache = os.environ.get("MOVELAB_CACHE_DIR")
    if cache and "--out" not in (argv or __import__("sys").argv):
        args.out = Path(cache) / SCRIPT  # rendered sets kept with the pose model's cache
        args.out.mkdir(parents=True, exist_ok=True)
    if args.pictures is not None:
        for path in [*pictures(args.pictures), *report_plots(args.pictures, args.out)]:
            print(path)
        return 0
    names = args.only or list(CASES)
    for name in names:
        _accuracy.kept_landmarks(name, args.out, args.reuse, render, crf=args.crf)
    fms = fms_rows(args.out, [s for s, v in SUBJECTS.items() if not v.population])
    posture = posture_rows(args.out)
    cmd = f"python -m scripts.accuracy.{SCRIPT} --reuse"
    print(f"### FMS deep squat, side + front pairs (`{cmd}`)\n")
    print(fms_summary(fms) + "\n")
    print(fms_table(fms) + "\n")
    print(f"### Craniovertebral angle (CVA) and thoracic kyphosis, side view (`{cmd}`)\n")
    print(posture_summary(posture) + "\n")
    print(f"### CVA standing neutral: the body-specific offset (`{cmd}`)\n")
    print(cva_offsets(posture) + "\n")
    print(f"### Forward head posture finding on the CVA (`{cmd}`)\n")
    print(cva_findings(posture) + "\n")
    print(posture_table(posture) + "\n")
    print(f"### Knee hyperextension, side view (`{cmd}`)\n")
    print(knee_table(knee_rows(args.out)) + "\n")
    frontal = frontal_rows(args.out)
    print(f"### Shoulder and pelvic obliquity, lateral trunk shift, front view (`{cmd}`)\n")
    print(frontal_summary(frontal) + "\n")
    print(frontal_table(frontal))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
