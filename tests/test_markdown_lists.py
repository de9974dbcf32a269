"""CommonMark list rules that Python-Markdown reads differently, each checked against
markdown-it-py (the CommonMark reference): the lists and code blocks must be the same."""

from __future__ import annotations

import pytest

from bench.markdown_compare import REFERENCE, structure
from kb import markdown

SOURCES = {
    "fence in a numbered step": "1. Run:\n\n   ```yaml\n   a:\n     b: 1\n   ```\n\n2. Next\n",
    "fence indented past the step's content": "1. Run:\n\n     ```\n     x\n       y\n     ```\n",
    "fence right after the marker": "1. ```\n   code\n   ```\n2. two\n",
    "fence the step leaves open": "- ```\n  open\n- next\n",
    "steps after a paragraph under a fence": "1. a\n\n   ```\n   x\n   ```\n   text\n2. b\n3. c\n",
    "bullet nested by two spaces": "- a\n  - b\n  - c\n- d\n",
    "nested list under a later paragraph": "1. a\n\n   Text:\n   - x\n   - y\n2. b\n",
    "list right under a paragraph": "Intro:\n- a\n- b\n",
    "a bullet two spaces in ends the step": "1. a\n  - b\n  - c\n2. d\n",
    "table in a step": "1. Fill in:\n\n   | A | B |\n   |---|---|\n   | 1 | 2 |\n\n1. Save\n",
    "note in a step": "1. a\n\n   > [!NOTE]\n   > careful\n\n1. b\n",
    "note right under a step": "1. a\n   > [!NOTE]\n   > careful\n2. b\n",
    "list in a note": "> [!NOTE]\n> - one\n> - two\n",
    "rule after a step": "1. a\n---\n",
    "empty item": "- a\n- \n- b\n",
    "indented code in a step": "1. a\n\n       code\n2. b\n",
    "tabs": "1. a\n\n\t```\n\tx\n\t```\n",
}


# rules Python-Markdown already followed, which the list rewriting must keep
KEPT = {
    "a number other than 1 does not interrupt": "Year\n2024. was good\n",
    "lazy continuation line": "1. first line\ncontinued lazily\n2. second\n",
    "heading after a step": "- a\n# Title\n",
}


@pytest.mark.parametrize("source", SOURCES.values(), ids=SOURCES.keys())
def test_lists_and_code_as_commonmark(source):
    assert structure(markdown.render(source).html) == structure(REFERENCE.render(source))


@pytest.mark.parametrize("source", KEPT.values(), ids=KEPT.keys())
def test_rules_python_markdown_already_followed_still_hold(source):
    assert structure(markdown.render(source).html) == structure(REFERENCE.render(source))
