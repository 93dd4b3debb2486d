"""Where the app keeps things: one data folder, generated names only.

Layout (``DIR`` is ``--data-dir``)::

    DIR/movelab.sqlite3          clients and analyses (schema-versioned, :mod:`movelab.app.db`)
    DIR/videos/<id>.<ext>        each uploaded or recorded video, as received
    DIR/sessions/<id>/           the analysis outputs (report.json, angles.csv, timeline.png, report.html,
                                 overlay.mp4 with faces blurred)
    DIR/incoming/                uploads being received (emptied at every start)
    DIR/server.lock              held by the running server

``<id>`` is a random 32-hex-digit name made here; nothing a client sends becomes part of a path.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from movelab.errors import ConfigError

__all__ = ["DataDir", "new_id", "is_id", "SESSION_FILES"]

_ID = re.compile(r"[0-9a-f]{32}")
#: Files of a session folder the app serves, and their media types (nothing else is ever served from it).
SESSION_FILES = {
    "report.json": "application/json",
    "report.html": "text/html; charset=utf-8",
    "angles.csv": "text/csv; charset=utf-8",
    "timeline.png": "image/png",
    "overlay.mp4": "video/mp4",
}


def new_id() -> str:
    """A fresh random id: 32 hex digits (128 bits)."""
    return secrets.token_hex(16)


def is_id(text: str) -> bool:
    return bool(_ID.fullmatch(text or ""))


@dataclass(frozen=True)
class DataDir:
    """The app's data folder; every path the app touches is made here from ids it generated."""

    root: Path

    @classmethod
    def create(cls, root: str | os.PathLike) -> DataDir:
        path = Path(root).expanduser().resolve()
        try:
            for sub in ("videos", "sessions", "incoming"):
                (path / sub).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ConfigError(f"cannot use {path} as the data folder: {err.strerror}") from None
        return cls(path)

    @property
    def database(self) -> Path:
        return self.root / "movelab.sqlite3"

    def video(self, analysis_id: str, extension: str) -> Path:
        return self.root / "videos" / f"{_checked(analysis_id)}.{extension}"

    def session(self, analysis_id: str) -> Path:
        return self.root / "sessions" / _checked(analysis_id)

    def session_file(self, analysis_id: str, name: str) -> Path | None:
        """A servable output file of a session, or None if the name is not one of :data:`SESSION_FILES`."""
        if name not in SESSION_FILES:
            return None
        path = self.session(analysis_id) / name
        return path if path.is_file() else None

    def incoming(self) -> Path:
        return self.root / "incoming" / f"{new_id()}.part"

    def clear_incoming(self) -> None:
        for part in (self.root / "incoming").glob("*.part"):
            part.unlink(missing_ok=True)

    def remove(self, analysis_id: str, video_file: str | None) -> None:
        """Delete a session's outputs and its video."""
        shutil.rmtree(self.session(analysis_id), ignore_errors=True)
        if video_file:
            (self.root / "videos" / Path(video_file).name).unlink(missing_ok=True)

    def lock(self):
        """Hold ``server.lock`` for this process's life; one server per data folder.

        Raises
        ------
        movelab.errors.ConfigError
            Another ``movelab serve`` already uses this folder.
        """
        handle = open(self.root / "server.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise ConfigError(
                f"another movelab serve already uses {self.root}; stop it or pick another --data-dir"
            ) from None
        return handle


def _checked(analysis_id: str) -> str:
    if not is_id(analysis_id):
        raise ValueError(f"expected an id of 32 hex digits, got {analysis_id!r}")
    return analysis_id
