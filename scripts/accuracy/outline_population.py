"""Error table of pelvic tilt and lumbar lordosis over the held-out bodies (outline method and ASIS/PSIS markers).

For every body of :data:`movelab.synth.population.HELD_OUT_BODIES` (never used for tuning) renders a posture
tilt sweep (pelvis 0..20 deg, trunk upright, lordosis following at 0.6 deg/deg), a strong-tilt sweep (pelvis
15..35 deg, lordosis 27..39 deg, filmed like the sway), a trunk sway with the pelvis still (trunk -10..10 deg)
and, on every other body, a squat; both facing directions, camera distances
3.5/4.5/5.5 m and heights 0.7/1.0/1.3 m, x264 crf 20/26/30, ASIS/PSIS stickers of several colours, sizes and
lights, each body holding its arms as listed (hanging, folded, forward). Runs the real extraction (MediaPipe,
``markers="auto"``) and keeps ``<out>/<clip>.nc`` and ``<out>/<clip>.truth.csv``; ``--reuse`` evaluates the
kept landmarks without rendering or running the model.

Per body it prints: the slope of the estimated tilt against the trunk lean in the sway (target |s| <= 0.15),
the tilt slope against the truth in the sweep (0.8-1.2), change-from-standing MAE and absolute MAE of the tilt
(sweep), lordosis change MAE (sweep), the lordosis slope against the trunk lean in the sway beside the truth's
(which is 0: the sway leaves the lordosis unchanged), the lordosis slope against the true lordosis in the sweep,
the frames measured, the squat's tilt MAE, the marker-mode tilt MAE in each clip, and the sweep's absolute tilt
MAE after a client calibration taken from the same body's sway filmed with stickers (``--client-baseline``).
A second table gives the strong-tilt sweep's errors: absolute, change from the 0..20 deg sweep's standing
baseline, slopes over both sweeps, frames measured.

Usage::

    nice python -m scripts.accuracy.outline_population   # renders and extracts (~10 min on 2 busy cores)
    python -m scripts.accuracy.outline_population --reuse  # the table from the kept landmarks (~20 s)
    python -m scripts.accuracy.outline_population --design --reuse  # the design bodies, for method work; also
        # prints their median errors and the body spread of KinematicsConfig.outline_*_body_sd_deg
    python -m scripts.accuracy.outline_population --design --reuse --set outline_elbow_swing_limits=0.05,0.07
        # design work: other outline_* settings (--no-registration: the fixed drift rate alone)
    python -m scripts.accuracy.outline_population --design --reuse --fit-elevation  # marker mode: the
        # camera-elevation calibration (movelab.kinematics.camera_elevation.ElevationCalibration)

After the main table a marker table gives each clip's sticker tilt MAE before and after the parallax
correction and the frames within twice the markers' per-frame ``pelvic_tilt_sd``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from movelab.kinematics import KinematicsConfig, detect_views, outline_estimates
from movelab.kinematics.markers import client_calibration, marker_pelvic_tilt
from movelab.synth import Appearance, Posture, Squat, render_clip
from movelab.synth.population import DESIGN_BODIES, HELD_OUT_BODIES, PopulationBody
from scripts import ROOT
from scripts.accuracy._common import markdown_table

FPS = 30.0
#: The strong-tilt sweep: pelvis 15..35 deg (mean 25), lordosis 27..39 deg (the sweep's 0.6 deg per degree of tilt
#: from the neutral 25 deg at 11 deg), where a clinician most needs the method (anterior pelvic tilt).
STRONG_TILT_DEG = 25.0
STRONG_LORDOSIS_DEG = 33.4
_COLOURS = ((40, 200, 60), (220, 40, 200), (240, 220, 30), (30, 80, 230), (250, 130, 20), (40, 200, 60))
_SHIRTS = ((52, 100, 170), (170, 40, 40), (230, 230, 225), (90, 90, 90), (40, 110, 60), (200, 160, 40))


@dataclass(frozen=True)
class Clip:
    """One rendered clip of a held-out body."""

    name: str
    kind: str  # tilt | sway | squat
    motion: object
    view: str
    distance_m: float
    camera_height_m: float
    crf: int
    appearance: Appearance
    body: PopulationBody


def clips_of(i: int, pb: PopulationBody) -> list[Clip]:
    """The clips of held-out body number ``i``."""
    app = Appearance(
        marker_rgb=_COLOURS[i % 6],
        marker_radius_m=(0.010, 0.012, 0.015)[i % 3],
        shirt_rgb=_SHIRTS[i % 6],
        light_from=("left", "right")[i % 2],
    )
    cam = dict(distance_m=(3.5, 4.5, 5.5)[i % 3], camera_height_m=(0.7, 1.0, 1.3)[(i + 1) % 3])
    views = ("side_right", "side_left") if i % 2 == 0 else ("side_left", "side_right")
    out = [
        Clip(
            f"{pb.name}_tilt",
            "tilt",
            Posture(
                pelvic_tilt_deg=10.0,
                tilt_amplitude_deg=10.0,
                lordosis_per_tilt=0.6,
                period_s=3.0,
                duration_s=3.0,
                arms=pb.arms,
            ),
            views[0],
            crf=(20, 26, 30)[i % 3],
            appearance=app,
            body=pb,
            **cam,
        ),
        Clip(
            f"{pb.name}_sway",
            "sway",
            Posture(sway_amplitude_deg=10.0, period_s=3.0 / 1.3, duration_s=3.0, arms=pb.arms),
            views[1],
            crf=(30, 20, 26)[i % 3],
            appearance=app,
            body=pb,
            **cam,
        ),
        Clip(
            f"{pb.name}_strong",
            "strong",
            Posture(
                pelvic_tilt_deg=STRONG_TILT_DEG,
                lordosis_deg=STRONG_LORDOSIS_DEG,
                tilt_amplitude_deg=10.0,
                lordosis_per_tilt=0.6,
                period_s=3.0,
                duration_s=3.0,
                arms=pb.arms,
            ),
            views[1],
            crf=(26, 30, 20)[i % 3],
            appearance=app,
            body=pb,
            **cam,
        ),
    ]
    if i % 2 == 0:
        out.append(
            Clip(
                f"{pb.name}_squat",
                "squat",
                Squat(
                    depth_deg=95.0, trunk_lean_deg=28.0, lumbar_flexion_deg=8.0, reps=1, lead_in_s=0.6, pause_top_s=0.4
                ),
                views[1],
                crf=26,
                appearance=app,
                body=pb,
                **cam,
            )
        )
    return out


CLIPS: tuple[Clip, ...] = tuple(c for i, pb in enumerate(HELD_OUT_BODIES) for c in clips_of(i, pb))
#: The same protocol on the design bodies (``--design``): for designing and calibrating, never for the table.
DESIGN_CLIPS: tuple[Clip, ...] = tuple(c for i, pb in enumerate(DESIGN_BODIES) for c in clips_of(i, pb))


def _render(clip: Clip, **options):
    """The clip rendered at its camera place (``options`` go to ``render_clip``, e.g. the appearance)."""
    return render_clip(
        clip.motion,
        view=clip.view,
        fps=FPS,
        distance_m=clip.distance_m,
        camera_height_m=clip.camera_height_m,
        body=clip.body.body,
        **options,
    )


def keep(clip: Clip, out: Path) -> None:
    """Render, encode and extract one clip; keep its landmarks and truth."""
    synth = _render(clip, appearance=clip.appearance)
    video = synth.write(out / f"{clip.name}.mp4", crf=clip.crf)["video"]
    extract_kept(video, out / f"{clip.name}.nc")
    synth.truth.to_csv(out / f"{clip.name}.truth.csv", index=False)


def extract_kept(video: Path, path: Path) -> None:
    """The population's extraction of a kept video (MediaPipe, the sticker dots found), its landmarks kept at
    ``path``: what every table of this script (and of ``outline_population_mirrored``) reads."""
    from movelab import landmarks
    from movelab.config import ExtractConfig
    from movelab.extraction import extract

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = extract(video, config=ExtractConfig(markers="auto"), use_cache=False)
    landmarks.save(ds, path)


def redetect(clip: Clip, out: Path) -> None:
    """Find the sticker dots again in a kept clip with the current detector; keep the landmarks."""
    from movelab import landmarks
    from movelab.extraction import add_markers

    path = out / f"{clip.name}.nc"
    ds = add_markers(landmarks.load(path), out / f"{clip.name}.mp4", "auto")
    landmarks.save(ds, path)


def compare(clip: Clip, out: Path, config: KinematicsConfig) -> pd.DataFrame:
    """Per frame: outline estimates, marker tilt and truth (change from the frames the method called standing)."""
    from movelab import landmarks

    ds = landmarks.load(out / f"{clip.name}.nc")
    truth = pd.read_csv(out / f"{clip.name}.truth.csv").set_index("frame")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        views = detect_views(ds, config=config)
        est = outline_estimates(ds, views=views, config=config)
        marker = marker_pelvic_tilt(ds, views=views).table
    true = truth.loc[est["frame"].to_numpy()]
    t = pd.DataFrame(
        {
            "frame": est["frame"].to_numpy(),
            "standing": est["standing"].to_numpy(),
            "trunk_lean_true": true["trunk_lean"].to_numpy(),
            "marker_tilt": marker["pelvic_tilt"].to_numpy(),
            "marker_tilt_raw": marker["pelvic_tilt_raw"].to_numpy(),
            "marker_tilt_sd": marker["pelvic_tilt_sd"].to_numpy(),
        }
    )
    for name in ("pelvic_tilt", "lumbar_lordosis"):
        t[name] = est[name].to_numpy()
        t[f"{name}_true"] = true[name].to_numpy()
        t[f"{name}_change"] = est[f"{name}_change"].to_numpy()
        base = np.nanmedian(t[f"{name}_true"][t["standing"]]) if t["standing"].any() else np.nan
        t[f"{name}_change_true"] = t[f"{name}_true"] - base
        if f"{name}_sd" in est:
            t[f"{name}_sd"] = est[f"{name}_sd"].to_numpy()
    return t


def _mae(a: np.ndarray, b: np.ndarray) -> float:
    d = np.asarray(a, float) - np.asarray(b, float)
    d = d[np.isfinite(d)]
    return float(np.mean(np.abs(d))) if d.size else np.nan


def _median(values) -> float:
    """The median of the finite values, NaN without any (no warning)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else np.nan


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 5 or np.ptp(x[ok]) < 2:
        return np.nan
    return float(np.polyfit(x[ok], y[ok], 1)[0])


def body_row(pb: PopulationBody, tables: dict[str, pd.DataFrame]) -> dict:
    """One row of the held-out table."""
    tilt, sway = tables.get("tilt"), tables.get("sway")
    row = {"body": pb.name, "arms": pb.arms}
    if sway is not None:
        lean = sway["trunk_lean_true"].to_numpy()
        row["sway slope"] = _slope(lean, sway["pelvic_tilt"].to_numpy())
        row["lord sway slope"] = _slope(lean, sway["lumbar_lordosis"].to_numpy())
        row["lord sway slope true"] = _slope(lean, sway["lumbar_lordosis_true"].to_numpy())
        row["sway measured %"] = 100 * float(np.isfinite(sway["pelvic_tilt"]).mean())
        row["marker sway MAE"] = _mae(sway["marker_tilt"], sway["pelvic_tilt_true"])
    if tilt is not None:
        row["tilt slope"] = _slope(tilt["pelvic_tilt_true"].to_numpy(), tilt["pelvic_tilt"].to_numpy())
        row["tilt change MAE"] = _mae(tilt["pelvic_tilt_change"], tilt["pelvic_tilt_change_true"])
        row["tilt MAE"] = _mae(tilt["pelvic_tilt"], tilt["pelvic_tilt_true"])
        row["lord change MAE"] = _mae(tilt["lumbar_lordosis_change"], tilt["lumbar_lordosis_change_true"])
        row["lord MAE"] = _mae(tilt["lumbar_lordosis"], tilt["lumbar_lordosis_true"])
        row["lord slope"] = _slope(tilt["lumbar_lordosis_true"].to_numpy(), tilt["lumbar_lordosis"].to_numpy())
        row["tilt bias"] = float(np.nanmedian(tilt["pelvic_tilt"] - tilt["pelvic_tilt_true"]))
        row["lord bias"] = float(np.nanmedian(tilt["lumbar_lordosis"] - tilt["lumbar_lordosis_true"]))
        if "pelvic_tilt_sd" in tilt:
            err = np.abs(tilt["pelvic_tilt"] - tilt["pelvic_tilt_true"])
            ok = np.isfinite(err) & np.isfinite(tilt["pelvic_tilt_sd"])
            within = err[ok] <= 2 * tilt["pelvic_tilt_sd"][ok]
            row["tilt within 2 sd %"] = 100 * float(within.mean()) if ok.any() else np.nan
        row["tilt measured %"] = 100 * float(np.isfinite(tilt["pelvic_tilt"]).mean())
        row["marker tilt MAE"] = _mae(tilt["marker_tilt"], tilt["pelvic_tilt_true"])
        row["marker measured %"] = 100 * float(np.isfinite(tilt["marker_tilt"]).mean())
    if tilt is not None and sway is not None:  # the sway filmed with stickers calibrates the tilt session
        cal = client_calibration(sway["marker_tilt"].to_numpy(), sway["pelvic_tilt"].to_numpy())
        if cal is not None:
            row["tilt MAE client-calibrated"] = _mae(
                tilt["pelvic_tilt"] - cal.pelvic_tilt_offset_deg, tilt["pelvic_tilt_true"]
            )
    for kind, table in tables.items():  # marker mode before/after the parallax correction, and its sd
        if kind == "strong":  # the marker table keeps to its own protocol (posture sweep, sway, squat)
            continue
        row[f"marker {kind} raw"] = _mae(table["marker_tilt_raw"], table["pelvic_tilt_true"])
        row[f"marker {kind}"] = _mae(table["marker_tilt"], table["pelvic_tilt_true"])
        err = np.abs(table["marker_tilt"] - table["pelvic_tilt_true"]).to_numpy()
        ok = np.isfinite(err) & np.isfinite(table["marker_tilt_sd"].to_numpy())
        row[f"marker {kind} in 2 sd"] = err[ok] <= 2 * table["marker_tilt_sd"].to_numpy()[ok]
    strong = tables.get("strong")
    if strong is not None:
        row.update(strong_row(tilt, strong))
    squat = tables.get("squat")
    if squat is not None:
        row["squat tilt MAE"] = _mae(squat["pelvic_tilt"], squat["pelvic_tilt_true"])
        row["squat change MAE"] = _mae(squat["pelvic_tilt_change"], squat["pelvic_tilt_change_true"])
        row["marker squat MAE"] = _mae(squat["marker_tilt"], squat["pelvic_tilt_true"])
    return row


def strong_row(tilt: pd.DataFrame | None, strong: pd.DataFrame) -> dict:
    """The strong-tilt sweep's columns: absolute errors and frames measured, the change from the body's standing
    baseline taken in its 0..20 deg sweep (the clinician's question: how much more tilted than usual), and the
    slopes against the truth over both sweeps together (0..35 deg)."""
    row = {
        "strong tilt MAE": _mae(strong["pelvic_tilt"], strong["pelvic_tilt_true"]),
        "strong tilt bias": _median(strong["pelvic_tilt"] - strong["pelvic_tilt_true"]),
        "strong lord MAE": _mae(strong["lumbar_lordosis"], strong["lumbar_lordosis_true"]),
        "strong lord bias": _median(strong["lumbar_lordosis"] - strong["lumbar_lordosis_true"]),
        "strong tilt measured %": 100 * float(np.isfinite(strong["pelvic_tilt"]).mean()),
        "strong lord measured %": 100 * float(np.isfinite(strong["lumbar_lordosis"]).mean()),
    }
    if tilt is None:
        return row
    for name, short in (("pelvic_tilt", "tilt"), ("lumbar_lordosis", "lord")):
        standing = tilt["standing"].to_numpy(bool)
        if standing.any():
            base, base_true = np.nanmedian(tilt[name][standing]), np.nanmedian(tilt[f"{name}_true"][standing])
            row[f"strong {short} change MAE"] = _mae(strong[name] - base, strong[f"{name}_true"] - base_true)
        both = pd.concat([tilt, strong])
        row[f"{short} slope 0-35"] = _slope(both[f"{name}_true"].to_numpy(), both[name].to_numpy())
    return row


STRONG_COLUMNS = (
    "body",
    "arms",
    "strong tilt MAE",
    "strong tilt bias",
    "strong tilt change MAE",
    "tilt slope 0-35",
    "strong tilt measured %",
    "strong lord MAE",
    "strong lord bias",
    "strong lord change MAE",
    "lord slope 0-35",
    "strong lord measured %",
)


COLUMNS = (
    "body",
    "arms",
    "sway slope",
    "tilt slope",
    "tilt change MAE",
    "tilt MAE",
    "tilt MAE client-calibrated",
    "lord change MAE",
    "lord MAE",
    "lord sway slope",
    "lord sway slope true",
    "lord slope",
    "tilt measured %",
    "sway measured %",
    "squat tilt MAE",
    "squat change MAE",
    "marker tilt MAE",
    "marker sway MAE",
    "marker squat MAE",
    "marker measured %",
    "tilt within 2 sd %",
)


def marker_markdown(rows: list[dict]) -> str:
    """Marker mode per body: tilt MAE in each clip before -> after the parallax correction, and the share of
    frames whose error lies within twice the per-frame ``pelvic_tilt_sd``."""
    head = "| body | posture tilt MAE raw -> corrected | sway | squat | frames within 2 sd % |"
    lines = [head, "|---|---|---|---|---|"]
    for row in rows:
        cells = [row["body"]]
        for kind in ("tilt", "sway", "squat"):
            raw, new = row.get(f"marker {kind} raw", np.nan), row.get(f"marker {kind}", np.nan)
            cells.append("–" if not np.isfinite(new) else f"{raw:.1f} -> {new:.1f}")
        within = [row[k] for k in row if k.endswith("in 2 sd")]
        within = np.concatenate(within) if within else np.array([])
        cells.append(f"{100 * within.mean():.0f}" if within.size else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(rows: list[dict]) -> str:
    return markdown_table(rows, COLUMNS, number=_number)


def _number(column: str, value: float) -> str:
    return f"{value:.0f}" if "%" in column else f"{value:.2f}" if "slope" in column else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="where clips and landmarks are kept (default .cache/outline_population[_design])"
    )
    parser.add_argument(
        "--design",
        action="store_true",
        help="the design bodies instead of the held-out ones (for designing methods, not reporting)",
    )
    parser.add_argument("--reuse", action="store_true", help="evaluate the landmarks kept from the last run")
    parser.add_argument("--only", nargs="+", metavar="BODY", help="these held-out bodies only")
    parser.add_argument(
        "--redetect-markers",
        action="store_true",
        help="find the sticker dots again in the kept videos (no pose model) before evaluating",
    )
    parser.add_argument(
        "--sacral-levels",
        nargs=2,
        type=float,
        metavar=("LOW", "HIGH"),
        help="try other outline_sacral_levels (design work)",
    )
    parser.add_argument("--tilt-offset", type=float, help="try another outline_tilt_offset_deg (design work)")
    parser.add_argument("--hip-drift", type=float, help="try another outline_hip_drift_per_deg (design work)")
    parser.add_argument(
        "--no-registration",
        action="store_true",
        help="the hip drift corrected by outline_hip_drift_per_deg alone, not by registering the pelvis's outline",
    )
    parser.add_argument(
        "--set",
        nargs="+",
        default=(),
        metavar="FIELD=VALUE",
        help="try other KinematicsConfig outline_* values (design work), e.g. outline_elbow_behind_limits=0.05,0.07",
    )
    parser.add_argument(
        "--fit-elevation",
        action="store_true",
        help="marker mode: fit the camera-elevation calibration (ElevationCalibration) to the kept clips and stop",
    )
    args = parser.parse_args(argv)
    args.out = args.out or ROOT / ".cache" / ("outline_population_design" if args.design else "outline_population")
    args.out.mkdir(parents=True, exist_ok=True)
    bodies, clips = (DESIGN_BODIES, DESIGN_CLIPS) if args.design else (HELD_OUT_BODIES, CLIPS)
    config = KinematicsConfig()
    if args.sacral_levels:
        config = dataclasses.replace(config, outline_sacral_levels=tuple(args.sacral_levels))
    if args.hip_drift is not None:
        config = dataclasses.replace(config, outline_hip_drift_per_deg=args.hip_drift)
    for item in args.set:
        config = dataclasses.replace(config, **dict([_setting(item)]))
    if args.no_registration:
        config = dataclasses.replace(config, outline_hip_registration=False)
    if args.tilt_offset is not None:
        config = dataclasses.replace(config, outline_tilt_offset_deg=args.tilt_offset)
    if args.fit_elevation:
        print(fit_elevation(elevation_rows(clips, args.out)))
        return 0
    rows = []
    for pb in bodies:
        if args.only and pb.name not in args.only:
            continue
        tables = {}
        for clip in (c for c in clips if c.body is pb):
            if not (args.reuse and (args.out / f"{clip.name}.nc").is_file()):
                print(f"  rendering and extracting {clip.name}", file=sys.stderr)
                keep(clip, args.out)
            elif args.redetect_markers:
                redetect(clip, args.out)
            tables[clip.kind] = compare(clip, args.out, config)
        rows.append(body_row(pb, tables))
    print(markdown(rows))
    print()
    print(markdown_table(rows, STRONG_COLUMNS, number=_number))
    print()
    print(marker_markdown(rows))
    if args.design:  # the spread of the body offsets: KinematicsConfig.outline_*_body_sd_deg
        for key in ("tilt bias", "lord bias"):
            v = np.array([r.get(key, np.nan) for r in rows], float)
            print(
                f"{key}: per body {np.round(v, 1).tolist()}, mean {np.nanmean(v):.2f}, sd {np.nanstd(v, ddof=1):.2f}, "
                f"body sd for a new body {body_sd_deg(v):.2f}"
            )
    return 0


def _setting(item: str) -> tuple[str, object]:
    """``FIELD=VALUE`` of ``--set``: a number, or numbers separated by commas (a tuple)."""
    field, _, value = item.partition("=")
    if not field.startswith("outline_") or not value:
        raise SystemExit(f"--set expects outline_FIELD=VALUE, got {item!r}")
    numbers = tuple(float(v) for v in value.split(","))
    return field, numbers if len(numbers) > 1 else numbers[0]


def body_sd_deg(biases: np.ndarray) -> float:
    """The standard uncertainty of a new body's offset from the design bodies' median errors ``biases``.

    The offsets are calibrated on the default mannequin, not centred on the population, so the spread is taken
    about zero (root mean square, which counts the population's mean offset too), and widened so that twice it
    is the two-sided 95 % prediction interval for one more body drawn like the design bodies: Student's t with
    ``n`` degrees of freedom (no mean is estimated) over the normal's 1.96.
    """
    from scipy.stats import t

    b = biases[np.isfinite(biases)]
    return float(np.sqrt(np.mean(b**2)) * t.ppf(0.975, b.size) / 1.96)


# ----------------------------------------------------------------------------- marker mode: camera elevation


def true_elevation_tan(clip: Clip) -> float:
    """The rendered camera's line-of-sight elevation at the near ASIS sticker (tan, positive looking down)."""
    from movelab.synth.render import marker_points_m

    synth = _render(clip)
    near = "right" if clip.view == "side_right" else "left"
    asis = marker_points_m(synth.figures[0])[f"{near}_asis"][0]
    cam = np.asarray(synth.camera.position_m, float)
    return float((cam[1] - asis[1]) / np.hypot(*(cam - asis)[[0, 2]]))


def elevation_rows(clips: tuple[Clip, ...], out: Path) -> pd.DataFrame:
    """Per clip: the pairs' raw elevation at the hips' row, and the truth moved there (for the calibration fit)."""
    from movelab import landmarks
    from movelab.kinematics.camera_elevation import line_of_sight
    from movelab.kinematics.markers import marker_colour

    rows = []
    for clip in clips:
        path = out / f"{clip.name}.nc"
        if clip.kind == "strong" or not path.is_file():  # the marker protocol: posture sweep, sway, squat
            continue
        ds = landmarks.load(path)
        sight = line_of_sight(ds)
        dots = ds["marker_px"].sel(marker_colour=marker_colour(ds)).values
        first = np.flatnonzero(np.isfinite(dots[..., 1]).all(axis=1))
        place = f"{clip.camera_height_m} m at {clip.distance_m} m"
        if sight is None or first.size == 0:
            rows.append({"clip": clip.name, "place": place, "raw_tan": np.nan, "true_tan": np.nan})
            continue
        # the truth is the first frame's: the calibrated level at the hips' row is the truth less the change
        # along the rows to the sticker's row in the first measured frame (slope_scale, not fitted here)
        row_px = float(dots[first[0], :, 1].mean())
        along = sight.calibration.slope_scale * sight.slope_per_px * (row_px - sight.ref_row_px)
        raw = float(sight.raw_tan(sight.ref_row_px))
        rows.append({"clip": clip.name, "place": place, "raw_tan": raw, "true_tan": true_elevation_tan(clip) - along})
    return pd.DataFrame(rows)


def fit_elevation(rows: pd.DataFrame) -> str:
    """The calibration ``true = scale · raw + offset``, its leave-one-clip-out residual sd, and the residual
    when each camera placement is left out whole (the fit on the other two), as text."""
    ok = rows.dropna()
    x, y, place = ok["raw_tan"].to_numpy(), ok["true_tan"].to_numpy(), ok["place"].to_numpy()
    scale, offset = np.polyfit(x, y, 1)

    def left_out(keep: np.ndarray, i: int) -> float:
        return y[i] - np.polyval(np.polyfit(x[keep], y[keep], 1), x[i])

    loo = np.array([left_out(np.arange(x.size) != i, i) for i in range(x.size)])
    lpo = np.array([left_out(place != place[i], i) for i in range(x.size)])
    return (
        f"ElevationCalibration fit over {x.size} clips: scale {scale:.3f}, offset_tan {offset:+.4f}, "
        f"leave-one-out residual sd {np.std(loo, ddof=1):.4f} (max {np.abs(loo).max():.4f}); "
        f"leaving out each camera placement: rms {np.sqrt(np.mean(lpo**2)):.4f} (max {np.abs(lpo).max():.4f}) "
        f"(the truth itself: rms {np.sqrt(np.mean(y**2)):.4f})"
    )


if __name__ == "__main__":
    sys.exit(main())
