"""The landmark cache's entry for a video, looked up before the video is opened.

A second analysis of the same video reads its landmarks from the cache (:mod:`movelab.cache`); finding them
needs the file's bytes, the model and the settings, not the video decoder. This module imports neither PyAV
nor OpenCV (nor the extraction pipeline, which loads both: 0.17 s of CPU), so :func:`movelab.analyse` of a
cached video loads none of them; :func:`movelab.extraction.extract` looks here first too.
"""

from __future__ import annotations

import os
from pathlib import Path

import xarray as xr

from movelab import landmarks as lm
from movelab.cache import file_sha256, landmark_cache_path
from movelab.errors import LandmarkFileError, MovelabError
from movelab.pose.config import ExtractConfig

__all__ = ["video_file", "cache_entry", "load_cached", "cached_landmarks"]


def video_file(source: str | os.PathLike | int) -> str | None:
    """The path of ``source`` when it names an existing file (as :func:`movelab.io.video.open_video` reads it),
    else None: a webcam index, or a path that opening will refuse with its own message."""
    if isinstance(source, (bool, int)) or (isinstance(source, str) and source.isdigit()):
        return None
    path = os.fspath(source)
    return path if os.path.isfile(path) else None


def cache_entry(path: str | None, config: ExtractConfig, *, use_cache: bool) -> tuple[Path, str, Path | None]:
    """The model file, the video's SHA-256 (empty for a webcam: ``path`` None) and the cache file (None: no
    cache) of the video file ``path`` extracted with ``config``."""
    from movelab.pose.bundle import resolve_model

    model_path = resolve_model(config.model)  # builds the default model on first use, saying so
    video_sha256 = file_sha256(path) if path is not None else ""
    cache_path = None
    if video_sha256 and use_cache:
        cache_path = landmark_cache_path(
            video_sha256=video_sha256,
            model_sha256=file_sha256(model_path),
            settings=config.cache_key_fields(),
            schema_version=lm.SCHEMA_VERSION,
        )
    return model_path, video_sha256, cache_path


def load_cached(cache_path: Path, source_path: str) -> xr.Dataset | None:
    """The landmarks kept at ``cache_path``, marked as read from the cache for ``source_path``; None when there
    are none or the entry is damaged (it is then computed again)."""
    if not cache_path.is_file():
        return None
    try:
        ds = lm.load(cache_path)
    except LandmarkFileError:
        return None
    ds.attrs["source_path"] = str(source_path)
    ds.attrs["from_cache"] = True
    return ds


def cached_landmarks(source: str | os.PathLike | int, *, config: ExtractConfig = ExtractConfig()) -> xr.Dataset | None:
    """The landmarks of the video file ``source`` kept in the cache for ``config`` and this extraction code, or
    None (a webcam, a path that is no file, nothing kept): then extract them. Nothing is written or decoded
    here (the default model is built on first use, as extraction would before looking in the cache)."""
    path = video_file(source)
    if path is None:
        return None
    try:
        _, _, cache_path = cache_entry(path, config, use_cache=True)
    except (MovelabError, OSError):  # no usable model, an unreadable file: extraction says what is wrong
        return None
    return load_cached(cache_path, path) if cache_path is not None else None
