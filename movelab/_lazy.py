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
