"""Why the forward head's offset is body-specific, and the calibrations tried (docs/fms-posture-decisions.md).

Reads the standing side-view clips kept by ``scripts.accuracy.fms_posture_accuracy`` (run that first), and per
clip: the truth (the mannequin's shoulder-joint midpoint → ear midpoint), the truth's C7 → ear angle and how far
the shoulder joint sits ahead of C7, and from the pose model's landmarks (median over every third frame): the
shoulder→ear angle (``raw``; ``raw_near`` with the near side's points only), the trunk lean of the landmarks,
and from the outline the back's point at levels 0.95-1.2 torso lengths along the trunk axis (a C7 stand-in):
the angle from it to the ear and the shoulder landmark's depth ahead of it. Then linear calibrations of the
truth from one to three of these, fitted on the design population (design body ``A`` and ``design1-9``) and
measured on the held-out bodies, and the within-body change's gain.

    .venv/bin/python -m scripts.accuracy.forward_head_diagnosis
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scripts.accuracy import fms_posture_accuracy as F

_LEVELS = (0.95, 1.0, 1.1, 1.2)


def _lean(a, b) -> float:
    d = np.asarray(b) - np.asarray(a)
    return math.degrees(math.atan2(d[0], d[1]))


def _truth(name: str) -> dict:
    fig = F._clip(name).figures[0]
    fwd, p = fig.heading[:, 0], fig.points

    def s2(v):
        return np.array([v @ fwd, v[1]])

    sh = s2(0.5 * (p["left_shoulder"] + p["right_shoulder"]))
    ear, c7 = s2(0.5 * (p["left_ear"] + p["right_ear"])), s2(p["c7"])
    return {"truth": _lean(sh, ear), "c7_ear": _lean(c7, ear), "shoulder_ahead_of_c7_cm": 100 * (sh[0] - c7[0])}


def _measured(path: Path) -> dict:
    from movelab import landmarks
    from movelab.kinematics import compute_motion
    from movelab.kinematics.geometry import median_torso_length, midpoint, point
    from movelab.kinematics.outline_method import _prepare, _to_sagittal
    from movelab.kinematics.posture_chain import _back_point
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
    for i in np.flatnonzero(side)[::3]:
        f = float(facing[i])

        def sag(v, i=i, f=f):
            return _to_sagittal(v, hip[i], f, torso)

        s, e = sag(shm[i]), sag(earm[i])
        sn, en = sag(point(pos, "right_shoulder")[i]), sag(point(pos, "right_ear")[i])
        contour = _prepare(sag(np.asarray(outline[i], np.float64)), 0.02).smooth
        axis = s / np.hypot(*s)
        r = {"raw": _lean(s, e), "raw_near": _lean(sn, en), "trunk": _lean(np.zeros(2), s)}
        for lv in _LEVELS:
            b = _back_point(contour, axis, lv)
            r[f"back{lv}_ear"] = _lean(b, e) if b is not None else math.nan
            r[f"shoulder_depth{lv}"] = (s - b)[0] if b is not None else math.nan
        rows.append(r)
    return pd.DataFrame(rows).median().to_dict()


def clips(out: Path) -> pd.DataFrame:
    rows = []
    for name, case in F.CASES.items():
        if case[0] != "posture" or not (out / f"{name}.nc").is_file():
            continue
        sub = F.SUBJECTS[case[1]]
        rows.append(
            {"name": name, "body": case[1], "group": sub.group, **_truth(name), **_measured(out / f"{name}.nc")}
        )
    return pd.DataFrame(rows)


def fits(df: pd.DataFrame, *, k_max: int = 3) -> pd.DataFrame:
    d, h = df[df.group == "design"], df[df.group == "held_out"]
    cands = (
        ["raw", "raw_near", "trunk"] + [f"back{lv}_ear" for lv in _LEVELS] + [f"shoulder_depth{lv}" for lv in _LEVELS]
    )
    out = []
    for k in range(1, k_max + 1):
        for cols in itertools.combinations(cands, k):
            x = np.column_stack([d[c] for c in cols] + [np.ones(len(d))])
            w, *_ = np.linalg.lstsq(x, d.truth.to_numpy(), rcond=None)

            def pred(t, w=w, cols=cols):
                return np.column_stack([t[c] for c in cols] + [np.ones(len(t))]) @ w

            eh = np.abs(pred(h) - h.truth)
            out.append({"features": " + ".join(cols), "design MAE": np.abs(pred(d) - d.truth).mean(),
                        "held-out MAE": eh.mean(), "held-out max": eh.max()})  # fmt: skip
    return pd.DataFrame(out)


def change_gain(df: pd.DataFrame) -> str:
    neutral = df[df.name.str.endswith("fhn_k30")].set_index("body")
    df = df.assign(rc=df.raw - df.body.map(neutral.raw), tc=df.truth - df.body.map(neutral.truth))
    moved = df[~df.name.str.endswith("fhn_k30")]
    d, h = moved[moved.group == "design"], moved[moved.group == "held_out"]
    gain = float((d.rc * d.tc).sum() / (d.tc**2).sum())
    lines = ["| gain | design change MAE ° (max) | held-out change MAE ° (max) |", "|---|---|---|"]
    for g in (1.0, gain):
        cells = [f"{(t.rc / g - t.tc).abs().mean():.2f} ({(t.rc / g - t.tc).abs().max():.1f})" for t in (d, h)]
        lines.append(f"| {g:.3f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    out = Path(os.environ.get("MOVELAB_CACHE_DIR", ".cache")) / F.SCRIPT
    df = clips(out)
    err = df.raw - df.truth
    print(f"clips {len(df)}; landmark angle − truth vs shoulder joint ahead of C7: r = "
          f"{np.corrcoef(err, df.shoulder_ahead_of_c7_cm)[0, 1]:.2f}; shoulder ahead of C7 "
          f"{df.shoulder_ahead_of_c7_cm.min():.1f} to {df.shoulder_ahead_of_c7_cm.max():.1f} cm; "
          f"C7→ear standing neutral: {sorted(set(df[df.name.str.endswith('fhn_k30')].c7_ear.round(1)))}\n")  # fmt: skip
    print(
        df[["name", "truth", "c7_ear", "shoulder_ahead_of_c7_cm", "raw", "raw_near", "trunk"]]
        .round(1)
        .to_string(index=False)
    )
    table = fits(df).sort_values("held-out MAE")
    print("\nCalibrations fitted on the design population, measured on held-out bodies (best 12 by held-out MAE, then"
          " the best 6 without the landmarks' trunk lean):\n")  # fmt: skip
    print(table.head(12).round(2).to_string(index=False))
    print()
    print(table[~table.features.str.contains("trunk")].head(6).round(2).to_string(index=False))
    print("\nWithin-body change from neutral standing, divided by a gain fitted through zero on the design changes:\n")
    print(change_gain(df))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
