"""How far the reps table's ``heel_lift_deg`` lies from the heel-lift finding's reading of the same rep.

Both read :func:`movelab.kinematics.sole.heel_rise_deg` at the rep's bottom (median over ±0.1 s); the reps
table refers it to the standing before each rep, the finding to the clip's quiet standing
(``movelab.findings.detect.context_of``). Over the kept side-view squats of ``heel_rise_accuracy`` (no pose
model), prints the reps read by both, by one only, the absolute difference's median, 95th percentile and
largest, and the clips of the five largest.

    nice python -m scripts.accuracy.heel_reps_agreement   # about 1 min
"""

from __future__ import annotations

import warnings

import numpy as np

from movelab import landmarks
from movelab.events import segment
from movelab.findings import heel_rise_deg
from movelab.findings.detect import context_of
from movelab.kinematics import compute_motion
from scripts.accuracy.heel_rise_accuracy import kept_squats


def pairs(path) -> list[tuple[str, float, float]]:
    """Per rep of one kept clip: its name, the reps table's ``heel_lift_deg``, the finding's reading."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        motion = compute_motion(landmarks.load(path))
        seg = segment(motion, movement="squat")
        ctx = context_of(motion, seg)
        standing = ctx.standing_mask()
        rise = None
        if standing.any():
            rise = heel_rise_deg(
                ctx.positions, standing, outline_px=ctx.outline_px, picture_height_px=ctx.picture_height_px
            )
    name = f"{path.parent.name}/{path.stem}"
    return [
        (name, float(rep["heel_lift_deg"]), ctx.at(rise, rep["bottom_s"]) if rise is not None else np.nan)
        for rep in seg.reps.to_dict("records")
    ]


def main() -> int:
    rows = [row for path in kept_squats() for row in pairs(path)]
    if not rows:
        print("no kept side-view squats found: run the accuracy scripts named in heel_rise_accuracy first")
        return 1
    values = np.array([(r, f) for _, r, f in rows], dtype=float)
    both = np.isfinite(values).all(axis=1)
    diff = np.abs(values[both, 0] - values[both, 1])
    print(
        f"reps {len(rows)}: read by both {both.sum()}, reps table only "
        f"{(np.isfinite(values[:, 0]) & ~np.isfinite(values[:, 1])).sum()}, finding only "
        f"{(~np.isfinite(values[:, 0]) & np.isfinite(values[:, 1])).sum()}"
    )
    print(
        f"|reps table - finding| °: median {np.median(diff):.2f}, 95th percentile {np.percentile(diff, 95):.2f}, "
        f"largest {diff.max():.2f}"
    )
    order = np.argsort(-np.nan_to_num(np.abs(values[:, 0] - values[:, 1])))
    print("largest: " + ", ".join(f"{rows[i][0]} {rows[i][1]:.1f} / {rows[i][2]:.1f}" for i in order[:5]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
