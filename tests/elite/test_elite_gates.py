"""Every Elite services page and endpoint is refused below Elite and for a lapsed Elite
organisation; staff pages are refused to every customer."""

from __future__ import annotations

import re

import pytest

from kb import plans
from tests.conftest import Auth, bearer, csrf_token

# the areas of Elite services: every route under them is found in the app, so a route added
# later is held to the same gate without being listed here
CUSTOMER_PREFIXES = ("/elite",)
STAFF_PREFIXES = ("/staff/elite",)
API_PREFIXES = ("/api/v1/elite",)
ELITE_FEATURES = {feature.key for feature in plans.FEATURES if feature.plans == plans.ELITE_ONLY}


def routes_under(app, prefixes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(method, path) of every route under these prefixes, with 1 for each id."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefixes):
            continue
        path = re.sub(r"<int:[a-z_]+>", "1", rule.rule)
        found += [(method.lower(), path) for method in sorted(rule.methods)
                  if method in ("GET", "POST", "PUT", "PATCH", "DELETE")]
    assert found, prefixes
    return found


def request(auth: Auth, method: str, path: str):
    if method == "get":
        return auth.client.get(path)
    return auth.client.open(path, method=method.upper(), data={"csrf_token": csrf_token(
        auth.client)})


@pytest.mark.parametrize("plan, lapsed", [("xtreme", False), ("premium", False),
                                          ("elite", True)])
def test_below_elite_and_lapsed_are_refused(app, client, auth, customer_on, api_token, plan,
                                            lapsed):
    email = customer_on(plan, lapsed=lapsed)
    auth.login(email)
    for method, path in routes_under(app, CUSTOMER_PREFIXES + STAFF_PREFIXES):
        assert request(auth, method, path).status_code == 403, (method, path)
    token = bearer(api_token(email))
    for method, path in routes_under(app, API_PREFIXES):
        answer = client.open(path, method=method.upper(), headers=token, json={})
        assert answer.status_code == 403, path
        body = answer.get_json()
        if lapsed:
            assert body["reason"] == "term_lapsed"
        else:
            assert body == {"error": body["error"], "reason": "plan", "feature": body["feature"],
                            "required_plan": "elite"}
            assert body["feature"] in ELITE_FEATURES


def test_an_elite_customer_may_not_use_the_staff_pages(app, auth, customer_on):
    auth.login(customer_on("elite"))
    for method, path in routes_under(app, STAFF_PREFIXES):
        assert request(auth, method, path).status_code == 403, (method, path)


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client):
    assert client.get("/elite").status_code == 302
    assert client.get("/staff/elite").status_code == 302
    assert client.post("/api/v1/elite/special-events", json={}).status_code == 401


def test_staff_at_the_customer_pages_are_taken_to_their_side(client, auth, demo_accounts):
    """Staff have no success manager of their own (the pages answered 404): the menu's
    "Success manager" and the customer's addresses lead them to Elite services."""
    auth.login("staff@demo.test")
    for path in ("/elite", "/elite/meetings", "/elite/review"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/staff/elite", path
    assert "Elite services" in client.get("/elite", follow_redirects=True).text


def test_staff_viewing_as_elite_are_told_why_there_is_no_manager(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    auth.post("/staff/view-as", {"plan": "elite"})
    for path in ("/elite", "/elite/meetings"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "customer of no organisation" in response.text, path
