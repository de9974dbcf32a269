"""Titles found apart from a search's results: autocomplete (titles starting with the typed
words), related items (any of a few words, a few per type) and locked titles (items above
the reader's plan, matched on the title only, never counted)."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb import plans
from kb.policy import ReadScope
from kb.search.postgresql import clauses
from kb.search.postgresql.clauses import Clause
from kb.search.postgresql.schema import DOCUMENTS, UNSTEMMED
from kb.search.postgresql.scoring import UNSCORED
from kb.search.results import LockedHit, TitleSuggestion

LOCKED_ENTRIES = 5
PREFIX_WORD = re.compile(r"\w+")


def prefix_query(typed: str) -> str | None:
    """``'word' & 'word' & 'prefix':*`` of the typed words (unstemmed, lower-cased); None for
    fewer than two letters."""
    words = [word.lower() for word in PREFIX_WORD.findall(typed)]
    if not words or len("".join(words)) < 2:
        return None
    quoted = [f"'{word}'" for word in words]
    return " & ".join([*quoted[:-1], f"{quoted[-1]}:*"])


def suggest_titles(connection: Connection, scope: ReadScope, typed: str, limit: int
                   ) -> list[TitleSuggestion]:
    query = prefix_query(typed)
    if query is None or scope.nothing:
        return []
    readable = clauses.readable(scope)
    rows = connection.execute(text(f"""
SELECT d.title, d.url, d.type FROM {DOCUMENTS} AS d
WHERE ({readable.sql}) AND d.prefix_words @@ to_tsquery('{UNSTEMMED}', :prefix)
ORDER BY ts_rank(d.prefix_words, to_tsquery('{UNSTEMMED}', :prefix)) DESC, length(d.title), d.key
LIMIT :limit"""), {**readable.params, "prefix": query, "limit": limit})
    return [TitleSuggestion(title, url, type_name) for title, url, type_name in rows]


def related(connection: Connection, scope: ReadScope, typed: str, types: tuple[str, ...],
            limit: int) -> dict[str, list[TitleSuggestion]]:
    """Per type, at most ``limit`` readable items having any of the words, best first; an
    item's URL without a moment (#t=...)."""
    found: dict[str, list[TitleSuggestion]] = {type_name: [] for type_name in types}
    query = clauses.any_word(connection, typed) if not scope.nothing else ""
    if not query or not types:
        return found
    readable = clauses.readable(scope)
    rows = connection.execute(text(f"""
WITH matched AS (
    SELECT d.key, d.item_key, d.type, d.title, d.url, {UNSCORED.sql('rank_words')} AS rank
    FROM {DOCUMENTS} AS d
    WHERE ({readable.sql}) AND d.type = ANY(CAST(:types AS text[]))
      AND d.document @@ CAST(:q AS tsquery)),
best AS (SELECT DISTINCT ON (item_key) * FROM matched ORDER BY item_key, rank DESC, key),
placed AS (SELECT *, row_number() OVER (PARTITION BY type ORDER BY rank DESC, key) AS place
           FROM best)
SELECT type, title, url FROM placed WHERE place <= :limit ORDER BY type, place"""),
        {**readable.params, "q": query, "types": list(types), "limit": limit})
    for type_name, title, url in rows:
        found[type_name].append(TitleSuggestion(title, url.split("#", 1)[0], type_name))
    return found


def locked(connection: Connection, scope: ReadScope, typed: str,
           narrowing: Clause | None) -> list[LockedHit]:
    """Titles of published items the reader's plan does not reach having any of the typed
    words, with the plan each needs: never a snippet, never counted."""
    if scope.everything or scope.nothing:
        return []
    query = clauses.any_word(connection, typed)
    if not query:
        return []
    where = clauses.locked(scope)
    if narrowing is not None:
        where = where & narrowing
    rows = connection.execute(text(f"""
SELECT type, title, feature, min_plan FROM (
    SELECT DISTINCT ON (d.item_key) d.key, d.type, d.title, d.feature, d.min_plan,
           ts_rank_cd(d.title_words, CAST(:q AS tsquery)) AS rank
    FROM {DOCUMENTS} AS d
    -- the document vector holds the title's words too: its index finds the candidates
    WHERE ({where.sql}) AND d.document @@ CAST(:q AS tsquery)
      AND d.title_words @@ CAST(:q AS tsquery)
    ORDER BY d.item_key, rank DESC, d.key) AS found
ORDER BY rank DESC, key LIMIT {LOCKED_ENTRIES}"""), {**where.params, "q": query})
    return [LockedHit(type=type_name, title=title, required_plan=_required_plan(feature, plan))
            for type_name, title, feature, plan in rows]


def _required_plan(feature: str, min_plan: str) -> str:
    return max(min_plan, plans.feature(feature).lowest_plan, key=plans.plan_rank)
