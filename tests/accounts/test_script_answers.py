"""A script (a token, or a request asking for JSON) gets what it may not open as JSON, as the
API answers it: 401 for no or a bad credential, 403 for a staff page, never the sign-in page
behind a redirect or an HTML error page. A browser still gets the redirect and the pages."""

from __future__ import annotations

import pytest

from tests.conftest import bearer

ASKS_FOR_JSON = {"Accept": "application/json"}
A_BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SIGN_IN_PAGES = ("/", "/alerts", "/account", "/staff/articles/", "/staff/", "/features/search")
STAFF_PAGES = ("/staff/", "/staff/articles/", "/staff/audit", "/staff/outbox",
               "/staff/incidents", "/staff/products/")


def assert_json_error(response, status: int, path: str) -> dict:
    assert response.status_code == status and response.is_json, (path, response.status_code,
                                                                  response.content_type)
    assert response.get_json()["error"], path
    return response.get_json()


@pytest.mark.parametrize("headers", [bearer("kb_forged"), ASKS_FOR_JSON],
                         ids=["bad-token", "asks-for-json"])
def test_a_page_that_needs_a_sign_in_answers_a_script_401_json(client, headers):
    for path in SIGN_IN_PAGES:
        response = client.get(path, headers=headers)
        assert_json_error(response, 401, path)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="kb"', path


def test_a_browser_is_still_sent_to_the_sign_in_page(client):
    assert client.get("/", headers=A_BROWSER).location.endswith("/sign-in")
    for path in SIGN_IN_PAGES[1:]:
        response = client.get(path, headers=A_BROWSER)
        assert response.status_code == 302 and "/sign-in?next=" in response.location, path


def test_a_customer_token_on_a_staff_page_gets_403_json(client, customer_on, api_token):
    token = api_token(customer_on("elite"))
    for path in STAFF_PAGES:
        assert assert_json_error(client.get(path, headers=bearer(token)), 403,
                                 path)["reason"] == "staff_only"


def test_a_signed_in_customer_asking_for_json_gets_403_json(client, auth, customer_on):
    auth.login(customer_on("elite"))
    for path in STAFF_PAGES:
        assert_json_error(client.get(path, headers=ASKS_FOR_JSON), 403, path)
        in_a_browser = client.get(path, headers=A_BROWSER)
        assert in_a_browser.status_code == 403 and in_a_browser.mimetype == "text/html", path
