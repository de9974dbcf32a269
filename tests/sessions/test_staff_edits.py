"""Staff editing a live session through its form: the page shows the times in the session's
own zone, so saving it as shown changes nothing but what staff changed; registration closing
at the start follows a moved start; a start in the past and a meeting URL that is not https
are refused beside their field, the typed input kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from kb import db
from kb.db import utcnow
from kb.sessions.models import LiveSession
from tests.conftest import bearer
from tests.sessions.test_staff_forms import SESSION_FORM

BERLIN = ZoneInfo("Europe/Berlin")


class ShownForm(HTMLParser):
    """The values a page's form would post as it stands: inputs, text areas, selections."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._text_area: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "button"):
            self.values[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._text_area, self.values[name] = name, ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._text_area = None

    def handle_data(self, data):
        if self._text_area:
            self.values[self._text_area] += data.removeprefix("\n")


def shown_edit_form(client, session_id: int) -> dict[str, str]:
    page = client.get(f"/sessions/staff/live/{session_id}/edit")
    assert page.status_code == 200
    parser = ShownForm()
    parser.feed(page.get_data(as_text=True))
    del parser.values["csrf_token"]
    return parser.values


def berlin_minute(moment: datetime) -> str:
    """``moment`` as a Berlin wall-clock time, as the form's fields take it."""
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def schedule_in_berlin(auth, start: datetime, **fields) -> int:
    created = auth.post("/sessions/staff/live/new",
                        {**SESSION_FORM, "local_start": berlin_minute(start), **fields})
    assert created.status_code == 302, created.get_data(as_text=True)
    return int(created.location.rsplit("/", 1)[1])


def stored(app, session_id: int) -> LiveSession:
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        db.session.expunge(live_session)
        return live_session


def test_changing_only_the_seats_keeps_registration_open_until_the_start(
        app, client, auth, demo_accounts, customer_on, api_token):
    # Berlin is an hour or two ahead of UTC: read in Berlin, the start shown in UTC would
    # close registration before now
    start = (utcnow() + timedelta(minutes=50)).replace(second=0, microsecond=0)
    auth.login("staff@demo.test")
    session_id = schedule_in_berlin(auth, start)
    shown = shown_edit_form(client, session_id)
    assert (shown["local_start"], shown["registration_closes"]) == (berlin_minute(start), "")
    saved = auth.post(f"/sessions/staff/live/{session_id}/edit", {**shown, "capacity": "13"})
    assert saved.status_code == 302
    live_session = stored(app, session_id)
    assert (live_session.capacity, live_session.starts_at) == (13, start)
    assert live_session.registration_closes_at is None
    assert live_session.registration_closes == start and live_session.sequence == 0
    registered = client.post(f"/api/v1/live-sessions/{session_id}/registration",
                             headers=bearer(api_token(customer_on("premium"))))
    assert registered.status_code == 201, registered.json


def test_an_explicit_close_is_shown_in_the_sessions_zone_and_kept(app, client, auth,
                                                                   demo_accounts):
    auth.login("staff@demo.test")
    session_id = schedule_in_berlin(auth, datetime(2030, 1, 15, 9, 0, tzinfo=UTC),
                                    registration_closes="2030-01-15T08:30")
    shown = shown_edit_form(client, session_id)
    assert shown["registration_closes"] == "2030-01-15T08:30"
    auth.post(f"/sessions/staff/live/{session_id}/edit", {**shown, "presenter": "Ada Admin"})
    live_session = stored(app, session_id)
    assert live_session.presenter == "Ada Admin"
    assert live_session.registration_closes_at == datetime(2030, 1, 15, 7, 30, tzinfo=UTC)


def test_registration_closing_at_the_start_follows_a_moved_start(app, client, auth,
                                                                  demo_accounts):
    auth.login("staff@demo.test")
    start = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)
    by_default = schedule_in_berlin(auth, start)
    # as the old edit form saved it: the start itself, stored as the close
    at_the_start = schedule_in_berlin(auth, start, registration_closes=berlin_minute(start))
    with app.app_context():
        db.session.get(LiveSession, at_the_start).registration_closes_at = start
        db.session.commit()
    earlier = schedule_in_berlin(auth, start, registration_closes="2030-01-14T18:00")
    later = start + timedelta(days=1)
    for session_id in (by_default, at_the_start, earlier):
        shown = shown_edit_form(client, session_id)
        moved = auth.post(f"/sessions/staff/live/{session_id}/edit",
                          {**shown, "local_start": berlin_minute(later)})
        assert moved.status_code == 302
    for session_id in (by_default, at_the_start):
        live_session = stored(app, session_id)
        assert (live_session.starts_at, live_session.sequence) == (later, 1)
        assert live_session.registration_closes_at is None
        assert live_session.registration_closes == later
    kept = stored(app, earlier)
    assert kept.registration_closes == datetime(2030, 1, 14, 17, 0, tzinfo=UTC)


def test_a_start_moved_before_an_explicit_close_closes_registration_at_the_start(
        app, client, auth, demo_accounts):
    auth.login("staff@demo.test")
    session_id = schedule_in_berlin(auth, datetime(2030, 1, 15, 9, 0, tzinfo=UTC),
                                    registration_closes="2030-01-15T08:00")
    shown = shown_edit_form(client, session_id)
    auth.post(f"/sessions/staff/live/{session_id}/edit",
              {**shown, "local_start": "2030-01-15T07:00"})
    live_session = stored(app, session_id)
    assert live_session.starts_at == datetime(2030, 1, 15, 6, 0, tzinfo=UTC)
    assert live_session.registration_closes_at is None
    assert shown_edit_form(client, session_id)["registration_closes"] == ""


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(LiveSession.id)))


def test_a_new_session_in_the_past_is_refused_beside_its_start(app, client, auth,
                                                             demo_accounts):
    auth.login("staff@demo.test")
    before = session_count(app)
    refused = auth.post("/sessions/staff/live/new",
                        {**SESSION_FORM, "local_start": "2020-01-01T10:00"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ('<small id="local_start-error" class="field-error">2020-01-01 10:00 (Europe/Berlin) '
            'is in the past; a session must start later than now.</small>') in page
    assert 'value="2020-01-01T10:00"' in page and 'value="Ask us anything"' in page
    assert session_count(app) == before


def test_moving_a_start_into_the_past_is_refused_and_nothing_changes(app, client, auth,
                                                                    demo_accounts):
    auth.login("staff@demo.test")
    session_id = schedule_in_berlin(auth, datetime(2030, 1, 15, 9, 0, tzinfo=UTC))
    shown = shown_edit_form(client, session_id)
    refused = auth.post(f"/sessions/staff/live/{session_id}/edit",
                        {**shown, "local_start": "2020-01-01T10:00", "capacity": "40"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="local_start-error"' in page
    assert 'value="2020-01-01T10:00"' in page and 'value="40"' in page
    live_session = stored(app, session_id)
    assert (live_session.starts_at, live_session.capacity, live_session.sequence) == (
        datetime(2030, 1, 15, 9, 0, tzinfo=UTC), 12, 0)


def test_a_session_under_way_can_still_be_edited_when_its_start_stays(app, client, auth,
                                                                     schedule):
    session_id = schedule(starts_in=timedelta(minutes=-5))  # stored to the second
    started = stored(app, session_id).starts_at
    auth.login("staff@demo.test")
    shown = shown_edit_form(client, session_id)
    saved = auth.post(f"/sessions/staff/live/{session_id}/edit",
                      {**shown, "title": "Renamed while running", "capacity": "9"})
    assert saved.status_code == 302
    live_session = stored(app, session_id)
    assert (live_session.title, live_session.capacity) == ("Renamed while running", 9)
    assert (live_session.starts_at, live_session.sequence) == (started, 0)


def test_a_meeting_url_must_be_https(app, client, auth, demo_accounts):
    auth.login("staff@demo.test")
    before = session_count(app)
    for url in ("http://meet.example.test/j/1", "https:meet", "ftp://meet.example.test/"):
        refused = auth.post("/sessions/staff/live/new", {**SESSION_FORM, "meeting_url": url})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422
        assert ('<small id="meeting_url-error" class="field-error">The meeting URL must start '
                'with https://.</small>') in page
        assert f'value="{url}"' in page
    assert session_count(app) == before
    session_id = schedule_in_berlin(auth, datetime(2030, 1, 15, 9, 0, tzinfo=UTC))
    shown = shown_edit_form(client, session_id)
    refused = auth.post(f"/sessions/staff/live/{session_id}/edit",
                        {**shown, "meeting_url": "http://meet.example.test/j/2"})
    assert refused.status_code == 422
    assert stored(app, session_id).meeting_url == "https://meet.example.test/j/1"


def test_the_schedule_command_refuses_a_start_in_the_past(app, runner, demo_accounts):
    before = session_count(app)
    refused = runner.invoke(args=["sessions", "schedule", "--title", "Too late",
                                  "--start", "2020-01-01T10:00", "--time-zone", "UTC"])
    assert refused.exit_code != 0 and "is in the past" in refused.output
    assert session_count(app) == before
