""""Did you mean": a corrected query whose every corrected word is in a document the reader
may read. Candidates come from the words of the titles (as written) and of the bodies (as
indexed, stemmed: each is then spelled as a readable document writes it)."""

from __future__ import annotations

import re

from whoosh.qparser import QueryParser
from whoosh.query import Term
from whoosh.searching import Searcher

from kb.search.whoosh.parsing import text_parser
from kb.search.whoosh.schema import WORD, normalized

# a word worth correcting: three letters or more, no digits, not a prefix*
CORRECTABLE = re.compile(r"(?<![\w*])[^\W\d_]{3,}(?![\w*])")
CANDIDATES = 5
DISTANCE = 2


def suggestion(searcher: Searcher, text: str, allowed: set[int] | None) -> str | None:
    """A corrected query whose every corrected word is found in a document the reader may
    read (``allowed``: global document numbers, None for all); None when nothing changes. A
    word only readers of other items could know is never offered."""
    parser = text_parser(searcher.schema)
    titles = searcher.corrector(searcher.schema["title"].spelling_fieldname("title"))
    bodies = searcher.corrector("body")
    changed = False

    def correct(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word.isupper() or _found(searcher, parser, word, allowed):
            return word
        for candidate in titles.suggest(word.lower(), limit=CANDIDATES, maxdist=DISTANCE,
                                        prefix=1):
            if _found(searcher, parser, candidate, allowed):
                changed = True
                return candidate
        stem = normalized(word)
        for candidate in bodies.suggest(stem, limit=CANDIDATES, maxdist=DISTANCE,
                                        prefix=1) if stem else ():
            written = _as_written(searcher, candidate, allowed)
            if written:
                changed = True
                return written
        return word

    corrected = CORRECTABLE.sub(correct, text)
    return " ".join(corrected.split()) if changed else None


def _found(searcher: Searcher, parser: QueryParser, word: str, allowed: set[int] | None
           ) -> bool:
    """Whether a document the reader may read has ``word``: stops at the first one."""
    return _first_readable(searcher, parser.parse(word), allowed) is not None


def _first_readable(searcher: Searcher, query, allowed: set[int] | None) -> int | None:
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, subsearcher.boolean_context())
        while matcher.is_active():
            if allowed is None or offset + matcher.id() in allowed:
                return offset + matcher.id()
            matcher.next()
    return None


def _as_written(searcher: Searcher, stem: str, allowed: set[int] | None) -> str | None:
    """A body word indexed as ``stem``, spelled as the first readable document with it
    writes it (lower-cased); None when no readable document has it."""
    docnum = _first_readable(searcher, Term("body", stem), allowed)
    if docnum is None:
        return None
    body = searcher.stored_fields(docnum).get("body") or ""
    for match in WORD.finditer(body):
        if normalized(match.group(0)) == stem and CORRECTABLE.fullmatch(match.group(0)):
            return match.group(0).lower()
    return None
