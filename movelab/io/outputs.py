"""Writing result files atomically: all of a run's files appear together, or none do."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["write_outputs", "write_json"]


def write_json(data: Any, path: str | os.PathLike) -> None:
    """Write ``data`` as indented JSON (UTF-8) to ``path``."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, allow_nan=False, default=_json_default)
        handle.write("\n")


def _json_default(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_outputs(out_dir: str | os.PathLike, writers: Mapping[str, Callable[[Path], Any]]) -> list[Path]:
    """Run each ``writer(path)`` into a staging folder, then move every file into ``out_dir``.

    If any writer fails, nothing is moved, the staging folder is removed, and ``out_dir`` is not
    created. Each file is moved with ``os.replace`` (atomic on one file system), so a reader never sees
    a half-written file.
    """
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=parent))
    try:
        for name, writer in writers.items():
            writer(staging / name)
        out_dir.mkdir(exist_ok=True)
        moved = []
        for name in writers:
            os.replace(staging / name, out_dir / name)
            moved.append(out_dir / name)
        return moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)
