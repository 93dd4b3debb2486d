"""Shared fixtures: the cache folder, and real video fetched once from the package registry. Test tiers: a test
that downloads is marked ``network`` here, and one not marked ``slow`` fails if it starts the pose model."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPORTS2D_VERSION = "0.8.34"  # its wheel carries Sports2D/Demo/demo.mp4 (see shared note on the pose model)
POSE2SIM_VERSION = "0.10.49"  # its wheel carries Pose2Sim/Demo_SinglePerson/videos/cam01-04.mp4


#: fixtures that fetch from the package registry (once, then cached): a test using one is marked ``network``
NETWORK_FIXTURES = frozenset({"demo_video", "demo_clip", "pose2sim_demo", "real_wheel"})

#: where the pose-model guard lives (``pose_guard.py``; ``sitecustomize.py`` carries it into subprocesses)
GUARD_DIR = ROOT / "tests" / "_tiers"
sys.path.insert(0, str(GUARD_DIR))
from pose_guard import ENV, install, message  # noqa: E402  (tests/_tiers, just put on the path)

#: the test running now, when it is not marked ``slow`` (the pose model must not start in it)
_fast_test: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``network`` every test that uses a download fixture (directly or through another fixture)."""
    for item in items:
        if NETWORK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.network)


@pytest.fixture(autouse=True)
def _pose_model_only_in_slow_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """While a test not marked ``slow`` runs, starting MediaPipe's pose landmarker fails it, in this process
    or in a Python subprocess it starts: the fast tier (``make test-fast``) must never run the pose model."""
    if request.node.get_closest_marker("slow") is not None:
        yield
        return
    monkeypatch.setenv(ENV, request.node.nodeid)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(GUARD_DIR), os.environ.get("PYTHONPATH")])))
    _fast_test.append(request.node.nodeid)
    yield
    _fast_test.pop()


def _refuse(nodeid: str) -> None:
    pytest.fail(message(nodeid), pytrace=False)


install(lambda: _fast_test[-1] if _fast_test else None, _refuse)


def cache_root() -> Path:
    """Where test downloads and derived test videos are kept between runs."""
    return Path(os.environ.get("MOVELAB_CACHE_DIR") or ROOT / ".cache")


def renderer_digest() -> str:
    """A digest of the synthetic clips' source (every module of :mod:`movelab.synth`: the body, its motions, the
    renderer, the writer): part of every cached rendered video's key, so a change to any of them renders the
    clips again instead of testing the old pictures."""
    import hashlib

    import movelab.synth

    digest = hashlib.sha1()
    for path in sorted(Path(movelab.synth.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@pytest.fixture(scope="session")
def demo_video() -> Path:
    """The real Sports2D demo: 1768x994 VP9, 30 fps, 230 frames; a woman walks right to left across
    the picture (frames ~59-201) while a second person stands on a box in the background, then
    jumps down and walks off to the right."""
    return wheel_member(
        "sports2d", SPORTS2D_VERSION, "Sports2D/Demo/demo.mp4", cache_root() / "videos" / "demo_walk_sports2d.mp4"
    )


@pytest.fixture(scope="session")
def pose2sim_demo():
    """``get(camera)``: one of the four synchronised cameras (``"cam01"`` ... ``"cam04"``) of the Pose2Sim
    single-person demo (not a walk: read by eye, tests/data/pose2sim_demo_events.json, the man stands,
    lifts his right leg out to the side for about a second on the left leg, sets it down crossed in front and
    lifts the left; portrait 1080x1920, 60 fps, 100 frames), filmed
    from the front-oblique (cam01, cam02) and from behind-oblique (cam03, cam04); a second person stands in
    some views. Found while looking for a second real walk; it showed that the gait detector for walks
    without a side view took this leg lift for steps, which the rhythm rule of
    ``movelab.events.recognise`` was added for (so it is not a held-out check of that rule)."""

    def get(camera: str) -> Path:
        return wheel_member(
            "pose2sim",
            POSE2SIM_VERSION,
            f"Pose2Sim/Demo_SinglePerson/videos/{camera}.mp4",
            cache_root() / "videos" / f"pose2sim_demo_{camera}.mp4",
        )

    return get


def wheel_member(package: str, version: str, member: str, target: Path) -> Path:
    """``member`` of ``package``'s wheel on the package registry, written to ``target`` once (the wheel is
    kept under the cache's ``wheels`` folder)."""
    if target.is_file():
        return target
    wheels = cache_root() / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wheel = next(wheels.glob(f"{package}-{version}-*.whl"), None)
    if wheel is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"{package}=={version}",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(wheels),
                "-q",
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        wheel = next(wheels.glob(f"{package}-{version}-*.whl"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(member)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")  # a process's own: xdist workers share the cache
    partial.write_bytes(data)
    partial.replace(target)
    return target


@pytest.fixture(scope="session")
def demo_clip(demo_video: Path) -> Path:
    """Frames 40-159 of the demo at half size (884x498, H.264, 30 fps, 4 s): the walker enters at
    frame 59 (19 of the clip) and is in view to the end, the second person is on the box throughout."""
    target = cache_root() / "videos" / "demo_clip_half.mp4"
    if target.is_file():
        return target
    import av
    import cv2

    sys.path.insert(0, str(ROOT / "tests"))
    from videos import write_video

    pictures = []
    with av.open(str(demo_video)) as box:
        for i, frame in enumerate(box.decode(video=0)):
            if 40 <= i < 160:
                pictures.append(cv2.resize(frame.to_ndarray(format="rgb24"), (884, 498), interpolation=cv2.INTER_AREA))
    partial = target.with_name(f"partial_{os.getpid()}_{target.name}")  # a process's own (xdist workers)
    write_video(partial, pictures, fps=30, options={"crf": "20"})
    partial.replace(target)
    return target


@pytest.fixture(scope="module")
def squats():
    """Two synthetic squats as landmarks (the stick figure of tests/test_events.py), for the caches' tests."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_events import figure, squat_motion

    t, hip, ankles, lean, _ = squat_motion()
    return figure(t, hip=hip, ankles=ankles, lean_deg=lean)
