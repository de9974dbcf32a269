"""Two `kb serve` processes, each with a data directory of its own, on one PostgreSQL
database (searched with the PostgreSQL search backend) and one S3-compatible store (moto on
loopback): one portal, whichever server a request lands on (no sticky sessions).

What a worker keeps in its own memory must never decide anything another server would decide
differently: a browser session, an API token and its revocation, sign-in throttling and the
seats of a live session all live in the database."""

from __future__ import annotations

import http.client
import http.cookiejar
import io
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from kb import db
from kb.accounts.queries import user_by_email
from kb.accounts.tokens import create_api_token, revoke_api_token
from kb.db import utcnow
from tests.browser.conftest import LiveServer
from tests.conftest import DEMO_PASSWORD, on_postgres
from tests.patches.conftest import payload, sha256_of
from tests.scaleout.portal import Browser, Portal, api, sign_in

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not on_postgres(), reason="several servers share a PostgreSQL database"),
    # both servers start once for the module; on one xdist worker
    pytest.mark.xdist_group("two-servers"),
]

PATCH_SIZE = 6_000_000
# larger than loopback's socket buffers can hold at once, so that killing the server cuts the
# download off for sure (a smaller file may already sit whole in the buffers)
CUT_PATCH_SIZE = 40_000_000


def test_signed_in_on_one_server_is_signed_in_on_the_other_and_signed_out_on_both(portal):
    browser = Browser()
    status, _ = sign_in(browser, portal.first, "premium@demo.test")
    assert status == 302
    stolen = browser.copy()

    status, page = browser.get(f"{portal.second.url}/account")
    assert status == 200 and "premium@demo.test" in page

    status, _ = browser.post_form(f"{portal.second.url}/sign-out", {},
                                  csrf_from=f"{portal.second.url}/account")
    assert status == 302
    # the session ended in the database: the cookie as it was before signing out, replayed on
    # either server, is signed in no more
    for server in portal.servers:
        assert stolen.get(f"{server.url}/account")[0] == 302


def test_an_api_token_works_on_both_servers_until_revoked_on_either(portal):
    with portal.app.app_context():
        user = user_by_email("elite@demo.test")
        token_row, token = create_api_token(user, "two servers")
        token_id = token_row.id
    for server in portal.servers:
        assert api(server, "GET", "/api/v1/me", token)[0] == 200

    with portal.app.app_context():
        revoke_api_token(user_by_email("elite@demo.test"), token_id)
    for server in portal.servers:
        assert api(server, "GET", "/api/v1/me", token)[0] == 401


def test_wrong_passwords_on_either_server_count_together(portal):
    """Sign-in backoff counts every server's attempts: five free guesses in all, not five per
    server."""
    free = portal.app.config["SIGN_IN_FREE_FAILURES"]
    browser = Browser()
    statuses = [sign_in(browser, portal.servers[attempt % 2], "xtreme@demo.test", "wrong")[0]
                for attempt in range(free + 1)]
    assert statuses == [401] * free + [429]
    assert sign_in(Browser(), portal.second, "xtreme@demo.test", "wrong")[0] == 429


def test_registrations_racing_on_both_servers_never_exceed_the_seats(portal):
    capacity, racers = 4, 12
    session_id = _schedule_live_session(portal.app, capacity)
    tokens = [_customer_token(portal.app, "premium" if i % 2 else "elite") for i in range(racers)]

    barrier = threading.Barrier(racers)
    statuses: list[int] = []

    def register(index: int) -> None:
        barrier.wait()
        server = portal.servers[index % 2]
        statuses.append(api(server, "POST", f"/api/v1/live-sessions/{session_id}/registration",
                            tokens[index])[0])

    threads = [threading.Thread(target=register, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [201] * capacity + [202] * (racers - capacity)
    with portal.app.app_context():
        from kb.sessions.models import Registration
        confirmed = db.session.query(Registration).filter_by(
            live_session_id=session_id, status="confirmed").count()
    assert confirmed == capacity


def _schedule_live_session(app, capacity: int) -> int:
    from kb.sessions.live import service as live

    with app.app_context():
        fields = live.LiveSessionFields(
            title="Two servers, one waiting list",
            local_start=(utcnow() + timedelta(days=3)).replace(tzinfo=None), time_zone="UTC",
            duration_minutes=60, capacity=capacity, meeting_url="https://meet.example.test/j/7",
            meeting_number="7 7", meeting_password="seven", join_details_minutes=15)
        return live.schedule_session(user_by_email("staff@demo.test"), fields).id


def _customer_token(app, plan: str) -> str:
    from kb.accounts.models import Organization, User
    from kb.accounts.passwords import set_password
    from kb.policy import today

    with app.app_context():
        number = db.session.query(User).count()
        organization = Organization(name=f"Racing {plan} {number}", plan=plan,
                                    term_start=today() - timedelta(days=10),
                                    term_end=today() + timedelta(days=300))
        user = User(email=f"racer-{number}@example.test", role="customer",
                    organization=organization, is_enabled=True)
        set_password(user, DEMO_PASSWORD)
        db.session.add_all([organization, user])
        db.session.commit()
        return create_api_token(user, "race")[1]


def test_a_patch_published_on_one_server_downloads_from_the_other_with_range(portal):
    data = payload(PATCH_SIZE, seed=3)
    url = _publish_patch(portal, portal.first, data)
    token = _token(portal.app, "premium@demo.test")

    request = urllib.request.Request(
        url.replace(portal.first.url, portal.second.url),
        headers={"Authorization": f"Bearer {token}", "Range": "bytes=4000000-4000999"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 206
        assert response.read() == data[4_000_000:4_001_000]
        assert response.headers["ETag"] == f'"{sha256_of(data)}"'


def test_a_patch_published_on_one_server_is_found_at_once_on_the_other(portal):
    """The index is in the database and written in the patch's own transaction: the first
    search on the other server after the publishing request returns finds it."""
    title = "Quasar relay hotfix"
    _publish_patch(portal, portal.first, payload(4096, seed=5), title=title)
    token = _token(portal.app, "premium@demo.test")

    status, found = api(portal.second, "GET", "/api/v1/search?q=quasar+relay", token)
    assert status == 200
    assert [result["title"] for result in found["results"]] == [title]
    status, found = api(portal.first, "GET", "/api/v1/search?q=quasar+relay", token)
    assert [result["title"] for result in found["results"]] == [title]


def test_a_download_cut_off_by_a_dying_server_resumes_on_the_other(portal):
    """Last in the module: the first server is killed mid-download."""
    data = payload(CUT_PATCH_SIZE, seed=4)
    url = _publish_patch(portal, portal.second, data)
    token = _token(portal.app, "elite@demo.test")
    authorization = {"Authorization": f"Bearer {token}"}

    received = b""
    first_url = url.replace(portal.second.url, portal.first.url)
    with urllib.request.urlopen(urllib.request.Request(first_url, headers=authorization),
                                timeout=30) as response:
        etag = response.headers["ETag"]
        received = response.read(1_000_000)
        _kill(portal.first)
        try:
            while chunk := response.read(65536):
                received += chunk
        except (OSError, http.client.HTTPException):
            pass  # the connection died with the server
    assert 1_000_000 <= len(received) < CUT_PATCH_SIZE

    resume = urllib.request.Request(
        url, headers={**authorization, "Range": f"bytes={len(received)}-", "If-Range": etag})
    with urllib.request.urlopen(resume, timeout=30) as response:
        assert response.status == 206
        received += response.read()
    assert sha256_of(received) == sha256_of(data)


def _publish_patch(portal: Portal, server: LiveServer, data: bytes, title: str = "") -> str:
    """Publish a patch through one server's API as staff; the URL of its file."""
    fields = MultiDict({"product": "Orbit ERP", "title": title or f"Service pack {len(data)}",
                        "kind": "service-pack", "version": "12.0"})
    fields.add("files", FileStorage(io.BytesIO(data), "sp.zip"))
    boundary, body = encode_multipart(fields)
    status, patch = api(server, "POST", "/api/v1/patches", _token(portal.app, "staff@demo.test"),
                        body=body,
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 201, patch
    return patch["files"][0]["url"]


def _token(app, email: str) -> str:
    with app.app_context():
        return create_api_token(user_by_email(email), "two servers")[1]


def _kill(server: LiveServer) -> None:
    """Kill a server at once, its worker processes first (no graceful end of the download)."""
    subprocess.run(["pkill", "-KILL", "-P", str(server.process.pid)], check=False)
    server.process.kill()
    server.process.wait()
