"""What a moderator does to someone's post is told to its author through the alerts path
(notification centre and e-mail outbox, by their "community" settings): a hidden question or
answer with the moderator's note and the post's text, a locked question with its reason. The
moderator is not told of their own post, and the other readers are not told at all."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import preferences
from kb.alerts.models import OutboxEmail
from kb.community.models import Question
from tests.community.conftest import answer
from tests.community.test_refused_notes import LONG, _refused

NOTE = "Off-topic: please post logs in a support ticket"


def _told(client, headers, kind: str) -> list[dict]:
    return [n for n in client.get("/api/v1/notifications", headers=headers).json
            if n["kind"] == kind]


def _mail(app, email: str, subject_part: str) -> list[OutboxEmail]:
    with app.app_context():
        return [message for message in db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == email).order_by(OutboxEmail.id))
            if subject_part in message.subject]


def test_the_author_of_a_hidden_answer_is_told_why_with_what_they_wrote(
        app, client, world, signed_in, token_for):
    hidden = answer(app, "premium@demo.test", world.open_question,
                    "Here is my **whole** log dump: ERROR 42 at posting.")
    response = signed_in("staff").post(f"/community/answers/{hidden}/hide", {"note": NOTE})
    assert response.status_code == 302
    told = _told(client, token_for("premium"), "community.hidden")
    assert [n["title"] for n in told] == [
        "Your answer to “Posting job stuck in queue” was hidden by a moderator"]
    assert told[0]["url"] == f"/community/questions/{world.open_question}"
    [mail] = _mail(app, "premium@demo.test", "was hidden by a moderator")
    assert f"The moderator's note: {NOTE}" in mail.body
    assert "Here is my **whole** log dump: ERROR 42 at posting." in mail.body
    assert f"/community/questions/{world.open_question}" in mail.body
    assert "you may post it again, amended as the note asks." in mail.body
    # the asker and other readers hear nothing of it
    assert _told(client, token_for("xtreme"), "community.hidden") == []


def test_the_asker_of_a_hidden_question_is_told_with_a_link_to_its_space(
        app, client, world, signed_in, token_for):
    staff = signed_in("staff")
    assert staff.post(f"/community/questions/{world.open_question}/hide",
                      {"note": NOTE}).status_code == 302
    told = _told(client, token_for("xtreme"), "community.hidden")
    assert [n["url"] for n in told] == [f"/community/{world.open_slug}"]
    [mail] = _mail(app, "xtreme@demo.test", "Your question “Posting job stuck in queue”")
    assert NOTE in mail.body and "Some details." in mail.body
    # shown again and hidden again without a note: told again, and no note is made up
    staff.post(f"/community/questions/{world.open_question}/show")
    staff.post(f"/community/questions/{world.open_question}/hide", {"note": ""})
    assert len(_told(client, token_for("xtreme"), "community.hidden")) == 2
    latest = _mail(app, "xtreme@demo.test", "was hidden by a moderator")[-1]
    assert "moderator's note" not in latest.body
    assert "You may ask again in the space." in latest.body


def test_the_author_settings_for_community_decide_the_channels(
        app, client, world, signed_in, token_for):
    with app.app_context():
        preferences.save(user_by_email("premium@demo.test"),
                         {("community", "email"): False}, {}, [])
    hidden = answer(app, "premium@demo.test", world.open_question, "Buy cheap licences here.")
    signed_in("staff").post(f"/community/answers/{hidden}/hide", {"note": "Spam"})
    assert len(_told(client, token_for("premium"), "community.hidden")) == 1
    assert _mail(app, "premium@demo.test", "hidden") == []


def test_a_moderator_hiding_their_own_answer_is_not_told(client, world, signed_in, token_for):
    signed_in("staff").post(f"/community/answers/{world.answer}/hide", {"note": "Outdated"})
    assert _told(client, token_for("staff"), "community.hidden") == []


def test_the_asker_is_told_of_a_lock_with_its_reason(app, client, world, signed_in,
                                                     token_for):
    staff = signed_in("staff")
    reason = "Answered in the 12.1 release notes"
    assert staff.post(f"/community/questions/{world.open_question}/lock",
                      {"note": reason}).status_code == 302
    with app.app_context():
        assert db.session.get(Question, world.open_question).locked
    told = _told(client, token_for("xtreme"), "community.locked")
    assert [n["url"] for n in told] == [f"/community/questions/{world.open_question}"]
    [mail] = _mail(app, "xtreme@demo.test", "was locked by a moderator")
    assert f"The reason: {reason}" in mail.body
    staff.post(f"/community/questions/{world.open_question}/unlock")
    assert len(_told(client, token_for("xtreme"), "community.locked")) == 1
    staff.post(f"/community/questions/{world.open_question}/lock")
    assert len(_told(client, token_for("xtreme"), "community.locked")) == 2
    assert "No reason was given." in _mail(app, "xtreme@demo.test", "locked")[-1].body


def test_a_refused_lock_reason_keeps_the_question_open_and_the_reason_as_typed(
        app, client, world, signed_in, token_for):
    response = signed_in("staff").post(f"/community/questions/{world.open_question}/lock",
                                       {"note": LONG})
    _refused(response, "lock-note", LONG, "Keep the note under 500 characters.",
             "Reason for locking the question")
    with app.app_context():
        assert not db.session.get(Question, world.open_question).locked
    assert _told(client, token_for("xtreme"), "community.locked") == []
