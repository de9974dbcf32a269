"""A recording's ``media_url`` from the API (and its attachments' URLs) works for the script
holding the token that got it: the video for a reader the policy lets watch it, JSON 401, 403
or 404 otherwise, and never the sign-in page saved as the file; a browser without a session is
still sent to sign in."""

from __future__ import annotations

from tests.conftest import bearer
from tests.sessions.test_recordings import VIDEO, _fetch

CURL = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}


def test_the_media_url_from_the_api_downloads_with_the_same_token(app, publish, api_token):
    recording_id = publish(video=VIDEO)
    token = api_token("xtreme@demo.test")
    answer = app.test_client().get(f"/api/v1/recordings/{recording_id}", headers=bearer(token))
    media_url = answer.get_json()["media_url"]
    response = _fetch(app.test_client(), media_url, headers={**CURL, **bearer(token)})
    assert response.status_code == 200 and response.data == VIDEO


def test_bad_or_no_token_gets_401_never_a_sign_in_page(app, publish):
    url = f"/sessions/recordings/{publish(video=VIDEO)}/media"
    client = app.test_client()
    bad = _fetch(client, url, headers={**CURL, **bearer("kb_not-a-token")})
    assert bad.status_code == 401 and bad.get_json() == {"error": "Invalid or revoked API token."}
    assert bad.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    tokenless = _fetch(client, url, headers=CURL)
    assert tokenless.status_code == 401 and "Location" not in tokenless.headers
    browser = _fetch(client, url, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 302 and "/sign-in?next=" in browser.headers["Location"]


def test_refusals_for_a_token_are_json(app, publish, api_token):
    url = f"/sessions/recordings/{publish(video=VIDEO)}/media"
    lapsed = _fetch(app.test_client(), url,
                    headers={**CURL, **bearer(api_token("lapsed@demo.test"))})
    assert lapsed.status_code == 403 and lapsed.get_json()["reason"] == "term_lapsed"
    missing = _fetch(app.test_client(), "/sessions/recordings/99999/media",
                     headers={**CURL, **bearer(api_token("xtreme@demo.test"))})
    assert missing.status_code == 404 and missing.get_json()["error"]


def test_an_attachment_url_from_the_api_downloads_with_the_token(app, client, auth, publish,
                                                                 api_token):
    from tests.sessions.test_media_ranges import _attach

    _, [attachment] = _attach(client, auth, publish(), "slides.pdf")
    token = api_token("premium@demo.test")
    scripted = _fetch(app.test_client(), attachment["url"], headers={**CURL, **bearer(token)})
    assert scripted.status_code == 200 and scripted.data == b"%PDF-1.4 slides"
    tokenless = _fetch(app.test_client(), attachment["url"], headers=CURL)
    assert tokenless.status_code == 401 and "Location" not in tokenless.headers
