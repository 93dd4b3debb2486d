"""Add ``outline_edges_px`` (the outline moved onto the picture's edges, :mod:`movelab.pose.outline_edges`) to kept
landmark files that lack it.

Landmark files extracted before it existed have only the mask's outline; the knee FPPA then reads that
(``fppa_outline`` falls back). This script reads each kept ``NAME.nc``'s video ``NAME.mp4`` beside it (decoded, no
pose model) and writes the file again with the snapped outline added.

    python -m scripts.backfill_outline_edges DIR [--only NAME ...] [--force] [--jobs N]
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts import _backfill


def _snapped(ds, video):
    import xarray as xr

    from movelab.pose.outline_edges import outline_edges_again

    return xr.DataArray(outline_edges_again(ds, video), dims=ds["outline_px"].dims, attrs={"units": "px"})


def backfill(path: Path, *, force: bool = False) -> bool:
    """Add ``outline_edges_px`` to the landmark file ``path`` from its ``.mp4``; False when it had it, has no
    outline or no video."""
    return _backfill.add_variable(path, "outline_edges_px", _snapped, force=force, needs=("outline_px",))


def main(argv: list[str] | None = None) -> int:
    return _backfill.main(argv, doc=__doc__, name="outline_edges_px", backfill=backfill)


if __name__ == "__main__":
    sys.exit(main())
