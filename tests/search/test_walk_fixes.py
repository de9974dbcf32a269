"""Defects of a customer walk through search: paging past the end, an empty sort, field
prefixes kb does not know, the empty result page."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.engines import both_search_backends

pytestmark = both_search_backends


@pytest.fixture
def ledger(publish, demo_accounts):
    for number in range(12):
        publish(f"Ledger note {number:02d}", f"Ledger entry number {number}.")


def test_api_pages_past_the_last_are_empty_so_a_paging_loop_ends(client, api_token, ledger):
    headers = bearer(api_token("xtreme@demo.test"))
    seen, page = [], 1
    while page < 10:
        answer = client.get(f"/api/v1/search?q=ledger&per_page=5&page={page}",
                            headers=headers).get_json()
        assert answer["page"] == page and answer["per_page"] == 5 and answer["pages"] == 3
        assert answer["total"] == 12
        if not answer["results"]:
            break
        seen += [result["id"] for result in answer["results"]]
        page += 1
    assert page == 4 and len(seen) == 12 == len(set(seen))


def test_the_page_past_the_last_links_back_to_the_last(client, auth, ledger):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=ledger&page=7").get_data(as_text=True)
    assert "page 7 is past the last page" in page and "Ledger note" not in page
    assert '<a href="/search?q=ledger">Go to page 1</a>' in page and "Nothing found" not in page


@pytest.mark.parametrize("path", ["/search?q=ledger&sort=", "/api/v1/search?q=ledger&sort="])
def test_an_empty_sort_is_the_default(client, api_token, ledger, path):
    response = client.get(path, headers=bearer(api_token("xtreme@demo.test")))
    assert response.status_code == 200
    if path.startswith("/api"):
        assert response.get_json()["total"] == 12
