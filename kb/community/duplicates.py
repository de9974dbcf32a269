"""While a customer types a question's title: the questions and articles it resembles, found by
the search index (one search over the community and the knowledge base), as far as the
customer may read them."""

from __future__ import annotations

from kb import policy
from kb.search import query
from kb.search.typed import plain_words
from kb.search.views import SEARCH_FEATURE

LIMIT = 6
MIN_CHARACTERS = 4
TYPE_LABELS = {"question": "Question", "article": "Article"}


def similar(user, title: str) -> list[dict]:
    """Up to ``LIMIT`` readable questions and articles matching the title's words."""
    policy.require(user, "community")
    title = " ".join((title or "").split())[:200]
    if len(title) < MIN_CHARACTERS or not policy.can(user, SEARCH_FEATURE):
        return []
    # the words only: the title is not a query (no operators, no product: filters)
    words = plain_words(title)
    if not words.strip():
        return []
    results = query.search(user, query.SearchRequest(
        text=words, types=tuple(TYPE_LABELS), per_page=LIMIT))
    return [{"type": hit.type, "label": TYPE_LABELS.get(hit.type, hit.type),
             "title": hit.title, "url": hit.url} for hit in results.hits]
