"""The docs hold together: every stage has its method, accuracy and decisions page, docs/README.md maps every
page, relative links and the script commands the docs give point at things that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
STAGES = ("pose", "kinematics", "outline", "events", "findings", "report", "synth")
PAGES = sorted([*DOCS.glob("*.md"), ROOT / "README.md", ROOT / "scripts" / "README.md"])
LINK = re.compile(r"\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)")
MODULE_COMMAND = re.compile(r"python -m (scripts(?:\.\w+)+)")
SCRIPT_PATH = re.compile(r"\bscripts/[\w/]+\.py\b")


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_a_method_an_accuracy_and_a_decisions_page(stage):
    for name in (f"{stage}.md", f"{stage}-accuracy.md", f"{stage}-decisions.md"):
        assert (DOCS / name).is_file(), name


def test_the_docs_index_maps_every_page():
    index = (DOCS / "README.md").read_text()
    missing = [p.name for p in DOCS.glob("*.md") if p.name != "README.md" and f"({p.name})" not in index]
    assert missing == []


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_relative_links_resolve(page):
    broken = [
        target
        for target in LINK.findall(page.read_text())
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_script_commands_name_scripts_that_exist(page):
    text = page.read_text()
    modules = {m for m in MODULE_COMMAND.findall(text)}
    missing = [m for m in modules if not (ROOT / (m.replace(".", "/") + ".py")).is_file()]
    paths = [p for p in SCRIPT_PATH.findall(text) if not (ROOT / p).is_file()]
    assert missing == [] and paths == []
    assert "python scripts/" not in text  # scripts run as modules from the project root


def test_method_pages_carry_no_tuning_history():
    """The method page says what is true now; "(was ...)" belongs in the decisions log."""
    for stage in STAGES:
        text = (DOCS / f"{stage}.md").read_text()
        assert not re.search(r"\(was [^)]*\)|\bused to be\b|\bbefore the patch\b", text), stage
