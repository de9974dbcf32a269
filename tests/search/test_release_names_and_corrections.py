"""What a customer types that search used to answer with nothing: release abbreviations (SP1
for "service pack 1")."""

from __future__ import annotations

import re

import pytest

from tests.engines import both_search_backends

pytestmark = both_search_backends


@pytest.fixture
def releases(publish, demo_accounts):
    publish("Orbit ERP 12.0 service pack 1", "Every fix since 12.0, including the first patch.",
            products=("Orbit ERP",), versions=("12.0",))
    publish("Known reporting issues", "Reports are slow on 12.0 CU1 until rebuilt.")
    publish("Upgrade checklist", "Install SP2 before the upgrade, then hotfix 3.")
    publish("Invoice numbers", "Invoice numbers run in series per company.")
    publish("Ledger basics", "Service desks pack their work in queues of 1, 3 or 12 items.")


def titles_found(client, text: str) -> list[str]:
    """The titles of the results, best first."""
    page = client.get("/search", query_string={"q": text}).get_data(as_text=True)
    return re.findall(r'class="hit-title">([^<]*)</a>', page)


SERVICE_PACK, CUMULATIVE_UPDATE = "Orbit ERP 12.0 service pack 1", "Known reporting issues"


@pytest.mark.parametrize("typed, found", [
    ("SP1", [SERVICE_PACK]),
    ("sp1", [SERVICE_PACK]),
    ("SP 1", [SERVICE_PACK]),
    ("cumulative update 1", [CUMULATIVE_UPDATE]),
    ("service pack 2", ["Upgrade checklist"]),
    ("HF3", ["Upgrade checklist"]),
    ("hot-fix 3", ["Upgrade checklist"]),
    # both have 12.0; the one with CU1 too, not only the one with 12.0 in its title
    ("12.0CU1", [SERVICE_PACK, CUMULATIVE_UPDATE]),
])
def test_release_abbreviations_find_their_spelled_out_forms_and_back(client, auth, releases,
                                                                     typed, found):
    auth.login("xtreme@demo.test")
    assert sorted(titles_found(client, typed)) == sorted(found)


def test_a_release_number_is_its_own(client, auth, releases):
    auth.login("xtreme@demo.test")
    assert titles_found(client, "SP3") == []
    assert titles_found(client, "service pack 12") == []  # not "service ... pack ... 12"
    assert titles_found(client, '"service pack 1"') == [SERVICE_PACK]
