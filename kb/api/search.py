"""/api/v1/search: the same query layer and gate as the search page."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.openapi import PAGE, documented, query_parameter
from kb.api.responses import respond
from kb.api.responses.search import SearchResults
from kb.search import query
from kb.search.params import MAX_PER_PAGE, search_request
from kb.search.results import Hit
from kb.search.views import SEARCH_FEATURE


@blueprint.get("/search")
@documented(
    "Search everything you may read; snippets are HTML with matched words in <mark>",
    parameters=[
        query_parameter("q", description="words, \"phrases\", AND/OR/NOT, prefix*, product:"),
        query_parameter("type", description="article, release-note, ... (repeatable); another "
                        "value is refused (422, with the \"allowed\" ones)"),
        query_parameter("product", description="product slug or name (repeatable); an unknown "
                        "one is refused (422)"),
        query_parameter("version", description="version name, e.g. 12.0, or product@version "
                        "(repeatable); one no product has is refused (422)"),
        query_parameter("kind", description="how-to, reference, troubleshooting, workaround, "
                        "patch, service-pack, regulatory, release, solved, or a topic's status "
                        "(repeatable); another value is refused (422, with the \"allowed\" "
                        "ones)"),
        query_parameter("sort", description="relevance (default) or date"),
        query_parameter("as_typed", "boolean", "1: the typed words only, never the results of "
                        "their spelling suggestion"),
        PAGE,
        query_parameter("per_page", "integer", f"at most {MAX_PER_PAGE} (a larger number asks "
                        "for the largest page)", minimum=1, maximum=MAX_PER_PAGE),
    ],
    responses={"200": "Results (a recording once, with its matching \"moments\"), total and "
                      "facets. When the typed words find nothing and their spelling suggestion "
                      "does, the suggestion's results, its query in \"corrected_query\"",
               "422": "A bad page, per_page or sort, an unknown type, product, version or "
                      "kind",
               "403": "No search for this account now (e.g. \"reason\": \"term_lapsed\")"},
    response_model=SearchResults,
)
def search():
    policy.require(current_user, SEARCH_FEATURE)
    asked = search_request(current_user, request.args, per_page=current_app.config["PAGE_SIZE"])
    results = query.search(current_user, asked)
    return respond(SearchResults, {
        "total": results.total,
        "page": results.page,
        "per_page": asked.per_page,
        "pages": results.pages,
        "results": [_result(hit) for hit in results.hits],
        "facets": {name: dict(counts) for name, counts in results.facets.items()},
        "suggestion": results.suggestion,
        "corrected_query": results.corrected_query,
        "locked": [{"type": entry.type, "title": entry.title,
                    "required_plan": entry.required_plan} for entry in results.locked],
    })


def _result(hit: Hit) -> dict:
    """A hit; a recording's carries its matching transcript moments (seconds, url, snippet)."""
    result = {"type": hit.type, "id": hit.item_id, "title": hit.title, "url": hit.url,
              "snippet": str(hit.snippet)}
    if hit.moments:
        result["moments"] = [{"seconds": moment.seconds, "url": moment.url,
                              "snippet": str(moment.snippet)} for moment in hit.moments]
    return result
