"""Pathological Markdown costs work in proportion to its length, and real links, images,
references and footnotes render as they always did."""

from __future__ import annotations

import sys

import pytest

from kb import markdown
from tests.databases import reaches_no_database

pytestmark = reaches_no_database


def python_lines_run(source: str, render=markdown.render) -> int:
    """How many lines of Python rendering ``source`` runs: a measure of work that, unlike
    time, is the same on every run and every machine."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        render(source)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("unit", ["[", "[a", "![", "[a](", "[a][", "[ "])
def test_work_grows_linearly_with_repeated_brackets(unit):
    markdown.render(unit)  # the converter of this thread is built outside the measure
    small = python_lines_run(unit * 300)
    large = python_lines_run(unit * 1200)
    # four times the input: about four times the work (a quadratic scan would be sixteen)
    assert large < 6 * small


@pytest.mark.parametrize(("source", "expected"), [
    ("[a](http://x.test/(b))",
     '<a rel="noopener noreferrer nofollow" href="http://x.test/(b)">a</a>'),
    ('![e](/f.png "t")', '<img alt="e" src="/f.png" title="t">'),
    ("[i](<j k> 'l')", '<a href="j k" title="l">i</a>'),
    ('[m]( n "o" )', '<a href="n" title="o">m</a>'),
    ("[see [1]](/x)", '<a href="/x">see [1]</a>'),
    ("[![logo](/l.png)](/home)", '<a href="/home"><img alt="logo" src="/l.png"></a>'),
    ("[c][d]\n\n[d]: /x", '<a href="/x">c</a>'),
    ("[g]\n\n[g]: /y", '<a href="/y">g</a>'),
    ("[[h]] and [sic] stay text", "[[h]] and [sic] stay text"),
    ("x[^1]\n\n[^1]: foot", '<a class="footnote-ref" href="#doc-fn:1">1</a>'),
])
def test_real_links_render_as_before(source, expected):
    assert expected in markdown.render(source).html


def test_a_link_longer_than_any_address_is_shown_as_text():
    source = f"[far](/{'a' * 3000})"
    assert "<a " not in markdown.render(source).html


def test_brackets_nested_deeper_than_text_needs_are_shown_as_text():
    html = markdown.render("[" * 20 + "deep" + "]" * 20 + "(/x)").html
    assert "<a " not in html
    assert "deep" in html


def refused_or_rendered(source: str) -> str:
    try:
        markdown.render(source)
    except markdown.RenderError as refusal:
        return str(refusal)
    return "rendered"


# lines the block parser takes one at a time, searching the rest of their block again each time
ONE_LINE_BLOCKS = {"ATX headings": "# h\n", "setext headings": "a\n===\n", "rules": "***\n",
                   "abbreviations": "*[a]: b\n"}


@pytest.mark.parametrize("unit", ONE_LINE_BLOCKS.values(), ids=ONE_LINE_BLOCKS.keys())
def test_thousands_of_one_line_blocks_in_a_row_are_refused_in_linear_work(unit):
    markdown.render(unit)
    assert "too laborious to render" in refused_or_rendered(unit * 2000)
    small = python_lines_run(unit * 3000, refused_or_rendered)
    large = python_lines_run(unit * 12000, refused_or_rendered)
    assert large < 6 * small


@pytest.mark.parametrize("unit", ONE_LINE_BLOCKS.values(), ids=ONE_LINE_BLOCKS.keys())
def test_as_many_as_real_text_writes_still_render(unit):
    assert refused_or_rendered(unit * 150) == "rendered"
    assert refused_or_rendered((unit + "\n") * 5000) == "rendered"  # blocks of their own


def test_a_converter_that_gave_up_renders_the_next_document_whole():
    refused_or_rendered("> - # h\n" * 5000)
    assert markdown.render("> - item\n\n# Title").html.count("<li>") == 1


def test_footnote_references_beyond_the_bound_stay_text_in_linear_work():
    from kb.markdown_links import MAX_FOOTNOTE_REFERENCES

    markdown.render("[^1]\n\n[^1]: foot")
    html = markdown.render("[^1]" * (MAX_FOOTNOTE_REFERENCES + 3) + "\n\n[^1]: foot").html
    assert html.count('class="footnote-ref"') == MAX_FOOTNOTE_REFERENCES
    assert "[^1][^1][^1]" in html
    small = python_lines_run("[^1]" * 3000 + "\n\n[^1]: foot")
    large = python_lines_run("[^1]" * 12000 + "\n\n[^1]: foot")
    assert large < 6 * small


def test_thousands_of_tags_that_never_end_are_refused_in_linear_work():
    assert "tags or definitions that never end" in refused_or_rendered("<a " * 16000)
    small = python_lines_run("<a " * 4000, refused_or_rendered)
    large = python_lines_run("<a " * 16000, refused_or_rendered)
    assert large < 6 * small
    # comparisons in code, and a tag's end on a later line, are what real text holds
    assert refused_or_rendered("Compare `a<b` and `c<d`.\n\n" * 300) == "rendered"
    assert refused_or_rendered("Compare a<b and c<d.\n\n" * 300) == "rendered"
    assert 'href="/x"' in markdown.render('<a\n  href="/x">link</a>').html


def test_definitions_that_never_end_are_refused_in_linear_work():
    for unit in ("*[\n", "[^\n", "*[a]\n"):
        assert "never end" in refused_or_rendered(unit * 16000), unit
        small = python_lines_run(unit * 4000, refused_or_rendered)
        large = python_lines_run(unit * 16000, refused_or_rendered)
        assert large < 6 * small, unit
    assert refused_or_rendered("*[HTML]: Hypertext\n\nHTML here.\n\n" * 500) == "rendered"


def test_a_code_fence_with_dozens_of_quoted_options_is_refused():
    # each further option doubled the work of the fence pattern when the line fails to match
    assert "quoted options" in refused_or_rendered("```" + ' a="b"' * 26 + "\u00a0x\nfoo\n```")
    html = markdown.render('```python title="a.py" linenums="1" hl_lines="2 3"\nx = 1\n```').html
    assert "a.py" in html and "x" in html


@pytest.mark.parametrize("directive", ["[!code[](", "[!INCLUDE[a](", ":::image"])
def test_docfx_directives_that_never_end_render_as_text(directive):
    # each took time growing with the cube of the spaces after it (3,000: 15 s); now one pass
    html = markdown.render(directive + " " * 5000 + "x").html
    assert html.startswith("<p>") and html.endswith("x</p>")
