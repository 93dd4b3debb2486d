"""The pose landmarker's MediaPipe modules without the rest of MediaPipe (``movelab.pose._mediapipe_api``): fewer
modules at first, and MediaPipe as a whole, name for name, as soon as anyone uses it as usual."""

from __future__ import annotations

import json
import subprocess
import sys

#: In a fresh interpreter: optionally the landmarker's API first, then MediaPipe used the usual ways.
PROBE = r"""
import json, sys
first = {}
if sys.argv[1] == "api first":
    from movelab.pose._mediapipe_api import pose_api
    api = pose_api()
    first = {"matplotlib": "matplotlib" in sys.modules, "audio": "mediapipe.tasks.python.audio" in sys.modules,
             "image_is_mp_image": None}
import mediapipe as mp
from mediapipe.tasks.python import vision
if first:
    first["image_is_mp_image"] = api.Image is mp.Image and api.PoseLandmarker is vision.PoseLandmarker
names = lambda m: sorted(k for k in vars(m) if not k.startswith("__"))
print(json.dumps({
    "first": first,
    "mediapipe": names(mp), "tasks": names(sys.modules["mediapipe.tasks"]), "tasks.python": names(mp.tasks),
    "vision": names(vision), "modules": sorted(m for m in sys.modules if m.startswith("mediapipe")),
    "srgb": int(mp.ImageFormat.SRGB),
}))
"""


def _probe(order: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, order], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_landmarkers_api_loads_without_the_rest_of_mediapipe_which_is_whole_when_used():
    light, usual = _probe("api first"), _probe("usual")
    assert light.pop("first") == {"matplotlib": False, "audio": False, "image_is_mp_image": True}
    usual.pop("first")
    assert light == usual
