"""Writing a new generation from the database, in several processes at once.

Each process reads its own share of the items from the database, builds their documents and
writes them into a segment of its own; the parent only adds the finished segments to the new
generation's table of contents. (Whoosh's ``MpWriter`` instead has the parent read and pickle
every document to its sub-writers, so on two cores the parent alone is a third busy process.)
The sub-processes are spawned, not forked: a fork of a process running threads (a server, a
test runner) may deadlock, and the spawned child builds its own app from the same settings.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from kb import config, db
from kb.search.documents import Chunk, expected_documents
from kb.search.whoosh.lengths import read_lengths

Progress = Callable[[int], None]
Item = tuple[str, int]

# fewer items than this are written in this process: starting others would cost more
PARALLEL_MIN_ITEMS = 2000


class BuildFailed(Exception):
    """A writer process failed; the new generation is abandoned and the live one kept."""


class _LengthsReadOnce:
    """The field lengths of a segment being written, each field's read once: Whoosh's segment
    writer looks every posting's length up on its own, an eighth of a 50,000-document build."""

    def __init__(self, reader, doc_count: int):
        self._reader = reader
        self._doc_count = doc_count
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = read_lengths(self._reader, fieldname,
                                                               self._doc_count)
        return lengths[docnum]

    def close(self) -> None:
        self._reader.close()


class BuildWriter(SegmentWriter):
    """A segment writer for building a generation: field lengths read once when the postings
    are written, and finished segments of other processes joined into one commit."""

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = _LengthsReadOnce(self.per_document_reader(), self.docnum)
        try:
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            self.fieldwriter.close()
        finally:
            lengths.close()

    def commit_with(self, segments: list) -> None:
        """Commit this writer's documents together with segments written by other writers
        into the same (new, otherwise unused) index."""
        if self._added:
            segments = [*segments, self._finalize_segment()]
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()


@dataclass
class Generation:
    """What writing a generation did: documents written, and the items whose documents could
    not be built (left out), with why."""

    documents: int = 0
    failed: dict[Item, str] = field(default_factory=dict)


def write_generation(new_index: FileIndex, items: list[Chunk], progress: Progress | None,
                     processes: int, memory_mb: int) -> Generation:
    """Write the documents of ``items`` into ``new_index``."""
    count = sum(len(ids) for _, ids in items)
    processes = max(1, min(processes, len(items)))
    if processes == 1 or count < PARALLEL_MIN_ITEMS:
        writer = BuildWriter(new_index, limitmb=memory_mb, compound=False)
        try:
            written = Generation(*_write_chunks(writer, items, progress))
        except BaseException:
            writer.cancel()
            raise
        writer.commit_with([])
        return written
    segments, written = _write_in_processes(new_index, items, progress, processes, memory_mb)
    joiner = BuildWriter(new_index, compound=False)
    joiner.commit_with([segment for segment in segments if segment is not None])
    return written


def _write_chunks(writer, chunks: list[Chunk], progress: Progress | None
                  ) -> tuple[int, dict[Item, str]]:
    """Write the documents of the items of ``chunks``; returns how many, and the items whose
    documents could not be built, with why."""
    written, failed = 0, {}
    session = db.database().sessionmaker()
    try:
        for built in expected_documents(session, chunks, progress):
            if built.error is not None:
                failed[(built.type_name, built.item_id)] = built.error
            for document in built.documents:
                writer.add_document(**document)
                written += 1
    finally:
        session.close()
    return written, failed


def _write_in_processes(new_index: FileIndex, items: list[Chunk], progress: Progress | None,
                        processes: int, memory_mb: int) -> tuple[list, Generation]:
    """Spawn ``processes`` writers, each with every n-th chunk (so that each gets old and new,
    short and long items alike); returns their segments and what they wrote."""
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    settings = {name: current_app.config[name] for name in config.DEFAULTS}
    workers = [context.Process(target=_write_share, daemon=True, args=(
        settings, new_index.storage.folder, items[number::processes], memory_mb, messages))
        for number in range(processes)]
    for worker in workers:
        worker.start()
    segments, written, failures = [], Generation(), []
    try:
        while len(segments) + len(failures) < len(workers):
            try:
                kind, *details = messages.get(timeout=1.0)
            except queue.Empty:
                if any(worker.exitcode not in (None, 0) for worker in workers):
                    failures.append("a writer process ended without a result")
                continue
            if kind == "progress" and progress:
                progress(details[0])
            elif kind == "segment":
                segments.append(details[0])
                written.documents += details[1]
                written.failed.update(details[2])
            elif kind == "failed":
                failures.append(details[0])
        if failures:
            raise BuildFailed("; ".join(failures))
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
    return segments, written


def _write_share(settings: dict, folder: str, chunks: list[Chunk], memory_mb: int,
                 messages) -> None:
    """In a writer process: write ``chunks`` into a segment of the index in ``folder`` and
    send it back (the parent commits it). Reports progress per chunk."""
    from kb import create_process_app

    try:
        app = create_process_app(settings)
        with app.app_context():
            writer = BuildWriter(whoosh_index.open_dir(folder), _lk=False, limitmb=memory_mb,
                                 compound=False)
            written, failed = _write_chunks(writer, chunks,
                                            lambda count: messages.put(("progress", count)))
            if written:
                messages.put(("segment", writer._finalize_segment(), written, failed))
            else:
                writer.cancel()
                messages.put(("segment", None, 0, failed))
            db.database().engine.dispose()
    except BaseException as failure:  # noqa: BLE001 - reported to the parent, which raises
        messages.put(("failed", f"{failure.__class__.__name__}: {failure}"))
