"""The notebooks' text renders as written: each notebook opens with its level-1 title, every heading is a
heading (no stray prefix such as the ``md`` that once hid every heading as plain text) and every text cell
starts with what it means to say. Fast: the markdown is parsed (mistune, as nbconvert and Jupyter's exporters
parse it), nothing is executed; ``tests/test_notebooks.py`` runs the code cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: each notebook's intended headings, in order (level, text)
HEADINGS = {
    "01_analyse_video": [
        (1, "Analyse a video and plot its angle timelines"),
        (2, "Findings"),
        (2, "Angle timelines"),
        (2, "The report files"),
    ],
    "02_compare_sessions": [
        (1, "Compare two sessions of one client"),
        (2, "Metrics and findings, then and now"),
        (2, "Overlaid timelines"),
    ],
    "03_gait_cycles": [(1, "Gait cycles"), (2, "Cycle-normalised curves"), (2, "Cycle by cycle")],
    "04_pelvic_tilt_markers": [(1, "Pelvic tilt from ASIS/PSIS stickers, and a client's own outline calibration")],
}

#: a cell whose text starts with a cell-type tag stuck to the content (``md# Title``, ``md`movelab ...```)
STRAY_PREFIX = re.compile(r"^(md|markdown|raw)(?=[#`*>\[|])")
#: a line that would be a heading but for something before its hashes
HIDDEN_HEADING = re.compile(r"^[^#\s]+#{1,6} \S", re.MULTILINE)


def _tokens(text: str) -> list[dict]:
    import mistune

    return [t for t in mistune.create_markdown(renderer=None)(text) if t["type"] != "blank_line"]


def _plain(token: dict) -> str:
    """The text of a parsed block, inline markup dropped."""
    if "raw" in token:
        return token["raw"]
    return "".join(_plain(child) for child in token.get("children", []))


def _markdown_cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def test_every_notebook_has_its_intended_headings_listed():
    assert sorted(HEADINGS) == [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_with_its_level_one_title(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    token = _tokens(first.source)[0]
    assert (token["type"], token.get("attrs", {}).get("level"), _plain(token)) == (
        "heading",
        1,
        HEADINGS[path.stem][0][1],
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_markdown_cells_render_their_headings(path):
    headings = [
        (t["attrs"]["level"], _plain(t))
        for source in _markdown_cells(path)
        for t in _tokens(source)
        if t["type"] == "heading"
    ]
    assert headings == HEADINGS[path.stem]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_markdown_cells_start_without_a_stray_prefix(path):
    for source in _markdown_cells(path):
        assert not STRAY_PREFIX.match(source), source[:60]
        assert not HIDDEN_HEADING.search(source), source[:60]
        first = _tokens(source)[0]
        assert first["type"] in {"heading", "paragraph", "list", "block_code"}, first["type"]


@pytest.mark.parametrize("source", ["md# Analyse a video", "md## Findings\ntext", "md`movelab compare` does"])
def test_the_checks_catch_the_stray_md_prefix(source):
    assert STRAY_PREFIX.match(source)
    assert _tokens(source)[0]["type"] == "paragraph"
    assert HIDDEN_HEADING.search(source) or "`" in source
