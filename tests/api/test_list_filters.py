"""The API lists refuse a filter value nothing can have (422 naming the field), as search
does, and read a product by its name or slug in any case."""

from __future__ import annotations

import pytest

from kb.accounts.queries import user_by_email
from tests.catalogue import write_catalogue
from tests.conftest import bearer

LISTS = ["/api/v1/articles", "/api/v1/release-notes", "/api/v1/patches", "/api/v1/recordings"]


@pytest.fixture
def catalogue(app, demo_accounts):
    """One article, release note, patch and recording of Orbit ERP 12.0."""
    with app.app_context():
        write_catalogue(user_by_email("staff@demo.test"))


def _listed(answer) -> list[str]:
    body = answer.get_json()
    items = body if isinstance(body, list) else body.get("items", body.get("patches"))
    return [item["title"] for item in items]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("product", ["Orbit ERP", "ORBIT ERP", "orbit erp", "orbit-erp",
                                     "Orbit-ERP"])
def test_every_list_reads_a_product_by_name_or_slug_in_any_case(client, api_token, catalogue,
                                                                 path, product):
    answer = client.get(path, query_string={"product": product},
                        headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 200, answer.get_json()
    assert len(_listed(answer)) == 1


@pytest.mark.parametrize("path, query, field", [
    *[(path, {"product": "nope"}, "product") for path in LISTS],
    ("/api/v1/articles", {"version": "99"}, "version"),
    ("/api/v1/release-notes", {"version": "99"}, "version"),
    ("/api/v1/patches", {"version": "99"}, "version"),
    ("/api/v1/patches", {"version": "orbit-erp@99"}, "version"),
    ("/api/v1/articles", {"kind": "bogus"}, "kind"),
    ("/api/v1/patches", {"kind": "bogus"}, "kind"),
    ("/api/v1/patches", {"kind": "how-to"}, "kind"),  # an article's kind, never a patch's
    ("/api/v1/articles", {"tag": "nope"}, "tag"),
    ("/api/v1/recordings", {"topic": "nope"}, "topic"),
])
def test_a_filter_value_nothing_has_is_refused_naming_the_field(client, api_token, catalogue,
                                                                path, query, field):
    headers = bearer(api_token("elite@demo.test"))
    answer = client.get(path, query_string=query, headers=headers)
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["field"] == field and body["unknown"] == [query[field]]
    assert repr(query[field]) in body["error"]
    searched = client.get("/api/v1/search", query_string={"q": "year", **query},
                          headers=headers)
    if field != "tag" and field != "topic" and query != {"kind": "how-to"}:
        # search refuses the same values alike
        assert searched.status_code == 422 and searched.get_json()["field"] == field


def test_a_kind_refusal_names_the_kinds_the_list_knows(client, api_token, catalogue):
    answer = client.get("/api/v1/patches?kind=bogus",
                        headers=bearer(api_token("elite@demo.test"))).get_json()
    assert answer["allowed"] == ["patch", "regulatory", "release", "service-pack"]


@pytest.mark.parametrize("path, query", [
    ("/api/v1/articles", {"version": "12.0", "kind": "How-To", "tag": "year-end"}),
    ("/api/v1/articles", {"version": "Orbit ERP@12.0"}),
    ("/api/v1/release-notes", {"version": "orbit-erp@12.0"}),
    ("/api/v1/patches", {"version": "12.0", "kind": "PATCH"}),
    ("/api/v1/patches", {"version": "Orbit ERP@12.0"}),
    ("/api/v1/recordings", {"topic": "finance"}),
    ("/api/v1/recordings", {"topic": "FINANCE", "product": "orbit erp"}),
])
def test_known_values_filter_in_any_case(client, api_token, catalogue, path, query):
    answer = client.get(path, query_string=query, headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 200, answer.get_json()
    assert len(_listed(answer)) == 1


def test_empty_filters_do_not_filter(client, api_token, catalogue):
    headers = bearer(api_token("elite@demo.test"))
    for path in LISTS:
        answer = client.get(path, query_string={"product": "", "version": " ", "topic": ""},
                            headers=headers)
        assert answer.status_code == 200 and len(_listed(answer)) == 1, path


@pytest.mark.parametrize("field, value", [
    ("product", "nope"), ("version", "99"), ("type", "bogus"), ("kind", "bogus")])
def test_a_repeated_unknown_value_is_named_once(client, api_token, catalogue, field, value):
    answer = client.get("/api/v1/search", query_string=[("q", "year")] + [(field, value)] * 50
                        + [(field, "other")], headers=bearer(api_token("elite@demo.test")))
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["field"] == field and body["unknown"] == [value, "other"]
    assert body["error"].count(repr(value)) == 1


@pytest.mark.parametrize("path, query", [
    ("/api/v1/recordings", {"version": "99"}),  # recordings have no version
    ("/api/v1/articles", {"topic": "nope"}),    # articles have no topic
    ("/api/v1/patches", {"tag": "nope"}),
    ("/api/v1/release-notes", {"colour": "red"}),
])
def test_a_parameter_a_list_does_not_know_is_ignored_by_every_list_alike(
        client, api_token, catalogue, path, query):
    """The lists read the parameters they document; any other is ignored, as it always was
    (scripts send what one list knows to all); a known one with a value nothing has is 422."""
    headers = bearer(api_token("elite@demo.test"))
    plain = client.get(path, headers=headers)
    answer = client.get(path, query_string=query, headers=headers)
    assert answer.status_code == plain.status_code == 200
    assert _listed(answer) == _listed(plain) != []
