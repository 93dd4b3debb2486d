"""Lunge and split-squat rep timing (start, bottom, end), lead leg and recognition, in frames.

Usage::

    python -m scripts.accuracy.lunge_timing_accuracy                  # render, extract, evaluate (several minutes)
    python -m scripts.accuracy.lunge_timing_accuracy --reuse          # evaluate the landmarks kept from the last run
    python -m scripts.accuracy.lunge_timing_accuracy --only fwd_front_R split_front_L

Renders mannequin lunges (:class:`movelab.synth.Lunge`; 640x480, 30 fps): forward lunges (step out, down, up,
step back) and split squats (the feet stay apart) filmed from the side, front and back with different depths,
tempos, lead sides and pelvic drops, runs the real pose extraction
(``movelab.extraction.extract(path, use_cache=False)``) and :func:`movelab.events.segment` with
``movement="auto"``, and prints per clip the movement recognised, the reps found, the lead legs, the largest
error and the signed error of each true start (s), bottom (b) and end (e) against the nearest detection of its
kind (detected minus true, negative is early; none within 1 s is a miss). The ``h_`` clips were rendered only
after the method was chosen (held out). The tables go into docs/events-accuracy.md (*Lunges and split squats*).
"""

from __future__ import annotations

import json
from pathlib import Path

from scripts.accuracy._common import (
    CRF,
    ROOT,
    arguments,
    keep_all,
    keep_clip,
    nearest_error_frames,
    print_rep_summary,
    rep_errors_cells,
    segmented,
    selected,
)

FPS = 30.0
#: a true event with no detection of its kind within this many frames is missed
MISS_FRAMES = 30.0
#: a quick tempo (the lunge of tests/test_events_video.py)
QUICK = dict(step_s=0.5, descent_s=0.6, ascent_s=0.6, pause_bottom_s=0.1, pause_top_s=0.3)

#: name: (view, Lunge keyword arguments, render_clip keyword arguments), or a sample video (truth beside it)
CASES: dict[str, tuple[str, dict, dict] | str] = {
    "lunge_side": "sample_videos/lunge_side.mp4",
    "fwd_front_R": ("front", dict(kind="forward", lead_side="right", reps=2), {}),
    "fwd_front_L_quick": ("front", dict(kind="forward", lead_side="left", reps=2, **QUICK), {}),
    "split_front_L": ("front", dict(kind="split", lead_side="left", reps=2), {}),
    "split_side_R": ("side_right", dict(kind="split", lead_side="right", reps=2, depth_deg=95), {}),
    "fwd_back_R": ("back", dict(kind="forward", lead_side="right", reps=2, depth_deg=75), {}),
    "fwd_side_L_deep": ("side_left", dict(kind="forward", lead_side="left", reps=2, depth_deg=100, descent_s=0.8), {}),
    # quick split squats from the side (3 reps, short pauses), rendered while diagnosing h_split_side_L_quick
    "split_side_R_quick": (
        "side_right",
        dict(
            kind="split",
            lead_side="right",
            reps=3,
            depth_deg=90,
            descent_s=0.5,
            ascent_s=0.6,
            pause_bottom_s=0.1,
            pause_top_s=0.3,
        ),
        {},
    ),
    "split_side_L_quick": (
        "side_left",
        dict(
            kind="split",
            lead_side="left",
            reps=3,
            depth_deg=75,
            descent_s=0.7,
            ascent_s=0.5,
            pause_bottom_s=0.0,
            pause_top_s=0.5,
        ),
        {},
    ),
    # held out: rendered only after the method was chosen
    "h_fwd_front_L_deep": (
        "front",
        dict(kind="forward", lead_side="left", reps=2, depth_deg=100, descent_s=1.3, ascent_s=1.1),
        {},
    ),
    "h_fwd_back_L_quick": ("back", dict(kind="forward", lead_side="left", reps=2, depth_deg=90, **QUICK), {}),
    "h_fwd_side_R_shallow": (
        "side_right",
        dict(kind="forward", lead_side="right", reps=2, depth_deg=65, step_s=0.9),
        {},
    ),
    "h_split_front_R_drop": (
        "front",
        dict(kind="split", lead_side="right", reps=2, depth_deg=95, pelvic_drop_deg=6, descent_s=1.3, ascent_s=1.2),
        {},
    ),
    "h_split_back_L": (
        "back",
        dict(kind="split", lead_side="left", reps=2, depth_deg=80, descent_s=0.8, ascent_s=0.8),
        {},
    ),
    "h_split_side_L_quick": (
        "side_left",
        dict(
            kind="split",
            lead_side="left",
            reps=3,
            depth_deg=80,
            descent_s=0.6,
            ascent_s=0.6,
            pause_bottom_s=0.1,
            pause_top_s=0.4,
        ),
        {},
    ),
    "h_split_side_R_slow": (
        "side_right",
        dict(kind="split", lead_side="right", reps=2, depth_deg=105, descent_s=1.6, ascent_s=1.4, pelvic_drop_deg=5),
        {},
    ),
    "h_split_front_L_az15": ("front", dict(kind="split", lead_side="left", reps=2, depth_deg=85), dict(azimuth_deg=15)),
    # held out for the lead leg from behind by the raised rear heel (lead_leg): rendered after it was chosen
    "h2_fwd_back_R_quick": ("back", dict(kind="forward", lead_side="right", reps=2, depth_deg=85, **QUICK), {}),
    "h2_fwd_back_L_slow": (
        "back",
        dict(kind="forward", lead_side="left", reps=2, depth_deg=70, descent_s=1.3, ascent_s=1.1),
        {},
    ),
    "h2_fwd_back_R_deep": (
        "back",
        dict(kind="forward", lead_side="right", reps=2, depth_deg=100, step_s=0.6, trunk_lean_deg=15),
        {},
    ),
    "h2_fwd_back_L_quick_long": (
        "back",
        dict(kind="forward", lead_side="left", reps=2, depth_deg=90, step_length_m=0.95, **QUICK),
        {},
    ),
    "h2_split_back_R": ("back", dict(kind="split", lead_side="right", reps=2, depth_deg=90), {}),
    # held out for the split stance check (_stance_kept): rendered after it was chosen
    "h_split_side_L_quick_Rlead": (
        "side_left",
        dict(
            kind="split",
            lead_side="right",
            reps=3,
            depth_deg=95,
            descent_s=0.5,
            ascent_s=0.5,
            pause_bottom_s=0.1,
            pause_top_s=0.3,
        ),
        {},
    ),
    "h_split_side_R_quick_Llead": (
        "side_right",
        dict(
            kind="split",
            lead_side="left",
            reps=3,
            depth_deg=70,
            descent_s=0.6,
            ascent_s=0.7,
            pause_bottom_s=0.0,
            pause_top_s=0.35,
        ),
        {},
    ),
    "h_split_side_L_quick_deep": (
        "side_left",
        dict(
            kind="split",
            lead_side="left",
            reps=3,
            depth_deg=95,
            descent_s=0.5,
            ascent_s=0.6,
            pause_bottom_s=0.1,
            pause_top_s=0.3,
        ),
        {},
    ),
    "h_fwd_front_R_az_m15": (
        "front",
        dict(kind="forward", lead_side="right", reps=2, depth_deg=80, descent_s=0.8),
        dict(azimuth_deg=-15),
    ),
}


def render(name: str, out: Path, *, crf: int = CRF, realistic: bool = False, without: tuple[str, ...] = ()) -> None:
    """Render the clip (or take the sample video), extract its landmarks and keep them with the true events."""
    from movelab.synth import Lunge, render_clip

    spec = CASES[name]
    if not isinstance(spec, str):
        view, lunge, camera = spec
        spec = render_clip(Lunge(**lunge), view=view, fps=FPS, **camera)
    keep_clip(name, out, spec, crf=crf, realistic=realistic, without=without)


def evaluate(name: str, path: Path) -> dict:
    """Movement recognised, reps found and true, lead legs, and the signed error in frames of each true rep
    event (``s``/``b``/``e``) of the landmarks kept at ``path``."""
    from movelab.events import segment
    from movelab.kinematics import compute_motion

    ds, angles, views, seg = segmented(path)
    timed = seg if seg.movement == "lunge" else segment(compute_motion(ds, views=views), movement="lunge")  # as a lunge
    truth = [e for e in json.loads(path.with_suffix(".events.json").read_text()) if e["event"].startswith("rep_")]
    errors = [
        (
            e["event"][4],
            nearest_error_frames(
                timed.events.loc[timed.events["event"] == e["event"], "time_s"], e["time_s"], FPS, within=MISS_FRAMES
            ),
        )
        for e in truth
    ]
    spec = CASES[name]
    lead = (
        json.loads((ROOT / spec).with_suffix(".truth.json").read_text())["parameters"]["lead_side"]
        if isinstance(spec, str)
        else spec[1]["lead_side"]
    )
    leads = list(timed.reps["lead_leg"]) if "lead_leg" in timed.reps else []
    return {
        "clip": name,
        "movement": seg.movement,
        "reps": len(timed.reps),
        "reps_true": sum(e["event"] == "rep_start" for e in truth),
        "lead_true": lead,
        "lead_ok": sum(v == lead for v in leads),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, "lunge_timing_accuracy", CASES, argv)
    keep_all(selected(args, CASES), args, render)
    rows = [evaluate(name, args.out / f"{name}.nc") for name in selected(args, CASES)]
    print(
        "| clip | recognised | reps found / true | lead leg right | max abs | signed errors (s start, b bottom, "
        "e end) |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['clip']} | {r['movement']} | {r['reps']} / {r['reps_true']} | "
            f"{r['lead_ok']} / {r['reps']} ({r['lead_true']}) | {' | '.join(rep_errors_cells(r['errors']))} |"
        )
    print_rep_summary(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
