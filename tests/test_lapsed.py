"""Lapsed organisations (the contract): their users authenticate in the browser and with a
token, ``/api/v1/me`` answers 200 with ``active: false`` and no features, and every feature
answers 403 with ``"reason": "term_lapsed"`` beside ``error``."""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer

FEATURE_ENDPOINTS = ["/api/v1/search?q=posting", "/api/v1/patches", "/api/v1/recordings",
                     "/api/v1/topics", "/api/v1/live-sessions", "/api/v1/campus",
                     "/api/v1/incidents", "/api/v1/support/coverage"]


@pytest.fixture
def lapsed_token(demo_accounts, api_token):
    return api_token("lapsed@demo.test")


def test_a_lapsed_token_authenticates_and_me_says_inactive(client, lapsed_token):
    response = client.get("/api/v1/me", headers=bearer(lapsed_token))
    assert response.status_code == 200
    assert response.json["organization"]["active"] is False
    assert response.json["features"] == []


@pytest.mark.parametrize("path", FEATURE_ENDPOINTS)
def test_every_feature_refuses_a_lapsed_token_naming_the_term(client, lapsed_token, path):
    response = client.get(path, headers=bearer(lapsed_token))
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.json["reason"] == "term_lapsed" and response.json["error"]


def test_a_lapsed_user_signs_in_and_gets_the_same_answers(client, auth, demo_accounts):
    assert auth.login("lapsed@demo.test").status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    refused = client.get("/api/v1/patches")
    assert refused.status_code == 403 and refused.json["reason"] == "term_lapsed"


# what a lapsed organisation's users still use: their account (and its tokens), the plan
# matrix, the document, their notifications, the titles of the knowledge base
NOT_GATED_MODULES = {"kb.api.accounts", "kb.api.notifications"}
NOT_GATED = {"api.openapi_document", "api.list_articles", "api.get_article",
             "api.list_release_notes"}
# and what only staff ever may
STAFF_ONLY = {("POST", "api.create_patch"), ("POST", "api.api_publish_recording"),
              ("PUT", "api.api_replace_recording_media"), ("GET", "api.api_applications"),
              ("POST", "api.api_decide")}


def _gated_routes(app) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in NOT_GATED \
                or app.view_functions[rule.endpoint].__module__ in NOT_GATED_MODULES:
            continue
        path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x",
                      rule.rule)
        routes += [(method, rule.endpoint, path)
                   for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_gated_endpoint_answers_term_lapsed_first(app, client, lapsed_token):
    """Before reading the body (an empty one is invalid everywhere) and before looking the
    item up (none exists): the lapsed term is the answer, naming the endpoint's feature."""
    routes = _gated_routes(app)
    assert len(routes) > 30
    for method, endpoint, path in routes:
        answer = client.open(path, method=method, json={}, headers=bearer(lapsed_token))
        expected = "staff_only" if (method, endpoint) in STAFF_ONLY else "term_lapsed"
        assert answer.status_code == 403, (method, path, answer.json)
        assert answer.json["reason"] == expected, (method, path, answer.json)


def test_registering_for_a_live_session_names_interactive_sessions(client, lapsed_token):
    answer = client.post("/api/v1/live-sessions/1/registration", headers=bearer(lapsed_token))
    assert answer.status_code == 403
    assert answer.json == {**answer.json, "reason": "term_lapsed",
                           "feature": "interactive_sessions"}


# the pages that list gated content, what each answers a lapsed customer (the API's statuses:
# the titles of articles and release notes stay listed, search is refused) and what it says
# stays locked
LISTING_PAGES = [("/articles/", 200, "Articles open again when it is renewed"),
                 ("/release-notes/", 200, "Release notes open again when it is renewed"),
                 ("/search?q=posting", 403, "Search finds nothing until it is renewed")]


@pytest.mark.parametrize(("path", "status", "locked"), LISTING_PAGES)
def test_each_listing_page_tells_a_lapsed_customer_once_when_and_whom_to_ask(
        app, auth, demo_accounts, path, status, locked):
    from kb.accounts.queries import user_by_email

    with app.app_context():
        term_end = user_by_email("lapsed@demo.test").organization.term_end.isoformat()
    auth.login("lapsed@demo.test")
    answer = auth.client.get(path)
    page = answer.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert answer.status_code == status
    assert page.count("term-lapsed-notice") == 1
    assert text.count("support term ended on") == 1  # the layout's banner does not repeat it
    assert f"Your organisation's support term ended on {term_end}." in text
    assert locked in text
    assert "To renew the support term, ask your organisation's customer administrator" in text
    assert 'href="mailto:lapsed-admin@demo.test"' in page
    assert "Your organisation's incidents stay readable" in text


@pytest.mark.parametrize(("path", "status", "locked"), LISTING_PAGES)
def test_an_active_customer_sees_no_lapse_notice(auth, demo_accounts, path, status, locked):
    auth.login("premium@demo.test")
    answer = auth.client.get(path)
    assert answer.status_code == 200
    assert "term-lapsed-notice" not in answer.get_data(as_text=True)


def _menu_links(page: str) -> dict[str, str]:
    """The header menu's links (not the account menu's), label by address."""
    menu = page.split('<ul class="nav-bar">', 1)[1].split('<li class="nav-notifications">')[0]
    return {re.sub(r"<[^>]+>", "", label).strip(): address
            for address, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', menu)}


@pytest.mark.parametrize("email", ["lapsed@demo.test", "lapsed-admin@demo.test"])
def test_a_lapsed_customers_menu_links_the_lists_that_stay_open(auth, demo_accounts, email):
    """The knowledge base and release notes (titles locked) and the organisation's incidents
    (to read); none of the lists the lapsed term closed. Every link opens."""
    auth.login(email)
    links = _menu_links(auth.client.get("/articles/").get_data(as_text=True))
    assert links == {"Knowledge base": "/articles/", "Release notes": "/release-notes/",
                     "Incidents": "/support/incidents", "Plans": "/plans"}
    for address in links.values():
        assert auth.client.get(address).status_code == 200, address
    for closed in ("/patches/", "/sessions/recordings"):
        assert auth.client.get(closed).status_code == 403, closed
