"""Where movelab keeps what it can compute again: landmark files keyed by video content, model and settings.

The folder is ``$MOVELAB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/movelab`` or ``~/.cache/movelab``.
Nothing is created until something is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

__all__ = ["cache_dir", "file_sha256", "landmark_cache_path", "extraction_code_sha256", "extraction_modules"]

#: The top-level modules whose code decides what extraction produces; with every module of the ``pose`` and ``io``
#: packages (:func:`extraction_modules`), a change to any of them invalidates the cache.
_EXTRACTION_TOP_MODULES = ("extraction.py", "extraction_rows.py", "landmarks.py", "parallel.py")
_EXTRACTION_PACKAGES = ("pose", "io")


def cache_dir() -> Path:
    """The root of movelab's cache (not created here)."""
    if os.environ.get("MOVELAB_CACHE_DIR"):
        return Path(os.environ["MOVELAB_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "movelab"


def file_sha256(path: str | os.PathLike, *, chunk_bytes: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks (memory does not grow with the file).

    Remembered within the process for the same file unchanged (its path, inode, size and modification and
    change times): :func:`movelab.analyse` looks a video up in the landmark cache before extracting it and
    the extraction looks again, and every extraction names the model file; each is read once.
    """
    stat = os.stat(path)
    version = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    return _sha256_of(os.path.realpath(path), version, chunk_bytes)


@functools.lru_cache(maxsize=64)
def _sha256_of(path: str, version: tuple[int, int, int, int], chunk_bytes: int) -> str:
    """:func:`file_sha256` of ``path`` as it is now (``version``: its inode, size, modification and change
    times, which only key the memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def extraction_modules() -> tuple[str, ...]:
    """The modules whose source keys the landmark cache, relative to the package: the top-level extraction
    modules and every module of ``movelab.pose`` and ``movelab.io`` (a module added there is covered without
    being listed; the mirror pass once was not)."""
    package = Path(__file__).resolve().parent
    packaged = (
        p.relative_to(package).as_posix() for name in _EXTRACTION_PACKAGES for p in (package / name).glob("*.py")
    )
    return _EXTRACTION_TOP_MODULES + tuple(sorted(packaged))


def extraction_code_sha256() -> str:
    """SHA-256 over the source of the modules that produce landmarks (:func:`extraction_modules`)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in extraction_modules():
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def landmark_cache_path(*, video_sha256: str, model_sha256: str, settings: dict, schema_version: int) -> Path:
    """The cache file for one video analysed with one model, one set of settings and this extraction code."""
    key_text = json.dumps(
        {
            "video": video_sha256,
            "model": model_sha256,
            "settings": settings,
            "schema": schema_version,
            "code": extraction_code_sha256(),
        },
        sort_keys=True,
    )
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    return cache_dir() / "landmarks" / f"{key}.nc"
