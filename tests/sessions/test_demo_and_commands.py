"""`kb demo` loads the learning content once (recordings with transcripts, topic requests with
votes, upcoming live sessions with free seats, a Campus offer); `kb sessions schedule` and
`kb sessions campus-check` work from the shell."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.db import utcnow
from kb.sessions.campus import service as campus
from kb.sessions.models import (
    CampusOffer,
    LiveSession,
    Recording,
    TopicRequest,
    TopicVote,
    TranscriptSegment,
)

COUNTED = (Recording, TranscriptSegment, TopicRequest, TopicVote, LiveSession, CampusOffer)


def _counts(app):
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in COUNTED}


def test_demo_is_complete_and_idempotent(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = _counts(app)
    assert first["Recording"] == 3 and first["TranscriptSegment"] > 10
    assert first["TopicRequest"] == 3 and first["TopicVote"] > first["TopicRequest"]
    assert first["CampusOffer"] == 1
    with app.app_context():
        upcoming = db.session.scalars(select(LiveSession).where(
            LiveSession.starts_at > utcnow(), LiveSession.cancelled_at.is_(None))).all()
        assert len(upcoming) == 2 and all(s.capacity > 0 for s in upcoming)
        [cancelled] = db.session.scalars(select(LiveSession).where(
            LiveSession.cancelled_at.is_not(None))).all()
        assert cancelled.starts_at > utcnow() and cancelled.cancellation_reason
        assert min(s.join_details_from for s in upcoming) <= utcnow()  # one starts soon
        assert campus.offer_is_valid(campus.current_offer())
        uploaded = db.session.scalar(select(Recording).where(Recording.media_path.is_not(None)))
        assert uploaded.media_type == "video/webm"
        assert uploaded.duration_seconds == 30  # read from the file, as no duration is given
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _counts(app) == first


def test_schedule_command_prints_the_id_last(app, runner, demo_accounts):
    result = runner.invoke(args=["sessions", "schedule", "--title", "From the shell",
                                 "--starts-in", "20", "--capacity", "3", "--join-minutes", "15",
                                 "--meeting-url", "https://meet.example.test/1"])
    assert result.exit_code == 0, result.output
    session_id = int(result.output.strip().splitlines()[-1])
    with app.app_context():
        live_session = db.session.get(LiveSession, session_id)
        assert live_session.title == "From the shell" and live_session.capacity == 3
        minutes = (live_session.starts_at - utcnow()).total_seconds() / 60
        assert 19 < minutes <= 20
    refused = runner.invoke(args=["sessions", "schedule", "--title", "x"])
    assert refused.exit_code != 0 and "exactly one of --start and --starts-in" in refused.output
    zone = runner.invoke(args=["sessions", "schedule", "--title", "x", "--start",
                               "2030-03-31T02:30", "--time-zone", "Europe/Berlin"])
    assert zone.exit_code != 0 and "does not exist in Europe/Berlin" in zone.output


def test_campus_check_command(app, runner):
    assert runner.invoke(args=["sessions", "campus-check", "CAMPUS-NOPE"]).exit_code == 1
