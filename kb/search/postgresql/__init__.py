"""The PostgreSQL full-text search backend (``KB_SEARCH_BACKEND=postgresql``): the index is a
table of the database (``schema``), written in the item's own transaction (``writing``),
searched with ``websearch_to_tsquery``/``ts_rank_cd``/``ts_headline`` inside the reader's gate
(``querying``, ``hits``, ``clauses``), with pg_trgm for "did you mean" (``spelling``), title
prefixes for autocomplete (``titles``), and rebuilt beside the live table (``rebuild``).
Every server reads the same index. Reads use a connection of their own from the application's
engine, never the caller's session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psycopg.errors import UndefinedTable
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from kb import db, search
from kb.policy import ReadScope
from kb.search.backend import (
    Fingerprints,
    IndexBusy,
    Progress,
    Rebuild,
    SearchUnavailable,
    Write,
)
from kb.search.postgresql import querying, rebuild, schema, titles, writing
from kb.search.results import SearchRequest, SearchResults, TitleSuggestion

__all__ = ["PostgresBackend"]

WORK_MEM = "32MB"
MISSING = "run 'kb init' or 'kb reindex'"


class PostgresBackend:
    name = "postgresql"
    writes_in_transaction = True

    def search(self, scope: ReadScope, request: SearchRequest, *,
               locked_titles: bool) -> SearchResults:
        with _reading() as connection:
            return querying.search(connection, scope, request, locked_titles=locked_titles)

    def suggest_titles(self, scope: ReadScope, text: str, limit: int) -> list[TitleSuggestion]:
        with _reading() as connection:
            return titles.suggest_titles(connection, scope, text, limit)

    def related(self, scope: ReadScope, text: str, types: tuple[str, ...], limit: int
                ) -> dict[str, list[TitleSuggestion]]:
        with _reading() as connection:
            return titles.related(connection, scope, text, types, limit)

    def replace_items(self, session, built) -> None:
        """In ``session``'s transaction (the item's own); the caller commits."""
        writing.replace_items(session, built)

    @contextmanager
    def writing(self, session: Session) -> Iterator[Write]:
        """Writes in ``session``'s transaction: visible when the caller commits it. With no
        index table (the engine switched without `kb reindex`) the work stays queued."""
        if not schema.exists(session.connection(), schema.DOCUMENTS):
            raise IndexBusy(f"no search index table: {MISSING}")
        yield lambda built: writing.replace_items(session, built)

    def rebuild(self, progress: Progress | None = None, *, processes: int | None = None,
                memory_mb: int = 1024) -> Rebuild:
        """``processes`` and ``memory_mb`` are Whoosh's: the database builds in one."""
        documents = rebuild.rebuild(progress)
        return Rebuild(schema.DOCUMENTS, documents, failed=search.failed_item_count())

    def fingerprints(self) -> Fingerprints:
        with _reading(searching=False) as connection:
            rows = connection.execute(text(
                f"SELECT key, fingerprint, item_key FROM {schema.DOCUMENTS}"))
            return {key: (fingerprint, item_key) for key, fingerprint, item_key in rows}

    def after_check(self) -> None:
        """Nothing to tidy: a rebuild drops the old table when it swaps."""

    def warm(self) -> None:
        """Nothing to load: PostgreSQL keeps its own caches."""

    def warm_thread(self) -> None:
        """Nothing held per thread."""

    def health(self) -> str:
        try:
            with _reading(searching=False) as connection:
                if not schema.exists(connection, schema.DOCUMENTS):
                    return f"missing: {MISSING}"
                if not schema.is_current(connection):
                    return "outdated: written by another version of kb; run 'kb reindex'"
                # without pg_trgm searches run, only without "did you mean": not a reason
                # for /healthz to take the server out (ensure logs it)
                connection.execute(text(f"SELECT 1 FROM {schema.DOCUMENTS} LIMIT 1"))
        except Exception as failure:  # noqa: BLE001 - reported, not raised
            return f"error: {failure.__class__.__name__}"
        return "ok"

    def ensure(self) -> None:
        """Create the tables when missing; rebuild them when another version of kb wrote them."""
        with db.database().engine.begin() as connection:
            current = schema.ensure(connection)
        if not current:
            self.rebuild()

    def close(self) -> None:
        """Nothing is held: every read takes a pooled connection and gives it back."""


@contextmanager
def _reading(searching: bool = True) -> Iterator[Connection]:
    """A connection of its own for reads, in a transaction rolled back at the end. Its
    settings: no JIT (the planner's estimates of text matches are far too high, and compiling
    cost more than the query) and room to sort every match in memory; for searches, text
    matches through the GIN index: the planner does not count that a sequential scan reads
    (detoasts) every row's document vector to match it, and picked one for common words (a
    word in most of 50,000 articles: 800 ms against 250 ms through the index)."""
    with db.database().engine.connect() as connection:
        connection.execute(text("SET LOCAL jit = off"))
        connection.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        if searching:
            connection.execute(text("SET LOCAL enable_seqscan = off"))
        try:
            yield connection
        except ProgrammingError as failure:
            if not isinstance(failure.orig, UndefinedTable):
                raise
            raise SearchUnavailable("Search is being set up; please try again in a few "
                                    "minutes.") from failure
