"""The gate of the PostgreSQL backend is part of the query: what a reader may not open never
shows in results, totals or facets, by any of its words; a programme's items only its members
find. (The gate tests of tests/search/test_gating.py run on this backend too.)"""

from __future__ import annotations

from kb import db, policy
from kb.accounts.queries import user_by_email
from kb.search.results import SearchRequest
from tests.search_pg.conftest import index, only_on_postgres

pytestmark = only_on_postgres

def test_xtreme_cannot_find_a_premium_only_article_by_any_of_its_words(find, put):
    put("Quarterly ledger reconciliation", "Reconcile the ledger every quarter.",
        min_plan="premium")
    for text in ("quarterly ledger reconciliation", "ledger", '"ledger reconciliation"'):
        results = find("xtreme", text)
        assert (results.total, results.hits) == (0, [])
        assert all(count == 0 for facet in results.facets.values() for _, count in facet)
        assert find("premium", text).total == 1


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
    # the searches after it are a later request's: a session keeps the memberships it read
    # (kb.programmes.membership) until its transaction ends
    db.session.rollback()
    assert found("elite") == [patch]
    assert found("premium") == []


def programme_world(programme_id: int):
    """What ``apply_and_accept`` reads of the programmes' test world: the programme."""
    from types import SimpleNamespace

    return SimpleNamespace(programme=programme_id)
