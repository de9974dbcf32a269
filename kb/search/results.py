"""What a search is asked and what it answers, whatever engine runs it: the request, the hits
(a recording with its matching moments), locked titles and title suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

FACET_ATTRIBUTES = {"type": "types", "product": "products", "version": "versions",
                    "kind": "kinds"}


@dataclass(frozen=True)
class SearchRequest:
    """One search as asked: the typed text and the filters chosen beside it."""

    text: str = ""
    types: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sort: str = "relevance"  # or "date": newest first
    page: int = 1
    per_page: int = 20
    # the typed text exactly: no corrected search when it finds nothing ("search instead for")
    as_typed: bool = False

    @property
    def asks_something(self) -> bool:
        return bool(self.text.strip() or self.types or self.products or self.versions
                    or self.kinds)

    def arguments(self, **changes) -> dict:
        """URL arguments of this search with ``changes`` (for links to facets and pages)."""
        values = {"q": self.text, "type": list(self.types), "product": list(self.products),
                  "version": list(self.versions), "kind": list(self.kinds), "sort": self.sort,
                  "page": self.page, "as_typed": 1 if self.as_typed else None}
        values.update(changes)
        return {name: value for name, value in values.items()
                if value not in ("", [], None) and not (name == "page" and value == 1)
                and not (name == "sort" and value == "relevance")}

    @property
    def chosen_filters(self) -> list[tuple[str, str]]:
        """Each filter value chosen, as (facet, value), in the facets' order."""
        return [(facet, value) for facet, attribute in FACET_ATTRIBUTES.items()
                for value in getattr(self, attribute)]

    def without_filters(self) -> dict:
        """Arguments of this search with no filter chosen: its words and sort kept."""
        return self.arguments(**{facet: [] for facet in FACET_ATTRIBUTES}, page=1)

    def toggled(self, facet: str, value: str) -> dict:
        """Arguments with ``value`` added to or removed from the chosen ``facet`` filter."""
        chosen = list(getattr(self, FACET_ATTRIBUTES[facet]))
        chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        return self.arguments(**{facet: chosen, "page": 1})


@dataclass(frozen=True)
class Moment:
    """A matching part of a result: a transcript line, opened at its time."""

    seconds: int
    url: str
    snippet: Markup

    @property
    def timestamp(self) -> str:
        """``m:ss``, or ``h:mm:ss`` from an hour on."""
        hours, rest = divmod(self.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@dataclass
class Hit:
    key: str
    type: str
    item_id: int
    title: str
    url: str
    snippet: Markup
    updated: datetime | None
    products: list[str]
    kind: str
    moments: list[Moment] = field(default_factory=list)


@dataclass
class LockedHit:
    """A readable title of an item above the reader's plan: never a snippet or summary."""

    type: str
    title: str
    required_plan: str


@dataclass(frozen=True)
class ResultPage:
    """One page of ranked results with the counts of all of them."""

    total: int = 0
    page: int = 1
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@dataclass
class SearchResults:
    request: SearchRequest
    total: int = 0
    page: int = 1
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    locked: list[LockedHit] = field(default_factory=list)
    plain_terms: bool = False  # the query could not be read as written; its words were used
    # the query these results are of when the typed one found nothing and its spelling
    # suggestion did (the typed one is ``request.text``)
    corrected_query: str | None = None


@dataclass(frozen=True)
class TitleSuggestion:
    title: str
    url: str
    type: str
