"""What a customer types that search used to answer with nothing: release abbreviations (SP1
for "service pack 1"), a misspelled query (the suggestion's results shown at once), unknown
filter values and out-of-range pages (refused, saying why)."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from kb.search.params import MAX_PER_PAGE, search_request
from tests.conftest import bearer
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


def test_a_misspelled_query_shows_the_corrected_querys_results(client, auth, releases):
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=invoce+numbring").get_data(as_text=True)
    assert "Showing results for" in page and "<strong>invoice numbers</strong>" in page
    assert "Search instead for" in page
    assert 'href="/search?q=invoce+numbring&amp;as_typed=1"' in page
    assert ">Invoice numbers</a>" in page and "Nothing found" not in page
    as_typed = client.get("/search?q=invoce+numbring&as_typed=1").get_data(as_text=True)
    assert "Did you mean" in as_typed and "Nothing found" in as_typed
    assert "Showing results for" not in as_typed


def test_the_api_searches_the_correction_and_says_so(client, api_token, releases):
    headers = bearer(api_token("premium@demo.test"))
    answer = client.get("/api/v1/search?q=invoce+numbring", headers=headers).get_json()
    assert answer["corrected_query"] == "invoice numbers"
    assert answer["suggestion"] == "invoice numbers"
    assert [result["title"] for result in answer["results"]] == ["Invoice numbers"]
    typed = client.get("/api/v1/search?q=invoce+numbring&as_typed=1", headers=headers).get_json()
    assert typed["total"] == 0 and typed["corrected_query"] is None
    assert typed["suggestion"] == "invoice numbers"
    found = client.get("/api/v1/search?q=invoice", headers=headers).get_json()
    assert found["corrected_query"] is None and found["total"] == 1


def test_a_correction_keeps_the_typed_filters(client, api_token, releases):
    headers = bearer(api_token("premium@demo.test"))
    answer = client.get("/api/v1/search?q=invoce+numbring+product:orbit-erp",
                        headers=headers).get_json()
    assert answer["total"] == 0 and answer["corrected_query"] is None


def test_unknown_filter_values_are_refused_saying_which_are_known(client, api_token,
                                                                  releases):
    headers = bearer(api_token("premium@demo.test"))
    bogus_type = client.get("/api/v1/search?q=invoice&type=bogus", headers=headers)
    assert bogus_type.status_code == 422 and bogus_type.json["field"] == "type"
    assert "article" in bogus_type.json["allowed"] and "patch" in bogus_type.json["allowed"]
    assert "'bogus'" in bogus_type.json["error"] and "release-note" in bogus_type.json["error"]
    bogus_product = client.get("/api/v1/search?q=invoice&product=bogus", headers=headers)
    assert bogus_product.status_code == 422 and bogus_product.json["field"] == "product"
    assert bogus_product.json["error"].startswith("Unknown product 'bogus'")
    for known in ("type=articles", "type=Patches", "product=Orbit+ERP", "product=orbit-erp"):
        assert client.get(f"/api/v1/search?q=invoice&{known}", headers=headers).status_code \
            == 200, known


def test_the_page_says_what_is_wrong_and_keeps_the_words(client, auth, releases):
    auth.login("xtreme@demo.test")
    refused = client.get("/search?q=invoice&type=bogus")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'class="banner banner-danger search-problem"' in page
    assert "type must be one of article," in page and 'value="invoice"' in page
    product = client.get("/search?q=invoice&product=bogus").get_data(as_text=True)
    assert "Unknown product &#39;bogus&#39;" in product and "result" not in product


def test_pages_are_capped_and_their_range_named(client, api_token, releases):
    headers = bearer(api_token("premium@demo.test"))
    capped = client.get("/api/v1/search?q=invoice&per_page=100000", headers=headers)
    assert capped.status_code == 200
    for page in ("-1", "0"):
        refused = client.get(f"/api/v1/search?q=invoice&page={page}", headers=headers)
        assert refused.status_code == 422
        assert refused.json["error"] == "page must be from 1 to 1000000."
    document = client.get("/api/v1/openapi.json").json
    parameters = document["paths"]["/api/v1/search"]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == "per_page")
    assert schema == {"type": "integer", "minimum": 1, "maximum": 100}


def test_a_page_larger_than_allowed_is_the_largest_page(app_context):
    asked = search_request(None, MultiDict({"q": "invoice", "per_page": "100000"}), per_page=20)
    assert asked.per_page == MAX_PER_PAGE == 100


def test_unknown_versions_and_kinds_are_refused_and_known_ones_filter(client, api_token,
                                                                      releases):
    headers = bearer(api_token("premium@demo.test"))

    def search(arguments: str):
        return client.get(f"/api/v1/search?q=service+pack&{arguments}", headers=headers)

    def titles(arguments: str) -> list[str]:
        answer = search(arguments)
        assert answer.status_code == 200, (arguments, answer.json)
        return [result["title"] for result in answer.json["results"]]

    for known in ("version=12.0", "version=Orbit+ERP@12.0", "version=orbit-erp@12.0",
                  "product=orbit-erp&version=12.0"):
        assert titles(known) == [SERVICE_PACK], known
    bogus_version = search("version=13.7")
    assert bogus_version.status_code == 422 and bogus_version.json["field"] == "version"
    assert bogus_version.json["error"] == "Unknown version '13.7': no product has that version."
    assert search("version=orbit-crm@12.0").json["unknown"] == ["orbit-crm@12.0"]

    assert titles("kind=Service-Pack") == [] and titles("kind=how-to") == []
    bogus_kind = search("kind=hotfixes")
    assert bogus_kind.status_code == 422 and bogus_kind.json["field"] == "kind"
    assert {"how-to", "service-pack", "solved", "planned"} <= set(bogus_kind.json["allowed"])
    assert "merged" not in bogus_kind.json["allowed"]
