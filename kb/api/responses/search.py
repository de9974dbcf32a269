"""The answer of /api/v1/search."""

from __future__ import annotations

from kb.api.responses import ResponseBody, may_be_absent


class Moment(ResponseBody):
    seconds: int
    url: str
    snippet: str


class SearchResult(ResponseBody):
    type: str
    id: int
    title: str
    url: str
    snippet: str
    moments: list[Moment] = may_be_absent("a recording's matching transcript moments")


class LockedResult(ResponseBody):
    type: str
    title: str
    required_plan: str


class SearchResults(ResponseBody):
    total: int
    page: int  # as asked: a page past the last one has no results
    per_page: int
    pages: int  # how many pages of per_page the total makes
    results: list[SearchResult]
    facets: dict[str, dict[str, int]]
    suggestion: str | None
    # the query whose results these are when the typed one found nothing (else null)
    corrected_query: str | None
    locked: list[LockedResult]
