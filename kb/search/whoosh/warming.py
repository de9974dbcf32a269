"""Warming a server worker before it serves. What searches keep per process
(``segment_cache``: stored fields, decoded postings, columns and field lengths) is filled up to
its budget from the live index, so that the worker's first requests do not all compute the same
things at once (under load they were its slowest 1%: 0.35-0.7 s each, while one thread's share
took tens of milliseconds), and its memory does not grow with every new word searched in its
first minutes but is taken before the first request."""

from __future__ import annotations

from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from kb.search.backend import SearchUnavailable
from kb.search.whoosh import grouping, searchers, segment_cache
from kb.search.whoosh.facets import FACET_FIELDS, column
from kb.search.whoosh.lengths import segment_lengths
from kb.search.whoosh.ranking import FIELD_BOOSTS, FIELD_WEIGHTS

# the fields plain words are searched in, the most telling first: what the budget keeps first
SEARCHED_FIELDS = (*FIELD_WEIGHTS, *FIELD_BOOSTS)
# columns read by every search (facets, an item's parts) or by a sort
COLUMNS = (*FACET_FIELDS.values(), "item_key", "updated")


def warm() -> None:
    """Fill the process's caches from the live index (nothing when there is none)."""
    try:
        opened = searchers.searcher()
    except SearchUnavailable:
        return
    try:
        leaves = _segment_readers(opened)
        _stored_fields(leaves)
        _postings(leaves)
        _columns_and_lengths(opened, leaves)
    finally:
        searchers.close_searcher()


def _segment_readers(opened: Searcher) -> list[SegmentReader]:
    return [leaf for leaf, _ in opened.reader().leaf_readers() if isinstance(leaf, SegmentReader)]


def _stored_fields(leaves: list[SegmentReader]) -> None:
    for leaf in leaves:
        for docnum in range(leaf.doc_count_all()):
            if segment_cache.stored_fields_full():
                return
            if not leaf.is_deleted(docnum):
                segment_cache.stored_fields(leaf, docnum)


def _postings(leaves: list[SegmentReader]) -> None:
    for fieldname in SEARCHED_FIELDS:
        for leaf in leaves:
            if fieldname in leaf.schema and not segment_cache.keep_all_postings(leaf, fieldname):
                return


def _columns_and_lengths(opened: Searcher, leaves: list[SegmentReader]) -> None:
    for fieldname in COLUMNS:
        if fieldname in opened.schema:
            column(opened, fieldname)
    grouping.items_of_parts(opened)
    for leaf in leaves:
        for fieldname in SEARCHED_FIELDS:
            segment_lengths(leaf, fieldname)
