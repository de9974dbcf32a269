"""Items related to a few typed words (the suggestions beside a topic request being written):
any of the words, ranked, inside the reader's gate, one entry per item, a few per type."""

from __future__ import annotations

from whoosh.query import And, NullQuery, Or, Term

from kb.policy import ReadScope
from kb.search.results import TitleSuggestion
from kb.search.typed import plain_words
from kb.search.whoosh import evaluate, gates, grouping, index
from kb.search.whoosh.parsing import parse_text


def related(scope: ReadScope, text: str, types: tuple[str, ...], limit: int
            ) -> dict[str, list[TitleSuggestion]]:
    """Per type, at most ``limit`` items ``scope`` reaches that have any of the words of
    ``text``, the most relevant first; an item's URL without a moment (#t=...)."""
    found: dict[str, list[TitleSuggestion]] = {type_name: [] for type_name in types}
    words = plain_words(text).lower()
    if not words:
        return found
    searcher = index.searcher()
    if gates.admits_nothing(gates.readable(searcher, scope)):
        return found
    query, _ = parse_text(searcher, words)
    if query is NullQuery:
        return found
    of_types = Or([Term("type", type_name) for type_name in types])
    scores = evaluate.matches(searcher, And([query, of_types]),
                              gates.readable_set(searcher, scope))
    scores, _ = grouping.grouped(searcher, scores)
    for docnum in sorted(scores, key=lambda docnum: (-scores[docnum], docnum)):
        stored = index.stored_fields(searcher, docnum)
        listed = found[stored["type"]]
        if len(listed) < limit:
            listed.append(TitleSuggestion(stored["title"], stored["url"].split("#", 1)[0],
                                          stored["type"]))
        if all(len(listed) == limit for listed in found.values()):
            break
    return found
