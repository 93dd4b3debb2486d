"""Open a video file or a webcam and stream upright RGB frames with real timestamps.

Files are read with PyAV (one decoded frame at a time, so memory does not grow with the
length of the video); webcams with OpenCV.

Conventions
-----------
Frames
    ``Frame.image`` is ``(height, width, 3)`` ``uint8`` RGB, C-contiguous, of the **upright**
    picture: the display rotation stored in the file has already been applied.
Time
    ``Frame.time_s`` is the frame's presentation timestamp, ``pts * time_base`` in seconds, as the
    container gives it (the first frame may be at ``t > 0``; nothing is shifted). Times are made
    strictly increasing: a duplicate or decreasing pts becomes the previous time + 1 µs, a missing
    pts the previous time + 1/fps, each with one warning. For a webcam, ``time_s`` is
    ``time.monotonic()`` seconds since the camera was opened.
Rotation
    ``VideoInfo.rotation_deg`` is the **clockwise** rotation, in degrees (0, 90, 180 or 270),
    that was applied to the stored pixels to make them upright, exactly as ffmpeg/ffplay
    auto-rotate them. It is computed as ``(-frame.rotation) % 360``: PyAV's ``frame.rotation``
    is ``av_display_rotation_get()`` of the display matrix, i.e. counter-clockwise degrees,
    in [-180, 180]. Verified with av 18.1 (FFmpeg 8.1) against ffmpeg's own auto-rotation:

    ========================================  ==================  ================
    file                                      ``frame.rotation``  ``rotation_deg``
    ========================================  ==================  ================
    ``ffmpeg -display_rotation 90 ...``       90                  270
    ``ffmpeg -display_rotation 180 ...``      -180                180
    ``ffmpeg -display_rotation 270 ...``      -90                 90
    ``ffmpeg -display_rotation -90 ...``      -90                 90
    ========================================  ==================  ================

    ffmpeg's ``-display_rotation N`` means "rotate N degrees counter-clockwise for display",
    so ``rotation_deg == (-N) % 360``. A phone's portrait video stored landscape (ffprobe:
    "rotation of -90.00 degrees") has ``rotation_deg == 90``. OpenCV 5 reports the same number
    as ``CAP_PROP_ORIENTATION_META``. Mirroring in a display matrix is not applied.
Damaged files
    A file cut short yields the frames before the break (including those the decoder still
    held) and then warns :class:`~movelab.errors.TruncatedVideoWarning`; the evidence is a
    decode error, fewer frames than declared, frames ending short of the declared duration,
    or a last packet the demuxer flags as corrupt. A file with no decodable first frame raises
    :class:`~movelab.errors.UnreadableVideoError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from movelab.errors import ConfigError
from movelab.io.frames import Frame, VideoInfo, VideoReader, check_max_frames
from movelab.io.video_file import FileReader, open_file, probe_video, read_frame_times
from movelab.io.webcam import WebcamReader

__all__ = ["Frame", "VideoInfo", "VideoReader", "open_video", "probe_video", "read_frame_times", "frames_at_rows"]


def open_video(source: str | os.PathLike[str] | int, *, max_frames: int | None = None) -> VideoReader:
    """Open a video file or a webcam for streaming.

    Parameters
    ----------
    source : str, os.PathLike or int
        A video file path, or a webcam index: an ``int`` or a ``str`` of digits (``"0"``).
        To open a *file* named with digits, pass a ``pathlib.Path`` or ``"./0"``.
    max_frames : int, optional
        Stop after this many frames (no truncation warning is given then).

    Returns
    -------
    VideoReader
        A context manager with ``.info`` and single-pass iteration over :class:`Frame`.

    Raises
    ------
    VideoNotFoundError
        The path does not exist or is a directory.
    NotAVideoError
        The file is empty, is not a container ffmpeg knows, or has no video stream.
    UnreadableVideoError
        The video stream has no decodable first frame.
    InputError
        A webcam cannot be opened, or the file cannot be read (permissions).
    ConfigError
        ``max_frames`` is not a positive integer.

    Warns
    -----
    TruncatedVideoWarning
        During iteration, when the video ends early (decode error, or fewer frames than
        declared); the frames before the break are yielded.
    UserWarning
        During iteration, once, when timestamps had to be fixed to stay strictly increasing.

    Examples
    --------
    >>> with open_video("squat.mp4") as video:  # doctest: +SKIP
    ...     print(video.info.width_px, video.info.height_px)
    ...     for frame in video:
    ...         process(frame.time_s, frame.image)
    """
    check_max_frames(max_frames)
    if isinstance(source, bool):
        raise ConfigError(f"video source must be a path or a webcam index, got {source!r}")
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        return WebcamReader(int(source), max_frames=max_frames)
    path = os.fspath(source)
    container, stream, decoder, first = open_file(path)
    return FileReader(path, container, stream, decoder, first, max_frames=max_frames)


def frames_at_rows(source: str | os.PathLike[str], frame_index, wanted) -> Iterator[tuple[int, object]]:
    """``(row, image)`` for each frame of the video file ``source`` whose index is ``frame_index[row]`` with
    ``wanted[row]`` true: a kept landmark Dataset's frames (its ``frame`` and ``detected``) read again from the
    video it was extracted from, each once, in the file's order (``image`` as :class:`Frame` gives it)."""
    rows = {int(f): i for i, f in enumerate(frame_index)}
    with open_video(source) as reader:
        for frame in reader:
            row = rows.get(frame.index)
            if row is not None and bool(wanted[row]):
                yield row, frame.image
