"""What the backfill scripts share: one variable added to kept landmark files from the video beside each."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def add_variable(path: Path, name: str, compute: Callable, *, force: bool = False, needs: tuple[str, ...] = ()) -> bool:
    """Add ``name`` = ``compute(ds, video)`` to the landmark file ``path`` from its ``.mp4`` and write it again;
    False (the file untouched) when it has ``name`` already (unless ``force``), lacks one of ``needs`` or has no
    video."""
    from movelab import landmarks

    video = path.with_suffix(".mp4")
    ds = landmarks.load(path)
    if (name in ds and not force) or any(n not in ds for n in needs) or not video.exists():
        return False
    ds = ds.drop_vars(name, errors="ignore")
    ds[name] = compute(ds, video)
    landmarks.save(ds, path)
    return True


def main(argv: list[str] | None, *, doc: str, name: str, backfill: Callable[..., bool]) -> int:
    """The command line: ``FOLDER [--only NAME ...] [--force] [--jobs N]``, ``backfill(path, force=...)`` on each
    kept file, and one line saying how many got ``name``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="+", help="clip names (NAME of NAME.nc); default every .nc in the folder")
    parser.add_argument("--force", action="store_true", help=f"compute {name} again where it is stored")
    parser.add_argument("--jobs", type=int, default=1, help="files at once (processes)")
    args = parser.parse_args(argv)
    paths = [args.folder / f"{n}.nc" for n in args.only] if args.only else sorted(args.folder.glob("*.nc"))
    work = functools.partial(backfill, force=args.force)
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            done = sum(pool.map(work, paths))
    else:
        done = sum(map(work, paths))
    print(f"{name} added to {done} of {len(paths)} landmark files in {args.folder}")
    return 0
