"""The craniovertebral angle's C7 level and calibration, chosen on the design population.

Decisions and numbers: docs/fms-posture-decisions.md.

Reads the standing side-view clips kept by ``scripts.accuracy.fms_posture_accuracy`` (run that first). Per clip:
the truth (``craniovertebral_angle`` of :mod:`movelab.synth.truth_chain`: the skin over C7 → ear midpoint against
the horizontal), and why the old shoulder→ear measure failed (its error against the mannequin's shoulder-joint
truth, and how far that joint sits ahead of C7); from the pose model's landmarks and outline (median over every
third side-view frame) the raw angle from the outline's C7 (the back's hindmost point at a level along the trunk
axis, :func:`movelab.kinematics.posture_chain.c7_frame`) to the ear landmarks' midpoint, for each level in
``LEVELS``.

The choice uses the design bodies only (design body ``A``, ``design1-9`` and the spine-forward ``designsf1-5``):
per candidate a straight line ``truth = a × raw + b`` fitted on the design clips, and the candidate with the
smallest design MAE wins. The candidates (:data:`CANDIDATES`) are the C7 level alone and the C7 level with the
shoulder-bulge correction of :class:`movelab.kinematics.posture_chain.CraniovertebralParams` (a level below,
the usual rise of the back between them, the gain). The held-out bodies are then measured once, with the chosen
setting (also by ``fms_posture_accuracy --reuse``, with every frame).

The same choice is then made again with the mannequin's own ears (its ear midpoint projected by the camera) in
place of the pose model's: on the renders the pose model's ear landmark sits ahead of the drawn ear, which the
chosen calibration absorbs; on people the ear landmark may sit on the tragus (docs/fms-posture-decisions.md).

    .venv/bin/python -m scripts.accuracy.forward_head_diagnosis [--out FOLDER] [--design-only]

``--design-only`` prints the design clips only (the choice), leaving the held-out bodies unseen until the
choice is made.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.accuracy import fms_posture_accuracy as F

LEVELS = tuple(round(0.95 + 0.025 * k, 3) for k in range(13))  # 0.95 ... 1.25 torso lengths
#: The shoulder-bulge correction's grid (CraniovertebralParams): C7 level, the level below it, the rise the back
#: makes between them at least on the usual bodies (torso lengths), and how far C7 moves per unit of shortfall.
BULGE_LEVELS = (1.025, 1.05, 1.075)
BULGE_BELOW = (0.925, 0.95, 0.975)
BULGE_RISE = (0.03, 0.035, 0.04, 0.045, 0.05, 0.055)
BULGE_GAIN = (1.5, 2.0, 2.5, 3.0, 3.5)


def candidates() -> dict[str, object]:
    """Every candidate setting by name: the C7 level alone (``"1.05"``, no correction) for each of ``LEVELS``,
    and ``"1.05/0.975/0.035/3"`` (level / level below / rise / gain) for each of the correction's grid."""
    from movelab.kinematics.posture_chain import CraniovertebralParams

    base = CraniovertebralParams()
    out = {f"{lv:g}": replace(base, c7_level=lv, bulge_gain=0.0) for lv in LEVELS}
    for lv, below, rise, gain in itertools.product(BULGE_LEVELS, BULGE_BELOW, BULGE_RISE, BULGE_GAIN):
        params = replace(base, c7_level=lv, bulge_level=below, bulge_rise=rise, bulge_gain=gain)
        out[f"{lv:g}/{below:g}/{rise:g}/{gain:g}"] = params
    return out


CANDIDATES = candidates()


def _lean(a, b) -> float:
    d = np.asarray(b) - np.asarray(a)
    return math.degrees(math.atan2(d[0], d[1]))


def _truth(name: str) -> dict:
    from movelab.synth.truth_chain import chain_truth_table

    clip = F._clip(name)
    fig = clip.figures[0]
    fwd, p = fig.heading[:, 0], fig.points

    def s2(v):
        return np.array([v @ fwd, v[1]])

    sh, c7 = s2(0.5 * (p["left_shoulder"] + p["right_shoulder"])), s2(p["c7"])
    chain = chain_truth_table(clip)
    return {
        "truth": float(chain["craniovertebral_angle"].median()),
        "shoulder_truth": float(chain["forward_head"].median()),
        "shoulder_ahead_of_c7_cm": 100 * (sh[0] - c7[0]),
    }


def _measured(path: Path, clip) -> dict:
    from movelab import landmarks
    from movelab.kinematics import compute_motion
    from movelab.kinematics.geometry import median_torso_length, midpoint
    from movelab.kinematics.outline_method import _to_sagittal
    from movelab.kinematics.posture_chain import _arms_down, _back_frame, _back_lines, _c7_of, craniovertebral_angle_deg
    from movelab.kinematics.views import facing_sign

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = compute_motion(landmarks.load(path))
    pos, facing = m.positions.cleaned, facing_sign(m.frame_views)
    side = np.isfinite(facing)
    torso = median_torso_length(pos, where=side)
    hip, shm, earm = (midpoint(pos, k, fallback=True) for k in ("hip", "shoulder", "ear"))
    outline = m.landmarks["outline_px"].transpose("time", "outline_point", "space_2d").values
    rows = []
    for i in np.flatnonzero(side & _arms_down(pos))[::3]:
        f = float(facing[i])
        ear = _to_sagittal(earm[i], hip[i], f, torso)
        points = clip.figures[i].points
        own_ear = _to_sagittal(clip.camera.project(0.5 * (points["left_ear"] + points["right_ear"])), hip[i], f, torso)
        r = {"shoulder_raw": _lean(_to_sagittal(shm[i], hip[i], f, torso), ear)}
        r.update(_outline_at_c7(outline[i], clip.camera.project(points["back_C7"]), hip[i], shm[i], f, torso))
        frame = _back_frame(np.asarray(outline[i], np.float64), hip_px=hip[i], shoulder_px=shm[i], facing=f,
                            torso_px=torso, smoothing=0.02)  # fmt: skip
        lines = None if frame is None else _back_lines(frame[0].smooth, frame[1])
        for key, params in CANDIDATES.items():
            c7 = np.full(2, np.nan) if frame is None else _c7_of(*frame, params, lines=lines)
            r[key] = float(craniovertebral_angle_deg(c7, ear))
            r[f"own_ear_{key}"] = float(craniovertebral_angle_deg(c7, own_ear))
        rows.append(r)
    return pd.DataFrame(rows).median().to_dict()


def _outline_at_c7(outline_px, c7_px, hip_px, shoulder_px, facing: float, torso_px: float) -> dict:
    """Where the skin over C7 lies along the trunk axis (torso lengths, 1 = the shoulder landmarks' level), and
    how far the outline's back at that level lies behind it (torso lengths, positive behind)."""
    from movelab.kinematics.outline_method import _to_sagittal
    from movelab.kinematics.posture_chain import _back_frame, _back_lines

    frame = _back_frame(np.asarray(outline_px, np.float64), hip_px=hip_px, shoulder_px=shoulder_px, facing=facing,
                        torso_px=torso_px, smoothing=0.02)  # fmt: skip
    if frame is None:
        return {"c7_level_true": math.nan, "outline_behind_c7": math.nan}
    contour, axis = frame
    c7 = _to_sagittal(c7_px, hip_px, facing, torso_px)
    across = np.array([axis[1], -axis[0]])
    level = float(c7 @ axis)
    p = _back_lines(contour.smooth, axis).point(level)
    behind = math.nan if p is None else float((c7 - p) @ across)
    return {"c7_level_true": level, "outline_behind_c7": behind}


def clips(out: Path, *, groups: tuple[str, ...] = ("design", "held_out")) -> pd.DataFrame:
    """One row per kept standing clip of a subject in ``groups`` (the truth and the measured angles)."""
    rows = []
    for name, case in F.CASES.items():
        if case[0] != "posture" or not (out / f"{name}.nc").is_file():
            continue
        sub = F.SUBJECTS[case[1]]
        if sub.group not in groups:
            continue
        truth, measured = _truth(name), _measured(out / f"{name}.nc", F._clip(name))
        rows.append({"name": name, "body": case[1], "group": sub.group, **truth, **measured})
    return pd.DataFrame(rows)


def level_fits(design: pd.DataFrame, *, prefix: str = "") -> pd.DataFrame:
    """Per candidate (:data:`CANDIDATES`): the straight line fitted on the design clips, its design MAE and max
    (also over the spine-forward design bodies alone), and the :class:`CraniovertebralParams` form of the line
    (``gain = 1 / a``, ``offset = −b / a``)."""
    out = []
    forward = design.body.str.startswith("designsf").to_numpy()
    for key in CANDIDATES:
        a, b = np.polyfit(design[prefix + key], design.truth, 1)
        err = (a * design[prefix + key] + b - design.truth).abs().to_numpy()
        out.append({"candidate": key, "gain": 1 / a, "offset_deg": -b / a, "design MAE": err.mean(),
                    "design max": err.max(), "spine-forward MAE": err[forward].mean() if forward.any() else np.nan,
                    "spine-forward max": err[forward].max() if forward.any() else np.nan})  # fmt: skip
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("MOVELAB_CACHE_DIR", ".cache")) / F.SCRIPT
    parser.add_argument("--out", type=Path, default=default, help=f"the kept clips ({default})")
    parser.add_argument("--design-only", action="store_true", help="the design clips only (the choice)")
    args = parser.parse_args(argv)
    df = clips(args.out, groups=("design",) if args.design_only else ("design", "held_out"))
    err = df.shoulder_raw - df.shoulder_truth
    ahead = df.shoulder_ahead_of_c7_cm
    print(f"clips {len(df)}; the old shoulder→ear landmark angle − its shoulder-joint truth vs the shoulder joint "
          f"ahead of C7: r = {np.corrcoef(err, ahead)[0, 1]:.2f} (joint {ahead.min():.1f} to {ahead.max():.1f} cm "
          "ahead of C7)\n")  # fmt: skip
    design = df[df.group == "design"]
    print(f"design clips: the skin over C7 at {design.c7_level_true.min():.3f}-{design.c7_level_true.max():.3f} "
          f"torso lengths along the trunk axis; the outline's back there "
          f"{design.outline_behind_c7.min():+.3f} to {design.outline_behind_c7.max():+.3f} behind it "
          "(torso lengths)\n")  # fmt: skip
    fits = level_fits(design)
    print("C7 level on the outline without the shoulder-bulge correction, straight line fitted on the design "
          "clips only:\n")  # fmt: skip
    print(fits[fits.candidate.isin([f"{lv:g}" for lv in LEVELS])].round(3).to_string(index=False))
    print("\nWith the correction (level / level below / rise / gain), the ten smallest design MAEs:\n")
    print(fits[fits.candidate.str.contains("/")].nsmallest(10, "design MAE").round(3).to_string(index=False))
    best = fits.loc[fits["design MAE"].idxmin()]
    lv, gain, offset = best["candidate"], best["gain"], best["offset_deg"]
    print(f"\nchosen: {lv}, offset {offset:.1f} deg, gain {gain:.3f}\n")
    df = df.assign(estimate=(df[lv] - round(offset, 1)) / round(gain, 3))
    df["error"] = df.estimate - df.truth
    print(df[["name", "group", "truth", "estimate", "error"]].round(1).to_string(index=False))
    for group, g in (("design", df[df.group == "design"]), ("held-out (measured once)", df[df.group == "held_out"])):
        print(f"{group}: {len(g)} clips, MAE {g.error.abs().mean():.2f} deg, max {g.error.abs().max():.1f} deg")
    own = level_fits(design, prefix="own_ear_")
    print("\nThe same with the mannequin's own ears in place of the pose model's (design clips only; ten best):\n")
    print(own.nsmallest(10, "design MAE").round(3).to_string(index=False))
    pick = own.loc[own["design MAE"].idxmin()]
    lv2 = pick["candidate"]
    own_est = (df[f"own_ear_{lv2}"] - pick["offset_deg"]) / pick["gain"]
    with_model = (df[lv2] - pick["offset_deg"]) / pick["gain"]
    held = df.group == "held_out"
    mine = (df[f"own_ear_{lv}"] - round(offset, 1)) / round(gain, 3)
    print(f"\nown ears: {lv2}, offset {pick['offset_deg']:.1f}, gain {pick['gain']:.3f}; held-out MAE "
          f"{(own_est - df.truth)[held].abs().mean():.2f} deg (max {(own_est - df.truth)[held].abs().max():.1f}); "
          f"this calibration on the pose model's ears: mean error {(with_model - df.truth).mean():+.1f} deg; "
          f"the chosen calibration on the own ears: mean error {(mine - df.truth).mean():+.1f} deg")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
