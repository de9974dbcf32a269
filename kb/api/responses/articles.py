"""The answers of /api/v1/articles and /api/v1/release-notes."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody

LOCKED = "null when locked"


class _Item(ResponseBody):
    slug: str
    title: str
    min_plan: str
    products: list[str]
    updated: IsoDateTime
    url: str
    locked: bool = Field(description="the caller's plan may not read it")


class ArticleSummary(_Item):
    kind: str | None
    versions: list[str]
    tags: list[str]
    critical: bool
    summary: str | None = Field(description=LOCKED)


class Article(ArticleSummary):
    """One article or release note, readable by the caller."""

    type: str
    html: str
    toc: str
    markdown: str
    published: IsoDateTime | None


class ReleaseNote(_Item):
    product: str | None
    version: str | None
    released: IsoDate | None
    summary: str | None = Field(description=LOCKED)
    highlights: str | None = Field(description=LOCKED)
    articles: list[str] = Field(description="addresses of the linked articles the caller may "
                                            "read")


class _Page(ResponseBody):
    total: int
    page: int
    per_page: int
    pages: int


class ArticlePage(_Page):
    items: list[ArticleSummary]


class ReleaseNotePage(_Page):
    items: list[ReleaseNote]
