"""What searches read from index segments, kept per process and shared by its threads.

A segment's files never change once written (deletions are kept beside them, in the table of
contents), so what is read from one is kept under its segment id and outlives the commits that
leave the segment in place: a commit no longer makes every thread decode the same posting lists
and stored fields again. Under load these reads were about half of a search's time: a posting
list is a zlib-compressed pickle per block, a document's stored fields a compressed pickle.

Each kind of data is bounded (least recently used first out) and held in arrays and strings,
which the garbage collector does not have to walk.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import SegmentReader

# budgets, in bytes (about) of decoded data; the shared articles (3,500 documents) fit whole
POSTINGS_BUDGET = 48 * 1024 * 1024
STORED_FIELDS_BUDGET = 64 * 1024 * 1024
DOC_FREQUENCIES_KEPT = 200_000
ENTRY_OVERHEAD = 200
# what a kept posting list takes besides its postings (key, arrays, the map's entry, its
# document frequency), measured with tracemalloc on the shared articles
POSTINGS_ENTRY_OVERHEAD = 620
# values computed from whole segments (a column's values, field lengths), least recently used
# first out: a few per field, for the index's last few states
DERIVED_KEPT = 64


class _Bounded:
    """A least-recently-used map bounded by the summed sizes of its values."""

    def __init__(self, budget: int):
        self.budget = budget
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.evicted = 0

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        with self._lock:
            previous = self._items.pop(key, None)
            if previous is not None:
                self._size -= previous[1]
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.budget and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped
                self.evicted += 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class Postings:
    """A term's postings in one segment, deleted documents included (``live`` leaves them
    out): document numbers in ascending order and their weights."""

    __slots__ = ("ids", "weights")

    def __init__(self, ids: array, weights: array):
        self.ids = ids
        self.weights = weights

    def __len__(self) -> int:
        return len(self.ids)

    def live(self, reader: SegmentReader, within: set[int] | None
             ) -> tuple[list[int] | array, list[float] | array]:
        """The postings of documents not deleted (of those in ``within`` when given)."""
        deleted = reader.deleted_docs_set
        if within is None and not deleted:
            return self.ids, self.weights
        if within is not None and len(within) * 8 < len(self.ids):
            return self._looked_up(sorted(within), deleted)
        keep = (lambda docnum: docnum not in deleted) if within is None else (
            lambda docnum: docnum in within and docnum not in deleted)
        indexes = [index for index, docnum in enumerate(self.ids) if keep(docnum)]
        return [self.ids[i] for i in indexes], [self.weights[i] for i in indexes]

    def _looked_up(self, wanted: list[int], deleted) -> tuple[list[int], list[float]]:
        ids, weights = [], []
        for docnum in wanted:
            at = bisect_left(self.ids, docnum)
            if at < len(self.ids) and self.ids[at] == docnum and docnum not in deleted:
                ids.append(docnum)
                weights.append(self.weights[at])
        return ids, weights


_postings = _Bounded(POSTINGS_BUDGET)
_stored = _Bounded(STORED_FIELDS_BUDGET)
_frequencies: dict[tuple[str, str, bytes], int] = {}
# (segment id, field) whose every term's postings and frequency are kept (``keep_all_postings``):
# a term not kept is not in the segment, which is answered without reading or keeping anything
# (kept, the absent words of every new query grew the memory of a worker for its first minutes)
_complete: set[tuple[str, str]] = set()
_derived = _Bounded(DERIVED_KEPT)
# one computation of a derived value at a time: the threads that ask for it together (all of
# them, on a worker's first requests) wait for it instead of each computing it under the GIL
_computing = threading.RLock()


def _text_bytes(reader: SegmentReader, fieldname: str, text) -> bytes:
    return text if isinstance(text, bytes) else reader.schema[fieldname].to_bytes(text)


def postings(reader: SegmentReader, fieldname: str, text: bytes) -> Postings | None:
    """The postings of ``fieldname:text`` in the segment of ``reader``; None when the segment
    does not have the term."""
    key = (reader._segid, fieldname, text)
    found = _postings.get(key)
    if found is None:
        if not _has_term(reader, fieldname, text):
            return None  # kept nowhere: its frequency (0) says so, or the field is complete
        found = _read_postings(reader, fieldname, text)
        _keep_postings(key, found)
    return found


def _has_term(reader: SegmentReader, fieldname: str, text: bytes) -> bool:
    return ((reader._segid, fieldname) not in _complete and fieldname in reader.schema
            and doc_frequency(reader, fieldname, text) > 0)


def _keep_postings(key: tuple, found: Postings) -> None:
    evicted = _postings.evicted
    _postings.put(key, found, POSTINGS_ENTRY_OVERHEAD + 12 * len(found))
    if _postings.evicted != evicted:
        _complete.clear()


def keep_all_postings(reader: SegmentReader, fieldname: str) -> bool:
    """Decode and keep the postings of every term of ``fieldname`` in the segment of
    ``reader`` (a worker's warm-up); False when the budget is reached first."""
    for text in reader.lexicon(fieldname):
        if postings_full():
            return False
        postings(reader, fieldname, text)
    if postings_full():
        return False
    _complete.add((reader._segid, fieldname))
    return True


def _read_postings(reader: SegmentReader, fieldname: str, text: bytes) -> Postings:
    matcher = reader._terms.matcher(fieldname, text, reader.schema[fieldname].format)
    ids, weights = array("i"), array("d")
    while matcher.is_active():
        if isinstance(matcher, W3LeafMatcher):  # a block at a time
            matcher.id()  # reads the block's ids
            matcher.weight()  # and weights
            ids.fromlist(list(matcher._ids[matcher._i:]))
            weights.fromlist(list(matcher._weights[matcher._i:]))
            matcher._next_block()
        else:  # short posting lists are stored inline
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return Postings(ids, weights)


def doc_frequency(reader: SegmentReader, fieldname: str, text) -> int:
    """``SegmentReader.doc_frequency`` (deleted documents counted, as Whoosh counts them)."""
    text = _text_bytes(reader, fieldname, text)
    key = (reader._segid, fieldname, text)
    found = _frequencies.get(key)
    if found is None:
        if (reader._segid, fieldname) in _complete:
            return 0
        found = SegmentReader.doc_frequency(reader, fieldname, text)
        if len(_frequencies) >= DOC_FREQUENCIES_KEPT:
            _frequencies.clear()
            _complete.clear()
        _frequencies[key] = found
    return found


def share_segment_data(reader) -> None:
    """Make the segment readers under ``reader`` answer document frequencies from the shared
    cache (Whoosh's parent reader sums its segments' answers)."""
    for leaf in [reader] if isinstance(reader, SegmentReader) else reader.leaf_readers():
        leaf = leaf[0] if isinstance(leaf, tuple) else leaf
        if isinstance(leaf, SegmentReader):
            leaf.doc_frequency = lambda fieldname, text, leaf=leaf: doc_frequency(
                leaf, fieldname, text)


def stored_fields(reader: SegmentReader, docnum: int) -> dict:
    """The stored fields of document ``docnum`` of the segment of ``reader`` (do not change
    them)."""
    key = (reader._segid, docnum)
    fields = _stored.get(key)
    if fields is None:
        fields = reader.stored_fields(docnum)
        size = ENTRY_OVERHEAD + sum(len(value) for value in fields.values()
                                    if isinstance(value, str))
        _stored.put(key, fields, size)
    return fields


def stored_fields_full() -> bool:
    """Whether the stored fields kept have (nearly) reached their budget."""
    return _stored._size >= _stored.budget * 0.9


def postings_full() -> bool:
    """Whether the postings kept have (nearly) reached their budget."""
    return _postings._size >= _postings.budget * 0.9


def segments_of(reader) -> tuple:
    """The identity of what ``reader`` reads: its segments, which never change once written
    (deletions aside, which columns and lengths do not reflect)."""
    if isinstance(reader, SegmentReader):
        return (reader._segid,)
    return tuple(getattr(leaf, "_segid", id(leaf)) for leaf, _ in reader.leaf_readers())


def derived(key: tuple, compute) -> Any:
    """``compute()``, kept per process under ``key`` (which names the segments it was computed
    from, ``segments_of``): the threads' searchers share it, and do not change it."""
    found = _derived.get(key)
    if found is None:
        with _computing:
            found = _derived.get(key)
            if found is None:
                found = compute()
                _derived.put(key, found, 1)
    return found


def clear() -> None:
    """Forget everything kept (tests)."""
    _postings.clear()
    _stored.clear()
    _frequencies.clear()
    _derived.clear()
    _complete.clear()
