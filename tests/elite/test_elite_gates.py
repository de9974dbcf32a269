"""Every Elite services page and endpoint is refused below Elite and for a lapsed Elite
organisation; staff pages are refused to every customer."""

from __future__ import annotations

import pytest

from tests.conftest import Auth, bearer

CUSTOMER_PAGES = [("get", "/elite"), ("post", "/elite/messages"),
                  ("post", "/elite/special-events"), ("post", "/elite/special-events/1/cancel"),
                  ("get", "/elite/meetings"), ("post", "/elite/meetings"),
                  ("post", "/elite/meetings/1/cancel")]
API = [("get", "/api/v1/elite/csm", "dedicated_csm"),
       ("get", "/api/v1/elite/special-events", "special_event_support"),
       ("post", "/api/v1/elite/special-events", "special_event_support")]
STAFF_PAGES = [("get", "/staff/elite"), ("post", "/staff/elite/organizations/1/csm"),
               ("get", "/staff/elite/organizations/1"),
               ("post", "/staff/elite/organizations/1/messages"),
               ("post", "/staff/elite/special-events/1/support-person"),
               ("post", "/staff/elite/exclusions"), ("post", "/staff/elite/exclusions/1/delete"),
               ("post", "/staff/elite/meetings/1/schedule"),
               ("post", "/staff/elite/meetings/1/decline")]


def request(auth: Auth, method: str, path: str):
    return auth.client.get(path) if method == "get" else auth.post(path, data={})


@pytest.mark.parametrize("plan, lapsed", [("xtreme", False), ("premium", False),
                                          ("elite", True)])
def test_below_elite_and_lapsed_are_refused(app, client, auth, customer_on, api_token, plan,
                                            lapsed):
    email = customer_on(plan, lapsed=lapsed)
    auth.login(email)
    for method, path in CUSTOMER_PAGES + STAFF_PAGES:
        assert request(auth, method, path).status_code == 403, (method, path)
    token = bearer(api_token(email))
    for method, path, feature in API:
        answer = getattr(client, method)(path, headers=token, json={})
        assert answer.status_code == 403, path
        body = answer.get_json()
        if lapsed:
            assert body["reason"] == "term_lapsed"
        else:
            assert body == {"error": body["error"], "reason": "plan", "feature": feature,
                            "required_plan": "elite"}


def test_an_elite_customer_may_not_use_the_staff_pages(auth, customer_on):
    auth.login(customer_on("elite"))
    for method, path in STAFF_PAGES:
        assert request(auth, method, path).status_code == 403, (method, path)


def test_anonymous_visitors_are_sent_to_sign_in_and_the_api_answers_401(client):
    assert client.get("/elite").status_code == 302
    assert client.get("/staff/elite").status_code == 302
    assert client.post("/api/v1/elite/special-events", json={}).status_code == 401
