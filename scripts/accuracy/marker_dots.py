"""Where the sticker dots are found against where the renderer drew them (marker mode, design work).

For the kept clips of ``scripts/accuracy/outline_population.py`` (design bodies by default) decodes each video,
finds the dots near the kept hip and shoulder landmarks with the current detector
(:func:`movelab.pose.markers.find_dots`) and compares each dot's centre with the centre of the ellipse the
renderer filled for that sticker (the near-side ASIS and PSIS stickers, projected by the clip's own camera). Per
clip and sticker it prints the mean and rms centre error in pixels (x right, y down), the frames found, the
dots' visible area over the drawn ellipse's, and the tilt error the detection alone adds (the dots' line against
the line of the drawn centres), so the dot location is separated from the camera's parallax.

``--crf 20 26 30`` renders the chosen clips again (once per clip), encodes them at each crf
(``movelab.synth.video.write_mp4``, H.264 through PyAV) into ``<out>/variants/`` and repeats the
comparison on those videos; ``--hem 0.004 0`` renders them with the shirt's hem over the stickers' top
(``Appearance.marker_hem_m``, metres above the stickers' line). The kept landmarks give the search window
and the camera elevation of the parallax correction (no pose model runs); they must come from the same render
as the variants (:func:`check_same_render` stops otherwise: run ``outline_population`` again for the folder).
``--markdown`` prints one row per clip, the detector before cut stickers were told
(every dot's evidence centroid, :data:`CENTROID`) against the current one; with ``--crf`` alone, the
marker tilt MAE at each crf. ``--search FIELD=VALUE`` and ``--smooth-s`` change the detector and the
smoothing (e.g. the detector before the unmixed centres: ``--search unmix_centre=0 --smooth-s 0``).

Usage::

    nice python -m scripts.accuracy.marker_dots                      # design clips, kept videos
    nice python -m scripts.accuracy.marker_dots --clips design6_sway --frames  # per-frame rows
    nice python -m scripts.accuracy.marker_dots --crf 20 26 30 --markdown   # docs/outline-accuracy.md,
    nice python -m scripts.accuracy.marker_dots --heldout --crf 20 26 30 --markdown  # *Through the encoder*
    nice python -m scripts.accuracy.marker_dots --crf 20 26 30 --markdown --search unmix_centre=0 --smooth-s 0
        # the same with the evidence centroid and no smoothing (the detector before issue 13's crf round)
    nice python -m scripts.accuracy.marker_dots --hem 0.008 0.004 0 --markdown --clips design2_tilt design3_tilt \
        design3_sway design5_sway design5_squat design6_tilt design6_sway design8_tilt design8_sway
        # the table of docs/outline-accuracy.md, *Marker mode: stickers under a shirt's hem*
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from movelab import landmarks
from movelab.extraction import find_dots_again
from movelab.kinematics.markers import MarkerConfig, marker_colour, marker_pelvic_tilt
from movelab.pose.markers import DotSearch, parse_marker_spec
from scripts import ROOT
from scripts.accuracy.outline_population import CLIPS, DESIGN_CLIPS, Clip, _render


def drawn_stickers(clip: Clip) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per frame the drawn ellipse centres ``(n, 2, 2)`` (PSIS, ASIS of the near side), their areas ``(n, 2)``
    in pixels and the true pelvic tilt ``(n,)``."""
    from movelab.synth.render import _Cam, marker_points_m

    synth = _render(clip)
    cam = _Cam(synth.camera)
    near = "right" if clip.view == "side_right" else "left"
    r = clip.appearance.marker_radius_m
    centres, areas = [], []
    for fig in synth.figures:
        pts = marker_points_m(fig)
        row_c, row_a = [], []
        for name in ("psis", "asis"):
            centre, normal = pts[f"{near}_{name}"]
            a = np.cross(normal, [0.0, 1.0, 0.0])
            a = a / np.linalg.norm(a)
            b = np.cross(normal, a)
            poly = cam.ellipsoid(centre + normal * 0.002, np.column_stack([a * r, b * r, normal * 0.1 * r]))
            if poly is None:
                row_c.append((np.nan, np.nan))
                row_a.append(np.nan)
                continue
            row_c.append(tuple(poly.mean(axis=0)))
            x, y = poly[:, 0], poly[:, 1]
            row_a.append(0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
        centres.append(row_c)
        areas.append(row_a)
    tilt = synth.truth["pelvic_tilt"].to_numpy()
    return np.array(centres), np.array(areas), tilt


def detected(ds, video: Path, colour: str, search: DotSearch) -> list:
    """The detector's :class:`Dots` of ``colour`` per frame of ``ds`` (None where no pose was found)."""
    found = find_dots_again(ds, video, parse_marker_spec(colour), search=search)
    return [None if dots is None else dots[colour] for dots in found]


def _arrays(dots: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres ``(n, 2, 2)``, areas and hidden shares ``(n, 2)`` of per-frame :class:`Dots`."""
    n = len(dots)
    centres, areas, hidden = np.full((n, 2, 2), np.nan), np.full((n, 2), np.nan), np.full((n, 2), np.nan)
    for i, d in enumerate(dots):
        if d is not None:
            centres[i], areas[i], hidden[i] = d.centres_px, d.areas_px, d.hidden
    return centres, areas, hidden


def marker_tilt(ds, dots: list, colour: str, config: MarkerConfig = MarkerConfig()) -> pd.DataFrame:
    """The marker-mode tilt table of ``ds`` with its dots replaced by ``dots`` (of ``colour``)."""
    from movelab.extraction_rows import MARKER_VARIABLES, Payload, marker_arrays
    from movelab.kinematics import KinematicsConfig, detect_views

    clients = [None if d is None else Payload(None, dots={colour: d}) for d in dots]
    out = ds.drop_vars([v for v in MARKER_VARIABLES if v in ds]).drop_dims(
        [d for d in ("marker_colour", "marker") if d in ds.dims]
    )
    out = out.assign(marker_arrays(clients, colour))
    views = detect_views(out, config=KinematicsConfig())
    return marker_pelvic_tilt(out, views=views, config=config).table


def frame_rows(
    clip: Clip,
    out: Path,
    video: Path | None = None,
    search: DotSearch = DotSearch(),
    *,
    config: MarkerConfig = MarkerConfig(),
) -> pd.DataFrame:
    """One row per frame and sticker: drawn and found centre, error, area ratio, and the tilt errors."""
    ds = landmarks.load(out / f"{clip.name}.nc")
    colour = marker_colour(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dots = detected(ds, video or out / f"{clip.name}.mp4", colour, search)
        found, found_area, hidden = _arrays(dots)
        tilt = marker_tilt(ds, dots, colour, config)
    drawn, drawn_area, tilt_true = drawn_stickers(clip)
    frames = ds["frame"].values.astype(int)
    drawn, drawn_area, tilt_true = drawn[frames], drawn_area[frames], tilt_true[frames]
    facing = 1.0 if clip.view == "side_right" else -1.0
    # detected dots are sorted by image x: PSIS is image-left when facing right
    found_pa = found if facing > 0 else found[:, ::-1]
    area_pa = found_area if facing > 0 else found_area[:, ::-1]
    hidden_pa = hidden if facing > 0 else hidden[:, ::-1]
    rows = []
    tilt_drawn = _tilt(drawn, facing)
    tilt_found = _tilt(found_pa, facing)
    for k, name in enumerate(("psis", "asis")):
        err = found_pa[:, k] - drawn[:, k]
        rows.append(
            pd.DataFrame(
                {
                    "clip": clip.name,
                    "frame": frames,
                    "sticker": name,
                    "dx_px": err[:, 0],
                    "dy_px": err[:, 1],
                    "area_ratio": area_pa[:, k] / drawn_area[:, k],
                    "hidden": hidden_pa[:, k],
                    "tilt_detect_err_deg": tilt_found - tilt_drawn,
                    "tilt_parallax_err_deg": tilt_drawn - tilt_true,
                    "marker_tilt_err_deg": tilt["pelvic_tilt"].to_numpy() - tilt_true,
                    "marker_tilt_sd_deg": tilt["pelvic_tilt_sd"].to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _tilt(psis_asis: np.ndarray, facing: float) -> np.ndarray:
    d = psis_asis[:, 1] - psis_asis[:, 0]
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(d[:, 1], facing * d[:, 0]))


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Per clip and sticker: frames found, mean and rms centre error, median area ratio, tilt errors."""
    out = []
    for (clip, sticker), g in rows.groupby(["clip", "sticker"], sort=False):
        ok = np.isfinite(g["dx_px"])
        out.append(
            {
                "clip": clip,
                "sticker": sticker,
                "found %": round(100 * ok.mean()),
                "dx mean": g["dx_px"].mean(),
                "dy mean": g["dy_px"].mean(),
                "rms px": float(np.sqrt(np.nanmean(g["dx_px"] ** 2 + g["dy_px"] ** 2))),
                "area ratio": g["area_ratio"].median(),
                "hidden median": g["hidden"].median(),
                "tilt detect MAE": g["tilt_detect_err_deg"].abs().mean(),
                "tilt detect bias": g["tilt_detect_err_deg"].mean(),
                "parallax bias": g["tilt_parallax_err_deg"].mean(),
                "marker tilt MAE": g["marker_tilt_err_deg"].abs().mean(),
                "measured %": round(100 * float(np.isfinite(g["marker_tilt_err_deg"]).mean())),
                "within 2 sd %": round(
                    100
                    * float((g["marker_tilt_err_deg"].abs() <= 2 * g["marker_tilt_sd_deg"]).sum())
                    / max(1, int(np.isfinite(g["marker_tilt_err_deg"]).sum()))
                ),
            }
        )
    return pd.DataFrame(out).round(2)


def variant(clip: Clip, out: Path, *, crf: int | None = None, hem_m: float | None = None, crfs=()) -> Path:
    """The clip rendered again (with the shirt's hem ``hem_m`` over the stickers, ``Appearance.marker_hem_m``)
    and encoded at ``crf`` (default the clip's own), kept under ``<out>/variants``. The other ``crfs`` not kept
    yet are encoded from the same render."""
    from movelab.synth.video import write_mp4

    crf = clip.crf if crf is None else crf
    hem = "" if hem_m is None else f"_hem{hem_m * 1000:+.0f}mm"
    path = out / "variants" / f"{clip.name}_crf{crf}{hem}.mp4"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        synth = _render(clip, appearance=dataclasses.replace(clip.appearance, marker_hem_m=hem_m))
        frames = list(synth.iter_frames())
        for c in dict.fromkeys([crf, *crfs]):
            other = path.with_name(f"{clip.name}_crf{c}{hem}.mp4")
            if c == crf or not other.is_file():
                tmp = other.with_suffix(".tmp.mp4")
                write_mp4(frames, tmp, fps=synth.fps, crf=c)
                tmp.replace(other)
    return path


def check_same_render(clip: Clip, out: Path, *, crfs=()) -> None:
    """Stop unless the kept landmarks were extracted from this render of ``clip``.

    The variants are fresh renders, read near the kept landmarks: their hip and shoulder give the search window
    and their left/right pairs the camera's elevation, which sets the parallax correction (0.2 deg of tilt on
    ``heldout6_sway`` between the landmarks of two renders of the same clip, the dots identical). Landmarks kept
    from another render (the renderer changed since) would be scored against these dots without a word, so the
    clip encoded at its own crf must be the video the landmarks name (``source_sha256``; x264 is deterministic
    here, ``movelab.synth.video.write_mp4``).
    """
    from movelab.cache import file_sha256

    kept = landmarks.load(out / f"{clip.name}.nc").attrs.get("source_sha256")
    own = variant(clip, out, crf=clip.crf, crfs=crfs)
    if kept and file_sha256(own) != kept:
        raise SystemExit(
            f"{clip.name}: the kept landmarks in {out} come from another render than today's renderer draws "
            "(its video differs); run scripts.accuracy.outline_population again for this folder"
        )


#: The detector before cut stickers were told (issue 13's third round): every dot's evidence centroid, none NaN.
CENTROID = DotSearch(cut_from_above=False, max_hidden=1.0, unmix_centre=False)


def _run(chosen: list[Clip], out: Path, args, search: DotSearch) -> pd.DataFrame:
    config = MarkerConfig() if args.smooth_s is None else MarkerConfig(smooth_s=args.smooth_s)
    rows = []
    for clip in chosen:
        if args.crf or args.hem:  # fresh renders: the kept landmarks must be of the same render
            check_same_render(clip, out, crfs=args.crf or ())
            for crf in args.crf or [None]:
                for hem in args.hem or [None]:
                    path = variant(clip, out, crf=crf, hem_m=hem, crfs=args.crf or ())
                    r = frame_rows(clip, out, path, search, config=config)
                    r["clip"] = path.stem
                    rows.append(r)
        else:
            rows.append(frame_rows(clip, out, search=search, config=config))
    return pd.concat(rows, ignore_index=True)


def markdown(before: pd.DataFrame, after: pd.DataFrame) -> str:
    """Per clip: the dots' hidden shares, and the detection's tilt bias and the marker tilt MAE (after the
    parallax correction) with the centroid -> with the current detector, its frames measured and within 2 sd."""
    b, a = summary(before), summary(after)
    lines = [
        "| clip | hidden PSIS / ASIS (median) | dots' tilt bias deg | marker tilt MAE deg | measured % "
        "| within 2 sd % |",
        "|---|---|---|---|---|---|",
    ]
    for clip in dict.fromkeys(a["clip"]):
        ra, rb = a[a["clip"] == clip], b[b["clip"] == clip]
        if not np.isfinite(ra["marker tilt MAE"]).any():
            lines.append(f"| {clip} | – | – | – | 0 | – |")
            continue
        hid = ra.set_index("sticker")["hidden median"]
        first_a, first_b = ra.iloc[0], rb.iloc[0]
        lines.append(
            f"| {clip} | {hid.get('psis', np.nan):.2f} / {hid.get('asis', np.nan):.2f} "
            f"| {first_b['tilt detect bias']:+.2f} -> {first_a['tilt detect bias']:+.2f} "
            f"| {first_b['marker tilt MAE']:.2f} -> {first_a['marker tilt MAE']:.2f} "
            f"| {first_a['measured %']} | {first_a['within 2 sd %']} |"
        )
    return "\n".join(lines)


def crf_markdown(rows: pd.DataFrame, crfs: list[int]) -> str:
    """Per clip: the marker tilt MAE (after the parallax correction) at each crf, as a markdown table."""
    mae = summary(rows).groupby("clip", sort=False)["marker tilt MAE"].first()
    lines = ["| clip | " + " | ".join(f"crf {c}" for c in crfs) + " |", "|---" * (len(crfs) + 1) + "|"]
    for name in dict.fromkeys(c.rsplit("_crf", 1)[0] for c in mae.index):
        lines.append(f"| {name} | " + " | ".join(f"{mae.get(f'{name}_crf{c}', np.nan):.2f}" for c in crfs) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="the held-out clips (report only, never for tuning)")
    parser.add_argument("--out", type=Path, help="the kept clips (default .cache/outline_population[_design])")
    parser.add_argument("--clips", nargs="+", help="these clips only")
    parser.add_argument(
        "--search", nargs="+", default=(), metavar="FIELD=VALUE", help="other DotSearch values, e.g. correct_cut=0"
    )
    parser.add_argument(
        "--smooth-s", type=float, help="the marker tilt's smoothing window (MarkerConfig.smooth_s; 0: none)"
    )
    parser.add_argument("--csv", type=Path, help="write the per-frame rows here")
    parser.add_argument(
        "--markdown", action="store_true", help="a markdown table per clip: centroid -> current detector"
    )
    parser.add_argument("--frames", action="store_true", help="print the per-frame rows too")
    parser.add_argument("--crf", nargs="+", type=int, help="render the clips again, encoded at these crf values")
    parser.add_argument(
        "--hem",
        nargs="+",
        type=float,
        help="render the clips again with the shirt's hem this far above the stickers (m)",
    )
    args = parser.parse_args(argv)
    clips = CLIPS if args.heldout else DESIGN_CLIPS
    out = args.out or ROOT / ".cache" / ("outline_population" if args.heldout else "outline_population_design")
    chosen = [  # the marker protocol: posture sweep, sway, squat (not the strong-tilt sweep)
        c
        for c in clips
        if c.kind != "strong" and (not args.clips or c.name in args.clips) and (out / f"{c.name}.nc").is_file()
    ]
    if not chosen:
        raise SystemExit(f"no kept clips in {out} (run scripts.accuracy.outline_population first)")
    search = DotSearch(
        **{
            k: type(getattr(DotSearch(), k))(float(v))
            if not isinstance(getattr(DotSearch(), k), bool)
            else v in ("1", "true")
            for k, v in (a.split("=") for a in args.search)
        }
    )
    table = _run(chosen, out, args, search)
    if args.csv:
        table.to_csv(args.csv, index=False)
    if args.markdown and args.crf and not args.hem:
        print(crf_markdown(table, args.crf))
        return 0
    if args.markdown:
        print(markdown(_run(chosen, out, args, CENTROID), table))
        return 0
    with pd.option_context("display.width", 200, "display.max_rows", 2000):
        if args.frames:
            print(table.round(2).to_string(index=False))
        print(summary(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
