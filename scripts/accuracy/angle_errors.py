"""Measure the landmark angles' error on rendered mannequin videos (knee, hip, thigh, ankle, trunk; frontal).

Renders ten short mannequin clips that are *not* the shipped samples -- squat, lunge and gait, both facing
directions, camera distances 3.5-7 m, cameras above and below hip level, one oblique camera (70 deg azimuth,
20 deg off profile), four body builds, several shirt and trouser colours and all four skin tones, and one
front-view squat -- runs the real pose extraction on each (MediaPipe, no landmark cache), computes
:func:`movelab.kinematics.compute_angles` with the views detected as ``movelab analyse`` does, and compares
each angle with the figure's truth (its 3D angles in its own anatomical planes, ``docs/synth.md``).

Prints markdown tables: per clip and pooled, the mean absolute error, the bias (measured - truth) and the
number of frames with a measured value, for ``knee_flexion``, ``hip_flexion``, ``thigh_angle``,
``ankle_dorsiflexion`` (near leg, i.e. the leg on the camera's side, and both legs pooled) and ``trunk_lean``
in the side-view clips, and ``knee_fppa`` (both legs), ``pelvic_obliquity`` and ``trunk_lateral_lean`` in
the front-view clip.

Usage::

    python -m scripts.accuracy.angle_errors                    # the tables of docs/kinematics-accuracy.md (~70-110 s)
    python -m scripts.accuracy.angle_errors --only gait_right squat_front
    python -m scripts.accuracy.angle_errors --known-view       # give the true view instead of detecting it
    python -m scripts.accuracy.angle_errors --realistic        # the same clips filmed as by a handheld phone
    python -m scripts.accuracy.angle_errors --work .cache/angle_errors            # keep clips, truth and landmarks
    python -m scripts.accuracy.angle_errors --work .cache/angle_errors --reuse    # evaluate the kept ones again
    python -m scripts.accuracy.angle_errors --trunk-sources .cache/angle_errors   # where the trunk's error comes from
    python -m scripts.accuracy.angle_errors --cases off_profile --work .cache/angle_errors_off_profile  # 10-15° off
    python -m scripts.accuracy.angle_errors --kept .cache/lunge_timing_accuracy_postfix split_side_R  # kept clips
    python -m scripts.accuracy.angle_errors --work .cache/angle_errors --reuse --shoulder-shift-max 0  # no shift

Everything is deterministic: rendering is, and MediaPipe runs on the CPU in VIDEO mode.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics import compute_angles
from movelab.kinematics.config import KinematicsConfig
from movelab.synth import SKIN_TONES, Appearance, BodyProportions, Gait, Lunge, Squat, render_clip
from scripts.accuracy._common import add_realistic, realism_for, realistic_note

FPS = 30.0
LEG_ANGLES = ("knee_flexion", "hip_flexion", "thigh_angle", "ankle_dorsiflexion")
SHORT = {
    "knee_flexion": "knee",
    "hip_flexion": "hip",
    "thigh_angle": "thigh",
    "ankle_dorsiflexion": "ankle",
    "trunk_lean": "trunk",
    "knee_fppa": "knee FPPA",
    "pelvic_obliquity": "pelvic obliquity",
    "trunk_lateral_lean": "trunk lateral",
}

TALL = BodyProportions(height_m=1.92, girth=0.95)
SHORT_BODY = BodyProportions(height_m=1.58, girth=0.9)
STOUT = BodyProportions(height_m=1.72, girth=1.2, belly=1.25, buttocks=1.1)


def _squat(**kw) -> Squat:
    """A one-repetition squat of about 2.4 s."""
    base = dict(reps=1, lead_in_s=0.3, descent_s=0.8, pause_bottom_s=0.2, ascent_s=0.7, pause_top_s=0.4)
    return Squat(**{**base, **kw})


def _lunge(**kw) -> Lunge:
    """A one-repetition lunge of about 2.8 s (forward) or 1.8 s (split)."""
    base = dict(reps=1, lead_in_s=0.2, step_s=0.5, descent_s=0.6, pause_bottom_s=0.2, ascent_s=0.6, pause_top_s=0.2)
    return Lunge(**{**base, **kw})


@dataclass(frozen=True)
class Case:
    """One rendered clip: the motion, the camera and the figure."""

    name: str
    motion: object
    view: str = "side_right"
    azimuth_deg: float | None = None
    distance_m: float | None = None
    camera_height_m: float | None = None
    size_px: tuple[int, int] = (640, 480)
    body: BodyProportions = field(default_factory=BodyProportions)
    appearance: Appearance = field(default_factory=Appearance)
    note: str = ""

    @property
    def true_view(self) -> str:
        """The view the camera gives (an azimuth within 30 deg of a profile is that side view)."""
        if self.azimuth_deg is None:
            return self.view
        az = self.azimuth_deg % 360.0
        return "side_right" if abs(az - 90) <= 30 else "side_left" if abs(az - 270) <= 30 else "oblique"


CASES: tuple[Case, ...] = (
    Case(
        "squat_right_tall",
        _squat(depth_deg=115, trunk_lean_deg=42, lumbar_flexion_deg=10),
        distance_m=3.8,
        camera_height_m=1.3,
        body=TALL,
        appearance=Appearance(shirt_rgb=(230, 230, 225), trousers_rgb=(25, 25, 25), skin_rgb=SKIN_TONES["light"]),
        note="squat to 115 deg, trunk 42; 1.92 m; facing right, 3.8 m, camera 1.3 m high; white shirt, light skin",
    ),
    Case(
        "squat_left_short",
        _squat(depth_deg=90, trunk_lean_deg=25, heel_lift_deg=8),
        view="side_left",
        distance_m=5.5,
        body=SHORT_BODY,
        appearance=Appearance(shirt_rgb=(170, 40, 40), trousers_rgb=(40, 60, 110), skin_rgb=SKIN_TONES["dark"]),
        note="squat to 90 deg, trunk 25, heels lift 8 deg; 1.58 m; facing left, 5.5 m; red shirt, jeans, dark skin",
    ),
    Case(
        "squat_oblique70",
        _squat(depth_deg=100, trunk_lean_deg=35),
        azimuth_deg=70.0,
        body=STOUT,
        appearance=Appearance(shirt_rgb=(40, 110, 60), trousers_rgb=(110, 90, 60), skin_rgb=SKIN_TONES["tan"]),
        note="squat to 100 deg, trunk 35; stout (girth 1.2, belly 1.25); camera at 70 deg azimuth "
        "(20 deg off the right profile, front-right), 4.5 m; green shirt, tan skin",
    ),
    Case(
        "squat_right_small",
        _squat(depth_deg=80, trunk_lean_deg=20),
        distance_m=6.5,
        camera_height_m=0.6,
        size_px=(480, 360),
        appearance=Appearance(shirt_rgb=(200, 160, 40), trousers_rgb=(30, 30, 30), light_from="right"),
        note="squat to 80 deg, trunk 20; default body; facing right, 6.5 m, camera 0.6 m high, 480x360; "
        "yellow shirt, light from the right",
    ),
    Case(
        "lunge_left_stout",
        _lunge(kind="forward", lead_side="right", depth_deg=90, trunk_lean_deg=10),
        view="side_left",
        camera_height_m=0.7,
        body=STOUT,
        appearance=Appearance(shirt_rgb=(90, 90, 90), trousers_rgb=(20, 20, 20), skin_rgb=SKIN_TONES["medium"]),
        note="forward lunge, right lead, front knee 90 deg; stout; facing left, 4.5 m, camera 0.7 m high; grey shirt",
    ),
    Case(
        "lunge_right_tall",
        _lunge(kind="split", lead_side="left", depth_deg=100, trunk_lean_deg=5),
        distance_m=6.0,
        body=TALL,
        appearance=Appearance(
            shirt_rgb=(60, 60, 140), trousers_rgb=(90, 30, 30), sleeve="long", skin_rgb=SKIN_TONES["light"]
        ),
        note="split squat, left lead, front knee 100 deg; 1.92 m; facing right, 6 m; navy long sleeves, red trousers",
    ),
    Case(
        "gait_right_short",
        Gait(duration_s=2.5, cadence_spm=112, step_length_m=0.55, hip_extension_deg=12),
        distance_m=6.0,
        body=SHORT_BODY,
        appearance=Appearance(shirt_rgb=(120, 50, 130), trousers_rgb=(50, 50, 60), skin_rgb=SKIN_TONES["medium"]),
        note="overground walk 2.5 s, 112 steps/min; 1.58 m; facing right, 6 m; purple shirt",
    ),
    Case(
        "gait_left_tall",
        Gait(duration_s=2.5, cadence_spm=100, step_length_m=0.75, hip_extension_deg=18),
        view="side_left",
        camera_height_m=1.4,
        body=TALL,
        appearance=Appearance(shirt_rgb=(220, 120, 40), trousers_rgb=(40, 40, 90), skin_rgb=SKIN_TONES["dark"]),
        note="overground walk 2.5 s, 100 steps/min; 1.92 m; facing left, 7 m, camera 1.4 m high; orange shirt, "
        "dark skin",
    ),
    Case(
        "gait_treadmill_stout",
        Gait(duration_s=2.5, treadmill=True, cadence_spm=104, step_length_m=0.6),
        distance_m=3.5,
        body=STOUT,
        appearance=Appearance(shirt_rgb=(30, 30, 30), trousers_rgb=(70, 80, 100), skin_rgb=SKIN_TONES["tan"]),
        note="treadmill walk 2.5 s, 104 steps/min; stout; facing right, 3.5 m; black shirt, tan skin",
    ),
    Case(
        "squat_front",
        _squat(depth_deg=95, trunk_lean_deg=30, knee_valgus_deg=8),
        view="front",
        distance_m=4.0,
        body=TALL,
        appearance=Appearance(shirt_rgb=(200, 60, 90), trousers_rgb=(30, 30, 30), skin_rgb=SKIN_TONES["tan"]),
        note="squat to 95 deg with 8 deg valgus at the bottom; 1.92 m; front, 4 m; pink shirt, tan skin",
    ),
)


#: Design clips 10-15 deg off profile (``--cases off_profile``): where the side-view trunk line's near-shoulder
#: share (docs/kinematics.md, *Trunk line in side views*) must hand back to the shoulders' midpoint.
OFF_PROFILE_CASES: tuple[Case, ...] = (
    Case(
        "squat_az80",
        _squat(depth_deg=100, trunk_lean_deg=30),
        azimuth_deg=80.0,
        body=TALL,
        appearance=Appearance(shirt_rgb=(60, 100, 160), trousers_rgb=(30, 30, 30), skin_rgb=SKIN_TONES["light"]),
        note="squat to 100 deg, trunk 30; 1.92 m; camera at 80 deg azimuth (10 deg off the right profile, "
        "front-right), 4.5 m; blue shirt, light skin",
    ),
    Case(
        "squat_az105",
        _squat(depth_deg=90, trunk_lean_deg=25),
        azimuth_deg=105.0,
        body=SHORT_BODY,
        appearance=Appearance(shirt_rgb=(150, 60, 40), trousers_rgb=(40, 60, 110), skin_rgb=SKIN_TONES["dark"]),
        note="squat to 90 deg, trunk 25; 1.58 m; camera at 105 deg azimuth (15 deg off the right profile, "
        "back-right), 4.5 m; rust shirt, jeans, dark skin",
    ),
    Case(
        "lunge_az80",
        _lunge(kind="forward", lead_side="left", depth_deg=90, trunk_lean_deg=10),
        azimuth_deg=80.0,
        appearance=Appearance(shirt_rgb=(200, 200, 200), trousers_rgb=(20, 20, 20), skin_rgb=SKIN_TONES["tan"]),
        note="forward lunge, left lead, front knee 90 deg; default body; camera at 80 deg azimuth (10 deg off "
        "the right profile, front-right), 4.5 m; light grey shirt",
    ),
    Case(
        "lunge_az105",
        _lunge(kind="split", lead_side="right", depth_deg=100, trunk_lean_deg=5),
        azimuth_deg=105.0,
        body=STOUT,
        appearance=Appearance(shirt_rgb=(40, 120, 120), trousers_rgb=(60, 40, 30), skin_rgb=SKIN_TONES["medium"]),
        note="split squat, right lead, front knee 100 deg; stout; camera at 105 deg azimuth (15 deg off the "
        "right profile, back-right), 4.5 m; teal shirt",
    ),
)
CASE_SETS = {"main": CASES, "off_profile": OFF_PROFILE_CASES}


def _render(case: Case, folder: Path, *, realistic: bool = False, without: tuple[str, ...] = ()) -> Path:
    """Render ``case`` into ``folder``: ``<name>.mp4`` and its truth files; returns the video's path."""
    w, h = case.size_px
    clip = render_clip(
        case.motion,
        view=case.view,
        azimuth_deg=case.azimuth_deg,
        fps=FPS,
        width_px=w,
        height_px=h,
        distance_m=case.distance_m,
        camera_height_m=case.camera_height_m,
        body=case.body,
        appearance=case.appearance,
        realism=realism_for(case.name, realistic, without=tuple(without)),
    )
    path = folder / f"{case.name}.mp4"
    clip.write(path, crf=18)
    return path


def _extract(path: Path):
    from movelab.extraction import extract

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(path, use_cache=False)


def _kept_or_new(case: Case, folder: Path, args: argparse.Namespace) -> tuple[object, pd.DataFrame, dict]:
    """``(landmarks, truth table, truth meta)`` of a clip: kept in ``folder`` (``<name>.nc`` beside the clip's
    truth files) with ``--reuse``, else rendered, extracted and kept there."""
    import json

    from movelab import landmarks

    lm_path = folder / f"{case.name}.nc"
    truth_csv, truth_json = lm_path.with_suffix(".truth.csv"), lm_path.with_suffix(".truth.json")
    if args.reuse:
        if not all(p.is_file() for p in (lm_path, truth_csv, truth_json)):
            raise SystemExit(f"--reuse: expected {lm_path.name} and its truth files in {folder}; run without --reuse")
        ds = landmarks.load(lm_path)
    else:
        path = _render(case, folder, realistic=args.realistic, without=args.without)
        ds = _extract(path)
        landmarks.save(ds, lm_path)
    # the truth as written (4 decimals), so that a run and its --reuse print the same tables
    return ds, pd.read_csv(truth_csv), json.loads(truth_json.read_text())


def _sagittal_lean_deg(vector_px: np.ndarray, facing: np.ndarray) -> np.ndarray:
    """Lean from vertical of image vectors ``(x, y down)``, forward (``facing`` · x) positive."""
    return np.degrees(np.arctan2(vector_px[:, 0] * facing, -vector_px[:, 1]))


def trunk_sources(folder: Path, names: list[str] | None = None) -> str:
    """Where the trunk line's error comes from, per side-view clip kept in ``folder`` (``<name>.nc`` beside
    its truth files, e.g. this script's ``--work`` folder or a timing script's kept clips); only ``names`` when
    given.

    The trunk lean (and with it ``hip_flexion = trunk_lean + thigh_angle``) is read here on the midpoints of the
    two shoulders and the two hips (``side_view_shoulder_shift_max=0``: the error the shift corrects). Each
    landmark's offset from the figure's projected joint, across the true trunk
    line and forward positive, moves the lean by ``±offset / 2 / trunk length`` (shoulders +, hips −): those
    four shares, in degrees, sum to about the lean's bias. Also: the lean read on the camera-side shoulder and
    hip alone (the far ones left out), that line on the projected joints (its error from geometry alone), the
    near leg's hip flexion on it (``thigh_angle`` + that lean), and MediaPipe's mean visibility of the hips.
    Frames "at depth": the lead leg's (or either leg's) true knee flexion over 60 deg."""
    lines = [
        "| clip | view, lead leg, near leg | frames | trunk lean MAE / bias (at depth) | near shoulder | far shoulder "
        "| near hip | far hip | near side only: MAE / bias | near side only, projected joints | "
        "hip (near) MAE / bias | hip (near) on the near side's trunk | thigh (near) bias | hips' visibility |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    paths = sorted(folder.glob("*.nc")) if not names else [folder / f"{name}.nc" for name in names]
    rows = [_trunk_row(path) for path in paths]
    return "\n".join(lines + [row for row in rows if row])


def _trunk_row(lm_path: Path) -> str:
    """One row of :func:`trunk_sources`, or "" for a clip without truth files or side view."""
    import json

    from movelab import landmarks
    from movelab.kinematics import compute_motion
    from movelab.kinematics.views import facing_sign

    truth_csv, truth_json = lm_path.with_suffix(".truth.csv"), lm_path.with_suffix(".truth.json")
    if not (truth_csv.is_file() and truth_json.is_file()):
        return ""
    meta = json.loads(truth_json.read_text())
    near = meta["near_side"]
    if near not in ("left", "right"):
        return ""
    far = "left" if near == "right" else "right"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(lm_path), config=KinematicsConfig(side_view_shoulder_shift_max=0.0))
    facing = facing_sign(motion.frame_views)
    if not np.isfinite(facing).any():
        return ""
    truth = pd.read_csv(truth_csv).set_index("frame").loc[np.asarray(motion.frame)]
    pos = motion.positions.cleaned

    def seen(name: str) -> np.ndarray:
        return pos.sel(keypoint=name).values

    def true(name: str) -> np.ndarray:
        return truth[[f"{name}_x_px", f"{name}_y_px"]].to_numpy()

    trunk = 0.5 * (true("left_shoulder") + true("right_shoulder") - true("left_hip") - true("right_hip"))
    length = np.linalg.norm(trunk, axis=1)
    along = trunk / length[:, None]
    ahead = np.stack([facing, np.zeros_like(facing)], axis=1)
    ahead -= (ahead * along).sum(axis=1)[:, None] * along
    ahead /= np.linalg.norm(ahead, axis=1)[:, None]
    lead = meta["parameters"].get("lead_side")
    knee = [f"knee_flexion_{lead}"] if lead else ["knee_flexion_left", "knee_flexion_right"]
    deep = truth[knee].max(axis=1).to_numpy() > 60.0
    true_lean = truth["trunk_lean"].to_numpy()
    err = motion.angles["trunk_lean"].to_numpy() - true_lean
    cells = []
    for stem, sign in (("shoulder", 1.0), ("hip", -1.0)):
        for side in (near, far):
            offset = ((seen(f"{side}_{stem}") - true(f"{side}_{stem}")) * ahead).sum(axis=1)
            share = np.degrees(sign * offset / 2.0 / length)
            leg = f", {'front' if side == lead else 'rear'} leg" if stem == "hip" and lead else ""
            cells.append(f"{np.nanmean(offset):+.1f} px{leg}: {np.nanmean(share):+.1f}°")
    near_only = _sagittal_lean_deg(seen(f"{near}_shoulder") - seen(f"{near}_hip"), facing) - true_lean
    geometry = _sagittal_lean_deg(true(f"{near}_shoulder") - true(f"{near}_hip"), facing) - true_lean
    hip = motion.angles[f"hip_flexion_{near}"].to_numpy() - truth[f"hip_flexion_{near}"].to_numpy()
    thigh = motion.angles[f"thigh_angle_{near}"].to_numpy() - truth[f"thigh_angle_{near}"].to_numpy()
    at_depth = f"{np.nanmean(err[deep]):+.1f}" if deep.any() else "–"
    seen_by = motion.landmarks["visibility"]
    visibility = " / ".join(f"{float(seen_by.sel(keypoint=f'{side}_hip').mean()):.2f}" for side in (near, far))
    return (
        f"| {lm_path.stem} | {meta['view']}, {lead or '–'}, {near} | {int(np.isfinite(err).sum())} | "
        f"{_mae_bias(err)} ({at_depth}) | " + " | ".join(cells) + f" | {_mae_bias(near_only)} | "
        f"{_mae_bias(geometry)} | {_mae_bias(hip)} | {_mae_bias(hip - err + near_only)} | "
        f"{np.nanmean(thigh):+.1f} | {visibility} |"
    )


def _mae_bias(err: np.ndarray) -> str:
    return f"{np.nanmean(np.abs(err)):.1f} / {np.nanmean(err):+.1f}"


def _stats(err: np.ndarray) -> tuple[float, float, int]:
    err = np.asarray(err, dtype=np.float64)
    err = err[np.isfinite(err)]
    if err.size == 0:
        return np.nan, np.nan, 0
    return float(np.mean(np.abs(err))), float(np.mean(err)), int(err.size)


def _errors(angles: pd.DataFrame, truth: pd.DataFrame, near: str) -> dict[str, np.ndarray]:
    """Per quantity, the per-frame errors measured - truth (NaN where nothing was measured)."""
    true = truth.set_index("frame").loc[angles["frame"].to_numpy()]

    def err(name: str) -> np.ndarray:
        return angles[name].to_numpy(dtype=np.float64) - true[name].to_numpy(dtype=np.float64)

    out: dict[str, np.ndarray] = {}
    for base in LEG_ANGLES:
        if near in ("left", "right"):
            out[f"{base} near"] = err(f"{base}_{near}")
        out[f"{base} both"] = np.concatenate([err(f"{base}_left"), err(f"{base}_right")])
    out["trunk_lean"] = err("trunk_lean")
    out["knee_fppa both"] = np.concatenate([err("knee_fppa_left"), err("knee_fppa_right")])
    out["pelvic_obliquity"] = err("pelvic_obliquity")
    out["trunk_lateral_lean"] = err("trunk_lateral_lean")
    return out


SIDE_COLUMNS = [f"{b} {w}" for b in LEG_ANGLES for w in ("near", "both")] + ["trunk_lean"]
FRONT_COLUMNS = ["knee_fppa both", "pelvic_obliquity", "trunk_lateral_lean"]


def _header(col: str) -> str:
    if " " in col:
        base, which = col.split(" ")
        return f"{SHORT[base]} ({which})"
    return SHORT[col]


def _cell(err: np.ndarray | None) -> str:
    if err is None:
        return "–"
    mae, bias, n = _stats(err)
    if n == 0:
        return "– (0)"
    return f"{mae:.1f} / {bias:+.1f} ({n})"


def _robust_cell(err: np.ndarray | None) -> str:
    if err is None:
        return "–"
    err = np.abs(np.asarray(err, dtype=np.float64))
    err = err[np.isfinite(err)]
    if err.size == 0:
        return "–"
    return f"{np.median(err):.1f} / {np.percentile(err, 90):.1f}"


def _table(rows: list[tuple[str, int, dict[str, np.ndarray]]], columns: list[str], cell=_cell) -> str:
    lines = ["| clip | frames | " + " | ".join(_header(c) for c in columns) + " |", "|---|---|" + "---|" * len(columns)]
    for name, frames, errs in rows:
        lines.append(f"| {name} | {frames} | " + " | ".join(cell(errs.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def _pool(rows: list[tuple[str, int, dict[str, np.ndarray]]], label: str) -> tuple[str, int, dict]:
    pooled: dict[str, np.ndarray] = {}
    for _, _, errs in rows:
        for k, v in errs.items():
            pooled[k] = np.concatenate([pooled[k], v]) if k in pooled else v
    return label, sum(f for _, f, _ in rows), pooled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        choices=sorted(CASE_SETS),
        default="main",
        help="main: the ten clips of docs/kinematics-accuracy.md; off_profile: four design clips 10-15 deg off profile",
    )
    parser.add_argument(
        "--only", nargs="+", choices=[c.name for cs in CASE_SETS.values() for c in cs], help="clips to run"
    )
    parser.add_argument(
        "--known-view", action="store_true", help="give compute_angles the true view instead of detecting the views"
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="folder for the rendered clips, their truth files and landmarks (default: a temporary one)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --work: evaluate the landmarks and truth kept there instead of rendering and extracting again",
    )
    add_realistic(parser, without=True)
    parser.add_argument(
        "--trunk-sources",
        nargs="+",
        metavar=("FOLDER", "CLIP"),
        help="only: where the trunk line's error comes from, per side-view clip kept in FOLDER (landmarks and "
        "truth files: --work of this script, or a timing script's kept clips), or only the CLIPs named",
    )
    parser.add_argument(
        "--kept",
        nargs="+",
        metavar=("FOLDER", "CLIP"),
        help="only: the side-view tables for clips kept by another script in FOLDER (landmarks and truth files), "
        "the CLIPs named or all; pooled by the truth's motion",
    )
    parser.add_argument(
        "--shoulder-shift-max",
        type=float,
        help="KinematicsConfig.side_view_shoulder_shift_max (default: the config's; 0: the shoulders' midpoint)",
    )
    args = parser.parse_args(argv)
    config = KinematicsConfig()
    if args.shoulder_shift_max is not None:
        config = replace(config, side_view_shoulder_shift_max=args.shoulder_shift_max)
    if args.trunk_sources is not None:
        folder, *names = args.trunk_sources
        print(trunk_sources(Path(folder), names))
        return 0
    if args.kept is not None:
        folder, *names = args.kept
        print(kept_tables(Path(folder), names, config=config))
        return 0
    if args.reuse and args.work is None:
        parser.error("--reuse needs --work (the folder of a previous run)")
    cases = [c for c in CASE_SETS[args.cases] if not args.only or c.name in args.only]
    t_start = time.perf_counter()
    side_rows, front_rows = [], []
    with tempfile.TemporaryDirectory(prefix="movelab-angles-") as tmp:
        folder = args.work or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["MOVELAB_CACHE_DIR"] = str(Path(tmp) / "cache")
        for case in cases:
            t0 = time.perf_counter()
            ds, truth, meta = _kept_or_new(case, folder, args)
            t1 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                angles = compute_angles(ds, config=config, views=case.true_view if args.known_view else None)
            errs = _errors(angles, truth, meta["near_side"])
            side = case.true_view.startswith("side")
            (side_rows if side else front_rows).append(
                (
                    case.name,
                    len(angles),
                    {k: v for k, v in errs.items() if k in (SIDE_COLUMNS if side else FRONT_COLUMNS)},
                )
            )
            print(f"  {case.name}: {len(angles)} frames, render and extract {t1 - t0:.0f} s", file=sys.stderr)
    if args.realistic:
        print(realistic_note(tuple(args.without)) + "\n")
    if side_rows:
        print("Side views: MAE / bias (frames with a value), degrees; near = the leg on the camera's side\n")
        groups = _groups(side_rows, {name: name.split("_")[0] for name, _, _ in side_rows})
        print(_table(side_rows + groups, SIDE_COLUMNS))
        print("\nSide views pooled by motion: median |error| / 90th percentile of |error|, degrees\n")
        print(_table(groups, SIDE_COLUMNS, cell=_robust_cell))
    if front_rows:
        print("\nFront view: MAE / bias (frames with a value), degrees\n")
        print(_table(front_rows, FRONT_COLUMNS))
    print()
    for case in cases:
        print(f"* `{case.name}`: {case.note}")
    print(f"\n({time.perf_counter() - t_start:.0f} s)", file=sys.stderr)
    return 0


def _groups(rows: list, motion_of: dict[str, str]) -> list:
    """Pooled rows per motion (squat, lunge, gait, in that order) and over all rows."""
    groups = [
        _pool(members, f"**{motion}**")
        for motion in ("squat", "lunge", "gait")
        if (members := [r for r in rows if motion_of[r[0]] == motion])
    ]
    return groups + [_pool(rows, "**all side clips**")]


def kept_tables(folder: Path, names: list[str] | None = None, *, config: KinematicsConfig = KinematicsConfig()) -> str:
    """The side-view MAE / bias table and the median / 90th percentile table of the side-view clips kept in
    ``folder`` by another accuracy script (``<name>.nc`` beside ``<name>.truth.csv`` / ``.truth.json``), views
    detected; only ``names`` when given. Pooled by the truth's motion."""
    import json

    from movelab import landmarks

    paths = sorted(folder.glob("*.nc")) if not names else [folder / f"{name}.nc" for name in names]
    rows, motion_of = [], {}
    for path in paths:
        truth_csv, truth_json = path.with_suffix(".truth.csv"), path.with_suffix(".truth.json")
        if not (path.is_file() and truth_csv.is_file() and truth_json.is_file()):
            raise SystemExit(f"--kept: expected {path.name} and its truth files in {folder}")
        meta = json.loads(truth_json.read_text())
        if meta["near_side"] not in ("left", "right"):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            angles = compute_angles(landmarks.load(path), config=config)
        errs = _errors(angles, pd.read_csv(truth_csv), meta["near_side"])
        rows.append((path.stem, len(angles), {k: v for k, v in errs.items() if k in SIDE_COLUMNS}))
        motion_of[path.stem] = meta["motion"]
    groups = _groups(rows, motion_of)
    return (
        "Side views: MAE / bias (frames with a value), degrees; near = the leg on the camera's side\n\n"
        + _table(rows + groups, SIDE_COLUMNS)
        + "\n\nSide views pooled by motion: median |error| / 90th percentile of |error|, degrees\n\n"
        + _table(groups, SIDE_COLUMNS, cell=_robust_cell)
    )


if __name__ == "__main__":
    sys.exit(main())
