"""``movelab compare``'s command-line options, apart from the comparison itself (:mod:`movelab.report.compare`),
so that building the ``movelab`` parser loads none of the analysis stages."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_compare_parser"]


def add_compare_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``compare`` to the ``movelab`` subcommands (``sub = parser.add_subparsers(...)``)."""
    parser = subparsers.add_parser("compare", help="two sessions of one client side by side")
    parser.add_argument("a", help="first session: a `movelab analyse` output folder or a video (e.g. before)")
    parser.add_argument("b", help="second session: folder or video (e.g. after treatment)")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument(
        "--labels",
        nargs=2,
        metavar=("LABEL_A", "LABEL_B"),
        default=None,
        help="names of the sessions (default: the folder or file names)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    return parser
