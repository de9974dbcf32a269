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


@pytest.fixture
def excel(publish, demo_accounts):
    publish("Export to Excel", "Send the ledger to a spreadsheet.", products=("Orbit ERP",),
            versions=("12.0",))
    publish("Rounding of amounts", "How rounding works in invoices.", products=("Orbit ERP",),
            versions=("12.0",))
    publish("Time zones of reports", "Reports use the company time zone.")


def test_a_field_prefix_kb_does_not_know_is_searched_as_words(client, auth, excel):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=title:excel").get_data(as_text=True)
    assert "1 result" in page and "Export to Excel" in page
    assert "Time zones" not in page and "time:excel" not in page
    spreadsheet = client.get("/search?q=content:spreadsheet").get_data(as_text=True)
    assert "Export to Excel" in spreadsheet


def test_did_you_mean_never_corrects_a_field_name(reader, excel):
    from kb.search.query import SearchRequest, search

    found = search(reader("xtreme"), SearchRequest(text="title:excle"))
    assert "time" not in (found.suggestion or "") and "time" not in (found.corrected_query or "")
    assert [hit.title for hit in found.hits] == ["Export to Excel"]  # excle corrected to excel


@pytest.mark.parametrize(("typed", "message"), [
    ("product:erp rounding", "Unknown product &#39;erp&#39;"),
    ("version:12 rounding", "Unknown version &#39;12&#39;"),
    ("type:manual rounding", "type must be one of"),
])
def test_a_typed_filter_nothing_can_have_says_so_as_the_picked_one_does(client, auth, excel,
                                                                      typed, message):
    auth.login("xtreme@demo.test")
    response = client.get("/search", query_string={"q": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and "Nothing found" not in page
    assert f'value="{typed}"' in page  # kept in the box to be mended


def test_the_api_refuses_a_typed_product_nothing_has(client, api_token, excel):
    answer = client.get("/api/v1/search?q=product:erp+rounding",
                        headers=bearer(api_token("xtreme@demo.test")))
    assert answer.status_code == 422
    assert answer.get_json()["field"] == "product" and answer.get_json()["unknown"] == ["erp"]
    fine = client.get("/api/v1/search?q=product:orbit-erp+version:12.0+rounding",
                      headers=bearer(api_token("xtreme@demo.test"))).get_json()
    assert [result["title"] for result in fine["results"]] == ["Rounding of amounts"]


@pytest.fixture
def codes(publish, demo_accounts):
    publish("Connector stops with HUB-430", "The hub answers HUB-430 when the token expired.")
    publish("Rounding changed", "Since 12.0 amounts round half up.")


@pytest.mark.parametrize(("typed", "corrected", "title"), [
    ("HUB430", "HUB-430", "Connector stops with HUB-430"),
    ("v12", "12", "Rounding changed"),
])
def test_codes_typed_glued_are_searched_apart_when_nothing_matches(client, auth, codes, typed,
                                                                   corrected, title):
    auth.login("xtreme@demo.test")
    page = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    assert "Showing results for" in page and f"<strong>{corrected}</strong>" in page
    assert title in page and "Nothing found" not in page


def test_nothing_found_offers_tips_and_the_next_steps_the_reader_may_take(client, auth, codes):
    auth.login("elite@demo.test")
    page = client.get("/search?q=zeppelin&kind=how-to").get_data(as_text=True)
    assert "Nothing found" in page and "Search tips" in page
    assert 'href="/search?q=zeppelin">Search without the filters' in page
    assert 'href="/community/ask?title=zeppelin"' in page and "Ask the community" in page
    assert 'href="/support/incidents/new?title=zeppelin"' in page and "Log an incident" in page
    assert client.get("/community/ask?title=zeppelin").status_code == 200
    assert client.get("/support/incidents/new?title=zeppelin").status_code == 200


def test_nothing_found_offers_only_what_the_reader_may_use(client, auth, codes):
    from kb import policy
    from kb.accounts.queries import user_by_email

    auth.login("xtreme@demo.test")
    page = client.get("/search?q=zeppelin").get_data(as_text=True)
    xtreme = user_by_email("xtreme@demo.test")
    assert ("Ask the community" in page) == policy.can(xtreme, "community")
    assert "Log an incident" in page  # every plan logs incidents in the portal
    auth.logout()
    auth.login("staff@demo.test")
    assert "Log an incident" not in client.get("/search?q=zeppelin").get_data(as_text=True)
