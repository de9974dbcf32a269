"""Searching the Whoosh index: what people type (``parsing``) is run inside the reader's gate
(the scope ``policy.read_scope`` gave), so that ranking, totals, pages, facets, snippets,
spelling suggestions and autocomplete only ever see documents the reader may open. Searches
return ``results.SearchResults``."""

from __future__ import annotations

import heapq

from markupsafe import Markup, escape
from whoosh.query import And, Prefix, Query, Term
from whoosh.searching import Searcher

from kb import plans
from kb.policy import ReadScope
from kb.search.results import (
    Hit,
    LockedHit,
    ResultPage,
    SearchRequest,
    SearchResults,
    TitleSuggestion,
)
from kb.search.typed import clean, plain_words, split_typed_filters
from kb.search.whoosh import evaluate, gates, grouping, index, ranking, snippets, spelling
from kb.search.whoosh.facets import column, facets
from kb.search.whoosh.parsing import (
    filter_query,
    narrowed,
    parse_text,
    relaxable,
    title_parser,
)
from kb.search.whoosh.schema import prefix_analyzer

SNIPPET_CHARACTERS = 240
LOCKED_ENTRIES = 5
SPELLING_BELOW = 3  # offer "did you mean" when fewer results than this
# plain words are first searched all together; with fewer results than this, any of them
RELAX_BELOW = 10


def search(scope: ReadScope, request: SearchRequest, *, locked_titles: bool) -> SearchResults:
    """Search what ``scope`` reaches. Totals, facets and pages count only readable documents."""
    nothing = SearchResults(request=request, page=max(1, request.page))
    searcher = index.searcher()
    text, typed = split_typed_filters(request.text)
    narrowing = filter_query(request, typed)
    allowed = gates.readable(searcher, scope)
    if gates.admits_nothing(allowed) or not (text.strip() or narrowing):
        return nothing
    allowed_set = gates.readable_set(searcher, scope)
    weighting = ranking.weighting_for(text)
    query, plain_terms = parse_text(searcher, text, every_word=True)
    found = _page(searcher, narrowed(query, narrowing), allowed_set, weighting, request)
    if found.total < RELAX_BELOW and relaxable(text):
        query, plain_terms = parse_text(searcher, text)
        if request.sort == "relevance" and not plain_terms:
            query = ranking.with_feedback(searcher, query, text, allowed_set)
        found = _page(searcher, narrowed(query, narrowing), allowed_set, weighting, request)
    suggestion = None
    if text.strip() and found.total < SPELLING_BELOW:
        suggestion = spelling.suggestion(searcher, text, allowed_set)
    locked = []
    if found.page == 1 and text.strip() and locked_titles:
        locked = _locked(searcher, scope, text, narrowing)
    return SearchResults(request=request, total=found.total, page=found.page,
                         pages=found.pages, hits=found.hits, facets=found.facets,
                         suggestion=suggestion, locked=locked, plain_terms=plain_terms)


def _page(searcher: Searcher, query: Query, allowed: set[int] | None, weighting,
          request: SearchRequest) -> ResultPage:
    """The asked page of the matches of ``query`` in ``allowed``; an item of several
    documents (a recording and its transcript lines) counts and shows once."""
    found = evaluate.matches(searcher, query, allowed, weighting)
    found, parts = grouping.grouped(searcher, found)
    total = len(found)
    pages = (total + request.per_page - 1) // request.per_page
    page = max(1, request.page)  # past the last page: an empty page, as the lists answer
    shown = _ranked(searcher, found, request.sort, page * request.per_page) \
        if page <= pages else []
    shown = shown[(page - 1) * request.per_page:]
    words = _highlighted_words(searcher, query) if shown else frozenset()
    hits = [_hit(searcher, docnum, parts.get(docnum, ()), words) for docnum in shown]
    return ResultPage(total=total, page=page, pages=pages, hits=hits,
                      facets=facets(searcher, found))


def _ranked(searcher: Searcher, found: dict[int, float], sort: str, limit: int) -> list[int]:
    """The first ``limit`` documents: by score (the earlier document first on a tie), or the
    most recently updated first."""
    if sort == "date":
        updated = column(searcher, "updated")
        return heapq.nsmallest(limit, found, key=lambda docnum: (-(updated[docnum] or 0), docnum))
    return heapq.nsmallest(limit, found, key=lambda docnum: (-found[docnum], docnum))


def _highlighted_words(searcher: Searcher, query: Query) -> frozenset[str]:
    """The query's words in the text fields, prefixes expanded to the words the index holds:
    the words a snippet marks where it finds them. (Collecting each hit's own matched words
    costs a step for every matching document, not only for the ten shown.) Whoosh's own
    ``existing_terms`` kept only the fields of the first word's first field: a word of the
    bodies alone was never marked."""
    reader = searcher.reader()
    return frozenset(text.decode("utf-8") if isinstance(text, bytes) else text
                     for leaf in query.leaves()
                     for fieldname, text in leaf.expanded_terms(reader, phrases=True)
                     if fieldname in ranking.FIELD_WEIGHTS)


def _hit(searcher: Searcher, docnum: int, parts, words: frozenset[str]) -> Hit:
    stored = index.stored_fields(searcher, docnum)
    snippet = snippets.snippet(stored.get("body") or "", words)
    if not snippet:
        fallback = stored.get("summary") or stored.get("body") or ""
        snippet = escape(_shorten(fallback, SNIPPET_CHARACTERS))
    return Hit(
        key=stored["key"], type=stored["type"], item_id=int(stored["item_id"]),
        title=stored["title"], url=stored["url"], snippet=Markup(snippet),
        updated=stored.get("updated"), kind=stored.get("kind") or "",
        products=[p for p in (stored.get("products") or "").split(",") if p],
        moments=grouping.moments(searcher, parts, words),
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text[: limit * 2].split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _locked(searcher: Searcher, scope: ReadScope, text: str,
            narrowing: Query | None) -> list[LockedHit]:
    """Titles of published items the reader's plan does not reach, matched on the title only
    in a query of its own: they never count in totals or facets and show no text but the
    title."""
    locked = gates.locked(searcher, scope)
    if locked is None or gates.admits_nothing(locked):
        return []
    try:
        query = title_parser(searcher.schema).parse(clean(plain_words(text)))
    except Exception:  # noqa: BLE001 - no locked entries for what cannot be parsed
        return []
    if narrowing is not None:
        query = And([query, narrowing])
    entries = []
    for hit in searcher.search(query, limit=LOCKED_ENTRIES, filter=locked):
        feature = plans.feature(hit["feature"])
        needed = max(hit["min_plan"], feature.lowest_plan, key=plans.plan_rank)
        entries.append(LockedHit(type=hit["type"], title=hit["title"], required_plan=needed))
    return entries


def suggest_titles(scope: ReadScope, text: str, limit: int) -> list[TitleSuggestion]:
    """Titles the reader may open that start with the typed words (the last one a prefix)."""
    words = [token.text for token in prefix_analyzer(text)]
    if not words or len("".join(words)) < 2:
        return []
    searcher = index.searcher()
    allowed = gates.readable(searcher, scope)
    if gates.admits_nothing(allowed):
        return []
    query = And([*(Term("title_prefix", word) for word in words[:-1]),
                 Prefix("title_prefix", words[-1])])
    found = searcher.search(query, limit=limit, filter=allowed)
    return [TitleSuggestion(hit["title"], hit["url"], hit["type"]) for hit in found]
