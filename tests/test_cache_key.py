"""The landmark cache's key covers the code that produces landmarks."""

from pathlib import Path

import movelab
from movelab import cache


def test_every_pose_and_io_module_keys_the_landmark_cache():
    package = Path(movelab.__file__).resolve().parent
    on_disk = {p.relative_to(package).as_posix() for d in ("pose", "io") for p in (package / d).glob("*.py")}
    keyed = set(cache.extraction_modules())
    assert on_disk <= keyed
    assert {"pose/mirror_pass.py", "pose/face_cue.py", "extraction.py"} <= keyed


def test_a_changed_extraction_module_changes_the_cache_path(monkeypatch, tmp_path):
    key = dict(video_sha256="v", model_sha256="m", settings={"a": 1}, schema_version=1)
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path))
    before = cache.landmark_cache_path(**key)
    monkeypatch.setattr(cache, "extraction_code_sha256", lambda: "0" * 64)
    assert cache.landmark_cache_path(**key) != before
