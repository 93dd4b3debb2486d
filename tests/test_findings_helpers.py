"""Helpers shared by the findings, report, plots and notebook tests (no tests here).

``segmentation_from_events`` builds the segmentation contract of docs/architecture.md from a rendered clip's
true events, so the findings are tested on a correct segmentation, apart from the segmentation's own errors.
When ``movelab.events.Segmentation`` exists it is used; until then a stand-in with the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

try:  # the real contract once segmentation lands
    from movelab.events import Segmentation as _RealSegmentation
except ImportError:  # pragma: no cover - until issue 5 lands
    _RealSegmentation = None


@dataclass(frozen=True)
class StandInSegmentation:
    """The segmentation contract's fields (docs/architecture.md), for tests until ``movelab.events`` exists."""

    movement: str
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    reps: pd.DataFrame = field(default_factory=pd.DataFrame)
    cycles: pd.DataFrame = field(default_factory=pd.DataFrame)
    gait: dict | None = None

    def to_report(self) -> dict:
        out = {"movement": self.movement}
        if self.movement == "gait":
            out["gait"] = dict(self.gait or {})
        else:
            out["reps"] = self.reps.to_dict("records")
        return out


def make_segmentation(movement, *, events=None, reps=None, cycles=None, gait=None):
    events = pd.DataFrame(events if events is not None else [], columns=["event", "side", "time_s", "frame"])
    reps = pd.DataFrame(reps if reps is not None else [])
    cycles = pd.DataFrame(cycles if cycles is not None else [])
    if _RealSegmentation is not None:
        try:
            return _RealSegmentation(movement=movement, events=events, reps=reps, cycles=cycles, gait=gait)
        except TypeError:
            pass
    return StandInSegmentation(movement, events, reps, cycles, gait)


def segmentation_from_events(movement: str, events: list[dict], *, lead_leg: str | None = None):
    """Reps (``rep_start`` / ``rep_bottom`` / ``rep_end``) or gait cycles (``initial_contact`` to the same
    side's next one, with its ``toe_off``) from a clip's true events."""
    ev = pd.DataFrame(events, columns=["event", "side", "time_s", "frame"])
    if movement in ("squat", "lunge"):
        starts, bottoms, ends = (
            ev[ev["event"] == e].reset_index(drop=True) for e in ("rep_start", "rep_bottom", "rep_end")
        )
        rows = []
        for i in range(min(len(starts), len(bottoms), len(ends))):
            row = {
                "index": i,
                "start_s": starts["time_s"][i],
                "bottom_s": bottoms["time_s"][i],
                "end_s": ends["time_s"][i],
                "start_frame": int(starts["frame"][i]),
                "bottom_frame": int(bottoms["frame"][i]),
                "end_frame": int(ends["frame"][i]),
            }
            if lead_leg is not None:
                row["lead_leg"] = lead_leg
            rows.append(row)
        return make_segmentation(movement, events=ev, reps=rows)
    if movement == "gait":
        rows = []
        for side in ("left", "right"):
            contacts = ev[(ev["event"] == "initial_contact") & (ev["side"] == side)]["time_s"].to_numpy()
            toe_offs = ev[(ev["event"] == "toe_off") & (ev["side"] == side)]["time_s"].to_numpy()
            for a, b in zip(contacts[:-1], contacts[1:]):
                inside = toe_offs[(toe_offs > a) & (toe_offs < b)]
                rows.append(
                    {
                        "side": side,
                        "start_s": a,
                        "end_s": b,
                        "toe_off_s": float(inside[0]) if inside.size else np.nan,
                        "stride_time_s": b - a,
                    }
                )
        cycles = pd.DataFrame(rows).sort_values("start_s").reset_index(drop=True)
        return make_segmentation("gait", events=ev, cycles=cycles, gait={})
    return make_segmentation(movement, events=ev)


def truth_angles(clip) -> pd.DataFrame:
    """A rendered clip's true angle table (the angle table's columns, exact values)."""
    from movelab.kinematics import ANGLE_NAMES

    truth = clip.truth
    return truth[["time_s", "frame", *ANGLE_NAMES]].set_index("time_s")


try:  # the real contract once analysis.py lands
    from movelab.analysis import Analysis as _RealAnalysis
except ImportError:  # pragma: no cover - until the lead's analysis.py lands
    _RealAnalysis = None


@dataclass(frozen=True)
class StandInAnalysis:
    """The Analysis contract's fields (docs/architecture.md), for tests until ``movelab.analysis`` exists."""

    landmarks: object
    angles: pd.DataFrame
    views: pd.DataFrame
    segmentation: object
    findings: tuple
    summary: dict

    def to_report(self) -> dict:
        from movelab.report import build_report

        return build_report(self)


def analysis_of(video, segmentation, *, config=None):
    """Landmarks → views → angles (+ outline) → findings for ``video``, with a given segmentation (e.g. the
    true one). A :class:`movelab.analysis.Analysis` when it can be built, else a stand-in with its fields."""
    import dataclasses as dc

    from movelab.extraction import extract, summarise
    from movelab.findings import FindingsConfig, detect_findings
    from movelab.kinematics import compute_motion, outline_angles

    ds = extract(video)
    motion = compute_motion(ds)
    angles, views = motion.angles, motion.views
    outline = outline_angles(ds, views=views)
    findings = detect_findings(motion, segmentation, config=config or FindingsConfig())
    fields = dict(
        landmarks=ds,
        angles=angles,
        views=views,
        outline=outline,
        segmentation=segmentation,
        findings=findings,
        summary=summarise(ds),
    )
    if _RealAnalysis is not None:
        try:
            names = {f.name for f in dc.fields(_RealAnalysis)}
            return _RealAnalysis(**{k: v for k, v in fields.items() if k in names})
        except TypeError:
            pass
    fields.pop("outline")
    return StandInAnalysis(**fields)


# ----------------------------------------------------------------------------- synthetic angle tables

FPS = 30.0


def bump(
    time: np.ndarray, start: float, bottom: float, end: float, low: float, high: float, pause_s: float = 0.15
) -> np.ndarray:
    """``low`` outside ``[start, end]``, rising as a half cosine to exactly ``high``, held for ``pause_s`` either
    side of ``bottom`` (a pause at the bottom, as the mannequin's squats have), and back."""
    out = np.full(time.shape, float(low))
    b0, b1 = bottom - pause_s, bottom + pause_s
    up = (time >= start) & (time < b0)
    hold = (time >= b0) & (time <= b1)
    down = (time > b1) & (time <= end)
    out[up] = low + (high - low) * 0.5 * (1 - np.cos(np.pi * (time[up] - start) / (b0 - start)))
    out[hold] = high
    out[down] = low + (high - low) * 0.5 * (1 + np.cos(np.pi * (time[down] - b1) / (end - b1)))
    return out


def angle_table(duration_s: float, columns: dict[str, np.ndarray | float]) -> pd.DataFrame:
    """An angle table of ``duration_s`` at 30 fps: every angle NaN except ``columns`` (arrays or constants)."""
    from movelab.kinematics import ANGLE_NAMES

    n = int(round(duration_s * FPS))
    time = np.arange(n) / FPS
    table = pd.DataFrame({"frame": np.arange(n)}, index=pd.Index(time, name="time_s"))
    for name in ANGLE_NAMES:
        value = columns.get(name, np.nan)
        table[name] = np.broadcast_to(np.asarray(value(time) if callable(value) else value, float), (n,)).copy()
    return table


REPS = [(0.5, 1.5, 2.5), (3.0, 4.0, 5.0)]  # (start, bottom, end) of the synthetic squats, standing between


def squat_reps() -> list[dict]:
    return [{"index": i, "start_s": a, "bottom_s": b, "end_s": c} for i, (a, b, c) in enumerate(REPS)]


def squat_columns(standing: dict[str, float], bottom: dict[str, float]) -> dict:
    """Columns that are ``standing`` values outside the reps and reach ``bottom`` values at each rep's bottom."""

    def column(name):
        def f(time):
            out = np.full(time.shape, standing[name], float)
            for a, b, c in REPS:
                inside = (time >= a) & (time <= c)
                out[inside] = bump(time, a, b, c, standing[name], bottom[name])[inside]
            return out

        return f

    return {name: column(name) for name in bottom}


# ----------------------------------------------------------------------------- rendered clips (slow tests)


def _clip_specs():
    from movelab.synth import Gait, Lunge, Posture, Squat

    squat = dict(reps=1, descent_s=1.0, pause_bottom_s=0.2, ascent_s=0.8, pause_top_s=0.3, lead_in_s=0.6)
    # the lunge stands 0.9 s first: the findings' standing reference skips the pose model's first 0.5 s
    lunge = dict(reps=1, step_s=0.5, descent_s=0.7, pause_bottom_s=0.2, ascent_s=0.7, pause_top_s=0.2, lead_in_s=0.9)
    return {
        # name: (motion, movement, view, lunge lead leg)
        "squat_side_neutral": (Squat(depth_deg=130, trunk_lean_deg=40, **squat), "squat", "side_right", None),
        "squat_side_pattern": (
            Squat(depth_deg=130, trunk_lean_deg=65, heel_lift_deg=20, **squat),
            "squat",
            "side_left",
            None,
        ),
        "squat_side_lumbar": (
            Squat(depth_deg=130, trunk_lean_deg=40, lumbar_flexion_deg=25, **squat),
            "squat",
            "side_right",
            None,
        ),
        "squat_front_neutral": (Squat(depth_deg=110, trunk_lean_deg=35, **squat), "squat", "front", None),
        "squat_front_valgus": (
            Squat(depth_deg=110, trunk_lean_deg=35, knee_valgus_deg=25, **squat),
            "squat",
            "front",
            None,
        ),
        # hands on the hips: with the arms hanging the hip landmarks show a third to a half of the drop and a
        # lunge's pelvic drop is not judged (docs/findings.md)
        "lunge_front_drop": (Lunge(pelvic_drop_deg=10, arms="hips", **lunge), "lunge", "front", "left"),
        "gait_side_neutral": (Gait(duration_s=3.0, hip_extension_deg=20), "gait", "side_right", None),
        "gait_side_reduced": (Gait(duration_s=3.0, hip_extension_deg=5), "gait", "side_right", None),
        "posture_side_neutral": (Posture(duration_s=2.5), "posture", "side_right", None),
        "posture_side_tilt": (
            Posture(pelvic_tilt_deg=28, lordosis_deg=35, duration_s=2.5),
            "posture",
            "side_right",
            None,
        ),
        # squat_side_neutral with the bottom 20 % of the picture cut off (CUT_FRACTION): the feet out of frame
        "squat_side_cut": (Squat(depth_deg=130, trunk_lean_deg=40, **squat), "squat", "side_right", None),
    }


#: Clips whose picture is cut off at the bottom by this fraction of its height.
CUT_FRACTION = {"squat_side_cut": 0.2}


CLIP_NAMES = tuple(_clip_specs())


def clip_video(name: str) -> tuple[Path, list[dict], str, str | None]:
    """The rendered clip ``name`` (kept under the test cache, re-rendered when its parameters change), its true
    events, movement and lunge lead leg."""
    import hashlib
    import os

    from conftest import renderer_digest

    from movelab.synth import render_clip, write_mp4

    motion, movement, view, lead = _clip_specs()[name]
    cut = CUT_FRACTION.get(name, 0.0)
    key = hashlib.sha256(repr((motion, view, renderer_digest()) + ((cut,) if cut else ())).encode()).hexdigest()[:12]
    folder = Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache") / "videos" / "findings"
    path = folder / f"{name}-{key}.mp4"
    clip = render_clip(motion, view=view)
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"partial-{os.getpid()}-{path.name}")  # own file per xdist worker
        keep = clip.camera.height_px
        keep -= 2 * int(round(cut * keep / 2))
        frames = (np.ascontiguousarray(f[:keep]) for f in clip.iter_frames())
        write_mp4(frames, partial, fps=clip.fps, crf=20)
        partial.replace(path)
    return path, clip.events(), movement, lead


_ANALYSES: dict[str, object] = {}


def clip_analysis(name: str):
    """Landmarks, angles, views, true segmentation and findings of a rendered clip (computed once per run)."""
    if name not in _ANALYSES:
        path, events, movement, lead = clip_video(name)
        _ANALYSES[name] = analysis_of(path, segmentation_from_events(movement, events, lead_leg=lead))
    return _ANALYSES[name]
