"""Snippets: the passage of a body where the matched words gather, with those words marked.

Whoosh's highlighter re-analyses every hit's text through the whole analyzer chain, which cost
about 80 ms a query on the shared articles (bench/search.py); this reads the text once with a
regular expression and normalises only words not seen before (cached), up to CHARACTER_LIMIT."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from kb.search.schema import WORD_PATTERN, indexed_forms, normalized

WORD = re.compile(WORD_PATTERN)
# how much of a body is read to find the matched words, and when reading may stop early
CHARACTER_LIMIT = 20_000
ENOUGH_MATCHES = 12
WIDTH = 160
FRAGMENTS = 2


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for match in WORD.finditer(text, 0, min(len(text), CHARACTER_LIMIT)):
        form = normalized(match.group(0))
        if form not in terms and "." in match.group(0):  # a version found by a part of it
            form = min(indexed_forms(match.group(0)) & terms, default=form)
        if form in terms:
            found.append((match.start(), match.end(), form))
            seen.add(form)
            if len(found) >= ENOUGH_MATCHES and len(seen) == len(terms):
                break
    return found


def _windows(matches: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Up to FRAGMENTS non-overlapping windows of WIDTH characters holding the most distinct
    matched words, in text order."""
    scored = []
    for index, (start, _, _) in enumerate(matches):
        inside = {form for begin, end, form in matches[index:] if end <= start + WIDTH}
        scored.append((len(inside), -start, start))
    chosen: list[tuple[int, int]] = []
    for _, _, start in sorted(scored, reverse=True):
        begin = max(0, start - WIDTH // 4)
        if all(begin >= end or begin + WIDTH <= other for other, end in chosen):
            chosen.append((begin, begin + WIDTH))
        if len(chosen) == FRAGMENTS:
            break
    return sorted(chosen)


def _expand_to_words(text: str, begin: int, end: int) -> tuple[int, int]:
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return begin, end


def snippet(text: str, terms: frozenset[str]) -> Markup:
    """HTML of the best passages of ``text`` for the matched index ``terms``, words marked;
    empty when none of the terms occurs in the text's first CHARACTER_LIMIT characters."""
    matches = _matches(text, terms)
    if not matches:
        return Markup("")
    parts = []
    for begin, end in _windows(matches):
        begin, end = _expand_to_words(text, begin, min(end, len(text)))
        pieces, position = [], begin
        for start, stop, _ in matches:
            if start >= begin and stop <= end:
                pieces.append(escape(text[position:start]))
                pieces.append(Markup("<mark>%s</mark>") % text[start:stop])
                position = stop
        pieces.append(escape(text[position:end]))
        prefix = "… " if begin > 0 else ""
        suffix = " …" if end < len(text) else ""
        parts.append(Markup(prefix) + Markup("").join(pieces) + Markup(suffix))
    return Markup(" ").join(parts)
