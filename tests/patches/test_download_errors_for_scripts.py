"""A patch file's URL (and its SHA256SUMS) answers a script as the API does: whatever goes wrong
for a request sent with ``Authorization: Bearer`` (or asking for JSON) is a JSON
``{"error": ...}``, a 401 with ``WWW-Authenticate: Bearer``; never text or a page a script
would save as the file."""

from __future__ import annotations

import pytest

from kb.accounts.queries import user_by_email
from kb.accounts.tokens import create_api_token, revoke_api_token
from tests.conftest import bearer
from tests.stores import both_stores

pytestmark = both_stores

CURL = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}


@pytest.fixture
def revoked_token(app, demo_accounts):
    with app.app_context():
        user = user_by_email("premium@demo.test")
        token, plain = create_api_token(user, "walk")
        revoke_api_token(user, token.id)
    return plain


@pytest.fixture
def file_urls(publish, patch_file):
    patch_id = publish()
    url, _, _ = patch_file(patch_id)
    return {"file": url, "sums": f"/patches/{patch_id}/SHA256SUMS"}


def assert_json_401(response, message: str):
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.get_json() == {"error": message}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="kb"'


@pytest.mark.parametrize("which", ["file", "sums"])
@pytest.mark.parametrize("token", ["kb_not-a-token", ""])
def test_a_bad_token_gets_401_json_as_the_api_answers(app, file_urls, which, token):
    client = app.test_client()
    for headers in (CURL, {"Accept": "text/html"}, {}):
        response = client.get(file_urls[which], headers={**headers, **bearer(token)})
        assert_json_401(response, "Invalid or revoked API token.")
    api = client.get("/api/v1/me", headers=bearer(token))
    assert api.status_code == 401 and api.get_json() == {"error": "Invalid or revoked API token."}


@pytest.mark.parametrize("which", ["file", "sums"])
def test_a_revoked_token_gets_401_json_also_on_head(app, file_urls, revoked_token, which):
    client = app.test_client()
    response = client.get(file_urls[which], headers={**CURL, **bearer(revoked_token)})
    assert_json_401(response, "Invalid or revoked API token.")
    head = client.head(file_urls[which], headers={**CURL, **bearer(revoked_token)})
    assert head.status_code == 401 and head.mimetype == "application/json"
    assert head.headers["WWW-Authenticate"] == 'Bearer realm="kb"'


def test_without_a_token_curl_gets_401_text_and_a_browser_signs_in(app, file_urls):
    client = app.test_client()
    curl = client.get(file_urls["file"], headers=CURL)
    assert curl.status_code == 401 and curl.mimetype == "text/plain"
    assert curl.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    as_json = client.get(file_urls["sums"], headers={"Accept": "application/json"})
    assert_json_401(as_json, "Sign in, or send 'Authorization: Bearer TOKEN' with a personal "
                             "API token.")
    browser = client.get(file_urls["sums"], headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 302 and "/sign-in?next=" in browser.headers["Location"]


def test_refusals_after_a_good_token_are_json_too(app, api_token, publish, patch_file):
    """403 (the plan), 404 and the SHA256SUMS of an unknown patch: JSON with a token."""
    elite_only, _, _ = patch_file(publish(min_plan="elite"))
    readable, _, _ = patch_file(publish())
    headers = {**CURL, **bearer(api_token("premium@demo.test"))}
    client = app.test_client()
    above_plan = client.get(elite_only, headers=headers)
    assert above_plan.status_code == 403 and above_plan.mimetype == "application/json"
    assert above_plan.get_json()["error"]
    for missing in (readable.replace("/files/", "/files/9"), "/patches/99999/SHA256SUMS"):
        response = client.get(missing, headers=headers)
        assert response.status_code == 404 and response.mimetype == "application/json"
