"""Full-text search. The rest of kb calls these functions; the engine behind them is chosen
by KB_SEARCH_BACKEND (``backend``: Whoosh on local disk, or PostgreSQL).

Services call ``record_change(item_type, item_id)`` before they commit; the commit brings the
index in step (``sync``). Pages and the API call ``query.search``/``query.suggest_titles``.
"""

from __future__ import annotations

from flask import Flask

from kb import db
from kb.search import failures, sync
from kb.search.backend import backend as engine
from kb.search.maintenance import ensure_index
from kb.search.outbox import record_change

__all__ = ["deferred", "ensure_index", "failed_item_count", "health", "init_app",
           "record_change"]

deferred = sync.deferred


def health() -> str:
    """"ok", or what is wrong with the search index, for /healthz."""
    return engine().health()


def failed_item_count() -> int:
    """How many items could not be indexed (kept out of search until they are fixed)."""
    return failures.count_failed_items(db.session)


def init_app(app: Flask) -> None:
    """Register the search page, the commands and the retry of queued index tasks."""
    from kb.search import commands, views

    views.init_app(app)
    commands.init_app(app)
    app.teardown_request(sync.retry_stale_tasks)
