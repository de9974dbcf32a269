"""New release notes reach the subscribers of their product who may read them: at
publication, or when the time they were scheduled for comes; once each; never a note
published long ago and saved again."""

from __future__ import annotations

from datetime import date, timedelta

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import preferences
from kb.alerts.schedule import run_due_jobs
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article
from kb.db import utcnow
from tests.alerts.critical_helpers import ERP, _alert_notices, _deliver, _staff, _subscribe

KIND = "release_note.published"


def _note(app, title: str, *, version="12.0", min_plan="xtreme", **fields) -> int:
    with app.app_context():
        return articles.create_article(_staff(), ArticleFields(
            title=title, type="release-note", product=ERP, version=version, min_plan=min_plan,
            released_on=date.today(), body="## What is new\n\nFaster closing.",
            summary="Month-end closing in half the time.", **fields)).id


def _told(app, email: str) -> list[str]:
    return [title for kind, title in _alert_notices(app, email) if kind == KIND]


def test_a_new_release_note_reaches_the_subscribers_who_may_read_it(
        app, runner, smtp, catalogue, customer_on):
    xtreme, elite, on_11 = customer_on("xtreme"), customer_on("elite"), customer_on("elite")
    unsubscribed = customer_on("elite")
    for email in (xtreme, elite):
        _subscribe(app, email, ERP)
    _subscribe(app, on_11, ERP, "11.1")

    _note(app, "Orbit ERP 12.0 CU2")
    _note(app, "Orbit ERP 12.0 CU3 for Elite", min_plan="elite")

    assert _told(app, xtreme) == ["New release note for Orbit ERP: Orbit ERP 12.0 CU2"]
    assert _told(app, elite) == ["New release note for Orbit ERP: Orbit ERP 12.0 CU2",
                                 "New release note for Orbit ERP: Orbit ERP 12.0 CU3 for Elite"]
    assert _told(app, on_11) == [] and _told(app, unsubscribed) == []
    _deliver(runner)
    [message] = smtp.inbox.to(xtreme)
    assert message["Subject"].endswith("New release note for Orbit ERP: Orbit ERP 12.0 CU2")
    text = message.get_body(("plain",)).get_content()
    assert "For Orbit ERP 12.0." in text and "Month-end closing in half the time." in text
    assert "http://kb.test/release-notes/" in text and "unsubscribe" in text.lower()


def test_a_note_is_told_once_and_an_old_one_saved_again_is_not_news(
        app, catalogue, customer_on):
    subscriber = customer_on("premium")
    _subscribe(app, subscriber, ERP)
    note_id = _note(app, "Orbit ERP 12.0 CU2")
    with app.app_context():
        note = db.session.get(Article, note_id)
        articles.change_status(_staff(), note, "published")
        old = db.session.get(Article, _note(app, "Orbit ERP 11.1 CU9", version="11.1"))
        old.published_at = utcnow() - timedelta(days=30)
        db.session.commit()
    newcomer = customer_on("premium")
    _subscribe(app, newcomer, ERP)
    with app.app_context():
        articles.change_status(_staff(), db.session.get(Article, old.id), "published")
    assert len(_told(app, subscriber)) == 2 and _told(app, newcomer) == []


def test_a_scheduled_note_is_told_when_its_time_comes(app, catalogue, customer_on):
    subscriber = customer_on("premium")
    _subscribe(app, subscriber, ERP)
    note_id = _note(app, "Orbit ERP 12.0 CU4", publish_at=utcnow() + timedelta(hours=2))
    assert _told(app, subscriber) == []
    with app.app_context():
        run_due_jobs(utcnow())
    assert _told(app, subscriber) == []
    with app.app_context():  # the two hours pass
        note = db.session.get(Article, note_id)
        note.publish_at = note.published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        run_due_jobs(utcnow())
        run_due_jobs(utcnow())
    assert _told(app, subscriber) == ["New release note for Orbit ERP: Orbit ERP 12.0 CU4"]


def test_release_notes_are_a_family_of_their_own_in_the_settings(
        app, client, auth, catalogue, customer_on):
    subscriber = customer_on("premium")
    _subscribe(app, subscriber, ERP)
    with app.app_context():
        user = user_by_email(subscriber)
        preferences.save(user, {("release_note", preferences.IN_APP): False,
                                ("release_note", preferences.EMAIL): False}, {}, ())
    _note(app, "Orbit ERP 12.0 CU2")
    assert _told(app, subscriber) == []
    auth.login("premium@demo.test")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "New release notes" in page
