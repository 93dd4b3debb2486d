"""Tests of movelab.io.video on small videos written by tests/videos.py."""

from __future__ import annotations

import json
import os
import subprocess
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from videos import (
    ffmpeg_exe,
    find_marker,
    make_audio_only,
    make_retimed,
    make_rotated,
    make_text_file,
    make_truncated,
    make_undecodable,
    make_vfr,
    marker_frames,
    moving_frames,
    write_video,
)

from movelab.errors import (
    ConfigError,
    InputError,
    NotAVideoError,
    TruncatedVideoWarning,
    UnreadableVideoError,
    VideoNotFoundError,
)
from movelab.io import Frame, VideoInfo, open_video, probe_video, read_frame_times
from movelab.io.timestamps import Clock as _Clock

SIZE = (64, 48)
"""(width, height) of the small test videos."""

N_FRAMES = 30

VFR_TIMES_S = [0.5, 0.533, 0.6, 0.61, 0.7, 0.9, 0.9333, 1.2, 1.201, 1.3]
"""Irregular frame times, first frame at 0.5 s (not 0)."""


def read_all(path: str | os.PathLike[str], **kwargs: object) -> tuple[VideoInfo, list[Frame]]:
    """Read every frame; return the info as it stands after the pass, and the frames."""
    with open_video(path, **kwargs) as video:
        frames = list(video)
        return video.info, frames


def quadrant(image: np.ndarray) -> str:
    """Where the red marker is: 'top-left', 'top-right', 'bottom-left' or 'bottom-right'."""
    row, col = find_marker(image)
    return f"{'top' if row < 0.5 else 'bottom'}-{'left' if col < 0.5 else 'right'}"


def ffmpeg_first_frame(path: Path, width: int, height: int) -> np.ndarray:
    """The first frame as the ffmpeg command line shows it (auto-rotated), RGB."""
    command = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-frames:v", "1"]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(command, check=True, capture_output=True, timeout=60).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


@pytest.fixture(scope="module")
def videos_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("videos")


@pytest.fixture(scope="module")
def marker_mp4(videos_dir: Path) -> Path:
    """30 frames at 30 fps, 64x48, grey with a red square in the top-left corner; MP4, B-frames, faststart."""
    return write_video(videos_dir / "marker.mp4", marker_frames(N_FRAMES, SIZE), fps=30)


@pytest.fixture(scope="module")
def marker_mkv(videos_dir: Path) -> Path:
    """The same pictures as ``marker_mp4`` in Matroska (no declared frame count)."""
    return write_video(videos_dir / "marker.mkv", marker_frames(N_FRAMES, SIZE), fps=30)


# ----------------------------------------------------------------------------- rotation


@pytest.mark.parametrize(
    ("rotation_deg", "where"),
    [(0, "top-left"), (90, "top-right"), (180, "bottom-right"), (270, "bottom-left")],
)
def test_rotation_turns_pixels_upright(marker_mp4: Path, tmp_path: Path, rotation_deg: int, where: str) -> None:
    """A clockwise display rotation of R moves the top-left marker R degrees clockwise."""
    rotated = make_rotated(marker_mp4, tmp_path / f"rot{rotation_deg}.mp4", rotation_deg)
    info, frames = read_all(rotated)
    width, height = SIZE if rotation_deg in (0, 180) else SIZE[::-1]
    assert info.rotation_deg == rotation_deg
    assert (info.width_px, info.height_px) == (width, height)
    assert probe_video(rotated) == info
    for frame in frames:
        assert frame.image.shape == (height, width, 3)
        assert quadrant(frame.image) == where


@pytest.mark.parametrize(("display_rotation", "rotation_deg"), [(90, 270), (180, 180), (270, 90), (-90, 90)])
def test_ffmpeg_display_rotation_sign(
    marker_mp4: Path, tmp_path: Path, display_rotation: int, rotation_deg: int
) -> None:
    """``ffmpeg -display_rotation N`` (counter-clockwise) is reported as ``(-N) % 360`` clockwise.

    The frame must be the picture the ffmpeg command line shows (ffmpeg auto-rotates).
    """
    path = tmp_path / "raw.mp4"
    command = [ffmpeg_exe(), "-v", "error", "-y", "-display_rotation", str(display_rotation)]
    subprocess.run([*command, "-i", str(marker_mp4), "-c", "copy", str(path)], check=True, timeout=60)
    info, frames = read_all(path, max_frames=1)
    assert info.rotation_deg == rotation_deg
    expected = ffmpeg_first_frame(path, info.width_px, info.height_px)
    assert np.abs(frames[0].image.astype(int) - expected).mean() < 3


def test_phone_portrait_video_comes_out_portrait(tmp_path: Path) -> None:
    """1920x1080 stored, 90° clockwise display rotation -> 1080 wide, 1920 high."""
    pictures = marker_frames(2, (1920, 1080), marker_px=64)
    stored = write_video(tmp_path / "landscape.mp4", pictures, options={"preset": "ultrafast"})
    phone = make_rotated(stored, tmp_path / "portrait.mp4", 90)
    info, frames = read_all(phone)
    assert (info.width_px, info.height_px, info.rotation_deg) == (1080, 1920, 90)
    assert frames[0].image.shape == (1920, 1080, 3)
    assert frames[0].image.flags.c_contiguous


# ----------------------------------------------------------------------------- frames, info, timestamps


def test_frames_are_upright_rgb_with_real_times(marker_mp4: Path) -> None:
    info, frames = read_all(marker_mp4)
    assert [frame.index for frame in frames] == list(range(N_FRAMES))
    np.testing.assert_allclose([frame.time_s for frame in frames], np.arange(N_FRAMES) / 30, atol=1e-3)
    for frame in frames:
        assert frame.image.dtype == np.uint8 and frame.image.flags.c_contiguous
        assert frame.image.shape == (SIZE[1], SIZE[0], 3)
    assert frames[0].image[2, 2].tolist() == pytest.approx((255, 0, 0), abs=25)  # red, so RGB order
    assert info.variable_frame_rate is False


def test_info_of_an_mp4(marker_mp4: Path) -> None:
    info = probe_video(marker_mp4)
    assert info.path == str(marker_mp4) and info.source == "file"
    assert info.codec == "h264" and "mp4" in info.container_format
    assert (info.width_px, info.height_px, info.rotation_deg) == (*SIZE, 0)
    assert info.fps_nominal == pytest.approx(30)
    assert info.n_frames_declared == N_FRAMES
    assert info.duration_s_declared == pytest.approx(N_FRAMES / 30, abs=0.01)
    assert info.variable_frame_rate is False
    assert info.size_bytes == os.path.getsize(marker_mp4)
    assert json.loads(json.dumps(info.to_dict())) == info.to_dict()


def test_info_of_an_mkv(marker_mkv: Path) -> None:
    info = probe_video(marker_mkv)
    assert "matroska" in info.container_format
    assert info.n_frames_declared is None
    assert info.duration_s_declared == pytest.approx(N_FRAMES / 30, abs=0.01)


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_variable_frame_rate_times_are_exact(tmp_path: Path, suffix: str) -> None:
    """Frame times are the container's, within 1 ms, first frame at 0.5 s (not shifted to 0)."""
    path = make_vfr(tmp_path / f"vfr{suffix}", VFR_TIMES_S, SIZE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        info, frames = read_all(path)
    np.testing.assert_allclose([frame.time_s for frame in frames], VFR_TIMES_S, atol=1e-3)
    np.testing.assert_allclose(read_frame_times(path), VFR_TIMES_S, atol=1e-3)
    assert info.variable_frame_rate is True


def test_packet_times_match_decoded_times(marker_mp4: Path) -> None:
    """Demuxed pts (B-frames reorder them) sorted == decoded frame times."""
    _, frames = read_all(marker_mp4)
    np.testing.assert_array_equal(read_frame_times(marker_mp4), [frame.time_s for frame in frames])


def test_duplicate_pts_are_nudged_with_one_warning(tmp_path: Path) -> None:
    times_ms = [0, 33, 33, 66, 100, 100, 133]
    path = make_retimed(tmp_path / "dup.mkv", times_ms, SIZE)
    with pytest.warns(UserWarning, match="nudged") as record:
        _, frames = read_all(path)
    assert len([w for w in record if "nudged" in str(w.message)]) == 1
    times = np.array([frame.time_s for frame in frames])
    assert np.all(np.diff(times) > 0)
    np.testing.assert_allclose(times, np.array(times_ms) / 1000, atol=1e-5)


def test_clock_fixes_decreasing_and_missing_times() -> None:
    clock = _Clock(fps=10)
    fixed = [clock.next(t) for t in [1.0, 1.1, 1.05, None, 1.5]]
    times = [time_s for time_s, _ in fixed]
    assert times == pytest.approx([1.0, 1.1, 1.1 + 1e-6, 1.2 + 1e-6, 1.5])
    assert [note is not None for _, note in fixed] == [False, False, True, True, False]


def test_max_frames_stops_early_without_warning(marker_mp4: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, frames = read_all(marker_mp4, max_frames=3)
    assert [frame.index for frame in frames] == [0, 1, 2]


def test_reader_iterates_once(marker_mp4: Path) -> None:
    with open_video(marker_mp4) as video:
        list(video)
        with pytest.raises(RuntimeError, match="only once"):
            iter(video)


# ----------------------------------------------------------------------------- bad inputs


def _bad_missing(tmp: Path) -> Path:
    return tmp / "missing.mp4"


def _bad_directory(tmp: Path) -> Path:
    return tmp


def _bad_empty(tmp: Path) -> Path:
    path = tmp / "empty.mp4"
    path.touch()
    return path


def _bad_text(tmp: Path) -> Path:
    return make_text_file(tmp / "notes.mp4")


def _bad_audio(tmp: Path) -> Path:
    return make_audio_only(tmp / "tone.m4a")


def _bad_undecodable(tmp: Path) -> Path:
    good = write_video(tmp / "good.mp4", marker_frames(5, SIZE))
    return make_undecodable(good, tmp / "noise.mp4")


def _bad_cut_before_first_frame(tmp: Path) -> Path:
    """Faststart MP4 cut a few bytes into its frame data: the index is whole, no frame is."""
    good = write_video(tmp / "good.mp4", marker_frames(5, SIZE))
    data = good.read_bytes()
    return make_truncated(good, tmp / "cut.mp4", (data.find(b"mdat") + 20) / len(data))


def _bad_cut_mkv_before_first_frame(tmp: Path) -> Path:
    good = write_video(tmp / "good.mkv", moving_frames(5, SIZE))
    return make_truncated(good, tmp / "cut.mkv", 0.15)


def _bad_cut_moov_at_end(tmp: Path) -> Path:
    """A phone-style MP4 (index written last), cut: nothing in it can be read."""
    good = write_video(tmp / "good.mp4", marker_frames(N_FRAMES, SIZE), faststart=False)
    return make_truncated(good, tmp / "cut.mp4", 0.6)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (_bad_missing, VideoNotFoundError, "not found: '.*missing.mp4'"),
        (_bad_directory, VideoNotFoundError, "is a directory, expected a video file"),
        (_bad_empty, NotAVideoError, "empty.mp4' is empty \\(0 bytes\\)"),
        (_bad_text, NotAVideoError, "notes.mp4' is not a video file"),
        (_bad_audio, NotAVideoError, "tone.m4a' has no video stream \\(streams found: audio\\)"),
        (_bad_undecodable, UnreadableVideoError, "noise.mp4': no frame of its h264 video stream could be decoded"),
        (_bad_cut_before_first_frame, UnreadableVideoError, "cut.mp4': no frame of its h264 video stream"),
        (_bad_cut_mkv_before_first_frame, UnreadableVideoError, "cut.mkv'"),
        (_bad_cut_moov_at_end, UnreadableVideoError, "cut.mp4. starts like an MP4/MOV file .* cut short"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_bad_input_raises_one_line_error(tmp_path: Path, make, error, match) -> None:
    path = make(tmp_path)
    for action in (open_video, probe_video):
        with pytest.raises(error, match=match) as caught:
            action(path)
        assert "\n" not in str(caught.value)
        assert isinstance(caught.value, InputError)


def test_read_frame_times_rejects_audio_only(tmp_path: Path) -> None:
    with pytest.raises(NotAVideoError, match="no video stream"):
        read_frame_times(make_audio_only(tmp_path / "tone.m4a"))


@pytest.mark.parametrize("source", [99, "99"])
def test_missing_webcam(source: int | str) -> None:
    with pytest.raises(InputError, match="cannot open webcam 99: "):
        open_video(source)


def test_digits_in_a_path_object_name_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(VideoNotFoundError, match="'99'"):
        open_video(Path("99"))


@pytest.mark.parametrize("max_frames", [0, -1, 2.5, True])
def test_bad_max_frames(marker_mp4: Path, max_frames: object) -> None:
    with pytest.raises(ConfigError, match="max_frames must be a positive integer"):
        open_video(marker_mp4, max_frames=max_frames)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- truncation


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_truncated_video_keeps_frames_before_the_break(tmp_path: Path, suffix: str) -> None:
    full = write_video(tmp_path / f"full{suffix}", moving_frames(60, (160, 120)))
    cut = make_truncated(full, tmp_path / f"cut{suffix}", 0.5)
    _, all_frames = read_all(full)
    with pytest.warns(TruncatedVideoWarning, match=r"cut\.(mp4|mkv)' ended early .* kept the \d+ frames") as record:
        _, frames = read_all(cut)
    assert 0 < len(frames) < len(all_frames)
    assert f"kept the {len(frames)} frames" in str(record[0].message)
    assert record[0].filename == __file__  # stacklevel points at the caller
    by_time = {f.time_s: f.image for f in all_frames}
    for frame in frames:  # each kept frame is whole (B-frames cut off may leave gaps in time)
        np.testing.assert_array_equal(frame.image, by_time[frame.time_s])
    assert frames[0].time_s == all_frames[0].time_s


@pytest.mark.parametrize("fixture", ["marker_mp4", "marker_mkv"])
def test_whole_video_gives_no_warning(fixture: str, request: pytest.FixtureRequest) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_all(request.getfixturevalue(fixture))


# ----------------------------------------------------------------------------- memory


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads RSS from /proc")
def test_memory_does_not_grow_with_video_length(tmp_path: Path) -> None:
    """600 frames of 640x480 (553 MB of RGB if kept) decode within a few frames' worth of memory."""
    path = write_video(tmp_path / "long.mp4", moving_frames(600, (640, 480)), options={"preset": "ultrafast"})
    frame_bytes = 640 * 480 * 3
    tracemalloc.start()
    try:
        with open_video(path) as video:
            n_frames = 0
            for _ in video:
                n_frames += 1
                if n_frames == 50:
                    rss_after_50 = _rss_bytes()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n_frames == 600
    assert peak < 10 * frame_bytes
    assert _rss_bytes() - rss_after_50 < 60 * frame_bytes


def _rss_bytes() -> int:
    """Resident memory of this process (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# ----------------------------------------------------------------------------- webcam (faked)


class FakeCapture:
    """Stands in for ``cv2.VideoCapture``: five 4x6 BGR pictures, blue in BGR order."""

    def __init__(self, index: int) -> None:
        self.index, self.n_left, self.released = index, 5, False

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.n_left == 0:
            return False, None
        self.n_left -= 1
        picture = np.zeros((4, 6, 3), np.uint8)
        picture[..., 0] = 255  # blue, in BGR
        return True, picture

    def get(self, prop: int) -> float:
        return 25.0

    def release(self) -> None:
        self.released = True


def test_webcam_frames_are_rgb_with_monotonic_times(monkeypatch: pytest.MonkeyPatch) -> None:
    import movelab.io.webcam as video_module

    monkeypatch.setattr(video_module.cv2, "VideoCapture", FakeCapture)
    with open_video("0", max_frames=4) as video:
        frames = list(video)
        info = video.info
    assert (info.source, info.path, info.width_px, info.height_px, info.fps_nominal) == ("webcam", None, 6, 4, 25.0)
    assert [frame.index for frame in frames] == [0, 1, 2, 3]
    assert frames[0].image[0, 0].tolist() == [0, 0, 255]  # blue, in RGB
    times = [frame.time_s for frame in frames]
    assert times[0] >= 0 and np.all(np.diff(times) > 0)
