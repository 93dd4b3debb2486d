"""FMS deep squat and forward head end to end with the real pose model on short rendered clips (kept under
the test cache, re-rendered when their parameters change)."""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from scripts import ROOT

pytestmark = pytest.mark.slow

SQUAT = dict(
    arms="overhead", dowel=True, depth_deg=140.0, shank_lean_deg=38.0, trunk_lean_deg=30.0, knee_swivel_deg=20.0,
    reps=1, lead_in_s=1.0, descent_s=1.0, pause_bottom_s=0.4, ascent_s=0.9, pause_top_s=0.5,
)  # fmt: skip


def _video(motion, view: str, **camera) -> Path:
    from movelab.synth import render_clip

    key = hashlib.sha256(repr((motion, view, camera)).encode()).hexdigest()[:12]
    folder = Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache") / "videos" / "fms_posture"
    path = folder / f"{motion.name}-{view}-{key}.mp4"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = render_clip(motion, view=view, **camera).write(folder / f"partial-{path.name}", crf=20)["video"]
        partial.replace(path)
    return path


def test_overhead_squat_with_knees_caving_in_scores_1_from_the_pair_and_at_most_3_from_the_side():
    """Side criteria met, knees inside the feet: the side clip alone says "at most 3", the pair says 1 and
    names the knees (15 fps, 480x360, 3.8 s per clip)."""
    from movelab.analysis import analyse_squat_set
    from movelab.synth import Squat

    squat = Squat(**SQUAT)
    side = _video(squat, "side_right", fps=15.0, width_px=480, height_px=360)
    front = _video(squat, "front", fps=15.0, width_px=480, height_px=360)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = analyse_squat_set(side, front)
        from movelab.analysis import analyse_landmarks

        alone = analyse_landmarks(a.landmarks, movement="squat")
    assert a.fms.text == b.fms.text == "1"
    assert [c.code for c in a.fms.criteria if c.met is False] == ["knees_over_feet"]
    assert alone.fms.text == "at most 3"
    assert alone.fms.criterion("knees_over_feet").met is None


def test_forward_head_on_a_rendered_standing_clip_is_within_3_degrees():
    """A 1 s portrait side view at 15 fps of a held-out body standing, arms folded, with a 25° forward head."""
    from movelab.analysis import analyse
    from movelab.synth import Posture
    from movelab.synth.population import HELD_OUT_BODIES

    body = HELD_OUT_BODIES[1]
    posture = Posture(duration_s=1.0, forward_head_deg=25.0, arms=body.arms)
    from movelab.synth import render_clip

    clip = render_clip(posture, view="side_right", fps=15.0, width_px=540, height_px=960, body=body.body)
    key = hashlib.sha256(repr((posture, body.name)).encode()).hexdigest()[:12]
    folder = Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache") / "videos" / "fms_posture"
    path = folder / f"posture-{key}.mp4"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        clip.write(folder / f"partial-{path.name}", crf=20)["video"].replace(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = analyse(path, movement="posture")
    measured = analysis.posture_chain["measures"]["forward_head"]["median"]
    assert measured == pytest.approx(25.0, abs=3.0)
    assert np.isfinite(measured)
