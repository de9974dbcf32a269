"""Pathological Markdown costs work in proportion to its length, and real links, images,
references and footnotes render as they always did."""

from __future__ import annotations

import sys

import pytest

from kb import markdown


def python_lines_run(source: str) -> int:
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
        markdown.render(source)
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
