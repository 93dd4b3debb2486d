"""scripts/accuracy/marker_dots.py reads its fresh renders near the kept landmarks only when both are one render.

The kept landmarks set the dots' search window and, through their left/right pairs, the camera elevation of the
parallax correction. The crf table of docs/outline-accuracy.md was once made with landmarks kept from an earlier
render of the same clips: ``heldout6_sway`` read 1.49 deg there and 1.69 deg on the population's own clip, the
dots identical to the last decimal and the line of sight tan -0.081 against -0.070.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from movelab.cache import file_sha256
from movelab.synth import Posture
from scripts.accuracy import marker_dots
from scripts.accuracy.outline_population import DESIGN_CLIPS


def _kept(digest: str) -> SimpleNamespace:
    return SimpleNamespace(load=lambda path: SimpleNamespace(attrs={"source_sha256": digest}))


def test_landmarks_of_another_render_are_refused_and_of_the_same_render_accepted(tmp_path, monkeypatch):
    clip = dataclasses.replace(DESIGN_CLIPS[0], motion=Posture(pelvic_tilt_deg=12.0, duration_s=0.2))
    own = marker_dots.variant(clip, tmp_path)  # the clip's own crf: the video its landmarks would name
    monkeypatch.setattr(marker_dots, "landmarks", _kept(file_sha256(own)))
    marker_dots.check_same_render(clip, tmp_path)
    other = dataclasses.replace(clip, motion=Posture(pelvic_tilt_deg=14.0, duration_s=0.2))
    monkeypatch.setattr(marker_dots, "landmarks", _kept(file_sha256(marker_dots.variant(other, tmp_path / "o"))))
    with pytest.raises(SystemExit, match="another render"):
        marker_dots.check_same_render(clip, tmp_path)
