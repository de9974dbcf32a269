"""The gate of the PostgreSQL backend is part of the query: what a reader may not open never
shows in results, totals, facets or suggestions; staff find everything; a programme's items
only its members."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kb import policy
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.search.results import SearchRequest
from tests.search_pg.conftest import index, only_on_postgres, titles

pytestmark = only_on_postgres

READERS_OF = {
    "xtreme": {"xtreme"},
    "premium": {"xtreme", "premium"},
    "elite": {"xtreme", "premium", "elite"},
    "lapsed": set(),
    "staff": {"xtreme", "premium", "elite", "draft", "scheduled"},
}
TITLE_OF = {"xtreme": "Flamingo basics", "premium": "Flamingo posting",
            "elite": "Flamingo zebrafish elite tuning", "draft": "Flamingo draft",
            "scheduled": "Flamingo scheduled"}
SECRET_OF = {"xtreme": "xtremeword", "premium": "premiumword", "elite": "zebrafishword",
             "draft": "draftword", "scheduled": "scheduledword"}
PRODUCT_OF = {"xtreme": "orbit-erp", "premium": "orbit-analytics",
              "elite": "orbit-integration-hub"}


@pytest.fixture
def gated_articles(put):
    put("Flamingo basics", "Flamingo care for everyone: xtremeword.", min_plan="xtreme",
        products=("Orbit ERP",), kind="how-to")
    put("Flamingo posting", "Flamingo posting groups: premiumword.", min_plan="premium",
        products=("Orbit Analytics",), kind="reference")
    put("Flamingo zebrafish elite tuning", "Flamingo tuning: zebrafishword.",
        min_plan="elite", products=("Orbit Integration Hub",), kind="troubleshooting")
    put("Flamingo draft", "Flamingo unfinished: draftword.", status="draft")
    put("Flamingo scheduled", "Flamingo future: scheduledword.",
        publish_at=utcnow() + timedelta(days=2))


@pytest.mark.parametrize("role", sorted(READERS_OF))
def test_results_totals_and_facets_hold_only_what_the_reader_may_open(find, gated_articles,
                                                                      role):
    readable = READERS_OF[role]
    results = find(role, "flamingo")
    assert sorted(titles(results)) == sorted(TITLE_OF[r] for r in readable)
    assert results.total == len(readable)
    assert dict(results.facets.get("product", [])) == {PRODUCT_OF[r]: 1 for r in readable
                                               if r in PRODUCT_OF}
    assert sum(count for _, count in results.facets.get("type", [])) == len(readable)
    for name, secret in SECRET_OF.items():
        found = find(role, secret)
        assert (found.total == 1) == (name in readable), (role, secret)
        assert found.total == len(found.hits)


def test_xtreme_cannot_find_a_premium_only_article_by_any_of_its_words(find, put):
    put("Quarterly ledger reconciliation", "Reconcile the ledger every quarter.",
        min_plan="premium")
    for text in ("quarterly ledger reconciliation", "ledger", '"ledger reconciliation"'):
        results = find("xtreme", text)
        assert (results.total, results.hits) == (0, [])
        assert all(count == 0 for facet in results.facets.values() for _, count in facet)
        assert find("premium", text).total == 1


def test_nothing_typed_widens_the_gate(find, gated_articles):
    for text in ("min_plan:elite flamingo", "flamingo or zebrafishword",
                 "status:draft draftword", "flamingo -xtremeword"):
        found = {hit.title for hit in find("xtreme", text).hits}
        assert found <= {TITLE_OF["xtreme"]}, text


def test_a_scheduled_article_shows_once_its_time_has_come(find, put):
    article = put("Pelican migration", "Pelicans.", publish_at=utcnow() + timedelta(days=1))
    assert find("xtreme", "pelican").total == 0
    put("Pelican migration", "Pelicans.", slug="pelican-migration",
        publish_at=utcnow() - timedelta(minutes=2))
    assert [hit.item_id for hit in find("xtreme", "pelican").hits] == [article]


def test_a_programme_item_is_found_by_its_members_only(app, backend, reader):
    from tests.programmes.conftest import (
        PATCH_WORD,
        apply_and_accept,
        open_programme,
        restricted_patch,
    )

    staff = user_by_email("staff@demo.test")
    programme = open_programme(staff)
    patch = restricted_patch(staff, programme.id)
    index(backend, "patch", patch)

    def found(role: str) -> list[int]:
        user = reader(role)
        results = backend.search(policy.read_scope(user), SearchRequest(text=PATCH_WORD),
                                 locked_titles=policy.sees_locked_titles(user))
        assert not results.locked  # never a locked entry: it does not exist for them
        return [hit.item_id for hit in results.hits]

    assert found("elite") == [] and found("xtreme") == []
    assert found("staff") == [patch]
    apply_and_accept(app, programme_world(programme.id))
    assert found("elite") == [patch]
    assert found("premium") == []


def programme_world(programme_id: int):
    """What ``apply_and_accept`` reads of the programmes' test world: the programme."""
    from types import SimpleNamespace

    return SimpleNamespace(programme=programme_id)
