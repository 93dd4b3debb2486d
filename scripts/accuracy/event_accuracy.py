"""Gait event accuracy: the foot-velocity method against Zeni's, in frames, on rendered and real walking.

Usage::

    python -m scripts.accuracy.event_accuracy            # render, extract, evaluate (about 3 min on 2 cores)
    python -m scripts.accuracy.event_accuracy --reuse    # evaluate again the landmarks kept from the last run
    python -m scripts.accuracy.event_accuracy --cases check   # the 8 held-out walks (other cadences, steps, asymmetry)
    python -m scripts.accuracy.event_accuracy --realistic     # the same walks filmed as by a handheld phone

Renders mannequin walks (:mod:`movelab.synth`, 640x480, 30 fps) at 90, 105 and 120 steps/min, overground
across the picture (a camera that sees about 3 m, so the figure enters and leaves; walking to the right and
to the left) and on a treadmill, runs the real pose extraction on each video
(``movelab.extraction.extract(path, use_cache=False)``), detects initial contacts and toe-offs with both
methods of :func:`movelab.events.detect_gait_events`, and prints the errors against the mannequin's own events
in frames (detected minus true: negative is early).

Scored are the true events while the whole figure is in the picture from 0.2 s before to 0.2 s after them
(a swing must be seen to start and to end). A true event with no detection of the same kind and side within
a quarter stride is a miss; a detection with no true event there, while the figure is in view, a false alarm.

With ``--demo`` (default: the Sports2D demo if ``python -m scripts.assets.fetch_demo`` or the tests have
fetched it), the initial contacts of that real walk are also compared with the frame-by-frame reading by eye in
``tests/data/demo_walk_contacts.json``. The tables go into docs/events-accuracy.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from scripts import ROOT
from scripts.accuracy._common import REALISTIC_NOTE, add_realistic, kept_folder, realism_for

#: x264 quality of the rendered walks (the rep scripts' is ``_accuracy.CRF``)
CRF = 20

#: (name, cadence steps/min, step length m, treadmill, view, duration s, step-time asymmetry %)
Walk = tuple[str, float, float, bool, str, float, float]
CASES: tuple[Walk, ...] = (
    ("over_090_right", 90.0, 0.55, False, "side_right", 5.0, 0.0),
    ("over_105_right", 105.0, 0.62, False, "side_right", 5.0, 0.0),
    ("over_120_right", 120.0, 0.70, False, "side_right", 5.0, 0.0),
    ("over_105_left", 105.0, 0.62, False, "side_left", 5.0, 0.0),
    ("tread_090_right", 90.0, 0.55, True, "side_right", 4.0, 0.0),
    ("tread_105_left", 105.0, 0.62, True, "side_left", 4.0, 0.0),
    ("tread_120_right", 120.0, 0.70, True, "side_right", 4.0, 0.0),
)
#: Held-out walks (``--cases check``): never looked at while choosing the method's settings; other cadences,
#: short and long steps, both directions, overground and treadmill, and a 10 % step-time asymmetry.
CHECK_CASES: tuple[Walk, ...] = (
    ("over_095_left_s050", 95.0, 0.50, False, "side_left", 5.0, 0.0),
    ("over_115_right_s075", 115.0, 0.75, False, "side_right", 5.0, 0.0),
    ("over_095_right_s075", 95.0, 0.75, False, "side_right", 5.0, 0.0),
    ("over_115_left_s050", 115.0, 0.50, False, "side_left", 5.0, 0.0),
    ("tread_095_right_s050", 95.0, 0.50, True, "side_right", 4.0, 0.0),
    ("tread_115_left_s075", 115.0, 0.75, True, "side_left", 4.0, 0.0),
    ("over_100_right_asym10", 100.0, 0.62, False, "side_right", 5.0, 10.0),
    ("tread_110_left_asym10", 110.0, 0.62, True, "side_left", 4.0, 10.0),
)
#: Held out from the label-free cleaning of the velocity method's feet (``--cases check2``): rendered after it
#: was chosen (on the shipped ``sample_videos/gait_side.mp4``, which every run also scores).
CHECK2_CASES: tuple[Walk, ...] = (
    ("over_100_left_s065", 100.0, 0.65, False, "side_left", 5.0, 0.0),
    ("over_125_right_s072", 125.0, 0.72, False, "side_right", 5.0, 0.0),
    ("over_085_right_s048", 85.0, 0.48, False, "side_right", 5.0, 0.0),
    ("tread_100_right_s058", 100.0, 0.58, True, "side_right", 4.0, 0.0),
    ("tread_125_left_s070", 125.0, 0.70, True, "side_left", 4.0, 0.0),
    ("over_110_left_asym15", 110.0, 0.62, False, "side_left", 5.0, 15.0),
)
#: Heel-rocker landings (``--heel-rocker``), ``(strike speed / walking speed, slide m)``, taken by the walks in
#: turn so the contact method is judged on slow and fast strikes, short and long slides, not one setting: from a
#: firm floor's slip of 1.5 cm to the grass of the real demo walk (its heel moved 15-27 px, 6-10 cm, after
#: contact, landing at about the walking speed: the per-frame motion read by eye in
#: tests/data/demo_walk_contacts.json at 245 px/m).
HEEL_ROCKERS: tuple[tuple[float, float], ...] = ((0.8, 0.04), (0.4, 0.015), (1.1, 0.07))
CASE_SETS = {"main": CASES, "check": CHECK_CASES, "check2": CHECK2_CASES, "all": CASES + CHECK_CASES + CHECK2_CASES}
#: The methods compared, by the name their rows carry: the velocity method (its contacts and toe-offs where
#: the foot's speed crosses 0.75 walking speeds, the default since issue 16), the same with the levels used
#: until then (10 % of the swing's peak speed), and Zeni's.
METHODS = ("velocity", "velocity_peak10", "zeni")


#: The stance levels compared in docs/events-decisions.md (*One stance level*; ``--levels``): a fraction of the
#: swing's peak speed (``peak<%>``) or of the walking speed (``walk<x>``), for contacts and toe-offs alike.
LEVELS = ("peak10", "peak15", "peak20", "peak25", "peak30", "walk0.5", "walk0.6", "walk0.75", "walk1.0", "zeni")


def method_settings(label: str) -> tuple[str, object]:
    """``(gait_method, EventsConfig)`` of a :data:`METHODS` or :data:`LEVELS` row."""
    from movelab.events import EventsConfig

    if label == "velocity_peak10":
        label = "peak10"
    if label.startswith("peak"):
        config = EventsConfig(
            contact_walking_speed_fraction=None,
            toe_off_walking_speed_fraction=None,
            contact_speed_fraction=float(label[4:]) / 100,
        )
        return "velocity", config
    if label.startswith("walk"):
        level = float(label[4:])
        return "velocity", EventsConfig(contact_walking_speed_fraction=level, toe_off_walking_speed_fraction=level)
    return label, EventsConfig()


EVENTS = ("initial_contact", "toe_off")
#: the shipped sample walk, scored in every run
SAMPLE = ROOT / "sample_videos" / "gait_side.mp4"
DEMO_CANDIDATES = (
    ROOT / ".cache" / "videos" / "demo_walk_sports2d.mp4",
    ROOT / "sample_videos" / "demo_walk_sports2d.mp4",
)


def render_case(
    name: str,
    cadence: float,
    step_m: float,
    treadmill: bool,
    view: str,
    duration_s: float,
    out: Path,
    asymmetry_pct: float = 0.0,
    *,
    crf: int = CRF,
    heel_rocker: tuple[float, float] | None = None,
    realistic: bool = False,
) -> tuple[Path, dict]:
    """Render one walk; overground, the camera sees about 3 m so the figure enters and leaves. Returns the
    video path and the truth file's content. ``heel_rocker``: ``(strike speed / walking speed, slide m)`` of
    a heel-rocker contact (:class:`movelab.synth.Gait`), None for the planted foot. ``realistic``: as a
    handheld phone films it (:func:`scripts.accuracy._common.realism_for`)."""
    from movelab.synth import Gait, camera_for_view, render_clip

    rocker = {} if heel_rocker is None else {"heel_rocker": True, "heel_strike_speed_frac": heel_rocker[0]}
    if heel_rocker is not None:
        rocker["heel_slide_m"] = heel_rocker[1]
    motion = Gait(
        cadence_spm=cadence,
        step_length_m=step_m,
        treadmill=treadmill,
        duration_s=duration_s,
        asymmetry_pct=asymmetry_pct,
        **rocker,
    )
    clip = render_clip(motion, view=view, width_px=640, height_px=480, fps=30.0, realism=realism_for(name, realistic))
    if not treadmill:
        scene = motion.scene(clip.body)
        camera = camera_for_view(
            view,
            distance_m=7.0,
            camera_height_m=scene.look_at_m[1],
            look_at_m=scene.look_at_m,
            width_px=640,
            height_px=480,
            fit_width_m=3.0,
            fit_height_m=1.25 * clip.body.height_m,
        )
        clip = dataclasses.replace(clip, camera=camera)
    video = out / f"{name}.mp4"
    clip.write(video, crf=crf)
    return video, json.loads(video.with_suffix(".truth.json").read_text())


def keep_sample(video: Path, out: Path, reuse: bool) -> tuple[str, Path, dict]:
    """A shipped sample walk as a case: its landmarks (extracted unless kept) and its truth files beside
    them in ``out``."""
    from movelab import landmarks
    from movelab.extraction import extract

    lm_path = out / f"sample_{video.stem}.nc"
    for suffix in (".truth.csv", ".truth.json"):
        shutil.copyfile(video.with_suffix(suffix), lm_path.with_suffix(suffix))
    if not (reuse and lm_path.is_file()):
        landmarks.save(extract(video, use_cache=False), lm_path)
    return f"{video.parent.name}/{video.name}", lm_path, json.loads(video.with_suffix(".truth.json").read_text())


def in_view(truth_csv: Path, width_px: int, *, margin_s: float = 0.2, fps: float = 30.0) -> np.ndarray:
    """Per frame: the whole figure (every landmark of the truth file) is inside the picture from
    ``margin_s`` before to ``margin_s`` after that frame."""
    table = pd.read_csv(truth_csv)
    xs = table[[c for c in table.columns if c.endswith("_x_px")]].to_numpy()
    inside = ((xs >= 0) & (xs <= width_px - 1)).all(axis=1)
    margin = int(round(margin_s * fps))
    padded = np.concatenate([np.zeros(margin, bool), inside, np.zeros(margin, bool)])
    return np.lib.stride_tricks.sliding_window_view(padded, 2 * margin + 1).all(axis=1)


def score(detected: pd.DataFrame, truth: dict, inside: np.ndarray, fps: float) -> pd.DataFrame:
    """One row per scored true event with its error in frames (NaN when missed), then one row per false
    alarm."""
    window = 0.25 * 120.0 / truth["parameters"]["cadence_spm"]
    rows, used = [], set()
    for ev in truth["events"]:
        if not inside[ev["frame"]]:
            continue
        same = detected[(detected["event"] == ev["event"]) & (detected["side"] == ev["side"])]
        gap = (same["time_s"] - ev["time_s"]).abs()
        if gap.empty or gap.min() > window:
            rows.append({"event": ev["event"], "error_frames": np.nan, "false_alarm": False})
            continue
        used.add(gap.idxmin())
        rows.append(
            {
                "event": ev["event"],
                "error_frames": (same.loc[gap.idxmin(), "time_s"] - ev["time_s"]) * fps,
                "false_alarm": False,
            }
        )
    for index, row in detected.iterrows():
        frame = int(round(row["time_s"] * fps))
        if index in used or not 0 <= frame < inside.size or not inside[frame]:
            continue
        truths = [e["time_s"] for e in truth["events"] if e["event"] == row["event"] and e["side"] == row["side"]]
        if not any(abs(t - row["time_s"]) <= window for t in truths):
            rows.append({"event": row["event"], "error_frames": np.nan, "false_alarm": True})
    return pd.DataFrame(rows, columns=["event", "error_frames", "false_alarm"])


def summarise_errors(scored: pd.DataFrame) -> dict:
    true_rows = scored[~scored["false_alarm"]]
    err = true_rows["error_frames"].dropna()
    out = {"events": len(true_rows), "found": len(err), "false": int(scored["false_alarm"].sum())}
    if len(err):
        out.update(
            bias=err.mean(),
            mae=err.abs().mean(),
            max=err.abs().max(),
            within1=(err.abs() <= 1.0).mean() * 100,
            within2=(err.abs() <= 2.0).mean() * 100,
        )
    return out


def evaluate_rendered(cases: list[tuple[str, Path, dict]], methods: tuple[str, ...] = METHODS) -> pd.DataFrame:
    """Per clip, method (:data:`METHODS` or :data:`LEVELS`) and event, then pooled over clips per method and
    event."""
    from movelab import landmarks
    from movelab.events import detect_gait_events
    from movelab.kinematics import compute_motion

    rows, pooled = [], {}
    for name, lm_path, truth in cases:
        ds = landmarks.load(lm_path)
        inside = in_view(lm_path.with_suffix(".truth.csv"), truth["width_px"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            motion = compute_motion(ds)
        for method in methods:
            gait_method, config = method_settings(method)
            found = detect_gait_events(motion, method=gait_method, config=config)
            scored = score(found, truth, inside, truth["fps"])
            for event in EVENTS:
                part = scored[scored["event"] == event]
                pooled.setdefault((method, event), []).append(part)
                rows.append({"clip": name, "method": method, "event": event, **summarise_errors(part)})
    rows += [
        {
            "clip": "**all**",
            "method": method,
            "event": event,
            **summarise_errors(pd.concat(pooled[(method, event)], ignore_index=True)),
        }
        for method in methods
        for event in EVENTS
    ]
    return pd.DataFrame(rows)


#: The real walk's readings by eye: contacts (first frame on the ground) and toe-offs (compared with the last
#: frame on the ground + 0.5: the toe leaves between it and the next).
READINGS = (
    ("initial_contact", "demo_walk_contacts.json", "initial_contacts", "frame", 0.0),
    ("toe_off", "demo_walk_toe_offs.json", "toe_offs", "last_on_ground", 0.5),
)


def evaluate_demo(video: Path, methods: tuple[str, ...] = METHODS) -> pd.DataFrame:
    """Contacts and toe-offs of the real walk against the readings by eye, per event and method, in frames
    (its landmarks from the extraction cache when kept there)."""
    from movelab.extraction import extract

    return score_demo(extract(video), methods)


def score_demo(ds, methods: tuple[str, ...] = METHODS) -> pd.DataFrame:
    """:func:`evaluate_demo` on the demo's landmark Dataset."""
    from movelab.events import detect_gait_events
    from movelab.kinematics import compute_motion

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        motion = compute_motion(ds)
    rows = []
    for method in methods:
        gait_method, config = method_settings(method)
        found = detect_gait_events(motion, method=gait_method, config=config)
        for event, file, key, frame_key, offset in READINGS:
            reading = json.loads((ROOT / "tests" / "data" / file).read_text())
            events = found[found["event"] == event]
            for read in reading[key]:
                same = events[events["side"] == read["side"]]
                off = same["time_s"] * reading["fps"] - (read[frame_key] + offset)
                best = off.iloc[int(np.argmin(off.abs().to_numpy()))] if len(off) else np.nan
                rows.append(
                    {
                        "method": method,
                        "event": event,
                        "side": read["side"],
                        "frame_by_eye": read[frame_key],
                        "error_frames": best if abs(best) <= 5 else np.nan,
                    }
                )
    return pd.DataFrame(rows)


def _num(value, spec=".2f", suffix="") -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:{spec}}{suffix}"


def format_rendered(table: pd.DataFrame) -> str:
    lines = [
        "| clip | method | event | events | found | false | bias | mean abs | max abs | ≤ 1 frame | ≤ 2 frames |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['clip']} | {r['method']} | {r['event']} | {r['events']} | {r['found']} | {r['false']} | "
            f"{_num(r.get('bias'), '+.2f')} | {_num(r.get('mae'))} | {_num(r.get('max'), '.1f')} | "
            f"{_num(r.get('within1'), '.0f', ' %')} | {_num(r.get('within2'), '.0f', ' %')} |"
        )
    return "\n".join(lines)


def format_demo(table: pd.DataFrame) -> str:
    """One table per event: each reading's error per method, then bias, mean and max abs."""
    out = []
    for event in table["event"].unique():
        part = table[table["event"] == event]
        frames = part[part["method"] == METHODS[0]]
        header = (
            f"| {event} | "
            + " | ".join(f"{r.frame_by_eye} {r.side[0].upper()}" for r in frames.itertuples())
            + " | bias | mean abs | max abs |"
        )
        lines = [header, "|---" * (frames.shape[0] + 4) + "|"]
        for method in METHODS:
            err = part[part["method"] == method]["error_frames"]
            cells = " | ".join(_num(v, "+.1f") for v in err)
            lines.append(
                f"| {method} | {cells} | {_num(err.mean(), '+.2f')} | {_num(err.abs().mean())} | "
                f"{_num(err.abs().max(), '.1f')} |"
            )
        out.append("\n".join(lines))
    return "\n\n".join(out)


#: The renders of the side-by-side table (``--side-by-side``): kept folder, column title.
RENDER_SETS = (
    ("event_accuracy", "planted feet"),
    ("event_accuracy_heel_rocker", "heel rocker"),
    ("event_accuracy_realistic", "realistic (phone + heel rocker)"),
)


def kept_cases(folder: Path) -> list[tuple[str, Path, dict]]:
    """The walks of :data:`CASE_SETS` ``"all"`` kept in ``folder`` (landmarks and truth), as cases."""
    out = []
    for name, *_ in CASE_SETS["all"]:
        lm_path = folder / f"{name}.nc"
        if lm_path.is_file() and lm_path.with_suffix(".truth.json").is_file():
            out.append((name, lm_path, json.loads(lm_path.with_suffix(".truth.json").read_text())))
    return out


def render_folders(folders: list[Path] | None) -> list[tuple[Path, str]]:
    """The kept folders of :data:`RENDER_SETS` with their column titles: ``folders`` (planted, heel rocker,
    realistic, in that order) or the scripts' default folders."""
    if folders is None:
        folders = [kept_folder(script, CRF, default=CRF) for script, _ in RENDER_SETS]
    return [(folder, title) for folder, (_, title) in zip(folders, RENDER_SETS)]


def side_by_side(demo: Path | None, folders: list[Path] | None = None) -> str:
    """Per method and event: the pooled errors on each kept render set (``folders``: planted, heel rocker,
    realistic; default the scripts' own folders) beside the real walk's."""
    columns, pooled = [], {}
    for folder, title in render_folders(folders):
        cases = kept_cases(folder)
        if not cases:
            continue
        table = evaluate_rendered(cases)
        columns.append(f"{title}, {len(cases)} walks")
        for r in table[table["clip"] == "**all**"].itertuples():
            pooled[(r.method, r.event, columns[-1])] = (
                f"{_num(r.bias, '+.2f')} / {_num(r.max, '.1f')} / {_num(r.within2, '.0f', ' %')} "
                f"({r.found}/{r.events}, {r.false} false)"
            )
    real = evaluate_demo(demo) if demo is not None and demo.is_file() else None
    head = "| method | event | " + " | ".join(columns) + (" | real walk |" if real is not None else " |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for method in METHODS:
        for event in EVENTS:
            cells = [pooled.get((method, event, c), "–") for c in columns]
            if real is not None:
                err = real[(real["method"] == method) & (real["event"] == event)]["error_frames"]
                within = (err.abs() <= (2.0 if event == "initial_contact" else 3.0)).sum()
                limit = 2 if event == "initial_contact" else 3
                cells.append(
                    f"{_num(err.mean(), '+.2f')} / {_num(err.abs().max(), '.1f')} / {within} of {len(err)} ≤ {limit}"
                )
            lines.append(f"| {method} | {event} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def level_sweep(demo: Path | None, folders: list[Path] | None = None) -> str:
    """Contacts of every :data:`LEVELS` row pooled over the kept heel-rocker and planted walks (bias / max abs /
    within 2 frames, missed and false contacts; ``folders`` as for :func:`side_by_side`), the sample left out;
    and the real walk's contact and toe-off errors (range, frames) when ``demo`` is there."""
    columns = {}
    for folder, title in render_folders(folders)[:2][::-1]:
        cases = kept_cases(folder)
        if cases:
            table = evaluate_rendered(cases, LEVELS)
            columns[f"{title}, {len(cases)} walks"] = table[
                (table["clip"] == "**all**") & (table["event"] == "initial_contact")
            ].set_index("method")
    real = evaluate_demo(demo, LEVELS) if demo is not None and demo.is_file() else None
    titles = list(columns) + ([] if real is None else ["real walk: contacts", "real walk: toe-offs"])
    lines = ["| contact level | " + " | ".join(titles) + " |", "|---" * (len(titles) + 1) + "|"]
    for level in LEVELS:
        cells = []
        for table in columns.values():
            r = table.loc[level]
            cells.append(
                f"{_num(r['bias'], '+.2f')} / {_num(r['max'], '.2f')} / {_num(r['within2'], '.0f', ' %')} "
                f"({r['events'] - r['found']} missed, {r['false']} false)"
            )
        if real is not None:
            for event in EVENTS:
                err = real[(real["method"] == level) & (real["event"] == event)]["error_frames"]
                cells.append(f"{_num(err.min(), '+.1f')} to {_num(err.max(), '+.1f')}")
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        help="where the clips, truth files and landmarks are kept (default .cache/event_accuracy, "
        "or .cache/event_accuracy_crf<N> with another --crf)",
    )
    parser.add_argument("--crf", type=int, default=CRF, help=f"x264 quality of the rendered walks ({CRF})")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="evaluate the landmarks kept from a previous run instead of rendering again",
    )
    parser.add_argument(
        "--demo",
        type=Path,
        default=next((p for p in DEMO_CANDIDATES if p.is_file()), None),
        help="the Sports2D demo video (python -m scripts.assets.fetch_demo); skipped when absent",
    )
    parser.add_argument(
        "--cases",
        default="main",
        help="which walks: 'main' (the 7 of docs/events-accuracy.md), 'check' (8 held-out walks), "
        "'check2' (6 more), 'all', or clip names separated by commas",
    )
    parser.add_argument(
        "--heel-rocker",
        action="store_true",
        help="render the walks with heel-rocker contacts (the heel lands moving and slides; HEEL_ROCKERS), "
        "kept in .cache/event_accuracy_heel_rocker; --realistic implies it",
    )
    add_realistic(parser)
    parser.add_argument(
        "--side-by-side",
        action="store_true",
        help="only the summary: every method on each kept render set (planted, heel rocker, realistic; "
        "run those first) beside the real walk",
    )
    parser.add_argument(
        "--levels",
        action="store_true",
        help="only the contact levels of docs/events-decisions.md (LEVELS) on the kept heel-rocker and planted "
        "walks, and on the real walk",
    )
    parser.add_argument(
        "--renders",
        nargs=3,
        type=Path,
        metavar=("PLANTED", "HEEL_ROCKER", "REALISTIC"),
        help="with --side-by-side or --levels: the kept folders of the planted, heel-rocker and realistic walks "
        "(default .cache/event_accuracy, .cache/event_accuracy_heel_rocker, .cache/event_accuracy_realistic)",
    )
    args = parser.parse_args(argv)
    if args.levels:
        print("Contacts: bias / max abs / within 2 frames (missed, false) per stance level\n")
        print(level_sweep(args.demo, args.renders))
        return 0
    if args.side_by_side:
        print("Bias / max abs / within 2 frames (found/true, false alarms) on renders; real walk: bias / max abs\n")
        print(side_by_side(args.demo, args.renders))
        return 0
    if args.cases in CASE_SETS:
        selected = CASE_SETS[args.cases]
    else:
        by_name = {c[0]: c for c in CASE_SETS["all"]}
        unknown = [n for n in args.cases.split(",") if n not in by_name]
        if unknown:
            parser.error(f"unknown clips {unknown}; known: {sorted(by_name)}")
        selected = tuple(by_name[n] for n in args.cases.split(","))
    args.heel_rocker = args.heel_rocker or args.realistic  # a realistic walk lands on its heel
    script = "event_accuracy" + ("_realistic" if args.realistic else "_heel_rocker" if args.heel_rocker else "")
    args.out = args.out or kept_folder(script, args.crf, default=CRF)
    order = [c[0] for c in CASE_SETS["all"]]
    args.out.mkdir(parents=True, exist_ok=True)
    from movelab import landmarks
    from movelab.extraction import extract

    cases = []
    for name, cadence, step_m, treadmill, view, duration, asymmetry in selected:
        lm_path, truth_path = args.out / f"{name}.nc", args.out / f"{name}.truth.json"
        if not (args.reuse and lm_path.is_file() and truth_path.is_file()):
            t0 = time.perf_counter()
            rocker = HEEL_ROCKERS[order.index(name) % len(HEEL_ROCKERS)] if args.heel_rocker else None
            video, _ = render_case(
                name,
                cadence,
                step_m,
                treadmill,
                view,
                duration,
                args.out,
                asymmetry,
                crf=args.crf,
                heel_rocker=rocker,
                realistic=args.realistic,
            )
            t1 = time.perf_counter()
            landmarks.save(extract(video, use_cache=False), lm_path)
            print(
                f"{name}: rendered in {t1 - t0:.0f} s, extracted in {time.perf_counter() - t1:.0f} s", file=sys.stderr
            )
        cases.append((name, lm_path, json.loads(truth_path.read_text())))
    if not args.heel_rocker:  # the shipped sample is a clean render with planted feet
        cases.append(keep_sample(SAMPLE, args.out, args.reuse))
    if args.realistic:
        print(REALISTIC_NOTE + ", heel-rocker contacts (HEEL_ROCKERS)\n")
    elif args.heel_rocker:
        print("Heel-rocker contacts (`--heel-rocker`: HEEL_ROCKERS, clean pictures)\n")
    print("Rendered walks: errors in frames at 30 fps (detected − true)\n")
    print(format_rendered(evaluate_rendered(cases)))
    if args.demo is not None and args.demo.is_file():
        print(
            "\nReal walk (Sports2D demo): frames from the readings by eye (toe-offs: last frame on the ground + 0.5)\n"
        )
        print(format_demo(evaluate_demo(args.demo)))
    else:
        print("\n(no demo video: python -m scripts.assets.fetch_demo to add the real walk)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
