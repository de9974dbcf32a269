"""The gate of every search: the set of documents a reader may find, computed inside the index
from ``policy.read_scope`` and handed to Whoosh as the filter, so it applies before ranking,
counting, paging and facets. Sets are kept per process (the threads' searchers share them) for
the index as it is (its segments and their live documents: a commit that changes them makes new
sets), per scope and minute, and only the current minute's; ``now`` is rounded down, so a
scheduled item never shows early."""

from __future__ import annotations

import threading
from datetime import datetime

from whoosh.idsets import BitSet, DocIdSet
from whoosh.query import And, AndNot, DateRange, Or, Prefix, Query, Term
from whoosh.searching import Searcher

from kb.gating import PROGRAMME_KEY_PREFIX, programme_key
from kb.policy import ReadScope
from kb.search import backend


def visible_to_customers(now: datetime) -> Query:
    """Published, and past its scheduled time."""
    return And([Term("status", "published"), DateRange("visible_from", None, now)])


def readable_query(scope: ReadScope, now: datetime) -> Query | None:
    """The documents ``scope`` reaches; None means every document (staff)."""
    if scope.everything:
        return None
    programmes = [programme_key(programme) for programme in sorted(scope.programmes)]
    return And([
        Or([Term("feature", feature) for feature in [*sorted(scope.features), *programmes]]),
        Or([Term("min_plan", plan) for plan in scope.plans]),
        visible_to_customers(now),
    ])


_kept: dict[tuple, DocIdSet] = {}
# one computation at a time: the threads that ask for the same set together (a worker's first
# requests, every request of a new minute) wait for it instead of each computing it under the
# GIL (re-entrant: a set is computed from another)
_computing = threading.RLock()


def _cached(searcher: Searcher, key: tuple, compute) -> DocIdSet:
    key = (_index_state(searcher), *key)
    found = _kept.get(key)
    if found is None:
        with _computing:
            found = _kept.get(key)
            if found is None:
                found = compute()
                _keep(key, found)
    return found


def _keep(key: tuple, found: DocIdSet) -> None:
    if any(other[0] != key[0] or other[-1] != key[-1] for other in list(_kept)) \
            or len(_kept) > 64:
        _kept.clear()  # another index state or minute: those sets are never asked again
    _kept[key] = found


def _index_state(searcher: Searcher) -> tuple:
    """The segments of the searcher's index and how many live documents each has."""
    return tuple((leaf._segid, leaf.doc_count()) if hasattr(leaf, "_segid") else (id(leaf), 0)
                 for leaf, _ in searcher.reader().leaf_readers())


def _documents(searcher: Searcher, query: Query) -> BitSet:
    return BitSet(searcher.docs_for_query(query), size=searcher.doc_count_all())


def admits_nothing(documents: DocIdSet | None) -> bool:
    """Whether a gate lets no document through. Check before searching: Whoosh treats an
    empty filter set as no filter at all, which would let every document through."""
    return documents is not None and len(documents) == 0


def readable(searcher: Searcher, scope: ReadScope) -> DocIdSet | None:
    """The documents the reader may open, or None for all of them."""
    if scope.everything:
        return None
    now = backend.gate_now()
    return _cached(searcher, ("readable", scope, now),
                   lambda: _documents(searcher, readable_query(scope, now)))


def readable_set(searcher: Searcher, scope: ReadScope) -> set[int] | None:
    """``readable`` as a set of document numbers, for looking many documents up."""
    if scope.everything:
        return None
    return _cached(searcher, ("readable-set", scope, backend.gate_now()),
                   lambda: set(readable(searcher, scope)))


def locked(searcher: Searcher, scope: ReadScope) -> DocIdSet | None:
    """Published, visible documents the reader may not open (for locked title entries); never
    a programme's, which do not exist for anyone outside it."""
    if scope.everything:
        return None
    now = backend.gate_now()

    def compute() -> DocIdSet:
        visible = _documents(searcher, AndNot(visible_to_customers(now),
                                              Prefix("feature", PROGRAMME_KEY_PREFIX)))
        allowed = readable(searcher, scope)
        return visible.difference(allowed) if allowed is not None else visible

    return _cached(searcher, ("locked", scope, now), compute)
