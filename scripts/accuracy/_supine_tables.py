"""The tables of :mod:`scripts.accuracy.supine_accuracy` from the kept landmarks."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.findings.supine import SupineConfig, aslr_sides, thomas_sides

#: The supine angle tables of the evaluated clips, by name (for the left/right pairs).
_ANGLES: dict[str, pd.DataFrame] = {}


def evaluate(case, out: Path, config: SupineConfig = SupineConfig()) -> dict:
    """One row: the truth, the measured values and the recognised movement of ``case``."""
    from movelab import landmarks
    from movelab.events import recognise_movement
    from movelab.kinematics import compute_motion
    from movelab.kinematics.supine import motion_supine_angles

    truth = json.loads((out / f"{case.name}.supine.json").read_text())
    ds = landmarks.load(out / f"{case.name}.nc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        motion = compute_motion(ds)
        recognised = recognise_movement(motion)
    angles, table = motion_supine_angles(motion)
    _ANGLES[case.name] = angles
    row = {
        "case": case.name,
        "set": case.set,
        "test": case.test,
        "side": case.side,
        "body": case.body,
        "camera_height_m": case.camera_height_m,
        "recognised": recognised,
        "table_tilt_deg": table["tilt_deg"],
    }
    row.update({f"true_{k}": v for k, v in truth.items() if k not in ("test", "side")})
    # the truth table's knee angle (the .supine.json of the first renders has NaN for a straight knee)
    last = pd.read_csv(out / f"{case.name}.truth.csv").iloc[-1]
    row["true_knee_deg"] = abs(float(last[f"knee_flexion_{case.side}"]))
    if case.test == "thomas":
        found = {s.side: s for s in thomas_sides(angles, config=config)}
        s = found.get(case.side)
        row.update(
            hip_deg=s.hip_deg if s else np.nan,
            knee_deg=s.knee_deg if s else np.nan,
            sides_found=",".join(found),
            back_gap=s.back_gap if s else np.nan,
        )
    else:
        found = {s.side: s for s in aslr_sides(angles, config=config)}
        s = found.get(case.side)
        row.update(
            hip_deg=s.raise_deg if s else np.nan,
            knee_deg=s.knee_deg if s else np.nan,
            rest_deg=s.rest_deg if s else np.nan,
            ankle_fraction=s.ankle_fraction if s else np.nan,
            fms_score=s.fms_score if s and s.fms_score is not None else np.nan,
            knee_straight=s.knee_straight if s else None,
            rest_down=s.rest_down if s else None,
            sides_found=",".join(found),
        )
    return row


def _md(table: pd.DataFrame) -> str:
    head = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in r) + " |" for r in table.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def _errors(rows: pd.DataFrame, measured: str, true: str, *, digits: int = 1) -> tuple[str, str, str, str]:
    e = (rows[measured] - rows[true]).to_numpy(dtype=float)
    ok = np.isfinite(e)
    if not ok.any():
        return "n/a", "n/a", "n/a", f"0/{e.size}"
    e = e[ok]
    f = f".{digits}f"
    return f"{np.mean(np.abs(e)):{f}}", f"{np.mean(e):+{f}}", f"{np.max(np.abs(e)):{f}}", f"{ok.sum()}/{ok.size}"


def print_tables(cases, out: Path) -> pd.DataFrame:
    config = SupineConfig()
    rows = pd.DataFrame([evaluate(c, out, config) for c in cases])
    rows.to_csv(out / "supine_rows.csv", index=False)
    print("### Angle errors (degrees): MAE, bias, largest, clips measured\n")
    lines = []
    for (set_name, test), g in rows.groupby(["set", "test"], sort=False):
        for label, cam in [
            ("all heights", None),
            *[(f"camera {h:.2f} m", h) for h in sorted(g.camera_height_m.unique())],
        ]:
            sub = g if cam is None else g[g.camera_height_m == cam]
            hip = _errors(sub, "hip_deg", "true_hip_deg")
            knee = _errors(sub, "knee_deg", "true_knee_deg")
            lines.append(
                {
                    "set": set_name,
                    "test": test,
                    "clips": label,
                    "hip MAE": hip[0],
                    "hip bias": hip[1],
                    "hip max": hip[2],
                    "knee MAE": knee[0],
                    "knee bias": knee[1],
                    "knee max": knee[2],
                    "measured": hip[3],
                }
            )
    print(_md(pd.DataFrame(lines)))
    th = rows[rows.test == "thomas"]
    print("\n### Thomas findings against the truth's\n")
    lines = []
    for set_name, g in th.groupby("set", sort=False):
        hip_ok = ((g.hip_deg > config.thomas_hip_max_deg) == (g.true_hip_deg > config.thomas_hip_max_deg)).sum()
        knee_ok = ((g.knee_deg < config.thomas_knee_min_deg) == (g.true_knee_deg < config.thomas_knee_min_deg)).sum()
        lines.append(
            {
                "set": set_name,
                "clips": len(g),
                "short one-joint flexors right": f"{hip_ok}/{len(g)}",
                "short rectus femoris right": f"{knee_ok}/{len(g)}",
            }
        )
    print(_md(pd.DataFrame(lines)))
    _print_pairs(th, config)
    sl = rows[rows.test == "aslr"]
    print("\n### FMS ASLR score against the truth's\n")
    lines = []
    for set_name, g in sl.groupby("set", sort=False):
        straight = (g.true_knee_deg < 1.0) & (g.true_other_hip_deg.abs() < 10.0)
        for label, sub in (("raise 40-100°, knee straight", g[straight]), ("bent knee or lifted leg", g[~straight])):
            if sub.empty:
                continue
            fr = _errors(sub, "ankle_fraction", "true_ankle_fraction", digits=2)
            equal = f"{(sub.fms_score == sub.true_fms_score).sum()}/{len(sub)}"
            lines.append(
                {
                    "set": set_name,
                    "clips": label,
                    "score equal": equal,
                    "ankle fraction MAE": fr[0],
                    "bias": fr[1],
                    "largest": fr[2],
                }
            )
    print(_md(pd.DataFrame(lines)))
    print("\n### ASLR conditions against the truth's (knee within 10° of straight, other thigh within 10°)\n")
    lines = []
    for set_name, g in sl.groupby("set", sort=False):
        knee_ok = (g.knee_straight.astype(bool) == (g.true_knee_deg <= 10.0)).sum()
        rest_ok = (g.rest_down.astype(bool) == (g.true_other_hip_deg.abs() <= 10.0)).sum()
        lines.append(
            {
                "set": set_name,
                "clips": len(g),
                "knee straight right": f"{knee_ok}/{len(g)}",
                "other leg down right": f"{rest_ok}/{len(g)}",
            }
        )
    print(_md(pd.DataFrame(lines)))
    print("\n### Recognised movement\n")
    rec = rows.groupby(["set", "test"])["recognised"].value_counts().rename("clips").reset_index()
    print(_md(rec))
    print("\n### Clips\n")
    cols = ["case", "true_hip_deg", "hip_deg", "true_knee_deg", "knee_deg", "sides_found", "recognised"]
    if "fms_score" in rows:
        cols += ["true_fms_score", "fms_score"]
    shown = rows[cols].copy()
    for c in shown.columns:
        if shown[c].dtype.kind == "f":
            shown[c] = shown[c].round(1)
    print(_md(shown))
    return rows


def _print_pairs(th: pd.DataFrame, config: SupineConfig) -> None:
    """Left/right difference findings on every pair of a left and a right clip of one body and camera height
    (the two clips' tables one after the other, as one video): flagged when the true difference passes twice
    the method error, by hip or knee."""
    from movelab.findings.supine import supine_findings

    print("\n### Thomas left/right difference against the truth's (pairs of a left and a right clip)\n")
    lines = []
    for set_name, g in th.groupby("set", sort=False):
        right = agree = near = 0
        for (_, _), pair in g.groupby(["body", "camera_height_m"]):
            lefts, rights = pair[pair.side == "left"], pair[pair.side == "right"]
            for _, a in lefts.iterrows():
                for _, b in rights.iterrows():
                    both = pd.concat([_ANGLES[a.case], _ANGLES[b.case]])
                    both.index = pd.Index(np.arange(len(both)) * 0.1, name="time_s")
                    flagged = any(f.code == "left_right_asymmetry" for f in supine_findings("thomas", both))
                    hip, knee = a.true_hip_deg - b.true_hip_deg, a.true_knee_deg - b.true_knee_deg
                    truth = abs(hip) > 2 * config.hip_error_deg or abs(knee) > 2 * config.knee_error_deg
                    right += 1
                    agree += flagged == truth
                    near += (
                        min(abs(abs(hip) - 2 * config.hip_error_deg), abs(abs(knee) - 2 * config.knee_error_deg)) <= 4.0
                    )
        lines.append(
            {
                "set": set_name,
                "pairs": right,
                "finding equal to the truth's": f"{agree}/{right}",
                "pairs whose true difference is within 4° of a threshold": near,
            }
        )
    print(_md(pd.DataFrame(lines)))


def print_others(globs: list[str]) -> None:
    """The movements recognised in kept landmark files of other movements (squats, lunges, walks, posture)."""
    import glob
    from collections import Counter

    from movelab import landmarks
    from movelab.events import recognise_movement
    from movelab.kinematics import compute_motion

    files = sorted({f for pattern in globs for f in glob.glob(pattern)})
    counts: Counter = Counter()
    for path in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            counts[recognise_movement(compute_motion(landmarks.load(path)))] += 1
    print(f"\n### Other movements' kept landmarks ({len(files)} files)\n")
    print(_md(pd.DataFrame([{"recognised": k, "files": v} for k, v in sorted(counts.items())])))
