"""The kinematics results of a landmark Dataset kept in the cache beside the landmarks, so a second analysis of the
same landmarks with the same settings reads them instead of computing them again.

What is kept is everything :func:`movelab.kinematics.compute_motion` computes (views, per-frame views, the three
cleaned position variants, the angle table, the outline table); the Dataset and the settings are the caller's.
The key (:func:`motion_cache_path`) is a digest of the Dataset's contents (:func:`dataset_digest`: XXH3-128, or
SHA-256 where the ``xxhash`` package is missing), the kinematics settings, the source of the kinematics code
(:data:`_KINEMATICS_CODE`) and the versions of the libraries whose objects are stored, so any
change to one of them misses. The entry is a pickle written by this
module into the user's own cache folder (``$MOVELAB_CACHE_DIR/motion``), written atomically; an entry that cannot
be read back (truncated, from another version, not what this module writes) is a miss: it is removed, computed
again and written anew. Cost and gain: ``docs/pose-accuracy.md`` (Speed).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import warnings
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import xarray as xr

from movelab.cache import cache_dir
from movelab.kinematics import KinematicsConfig, Motion, compute_motion
from movelab.kinematics.camera_roll import level_landmarks
from movelab.kinematics.motion import Positions

__all__ = ["cached_motion", "chain_table", "dataset_digest", "motion_cache_path"]

#: Layout of an entry; raise it when what is stored changes shape.
_FORMAT = 2
#: Files whose code decides what compute_motion returns (the kinematics package, the Dataset's rules, this file).
_KINEMATICS_CODE = ("kinematics", "landmarks.py", "motion_cache.py")
#: Dataset attributes that say how the Dataset was obtained, not what it holds.
_VOLATILE_ATTRS = frozenset({"from_cache"})
#: What an entry holds besides the format number.
_FIELDS = ("views", "frame_views", "cleaned", "unfiltered", "label_free", "angles", "outline", "camera_roll")


def dataset_digest(ds: xr.Dataset) -> str:
    """A digest of a Dataset's variables and coordinates (name, dtype, shape, dims, bytes) and its attributes
    (except :data:`_VOLATILE_ATTRS`), in a fixed order, prefixed by the hash's name (``"xxh3_128:..."``).

    Notes
    -----
    The hash is XXH3-128 (the ``xxhash`` package): a 10-minute 60 fps Dataset with its outline is about 250 MB,
    which SHA-256 took 0.12 s (idle) to 0.33 s (loaded machine) to read on every warm analysis and XXH3 about
    0.015 s (``docs/pose-accuracy.md``, Speed). It is not a cryptographic hash: the key guards against stale
    entries in the user's own cache, not against someone forging landmarks whose digest collides. Without
    ``xxhash`` installed the digest is SHA-256 (a different key, so the two never mix up entries).
    """
    digest = _new_hash()
    for name in sorted(map(str, ds.variables)):
        values = np.ascontiguousarray(ds.variables[name].values)
        digest.update(f"{name}|{values.dtype.str}|{values.shape}|{ds.variables[name].dims}".encode())
        if values.dtype.kind in "OU":
            digest.update(json.dumps(values.tolist(), default=str).encode())
        else:
            digest.update(memoryview(values).cast("B"))
    attrs = {k: v for k, v in ds.attrs.items() if k not in _VOLATILE_ATTRS}
    digest.update(json.dumps(attrs, sort_keys=True, default=str).encode())
    return f"{digest.name}:{digest.hexdigest()}"


def _new_hash():
    """A new XXH3-128 hash, or SHA-256 when ``xxhash`` is not installed (both with ``name``, ``update``,
    ``hexdigest``)."""
    try:
        import xxhash
    except ImportError:
        return hashlib.sha256()
    return xxhash.xxh3_128()


def _code_sha256() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _KINEMATICS_CODE:
        path = package / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(package)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def motion_cache_path(ds: xr.Dataset, config: KinematicsConfig) -> Path:
    """The cache entry for the kinematics of ``ds`` computed with ``config`` by this code."""
    key_text = json.dumps(
        {
            "format": _FORMAT,
            "landmarks": dataset_digest(ds),
            "settings": repr(config),
            "code": _code_sha256(),
            "libraries": [np.__version__, pd.__version__, xr.__version__, scipy.__version__],
        },
        sort_keys=True,
    )
    return cache_dir() / "motion" / f"{hashlib.sha256(key_text.encode()).hexdigest()[:32]}.pkl"


def cached_motion(ds: xr.Dataset, *, config: KinematicsConfig = KinematicsConfig()) -> Motion:
    """:func:`movelab.kinematics.compute_motion` of ``ds`` (views detected), read from the cache when this
    Dataset was analysed before with these settings and this code, else computed and kept.

    Returns
    -------
    Motion
        The same tables as ``compute_motion(ds, config=config)``; ``landmarks`` is ``ds`` itself.
    """
    path = motion_cache_path(ds, config)
    motion = _read(path, ds, config)
    if motion is None:
        motion = compute_motion(ds, config=config)
        _write(path, _entry(motion))
    _ENTRIES[id(motion)] = (weakref.ref(motion, lambda _, key=id(motion): _ENTRIES.pop(key, None)), path)
    return motion


#: The Motions this process computed or read through the cache: ``id`` -> (weak reference, entry path).
_ENTRIES: dict[int, tuple[weakref.ref, Path]] = {}


def chain_table(motion: Motion) -> pd.DataFrame:
    """:func:`movelab.kinematics.posture_chain.chain_table` of ``motion`` with its default settings, kept
    beside the motion's cache entry (``<entry>.chain``) when ``motion`` came from :func:`cached_motion`, so a
    second analysis reads it instead of running the per-frame kyphosis estimate again (its key is the
    motion's: the landmarks, the kinematics settings, the kinematics code, which holds the chain's defaults).
    For any other Motion it is computed. Either way a second call for the same Motion in this process returns a
    copy of the first table."""
    from movelab.kinematics.posture_chain import chain_table as compute

    held = _TABLES.get(id(motion))
    if held is not None and held[0]() is motion:
        return held[1].copy()  # a copy: callers add columns
    table = _kept_or_computed(motion, compute)
    _TABLES[id(motion)] = (weakref.ref(motion, lambda _, key=id(motion): _TABLES.pop(key, None)), table.copy())
    return table


#: Chain tables this process already has, per Motion (the FMS score and the report's plots both ask).
_TABLES: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def _kept_or_computed(motion: Motion, compute) -> pd.DataFrame:
    known = _ENTRIES.get(id(motion))
    path = known[1].with_suffix(".chain") if known is not None and known[0]() is motion else None
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as handle:
                entry = pickle.load(handle)
            table = entry["chain"]
            if entry.get("format") != _FORMAT or not np.array_equal(table["frame"].to_numpy(), motion.frame):
                raise ValueError("not the chain table of these frames")
            return table
        except Exception:  # a broken entry must not stop an analysis: compute again (and overwrite it)
            path.unlink(missing_ok=True)
    table = compute(motion)
    if path is not None:
        _write(path, {"format": _FORMAT, "chain": table})
    return table


def _read(path: Path, ds: xr.Dataset, config: KinematicsConfig) -> Motion | None:
    """The Motion kept at ``path``, or None (nothing there, or an entry that cannot be used: it is removed)."""
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            entry = pickle.load(handle)
        if not (isinstance(entry, dict) and entry.get("format") == _FORMAT and set(_FIELDS) <= entry.keys()):
            raise ValueError(f"not a movelab motion cache entry of format {_FORMAT}")
        positions = Positions(cleaned=entry["cleaned"], unfiltered=entry["unfiltered"], label_free=entry["label_free"])
        roll = entry["camera_roll"]
        motion = Motion(
            landmarks=ds if roll is None else level_landmarks(ds, roll.applied_deg),
            config=config,
            views=entry["views"],
            frame_views=entry["frame_views"],
            positions=positions,
            angles=entry["angles"],
            outline=entry["outline"],
            camera_roll=roll,
        )
    except Exception:  # a broken entry must not stop an analysis: compute again (and overwrite it)
        path.unlink(missing_ok=True)
        return None
    if roll is not None and roll.warning:  # the same warning as when it was computed
        warnings.warn(roll.warning, UserWarning, stacklevel=3)
    return motion


def _entry(motion: Motion) -> dict:
    return {
        "format": _FORMAT,
        "views": motion.views,
        "frame_views": motion.frame_views,
        "cleaned": motion.positions.cleaned,
        "unfiltered": motion.positions.unfiltered,
        "label_free": motion.positions.label_free,
        "angles": motion.angles,
        "outline": motion.outline,
        "camera_roll": motion.camera_roll,
    }


def _write(path: Path, entry: dict) -> None:
    """Keep ``entry`` at ``path`` (atomically; a failure to write only loses the cache)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.stem, suffix=".tmp", delete=False) as handle:
            tmp = Path(handle.name)
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
