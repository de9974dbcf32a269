"""Facet counts over every matched (readable) document, read from the index's per-document
columns, each column read once per process and index state: counting inside Whoosh's
collector cost more than the search itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

from whoosh.searching import Searcher

from kb.search.whoosh import segment_cache
from kb.search.whoosh.schema import FacetKeywords

FACET_FIELDS = {"type": "type", "product": "products", "version": "versions", "kind": "kind"}


def facets(searcher: Searcher, matched: Iterable[int]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's values with the number of ``matched`` documents holding them, the most
    common first."""
    matched = list(matched)
    counted = {}
    for name, fieldname in FACET_FIELDS.items():
        values = map(column(searcher, fieldname).__getitem__, matched)
        if isinstance(searcher.schema[fieldname], FacetKeywords):  # a list per document
            values = chain.from_iterable(values)
        counts = Counter(values)
        counts.pop(None, None)
        counts.pop("", None)
        counted[name] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return counted


def column(searcher: Searcher, fieldname: str) -> list:
    """Every document's value of a column, read once per process for the segments the
    searcher reads (shared by the threads' searchers: do not change it)."""
    reader = searcher.reader()
    return segment_cache.derived(("column", fieldname, segment_cache.segments_of(reader)),
                                 lambda: _read_column(searcher, fieldname))


def _read_column(searcher: Searcher, fieldname: str) -> list:
    reader = searcher.reader()
    count = reader.doc_count_all()
    values = reader.column_reader(fieldname, translate=False) if count else []
    lists = isinstance(searcher.schema[fieldname], FacetKeywords)
    return [_decoded(_value(values, docnum), lists) for docnum in range(count)]


def _value(values, docnum: int):
    try:
        return values[docnum]
    except IndexError:  # a segment whose last documents lack the field stores no value
        return None


def _decoded(value, lists: bool):
    if lists:
        return [item.decode("utf-8") for item in value or ()]
    return value.decode("utf-8") if isinstance(value, bytes) else value
