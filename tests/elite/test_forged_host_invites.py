"""A request's Host header never reaches an e-mail (README): an Elite meeting's invites, sent
when staff schedule it from a page reached under a forged Host, name the address kb serve was
started on (no KB_BASE_URL), in the invite's place, link and description and in the text."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from kb import db
from kb.elite.models import EliteMeeting
from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
from tests.conftest import Auth
from tests.elite.test_meetings import ask
from tests.sessions.message_helpers import _deliver, _invite, _text
from tests.sessions.test_forged_host_invites import SERVED_AT, _links_of


class ForgedHostClient(FlaskClient):
    """A browser whose every request claims the Host ``evil.example``."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "http://evil.example")
        return super().open(*args, **kwargs)

    def session_transaction(self, *args, **kwargs):
        # the session its cookies hold for that host (where tests sign its CSRF token)
        kwargs.setdefault("base_url", "http://evil.example")
        return super().session_transaction(*args, **kwargs)


def test_meeting_invites_sent_under_a_forged_host_name_the_portal(
        app, runner, smtp, elite_customer):  # noqa: F811
    app.config.update(BASE_URL="", SERVE_URL=SERVED_AT)
    customer = Auth(app.test_client())
    csm = Auth(ForgedHostClient(app, app.response_class, use_cookies=True))
    customer.login(elite_customer.email)
    assert ask(customer).status_code == 302
    with app.app_context():
        meeting_id = db.session.scalar(select(EliteMeeting.id))
    csm.login(elite_customer.csm_email)
    scheduled = csm.post(f"/staff/elite/meetings/{meeting_id}/schedule",
                         {"starts_at": "2030-03-19T09:00", "duration_minutes": "45"})
    assert scheduled.status_code == 302 and "sign-in" not in scheduled.location
    _deliver(runner)

    for email in (elite_customer.email, elite_customer.csm_email):
        [invitation] = [m for m in smtp.inbox.to(email) if list(m.iter_attachments())]
        _, event = _invite(invitation)
        for text in _links_of(event):
            assert f"{SERVED_AT}/elite/meetings" in text and "evil.example" not in text
        assert "evil.example" not in _text(invitation)
