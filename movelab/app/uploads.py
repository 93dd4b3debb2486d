"""Receiving a video upload: streamed to a generated file, counted against the size limit, checked by content.

The multipart body is parsed as it arrives (python-multipart's streaming parser): the ``video`` part goes
straight into ``DIR/incoming/<random>.part`` and the byte count is checked on every chunk, so an oversize
upload is refused (413) when the limit is passed, never stored whole. The file name the browser sends is
never used. Afterwards the content decides: the first bytes must announce a container ffmpeg reads for
videos (MP4/MOV, Matroska/WebM, AVI) and PyAV must decode a first video frame.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

__all__ = ["UploadError", "Received", "receive_upload", "check_video"]

_FIELD_LIMIT_BYTES = 1024
#: Multipart framing around the file (boundaries, part headers, small fields) allowed above the limit.
_OVERHEAD_BYTES = 64 * 1024


class UploadError(Exception):
    """An upload refused: an HTTP status and a one-line message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Received:
    """What an upload brought: the stored video part (or None) and the small text fields."""

    video: Path | None = None
    video_bytes: int = 0
    fields: dict[str, str] = field(default_factory=dict)


async def receive_upload(headers, stream: AsyncIterator[bytes], *, part_path: Path, max_bytes: int) -> Received:
    """Parse a ``multipart/form-data`` body into ``part_path`` (the ``video`` field) and small fields.

    Raises
    ------
    UploadError
        413 when the body announces or reaches more than ``max_bytes`` (+ framing); 400 for a body that
        is not multipart or has no ``video`` file; the partial file is removed on every error.
    """
    content_type, options = parse_options_header(headers.get("content-type"))
    if content_type != b"multipart/form-data" or b"boundary" not in options:
        raise UploadError(400, "expected a multipart/form-data upload with a 'video' file field")
    declared = headers.get("content-length")
    limit = max_bytes + _OVERHEAD_BYTES
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise UploadError(413, _too_large(max_bytes))
    sink = _Sink(part_path, max_bytes)
    parser = MultipartParser(options[b"boundary"], sink.callbacks())
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > limit:
                raise UploadError(413, _too_large(max_bytes))
            parser.write(chunk)
            if sink.error is not None:
                raise sink.error
        parser.finalize()
        if sink.error is not None:
            raise sink.error
    except UploadError:
        sink.discard()
        raise
    except Exception as err:  # a malformed body or a dropped connection: never keep the partial file
        sink.discard()
        raise UploadError(400, f"the upload could not be read ({type(err).__name__}); send it again") from None
    finally:
        sink.close()
    return Received(video=part_path if sink.wrote else None, video_bytes=sink.size, fields=sink.fields)


def check_video(path: Path) -> str:
    """The container of an uploaded file, judged from its content; returns a file extension.

    Raises
    ------
    UploadError
        400 for an empty file, 415 for content that is not a video container, 422 for a video
        container with no decodable frame (e.g. cut short).
    """
    from movelab.errors import InputError
    from movelab.io.video import open_video

    size = path.stat().st_size
    if size == 0:
        raise UploadError(400, "the uploaded file is empty (0 bytes); choose a video file")
    extension = _container_extension(path)
    if extension is None:
        raise UploadError(
            415,
            "the uploaded file is not a video (expected MP4, MOV, WebM/Matroska or AVI "
            "content; the file name does not count)",
        )
    try:
        with open_video(path, max_frames=1) as reader:
            next(iter(reader), None)
    except InputError as err:
        message = str(err).replace(f"'{path}'", "the upload").replace(str(path), "the upload")
        raise UploadError(422, message) from None
    return extension


def _container_extension(path: Path) -> str | None:
    with open(path, "rb") as handle:
        head = handle.read(12)
    if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return "mov" if head[8:10] == b"qt" else "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    return None


def _too_large(max_bytes: int) -> str:
    return (
        f"the upload is larger than this server's limit of {max_bytes / 1e6:.0f} MB; trim the video or "
        "start the server with a larger --max-upload-mb"
    )


class _Sink:
    """python-multipart callbacks: the 'video' file part to disk, other fields to a small dict."""

    def __init__(self, part_path: Path, max_bytes: int) -> None:
        self.part_path, self.max_bytes = part_path, max_bytes
        self.fields: dict[str, str] = {}
        self.size = 0
        self.wrote = False
        self.error: UploadError | None = None
        self._file = None
        self._headers: dict[bytes, bytes] = {}
        self._name: bytes = b""
        self._value = bytearray()
        self._is_file = False

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._field,
            "on_header_value": self._hvalue,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._headers, self._value, self._hf, self._hv = {}, bytearray(), b"", b""

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._hf += data[start:end]

    def _hvalue(self, data: bytes, start: int, end: int) -> None:
        self._hv += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._hf.lower()] = self._hv
        self._hf, self._hv = b"", b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition"))
        self._name = options.get(b"name", b"")
        self._is_file = b"filename" in options
        if self._is_file:
            if self._name != b"video":
                self.error = UploadError(400, "unexpected file field; send the video in the field 'video'")
            elif self.wrote:
                self.error = UploadError(400, "one video per upload; send the others separately")
            else:
                self._file = open(self.part_path, "wb")
                self.wrote = True

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self._is_file and self._file is not None:
            self.size += end - start
            if self.size > self.max_bytes:
                self.error = UploadError(413, _too_large(self.max_bytes))
                return
            self._file.write(data[start:end])
        else:
            self._value += data[start:end]
            if len(self._value) > _FIELD_LIMIT_BYTES:
                self.error = UploadError(400, f"the form field {self._name.decode(errors='replace')!r} is too long")

    def _end(self) -> None:
        if self._is_file:
            if self._file is not None:
                self._file.close()
                self._file = None
        elif self.error is None:
            self.fields[self._name.decode(errors="replace")] = self._value.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self) -> None:
        self.close()
        self.part_path.unlink(missing_ok=True)
