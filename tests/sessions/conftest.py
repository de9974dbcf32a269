"""Factories for the learning-session tests: live sessions, recordings and topic requests made
through the services, as staff would."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest

from kb.accounts.queries import user_by_email
from kb.db import utcnow
from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server
from tests.videos import webm_like

WEBVTT = b"""WEBVTT

00:00.000 --> 00:04.000
Welcome to the session.

00:04.000 --> 00:12.500
Queues show their depth and the age of the oldest message.

01:05.000 --> 01:10.000
Resubmit after fixing the mapping.
"""


@pytest.fixture
def staff(app, demo_accounts):
    """Run ``callable(staff_user)`` inside an app context and return its result."""

    def run(action):
        with app.app_context():
            return action(user_by_email("staff@demo.test"))

    return run


TIMES = ("local_start", "registration_opens", "registration_closes")


@pytest.fixture
def schedule(app, demo_accounts):
    """Schedule a live session: schedule(capacity=5, starts_in=timedelta(days=2), **fields).
    Staff can no longer schedule a start in the past, so one that is (a session under way or
    over) is scheduled a day ahead and its times then moved back, as if the clock had run on."""
    from kb.sessions.live import service as live

    def make(capacity: int = 5, starts_in: timedelta = timedelta(days=2), **fields) -> int:
        with app.app_context():
            staff_user = user_by_email("staff@demo.test")
            start = (utcnow() + starts_in).replace(tzinfo=None)
            values = {"title": "Queue monitoring live", "local_start": start, "time_zone": "UTC",
                      "duration_minutes": 60, "capacity": capacity,
                      "meeting_url": "https://meet.example.test/j/42", "meeting_number": "42 42",
                      "meeting_password": "secret-pass", "join_details_minutes": 15, **fields}
            back = max(utcnow().replace(tzinfo=None) - values["local_start"], timedelta(0))
            if back:
                back += timedelta(days=1)
            ahead = {name: values[name] + back for name in TIMES if values.get(name)}
            session_id = live.schedule_session(
                staff_user, live.LiveSessionFields(**{**values, **ahead})).id
            if back:
                moved_back(session_id, back)
            return session_id

    return make


def moved_back(session_id: int, by: timedelta) -> None:
    """Move a session's stored times back (inside an app context), as time passing would."""
    from kb import db
    from kb.sessions.models import LiveSession

    live_session = db.session.get(LiveSession, session_id)
    live_session.starts_at -= by
    for name in ("registration_opens_at", "registration_closes_at"):
        if getattr(live_session, name):
            setattr(live_session, name, getattr(live_session, name) - by)
    db.session.commit()


@pytest.fixture
def publish(app, demo_accounts):
    """Publish a recording: publish(title=..., video=b"...", transcript=WEBVTT, **fields)."""
    from kb.sessions.recordings import service as recordings

    def make(title: str = "Monitoring message flows", *, video: bytes | None = webm_like(
             bytes(range(256)) * 40), transcript: bytes | None = WEBVTT, **fields) -> int:
        with app.app_context():
            staff_user = user_by_email("staff@demo.test")
            values = {"title": title, "recorded_on": utcnow().date(),
                      "product": "Orbit Integration Hub", "topic": "Integration", **fields}
            upload = recordings.Upload("flows.webm", io.BytesIO(video)) if video else None
            return recordings.publish_recording(
                staff_user, recordings.RecordingFields(**values), upload, transcript).id

    return make


def at_once(app, emails, action, session_id) -> list[BaseException]:
    """Run ``action(user, session_id)`` for every e-mail, all threads released together."""
    barrier = threading.Barrier(len(emails))
    failures: list[BaseException] = []

    def worker(email):
        with app.app_context():  # its own SQLAlchemy session, hence its own connection
            user = user_by_email(email)
            barrier.wait()
            try:
                action(user, session_id)
            except BaseException as failure:  # noqa: BLE001 - reported by the test
                failures.append(failure)

    threads = [threading.Thread(target=worker, args=(email,), name=email) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures
