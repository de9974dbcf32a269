"""The on-disk index under DATA_DIR/index: generations, the pointer to the current one, and
writers that wait for the lock (searchers: ``kb.search.whoosh.searchers``, also reached from here).

Layout: ``DATA_DIR/index/current`` names the live generation, a sibling directory such as
``DATA_DIR/index/g-20260126T101500-4242``. ``kb reindex`` builds a new generation beside the
live one and replaces the pointer atomically (``os.replace``); readers resolve the pointer each
time they search, so the switch needs no restart. Each generation directory carries the schema
version it was written with: an index of another version is rebuilt, never misread.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.index import TOC, FileIndex, LockError
from whoosh.writing import SegmentWriter

from kb.search.backend import IndexBusy
from kb.search.whoosh.schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "MAIN"  # Whoosh's default name, which kb's indexes have
VERSION_FILE = "kb-schema-version.json"
POINTER_FILE = "current"
# present in a generation while it is being built; cleanup leaves such directories alone
BUILDING_MARKER = "kb-building"


# unused segment files and retired generations are deleted only this long after they fell out
# of use: with compound=False, a searcher in another process opens some files lazily (stored
# fields, columns) and must still find them if it started just before a writer's commit
GRACE_SECONDS = 600.0
UNUSED_LEDGER = "kb-unused-since.json"
RETIRED_MARKER = "kb-retired"
# a symbolic link to the table of contents of the last commit, replaced by every commit: a
# searcher learns whether it is current with one readlink instead of listing the directory
# (where no commit of kb's writer made it yet, or in a copy, the directory is listed instead)
COMMIT_STAMP = "kb-committed"


def index_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "index"


def written_version(directory: Path) -> int | None:
    try:
        return json.loads((directory / VERSION_FILE).read_text())["schema_version"]
    except (OSError, ValueError, KeyError):
        return None


def current_generation() -> Path | None:
    """The live generation's directory, or None when there is none yet."""
    root = index_root()
    try:
        name = (root / POINTER_FILE).read_text().strip()
    except OSError:
        return None
    directory = root / name
    return directory if name and has_commit(directory) else None


def has_commit(directory: Path) -> bool:
    """Whether ``directory`` holds a committed index: a table of contents. Whoosh's
    ``exists_in`` opens the index for that, unpickling its schema (every write asks twice)."""
    prefix = f"_{INDEX_NAME}_"
    try:
        with os.scandir(directory) as entries:
            return any(entry.name.startswith(prefix) and entry.name.endswith(".toc")
                       for entry in entries)
    except OSError:
        return False


def new_generation() -> tuple[Path, FileIndex]:
    """Create an empty index of the current schema in a new sibling directory (not yet live)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    directory = index_root() / f"g-{stamp}-{os.getpid()}"
    directory.mkdir(parents=True)
    (directory / BUILDING_MARKER).write_text(str(os.getpid()))
    index = whoosh_index.create_in(str(directory), build_schema())
    (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    return directory, index


def make_live(directory: Path) -> None:
    """Point readers and writers at ``directory`` (atomic: a reader sees the old or the new)
    and mark the generation it replaces as retired (deleted GRACE_SECONDS later)."""
    root = index_root()
    (directory / BUILDING_MARKER).unlink(missing_ok=True)
    previous = current_generation()
    if previous is not None and previous != directory:
        (previous / RETIRED_MARKER).write_text(str(time.time()))
    generation = whoosh_index.open_dir(str(directory)).latest_generation()
    stamp_commit(directory, INDEX_NAME, generation)
    temporary = root / f"{POINTER_FILE}.{os.getpid()}.tmp"
    temporary.write_text(directory.name)
    os.replace(temporary, root / POINTER_FILE)


def remove_old_generations(grace_seconds: float = GRACE_SECONDS,
                           keep_building_for_seconds: float = 6 * 3600) -> list[str]:
    """Delete generations retired more than ``grace_seconds`` ago, and abandoned ones; never
    the live one, nor a build still in progress elsewhere."""
    live = current_generation()
    removed = []
    for directory in index_root().iterdir():
        if not directory.is_dir() or directory == live:
            continue
        for marker, keep_for in ((RETIRED_MARKER, grace_seconds),
                                 (BUILDING_MARKER, keep_building_for_seconds)):
            path = directory / marker
            if path.exists() and time.time() - path.stat().st_mtime < keep_for:
                break
        else:
            shutil.rmtree(directory, ignore_errors=True)
            removed.append(directory.name)
    return removed


def health() -> str:
    """'ok' when the live index opens with this schema version, otherwise what is wrong."""
    directory = current_generation()
    if directory is None:
        return "missing: run 'kb init' or 'kb reindex'"
    if written_version(directory) != SCHEMA_VERSION:
        return "outdated: run 'kb reindex'"
    try:
        whoosh_index.open_dir(str(directory)).doc_count()
    except Exception as failure:  # noqa: BLE001 - reported, not raised
        return f"error: {failure.__class__.__name__}"
    return "ok"


def is_current_schema(directory: Path | None) -> bool:
    return directory is not None and written_version(directory) == SCHEMA_VERSION


def lock_timeout() -> float:
    return float(current_app.config["SEARCH_LOCK_TIMEOUT"])


class GracefulSegmentWriter(SegmentWriter):
    """A segment writer that leaves files other processes may still read for GRACE_SECONDS
    instead of deleting every unused file at commit, as Whoosh does."""

    def _commit_toc(self, segments):
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        directory = Path(self.storage.folder)
        stamp_commit(directory, self.indexname, self.generation)
        remove_unused_files(directory, self.indexname, self.generation,
                            {segment.segment_id() for segment in segments})


def stamp_commit(directory: Path, indexname: str, generation: int) -> None:
    temporary = directory / f"{COMMIT_STAMP}.{os.getpid()}.{threading.get_ident()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(TOC._filename(indexname, generation))
    os.replace(temporary, directory / COMMIT_STAMP)


def committed_generation(directory: Path) -> int | None:
    """The generation the last commit through kb's writer made, if one has."""
    try:
        target = os.readlink(directory / COMMIT_STAMP)
    except OSError:
        return None
    found = re.fullmatch(r"_.+_(\d+)\.toc", target)
    return int(found.group(1)) if found else None


def remove_unused_files(directory: Path, indexname: str, generation: int,
                        live_segments: set[str]) -> None:
    """Delete older tables of contents, and files of segments out of use for GRACE_SECONDS
    (when each segment fell out of use is kept in a small ledger beside them)."""
    ledger_path = directory / UNUSED_LEDGER
    try:
        unused_since = json.loads(ledger_path.read_text())
    except (OSError, ValueError):
        unused_since = {}
    now = time.time()
    toc_pattern, segment_pattern = TOC._pattern(indexname), TOC._segment_pattern(indexname)
    still_unused: dict[str, float] = {}
    for path in directory.iterdir():
        toc, segment = toc_pattern.match(path.name), segment_pattern.match(path.name)
        if toc and int(toc.group(1)) != generation and now - path.stat().st_mtime > GRACE_SECONDS:
            path.unlink(missing_ok=True)
        elif segment and segment.group(1) not in live_segments:
            since = unused_since.get(segment.group(1), now)
            if now - since > GRACE_SECONDS:
                path.unlink(missing_ok=True)
            else:
                still_unused[segment.group(1)] = since
    ledger_path.write_text(json.dumps(still_unused))


@contextmanager
def live_writer():
    """A writer on the live generation, waiting up to the lock timeout for the write lock.

    Raises IndexBusy if the lock stays taken. Commits when the block ends without error,
    cancels otherwise. If a reindex made another generation live while we waited, the writer
    moves to that one, so no change is written into an index that no longer serves."""
    deadline = time.monotonic() + lock_timeout()
    while True:
        directory = current_generation()
        if directory is None or not is_current_schema(directory):
            raise IndexBusy("no live index of the current schema (run 'kb reindex')")
        remaining = max(0.0, deadline - time.monotonic())
        index = whoosh_index.open_dir(str(directory))
        try:
            writer = GracefulSegmentWriter(index, timeout=remaining, delay=0.05,
                                           compound=False)
        except LockError as failure:
            raise IndexBusy(f"the index write lock stayed taken for {lock_timeout():g} s") \
                from failure
        if current_generation() == directory:
            break
        writer.cancel()
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


# searchers live in their own module; callers reach them here too
from kb.search.whoosh.searchers import (  # noqa: E402
    MappedFile,
    MappedStorage,
    close_searcher,
    live_generation,
    searcher,
    stored_fields,
)

__all__ = ["MappedFile", "MappedStorage", "close_searcher", "live_generation", "searcher",
           "stored_fields"]
