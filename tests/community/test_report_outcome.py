"""Who reported a post is told when staff hide it: that it is hidden, with a link to where
they can still read, and nothing of its author (no name, no address) nor the moderator's note,
which is addressed to the author. The author is told with the note, as before."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.alerts.models import OutboxEmail
from tests.community.conftest import answer

NOTE = "Selling licences; Xavier, please keep adverts out"


def _told(client, headers) -> list[dict]:
    return [n for n in client.get("/api/v1/notifications", headers=headers).json
            if n["kind"] == "community.report_outcome"]


def _mail(app, email: str) -> list[OutboxEmail]:
    with app.app_context():
        return [message for message in db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == email)) if "you reported" in message.subject]


def test_the_reporters_of_a_hidden_answer_are_told_without_the_authors_details(
        app, client, world, signed_in, token_for):
    advert = answer(app, "xtreme@demo.test", world.open_question, "Buy cheap licences here.")
    for reader in ("premium", "elite"):
        assert signed_in(reader).post(f"/community/answers/{advert}/report",
                                      {"note": "An advert"}).status_code == 302
    assert signed_in("staff").post(f"/community/answers/{advert}/hide",
                                   {"note": NOTE}).status_code == 302

    for reader in ("premium", "elite"):
        [told] = _told(client, token_for(reader))
        assert told["title"] == "The answer you reported in “Posting job stuck in queue” is hidden"
        assert told["url"] == f"/community/questions/{world.open_question}"
        [mail] = _mail(app, f"{reader}@demo.test")
        assert "hid it: other customers no longer see it" in mail.body
        for private in ("xtreme@demo.test", "Xavier", NOTE, "Buy cheap licences"):
            assert private not in mail.body and private not in mail.subject
    # the author hears of it with the note; nobody who did not report it is told
    assert any(NOTE in message.body for message in _mail_to(app, "xtreme@demo.test"))
    assert _told(client, token_for("xtreme")) == []


def _mail_to(app, email: str) -> list[OutboxEmail]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == email)))


def test_the_reporter_of_a_hidden_question_is_sent_to_its_space_once(
        app, client, world, signed_in, token_for):
    premium = signed_in("premium")
    premium.post(f"/community/questions/{world.open_question}/report", {"note": "Wrong space"})
    staff = signed_in("staff")
    staff.post(f"/community/questions/{world.open_question}/hide", {"note": NOTE})
    [told] = _told(client, token_for("premium"))
    assert told["title"] == "The question you reported in “Posting job stuck in queue” is hidden"
    assert told["url"] == f"/community/{world.open_slug}"  # the question is hidden from them
    # shown and hidden again: the report was resolved the first time, nobody is told again
    staff.post(f"/community/questions/{world.open_question}/show")
    staff.post(f"/community/questions/{world.open_question}/hide", {"note": ""})
    assert len(_told(client, token_for("premium"))) == 1


def test_a_dismissed_report_tells_nobody(app, client, world, signed_in, token_for):
    signed_in("elite").post(f"/community/answers/{world.answer}/report", {"note": "Odd"})
    with app.app_context():
        from kb.community.models import Report
        report_id = db.session.scalar(select(Report.id))
    signed_in("staff").post(f"/staff/community/reports/{report_id}/dismiss")
    assert _told(client, token_for("elite")) == []
