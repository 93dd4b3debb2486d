"""Where the lumbar lordosis estimate loses the truth: the rendered silhouette or the pose model's mask.

For each body of the population (design bodies by default) takes the posture tilt sweep and the trunk sway of
``scripts.accuracy.outline_population`` and runs the outline method's per-frame geometry
(:func:`movelab.kinematics.outline_method.estimate_frame`, quality-gated at ``outline_min_quality``, no time
filter) on two outlines of the same frames:

* ``rendered``: the renderer's own silhouette (the frame rendered again without the floor, everything unlike
  the background), with the true hip, shoulder and arm points: what the clip shows, with no pose model;
* ``kept``: the pose model's person mask and landmarks kept by ``outline_population`` (the hip registered as
  :func:`movelab.kinematics.outline_estimates` does), as in the error table but per frame.

Per body and source it prints the sweep's lordosis slope against the true lordosis (``lord slope``, target
0.7-1.3), the sway's lordosis slope against the trunk lean (true 0), the sweep's change MAE (each frame's error
less the clip's median error) and, to tell the two chords apart, the slopes of the method's thoraco-lumbar
chord and of the truth's upper chord (back L1/L2 to T11/T12) against the true lordosis.

``bridge`` checks the renderer: the largest distance (torso lengths) by which the rendered back lies behind
the same frames rendered with every trunk shading band clipped to its piece's outline (:func:`bands_clipped`),
at 0.1-0.6 torso lengths above the hip, over the sweep's frames. Before the renderer fix the bands bridged the
lumbar hollow of a tilted pelvis by 0.04-0.10 on 8 of the 15 bodies (docs/outline-decisions.md); 0.00 now.

Usage::

    nice python -m scripts.accuracy.lordosis_silhouette                  # design bodies (~4 min)
    nice python -m scripts.accuracy.lordosis_silhouette --held-out       # held-out bodies
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics import KinematicsConfig
from movelab.kinematics import outline as outline_module
from movelab.kinematics import outline_method as om
from movelab.synth import render as render_module
from scripts import ROOT
from scripts.accuracy._common import markdown_table
from scripts.accuracy.outline_population import CLIPS, DESIGN_CLIPS, Clip, _render

_ARM_POINTS = ("shoulder", "elbow", "wrist")
_BRIDGE_HEIGHTS = np.arange(0.10, 0.6001, 0.01)


@contextlib.contextmanager
def bands_clipped():
    """Within the block, the renderer's trunk shading bands stay inside their piece's full outline."""
    import cv2

    original = render_module._Slice.polygon

    def polygon(self, cam, s, light):
        poly = original(self, cam, s, light)
        if s >= 1.0 or poly is None:
            return poly
        full = original(self, cam, 1.0, light)
        if full is None:
            return poly
        area, inter = cv2.intersectConvexConvex(poly.astype(np.float32), full.astype(np.float32))
        return None if inter is None or area <= 0 else inter.reshape(-1, 2)

    render_module._Slice.polygon = polygon
    try:
        yield
    finally:
        render_module._Slice.polygon = original


def silhouette_px(synth, index: int) -> np.ndarray:
    """The outer contour (pixels) of frame ``index`` rendered without the floor: pixels unlike the background."""
    import cv2

    img = render_module.render_figure(synth.figures[index], synth.camera, synth.appearance, draw_floor=False)
    diff = np.abs(img.astype(np.int16) - np.asarray(synth.appearance.background_rgb, np.int16)).sum(axis=2)
    contours, _ = cv2.findContours((diff > 30).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea)[:, 0, :].astype(np.float64)


def _incl(p: np.ndarray, q: np.ndarray) -> float:
    d = q - p
    return math.degrees(math.atan2(d[0], d[1]))


def _truth_chords(synth, index: int, hip: np.ndarray, facing: float, torso: float) -> tuple[float, float]:
    """The truth's lower (S2 to L4/L5) and upper (L1/L2 to T11/T12) back chords in the image's sagittal frame."""
    fig = synth.figures[index]
    p = {
        k: om._to_sagittal(synth.camera.project(fig.points[f"back_{k}"][None])[0], hip, facing, torso)
        for k in ("S2", "L4L5", "L1L2", "T11T12")
    }
    return _incl(p["S2"], p["L4L5"]), _incl(p["L1L2"], p["T11T12"])


def _row(e: om.FrameEstimate, truth_lord: float, lean: float, chords: tuple[float, float]) -> dict:
    return {
        "lordosis": e.lumbar_lordosis,
        "quality": e.lordosis_quality,
        "upper": e.thoracolumbar_chord_deg,
        "true_lordosis": truth_lord,
        "true_upper": chords[1],
        "lean": lean,
    }


def frames_rendered(clip: Clip, params: om.OutlineParams) -> tuple[pd.DataFrame, np.ndarray]:
    """Per frame: the method on the rendered silhouette with the true points; and each frame's back outline
    ``x`` at :data:`_BRIDGE_HEIGHTS` (upright sagittal frame about the true hip)."""
    from movelab.synth.truth import lumbar_lordosis_deg

    synth = _render(clip)
    facing = 1.0 if clip.view == "side_right" else -1.0
    project = synth.camera.project
    rows, profiles, torso = [], [], None
    for i, fig in enumerate(synth.figures):
        hip = project(fig.points["hip_mid"][None])[0]
        shoulder = project(0.5 * (fig.points["left_shoulder"] + fig.points["right_shoulder"])[None])[0]
        torso = torso or float(np.hypot(*(shoulder - hip)))
        arms = np.array([[project(fig.points[f"{s}_{k}"][None])[0] for k in _ARM_POINTS] for s in ("left", "right")])
        outline = silhouette_px(synth, i)
        e = om.estimate_frame(
            outline, hip_px=hip, shoulder_px=shoulder, facing=facing, torso_px=torso, arms_px=arms, params=params
        )
        lean = _incl(np.zeros(2), om._to_sagittal(shoulder, hip, facing, torso))
        truth = lumbar_lordosis_deg(fig.points, fig.heading)
        rows.append(_row(e, truth, lean, _truth_chords(synth, i, hip, facing, torso)))
        profiles.append(om.back_profile(outline, hip_px=hip, facing=facing, torso_px=torso, heights=_BRIDGE_HEIGHTS))
    return pd.DataFrame(rows), np.array(profiles)


def frames_kept(clip: Clip, folder: Path, config: KinematicsConfig) -> pd.DataFrame | None:
    """Per frame: the method on the kept pose-model outline and landmarks (hip registered as in the pipeline)."""
    from movelab import landmarks
    from movelab.kinematics import detect_views
    from movelab.kinematics.clean import clean_positions
    from movelab.kinematics.geometry import median_torso_length, midpoint
    from movelab.kinematics.views import facing_sign, views_per_frame

    path = folder / f"{clip.name}.nc"
    if not path.is_file():
        return None
    ds = landmarks.load(path)
    truth = pd.read_csv(folder / f"{clip.name}.truth.csv").set_index("frame")
    synth = _render(clip)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        views = views_per_frame(ds, detect_views(ds, config=config), config=config)
        facing = facing_sign(views)
        position = clean_positions(ds, config=config, views=views)
        fallback = config.side_view_midpoint_fallback
        hip, shoulder = midpoint(position, "hip", fallback=fallback), midpoint(position, "shoulder", fallback=fallback)
        torso = median_torso_length(position, where=np.isfinite(facing))
        outline = ds["outline_px"].transpose("time", "outline_point", "space_2d").values
        registered = outline_module._registered_hip(outline, hip, shoulder, facing, torso, config=config)
    hip = hip if registered is None else registered
    arms = outline_module._arm_points(ds, config)
    params = outline_module.outline_params(config)
    rows = []
    for i, frame in enumerate(ds["frame"].values.astype(int)):
        if not np.isfinite(facing[i]):
            continue
        e = om.estimate_frame(
            np.asarray(outline[i], np.float64),
            hip_px=hip[i],
            shoulder_px=shoulder[i],
            facing=float(facing[i]),
            torso_px=torso,
            arms_px=arms[i],
            params=params,
        )
        chords = _truth_chords(synth, frame, hip[i], float(facing[i]), torso)
        rows.append(_row(e, truth.loc[frame, "lumbar_lordosis"], truth.loc[frame, "trunk_lean"], chords))
    return pd.DataFrame(rows)


def _slope(x, y) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 5 or np.ptp(x[ok]) < 2:
        return np.nan
    return float(np.polyfit(x[ok], y[ok], 1)[0])


def summary(tilt: pd.DataFrame | None, sway: pd.DataFrame | None, min_quality: float) -> dict:
    """Slopes and change MAE of one body from one source (frames below ``min_quality`` left out)."""
    out = {}
    if tilt is not None:
        t = tilt[tilt["quality"] >= min_quality]
        err = (t["lordosis"] - t["true_lordosis"]).dropna()
        out["lord slope"] = _slope(t["true_lordosis"], t["lordosis"])
        out["change MAE"] = float(np.mean(np.abs(err - err.median()))) if err.size else np.nan
        out["upper slope"] = _slope(t["true_lordosis"], t["upper"])
        out["true upper slope"] = _slope(t["true_lordosis"], t["true_upper"])
        out["frames"] = f"{int(np.isfinite(t['lordosis']).sum())}/{len(tilt)}"
    if sway is not None:
        s = sway[sway["quality"] >= min_quality]
        out["lord sway slope"] = _slope(s["lean"], s["lordosis"])
    return out


def bridge(rendered: np.ndarray, clipped: np.ndarray) -> float:
    """Largest distance (torso lengths) by which the rendered back lies behind the clipped one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.nanmax(clipped - rendered)) if np.isfinite(clipped - rendered).any() else np.nan


COLUMNS = ("lord slope", "lord sway slope", "change MAE", "upper slope", "true upper slope", "frames")


def markdown(rows: list[dict]) -> str:
    head = ("body", "lumbar bend", "source", *COLUMNS, "bridge")
    return markdown_table(rows, head, number=lambda c, v: f"{v:.1f}" if c == "change MAE" else f"{v:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="the held-out bodies (default: the design bodies)")
    parser.add_argument("--only", nargs="+", metavar="BODY", help="these bodies only")
    parser.add_argument("--kept", type=Path, help="the kept pose-model landmarks (default: outline_population's)")
    args = parser.parse_args(argv)
    clips = CLIPS if args.held_out else DESIGN_CLIPS
    clips = [c for c in clips if c.kind in ("tilt", "sway") and (not args.only or c.body.name in args.only)]
    kept = args.kept or ROOT / ".cache" / ("outline_population" if args.held_out else "outline_population_design")
    config = KinematicsConfig()
    params = outline_module.outline_params(config)
    rows = []
    for body in dict.fromkeys(c.body for c in clips):
        own = {c.kind: c for c in clips if c.body is body}
        bend = f"apex {body.lumbar_apex:.1f}, spread {body.lumbar_spread:.1f}"
        tables: dict[str, dict] = {"rendered": {}, "kept": {}}
        profiles = None
        for kind, clip in own.items():
            tables["rendered"][kind], rendered_profiles = frames_rendered(clip, params)
            if kind == "tilt":
                with bands_clipped():
                    profiles = rendered_profiles, frames_rendered(clip, params)[1]
            tables["kept"][kind] = frames_kept(clip, kept, config)
        for source, t in tables.items():
            if not any(v is not None for v in t.values()):
                continue
            row = {"body": body.name, "lumbar bend": bend, "source": source}
            row.update(summary(t.get("tilt"), t.get("sway"), config.outline_min_quality))
            if source == "rendered" and profiles is not None:
                row["bridge"] = bridge(*profiles)
            rows.append(row)
        print(f"  {body.name} done", file=sys.stderr)
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
