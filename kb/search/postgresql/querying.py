"""A search on PostgreSQL: the typed words (``websearch_to_tsquery``: "phrases", -word, or)
matched inside the reader's gate, so that ranking, totals, pages and facets only ever see
readable documents. All the words first; with fewer than RELAX_BELOW results, any of them,
ranked by how many of the words a document has and how rare they are (``scoring``). An item
of several documents (a recording and its transcript lines) is one result, its best document
standing for it."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb.policy import ReadScope
from kb.search.postgresql import clauses, hits, spelling, titles
from kb.search.postgresql.clauses import Clause
from kb.search.postgresql.schema import DOCUMENTS
from kb.search.postgresql.scoring import UNSCORED, Scoring, scoring
from kb.search.results import ResultPage, SearchRequest, SearchResults
from kb.search.typed import split_typed_filters

SPELLING_BELOW = 3  # offer "did you mean" when fewer results than this
RELAX_BELOW = 10  # search for any of the words when all of them find fewer than this

FACETS = """
SELECT 'total' AS facet, '' AS value, count(*) AS count FROM best
UNION ALL SELECT 'type', type, count(*) FROM best GROUP BY type
UNION ALL SELECT 'product', product, count(*) FROM best, unnest(products) AS product
          GROUP BY product
UNION ALL SELECT 'version', version, count(*) FROM best, unnest(versions) AS version
          GROUP BY version
UNION ALL SELECT 'kind', kind, count(*) FROM best WHERE kind <> '' GROUP BY kind
"""
FACET_NAMES = ("type", "product", "version", "kind")


class Matches:
    """The readable documents matching a query: SQL for a WITH clause (``matched``: every
    document, ``best``: one per item; ``matched_sql`` the first alone, which PostgreSQL
    inlines into a query that reads it once; ``shown_sql`` the first for some items only)
    and its parameters."""

    def __init__(self, where: Clause, query: str, scored: Scoring = UNSCORED):
        self.query = query
        self.scored = scored
        rank = scored.sql("rank_words") if query else "0"
        self.params = {**where.params, **scored.params(), "q": query}
        documents = _matching_words() if query else f"{DOCUMENTS} AS d"
        self.matched_sql = _matched(rank, documents, where.sql)
        # the matching documents of a few items (``:shown``), found by their item keys
        self.shown_sql = _matched(rank, f"{DOCUMENTS} AS d", f"({where.sql})" + (
            " AND d.item_key = ANY(CAST(:shown AS text[]))"
            + (" AND d.document @@ CAST(:q AS tsquery)" if query else "")))
        self.sql = f"""{self.matched_sql},
best AS (
    SELECT DISTINCT ON (item_key) * FROM matched ORDER BY item_key, rank DESC, key)"""
        # counting needs no rank: any document of an item has its facet values
        self.counted_sql = f"""
best AS (
    SELECT DISTINCT ON (d.item_key) d.item_key, d.type, d.products, d.versions, d.kind
    FROM {documents} WHERE {where.sql} ORDER BY d.item_key)"""

    def counts(self, connection: Connection) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """How many items match, and the facets' values with their counts."""
        rows = connection.execute(text(f"WITH {self.counted_sql} {FACETS}"), self.params).all()
        total = next((count for facet, _, count in rows if facet == "total"), 0)
        if not total:
            return 0, {}
        facets = {name: sorted(((value, count) for facet, value, count in rows
                                if facet == name), key=lambda pair: (-pair[1], pair[0]))
                  for name in FACET_NAMES}
        return total, facets


def _matched(rank: str, documents: str, where: str) -> str:
    return f"""
matched AS (
    SELECT d.key, d.item_key, d.type, d.products, d.versions, d.kind, d.updated,
           d.position, {rank} AS rank
    FROM {documents} WHERE {where})"""


def _matching_words() -> str:
    """The documents with the words (``:q``), found through the GIN index before the gate and
    the filters are applied to them (``OFFSET 0`` keeps PostgreSQL from merging the two).
    Merged, the planner may walk a gate column's index instead and match the words in every
    row it passes, unpacking each row's document vector: at 50,000 documents a common word
    took 620 ms that way for an Xtreme reader, 210 ms this way."""
    return (f"(SELECT * FROM {DOCUMENTS} AS found WHERE found.document @@ CAST(:q AS tsquery) "
            "OFFSET 0) AS d")


def search(connection: Connection, scope: ReadScope, request: SearchRequest, *,
           locked_titles: bool) -> SearchResults:
    nothing = SearchResults(request=request, page=max(1, request.page))
    if scope.nothing:
        return nothing
    typed_text, typed = split_typed_filters(request.text)
    narrowing = clauses.narrowing(request, typed)
    where = clauses.readable(scope)
    if narrowing is not None:
        where = where & narrowing
    query = clauses.text_query(connection, typed_text) if typed_text.strip() else None
    if query is not None and not query.every and narrowing is None:
        return nothing  # only stop words, and nothing else asked
    if query is None and narrowing is None:
        return nothing
    scored = scoring(connection, query.typed) if query else UNSCORED
    matches = Matches(where, query.every if query else "", scored)
    counted = matches.counts(connection)
    if query is not None and counted[0] < RELAX_BELOW and clauses.relaxable(typed_text) \
            and len(query.words) > 1:
        matches = Matches(where, query.any, scored)
        counted = matches.counts(connection)
    found = _page(connection, matches, counted, request)
    suggestion = None
    if typed_text.strip() and found.total < SPELLING_BELOW:
        suggestion = spelling.suggestion(connection, clauses.readable(scope), typed_text)
    locked = []
    if locked_titles and found.page == 1 and typed_text.strip():
        locked = titles.locked(connection, scope, typed_text, narrowing)
    return SearchResults(request=request, total=found.total, page=found.page,
                         pages=found.pages, hits=found.hits, facets=found.facets,
                         suggestion=suggestion, locked=locked, plain_terms=False)


def _page(connection: Connection, matches: Matches,
          counted: tuple[int, dict[str, list[tuple[str, int]]]], request: SearchRequest
          ) -> ResultPage:
    total, facets = counted
    per_page = max(1, request.per_page)
    pages = (total + per_page - 1) // per_page
    page = max(1, request.page)  # past the last page: an empty page, as the lists answer
    shown = hits.page(connection, matches, request.sort, per_page, (page - 1) * per_page,
                      hits.typed_words(request.text)) if page <= pages else []
    return ResultPage(total=total, page=page, pages=pages, hits=shown, facets=facets)
