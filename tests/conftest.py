"""Shared fixtures: the cache folder, and real video fetched once from the package registry."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPORTS2D_VERSION = "0.8.34"  # its wheel carries Sports2D/Demo/demo.mp4 (see shared note on the pose model)


def cache_root() -> Path:
    """Where test downloads and derived test videos are kept between runs."""
    return Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache")


@pytest.fixture(scope="session")
def demo_video() -> Path:
    """The real Sports2D demo: 1768x994 VP9, 30 fps, 230 frames; a woman walks right to left across
    the picture (frames ~59-201) while a second person stands on a box in the background, then
    jumps down and walks off to the right."""
    target = cache_root() / "videos" / "demo_walk_sports2d.mp4"
    if target.is_file():
        return target
    wheels = cache_root() / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wheel = next(wheels.glob(f"sports2d-{SPORTS2D_VERSION}-*.whl"), None)
    if wheel is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"sports2d=={SPORTS2D_VERSION}", "--no-deps",
             "--only-binary=:all:", "-d", str(wheels), "-q"],
            check=True, capture_output=True, timeout=600,
        )
        wheel = next(wheels.glob(f"sports2d-{SPORTS2D_VERSION}-*.whl"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("Sports2D/Demo/demo.mp4")
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


@pytest.fixture(scope="session")
def demo_clip(demo_video: Path) -> Path:
    """Frames 40-159 of the demo at half size (884x498, H.264, 30 fps, 4 s): the walker enters at
    frame 59 (19 of the clip) and is in view to the end, the second person is on the box throughout."""
    target = cache_root() / "videos" / "demo_clip_half.mp4"
    if target.is_file():
        return target
    import av
    import cv2

    sys.path.insert(0, str(ROOT / "tests"))
    from videos import write_video

    pictures = []
    with av.open(str(demo_video)) as box:
        for i, frame in enumerate(box.decode(video=0)):
            if 40 <= i < 160:
                pictures.append(cv2.resize(frame.to_ndarray(format="rgb24"), (884, 498),
                                           interpolation=cv2.INTER_AREA))
    partial = target.with_name("partial_" + target.name)
    write_video(partial, pictures, fps=30, options={"crf": "20"})
    partial.replace(target)
    return target
