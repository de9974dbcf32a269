"""One result per item: an item indexed as several documents (a recording and one document
per transcript line) is shown, counted and faceted once, as its best-scoring document, with
its matching moments (the matched documents that have a position in it)."""

from __future__ import annotations

from collections import Counter, defaultdict

from markupsafe import escape
from whoosh.searching import Searcher

from kb.search.results import Moment
from kb.search.whoosh import index, segment_cache, snippets
from kb.search.whoosh.facets import column

# moments listed under one result, the best-scoring ones, shown in the order they come
MOMENTS_SHOWN = 5
MOMENT_CHARACTERS = 160

Scores = dict[int, float]


def grouped(searcher: Searcher, found: Scores) -> tuple[Scores, dict[int, list[int]]]:
    """``found`` with each item's documents folded into its best-scoring one (which keeps its
    score), and for each such document all its item's matched documents, best first."""
    items = items_of_parts(searcher)
    if not items:
        return found, {}
    shared = [docnum for docnum in (items.keys() & found.keys())]
    if not shared:
        return found, {}
    by_item: dict[str, list[int]] = defaultdict(list)
    for docnum in shared:
        by_item[items[docnum]].append(docnum)
    kept = dict(found)
    parts = {}
    for documents in by_item.values():
        documents.sort(key=lambda docnum: (-found[docnum], docnum))
        best, *others = documents
        for docnum in others:
            del kept[docnum]
        parts[best] = documents
    return kept, parts


def items_of_parts(searcher: Searcher) -> dict[int, str]:
    """Document number -> item key of every document whose item has several, once per process
    for the segments the searcher reads."""
    def compute() -> dict[int, str]:
        keys = column(searcher, "item_key")
        counts = Counter(keys)
        return {docnum: key for docnum, key in enumerate(keys) if key and counts[key] > 1}

    return segment_cache.derived(("parts", segment_cache.segments_of(searcher.reader())),
                                 compute)


def moments(searcher: Searcher, parts, words: frozenset[str]) -> list[Moment]:
    """The matching moments among ``parts`` (best first): the MOMENTS_SHOWN best, in time
    order, each with its passage, matched words marked."""
    found = []
    for docnum in parts:
        stored = index.stored_fields(searcher, docnum)
        if stored.get("position") is None:
            continue
        text = stored.get("body") or ""
        passage = snippets.snippet(text, words) or escape(_shortened(text))
        found.append(Moment(seconds=int(stored["position"]), url=stored["url"],
                            snippet=passage))
        if len(found) == MOMENTS_SHOWN:
            break
    return sorted(found, key=lambda moment: moment.seconds)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MOMENT_CHARACTERS:
        return text
    return text[:MOMENT_CHARACTERS].rsplit(" ", 1)[0] + " …"
