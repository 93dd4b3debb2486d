"""Add ``outline_edges_px`` (the outline moved onto the picture's edges, :mod:`movelab.pose.outline_edges`) to kept
landmark files that lack it.

Landmark files extracted before it existed have only the mask's outline; the knee FPPA then reads that
(``fppa_outline`` falls back). This script reads each kept ``NAME.nc``'s video ``NAME.mp4`` beside it (decoded, no
pose model) and writes the file again with the snapped outline added.

    python -m scripts.backfill_outline_edges DIR [--only NAME ...] [--force] [--jobs N]
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def backfill(path: Path, *, force: bool = False) -> bool:
    """Add ``outline_edges_px`` to the landmark file ``path`` from its ``.mp4``; False when it had it, has no
    outline or no video."""
    import xarray as xr

    from movelab import landmarks
    from movelab.pose.outline_edges import outline_edges_again

    video = path.with_suffix(".mp4")
    ds = landmarks.load(path)
    if ("outline_edges_px" in ds and not force) or "outline_px" not in ds or not video.exists():
        return False
    ds = ds.drop_vars("outline_edges_px", errors="ignore")
    ds["outline_edges_px"] = xr.DataArray(
        outline_edges_again(ds, video), dims=ds["outline_px"].dims, attrs={"units": "px"}
    )
    landmarks.save(ds, path)
    return True


def _backfill_forced(path: Path) -> bool:
    return backfill(path, force=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="+", help="clip names (NAME of NAME.nc); default every .nc in the folder")
    parser.add_argument("--force", action="store_true", help="snap the outline again where it is stored")
    parser.add_argument("--jobs", type=int, default=1, help="files at once (processes)")
    args = parser.parse_args(argv)
    paths = [args.folder / f"{n}.nc" for n in args.only] if args.only else sorted(args.folder.glob("*.nc"))
    work = _backfill_forced if args.force else backfill
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            done = sum(pool.map(work, paths))
    else:
        done = sum(map(work, paths))
    print(f"outline_edges_px added to {done} of {len(paths)} landmark files in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
