"""The API's bare lists in pages on request: without page and per_page the whole list as ever;
with either, that page of it (still a bare list) with Link and X-Total-Count headers; bad
values 422 JSON. Incidents in depth, every other bare list through the same helper."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from kb.accounts.queries import user_by_email
from kb.notifications import notify
from tests.conftest import bearer

LINK = re.compile(r'<([^>]*)>; rel="(\w+)"')


def links(response) -> dict[str, str]:
    return {relation: url for url, relation in LINK.findall(response.headers["Link"])}


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def token(desk, api_token):
    return api_token("elite@demo.test")


@pytest.fixture
def five_incidents(log_incident) -> list[int]:
    """Five incidents of the Elite organisation, newest first."""
    return [log_incident(title=f"Incident {n}") for n in range(5)][::-1]


def test_without_page_the_whole_list_as_ever(client, token, five_incidents):
    whole = client.get("/api/v1/incidents", headers=bearer(token))

    assert whole.status_code == 200 and [item["id"] for item in whole.json] == five_incidents
    assert "Link" not in whole.headers and "X-Total-Count" not in whole.headers


def test_a_page_is_that_slice_of_the_list_with_its_links(app, client, token, five_incidents):
    page = client.get("/api/v1/incidents?status=open&per_page=2&page=2", headers=bearer(token))

    assert page.status_code == 200 and isinstance(page.json, list)
    assert [item["id"] for item in page.json] == five_incidents[2:4]
    assert page.headers["X-Total-Count"] == "5"
    found = links(page)
    assert set(found) == {"first", "prev", "next", "last"}
    for relation, number in {"first": 1, "prev": 1, "next": 3, "last": 3}.items():
        url = found[relation]
        assert url.startswith(f"{app.config['BASE_URL'].rstrip('/')}/api/v1/incidents?")
        assert url.startswith("http")
        assert query(url) == {"status": ["open"], "per_page": ["2"], "page": [str(number)]}


def test_following_next_walks_the_whole_list(client, token, five_incidents):
    seen, url = [], "/api/v1/incidents?per_page=2"
    while url:
        page = client.get(url, headers=bearer(token))
        seen += [item["id"] for item in page.json]
        url = links(page).get("next")
    assert seen == five_incidents


def test_the_first_and_last_pages_have_no_prev_and_no_next(client, token, five_incidents):
    first = client.get("/api/v1/incidents?per_page=2", headers=bearer(token))
    last = client.get("/api/v1/incidents?per_page=2&page=3", headers=bearer(token))

    assert "prev" not in links(first) and query(links(first)["next"])["page"] == ["2"]
    assert "next" not in links(last) and [item["id"] for item in last.json] == five_incidents[4:]


def test_page_alone_takes_the_default_size_and_past_the_end_is_empty(client, token,
                                                                     five_incidents):
    first = client.get("/api/v1/incidents?page=1", headers=bearer(token))
    beyond = client.get("/api/v1/incidents?page=9&per_page=2", headers=bearer(token))

    assert [item["id"] for item in first.json] == five_incidents
    assert query(links(first)["last"]) == {"page": ["1"], "per_page": ["20"]}
    assert beyond.status_code == 200 and beyond.json == []
    assert beyond.headers["X-Total-Count"] == "5"
    assert query(links(beyond)["prev"])["page"] == ["3"] and "next" not in links(beyond)


def test_a_page_larger_than_allowed_is_the_largest_page(client, token, five_incidents):
    page = client.get("/api/v1/incidents?per_page=5000", headers=bearer(token))

    assert len(page.json) == 5 and query(links(page)["first"])["per_page"] == ["100"]


@pytest.mark.parametrize("arguments, fragment", [
    ("page=0", "page must be from 1"), ("page=two", "page must be a whole number"),
    ("page=-1", "page must be from 1 to 1000000"), ("per_page=0", "per_page must be 1 or more"),
    ("per_page=-1", "per_page must be 1 or more"),
    ("per_page=x", "per_page must be a whole number"),
])
def test_bad_page_values_get_422_json(client, token, arguments, fragment):
    refused = client.get(f"/api/v1/incidents?{arguments}", headers=bearer(token))

    assert refused.status_code == 422 and refused.is_json and fragment in refused.json["error"]


BARE_LISTS = ["/api/v1/incidents", "/api/v1/notifications", "/api/v1/topics",
              "/api/v1/alerts/subscriptions", "/api/v1/alerts", "/api/v1/live-sessions",
              "/api/v1/recordings", "/api/v1/community/spaces", "/api/v1/programmes",
              "/api/v1/elite/special-events"]


@pytest.mark.parametrize("path", BARE_LISTS)
def test_every_bare_list_pages_on_request(client, token, path):
    whole = client.get(path, headers=bearer(token))
    page = client.get(f"{path}?per_page=1", headers=bearer(token))
    refused = client.get(f"{path}?page=0", headers=bearer(token))

    assert whole.status_code == page.status_code == 200 and "Link" not in whole.headers
    assert page.json == whole.json[:1]
    assert page.headers["X-Total-Count"] == str(len(whole.json))
    assert set(links(page)) >= {"first", "last"}
    assert refused.status_code == 422 and "page" in refused.json["error"]


def test_notifications_page_through_all_not_only_the_newest(app, client, token, desk):
    with app.app_context():
        from kb import db

        user = user_by_email("elite@demo.test")
        for number in range(103):
            notify(user, "test", f"Notice {number}")
        db.session.commit()

    whole = client.get("/api/v1/notifications", headers=bearer(token))
    last = client.get("/api/v1/notifications?per_page=50&page=3", headers=bearer(token))

    assert len(whole.json) == 100
    assert last.headers["X-Total-Count"] == "103"
    assert [item["title"] for item in last.json] == ["Notice 2", "Notice 1", "Notice 0"]


def test_topics_page_on_request(client, token):
    for title in ("First topic", "Second topic", "Third topic"):
        client.post("/api/v1/topics", headers=bearer(token), json={"title": title})

    whole = client.get("/api/v1/topics", headers=bearer(token)).json
    second = client.get("/api/v1/topics?per_page=2&page=2", headers=bearer(token))

    assert len(whole) == 3 and second.json == whole[2:]
    assert second.headers["X-Total-Count"] == "3" and "next" not in links(second)


def test_the_openapi_document_names_the_pages(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in [*BARE_LISTS, "/api/v1/community/questions"]:
        operation = paths[path]["get"]
        assert {"page", "per_page"} <= {p["name"] for p in operation["parameters"]}, path
        assert {"Link", "X-Total-Count"} <= set(operation["responses"]["200"]["headers"]), path
        assert "422" in operation["responses"], path
    assert "Link" in paths["/api/v1/incidents"]["get"]["summary"]


def test_links_name_the_host_asked_and_item_urls_are_paths_on_it(app, client, token,
                                                                 five_incidents):
    app.config["BASE_URL"] = ""  # unset KB_BASE_URL: links follow the request's host
    page = client.get("/api/v1/incidents?per_page=2", headers=bearer(token),
                      base_url="https://portal.example:8443")

    found = links(page)
    assert all(url.startswith("https://portal.example:8443/api/v1/incidents?")
               for url in found.values())
    # an item's url is a path on that same site (scripts join it to the address they use)
    item = page.json[0]
    assert item["url"] == f"/support/incidents/{item['id']}"
    assert urljoin(found["next"], item["url"]) == \
        f"https://portal.example:8443/support/incidents/{item['id']}"
