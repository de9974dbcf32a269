"""Meetings an Elite organisation asks for and its CSM schedules: consultations with senior
staff, update planning calls (with the update's known issues gathered from alerts, articles and
patches), activity reviews. Both sides receive a calendar invite that a reschedule replaces and
a cancellation withdraws."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import critical
from kb.alerts.models import OutboxAttachment, OutboxEmail
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.elite import known_issues, meetings
from kb.elite.models import EliteMeeting
from kb.errors import Invalid
from kb.products.service import ensure_product, ensure_version
from tests.a11y import problems, refused_summary
from tests.conftest import Auth
from tests.elite.conftest import make_elite_customer

STARTS = datetime(2030, 3, 19, 9, 0, tzinfo=UTC)  # a Tuesday, years ahead (a past start is refused)


def ask(auth: Auth, **fields):
    return auth.post("/elite/meetings", data={
        "kind": "senior_consultation", "subject": "Ledger performance", **fields})


def invites_to(email: str) -> list[Calendar]:
    rows = db.session.scalars(
        select(OutboxAttachment).join(OutboxEmail, OutboxAttachment.email_id == OutboxEmail.id)
        .where(OutboxEmail.recipient == email).order_by(OutboxAttachment.id))
    return [Calendar.from_ical(row.content) for row in rows if row.filename.endswith(".ics")]


def the_event(calendar: Calendar):
    [event] = [component for component in calendar.walk("VEVENT")]
    return event


def test_a_consultation_is_asked_scheduled_moved_and_cancelled_with_invites(
        client, auth, elite_customer, app):
    auth.login(elite_customer.email)
    assert ask(auth, preferred_times="Tuesday mornings").status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(EliteMeeting))
        staff = user_by_email(elite_customer.csm_email)
        meetings.schedule(staff, meeting.id, STARTS, 45, "https://meet.example.test/x",
                          "Dr. Ines Architect")
        meetings.schedule(staff, meeting.id, STARTS.replace(hour=11), 45)
        meetings.cancel(user_by_email(elite_customer.email), meeting.id)

        for email in (elite_customer.email, elite_customer.csm_email):
            sent = invites_to(email)
            assert [c["method"] for c in sent] == ["REQUEST", "REQUEST", "CANCEL"]
            events = [the_event(c) for c in sent]
            assert len({str(e["uid"]) for e in events}) == 1
            assert [int(e["sequence"]) for e in events] == [1, 2, 3]
            assert events[0].decoded("dtstart") == STARTS
            assert events[1].decoded("dtstart") == STARTS.replace(hour=11)
            assert str(events[2]["status"]) == "CANCELLED"
            attendees = {str(a).removeprefix("mailto:") for a in events[0].get("attendee")}
            assert attendees == {elite_customer.email, elite_customer.csm_email}
    page = client.get("/elite/meetings").text
    assert "Ledger performance" in page and "Cancelled" in page


def test_an_update_planning_call_gathers_the_updates_known_issues(auth, elite_customer, app,
                                                                  runner, tmp_path):
    patch_file = tmp_path / "fix.zip"
    patch_file.write_bytes(b"fix")
    added = runner.invoke(args=["patch", "add", "--product", "Orbit ERP", "--version", "12.4",
                                "--title", "Orbit ERP 12.4 hotfix 1", str(patch_file)])
    assert added.exit_code == 0, added.output
    with app.app_context():
        staff = user_by_email(elite_customer.csm_email)
        ensure_version(ensure_product("Orbit ERP"), "11.1")
        critical.open_alert(staff, "Posting hangs after 12.4 upgrade", "", ["Orbit ERP"],
                            ["12.4"])
        critical.open_alert(staff, "Old 11.1 report issue", "", ["Orbit ERP"], ["11.1"])
        articles.create_article(staff, ArticleFields(
            title="Workaround for posting hangs in 12.4", body="Restart.", kind="workaround",
            products=["Orbit ERP"], versions=["12.4"]))
        articles.create_article(staff, ArticleFields(
            title="How to post in 12.4", body="Post.", kind="how-to",
            products=["Orbit ERP"], versions=["12.4"]))
    auth.login(elite_customer.email)

    asked = ask(auth, kind="update_planning", subject="Going to 12.4",
                product="Orbit ERP", target_version="12.4")

    assert asked.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(select(EliteMeeting))
        assert (meeting.target_version, meeting.current_version) == ("12.4", "12.0")
        issues = known_issues.of_update(user_by_email(elite_customer.email), meeting)
        assert [a.title for a in issues.alerts] == ["Posting hangs after 12.4 upgrade"]
        assert [a.title for a in issues.articles] == ["Workaround for posting hangs in 12.4"]
        assert [p.title for p in issues.patches] == ["Orbit ERP 12.4 hotfix 1"]
    page = auth.client.get("/elite/meetings").text
    assert "Known issues of Orbit ERP 12.4" in page and "Orbit ERP 12.4 hotfix 1" in page


def test_an_update_names_a_product_the_organisation_runs_and_a_real_version(auth,
                                                                            elite_customer, app):
    auth.login(elite_customer.email)
    unknown_version = ask(auth, kind="update_planning", subject="Next",
                          product="Orbit ERP", target_version="99.9")
    no_product = ask(auth, kind="update_planning", subject="Next", target_version="4.0")

    assert unknown_version.status_code == 422 and "has no version" in unknown_version.text
    assert no_product.status_code == 422 and "products your organisation runs" in no_product.text
    with app.app_context(), pytest.raises(Invalid, match="products your organisation runs"):
        meetings.request_meeting(user_by_email(elite_customer.email), "update_planning", "Hub",
                                 product_name="Orbit Integration Hub", target_version="4.0")


def test_a_declined_request_tells_the_customer_why(auth, elite_customer, app):
    auth.login(elite_customer.email)
    ask(auth, kind="activity_review", subject="Quarterly review")
    manager = Auth(app.test_client())
    manager.login(elite_customer.csm_email)
    with app.app_context():
        meeting_id = db.session.scalar(select(EliteMeeting.id))

    declined = manager.post(f"/staff/elite/meetings/{meeting_id}/decline",
                            data={"answer": "We hold it together with the March review."})

    assert declined.status_code == 302
    page = auth.client.get("/elite/meetings").text
    assert "Declined: We hold it together with the March review." in page
    with app.app_context():
        assert db.session.scalar(select(OutboxEmail).where(
            OutboxEmail.recipient == elite_customer.email,
            OutboxEmail.subject.like("%Your request was declined%"))) is not None


def test_another_organisation_cannot_touch_the_meeting(client, auth, elite_customer, app,
                                                       make_user, api_token):
    auth.login(elite_customer.email)
    ask(auth)
    other = make_elite_customer(app, make_user, api_token)
    stranger = Auth(app.test_client())
    stranger.login(other.email)
    with app.app_context():
        meeting_id = db.session.scalar(select(EliteMeeting.id))

    assert stranger.post(f"/elite/meetings/{meeting_id}/cancel").status_code == 404
    assert "Ledger performance" not in stranger.client.get("/elite/meetings").text
    assert stranger.post(f"/staff/elite/meetings/{meeting_id}/schedule",
                         data={"starts_at": "2030-03-19T09:00", "duration_minutes": "60"}
                         ).status_code == 403


@pytest.mark.parametrize("action, fields, element, message", [
    ("schedule", {"starts_at": "2020-03-16T09:00", "duration_minutes": "60",
                  "location": "Room 4", "attendees": "Dana"},
     "starts", "The meeting cannot start in the past."),
    ("schedule", {"starts_at": "2030-02-30T09:00", "duration_minutes": "60",
                  "location": "Room 4", "attendees": "Dana"},
     "starts", "Give the start as a date and time, such as 2030-01-31T14:00."),
    ("schedule", {"starts_at": "2030-03-16T09:00", "duration_minutes": "1,5",
                  "location": "Room 4", "attendees": "Dana"},
     "minutes", "Give whole minutes, from 15 to 480."),
    ("schedule", {"starts_at": "2030-03-16T09:00", "duration_minutes": "60",
                  "location": "Room 4 " + "x" * 500, "attendees": "Dana"},
     "location", "Keep the link or room to 500 characters or fewer."),
    ("decline", {"answer": "   "}, "answer", "Say why."),
    ("decline", {"answer": "Not now " + "x" * 5000}, "answer",
     "Keep the answer to 5,000 characters or fewer."),
])
def test_a_refused_schedule_or_decline_is_shown_open_as_typed(auth, elite_customer, app, action,
                                                               fields, element, message):
    auth.login(elite_customer.email)
    ask(auth, kind="activity_review", subject="Quarterly review")
    manager = Auth(app.test_client())
    manager.login(elite_customer.csm_email)
    with app.app_context():
        meeting_id = db.session.scalar(select(EliteMeeting.id))

    refused = manager.post(f"/staff/elite/meetings/{meeting_id}/{action}", data=fields)

    assert refused.status_code == 422
    assert (f'<small id="{element}-{meeting_id}-error" class="field-error">{message}'
            in refused.text)
    for value in fields.values():
        assert value.strip() in refused.text
    _, summary = refused_summary(refused, f"{action}-{meeting_id}-problem")
    assert problems(summary)[f"#{element}-{meeting_id}"].endswith(message)
    with app.app_context():
        assert db.session.get(EliteMeeting, meeting_id).status == "requested"


def test_an_update_to_a_version_only_drafts_name_is_refused_as_a_made_up_one(
        auth, elite_customer, app):
    """Orbit ERP 13.5, named only by a draft, is a version the customer may not learn of: the
    update planning request is refused in the words, and with the statements, of 99.9's."""
    from tests.accounts.security_helpers import statements_sent
    with app.app_context():
        articles.create_article(user_by_email(elite_customer.csm_email), ArticleFields(
            title="Ledger in 13.5", body="Soon.", status="draft", products=["Orbit ERP"],
            versions=["13.5"]))
    auth.login(elite_customer.email)

    def asked(version):
        return ask(auth, kind="update_planning", subject="Next", product="Orbit ERP",
                   target_version=version)

    asked("99.8")  # whatever a first request does once
    hidden, made_up = (statements_sent(app, lambda version=version: asked(version))
                       for version in ("13.5", "99.9"))
    assert hidden[0] == made_up[0] == 422
    assert hidden[1] == made_up[1]
    assert "Orbit ERP has no version &#39;13.5&#39;." in asked("13.5").text
    with app.app_context():
        assert db.session.scalar(select(EliteMeeting)) is None
