"""/api/v1/me, /api/v1/plans, JSON errors and the OpenAPI document."""

from __future__ import annotations

import pytest

from kb import plans
from tests.conftest import bearer
from tests.seed_table import seed_features

DEMO_PLANS = {"xtreme@demo.test": "xtreme", "premium@demo.test": "premium",
              "elite@demo.test": "elite"}


@pytest.mark.parametrize("email", sorted(DEMO_PLANS))
def test_each_demo_user_sees_exactly_their_plan_features(client, demo_accounts, api_token,
                                                         email):
    plan = DEMO_PLANS[email]
    body = client.get("/api/v1/me", headers=bearer(api_token(email))).get_json()
    expected = [f.key for f in seed_features() if plan in f.plans]
    assert body["features"] == expected
    assert body["email"] == email and body["role"] == "customer"
    organization = body["organization"]
    assert organization["plan"] == plan and organization["active"] is True
    assert set(organization) >= {"name", "plan", "term_start", "term_end", "active"}


def test_lapsed_demo_user_has_no_features(client, auth, demo_accounts):
    auth.login("lapsed@demo.test")
    body = client.get("/api/v1/me").get_json()
    assert body["features"] == [] and body["organization"]["active"] is False


def test_staff_me(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    body = client.get("/api/v1/me").get_json()
    assert body["role"] == "staff" and body["organization"] is None
    assert body["features"] == [f.key for f in plans.FEATURES]


def test_plans_endpoint_matches_the_seed(client, customer_on, api_token):
    body = client.get("/api/v1/plans",
                      headers=bearer(api_token(customer_on("xtreme")))).get_json()
    assert body["plans"] == ["xtreme", "premium", "elite"]
    assert [(f["key"], f["group"], tuple(f["plans"])) for f in body["features"]] == [
        (f.key, f.group, f.plans) for f in seed_features()]
    assert all(f["name"] for f in body["features"])


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/me", 401), ("/api/v1/plans", 401), ("/api/v1/no-such-thing", 404)])
def test_api_errors_are_json_never_html(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.is_json and set(response.get_json()) == {"error"}


def test_api_404_is_json(client, customer_on, api_token):
    response = client.get("/api/v1/no-such-thing",
                          headers=bearer(api_token(customer_on("xtreme"))))
    assert response.status_code == 404 and response.is_json


def test_api_405_is_json(client, customer_on, api_token):
    response = client.delete("/api/v1/me", headers=bearer(api_token(customer_on("xtreme"))))
    assert response.status_code == 405 and response.is_json


def test_api_500_is_json_without_a_stack_trace(app, client, customer_on, api_token):
    from kb.api import blueprint

    @app.get("/api/v1/_boom")
    def boom():
        raise RuntimeError("secret internals")

    assert blueprint  # the route above sits beside the blueprint's own routes
    response = client.get("/api/v1/_boom", headers=bearer(api_token(customer_on("xtreme"))))
    assert response.status_code == 500 and response.get_json() == {
        "error": "Internal server error."}
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_openapi_document_lists_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    documented_paths = set(document["paths"])
    assert len(documented_paths) == len(rules)
    assert "/api/v1/me" in documented_paths and "/api/v1/plans" in documented_paths
    assert "403" in document["paths"]["/api/v1/me"]["get"]["responses"]
    # every refusal, 422 included, has the one error shape code generators can type
    refusals = [(path, method, code, answer) for path, methods in document["paths"].items()
                for method, operation in methods.items()
                for code, answer in operation["responses"].items() if code[0] in "45"]
    assert any(code == "422" for _, _, code, _ in refusals)
    for path, method, code, answer in refusals:
        assert answer["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}, (path, method, code)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "index": "ok",
                                   "storage": "ok"}


@pytest.mark.parametrize("data, content_type, reason", [
    (b'{"title": ', "application/json",
     "The body is not valid JSON (Expecting value: line 1 column 11 (char 10)). "),
    ('{"title": "Café"}'.encode("latin-1"), "application/json",
     "The body is not UTF-8 text. "),
    (b'{"title": "A topic"}', "text/plain",
     "The body is sent as text/plain, not as JSON (Content-Type: application/json). "),
    (b"title=A+topic", "application/x-www-form-urlencoded",
     "The body is sent as application/x-www-form-urlencoded, not as JSON "
     "(Content-Type: application/json). "),
    (b"", "application/json", "The request has no body. "),
    (b"[1, 2]", "application/json", ""),
])
def test_a_body_that_is_not_a_json_object_is_refused_saying_why(client, customer_on, api_token,
                                                                data, content_type, reason):
    headers = bearer(api_token(customer_on("premium")))
    response = client.post("/api/v1/topics", headers=headers, data=data,
                           content_type=content_type)
    assert response.status_code == 422
    assert response.json == {
        "error": f"{reason}Send a JSON object with title, details and product."}
