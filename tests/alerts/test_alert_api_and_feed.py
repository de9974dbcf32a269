"""The alert subscriptions API exactly as the contract states it (GET, POST 201, JSON errors,
401/403 answers, in the OpenAPI document), and the workaround-alerts Atom feed per product:
it parses with feedparser, holds what the token's user may read, and refuses a missing or
revoked token."""

from __future__ import annotations

import re

import feedparser
import pytest

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import critical
from kb.products import service as products
from tests.conftest import bearer

URL = "/api/v1/alerts/subscriptions"
TOKEN_IN_PAGE = re.compile(r"token=(kbf_[\w-]+)")


@pytest.fixture
def catalogue(app, demo_accounts):
    with app.app_context():
        erp = products.ensure_product("Orbit ERP")
        products.ensure_version(erp, "12.0")
        db.session.commit()


def test_subscriptions_api_follows_the_contract(client, catalogue, api_token, customer_on):
    headers = bearer(api_token(customer_on("xtreme")))
    assert client.get(URL, headers=headers).json == []

    created = client.post(URL, json={"product": "Orbit ERP"}, headers=headers)
    assert created.status_code == 201
    assert set(created.json) == {"id", "product", "product_slug", "version", "created"}
    assert (created.json["product"], created.json["version"]) == ("Orbit ERP", None)
    with_version = client.post(URL, json={"product": "orbit-erp", "version": "12.0"},
                               headers=headers)
    assert with_version.status_code == 201 and with_version.json["version"] == "12.0"
    again = client.post(URL, json={"product": "Orbit ERP", "version": "12.0"}, headers=headers)
    assert again.status_code == 200 and again.json["id"] == with_version.json["id"]

    listed = client.get(URL, headers=headers).json
    assert [(s["product"], s["version"]) for s in listed] == [("Orbit ERP", None),
                                                             ("Orbit ERP", "12.0")]
    assert client.delete(f"{URL}/{created.json['id']}", headers=headers).status_code == 204
    gone = client.delete(f"{URL}/{created.json['id']}", headers=headers)
    assert gone.status_code == 404 and "error" in gone.json
    assert len(client.get(URL, headers=headers).json) == 1


@pytest.mark.parametrize("body, message", [
    ({"product": "No Such Product"}, "Unknown product"),
    ({"product": "Orbit ERP", "version": "99.9"}, "has no version"),
    ({"product": ""}, "Name the product"),
    ({"product": 7}, "must be a string"),
    ({"product": "Orbit ERP", "version": 12}, "must be a string"),
    (["Orbit ERP"], "JSON object"),
    ("not json", "JSON object"),
])
def test_bad_subscriptions_are_refused_with_json(client, catalogue, api_token, customer_on,
                                                  body, message):
    headers = bearer(api_token(customer_on("premium")))
    if isinstance(body, str):
        response = client.post(URL, data=body, headers=headers)
    else:
        response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/json" and message in response.json["error"]


def test_no_credential_a_lapsed_term_and_someone_elses_subscription(
        client, catalogue, api_token, customer_on):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json={"product": "Orbit ERP"}).json["error"]
    lapsed = bearer(api_token(customer_on("elite", lapsed=True)))
    for response in (client.get(URL, headers=lapsed),
                     client.post(URL, json={"product": "Orbit ERP"}, headers=lapsed),
                     client.get("/api/v1/alerts", headers=lapsed)):
        assert response.status_code == 403
        assert response.json["reason"] == "term_lapsed"
        assert response.json["feature"] == "workaround_alerts"
    owner = bearer(api_token(customer_on("elite")))
    subscription = client.post(URL, json={"product": "Orbit ERP"}, headers=owner).json
    stranger = bearer(api_token(customer_on("elite")))
    assert client.delete(f"{URL}/{subscription['id']}", headers=stranger).status_code == 404


def test_the_openapi_document_describes_the_alert_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    subscriptions = paths["/api/v1/alerts/subscriptions"]
    assert {"get", "post"} <= set(subscriptions)
    assert "201" in subscriptions["post"]["responses"]
    assert subscriptions["post"]["requestBody"]["content"]["application/json"]["schema"][
        "required"] == ["product"]
    assert "delete" in paths["/api/v1/alerts/subscriptions/{subscription_id}"]
    assert "get" in paths["/api/v1/alerts/{alert_id}"]


def test_open_alerts_api_lists_the_products_alerts_the_plan_may_read(
        app, client, catalogue, api_token):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        everyone = critical.open_alert(staff, "ERP issue for all", "", ["Orbit ERP"]).id
        elite = critical.open_alert(staff, "ERP issue for Elite", "", ["Orbit ERP"],
                                    min_plan="elite").id
    premium = bearer(api_token("premium@demo.test"))
    assert [a["id"] for a in client.get("/api/v1/alerts", headers=premium).json] == [everyone]
    one = client.get(f"/api/v1/alerts/{everyone}", headers=premium).json
    assert one["state"] == "investigating" and [h["kind"] for h in one["history"]] == ["opened"]
    refused = client.get(f"/api/v1/alerts/{elite}", headers=premium)
    assert refused.status_code == 403 and refused.json["required_plan"] == "elite"


# --- the feed --------------------------------------------------------------------------------

def _new_token(auth, email: str) -> str:
    auth.login(email)
    response = auth.post("/account/feeds/token")
    assert response.status_code == 201
    token = TOKEN_IN_PAGE.search(response.get_data(as_text=True)).group(1)
    auth.logout()
    return token


def _feed(client, token: str | None, product: str = "orbit-erp"):
    query = f"?token={token}" if token is not None else ""
    return client.get(f"/feeds/products/{product}/workaround-alerts.atom{query}")


@pytest.fixture
def alerts(app, catalogue):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        critical.open_alert(staff, "Posting stalls", "Under investigation.", ["Orbit ERP"])
        critical.open_alert(staff, "Elite-only stall", "", ["Orbit ERP"], min_plan="elite")
        closed = critical.open_alert(staff, "Old stall", "", ["Orbit ERP"])
        critical.advance(staff, closed.id, "closed")
        products.ensure_product("Orbit Analytics")
        critical.open_alert(staff, "Cube rebuild fails", "", ["Orbit Analytics"])


def _titles(client, token) -> set[str]:
    response = _feed(client, token)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert "alerts" in parsed.feed.title.lower()
    for entry in parsed.entries:
        assert entry.link.startswith("http://kb.test/alerts/")
    return {entry.title for entry in parsed.entries}


def test_the_alerts_feed_holds_the_products_alerts_the_plan_may_read(
        client, auth, alerts, customer_on):
    assert _titles(client, _new_token(auth, customer_on("xtreme"))) == {
        "Investigating: Posting stalls", "Closed: Old stall"}
    assert _titles(client, _new_token(auth, customer_on("elite"))) == {
        "Investigating: Posting stalls", "Investigating: Elite-only stall", "Closed: Old stall"}


def test_the_alerts_feed_refuses_a_missing_or_revoked_token(client, auth, alerts, customer_on):
    email = customer_on("premium")
    token = _new_token(auth, email)
    assert _feed(client, token).status_code == 200
    missing = _feed(client, None)
    assert missing.status_code == 401 and missing.mimetype == "text/plain"
    auth.login(email)
    assert auth.post("/account/feeds/token/revoke").status_code == 302
    auth.logout()
    revoked = _feed(client, token)
    assert revoked.status_code == 403 and b"revoked" in revoked.data
    lapsed = _feed(client, _new_token(auth, customer_on("premium", lapsed=True)))
    assert lapsed.status_code == 403
