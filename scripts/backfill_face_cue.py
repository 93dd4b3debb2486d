"""Add the ``frontal_face`` view cue (:mod:`movelab.pose.face_cue`) to kept landmark files that lack it.

Landmark files extracted before the cue existed have no ``frontal_face``; the whole-body mirror fix then falls
back to the feet (:mod:`movelab.kinematics.mirrors`). This script reads each kept ``NAME.nc``'s video
``NAME.mp4`` beside it (decoded, no pose model) and writes the file again with the cue added.

    python -m scripts.backfill_face_cue DIR [--only NAME ...] [--force] [--jobs N]
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts import _backfill


def _faces(ds, video):
    from movelab.pose.face_cue import find_faces_again, frontal_face_array

    return frontal_face_array(find_faces_again(ds, video), ds["time"])


def backfill(path: Path, *, force: bool = False) -> bool:
    """Add ``frontal_face`` to the landmark file ``path`` from its ``.mp4``; False when it had it (or no video)."""
    return _backfill.add_variable(path, "frontal_face", _faces, force=force)


def main(argv: list[str] | None = None) -> int:
    return _backfill.main(argv, doc=__doc__, name="frontal_face", backfill=backfill)


if __name__ == "__main__":
    sys.exit(main())
