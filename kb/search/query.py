"""Searching, whatever engine runs it: the reader's gate (``policy.read_scope``) is decided
here once and handed to the engine (``backend.backend()``), which applies it before ranking,
counting, paging and facets. Pages, the API and other areas call these functions."""

from __future__ import annotations

from dataclasses import replace

from werkzeug.local import LocalProxy

from kb import policy
from kb.search.backend import backend
from kb.search.results import (
    Hit,
    LockedHit,
    SearchRequest,
    SearchResults,
    TitleSuggestion,
)
from kb.search.typed import (
    abbreviated,
    glued_apart,
    split_typed_filters,
    typed_filters,
    without_field_prefixes,
)

__all__ = ["Hit", "LockedHit", "SearchRequest", "SearchResults", "TitleSuggestion", "related",
           "search", "suggest_titles"]


def search(user, request: SearchRequest) -> SearchResults:
    """Search what ``user`` may read. Totals, facets and pages count only readable documents.
    When the typed words find nothing and their spelling suggestion finds something, the
    results are the suggestion's (``corrected_query``), unless asked ``as_typed``."""
    user = _resolved(user)
    scope = policy.read_scope(user)
    if scope.nothing:
        return SearchResults(request=request, page=max(1, request.page))
    locked_titles = policy.sees_locked_titles(user)
    found = _searched(scope, request, locked_titles)
    if found.total or request.as_typed:
        return found
    for suggestion in _suggestions(found.suggestion, request.text):
        corrected = " ".join([suggestion, typed_filters(request.text)]).strip()
        instead = _searched(scope, replace(request, text=corrected), locked_titles)
        if instead.total:
            instead.request, instead.corrected_query = request, corrected
            instead.suggestion = suggestion
            return instead
    return found


def _suggestions(spelling: str | None, text: str) -> list[str]:
    """What to search instead of typed words that found nothing: their spelling suggestion,
    then glued codes apart (HUB430 as HUB-430, v12 as 12)."""
    words = split_typed_filters(text)[0]
    apart = " ".join(glued_apart(words).split())
    return [*([spelling] if spelling else []),
            *([apart] if apart != " ".join(words.split()) else [])]


def _searched(scope: policy.ReadScope, request: SearchRequest, locked_titles: bool
              ) -> SearchResults:
    """The engine's results, releases asked for by their abbreviations (SP1 for "service
    pack 1", which the engines index beside the spelled-out form), field prefixes kb does not
    search by as words (``typed.without_field_prefixes``)."""
    text = abbreviated(without_field_prefixes(request.text))
    found = backend().search(scope, replace(request, text=text),
                             locked_titles=locked_titles)
    found.request = request
    return found


def suggest_titles(user, text: str, limit: int = 8) -> list[TitleSuggestion]:
    """Titles the reader may open that start with the typed words (the last one a prefix)."""
    scope = policy.read_scope(_resolved(user))
    if scope.nothing:
        return []
    return backend().suggest_titles(scope, text, limit)


def related(user, text: str, types: tuple[str, ...], limit: int
            ) -> dict[str, list[TitleSuggestion]]:
    """Per type, at most ``limit`` items ``user`` may open that have any of the words of
    ``text``, the most relevant first; an item's URL without a moment (#t=...)."""
    scope = policy.read_scope(_resolved(user))
    if scope.nothing:
        return {type_name: [] for type_name in types}
    return backend().related(scope, text, types, limit)


def _resolved(user):
    """The user behind Flask-Login's ``current_user``: each attribute read through that proxy
    looks the user up again, and deciding a search's scope reads about 250 of them."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user
