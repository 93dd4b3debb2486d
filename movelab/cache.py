"""Where movelab keeps what it can compute again: landmark files keyed by video content, model and settings.

The folder is ``$MOVELAB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/movelab`` or ``~/.cache/movelab``.
Nothing is created until something is written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

__all__ = ["cache_dir", "file_sha256", "landmark_cache_path"]


def cache_dir() -> Path:
    """The root of movelab's cache (not created here)."""
    if os.environ.get("MOVELAB_CACHE_DIR"):
        return Path(os.environ["MOVELAB_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "movelab"


def file_sha256(path: str | os.PathLike, *, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks (memory does not grow with the file)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def landmark_cache_path(*, video_sha256: str, model_sha256: str, settings: dict, schema_version: int) -> Path:
    """The cache file for one video analysed with one model and one set of settings."""
    key_text = json.dumps(
        {"video": video_sha256, "model": model_sha256, "settings": settings, "schema": schema_version},
        sort_keys=True,
    )
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    return cache_dir() / "landmarks" / f"{key}.nc"
