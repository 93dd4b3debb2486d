"""The diagnostic behind issue 13's fourth round (``scripts/accuracy/lordosis_silhouette.py``): the renderer's
shading bands once bridged the lumbar hollow of a tilted pelvis; they now stay inside their piece, so clipping
them changes nothing. Fast: renders two frames of one design body, no pose model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from movelab.kinematics import outline_method as om
from movelab.synth import render as render_module
from scripts.accuracy.lordosis_silhouette import _BRIDGE_HEIGHTS, bands_clipped, silhouette_px, summary
from scripts.accuracy.outline_population import DESIGN_CLIPS, _render


def _back(synth, index: int) -> np.ndarray:
    fig = synth.figures[index]
    hip = synth.camera.project(fig.points["hip_mid"][None])[0]
    shoulder = synth.camera.project(0.5 * (fig.points["left_shoulder"] + fig.points["right_shoulder"])[None])[0]
    torso = float(np.hypot(*(shoulder - hip)))
    outline = silhouette_px(synth, index)
    return om.back_profile(outline, hip_px=hip, facing=1.0, torso_px=torso, heights=_BRIDGE_HEIGHTS)


def test_rendered_back_has_no_bridge_across_the_hollow():
    """``design3``'s sweep (filmed facing right), at its largest anterior tilt, where the bands once bridged the
    hollow by 0.05 torso lengths: the rendered back and the one with every band clipped to its piece agree within
    0.01 torso lengths at every height (the bands now stay inside their piece); leaving the block restores the
    renderer."""
    clip = next(c for c in DESIGN_CLIPS if c.name == "design3_tilt")
    synth = _render(clip)
    original = render_module._Slice.polygon
    i = 22  # pelvic tilt 20 deg, the sweep's top
    rendered = _back(synth, i)
    with bands_clipped():
        assert render_module._Slice.polygon is not original
        clipped = _back(synth, i)
    assert render_module._Slice.polygon is original
    assert np.isfinite(rendered).sum() >= 0.8 * rendered.size
    assert np.nanmax(np.abs(clipped - rendered)) <= 0.01


def test_summary_reads_the_slopes_it_names():
    """A sweep whose estimate follows the truth at 0.8 with a constant offset, and a sway that moves it by 0.1
    per degree of lean: ``lord slope`` 0.8, ``lord sway slope`` 0.1, the change MAE the error's mean distance
    from its median (0.6 here: the estimate follows only 0.8 of a 12 deg change); low-quality frames left out."""
    truth = np.linspace(20.0, 32.0, 30)
    tilt = pd.DataFrame(
        {
            "lordosis": 5.0 + 0.8 * truth,
            "quality": 1.0,
            "upper": -0.2 * truth,
            "true_lordosis": truth,
            "true_upper": -0.4 * truth,
            "lean": 0.0,
        }
    )
    tilt.loc[0, ["lordosis", "quality"]] = [99.0, 0.1]  # gated out
    lean = np.linspace(-10.0, 10.0, 30)
    sway = pd.DataFrame({"lordosis": 25.0 + 0.1 * lean, "quality": 1.0, "lean": lean})
    out = summary(tilt, sway, 0.5)
    assert abs(out["lord slope"] - 0.8) < 1e-9
    assert abs(out["lord sway slope"] - 0.1) < 1e-9
    err = -0.2 * truth[1:] + 5.0
    assert abs(out["change MAE"] - np.mean(np.abs(err - np.median(err)))) < 1e-9
    assert 0.5 < out["change MAE"] < 0.7
    assert abs(out["upper slope"] + 0.2) < 1e-9 and abs(out["true upper slope"] + 0.4) < 1e-9
    assert out["frames"] == "29/30"
