"""Snippets: the passage of a body where the matched words gather, with those words marked.

Whoosh's highlighter re-analyses every hit's text through the whole analyzer chain, which cost
about 80 ms a query on the shared articles (bench/search.py); this looks in the first
CHARACTER_LIMIT characters for the words that start like a matched term, and normalises only
those."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from kb.search.whoosh.schema import WORD_PATTERN, indexed_forms, normalized

WORD = re.compile(WORD_PATTERN)
NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")  # a word character beyond ASCII
# how much of a body is read to find the matched words, and when reading may stop early
CHARACTER_LIMIT = 20_000
ENOUGH_MATCHES = 12
WIDTH = 160
FRAGMENTS = 2


def _matches(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where the words of ``text`` (its first CHARACTER_LIMIT characters) indexed as one of
    ``terms`` are: (start, end, term), in text order, up to ENOUGH_MATCHES once every term was
    seen."""
    region = text[:CHARACTER_LIMIT]
    lowered = region.lower()
    if len(lowered) != len(region) or (not region.isascii() and NON_ASCII_WORD.search(region)):
        found = _matches_word_by_word(region, terms)
    else:
        found = _matches_by_prefix(region, lowered, terms)
    seen: set[str] = set()
    for count, (_, _, form) in enumerate(found, start=1):
        seen.add(form)
        if count >= ENOUGH_MATCHES and len(seen) == len(terms):
            return found[:count]
    return found


def _matches_word_by_word(region: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    found = []
    for match in WORD.finditer(region):
        form = _form(match.group(0), terms)
        if form is not None:
            found.append((match.start(), match.end(), form))
    return found


def _matches_by_prefix(region: str, lowered: str, terms: frozenset[str]
                       ) -> list[tuple[int, int, str]]:
    """``_matches_word_by_word`` for text whose words are ASCII, reading only the words that
    start like a term (``_stem_head``). Tokenising every word was most of a search's time."""
    found: dict[int, tuple[int, int, str]] = {}
    for prefix in {_stem_head(term) for term in terms}:
        at = lowered.find(prefix)
        while at != -1:
            if (at == 0 or not _is_word_character(region[at - 1])) and at not in found:
                start, end = _word_around(region, at)
                form = _form(region[start:end], terms)
                if form is not None:
                    found[start] = (start, end, form)
            at = lowered.find(prefix, at + 1)
    return sorted(found.values())


def _stem_head(term: str) -> str:
    """How every word that Porter stems to ``term`` starts, lower-cased: the stem but for the
    last letter the stemmer may have replaced (queries, queri; sharing, share), or the last two
    of a "ble" it made of "bility" (capability, capable)."""
    return term[:max(1, len(term) - (2 if term.endswith("ble") else 1))]


def _form(word: str, terms: frozenset[str]) -> str | None:
    """The term of ``terms`` that ``word`` is indexed as (a version by a part of it), if any."""
    form = normalized(word)
    if form not in terms and "." in word:
        form = min(indexed_forms(word) & terms, default=form)
    return form if form in terms else None


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what \w matches


def _word_around(region: str, start: int) -> tuple[int, int]:
    """The word, as the word pattern reads the text, that starts at ``start`` or (a later
    part of a version, after a dot) holds it."""
    if start > 0 and region[start - 1] == ".":
        begin = start - 1
        while begin > 0 and (_is_word_character(region[begin - 1]) or region[begin - 1] == "."):
            begin -= 1
        for token in WORD.finditer(region, begin):
            if token.end() > start:
                return token.start(), token.end()
    token = WORD.match(region, start)
    return token.start(), token.end()


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
