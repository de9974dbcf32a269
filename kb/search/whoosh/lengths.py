"""Field lengths, a whole segment's at a time. Whoosh keeps each document's length of a field
in one byte of a column and reads it with a seek per document; BM25F scoring asks for it for
every matching document, and writing a segment for every posting."""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from kb.search.whoosh import segment_cache

_LENGTH_OF_BYTE = [0, *(byte_to_length(byte) for byte in range(1, 256))]


def read_lengths(per_document_reader, fieldname: str, doc_count: int) -> list[int]:
    """Every document's length of ``fieldname`` (0 where it has none), from a segment's
    per-document reader."""
    lenfield = _lenfield(fieldname)
    if not per_document_reader.has_column(lenfield):
        return [0] * doc_count
    column = per_document_reader.column_reader(lenfield, LENGTHS_COLUMN)
    # the column is one byte per document up to the last one with a length: read it whole
    stored = column._dbfile.get(column._basepos, column._count) if column._count else b""
    lengths = [_LENGTH_OF_BYTE[byte] for byte in stored]
    return lengths + [0] * (doc_count - len(lengths))


def segment_lengths(reader, fieldname: str) -> list[int] | None:
    """``read_lengths`` of one segment's reader, kept per process by segment (segments never
    change once written); None for a reader of several segments."""
    if not isinstance(reader, SegmentReader):
        return None
    return segment_cache.derived(
        ("lengths", fieldname, reader._segid),
        lambda: read_lengths(reader._perdoc, fieldname, reader.doc_count_all()))
