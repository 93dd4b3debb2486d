"""Check that two copies of movelab write the same analysis outputs, file for file, byte for byte.

Usage::

    python benchmarks/same_outputs.py --before DIR [--landmarks FILE.nc ...] [VIDEO ...] [--out OUT]

``DIR`` holds the older code's ``movelab/`` (e.g. ``git archive main movelab | tar -x -C DIR``). For each
``VIDEO`` both codes run ``movelab analyse VIDEO --out ...`` (landmarks and kinematics from the cache when kept
there); for each ``--landmarks`` file (e.g. the 10-minute long.nc; the kinematics cache beside it in
``cache/``, as ``bench_speed.py warm`` uses) both load the file, analyse it with the kinematics cache and write
the outputs as the bench's cached script does. Every file of each pair of output folders (``report.json``,
``angles.csv``, ``timeline.png``, ``report.html``, ...) is compared byte for byte; prints one line per case and
exits non-zero on any difference.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

#: Load a landmark file, analyse it (kinematics cache on), write the outputs: the warm bench's path.
LANDMARKS = r"""
import sys
from movelab._memory import no_huge_page_advice
no_huge_page_advice()
from movelab import load_landmarks
from movelab.analysis import analyse_landmarks
from movelab.report import write_outputs
write_outputs(analyse_landmarks(load_landmarks(sys.argv[1]), use_cache=True), sys.argv[2])
"""


def _outputs(code: Path, *, video: Path | None, landmarks: Path | None, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    if landmarks is not None:
        env["MOVELAB_CACHE_DIR"] = str(landmarks.parent / "cache")
        args = [PY, "-c", LANDMARKS, str(landmarks), str(out)]
    else:
        args = [PY, "-m", "movelab", "analyse", str(video), "--out", str(out), "--quiet"]
    subprocess.run(args, check=True, cwd=code, env=env)


def _differences(a: Path, b: Path) -> list[str]:
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    return [n for n in names if not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, False))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a folder holding the older code's movelab/")
    parser.add_argument(
        "--landmarks", type=Path, action="append", default=[], help="a landmark file (repeatable); cache/ beside it"
    )
    parser.add_argument("--out", type=Path, help="keep the output folders here (default: a temporary folder)")
    args = parser.parse_args()
    out = (args.out or Path(tempfile.mkdtemp(prefix="same_outputs_"))).resolve()
    cases = [(v.stem, v.resolve(), None) for v in args.videos]
    cases += [(f"{p.parent.name}_{p.stem}", None, p.resolve()) for p in args.landmarks]
    failed = 0
    for name, video, landmarks in cases:
        folders = []
        for label, code in (("before", args.before.resolve()), ("this", ROOT)):
            folder = out / f"{name}_{label}"
            _outputs(code, video=video, landmarks=landmarks, out=folder)
            folders.append(folder)
        differ = _differences(*folders)
        files = sorted(p.name for p in folders[1].iterdir())
        print(f"{name}: {'DIFFERENT ' + ', '.join(differ) if differ else 'identical'} ({', '.join(files)})")
        failed += bool(differ)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
