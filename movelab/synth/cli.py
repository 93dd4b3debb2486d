"""``movelab synth MOTION --out clip.mp4 [options]``: render a mannequin clip and its ground truth.

The motion's own parameters become options (``--depth-deg 110``, ``--lead-side right``, ``--treadmill``);
``movelab synth squat --help`` lists them with their defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import types
import typing
from pathlib import Path

from movelab.errors import MovelabError
from movelab.synth.camera import VIEW_AZIMUTH_DEG
from movelab.synth.clip import render_clip
from movelab.synth.motions import MOTIONS
from movelab.synth.realism import PRESETS
from movelab.synth.render import SKIN_TONES, Appearance
from movelab.synth.skeleton import BodyProportions

__all__ = ["cli_synth", "main"]

_VIEWS = sorted(VIEW_AZIMUTH_DEG) + ["side"]


def _rgb(text: str) -> tuple[int, int, int]:
    try:
        r, g, b = (int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a colour like 52,100,170 (R,G,B), got {text!r}") from None
    return (r, g, b)


def _add_field(parser: argparse.ArgumentParser, field: dataclasses.Field, hints: dict) -> None:
    """One option per motion parameter, typed from the dataclass annotation."""
    hint = hints[field.name]
    flag = "--" + field.name.replace("_", "-")
    origin = typing.get_origin(hint)
    if hint is bool:
        parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=field.default)
        return
    if origin is typing.Literal:
        parser.add_argument(
            flag, choices=list(typing.get_args(hint)), default=field.default, help=f"default {field.default}"
        )
        return
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    parser.add_argument(flag, type=hint, default=field.default, help=f"default {field.default}")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="movelab synth", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="motion", required=True, metavar="MOTION")
    for name, cls in MOTIONS.items():
        p = sub.add_parser(
            name, help=(cls.__doc__ or "").splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
        )
        p.add_argument("--out", required=True, type=Path, help="the .mp4 to write (truth files go beside it)")
        p.add_argument("--view", choices=_VIEWS, default="side_right", help="'side' means side_right")
        p.add_argument("--azimuth-deg", type=float, help="camera direction from the figure's facing, overrides --view")
        p.add_argument("--width-px", type=int, default=640)
        p.add_argument("--height-px", type=int, default=480)
        p.add_argument("--fps", type=float, default=30.0)
        p.add_argument("--distance-m", type=float, help="camera distance (default 4.5 m, 7 m for overground gait)")
        p.add_argument("--camera-height-m", type=float, help="default: level with the figure's middle")
        p.add_argument("--camera-roll-deg", type=float, default=0.0, help="hand-held roll, + turns the scene clockwise")
        p.add_argument("--camera-pitch-deg", type=float, default=0.0, help="extra pitch, + looks further up")
        p.add_argument("--clip-duration-s", type=float, help="default: the motion's own duration")
        p.add_argument("--crf", type=int, default=23, help="x264 quality, lower = larger file")
        p.add_argument("--body-height-m", type=float, default=1.75)
        p.add_argument("--girth", type=float, default=1.0, help="scale of limb and trunk radii")
        p.add_argument("--skin", choices=sorted(SKIN_TONES), default="medium")
        p.add_argument("--shirt-rgb", type=_rgb, help="e.g. 52,100,170")
        p.add_argument("--trousers-rgb", type=_rgb)
        p.add_argument("--background-rgb", type=_rgb)
        p.add_argument(
            "--realism",
            choices=sorted(PRESETS),
            default="none",
            help="phone-camera effects: 'phone' adds motion blur, rolling shutter, handheld shake, uneven light, "
            "clutter, loose clothes, noise and a phone's H.264 shared once (movelab.synth.realism.Realism.phone); "
            "--crf is then unused",
        )
        p.add_argument("--realism-seed", type=int, default=0, help="seed of the shake, noise and clutter")
        hints = typing.get_type_hints(cls)
        group = p.add_argument_group(f"{name} parameters")
        for field in dataclasses.fields(cls):
            if field.init:
                _add_field(group, field, hints)
    return parser


def _appearance(args: argparse.Namespace) -> Appearance:
    changes = {"skin_rgb": SKIN_TONES[args.skin]}
    for name in ("shirt_rgb", "trousers_rgb", "background_rgb"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    return dataclasses.replace(Appearance(), **changes)


def cli_synth(argv: list[str]) -> int:
    """Run ``movelab synth`` with ``argv`` (the words after ``synth``); returns the exit code.

    Raises
    ------
    MovelabError
        For options with impossible values (the main CLI turns it into one line and an exit code).
    """
    args = _build_parser().parse_args(argv)
    cls = MOTIONS[args.motion]
    params = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if f.init}
    motion = cls(**params)
    view = "side_right" if args.view == "side" else args.view
    t0 = time.perf_counter()
    clip = render_clip(
        motion,
        view=view,
        azimuth_deg=args.azimuth_deg,
        width_px=args.width_px,
        height_px=args.height_px,
        fps=args.fps,
        distance_m=args.distance_m,
        camera_height_m=args.camera_height_m,
        body=BodyProportions(height_m=args.body_height_m, girth=args.girth),
        appearance=_appearance(args),
        duration_s=args.clip_duration_s,
        realism=dataclasses.replace(PRESETS[args.realism], seed=args.realism_seed),
        camera_roll_deg=args.camera_roll_deg,
        camera_pitch_deg=args.camera_pitch_deg,
    )
    paths = clip.write(args.out, crf=args.crf)
    seconds = time.perf_counter() - t0
    print(
        f"wrote {paths['video']} ({clip.n_frames} frames, {clip.n_frames / seconds:.1f} frames/s), "
        f"{paths['truth_csv'].name}, {paths['truth_json'].name}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m movelab.synth``: like ``movelab synth``, with errors as one line and an exit code."""
    try:
        return cli_synth(list(sys.argv[1:] if argv is None else argv))
    except MovelabError as err:
        print(f"movelab synth: error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
