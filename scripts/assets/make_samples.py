"""Regenerate the rendered sample clips in ``sample_videos/`` (and their truth files).

Usage::

    python -m scripts.assets.make_samples            # all clips
    python -m scripts.assets.make_samples squat_side # some of them

Rendering is deterministic: the same code and libraries give the same files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from movelab.synth import Gait, Lunge, Posture, Squat, render_clip
from scripts import ROOT

#: name -> (motion, render options). Each clip is 4-9 s at 30 fps.
SAMPLES = {
    "squat_side": (Squat(depth_deg=105, trunk_lean_deg=38, lumbar_flexion_deg=12), {"view": "side_right"}),
    "squat_front": (Squat(depth_deg=100, trunk_lean_deg=35, knee_valgus_deg=6), {"view": "front"}),
    "lunge_side": (Lunge(kind="forward", lead_side="left", depth_deg=85), {"view": "side_left"}),
    "gait_side": (
        Gait(duration_s=4.0, cadence_spm=108, step_length_m=0.62, hip_extension_deg=15),
        {"view": "side_right", "width_px": 854, "height_px": 480},
    ),
    "posture_side": (
        Posture(tilt_amplitude_deg=8, lordosis_per_tilt=0.8, period_s=3.0, duration_s=6.0),
        {"view": "side_right"},
    ),
}
CRF = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[*SAMPLES, []], help="clips to render (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "sample_videos", help="output folder")
    args = parser.parse_args(argv)
    for name in args.names or list(SAMPLES):
        motion, options = SAMPLES[name]
        t0 = time.perf_counter()
        clip = render_clip(motion, **options)
        paths = clip.write(args.out / f"{name}.mp4", crf=CRF)
        seconds = time.perf_counter() - t0
        size_kb = paths["video"].stat().st_size / 1024
        print(
            f"{name}: {clip.n_frames} frames in {seconds:.1f} s ({clip.n_frames / seconds:.1f} frames/s), "
            f"{size_kb:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
