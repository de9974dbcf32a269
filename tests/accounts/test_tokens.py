"""Personal API tokens: created in the account page and from the shell, shown once, stored as a
hash, and refused once revoked, for a deactivated user or for a lapsed organisation."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.accounts.models import ApiToken, Organization, User
from tests.conftest import bearer
from tests.engines import whoosh_only


def test_valid_token_authenticates_the_api(client, customer_on, api_token):
    email = customer_on("elite")
    response = client.get("/api/v1/me", headers=bearer(api_token(email)))
    assert response.status_code == 200 and response.get_json()["email"] == email


def test_no_or_bad_credential_gives_401_json(client):
    for headers in ({}, bearer("kb_forged"), {"Authorization": "Bearer "},
                    {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.is_json and "error" in response.get_json()


def test_bad_token_is_refused_even_with_a_valid_session(client, auth, customer_on):
    auth.login(customer_on("premium"))
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", headers=bearer("kb_forged")).status_code == 401


def test_a_bad_token_on_a_page_gets_401_json_not_the_sign_in_page(client):
    """Said as the API says it: a script whose token was revoked or mistyped must not follow
    a redirect to the sign-in page and take it for the page it asked for."""
    for path in ("/alerts", "/account", "/staff/articles/", "/community/"):
        response = client.get(path, headers=bearer("kb_forged"))
        assert response.status_code == 401 and response.is_json, path
        assert response.get_json()["error"] == "Invalid or revoked API token.", path
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="kb"', path
    in_a_browser = client.get("/alerts")
    assert in_a_browser.status_code == 302 and "/sign-in?next=" in in_a_browser.location


def test_revoked_token_stops_working(app, client, auth, customer_on, api_token):
    email = customer_on("premium")
    token = api_token(email)
    auth.login(email)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert auth.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    auth.logout()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_token_of_a_deactivated_user_stops_at_once(app, client, customer_on, api_token):
    email = customer_on("premium")
    token = api_token(email)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).is_enabled = False
        db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and "deactivated" in response.get_json()["error"]


def test_token_of_a_lapsed_organisation_still_authenticates(app, client, customer_on, api_token):
    """The contract: a lapsed organisation authenticates normally; /me says active: false."""
    email = customer_on("elite")
    token = api_token(email)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        organization = db.session.scalar(select(Organization))
        organization.term_end = organization.term_start = organization.term_start.replace(
            year=2001)
        db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json["organization"]["active"] is False and response.json["features"] == []


def test_account_page_creates_a_token_shown_once_and_stores_only_its_hash(
    app, client, auth, customer_on
):
    auth.login(customer_on("xtreme"))
    page = auth.post("/account/tokens", {"name": "nightly sync"})
    assert page.status_code == 201
    token = re.search(r'<code id="new-token">(kb_[\w-]+)</code>', page.get_data(as_text=True))[1]
    listing = client.get("/account").get_data(as_text=True)
    assert "nightly sync" in listing and token not in listing
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.token_hash != token and token not in stored.token_hash
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_token_create_command_prints_the_token_last(app, runner, customer_on):
    email = customer_on("premium")
    result = runner.invoke(args=["token", "create", email, "--name", "ci"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("kb_")
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_token_create_command_for_unknown_user_fails(runner):
    result = runner.invoke(args=["token", "create", "nobody@example.test"])
    assert result.exit_code != 0 and "No user" in result.output


def test_token_requests_need_no_csrf_but_session_posts_do(app, client, auth, customer_on):
    # a POST to the API with only the ambient session cookie must carry the CSRF token
    auth.login(customer_on("premium"))
    response = client.post("/api/v1/me")
    assert response.status_code in (400, 405)


def statements_of(app, client, path: str, headers: dict) -> list[str]:
    """The SQL statements one request runs."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.session.get_bind()
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with client.get(path, headers=headers) as response:  # a file response holds its file
            assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


# the request's own queries: on the PostgreSQL engine the search itself adds its own
@whoosh_only
def test_a_token_costs_one_query_and_a_static_file_none(app, client, customer_on, api_token):
    headers = bearer(api_token(customer_on("premium")))
    client.get("/api/v1/search?q=posting", headers=headers)  # the once-a-minute last-used write
    searched = statements_of(app, client, "/api/v1/search?q=posting", headers)
    assert len(searched) == 1 and "api_tokens" in searched[0] and "organizations" in searched[0]
    assert statements_of(app, client, "/static/kb.css", headers) == []


@whoosh_only
def test_an_elite_search_adds_one_query_for_its_early_adopter_programmes(
        app, client, customer_on, api_token):
    headers = bearer(api_token(customer_on("elite")))
    client.get("/api/v1/search?q=posting", headers=headers)
    searched = statements_of(app, client, "/api/v1/search?q=posting", headers)
    assert len(searched) == 2 and "api_tokens" in searched[0]
    assert "programme_applications" in searched[1]
