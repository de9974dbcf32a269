"""A request's Host header never reaches an e-mail (README): with no KB_BASE_URL, the invite
attached to a registration's e-mail names the address kb serve was started on, whatever Host
the registering request claimed. (An invite downloaded from a page follows that page's own
address, as the page's links do: test_calendar.py.)"""

from __future__ import annotations

from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
from tests.conftest import bearer
from tests.sessions.message_helpers import _deliver, _invite, _text

SERVED_AT = "http://portal.internal:8000"
FORGED = {"Host": "evil.example"}


def _served_from_own_address(app) -> None:
    app.config.update(BASE_URL="", SERVE_URL=SERVED_AT)


def _links_of(event) -> list[str]:
    return [str(event[name]) for name in ("location", "url", "description")]


def test_a_registration_under_a_forged_host_gets_an_invite_of_the_portal(
        app, client, runner, smtp, schedule, customer_on, api_token):  # noqa: F811
    session_id = schedule()
    email = customer_on("premium")
    headers = {**bearer(api_token(email)), **FORGED}
    _served_from_own_address(app)

    answer = client.post(f"/api/v1/live-sessions/{session_id}/registration", headers=headers)
    assert answer.status_code == 201
    _deliver(runner)

    [confirmation] = smtp.inbox.to(email)
    page = f"{SERVED_AT}/sessions/live/{session_id}"
    assert page in _text(confirmation)
    _, event = _invite(confirmation)
    for text in _links_of(event):
        assert page in text and "evil.example" not in text

