"""Measure the camera-roll estimate and its correction on rendered squats filmed by rolled cameras.

For each of three design bodies and three held-out bodies (:mod:`movelab.synth.population`) one side-view squat
(95 deg deep, 28 deg trunk lean, 3.5 s) is rendered by the same camera level and rolled by -5, +5 and one
more roll in between; the held-out bodies are filmed by other cameras than the design ones (the other side,
other distances and heights, 2-3 deg of pitch). One design body from the front and one held-out body from
behind (pitched down 2 deg) are rendered level and rolled by -5 and +5 for the obliquities. Each clip goes
through the real pose extraction (MediaPipe, no landmark cache) and :func:`movelab.kinematics.compute_motion`
with the default settings (roll ``"auto"``) and with the correction off (``camera_roll="off"``).

Prints markdown tables: per clip, the estimated roll, its error, its source, and the mean absolute error of
``trunk_lean`` and ``pelvic_tilt`` (side views; ``pelvic_obliquity`` and ``trunk_lateral_lean`` in the front
and back views) against the figure's truth for the level clip, the rolled clip corrected
and the rolled clip uncorrected (over the frames measured in both the level and the corrected rolled clip; the
uncorrected column over those of them its outline quality gate passed); a summary
per body set (design / held-out) with the largest roll error and the largest change of each angle's error
that the roll leaves after correction; and the client cue (standing long axis) on the level clips.

Usage::

    python -m scripts.accuracy.camera_roll_accuracy            # render, extract, tables (~17 min, busy 2 cores)
    python -m scripts.accuracy.camera_roll_accuracy --reuse    # the tables from the kept landmarks
    python -m scripts.accuracy.camera_roll_accuracy --only heldout1_+5.0
    python -m scripts.accuracy.camera_roll_accuracy --real VIDEO ...   # real videos: the scene cue only, no truth

Clips are kept under ``$MOVELAB_CACHE_DIR/scripts/camera_roll_accuracy`` (or ``.cache/camera_roll_accuracy``).
Everything is deterministic: rendering is, and MediaPipe runs on the CPU in VIDEO mode.
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.synth import Squat, render_clip
from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES, PopulationBody
from scripts.accuracy import _common

#: The angles compared, per kind of view: the Done-when pair in side views, the obliquities in front/back views.
ANGLES = {"side": ("trunk_lean", "pelvic_tilt"), "front": ("pelvic_obliquity", "trunk_lateral_lean")}
SQUAT = Squat(depth_deg=95.0, trunk_lean_deg=28.0, lumbar_flexion_deg=8.0, reps=1, lead_in_s=0.6, pause_top_s=0.4)


@dataclass(frozen=True)
class Camera:
    """A camera of the protocol, before its roll."""

    view: str = "side_right"
    distance_m: float | None = None
    camera_height_m: float | None = None
    pitch_deg: float = 0.0


@dataclass(frozen=True)
class Clip:
    body: PopulationBody
    held_out: bool
    camera: Camera
    roll_deg: float

    @property
    def kind(self) -> str:
        return "side" if self.camera.view.startswith("side") else "front"

    @property
    def angles(self) -> tuple[str, ...]:
        return ANGLES[self.kind]

    @property
    def name(self) -> str:
        return self.name_at(self.roll_deg)

    @property
    def level_name(self) -> str:
        return self.name_at(0.0)

    def name_at(self, roll_deg: float) -> str:
        view = "" if self.kind == "side" else f"_{self.camera.view}"
        return f"{self.body.name}{view}_{roll_deg:+.1f}"


_DESIGN_CAMERAS = (Camera(), Camera(), Camera())
_HELD_OUT_CAMERAS = (
    Camera("side_left", 3.8, 1.1, 2.0),
    Camera("side_right", 5.2, 0.8, -3.0),
    Camera("side_left", 4.5, 1.25, -2.0),
)
_MIDDLE_ROLLS = (2.5, -2.5, 3.5)
#: Front and back views: one design body from the front, one held-out body from behind (4 m, pitched down 2 deg).
_FRONTAL = ((False, 0, Camera("front")), (True, 1, Camera("back", 4.0, 1.1, -2.0)))


def _clips() -> tuple[Clip, ...]:
    out = []
    sets = ((False, DESIGN_BODIES, _DESIGN_CAMERAS), (True, HELD_OUT_BODIES, _HELD_OUT_CAMERAS))
    for held_out, bodies, cameras in sets:
        for i, (pb, cam) in enumerate(zip(bodies[:3], cameras)):
            for roll in (0.0, -5.0, 5.0, _MIDDLE_ROLLS[i] * (-1 if held_out else 1)):
                out.append(Clip(pb, held_out, cam, roll))
    for held_out, i, cam in _FRONTAL:
        pb = (HELD_OUT_BODIES if held_out else DESIGN_BODIES)[i]
        out += [Clip(pb, held_out, cam, roll) for roll in (0.0, -5.0, 5.0)]
    return tuple(out)


CLIPS = _clips()


def keep(clip: Clip, out: Path, *, crf: int) -> None:
    """Render, encode and extract one clip; keep its landmarks and truth."""
    from movelab import landmarks
    from movelab.extraction import extract

    synth = render_clip(
        SQUAT,
        view=clip.camera.view,
        distance_m=clip.camera.distance_m,
        camera_height_m=clip.camera.camera_height_m,
        body=clip.body.body,
        camera_roll_deg=clip.roll_deg,
        camera_pitch_deg=clip.camera.pitch_deg,
    )
    video = synth.write(out / f"{clip.name}.mp4", crf=crf)["video"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = extract(video, use_cache=False)
    landmarks.save(ds, out / f"{clip.name}.nc")
    synth.truth.to_csv(out / f"{clip.name}.truth.csv", index=False)


def _motion(path: Path, camera_roll):
    from movelab import landmarks
    from movelab.kinematics import KinematicsConfig, compute_motion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute_motion(landmarks.load(path), config=KinematicsConfig(camera_roll=camera_roll))


def _errors(motion, truth: pd.DataFrame, angles: tuple[str, ...]) -> pd.DataFrame:
    """Per frame (indexed by frame), measured minus true for each of ``angles``."""
    true = truth.set_index("frame").loc[motion.frame]
    return pd.DataFrame({n: motion.angles[n].to_numpy() - true[n].to_numpy() for n in angles}, index=motion.frame)


def measure(clip: Clip, out: Path) -> dict:
    """One rolled clip against its level twin: the roll estimate and the angle errors."""
    truth = pd.read_csv(out / f"{clip.name}.truth.csv")
    rolled = _motion(out / f"{clip.name}.nc", "auto")
    level_truth = pd.read_csv(out / f"{clip.level_name}.truth.csv")
    level = _errors(_motion(out / f"{clip.level_name}.nc", "auto"), level_truth, clip.angles)
    fixed = _errors(rolled, truth, clip.angles)
    raw = _errors(_motion(out / f"{clip.name}.nc", "off"), truth, clip.angles)
    roll = rolled.camera_roll
    row = {
        "clip": clip.name,
        "kind": clip.kind,
        "set": "held-out" if clip.held_out else "design",
        "camera": f"{clip.camera.view} {clip.camera.distance_m or 4.5:.1f} m pitch {clip.camera.pitch_deg:+.0f}",
        "roll": clip.roll_deg,
        "estimate": roll.estimate_deg,
        "error": roll.estimate_deg - clip.roll_deg,
        "applied": roll.applied_deg,
        "source": roll.source,
        "client": roll.client_deg,
    }
    for name in clip.angles:
        both = level.index.intersection(fixed.index)
        ok = np.isfinite(level.loc[both, name].to_numpy()) & np.isfinite(fixed.loc[both, name].to_numpy())
        frames = both[ok]
        row[f"{name}_n"] = int(ok.sum())
        for label, table in (("level", level), ("fixed", fixed), ("raw", raw)):
            values = np.abs(table.loc[frames, name].to_numpy())  # uncorrected: NaN where its gate failed
            row[f"{name}_{label}"] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
    return row


def _f(value: float, fmt: str = "+.2f") -> str:
    return "n/a" if not np.isfinite(value) else format(value, fmt)


def _clip_table(rows: list[dict], angles: tuple[str, ...]) -> list[str]:
    out = ["| clip | set | camera | roll | estimate | error | source | "
           + " | ".join(f"{n} MAE level / corrected / uncorrected (frames)" for n in angles) + " |",
           "|---|---|---|---|---|---|---|" + "---|" * len(angles)]  # fmt: skip
    for r in rows:
        cells = [f"{r[f'{n}_level']:.2f} / {r[f'{n}_fixed']:.2f} / {r[f'{n}_raw']:.2f} ({r[f'{n}_n']})" for n in angles]
        out.append(
            f"| {r['clip']} | {r['set']} | {r['camera']} | {r['roll']:+.1f} | {_f(r['estimate'])} | "
            f"{_f(r['error'])} | {r['source']} | " + " | ".join(cells) + " |"
        )
    return out


def _summary(rows: list[dict], angles: tuple[str, ...]) -> list[str]:
    out = ["| set | rolled clips | largest roll error (deg) | "
           + " | ".join(f"largest {n} MAE change, corrected / uncorrected (deg)" for n in angles) + " |",
           "|---|---|---|" + "---|" * len(angles)]  # fmt: skip
    for name in ("design", "held-out"):
        chosen = [r for r in rows if r["set"] == name]
        if not chosen:
            continue
        worst = max(abs(r["error"]) if np.isfinite(r["error"]) else np.inf for r in chosen)
        cells = []
        for n in angles:
            fixed = max(abs(r[f"{n}_fixed"] - r[f"{n}_level"]) for r in chosen)
            raw = max(abs(r[f"{n}_raw"] - r[f"{n}_level"]) for r in chosen)
            cells.append(f"{fixed:.2f} / {raw:.2f}")
        out.append(f"| {name} | {len(chosen)} | {worst:.2f} | " + " | ".join(cells) + " |")
    return out


def tables(rows: list[dict], level_rolls: list[dict]) -> str:
    out: list[str] = []
    for kind, angles in ANGLES.items():
        chosen = [r for r in rows if r["kind"] == kind]
        if chosen:
            out += [f"{kind} views, per clip:", "", *_clip_table(chosen, angles), ""]
            out += [f"{kind} views, per set:", "", *_summary(chosen, angles), ""]
    out += ["| level clip | set | scene roll (deg) | client's standing axis (deg) |", "|---|---|---|---|"]
    for r in level_rolls:
        out.append(f"| {r['clip']} | {r['set']} | {_f(r['scene'])} | {_f(r['client'])} |")
    return "\n".join(out)


def real_table(videos: list[Path]) -> str:
    """The roll cues of real videos (no truth): extracted afresh (the landmark cache may predate the scene cue)."""
    from movelab.extraction import extract
    from movelab.kinematics import compute_motion

    out = [
        "| video | scene roll ± SD (deg) | frames sampled | lines | client's axis (deg) | note |",
        "|---|---|---|---|---|---|",
    ]
    for video in videos:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = extract(video, use_cache=False)
            roll = compute_motion(ds).camera_roll
        out.append(
            f"| {video.name} | {_f(roll.scene_deg)} ± {_f(roll.scene_sd_deg, '.2f')} | "
            f"{ds.attrs['scene_roll_frames']} | {ds.attrs['scene_roll_lines']} | {_f(roll.client_deg)} | {roll.note} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    cache = os.environ.get("MOVELAB_CACHE_DIR")
    names = [c.name for c in CLIPS]
    extra = lambda p: p.add_argument("--real", nargs="+", type=Path, metavar="VIDEO", help="real videos instead")  # noqa: E731
    args = _common.arguments(__doc__, "camera_roll_accuracy", names, argv, extra=extra)
    if args.real:
        print(real_table(args.real))
        return 0
    if cache and "--out" not in (argv if argv is not None else sys.argv):
        args.out = Path(cache) / "scripts" / "camera_roll_accuracy"
        args.out.mkdir(parents=True, exist_ok=True)
    chosen = [c for c in CLIPS if not args.only or c.name in args.only]
    needed = {c.name: c for c in chosen}
    for c in chosen:  # the level twin of every rolled clip
        needed.setdefault(c.level_name, next(x for x in CLIPS if x.name == c.level_name))
    for clip in needed.values():
        if not (args.reuse and (args.out / f"{clip.name}.nc").is_file()):
            print(f"rendering and extracting {clip.name}", file=sys.stderr)
            keep(clip, args.out, crf=args.crf)
    rows = [measure(c, args.out) for c in chosen if c.roll_deg != 0.0]
    level_rolls = []
    for c in needed.values():
        if c.roll_deg == 0.0:
            roll = _motion(args.out / f"{c.name}.nc", "auto").camera_roll
            level_rolls.append({"clip": c.name, "set": "held-out" if c.held_out else "design",
                                "scene": roll.scene_deg, "client": roll.client_deg})  # fmt: skip
    print(tables(rows, level_rolls))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
