"""The package's wiring: no import cycle, light stages that load no video or pose library, one analysis data
model built once (each position variant cleaned once) and the user's kinematics settings reaching every stage
that reads positions. Fast: no pose model, no video."""

from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import movelab

PACKAGE = Path(movelab.__file__).resolve().parent
HEAVY = ("cv2", "av", "mediapipe", "matplotlib")


# ----------------------------------------------------------------------------- the import graph


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: module level, inside ``if``/``try`` blocks there, but not
    inside functions or classes, nor under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, ast.If):
                if "TYPE_CHECKING" not in ast.unparse(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    visit(block)

    visit(tree.body)
    return found


def _import_graph() -> dict[str, set[str]]:
    """``module -> modules of movelab it imports when it is imported`` (``from a import b`` is an edge to
    ``a.b`` when that is a module, else to ``a``)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _top_level_imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_covers_every_module_and_sees_real_edges():
    graph = _import_graph()
    assert "movelab.kinematics.angles" in graph and "movelab.events.segmentation" in graph
    assert "movelab.kinematics.geometry" in graph["movelab.kinematics.angles"]


def test_no_import_cycle_between_movelab_modules():
    assert _cycle(_import_graph()) is None


def test_no_module_imports_a_private_name_from_another_package():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("movelab"):
                source_package = node.module if node.module in modules and \
                    modules[node.module].name == "__init__.py" else node.module.rpartition(".")[0]
                private = node.module.rpartition(".")[2].startswith("_") and not node.module.endswith("__")
                private |= any(a.name.startswith("_") and a.name != "__version__" for a in node.names)
                inside = package == source_package or package.startswith(source_package + ".")
                if private and not inside:  # a package's private parts serve it and its subpackages only
                    offenders.append(f"{name}: from {node.module} import {[a.name for a in node.names]}")
    assert offenders == []


@pytest.mark.parametrize("module", ["movelab", "movelab.kinematics", "movelab.events", "movelab.findings",
                                    "movelab.analysis", "movelab.config"])
def test_importing_a_light_stage_loads_no_video_pose_or_plotting_library(module):
    code = (f"import sys, json, {module}; "
            f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_package_root_still_offers_extract_lazily():
    code = ("import sys, movelab; assert 'cv2' not in sys.modules; f = movelab.extract; "
            "print(f.__module__, 'cv2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["movelab.extraction", "True"]
