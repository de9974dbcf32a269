"""Full-text search. The only package that knows Whoosh; the rest of kb calls these functions."""

from __future__ import annotations

from kb.search.index import ensure_index, health
from kb.search.outbox import record_change

__all__ = ["ensure_index", "health", "record_change"]
