"""Snippets: around the matches, words marked, text escaped, bodies read only so far."""

from __future__ import annotations

from kb.search.whoosh import snippets
from tests.engines import both_search_backends

pytestmark = both_search_backends


def test_marks_the_matched_words_in_a_short_passage_and_escapes_the_rest():
    text = "Intro <b>bold</b>. " + "filler words here. " * 50 + "Configuring the posting groups."
    html = snippets.snippet(text, frozenset({"configur", "post"}))
    assert "<mark>Configuring</mark>" in html and "<mark>posting</mark>" in html
    assert "<b>" not in html
    assert len(html) < 2 * snippets.WIDTH + 100


def test_reads_bodies_only_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(snippets, "CHARACTER_LIMIT", 100)
    assert snippets.snippet("x " * 200 + "posting", frozenset({"post"})) == ""
