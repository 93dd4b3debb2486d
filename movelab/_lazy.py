"""Package attributes imported on first use (PEP 562), so that importing a package stays cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_getattr(package: str, where: Mapping[str, str | tuple[str, str]], namespace: dict) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: each name in ``where`` is imported from its module on first use
    (``"module"`` for the same name there, or ``("module", "attribute")``) and kept in ``namespace`` (the
    package's ``globals()``), so it is looked up once."""

    def __getattr__(name: str) -> object:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        target = where[name]
        module, attribute = target if isinstance(target, tuple) else (target, name)
        value = getattr(importlib.import_module(module), attribute)
        namespace[name] = value
        return value

    return __getattr__


def keep_dask_out() -> bool:
    """Make this process see dask as not installed, unless it is imported already.

    xarray recognises dask arrays by importing ``dask.array`` on its first operation whenever dask is
    installed (the ``dask`` extra, e.g. for ``movelab batch --engine dask``): 0.3 s of CPU in every process,
    as much as loading a 10-minute landmark file. The ``movelab`` commands that never hand xarray a dask array
    (``extract``, ``analyse``, ``record``) call this first, so that they run as in an install without the extra;
    a program that imports movelab keeps dask. It marks the package as absent the way Python documents
    (``sys.modules["dask"] = None``: ``import dask`` raises ImportError, ``importlib.util.find_spec`` finds
    nothing), so xarray and pandas take their paths for a missing dask.

    Returns
    -------
    bool
        True when dask is kept out now; False when it was imported before (then it stays).
    """
    import sys

    if sys.modules.get("dask", None) is not None:
        return False
    sys.modules["dask"] = None
    _forget_xarray_dask_check()
    return True


def let_dask_back(kept_out: bool) -> None:
    """Undo :func:`keep_dask_out` (given what it returned), for a command run inside a longer process (a test,
    a notebook calling ``movelab.cli.main``): dask is installed again for what runs next."""
    import sys

    if kept_out and "dask" in sys.modules and sys.modules["dask"] is None:
        del sys.modules["dask"]
        _forget_xarray_dask_check()


def _forget_xarray_dask_check() -> None:
    """xarray caches whether dask is installed (``module_available``, an ``lru_cache``) on first use; when it
    has already looked, it would go on importing ``dask.base`` from a package marked absent."""
    import sys

    utils = sys.modules.get("xarray.namedarray.utils")
    cache_clear = getattr(getattr(utils, "module_available", None), "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
