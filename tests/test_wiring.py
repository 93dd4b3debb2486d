"""The package's wiring: no import cycle, light stages that load no video or pose library, one analysis data
model built once (each position variant cleaned once) and the user's kinematics settings reaching every stage
that reads positions. Fast: no pose model, no video."""

from __future__ import annotations

import ast
import dataclasses
import functools
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


@functools.cache
def _tree(path: Path) -> ast.Module:
    """``path`` parsed once per test process: the checks below only read the trees, and they walk every module
    of the package six times between them."""
    return ast.parse(path.read_text(), filename=str(path))


def _imports(tree: ast.Module, *, deferred: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a module: those run when it is imported (module level, inside ``if``/``try``
    blocks there), and with ``deferred`` also those inside functions and classes (an import moved into a
    function to dodge a cycle is still a dependency the wrong way). Never those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(nodes: list[ast.AST]) -> None:
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                if deferred:
                    visit(list(ast.iter_child_nodes(node)))
            else:
                visit(list(ast.iter_child_nodes(node)))

    visit(tree.body)
    return found


def _import_graph(*, deferred: bool = True) -> dict[str, set[str]]:
    """``module -> modules of movelab it imports`` (:func:`_imports`; ``from a import b`` is an edge to ``a.b``
    when that is a module, else to ``a``)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(_tree(path), deferred=deferred):
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
                return stack[stack.index(nxt) :] + [nxt]
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
    """Not even through an import deferred into a function (``outline`` importing ``angles`` back, the
    extraction importing the package root for its version)."""
    assert _cycle(_import_graph(deferred=False)) is None
    assert _cycle(_import_graph(deferred=True)) is None


def test_the_graph_sees_deferred_imports():
    """The import walk finds an import inside a function and skips one under ``if TYPE_CHECKING:``."""
    tree = ast.parse("import a\nif TYPE_CHECKING:\n    import b\ndef f():\n    import c\n")
    assert [n.names[0].name for n in _imports(tree, deferred=False)] == ["a"]
    assert [n.names[0].name for n in _imports(tree, deferred=True)] == ["a", "c"]


def test_no_module_imports_a_private_name_from_another_package():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("movelab"):
                source_package = (
                    node.module
                    if node.module in modules and modules[node.module].name == "__init__.py"
                    else node.module.rpartition(".")[0]
                )
                private = node.module.rpartition(".")[2].startswith("_") and not node.module.endswith("__")
                private |= any(a.name.startswith("_") for a in node.names)
                inside = package == source_package or package.startswith(source_package + ".")
                if private and not inside:  # a package's private parts serve it and its subpackages only
                    offenders.append(f"{name}: from {node.module} import {[a.name for a in node.names]}")
    assert offenders == []


#: Signatures fixed by someone else: ``warnings.showwarning``'s six positional parameters.
_PROTOCOL_SIGNATURES = {"movelab.cli._show_warning"}


def _long_positional_signatures(max_positional: int) -> list[str]:
    found = []
    for name, path in _modules().items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                if len(args) > max_positional and f"{name}.{node.name}" not in _PROTOCOL_SIGNATURES:
                    found.append(f"{name}.{node.name}({', '.join(args)})")
    return found


def test_no_function_takes_more_than_five_positional_values():
    """Issue 12: keyword-only arguments (or a small dataclass) where a function takes more than ~5 values."""
    assert _long_positional_signatures(5) == []
    assert _long_positional_signatures(2), "the check sees positional parameters"


@pytest.mark.parametrize(
    "module",
    ["movelab", "movelab.kinematics", "movelab.events", "movelab.findings", "movelab.analysis", "movelab.config"],
)
def test_importing_a_light_stage_loads_no_video_pose_or_plotting_library(module):
    code = f"import sys, json, {module}; print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_package_root_still_offers_extract_lazily():
    code = (
        "import sys, movelab; assert 'cv2' not in sys.modules; f = movelab.extract; "
        "print(f.__module__, 'cv2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["movelab.extraction", "True"]


# ----------------------------------------------------------------------------- work once, settings everywhere

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="module")
def two_squats():
    """Two squats to 100° knee flexion with the trunk leaning 35°, filmed from the client's right (the
    synthetic figure of tests/test_events.py): a squat with reps, heels and findings to compute."""
    from test_events import figure, squat_motion

    t, hip, ankles, lean, _ = squat_motion()
    return figure(t, hip=hip, ankles=ankles, lean_deg=lean)


@pytest.fixture
def cleaning_calls(monkeypatch):
    """Every call of ``clean_positions`` during the test, as the config it was given: the function is
    replaced by a recording spy in every loaded movelab module that holds it, under any name."""
    import importlib

    from movelab.kinematics import clean

    importlib.import_module("movelab.analysis")
    real = clean.clean_positions
    calls = []

    def spy(ds, *, config, views=None):
        calls.append(config)
        return real(ds, config=config, views=views)

    for module in [m for name, m in sys.modules.items() if name.startswith("movelab") and m is not None]:
        for attribute, value in list(vars(module).items()):
            if value is real:
                monkeypatch.setattr(module, attribute, spy)
    return calls


def _variant_fields(config) -> tuple:
    return (config.lowpass, config.swap_partial, config.fix_leg_swaps, config.reject_outliers)


def test_one_analysis_cleans_each_position_variant_once(two_squats, cleaning_calls):
    from movelab.analysis import analyse_landmarks

    analysis = analyse_landmarks(two_squats)
    assert analysis.segmentation.movement == "squat" and len(analysis.segmentation.reps) == 2
    variants = [_variant_fields(c) for c in cleaning_calls]
    assert len(variants) == 3 and len(set(variants)) == 3, variants


@pytest.mark.parametrize("movement", ["posture", "gait", "lunge"])
def test_every_movement_cleans_each_variant_once(two_squats, cleaning_calls, movement):
    from movelab.analysis import analyse_landmarks

    analyse_landmarks(two_squats, movement=movement)
    assert len(cleaning_calls) == 3 and len({_variant_fields(c) for c in cleaning_calls}) == 3


def test_a_kinematics_setting_reaches_every_stage_that_cleans_positions(two_squats, cleaning_calls):
    from movelab.analysis import analyse_landmarks
    from movelab.config import Config
    from movelab.kinematics import KinematicsConfig

    mine = KinematicsConfig(cutoff_hz=4.0, min_confidence=0.4, hampel_n_sigma=4.0, max_gap_s=0.3)
    analysis = analyse_landmarks(two_squats, config=Config(kinematics=mine))
    assert len(cleaning_calls) == 3
    for config in cleaning_calls:
        variant = {
            f.name: getattr(config, f.name)
            for f in dataclasses.fields(config)
            if f.name not in ("lowpass", "swap_partial", "swap_stance", "fix_leg_swaps", "reject_outliers")
        }
        assert variant == {name: getattr(mine, name) for name in variant}
    assert analysis.motion.config is mine


def test_the_later_stages_read_the_positions_of_the_analysis_data(two_squats, monkeypatch):
    """The events and the findings read the Motion's cleaned positions (the same objects), not positions of
    their own."""
    from movelab.analysis import analyse_landmarks
    from movelab.events import _signals
    from movelab.findings import _context

    seen = {}
    real_signals, real_heel = _signals.build_signals, _context.heel_rise_deg

    def signals_spy(motion, *, config):
        seen["signals"] = real_signals(motion, config=config)
        return seen["signals"]

    def heel_spy(position, standing, **outline):
        seen["heel"] = position
        return real_heel(position, standing, **outline)

    monkeypatch.setattr("movelab.events.segmentation.build_signals", signals_spy)
    monkeypatch.setattr(_context, "heel_rise_deg", heel_spy)  # the findings read it once, in the context
    analysis = analyse_landmarks(two_squats)
    positions = analysis.motion.positions
    assert seen["signals"].position is positions.cleaned
    assert seen["signals"].unfiltered is positions.unfiltered and seen["signals"].label_free is positions.label_free
    assert seen["heel"] is positions.cleaned


def test_a_stricter_confidence_gate_changes_what_the_events_and_findings_see(two_squats):
    """A client seen with confidence 0.8 everywhere: the default gate (0.3) keeps every keypoint and the
    squats are found; a kinematics gate of 0.9 removes every keypoint, and the events and findings, which
    read no positions cleaned with other settings, have nothing to measure."""
    from movelab.analysis import analyse_landmarks
    from movelab.config import Config
    from movelab.kinematics import KinematicsConfig

    unsure = two_squats.copy(deep=True)
    for name in ("visibility", "presence"):
        unsure[name] = unsure[name].where(False, 0.8)
    assert analyse_landmarks(unsure).segmentation.movement == "squat"
    gated = analyse_landmarks(unsure, config=Config(kinematics=KinematicsConfig(min_confidence=0.9)))
    assert gated.segmentation.movement == "unknown" and gated.findings == ()
    assert np.isnan(gated.motion.positions.label_free.values).all()


# ----------------------------------------------------------------------------- one source for choices and defaults


def test_cli_choices_and_defaults_come_from_the_library_types():
    from typing import get_args

    from movelab.cli import _build_parser
    from movelab.events.config import MOVEMENTS, MovementChoice
    from movelab.pose.config import ExtractConfig

    subparsers = next(a for a in _build_parser()._actions if a.dest == "command").choices
    for command in ("analyse", "record"):
        movement = next(a for a in subparsers[command]._actions if a.dest == "movement")
        assert tuple(movement.choices) == get_args(MovementChoice) == ("auto", *MOVEMENTS)
        assert movement.default == "auto"
    for command in ("extract", "analyse"):
        poses = next(a for a in subparsers[command]._actions if a.dest == "num_poses")
        assert poses.default == ExtractConfig().num_poses


def test_events_settings_hold_no_kinematics_settings():
    """The kinematics settings reach the events through the Motion only, so a caller of segment() cannot
    pass a second, different copy."""
    from movelab.events import EventsConfig
    from movelab.kinematics import KinematicsConfig

    assert not any(
        isinstance(getattr(EventsConfig(), f.name), KinematicsConfig) for f in dataclasses.fields(EventsConfig)
    )
    assert "kinematics" not in {f.name for f in dataclasses.fields(EventsConfig)}


def test_heel_rise_pitch_is_one_formula_used_by_events_and_findings():
    """Rep metrics (events) and the heel-lift finding call the one heel rise in kinematics.sole (whose landmark
    fallback is the one foot pitch in kinematics.geometry); a heel
    12 px up on a 72 px foot is asin(1/6), a heel below its standing height a negative pitch, no foot NaN."""
    import math

    from movelab.events import rep_metrics
    from movelab.findings import foot
    from movelab.kinematics import sole
    from movelab.kinematics.geometry import foot_pitch_deg, heel_rise_pitch_deg

    # the reps table hands its held tracks to heel_rise_of_points, the body of heel_rise_deg
    assert rep_metrics.heel_rise_of_points is sole.heel_rise_of_points and foot.heel_rise_deg is sole.heel_rise_deg
    assert sole.foot_pitch_deg is foot_pitch_deg
    assert float(heel_rise_pitch_deg(400.0, 388.0, 72.0)) == pytest.approx(math.degrees(math.asin(1 / 6)))
    assert float(heel_rise_pitch_deg(400.0, 406.0, 72.0)) < 0
    assert float(heel_rise_pitch_deg(400.0, 300.0, 72.0)) == pytest.approx(90.0)  # clipped, never NaN
    assert np.isnan(heel_rise_pitch_deg(400.0, 388.0, 0.0)) and np.isnan(heel_rise_pitch_deg(400.0, 388.0, np.nan))


def test_the_reps_table_and_the_findings_read_depth_from_one_source(two_squats, monkeypatch):
    """The reps table's heel rise is read over the frames and with the finite fraction of the findings' defaults:
    one constant each (movelab.events.config), which the reps table reads when it measures (a stricter fraction
    there leaves every rep's heel rise unread)."""
    from movelab.events import rep_metrics, segment
    from movelab.events.config import DEPTH_WINDOW_S, MIN_VALID_FRACTION
    from movelab.findings import FindingsConfig
    from movelab.kinematics import compute_motion

    assert (FindingsConfig().depth_window_s, FindingsConfig().min_valid_fraction) == (
        DEPTH_WINDOW_S,
        MIN_VALID_FRACTION,
    )
    motion = compute_motion(two_squats)
    heel = segment(motion, movement="squat").reps["heel_lift_deg"].to_numpy(dtype=float)
    assert heel.size == 2 and np.isfinite(heel).all()
    monkeypatch.setattr(rep_metrics, "MIN_VALID_FRACTION", 1.01)
    assert np.isnan(segment(motion, movement="squat").reps["heel_lift_deg"].to_numpy(dtype=float)).all()
