"""The seam under search: what an engine must do for kb, and which engine runs.

The rest of kb (pages, API, services, maintenance) talks to the engine only through a
``SearchBackend``. The embedded default is Whoosh on local disk (``kb.search.whoosh``); a
large installation on PostgreSQL sets ``KB_SEARCH_BACKEND=postgresql`` and searches inside the
database (``kb.search.postgresql``), so that every server sees the same index.

Documents are the dicts the content types build (``kb.search.documents``: the fields of
``kb.search.fields``); the gate is ``policy.ReadScope``. Every method that reads applies the
scope inside the engine, before ranking, counting, paging and facets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from flask import current_app
from sqlalchemy.orm import Session

from kb.errors import DomainError
from kb.policy import ReadScope
from kb.search.documents import BuiltItem
from kb.search.results import SearchRequest, SearchResults, TitleSuggestion

Progress = Callable[[int], None]
# document key -> (fingerprint, item key)
Fingerprints = dict[str, tuple[str, str]]
# replaces the documents of some items by theirs (none for a gone or failed item)
Write = Callable[[Iterable[BuiltItem]], None]

BACKENDS = ("whoosh", "postgresql")


class IndexBusy(Exception):
    """The index could not be written (its write lock stayed taken, or it is missing); the
    work stays queued."""


class SearchUnavailable(DomainError):
    """No live index of this schema version: searches answer 503 until `kb init` or
    `kb reindex` has (re)built it, rather than misreading an index of another schema."""

    status = 503


@dataclass
class Rebuild:
    """What a rebuild did: where the new index lives, its documents, the items caught up
    because they changed while it was built, and the items that could not be indexed."""

    where: str
    documents: int
    caught_up: int = 0
    failed: int = 0


class SearchBackend(Protocol):
    name: str
    # True when ``replace_items`` writes in the caller's own transaction (the item's), so the
    # outbox of index tasks is settled in that same transaction
    writes_in_transaction: bool

    def search(self, scope: ReadScope, request: SearchRequest, *,
               locked_titles: bool) -> SearchResults:
        """One page of what ``scope`` may read, with totals, facets, snippets, grouped
        recordings, a spelling suggestion when little is found and, with ``locked_titles``,
        titles above the reader's plan (never counted)."""

    def suggest_titles(self, scope: ReadScope, text: str, limit: int) -> list[TitleSuggestion]:
        """Readable titles that start with the typed words (the last one a prefix)."""

    def related(self, scope: ReadScope, text: str, types: tuple[str, ...], limit: int
                ) -> dict[str, list[TitleSuggestion]]:
        """Per type, at most ``limit`` readable items having any of the words, best first."""

    def writing(self, session: Session) -> AbstractContextManager[Write]:
        """Exclusive writing: a ``Write`` whose changes become visible together, when the block
        ends (Whoosh commits its index) or when ``session`` commits (PostgreSQL writes in that
        transaction). Raises IndexBusy when the index cannot be written now."""

    def after_check(self) -> None:
        """Housekeeping after ``kb search check`` (Whoosh deletes retired generations)."""

    def rebuild(self, progress: Progress | None = None, *, processes: int | None = None,
                memory_mb: int = 1024) -> Rebuild:
        """Build the whole index anew from the database beside the live one and make it live
        at once (searches never see it half-built). Items whose documents cannot be built are
        left out and recorded as failed (``kb.search.failures``)."""

    def fingerprints(self) -> Fingerprints:
        """Every indexed document's key with its fingerprint and item key (for check)."""

    def health(self) -> str:
        """"ok", or what is wrong, for /healthz."""

    def ensure(self) -> None:
        """Create an empty index if there is none (kb init, first start)."""

    def warm(self) -> None:
        """Load what the first searches would otherwise pay for (a server worker, before it
        serves)."""

    def warm_thread(self) -> None:
        """Open what a request thread holds between requests (a server worker, in each of its
        threads before it serves)."""

    def close(self) -> None:
        """Let go of readers held by this process (tests, after a rebuild)."""


def gate_now() -> datetime:
    """The moment every engine's gate counts scheduled publications from: now, rounded down
    to the minute, so a scheduled item never shows early (and a minute's gates can be kept)."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def backend_name() -> str:
    return current_app.config["SEARCH_BACKEND"]


def backend() -> SearchBackend:
    """The engine this application is configured for."""
    found = current_app.extensions.get("kb.search.backend")
    if found is None or found.name != backend_name():
        found = _load(backend_name())
        current_app.extensions["kb.search.backend"] = found
    return found


def _load(name: str) -> SearchBackend:
    if name == "postgresql":
        from kb.search.postgresql import PostgresBackend

        return PostgresBackend()
    from kb.search.whoosh import WhooshBackend

    return WhooshBackend()
