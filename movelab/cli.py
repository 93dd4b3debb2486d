"""The ``movelab`` command: a thin layer over the library.

Every deliberate error (:class:`movelab.errors.MovelabError`) becomes one line on stderr and a non-zero
exit code; warnings become ``movelab: warning: ...`` lines.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from movelab._lazy import keep_dask_out, let_dask_back
from movelab._memory import no_huge_page_advice
from movelab.errors import ConfigError, MovelabError
from movelab.pose.config import MIRROR_HIPS, ExtractConfig

__all__ = ["main"]

#: Every default of the extraction options comes from :class:`ExtractConfig`.
_EXTRACT = ExtractConfig()


def _movement_choices() -> tuple[str, ...]:
    """``--movement`` choices, from the library's own type (``"auto"`` first); imported when a parser is
    built, so that ``movelab models ...`` does not load the analysis stages."""
    from movelab.events.config import MovementChoice

    return get_args(MovementChoice)


def _person(text: str) -> int | tuple[float, float]:
    """``--person 1`` (index in the automatic ranking) or ``--person 320,240`` (a point, pixels)."""
    try:
        if "," in text:
            x, y = (float(v) for v in text.split(","))
            return (x, y)
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an index like 1 or a point like 320,240, got {text!r}") from None


def _add_extract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("video", help="video file, or a webcam index such as 0")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--model", help="a pose .task bundle (lite, full or heavy); default: the full model")
    parser.add_argument("--person", type=_person, help="which person is the client: index or x,y point")
    parser.add_argument(
        "--num-poses",
        type=int,
        default=_EXTRACT.num_poses,
        help=f"people the model looks for (default {_EXTRACT.num_poses})",
    )
    parser.add_argument("--no-outline", action="store_true", help="skip the person-mask outline features")
    parser.add_argument(
        "--markers",
        metavar="COLOUR",
        help="ASIS/PSIS skin stickers: 'auto', a colour (green, magenta, yellow, blue, orange, "
        "red) or hsv:H,S,V:H,S,V; pelvic tilt is then measured from them (side view)",
    )
    parser.add_argument(
        "--mirror-hips",
        choices=MIRROR_HIPS,
        default=_EXTRACT.mirror_hips,
        help="where to also read the frame's mirror image and average the hips' heights with it: 'frontal' "
        f"(default {_EXTRACT.mirror_hips!r}: frames where someone faces the camera or turns their back to it, "
        "files only), 'all' or 'off'; about 1.7x the extraction's CPU on a front or back view; cancels the model's "
        "one-sided hip heights from behind (docs/pose.md)",
    )
    parser.add_argument("--max-frames", type=int, help="stop after this many frames")
    parser.add_argument("--no-cache", action="store_true", help="always run the model, ignore the cache")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or closing message")
    parser.add_argument("--jobs", type=int, default=1, help="processes extracting the video in time chunks (default 1)")
    parser.add_argument(
        "--search-every",
        type=float,
        metavar="S",
        help="look for other people every S seconds instead of every frame (faster; docs/pose.md)",
    )
    parser.add_argument(
        "--max-side",
        type=int,
        metavar="PX",
        help="decode frames scaled down to at most PX on the longer side (faster; docs/pose.md)",
    )


def _build_parser() -> argparse.ArgumentParser:
    from movelab.version import __version__

    movements = _movement_choices()
    parser = argparse.ArgumentParser(prog="movelab", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"movelab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    extract = sub.add_parser("extract", help="video -> landmarks file and summary.json")
    _add_extract_options(extract)
    analyse = sub.add_parser(
        "analyse", aliases=["analyze"], help="video -> angles, reps or gait, findings, report.html"
    )
    _add_extract_options(analyse)
    analyse.add_argument(
        "other",
        nargs="?",
        help="a second clip of the same squat set from the other view (side + front): the FMS deep squat "
        "score takes each criterion from the view that shows it (squats only; its report goes to OUT/<name>)",
    )
    analyse.add_argument(
        "--movement", default=movements[0], choices=movements, help="the movement filmed (default: recognise it)"
    )
    roll = analyse.add_mutually_exclusive_group()
    roll.add_argument(
        "--camera-roll-deg",
        type=float,
        metavar="DEG",
        help="the camera's roll, taken out of every angle (+: the scene turned clockwise); default: estimated",
    )
    roll.add_argument(
        "--no-roll-correction", action="store_true", help="estimate and report the camera's roll, take nothing out"
    )
    analyse.add_argument(
        "--client-baseline",
        metavar="DIR",
        type=Path,
        help="output folder of this client's session analysed with --markers: corrects the "
        "outline pelvic tilt by the client's own offset",
    )
    analyse.add_argument("--overlay", action="store_true", help="also write overlay.mp4 (faces blurred)")
    analyse.add_argument("--no-blur", action="store_true", help="do not blur faces in overlay.mp4")
    rec = sub.add_parser("record", help="record a webcam with a live preview, then analyse the recording")
    rec.add_argument("camera", type=int, help="webcam index, e.g. 0")
    rec.add_argument("--out", required=True, type=Path, help="output folder (recording.mp4 + the report)")
    rec.add_argument("--seconds", type=float, help="stop after this long (default: q in the window or Ctrl-C)")
    rec.add_argument("--no-preview", action="store_true", help="no live window (e.g. without a display)")
    rec.add_argument(
        "--movement", default=movements[0], choices=movements, help="the movement filmed (default: recognise it)"
    )
    rec.add_argument("--model", help="a pose .task bundle")
    rec.add_argument("--quiet", action="store_true", help="no closing message")
    _add_batch_parser(sub)
    from movelab.report.compare_cli import add_compare_parser

    add_compare_parser(sub)
    sub.add_parser("serve", help="the clinic web app on this machine (http://127.0.0.1:8000)", add_help=False)
    sub.add_parser("models", help="install or locate the pose model", add_help=False)
    sub.add_parser("synth", help="render a mannequin clip with known angles", add_help=False)
    return parser


def _add_batch_parser(sub) -> None:
    batch = sub.add_parser("batch", help="analyse every video in a folder -> one folder each + summary.csv")
    batch.add_argument("folder", type=Path, help="folder searched recursively (videos recognised by content)")
    batch.add_argument("--out", required=True, type=Path, help="output folder (summary.csv + one folder per video)")
    batch.add_argument("--jobs", type=int, help="parallel worker processes (default: the number of CPUs)")
    batch.add_argument(
        "--engine",
        default="local",
        choices=["local", "dask"],
        help="local process pool (default) or a Dask cluster (pip install 'movelab[dask]')",
    )
    batch.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster)")
    batch.add_argument("--retry-failed", action="store_true", help="run again the videos that failed last time")
    movements = _movement_choices()
    batch.add_argument("--movement", default=movements[0], choices=movements)
    batch.add_argument("--model", help="a pose .task bundle; default: the full model")
    batch.add_argument(
        "--num-poses",
        type=int,
        default=_EXTRACT.num_poses,
        help=f"people the model looks for (default {_EXTRACT.num_poses})",
    )
    batch.add_argument("--no-outline", action="store_true", help="skip the person-mask outline features")
    batch.add_argument("--max-frames", type=int, help="stop each video after this many frames")
    batch.add_argument("--quiet", action="store_true", help="no progress bar or closing message")


def _extract_config(args: argparse.Namespace) -> ExtractConfig:
    if args.num_poses < 1:
        raise ConfigError(f"--num-poses must be at least 1, got {args.num_poses}")
    return ExtractConfig(
        model=args.model,
        num_poses=args.num_poses,
        person=getattr(args, "person", None),
        outline=not args.no_outline,
        max_frames=args.max_frames,
        search_every_s=getattr(args, "search_every", None),
        max_image_side_px=getattr(args, "max_side", None),
        markers=getattr(args, "markers", None),
        mirror_hips=getattr(args, "mirror_hips", _EXTRACT.mirror_hips),
    )


def _jobs(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {args.jobs}")
    return args.jobs


def _source(text: str) -> str | int:
    return int(text) if text.isdigit() and not Path(text).exists() else text


def _progress_wanted(args: argparse.Namespace) -> bool:
    """A progress bar only for a person watching a terminal, and never with --quiet."""
    return not args.quiet and sys.stderr.isatty()


@contextlib.contextmanager
def _figure_worker():
    """A :class:`movelab.report.figure_worker.FigureWorker` for the block (None where it cannot gain time: one CPU,
    no fork), ended when the block ends. Started before the analysis, so that matplotlib loads in it meanwhile."""
    from movelab.report.figure_worker import FigureWorker

    worker = FigureWorker.start()
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()


def _drawing_early(worker):
    """The analysis's ``on_stage`` hook that has ``worker`` draw each figure as soon as what it shows is known."""
    return None if worker is None else worker.on_stage


def cmd_extract(args: argparse.Namespace) -> int:
    from movelab.extraction import extract_to_file
    from movelab.io.outputs import write_json, write_outputs

    config, source, jobs = _extract_config(args), _source(args.video), _jobs(args)
    summary: dict = {}

    def landmarks_file(path: Path) -> None:  # streamed to the file: memory stays flat however long the video
        summary.update(
            extract_to_file(
                source,
                path,
                config=config,
                use_cache=not args.no_cache,
                progress=_progress_wanted(args),
                jobs=jobs,
            )
        )

    files = write_outputs(args.out, {"landmarks.nc": landmarks_file, "summary.json": lambda p: write_json(summary, p)})
    if not args.quiet:
        rate = summary["pose"]["detection_rate"]
        print(
            f"movelab: client found in {rate:.1%} of {summary['video']['frames']} frames; "
            f"wrote {', '.join(str(f) for f in files)}",
            file=sys.stderr,
        )
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    from movelab.analysis import analyse
    from movelab.config import Config
    from movelab.report import write_outputs

    config = Config(extract=_extract_config(args))
    if args.camera_roll_deg is not None or args.no_roll_correction:
        import dataclasses

        roll = "off" if args.no_roll_correction else args.camera_roll_deg
        config = dataclasses.replace(config, kinematics=dataclasses.replace(config.kinematics, camera_roll=roll))
    if args.client_baseline is not None:
        import dataclasses

        from movelab.report.write import load_client_baseline

        config = dataclasses.replace(
            config,
            kinematics=dataclasses.replace(
                config.kinematics, client_calibration=load_client_baseline(args.client_baseline)
            ),
        )
    if args.other is not None:
        return _analyse_squat_set(args, config)
    with _figure_worker() as worker:
        analysis = analyse(
            _source(args.video),
            movement=args.movement,
            config=config,
            use_cache=not args.no_cache,
            progress=_progress_wanted(args),
            jobs=_jobs(args),
            on_stage=_drawing_early(worker),
        )
        files = write_outputs(
            analysis,
            args.out,
            overlay=args.overlay,
            blur_faces=not args.no_blur,
            progress=_progress_wanted(args),
            figure_worker=worker,
        )
    if not args.quiet:
        n = len([f for f in analysis.findings if f.severity != "info"])
        print(
            f"movelab: {analysis.segmentation.movement}, {n} finding(s); report: "
            f"{Path(args.out) / 'report.html'} ({len(files)} files in {args.out})",
            file=sys.stderr,
        )
    return 0


def _analyse_squat_set(args: argparse.Namespace, config) -> int:
    """``movelab analyse SIDE FRONT --movement squat``: both clips, one FMS score; the first clip's report in
    OUT, the second's in OUT/<its name>."""
    from movelab.analysis import analyse_squat_set
    from movelab.errors import ConfigError
    from movelab.report import write_outputs

    if args.movement not in ("squat", "auto"):
        raise ConfigError(
            f"two clips are analysed together only as one squat set (--movement squat), got --movement {args.movement}"
        )
    second_out = Path(args.out) / Path(str(args.other)).stem
    options = {"overlay": args.overlay, "blur_faces": not args.no_blur}
    with _figure_worker() as worker:  # one worker draws both clips' figures
        first, second = analyse_squat_set(
            _source(args.video), _source(args.other), config=config, use_cache=not args.no_cache,
            progress=_progress_wanted(args), on_stage=_drawing_early(worker),
        )  # fmt: skip
        files = write_outputs(first, args.out, figure_worker=worker, **options)
        files += write_outputs(second, second_out, figure_worker=worker, **options)
    if not args.quiet:
        print(
            f"movelab: squat set, FMS deep squat {first.fms.text if first.fms else 'not scored'}; reports: "
            f"{Path(args.out) / 'report.html'} and {second_out / 'report.html'} ({len(files)} files)",
            file=sys.stderr,
        )
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from movelab.batch import run_batch
    from movelab.config import Config

    if args.scheduler and args.engine != "dask":
        raise ConfigError("--scheduler needs --engine dask")
    result = run_batch(
        args.folder,
        args.out,
        config=Config(extract=_extract_config(args)),
        movement=args.movement,
        jobs=args.jobs,
        engine=args.engine,
        scheduler=args.scheduler,
        retry_failed=args.retry_failed,
        progress=_progress_wanted(args),
    )
    if not args.quiet:
        print(
            f"movelab: {len(result.rows)} video(s): {len(result.ran)} analysed, {len(result.skipped)} already "
            f"done, {result.n_failed} failed; summary: {result.summary_csv}",
            file=sys.stderr,
        )
    return 1 if result.n_failed else 0


def cmd_record(args: argparse.Namespace) -> int:
    from movelab.analysis import analyse
    from movelab.app.record import opencv_window, record
    from movelab.config import Config
    from movelab.report import write_outputs

    args.out.mkdir(parents=True, exist_ok=True)
    video = record(
        args.camera,
        args.out / "recording.mp4",
        max_seconds=args.seconds,
        preview=None if args.no_preview else opencv_window(),
        model=args.model,
    )
    with _figure_worker() as worker:  # forked once the camera and its preview are closed
        config = Config(extract=ExtractConfig(model=args.model))
        analysis = analyse(video, movement=args.movement, config=config, on_stage=_drawing_early(worker))
        write_outputs(analysis, args.out, figure_worker=worker)
    if not args.quiet:
        print(f"movelab: recorded {video}; report: {args.out / 'report.html'}", file=sys.stderr)
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    """``movelab compare``: its module (findings, kinematics tables) loads only for this command, not for
    ``movelab extract`` (0.1 s of CPU)."""
    from movelab.report.compare import cmd_compare

    return cmd_compare(args)


#: Commands that never use dask, whose process keeps it out (:func:`movelab._lazy.keep_dask_out`); ``batch``
#: may run on a Dask cluster, ``compare`` and ``serve`` are left as they are.
_WITHOUT_DASK = frozenset({"extract", "analyse", "analyze", "record"})


def _serve(argv: list[str]) -> int:
    """``movelab serve``: needs the app extra (``pip install 'movelab[app]'``)."""
    try:
        from movelab.app.serve import add_serve_parser, cmd_serve
    except ImportError as err:
        raise ConfigError(
            f"movelab serve needs the app's packages ({err.name} is missing): pip install 'movelab[app]'"
        ) from None
    parser = argparse.ArgumentParser(prog="movelab")
    add_serve_parser(parser.add_subparsers(dest="command", required=True))
    return cmd_serve(parser.parse_args(["serve", *argv]))


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"movelab: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``movelab`` console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    warnings.showwarning = _show_warning
    no_huge_page_advice()  # the kernel's on-the-spot compaction cost more than huge pages save (movelab/_memory.py)
    try:
        if argv and argv[0] == "models":
            from movelab.pose.bundle import cli_models

            return cli_models(argv[1:])
        if argv and argv[0] == "serve":
            return _serve(argv[1:])
        if argv and argv[0] == "synth":
            from movelab.synth.cli import cli_synth

            return cli_synth(argv[1:])
        args = _build_parser().parse_args(argv)
        return _run_command(args)
    except MovelabError as err:
        print(f"movelab: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("movelab: interrupted", file=sys.stderr)
        return 130


def _run_command(args: argparse.Namespace) -> int:
    commands = {
        "extract": cmd_extract,
        "analyse": cmd_analyse,
        "analyze": cmd_analyse,
        "compare": _cmd_compare,
        "record": cmd_record,
        "batch": cmd_batch,
    }
    # xarray would import dask.array to recognise dask arrays (movelab/_lazy.py); back after the command
    kept_out = keep_dask_out() if args.command in _WITHOUT_DASK else False
    try:
        return commands[args.command](args)
    finally:
        let_dask_back(kept_out)


if __name__ == "__main__":
    sys.exit(main())
