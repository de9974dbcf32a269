"""Full-text search. The only package that knows Whoosh; the rest of kb calls these functions."""

from __future__ import annotations

from kb.search.index import ensure_index, health

__all__ = ["ensure_index", "health"]
