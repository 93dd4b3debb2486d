"""Benchmark: a realistic (``Realism.phone()``) clip's frames, the straightforward way and the clip's own way.

Usage::

    python benchmarks/bench_realistic.py [--frames 60]

Renders the first ``--frames`` frames of a front-view squat with 16 deg valgus and of a side-view walk, both
filmed by ``Realism.phone(seed=12345)`` at 640x480 and 30 fps, in one process and interleaved: frame by frame
with ``SynthClip._realistic_frame`` (every sub-frame rendered, the background drawn each time) and with
``SynthClip.iter_frames`` (sub-frame renders shared by consecutive frames, background drawn once). Prints
the CPU and wall seconds per frame of each, their ratio, and a SHA-256 over every frame's pixels, which must
be the same for both.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import time

from movelab.synth import Gait, Realism, Squat, render_clip


def _clips(n_frames: int) -> dict:
    squat = Squat(
        reps=1,
        stance_width_m=0.34,
        knee_valgus_deg=16.0,
        depth_deg=100.0,
        trunk_lean_deg=30.0,
        lead_in_s=0.3,
        descent_s=0.9,
        pause_bottom_s=0.3,
        ascent_s=0.8,
        pause_top_s=0.3,
    )
    clips = {
        "squat_front": render_clip(squat, view="front", duration_s=n_frames / 30.0),
        "gait_side": render_clip(Gait(), view="side_right", duration_s=n_frames / 30.0),
    }
    return {name: dataclasses.replace(c, realism=Realism.phone(seed=12345)) for name, c in clips.items()}


def _straightforward(clip):
    props = clip.motion.scene(clip.body).props + clip._clutter()
    return (clip._realistic_frame(i, props) for i in range(clip.n_frames))


def _timed(frames) -> tuple[str, int, float, float]:
    digest, n = hashlib.sha256(), 0
    wall, cpu = time.perf_counter(), time.process_time()
    for frame in frames:
        digest.update(frame.tobytes())
        n += 1
    return digest.hexdigest(), n, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    for name, clip in _clips(args.frames).items():
        plain = _timed(_straightforward(clip))
        fast = _timed(clip.iter_frames())
        same = "same pixels" if plain[0] == fast[0] else "DIFFERENT PIXELS"
        print(
            f"{name}: {fast[1]} frames; straightforward {plain[2] / plain[1]:.3f} s CPU "
            f"({plain[3] / plain[1]:.3f} s wall) a frame, iter_frames {fast[2] / fast[1]:.3f} s CPU "
            f"({fast[3] / fast[1]:.3f} s wall); CPU ratio {fast[2] / plain[2]:.2f}; sha256 {fast[0][:16]} {same}",
            flush=True,
        )


if __name__ == "__main__":
    main()
