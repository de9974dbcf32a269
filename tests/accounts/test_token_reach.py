"""What a personal API token reaches: the API, file downloads and reading pages, never a page's
form. A page's CSRF token is bound to a session, not to a user, so a script holding only a
token can fetch one as any browser does (GET /plans); the forms must still refuse it, or a
token that expires in 30 days (or is about to be revoked) mints one that never expires,
invites colleagues or signs its owner out everywhere."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.accounts.models import ApiToken, User
from tests.web import bearer, csrf_token


def tokens_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ApiToken.id)).join(User)
                                 .where(User.email == email))


def test_a_token_cannot_create_a_token_through_the_account_page(app, client, customer_on,
                                                                  api_token):
    email = customer_on("premium")
    headers = bearer(api_token(email))
    answer = client.post("/account/tokens", headers=headers, data={
        "name": "forever", "expires": "never", "csrf_token": csrf_token(client)})
    assert answer.status_code == 401 and answer.is_json, answer.status_code
    assert "browser" in answer.json["error"]
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    assert tokens_of(app, email) == 1
    # what a token is for still works: the API, and reading the page
    assert client.get("/api/v1/tokens", headers=headers).status_code == 200
    assert client.get("/account", headers=headers).status_code == 200


def test_a_customer_administrators_token_cannot_invite_a_user(app, client, customer_on,
                                                                     api_token):
    admin = customer_on("elite", role="customer_admin")
    headers = bearer(api_token(admin))
    invited = client.post("/organization/users", headers=headers, data={
        "email": "stranger@example.test", "role": "customer", "name": "S",
        "csrf_token": csrf_token(client)})
    assert invited.status_code == 401 and invited.is_json
    with app.app_context():
        assert db.session.scalar(select(User).where(
            User.email == "stranger@example.test")) is None


def test_a_token_cannot_revoke_its_owners_tokens_or_sign_them_out_through_pages(
        app, client, auth, customer_on, api_token):
    email = customer_on("xtreme")
    kept, headers = api_token(email), bearer(api_token(email))
    with app.app_context():
        kept_id = db.session.scalar(select(ApiToken.id).order_by(ApiToken.id))
    csrf = csrf_token(client)
    for path in (f"/account/tokens/{kept_id}/revoke", "/account/sign-out-everywhere"):
        answer = client.post(path, headers=headers, data={"csrf_token": csrf})
        assert answer.status_code == 401 and answer.is_json, path
    assert client.get("/api/v1/me", headers=bearer(kept)).status_code == 200
    auth.login(email)
    # the browser's own forms are unchanged
    assert auth.post(f"/account/tokens/{kept_id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=bearer(kept)).status_code == 401
