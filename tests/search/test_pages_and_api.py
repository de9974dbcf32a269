"""The search page, title autocomplete and /api/v1/search."""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer
from tests.engines import both_search_backends

pytestmark = both_search_backends


@pytest.fixture
def articles(publish, demo_accounts):
    publish("Configure posting groups", "Posting groups map accounts. " * 40 + "Posting ends.",
            products=("Orbit ERP",), versions=("12.0",), kind="how-to",
            summary="How posting groups work")
    publish("Posting errors explained", "When posting fails, read the error.",
            products=("Orbit Analytics",), kind="troubleshooting")
    publish("Posting for premium", "Premium posting secrets.", min_plan="premium")
    for number in range(25):
        publish(f"Ledger note {number:02d}", f"Ledger entry number {number}.")


def test_page_shows_highlighted_snippets_facets_and_the_syntax_help(client, auth, articles):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=posting").get_data(as_text=True)
    assert "2 results" in page
    assert '<mark>' in page and "Configure posting groups" in page
    assert "Posting for premium" in page and "available on Premium and Elite" in page
    assert "Premium posting secrets" not in page
    assert 'data-facet="product"' in page and "Orbit ERP" in page and "Orbit ERP 12.0" in page
    assert "How to search" in page and "product:orbit-erp" in page
    long_one = page.split("Configure posting groups", 1)[1]  # its body is the word 41 times
    snippet = long_one.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    visible = re.sub(r"<[^>]+>", "", snippet)
    assert "Posting" in visible and len(visible) < 400  # around the matches, not the body


def test_facet_links_filter_and_sort_and_pages_work(client, auth, articles):
    auth.login("xtreme@demo.test")
    filtered = client.get("/search?q=posting&kind=troubleshooting").get_data(as_text=True)
    assert "1 result" in filtered and "Posting errors explained" in filtered
    first = client.get("/search?q=ledger&sort=date").get_data(as_text=True)
    assert "25 results" in first and "Page 1 of 2" in first and "Ledger note 24" in first
    second = client.get("/search?q=ledger&sort=date&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Ledger note 00" in second
    assert "Ledger note 24" not in second


def test_did_you_mean_and_malformed_queries(client, auth, articles):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=postng").get_data(as_text=True)
    assert "Showing results for" in page and "<strong>posting</strong>" in page
    as_typed = client.get("/search?q=postng&as_typed=1").get_data(as_text=True)
    assert "Did you mean" in as_typed and ">posting</a>" in as_typed
    for text in ['"unbalanced', "((( AND", "NOT", "AND OR", "a:b:c", "\\", "*" * 600, "^~"]:
        response = client.get("/search", query_string={"q": text})
        assert response.status_code == 200, text


def test_an_empty_result_offers_a_session_request(client, auth, articles):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=zeppelin").get_data(as_text=True)
    assert "Nothing found" in page and "Request a session on this" in page
    assert "/sessions/topics/new?title=zeppelin" in page
    assert client.get("/sessions/topics/new?title=zeppelin").status_code == 200


def test_autocomplete_suggests_readable_titles_as_json(client, auth, articles):
    auth.login("xtreme@demo.test")
    answer = client.get("/search/suggest?q=post").get_json()
    assert {item["title"] for item in answer} == {"Configure posting groups",
                                                 "Posting errors explained"}
    assert all(item["url"].startswith("/articles/") for item in answer)
    assert client.get("/search/suggest?q=p").get_json() == []


def test_search_needs_a_sign_in(client, articles):
    assert client.get("/search?q=posting").status_code == 302
    assert client.get("/search/suggest?q=post").status_code == 302
    assert client.get("/api/v1/search?q=posting").status_code == 401


def test_header_has_the_search_box(client, auth, demo_accounts):
    auth.login("xtreme@demo.test")
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert ('<form class="site-search" role="search" aria-label="Portal" method="get" '
            'action="/search">') in header


def test_api_answers_as_the_contract_says(client, api_token, articles):
    headers = bearer(api_token("premium@demo.test"))
    answer = client.get("/api/v1/search?q=posting&per_page=2", headers=headers).get_json()
    assert set(answer) >= {"total", "page", "results", "facets"}
    assert answer["total"] == 3 and answer["page"] == 1 and len(answer["results"]) == 2
    for result in answer["results"]:
        assert set(result) == {"type", "id", "title", "url", "snippet"}
        assert result["type"] == "article" and isinstance(result["id"], int)
    assert answer["facets"]["type"] == {"article": 3}
    narrowed = client.get("/api/v1/search?q=posting&product=orbit-analytics",
                          headers=headers).get_json()
    assert [r["title"] for r in narrowed["results"]] == ["Posting errors explained"]
    typed = client.get("/api/v1/search?q=posting&type=release-note", headers=headers).get_json()
    assert typed["total"] == 0


@pytest.mark.parametrize("arguments", ["page=0", "page=x", "per_page=-1", "sort=sideways"])
def test_api_rejects_bad_arguments_with_json(client, api_token, articles, arguments):
    headers = bearer(api_token("premium@demo.test"))
    response = client.get(f"/api/v1/search?q=posting&{arguments}", headers=headers)
    assert response.status_code == 422 and "error" in response.get_json()


def test_api_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "product", "page",
                                                           "per_page"}


def test_lapsed_customers_find_nothing_and_are_told_why(client, auth, articles):
    auth.login("lapsed@demo.test")
    response = client.get("/search?q=posting")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "Configure posting groups" not in page
    assert "Nothing found" not in page
    assert "Search finds nothing until it is renewed" in page
