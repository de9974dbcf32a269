"""Searchers on the live generation: one per thread, kept open between requests and
reopened only when the index has a newer commit or a reindex switched generations; segment
files read through memory maps, one per file shared by the threads of a process; decoded
postings, document frequencies and stored fields kept per process by segment
(``segment_cache``), warmed before a server worker serves (``warming``)."""

from __future__ import annotations

import mmap
import os
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from kb.search.backend import SearchUnavailable
from kb.search.whoosh import ranking, segment_cache
from kb.search.whoosh.index import (
    POINTER_FILE,
    committed_generation,
    current_generation,
    index_root,
    is_current_schema,
)


class MappedFile(StructFile):
    """A segment file read through a memory map: reading a posting list or a stored field is
    a slice of memory, not a seek and a read system call (a quarter of a search under load)."""

    def get(self, position: int, length: int) -> bytes:
        return self.file[position:position + length]


class MappedStorage(FileStorage):
    """Whoosh's file storage, opening files for reading as ``MappedFile``s. A file's map stays
    valid after a writer deletes the file, as an open file would. The threads of a process
    share one map of each file (a map per thread counted every page once per thread)."""

    def open_file(self, name: str, **kwargs) -> StructFile:
        mapped = _shared_map(self._fpath(name))
        if mapped is None:  # an empty file cannot be mapped
            return super().open_file(name, **kwargs)
        return MappedFile(_MapView(mapped), name=name, **kwargs)


_maps: weakref.WeakValueDictionary[tuple, mmap.mmap] = weakref.WeakValueDictionary()
_maps_lock = threading.Lock()


def _shared_map(path: str) -> mmap.mmap | None:
    with open(path, "rb") as file:
        found = os.fstat(file.fileno())
        if found.st_size == 0:
            return None
        identity = (path, found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)
        with _maps_lock:
            mapped = _maps.get(identity)
            if mapped is None:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                _maps[identity] = mapped
            return mapped


class _MapView:
    """A read-only file over a shared map, with a position of its own (Whoosh seeks and reads
    while opening a reader)."""

    __slots__ = ("_map", "_position")

    def __init__(self, mapped: mmap.mmap):
        self._map = mapped
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._map) if size is None or size < 0 else self._position + size
        data = self._map[self._position:end]
        self._position += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        end = self._map.find(b"\n", self._position) + 1 or len(self._map)
        return self.read(end - self._position if size is None or size < 0
                         else min(size, end - self._position))

    def seek(self, offset: int, whence: int = 0) -> int:
        self._position = (0, self._position, len(self._map))[whence] + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def __getitem__(self, key):
        return self._map[key]

    def close(self) -> None:
        """The map is closed when no view holds it any more."""


@dataclass
class _OpenSearcher:
    directory: Path
    index: FileIndex
    searcher: Searcher


_per_thread = threading.local()
# the live generation by the identity of the pointer file that named it (os.replace gives each
# new pointer a new inode), checked once for this schema version: a generation's schema never
# changes, so a search costs one stat of the pointer instead of reading and checking it
_live_by_pointer: dict[tuple[str, int, int], Path] = {}


def live_generation() -> Path:
    """The live generation's directory, of this schema version; searches answer 503 while
    there is none."""
    pointer = index_root() / POINTER_FILE
    try:
        found = os.stat(pointer)
        identity = (str(pointer), found.st_ino, found.st_mtime_ns)
    except OSError:
        identity = None
    if identity in _live_by_pointer:
        return _live_by_pointer[identity]
    directory = current_generation()
    if not is_current_schema(directory):
        raise SearchUnavailable("Search is being rebuilt; please try again in a few minutes.")
    if identity is not None:
        _live_by_pointer[identity] = directory
    return directory


def searcher() -> Searcher:
    """This thread's searcher on the live index, brought up to date: reopened when the index
    has a newer commit or a reindex switched generations. Kept open between requests, since
    an unchanged index needs only the pointer and the commit stamp read to confirm.

    Whoosh's own ``Searcher.refresh()`` is not used: in whoosh-reloaded 2.7.5 it keeps the
    readers of segments that a merge replaced, so every merged document is found twice."""
    directory = live_generation()
    held: _OpenSearcher | None = getattr(_per_thread, "open", None)
    if held is not None and held.directory == directory and _is_current(held):
        return held.searcher
    if held is not None:
        held.searcher.close()
    _per_thread.open = _open_searcher(directory)
    return _per_thread.open.searcher


def _is_current(held: _OpenSearcher) -> bool:
    opened = held.searcher.reader().generation()
    stamped = committed_generation(held.directory)
    if stamped is not None and opened is not None and stamped >= opened:
        return stamped == opened
    return held.index.latest_generation() == opened


def _open_searcher(directory: Path, attempts: int = 3) -> _OpenSearcher:
    # a writer's merge may delete a segment between reading the table of contents and opening
    # the segment's files; the next table of contents no longer names it
    for _ in range(attempts - 1):
        try:
            return _searcher_on(directory)
        except OSError:
            continue
    return _searcher_on(directory)


def _searcher_on(directory: Path) -> _OpenSearcher:
    index = MappedStorage(str(directory), readonly=True).open_index()
    opened = index.searcher(weighting=ranking.weighting())
    segment_cache.share_segment_data(opened.reader())
    return _OpenSearcher(directory, index, opened)


def close_searcher() -> None:
    """Close this thread's searcher (tests and commands that switch data directories)."""
    held: _OpenSearcher | None = getattr(_per_thread, "open", None)
    if held is not None:
        held.searcher.close()
        _per_thread.open = None


def stored_fields(searcher: Searcher, docnum: int) -> dict:
    """The stored fields of document ``docnum`` of ``searcher``, kept per process by segment
    (``segment_cache``: do not change them)."""
    segment, local = _segment_of(searcher, docnum)
    return segment_cache.stored_fields(segment, local)


def _segment_of(searcher: Searcher, docnum: int) -> tuple[SegmentReader, int]:
    reader = searcher.reader()
    if isinstance(reader, SegmentReader):
        return reader, docnum
    at = reader._document_segment(docnum)
    return reader.readers[at], docnum - reader.doc_offsets[at]
