"""The protocol pictures of docs/assessments.md: a rendered modified Thomas test and an active straight-leg
raise, each as filmed (from the test leg's side, camera at table or floor height), with the table line movelab
reads from the silhouette drawn in. No pose model: the line is drawn from the rendered figure's own silhouette
through :func:`movelab.kinematics.supine.table_line`.

Usage::

    python -m scripts.assets.supine_pictures      # writes docs/img/thomas_test.png, docs/img/aslr.png
"""

from __future__ import annotations

import sys

import cv2
import numpy as np

from movelab.kinematics.supine import table_line
from movelab.pose.mask_features import outline_from_mask
from movelab.synth import StraightLegRaise, ThomasTest, render_clip
from movelab.synth.render import Appearance, render_figure
from scripts import ROOT

_POINTS = ("nose", "left_shoulder", "right_shoulder", "left_hip", "right_hip")


def _picture(motion, view: str, camera_height_m: float) -> np.ndarray:
    clip = render_clip(motion, view=view, fps=10.0, width_px=480, height_px=360, camera_height_m=camera_height_m)
    last = clip.n_frames - 1
    img = clip.frame(last)
    plain = Appearance(background_rgb=(0, 0, 0), floor_rgb=(0, 0, 0))  # the figure alone: its silhouette
    silhouette = render_figure(clip.figures[last], clip.camera, plain, props=(), floor_y_m=-100.0)
    mask = (silhouette.max(axis=2) > 0).astype(np.float32)
    row = clip.truth.iloc[last]
    pt = {k: np.array([row[f"{k}_x_px"], row[f"{k}_y_px"]]) for k in _POINTS}
    shoulder, hip = 0.5 * (pt["left_shoulder"] + pt["right_shoulder"]), 0.5 * (pt["left_hip"] + pt["right_hip"])
    direction, point, _ = table_line(outline_from_mask(mask), shoulder, hip, pt["nose"])
    a, b = point - 400 * direction, point + 400 * direction
    out = img.copy()
    cv2.line(out, tuple(int(v) for v in a), tuple(int(v) for v in b), (220, 30, 30), 2, cv2.LINE_AA)
    return out


def main() -> int:
    folder = ROOT / "docs" / "img"
    folder.mkdir(parents=True, exist_ok=True)
    pictures = {
        "thomas_test.png": _picture(
            ThomasTest(test_side="left", thigh_above_horizontal_deg=8.0, knee_flexion_deg=55.0), "side_left", 0.8
        ),
        "aslr.png": _picture(StraightLegRaise(test_side="right", raise_deg=70.0), "side_right", 0.35),
    }
    for name, rgb in pictures.items():
        cv2.imwrite(str(folder / name), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        print(folder / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
