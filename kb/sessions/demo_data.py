"""The demo's learning content: recordings with transcripts (one with a small uploaded video),
topic requests with votes, live sessions (one in a few days, one starting soon, so that join
details can be seen, one cancelled), and a Campus offer. Idempotent: items are found by title."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from kb import db, demo, policy
from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.sessions.campus import service as campus
from kb.sessions.live import service as live
from kb.sessions.live import times as live_times
from kb.sessions.models import LiveSession, Recording, TopicRequest
from kb.sessions.recordings import service as recordings
from kb.sessions.topics import service as topics
from kb.storage import Upload

DEMO_FILES = Path(__file__).resolve().parent / "demo"
RECORDINGS = [
    # title, product, topic, days ago, minutes (None: read from the video), transcript, video
    # file or https address
    ("Integration Hub 4.0: monitoring message flows", "Orbit Integration Hub", "Integration",
     12, None, "message-flows.vtt", "orbit-demo.webm"),
    ("Orbit ERP 12.0: what's new in period closing", "Orbit ERP", "Finance", 30, 8,
     "period-closing.vtt", "https://media.orbitec.example/sessions/period-closing-12.mp4"),
    ("Orbit Analytics 2026.1: a tour of the new dashboards", "Orbit Analytics", "Reporting",
     45, 5, "dashboards.srt", "https://media.orbitec.example/sessions/dashboards-2026-1.mp4"),
]
TOPICS = [
    # title, details, product, requester, voters, status
    ("Year-end closing with several currencies",
     "We close **three companies** in EUR, USD and CHF. How do revaluation and the closing "
     "checklist fit together?", "Orbit ERP", "premium@demo.test",
     ["elite@demo.test", "xtreme@demo.test"], "new"),
    ("Monitoring Integration Hub queues at night",
     "Which thresholds and alerts do you recommend for unattended operation?",
     "Orbit Integration Hub", "elite@demo.test", ["premium@demo.test"], "planned"),
    ("Custom KPIs in Orbit Analytics", "How do we define a KPI from our own tables?",
     "Orbit Analytics", "xtreme@demo.test", [], "new"),
]


def load_demo(echo) -> None:
    staff = demo.staff_actor()
    for row in RECORDINGS:
        _ensure_recording(staff, *row)
    for row in TOPICS:
        _ensure_topic(staff, *row)
    _ensure_live_sessions(staff)
    if campus.current_offer() is None:
        campus.set_offer(staff, percentage=15, valid_until=policy.today() + timedelta(days=365),
                         terms="For named users of Elite customers; one learning card per "
                               "user and year. At the vendor's sole discretion.",
                         how_to_redeem="Enter your organisation's code at checkout in the "
                                       "Campus shop.",
                         redeem_url="https://campus.orbitec.example/checkout")
    echo("Learning sessions: recordings, topic requests, live sessions and the Campus offer.")


def _ensure_recording(staff, title, product, topic, days_ago, minutes, transcript, media):
    if db.session.scalar(select(Recording.id).where(Recording.title == title)):
        return
    fields = recordings.RecordingFields(
        title=title, product=product, topic=topic, presenter="Sam Staff",
        recorded_on=policy.today() - timedelta(days=days_ago),
        duration_seconds=None if minutes is None else minutes * 60,
        summary=f"A recorded session on **{topic.lower()}** in {product}, with its transcript.",
        external_url=media if media.startswith("https://") else "")
    transcript_bytes = (DEMO_FILES / transcript).read_bytes()
    if media.startswith("https://"):
        recordings.publish_recording(staff, fields, transcript=transcript_bytes)
        return
    with (DEMO_FILES / media).open("rb") as video:
        recordings.publish_recording(staff, fields, Upload(media, video),
                                     transcript=transcript_bytes)


def _ensure_topic(staff, title, details, product, requester, voters, status):
    if db.session.scalar(select(TopicRequest.id).where(TopicRequest.title == title)):
        return
    topic = topics.request_topic(user_by_email(requester), title, details, product)
    for email in voters:
        topics.upvote(user_by_email(email), topic)
    if status != "new":
        topics.change_status(staff, topic, status)


def _ensure_live_sessions(staff) -> None:
    soon = (utcnow() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    in_days = (utcnow() + timedelta(days=3)).astimezone(live_times.zone("Europe/Berlin"))
    sessions = [
        live.LiveSessionFields(
            title="Ask us anything: upgrading to Orbit ERP 12.0", time_zone="Europe/Berlin",
            local_start=in_days.replace(hour=15, minute=0, second=0, microsecond=0, tzinfo=None),
            duration_minutes=60, capacity=25, presenter="Sam Staff",
            description="Bring your upgrade questions; we answer them live.",
            meeting_url="https://meet.orbitec.example/j/4815162342", meeting_number="4815 1623 42",
            meeting_password="orbit12"),
        live.LiveSessionFields(
            title="Integration Hub office hours", time_zone="UTC",
            local_start=soon.replace(tzinfo=None), duration_minutes=45, capacity=10,
            presenter="Ada Admin", join_details_minutes=15,
            description="Open questions on Integration Hub 4.0, answered live.",
            meeting_url="https://meet.orbitec.example/j/2718281828", meeting_number="2718 2818 28",
            meeting_password="hub40"),
    ]
    for fields in sessions:
        if not db.session.scalar(select(LiveSession.id).where(LiveSession.title == fields.title)):
            live.schedule_session(staff, fields)
    _ensure_cancelled_session(staff, in_days + timedelta(days=2))


def _ensure_cancelled_session(staff, start) -> None:
    """A session staff called off, as customers see it until its start."""
    title = "Orbit Analytics dashboards, live"
    if db.session.scalar(select(LiveSession.id).where(LiveSession.title == title)):
        return
    live_session = live.schedule_session(staff, live.LiveSessionFields(
        title=title, time_zone="Europe/Berlin", duration_minutes=60, capacity=20,
        local_start=start.replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None),
        presenter="Sam Staff", description="Building dashboards from your own KPIs."))
    live.cancel_session(staff, live_session.id, "The presenter is ill. We will schedule the "
                                                "session again and tell everyone who asked.")
