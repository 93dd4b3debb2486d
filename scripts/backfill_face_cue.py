"""Add the ``frontal_face`` view cue (:mod:`movelab.pose.face_cue`) to kept landmark files that lack it.

Landmark files extracted before the cue existed have no ``frontal_face``; the whole-body mirror fix then falls
back to the feet (:mod:`movelab.kinematics.mirrors`). This script reads each kept ``NAME.nc``'s video
``NAME.mp4`` beside it (decoded, no pose model) and writes the file again with the cue added.

    python -m scripts.backfill_face_cue DIR [--only NAME ...] [--force]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def backfill(path: Path, *, force: bool = False) -> bool:
    """Add ``frontal_face`` to the landmark file ``path`` from its ``.mp4``; False when it had it (or no video)."""
    from movelab import landmarks
    from movelab.pose.face_cue import find_faces_again, frontal_face_array

    video = path.with_suffix(".mp4")
    ds = landmarks.load(path)
    if ("frontal_face" in ds and not force) or not video.exists():
        return False
    ds = ds.drop_vars("frontal_face", errors="ignore")
    ds["frontal_face"] = frontal_face_array(find_faces_again(ds, video), ds["time"])
    landmarks.save(ds, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="+", help="clip names (NAME of NAME.nc); default every .nc in the folder")
    parser.add_argument("--force", action="store_true", help="compute the cue again where it is stored")
    args = parser.parse_args(argv)
    paths = [args.folder / f"{n}.nc" for n in args.only] if args.only else sorted(args.folder.glob("*.nc"))
    done = sum(backfill(p, force=args.force) for p in paths)
    print(f"frontal_face added to {done} of {len(paths)} landmark files in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
