"""Search is gated inside the query: what a reader may not open never shows in results,
totals, facets, snippets, spelling suggestions or autocomplete, and nothing typed widens it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kb.db import utcnow
from kb.search import backend
from kb.search.query import SearchRequest, search, suggest_titles
from kb.search.sync import deferred
from kb.search.whoosh import gates, parsing
from tests.engines import both_search_backends
from tests.search.conftest import titles

pytestmark = both_search_backends

READERS_OF = {
    "xtreme": {"xtreme"},
    "premium": {"xtreme", "premium"},
    "elite": {"xtreme", "premium", "elite"},
    "lapsed": set(),
    "staff": {"xtreme", "premium", "elite", "draft", "scheduled"},
}


@pytest.fixture
def gated_articles(publish):
    """One article per plan, a draft and a scheduled one, all about flamingos, each with a
    word only it contains (its 'secret'). Indexed together when the last is published (one
    index commit, as an import does, instead of one per article)."""
    with deferred():
        _publish_gated_articles(publish)


def _publish_gated_articles(publish) -> None:
    publish("Flamingo basics", "Flamingo care for everyone: xtremeword.", min_plan="xtreme",
            products=("Orbit ERP",), kind="how-to")
    publish("Flamingo posting", "Flamingo posting groups: premiumword.", min_plan="premium",
            products=("Orbit Analytics",), kind="reference")
    publish("Flamingo zebrafish elite tuning", "Flamingo tuning: zebrafishword.",
            min_plan="elite", products=("Orbit Integration Hub",), kind="troubleshooting")
    publish("Flamingo draft", "Flamingo unfinished: draftword.", status="draft")
    publish("Flamingo scheduled", "Flamingo future: scheduledword.",
            publish_at=utcnow() + timedelta(days=2))


SECRET_OF = {"xtreme": "xtremeword", "premium": "premiumword", "elite": "zebrafishword",
             "draft": "draftword", "scheduled": "scheduledword"}
TITLE_OF = {"xtreme": "Flamingo basics", "premium": "Flamingo posting",
            "elite": "Flamingo zebrafish elite tuning", "draft": "Flamingo draft",
            "scheduled": "Flamingo scheduled"}
PRODUCT_OF = {"xtreme": "orbit-erp", "premium": "orbit-analytics",
              "elite": "orbit-integration-hub"}


@pytest.mark.parametrize("role", sorted(READERS_OF))
def test_results_totals_and_facets_hold_only_what_the_reader_may_open(reader, gated_articles,
                                                                      role):
    user = reader(role)
    readable = READERS_OF[role]
    results = search(user, SearchRequest(text="flamingo"))
    assert sorted(hit.title for hit in results.hits) == sorted(TITLE_OF[r] for r in readable)
    assert results.total == len(readable)
    facet_products = dict(results.facets.get("product", []))
    assert facet_products == {PRODUCT_OF[r]: 1 for r in readable if r in PRODUCT_OF}
    assert sum(dict(results.facets.get("type", [])).values()) == len(readable)
    for hit in results.hits:
        for name, secret in SECRET_OF.items():
            if name not in readable:
                assert secret not in hit.snippet


@pytest.mark.parametrize("role", sorted(READERS_OF))
def test_words_of_unreadable_items_find_nothing_and_are_never_suggested(reader, gated_articles,
                                                                       role):
    user = reader(role)
    for name, secret in SECRET_OF.items():
        found = search(user, SearchRequest(text=secret))
        assert found.total == (1 if name in READERS_OF[role] else 0), (name, secret)
        misspelt = search(user, SearchRequest(text=secret[:-2] + "xx"))
        if name not in READERS_OF[role]:
            assert misspelt.suggestion is None
    suggested = [s.title for s in suggest_titles(user, "flamingo")]
    assert sorted(suggested) == sorted(TITLE_OF[r] for r in READERS_OF[role])
    assert [s.title for s in suggest_titles(user, "flamingo zebra")] == (
        [TITLE_OF["elite"]] if "elite" in READERS_OF[role] else [])


def test_did_you_mean_offers_only_words_of_readable_items(reader, gated_articles):
    assert search(reader("xtreme"), SearchRequest(text="flamngo")).suggestion == "flamingo"
    assert search(reader("premium"), SearchRequest(text="postng")).suggestion == "posting"
    assert search(reader("xtreme"), SearchRequest(text="postng")).suggestion is None
    assert search(reader("elite"), SearchRequest(text="zebrafsh")).suggestion == "zebrafish"
    for role in ("xtreme", "premium", "lapsed"):
        assert search(reader(role), SearchRequest(text="zebrafsh")).suggestion is None


def test_items_above_the_plan_are_locked_titles_only_and_never_counted(reader, gated_articles):
    results = search(reader("xtreme"), SearchRequest(text="flamingo"))
    locked = {entry.title: entry.required_plan for entry in results.locked}
    assert locked == {"Flamingo posting": "premium", "Flamingo zebrafish elite tuning": "elite"}
    assert results.total == 1
    assert not search(reader("elite"), SearchRequest(text="flamingo")).locked
    assert not search(reader("staff"), SearchRequest(text="flamingo")).locked
    assert not search(reader("lapsed"), SearchRequest(text="flamingo")).locked
    # a locked entry is found by its title only: body words of other plans find nothing
    assert not search(reader("xtreme"), SearchRequest(text="zebrafishword")).locked


def test_a_reader_who_may_read_nothing_that_matches_gets_nothing(reader, publish):
    publish("Only for elite", "Walrus handbook.", min_plan="elite")
    results = search(reader("premium"), SearchRequest(text="walrus"))
    assert results.total == 0 and results.hits == [] and results.facets == {}
    assert suggest_titles(reader("premium"), "only for") == []


def test_a_scheduled_item_appears_once_its_time_has_come(reader, gated_articles, monkeypatch):
    assert titles(reader("xtreme"), "scheduledword") == []
    later = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    monkeypatch.setattr(backend, "gate_now", lambda: later)
    assert titles(reader("xtreme"), "scheduledword") == ["Flamingo scheduled"]


ATTACKS = [
    "min_plan:xtreme flamingo", "min_plan:elite", "status:draft", "status:unpublished flamingo",
    "feature:how_to flamingo", "*", "**", "*:*", "flamingo OR *", "title:*", "body:zebrafishword",
    "min_plan:[a TO z]", "visible_from:[19000101 TO 30000101] flamingo", "key:*",
    "zebrafish*", "zebrafishwor*", "z*", "type:article flamingo", "product:orbit-integration-hub",
    "kind:troubleshooting", "version:*", "flamingo^100", "NOT xtremeword",
    "type:article OR min_plan:elite", "(min_plan:elite)", "'status:draft'",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_nothing_typed_widens_the_gate(reader, gated_articles, text):
    for role in ("xtreme", "premium", "lapsed"):
        results = search(reader(role), SearchRequest(text=text, per_page=100))
        allowed = {TITLE_OF[r] for r in READERS_OF[role]}
        assert {hit.title for hit in results.hits} <= allowed, (role, text)
        assert results.total <= len(allowed)
        assert all(count <= len(allowed) for facet in results.facets.values()
                   for _, count in facet)
        assert {s.title for s in suggest_titles(reader(role), text)} <= allowed


def test_typed_filters_only_narrow(reader, gated_articles):
    elite = reader("elite")
    assert titles(elite, "flamingo product:orbit-erp") == ["Flamingo basics"]
    assert titles(elite, 'flamingo product:"Orbit Analytics"') == ["Flamingo posting"]
    assert titles(elite, "flamingo kind:troubleshooting") == ["Flamingo zebrafish elite tuning"]
    assert titles(elite, "flamingo type:release-note") == []
    assert sorted(titles(elite, "flamingo", products=("orbit-erp", "orbit-analytics"))) == [
        "Flamingo basics", "Flamingo posting"]


def test_the_gate_is_a_query_on_index_fields_not_a_check_after_ranking(reader, gated_articles):
    """The filter handed to Whoosh is built from the read scope; staff get none at all."""
    from kb import policy

    scope = policy.read_scope(reader("premium"))
    built = repr(gates.readable_query(scope, utcnow()))
    assert "min_plan" in built and "'elite'" not in built and "status" in built
    assert gates.readable_query(policy.read_scope(reader("staff")), utcnow()) is None
    assert parsing.TEXT_FIELDS == ("title", "summary", "body", "identifiers")
