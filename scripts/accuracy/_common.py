"""What the event accuracy scripts share: a command line with ``--out`` / ``--reuse`` / ``--only``, rendering
and extracting a clip only when its landmarks are not kept, the events stage on kept landmarks, and the
signed error of the nearest detection."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
import warnings
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from scripts import ROOT

#: x264 quality of the rendered clips of the rep and picture-gait scripts (``SynthClip.write``'s default)
CRF = 26


#: what ``--realistic`` says above its tables
REALISTIC_NOTE = (
    "Realistic renders (`--realistic`: `movelab.synth.Realism.phone()`, seeded by the clip's name: 1/50 s "
    "exposure, 20 ms rolling shutter, handheld shake, uneven light, clutter, loose clothes, noise, H.264 at "
    "2.5 Mbit/s re-encoded at 1 Mbit/s)"
)


def realistic_note(without: tuple[str, ...] = ()) -> str:
    """What ``--realistic`` (and ``--without``) says above its tables."""
    return REALISTIC_NOTE + (f"; without: {', '.join(without)}" if without else "")


#: groups of :class:`movelab.synth.Realism` options that ``--without`` can turn off, to tell which one costs
REALISM_GROUPS: dict[str, tuple[str, ...]] = {
    "blur": ("exposure_s", "rolling_shutter_s"),
    "shake": ("shake_deg", "shake_roll_deg"),
    "light": ("light_gradient", "vignette"),
    "clutter": ("clutter",),
    "clothing": ("clothing",),
    "noise": ("noise_sigma",),
    "encoding": ("bitrate_kbps", "reencode_kbps"),
}


def add_realistic(parser: argparse.ArgumentParser, *, without: bool = False) -> None:
    """The ``--realistic`` switch: render the same clips with :meth:`movelab.synth.Realism.phone`; with
    ``without``, also ``--without GROUP ...`` (:data:`REALISM_GROUPS` turned off)."""
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="render the same clips as a handheld phone would film them (movelab.synth.Realism.phone(), "
        "seeded by the clip's name); --crf is then unused",
    )
    if without:
        parser.add_argument(
            "--without",
            nargs="+",
            default=(),
            choices=list(REALISM_GROUPS),
            help="with --realistic: these groups of options off (to tell which one costs)",
        )


def realism_for(name: str, realistic: bool, *, without: tuple[str, ...] = ()):
    """:meth:`movelab.synth.Realism.phone` seeded by ``name`` (a clip's own shake, noise and clutter), the
    option groups named in ``without`` off, or None when not ``realistic``."""
    if not realistic:
        return None
    import dataclasses

    from movelab.synth import Realism

    phone = Realism.phone(seed=zlib.crc32(name.encode()) % 2**31)
    off = {f: getattr(Realism(), f) for group in without for f in REALISM_GROUPS[group]}
    return dataclasses.replace(phone, **off)


def arguments(
    doc: str,
    script: str,
    cases: Iterable[str],
    argv: list[str] | None,
    *,
    extra: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.Namespace:
    """``--out`` (default :func:`kept_folder`, created; ``<script>_realistic`` with ``--realistic``),
    ``--reuse``, ``--only NAME ...`` (a subset of ``cases``), ``--crf``, ``--realistic`` and what
    ``extra(parser)`` adds; the first line of ``doc`` describes the script."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if extra is not None:
        extra(parser)
    parser.add_argument("--out", type=Path, help="where the clips, truth and landmarks are kept")
    parser.add_argument("--reuse", action="store_true", help="evaluate the landmarks kept from the last run")
    parser.add_argument("--only", nargs="+", choices=list(cases), metavar="NAME", help="these clips only")
    parser.add_argument("--crf", type=int, default=CRF, help=f"x264 quality of the rendered clips ({CRF})")
    parser.add_argument(
        "--jobs", type=int, default=1, help="render and extract this many clips at once (processes; default 1)"
    )
    add_realistic(parser, without=True)
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    suffix = ("_realistic" + "".join(f"_no{g}" for g in args.without)) if args.realistic else ""
    args.out = args.out or kept_folder(script + suffix, args.crf)
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def kept_folder(script: str, crf: int = CRF, *, default: int = CRF) -> Path:
    """Where a script keeps its clips: ``.cache/<script>``, or ``.cache/<script>_crf<N>`` for another
    encoding than the script's ``default``."""
    return ROOT / ".cache" / (script if crf == default else f"{script}_crf{crf}")


def selected(args: argparse.Namespace, cases) -> list[str]:
    """The clip names to run: ``--only`` or every case; with ``--realistic`` without the shipped sample videos
    (cases given as a path), which cannot be filmed again."""
    names = list(args.only or cases)
    if getattr(args, "realistic", False):
        names = [n for n in names if not isinstance(cases[n], str)]
    return names


def kept_landmarks(
    name: str,
    out: Path,
    reuse: bool,
    render: Callable[..., None],
    *,
    crf: int = CRF,
    realistic: bool = False,
    without: tuple[str, ...] = (),
) -> Path:
    """``out/<name>.nc``, rendered and extracted by ``render(name, out, crf=crf)`` (and ``realistic=True,
    without=without`` when asked) unless ``reuse`` finds it kept."""
    path = out / f"{name}.nc"
    if not (reuse and path.is_file()):
        render(name, out, crf=crf, **({"realistic": True, "without": tuple(without)} if realistic else {}))
    return path


def _keep_one(render: Callable[..., None], name: str, out: Path, kwargs: dict) -> float:
    start = time.perf_counter()
    render(name, out, **kwargs)
    return time.perf_counter() - start


def keep_all(names: list[str], args: argparse.Namespace, render: Callable[..., None]) -> None:
    """Render and extract every clip of ``names`` whose landmarks are not kept in ``args.out`` (every clip
    without ``--reuse``), ``args.jobs`` processes at a time, one progress line per clip on stderr.

    A clip counts as kept once ``<name>.nc`` exists: the renders write it last and atomically, so a run that
    was stopped resumes with ``--reuse`` (the clips already kept are not rendered again).
    """
    todo = [n for n in names if not (args.reuse and (args.out / f"{n}.nc").is_file())]
    kwargs = {"crf": args.crf, **({"realistic": True, "without": tuple(args.without)} if args.realistic else {})}
    if not todo:
        return
    print(f"keeping {len(todo)} of {len(names)} clips in {args.out} ({args.jobs} at a time)", file=sys.stderr)
    failed = []
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {pool.submit(_keep_one, render, name, args.out, kwargs): name for name in todo}
        for done, future in enumerate(as_completed(futures), 1):
            name = futures[future]
            try:
                seconds = future.result()
            except Exception as err:  # noqa: BLE001 - one clip's failure must not lose the others
                failed.append(name)
                print(f"[{done}/{len(todo)}] {name}: failed: {err}", file=sys.stderr, flush=True)
                continue
            print(f"[{done}/{len(todo)}] {name}: kept in {seconds:.0f} s", file=sys.stderr, flush=True)
    if failed:
        raise RuntimeError(f"{len(failed)} clips could not be kept: {', '.join(failed)}")


def keep_clip(
    name: str, out: Path, source, *, crf: int = CRF, realistic: bool = False, without: tuple[str, ...] = ()
) -> None:
    """Extract the landmarks of ``source`` (a rendered :class:`movelab.synth.SynthClip`, written to
    ``out/<name>.mp4`` with x264 quality ``crf``, or a shipped sample video's path relative to the project,
    its truth file beside it, taken as it is) and keep them as ``out/<name>.nc`` with the true events as
    ``out/<name>.events.json``. ``realistic``: a rendered clip is filmed as by a phone (:func:`realism_for`)."""
    import dataclasses

    from movelab import landmarks
    from movelab.extraction import extract

    if realistic and isinstance(source, str):
        raise ValueError(f"{name}: a shipped sample video cannot be rendered realistically")
    if realistic:
        source = dataclasses.replace(source, realism=realism_for(name, True, without=without))
    if isinstance(source, str):
        video = ROOT / source
        events = json.loads(video.with_suffix(".truth.json").read_text())["events"]
    else:
        video, events = source.write(out / f"{name}.mp4", crf=crf)["video"], source.events()
    ds = extract(video, use_cache=False)
    (out / f"{name}.events.json").write_text(json.dumps(events))
    landmarks.save(ds, out / f"{name}.nc")  # last and atomic: the clip counts as kept once this exists


def segmented(path: Path, **segment_kwargs):
    """The landmarks kept at ``path`` through views, the analysis data (:func:`movelab.kinematics.compute_motion`,
    its warnings silenced) and :func:`movelab.events.segment`: ``(landmarks, angles, views, segmentation)``."""
    from movelab import landmarks
    from movelab.events import segment
    from movelab.kinematics import compute_motion, detect_views

    ds = landmarks.load(path)
    views = detect_views(ds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        motion = compute_motion(ds, views=views)
        return ds, motion.angles, views, segment(motion, **segment_kwargs)


def nearest_error_frames(found_s: np.ndarray, true_s: float, fps: float, *, within: float) -> float:
    """Detected minus true, in frames, of the detection in ``found_s`` nearest ``true_s``; NaN when there is
    none within ``within`` frames (a miss)."""
    gap = (np.asarray(found_s, dtype=np.float64) - true_s) * fps
    if gap.size == 0:
        return np.nan
    nearest = float(gap[np.argmin(np.abs(gap))])
    return nearest if abs(nearest) <= within else np.nan


def rep_errors_cells(errors: list[tuple[str, float]]) -> tuple[str, str]:
    """Table cells of a clip's rep event errors ``[(kind letter, frames)]``: the largest absolute error and
    every signed error (``s+0.4 b-0.1 e miss``)."""
    values = np.array([v for _, v in errors], dtype=np.float64)
    worst = np.nanmax(np.abs(values)) if np.isfinite(values).any() else np.nan
    signed = " ".join(f"{k}{v:+.1f}" if np.isfinite(v) else f"{k} miss" for k, v in errors)
    return f"{worst:.1f}", signed


def print_rep_summary(rows: list[dict]) -> None:
    """A summary of the per-clip rep tables, side views (``side`` in the clip's name) apart from front and
    back ones: the true rep events (start, bottom, end), how many have no detection of their kind within the
    miss window, how many are within 2 frames, the median and largest absolute error of the found ones, and the
    clips that count more reps than are true."""
    print()
    print(
        "| views | clips | true rep events | missed | within 2 frames | median abs | largest abs "
        "| clips over-counting |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, side in (("front and back", False), ("side", True)):
        group = [r for r in rows if ("side" in r["clip"]) == side]
        if not group:
            continue
        values = np.array([v for r in group for _, v in r["errors"]], dtype=np.float64)
        found = np.abs(values[np.isfinite(values)])
        median, largest = (f"{np.median(found):.1f}", f"{found.max():.1f}") if found.size else ("—", "—")
        over = sum(r["reps"] > r["reps_true"] for r in group)
        print(
            f"| {label} | {len(group)} | {values.size} | {int(np.isnan(values).sum())} | "
            f"{int(np.sum(found <= 2.0))} | {median} | {largest} | {over} |"
        )


def markdown_table(rows: Iterable[dict], columns, *, number: Callable[[str, float], str]) -> str:
    """A markdown table of ``rows`` (dicts) over ``columns``: float cells as ``number(column, value)``, NaN
    and absent cells as "–", anything else as ``str``."""
    columns = tuple(columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c, np.nan)
            cells.append((number(c, v) if np.isfinite(v) else "–") if isinstance(v, float) else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
