"""An incident file's URL, as the API hands it out in the incident's ``attachments``, works for
the script holding the token that got it: the file for a reader the policy lets see it, JSON
401/404 otherwise, and never the sign-in page saved as the file (``curl -fLO`` exits 0 on a
302); a browser without a session is still sent to sign in."""

from __future__ import annotations

import hashlib
import io

from kb import db
from kb.accounts.queries import user_by_email
from kb.storage import Upload, file_store
from kb.support import incidents
from kb.support.models import Incident
from tests.conftest import bearer

CURL = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}
LOG = b"2026-01-01 posting failed\n" * 40


def attachment_urls(app, token: str, incident_id: int) -> list[str]:
    answer = app.test_client().get(f"/api/v1/incidents/{incident_id}", headers=bearer(token))
    assert answer.status_code == 200
    return [item["url"] for item in answer.get_json()["attachments"]]


def test_the_url_from_the_api_downloads_the_file_with_the_same_token(app, log_incident,
                                                                      api_token):
    incident_id = log_incident("elite@demo.test", files={"trace.log": LOG})
    token = api_token("elite@demo.test")
    [url] = attachment_urls(app, token, incident_id)
    client = app.test_client()
    response = client.get(url, headers={**CURL, **bearer(token)}, buffered=True)
    assert response.status_code == 200 and response.data == LOG
    assert response.headers["Content-Disposition"].startswith("attachment;")
    head = client.head(url, headers={**CURL, **bearer(token)})
    assert head.status_code == 200 and head.headers["Content-Length"] == str(len(LOG))


def test_a_bad_token_gets_401_json_and_no_token_never_a_sign_in_page(app, log_incident):
    incident_id = log_incident("elite@demo.test", files={"trace.log": LOG})
    url = f"/support/incidents/{incident_id}/files/1/trace.log"
    client = app.test_client()
    bad = client.get(url, headers={**CURL, **bearer("kb_not-a-token")}, buffered=True)
    assert bad.status_code == 401 and bad.mimetype == "application/json"
    assert bad.get_json() == {"error": "Invalid or revoked API token."}
    assert bad.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    tokenless = client.get(url, headers=CURL, buffered=True)
    assert tokenless.status_code == 401 and "Location" not in tokenless.headers
    assert tokenless.headers["WWW-Authenticate"] == 'Bearer realm="kb"'
    as_json = client.get(url, headers={"Accept": "application/json"}, buffered=True)
    assert as_json.status_code == 401 and as_json.get_json()["error"]
    browser = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 302 and "/sign-in?next=" in browser.headers["Location"]
    # the other support pages still send a tokenless visitor to sign in
    assert client.get(f"/support/incidents/{incident_id}").status_code == 302


def test_the_policy_decides_who_gets_the_file(app, log_incident, api_token):
    """Another organisation's token: 404 as for an incident that does not exist; a staff note's
    file: staff only (a customer of the incident's organisation gets 404); all as JSON."""
    incident_id = log_incident("elite@demo.test", files={"trace.log": LOG})
    with app.app_context():
        incidents.add_note(user_by_email("staff@demo.test"),
                           db.session.get(Incident, incident_id), "Internal dump attached.",
                           [Upload("internal.txt", io.BytesIO(b"staff only\n"))])
    staff = api_token("staff@demo.test")
    public, note = attachment_urls(app, staff, incident_id)
    client = app.test_client()
    assert client.get(note, headers=bearer(staff), buffered=True).data == b"staff only\n"
    customer = bearer(api_token("elite@demo.test"))
    assert attachment_urls(app, api_token("elite@demo.test"), incident_id) == [public]
    hidden = client.get(note, headers={**CURL, **customer}, buffered=True)
    assert hidden.status_code == 404 and hidden.get_json() == {
        "error": "No such file on this incident."}
    other = client.get(public, headers={**CURL, **bearer(api_token("premium@demo.test"))})
    assert other.status_code == 404 and other.get_json() == {"error": "No such incident."}


def test_a_file_answers_range_etag_and_conditional_requests(app, log_incident, api_token):
    """As patch files: resumable (curl -C -), 304 for a copy the client has (ETag: the SHA-256
    of its bytes; Last-Modified: when it was attached), 416 with the size."""
    incident_id = log_incident("elite@demo.test", files={"trace.log": LOG})
    token = bearer(api_token("elite@demo.test"))
    [url] = attachment_urls(app, api_token("elite@demo.test"), incident_id)
    client = app.test_client()
    whole = client.get(url, headers=token, buffered=True)
    etag = f'"{hashlib.sha256(LOG).hexdigest()}"'
    assert whole.headers["ETag"] == etag and whole.headers["Accept-Ranges"] == "bytes"
    assert "private" in whole.headers["Cache-Control"]
    first = client.get(url, headers={**token, "Range": "bytes=0-3"}, buffered=True)
    assert first.status_code == 206 and first.data == LOG[:4]
    assert first.headers["Content-Range"] == f"bytes 0-3/{len(LOG)}"
    rest = client.get(url, headers={**token, "Range": "bytes=4-", "If-Range": etag}, buffered=True)
    assert rest.status_code == 206 and first.data + rest.data == LOG
    stale = client.get(url, headers={**token, "Range": "bytes=4-", "If-Range": '"other"'},
                       buffered=True)
    assert stale.status_code == 200 and stale.data == LOG
    assert client.get(url, headers={**token, "If-None-Match": etag}).status_code == 304
    since = {"If-Modified-Since": whole.headers["Last-Modified"]}
    assert client.get(url, headers={**token, **since}, buffered=True).status_code == 304
    past_the_end = client.get(url, headers={**token, "Range": f"bytes={len(LOG)}-"}, buffered=True)
    assert past_the_end.status_code == 416
    assert past_the_end.headers["Content-Range"] == f"bytes */{len(LOG)}"
    assert past_the_end.get_json()["size"] == len(LOG)


def test_a_missing_stored_file_is_503_json_never_a_short_download(app, log_incident,
                                                                  api_token):
    incident_id = log_incident("elite@demo.test", files={"trace.log": LOG})
    token = api_token("elite@demo.test")
    [url] = attachment_urls(app, token, incident_id)
    with app.app_context():
        file_store().delete(db.session.get(Incident, incident_id).attachments[0].storage_key)
    response = app.test_client().get(url, headers={**CURL, **bearer(token)}, buffered=True)
    assert response.status_code == 503 and "trace.log" in response.get_json()["error"]


def test_accented_names_save_under_a_transliteration(app, log_incident, api_token):
    """curl -OJ reads only ``filename=``: two accented files no longer both save under one
    name full of underscores; ``filename*`` keeps the name itself."""
    incident_id = log_incident("elite@demo.test", files={"walk-ü_é.bin": b"one",
                                                         "walk-ö_è.bin": b"two"})
    token = api_token("elite@demo.test")
    dispositions = [app.test_client().get(url, headers=bearer(token), buffered=True).headers[
        "Content-Disposition"] for url in attachment_urls(app, token, incident_id)]
    assert dispositions == [
        "attachment; filename=\"walk-u_e.bin\"; filename*=UTF-8''walk-%C3%BC_%C3%A9.bin",
        "attachment; filename=\"walk-o_e.bin\"; filename*=UTF-8''walk-%C3%B6_%C3%A8.bin"]


def test_a_name_spelt_with_decomposed_accents_finds_the_file(app, log_incident, api_token):
    incident_id = log_incident("elite@demo.test", files={"caf\u00e9.log": LOG})
    token = api_token("elite@demo.test")
    [url] = attachment_urls(app, token, incident_id)
    decomposed = url.replace("caf%C3%A9", "cafe%CC%81")
    assert decomposed != url
    response = app.test_client().get(decomposed, headers=bearer(token), buffered=True)
    assert response.status_code == 200 and response.data == LOG
