"""The search page and its title autocomplete."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kb import db, filter_pages, policy
from kb.errors import Invalid
from kb.filter_values import UnknownFilter
from kb.products.models import Product
from kb.search import query
from kb.search.params import MAX_QUERY_CHARACTERS, search_request
from kb.search.staff_labels import state_labels
from kb.search.typed import KIND_LABELS, TYPE_LABELS
from kb.web import set_site_search, wants_json

blueprint = Blueprint("search", __name__)
# searching the knowledge base is part of the online support portal
SEARCH_FEATURE = "online_portal"


@blueprint.get("/search")
@login_required
def search_page():
    """Search, or (403) why this user's search finds nothing, e.g. a lapsed support term, or
    (422) what is wrong with what was asked, the typed words kept in the search box."""
    denial = policy.feature_denial(current_user, SEARCH_FEATURE)
    if denial is not None and wants_json():
        raise denial  # a script with a token: the denial as JSON, as every error
    try:
        asked = search_request(current_user, request.args, per_page=current_app.config["PAGE_SIZE"])
    except Invalid as problem:
        if wants_json():
            raise
        asked = query.SearchRequest(text=request.args.get("q", "")[:MAX_QUERY_CHARACTERS])
        refused = (filter_pages.refusal(problem) if isinstance(problem, UnknownFilter)
                   else {})  # with a link to this search without that filter
        return render_template("search/results.html", asked=asked, results=None,
                               labels={}, type_names=TYPE_LABELS, kind_names=KIND_LABELS,
                               denial=denial, states={}, problem=problem.message, **refused), 422
    results = query.search(current_user, asked) if asked.asks_something and not denial else None
    states = state_labels(results.hits) if results and policy.acts_as_staff(current_user) else {}
    return render_template(
        "search/results.html", asked=asked, results=results, labels=facet_labels(),
        type_names=TYPE_LABELS, kind_names=KIND_LABELS, denial=denial, states=states,
    ), 403 if denial else 200


def facet_labels() -> dict[str, str]:
    """Display names of product slugs and "product@version" facet values."""
    labels = {}
    for product in db.session.scalars(select(Product).options(selectinload(Product.versions))):
        labels[product.slug] = product.name
        for version in product.versions:
            labels[f"{product.slug}@{version.name}"] = f"{product.name} {version.name}"
    return labels


@blueprint.get("/search/suggest")
@login_required
def suggest():
    titles = query.suggest_titles(current_user, request.args.get("q", "")[:200])
    return jsonify([{"title": t.title, "url": t.url, "type": t.type} for t in titles])


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    set_site_search(app, "search.search_page", SEARCH_FEATURE)
