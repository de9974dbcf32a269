"""A digest lists only what its recipient may still read as it leaves: an entry made while its
item was readable is left out once the question is hidden, the release note put back to draft
or archived, the patch raised above the recipient's plan; a digest left with nothing is not
sent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import digest, preferences
from kb.alerts.models import OutboxEmail
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.articles.models import Article
from kb.community import moderation
from kb.community.models import Question
from kb.community.notices import follow
from kb.patches import changes
from kb.patches.details import PatchDetails
from tests.alerts.critical_helpers import ERP, _patch, _staff, _subscribe
from tests.community.conftest import answer, ask, world  # noqa: F401 - the community's fixture

DIGEST_HOUR = 9
AT_THE_HOUR = datetime(2030, 12, 3, DIGEST_HOUR, 0, tzinfo=UTC)


@pytest.fixture
def digest_of(app):
    """Route ``families`` of a user's notices to the digest."""
    app.config["DIGEST_HOUR"] = DIGEST_HOUR

    def route(email: str, *families: str) -> str:
        with app.app_context():
            preferences.save(user_by_email(email),
                             {(family, "digest"): True for family in families}, {}, [])
        return email

    return route


def _send(app) -> int:
    with app.app_context():
        return digest.send_daily_digests(AT_THE_HOUR)


def _digests_to(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxEmail.subject + "\n" + OutboxEmail.body)
                                       .where(OutboxEmail.recipient == email,
                                              OutboxEmail.kind == "digest")))


def _note(app, title: str) -> int:
    with app.app_context():
        return articles.create_article(_staff(), ArticleFields(
            title=title, type="release-note", product=ERP, version="12.0",
            released_on=date(2030, 1, 2), body="## What is new\n\nFaster closing.")).id


def _set_status(app, article_id: int, status: str) -> None:
    with app.app_context():
        articles.change_status(_staff(), db.session.get(Article, article_id), status)


def _raise_plan(app, patch_id: int, plan: str) -> None:
    with app.app_context():
        changes.edit_patch(_staff(), patch_id, PatchDetails(
            product=ERP, title="Hotfix 12.0.2", versions=["12.0"], kind="service-pack",
            min_plan=plan))


def test_a_patch_raised_above_the_plan_and_notes_withdrawn_are_left_out(
        app, catalogue, customer_on, digest_of):
    reader = digest_of(customer_on("premium"), "patch", "release_note")
    _subscribe(app, reader, ERP)
    _patch(app, "Hotfix 12.0.1")
    raised = _patch(app, "Hotfix 12.0.2")
    drafted, archived = _note(app, "Orbit ERP 12.0 CU2"), _note(app, "Orbit ERP 12.0 CU3")
    kept_note = _note(app, "Orbit ERP 12.0 CU4")

    _raise_plan(app, raised, "elite")
    _set_status(app, drafted, "draft")
    _set_status(app, archived, "archived")
    assert _send(app) == 1

    [sent] = _digests_to(app, reader)
    assert "2 updates" in sent and "Hotfix 12.0.1" in sent and "Orbit ERP 12.0 CU4" in sent
    for gone in ("Hotfix 12.0.2", f"/patches/{raised}", "CU2", "CU3"):
        assert gone not in sent
    with app.app_context():
        assert f"/release-notes/{db.session.get(Article, kept_note).slug}" in sent


def test_a_renamed_release_note_stays_listed(app, catalogue, customer_on, digest_of):
    reader = digest_of(customer_on("premium"), "release_note")
    _subscribe(app, reader, ERP)
    note_id = _note(app, "Orbit ERP 12.0 CU5")
    with app.app_context():
        note = db.session.get(Article, note_id)
        fields = ArticleFields(title=note.title, type="release-note", product=ERP,
                               version="12.0", released_on=date(2030, 1, 2),
                               body="## What is new\n\nFaster closing.", slug="erp-cu5-renamed")
        articles.update_article(_staff(), note, fields)
    assert _send(app) == 1
    assert "Orbit ERP 12.0 CU5" in _digests_to(app, reader)[0]


def _follow_answered(app, email: str, question_id: int, text: str) -> None:
    with app.app_context():
        follow(user_by_email(email), db.session.get(Question, question_id))
        db.session.commit()
    answer(app, "elite@demo.test", question_id, text)


def _hide(app, question_id: int) -> None:
    with app.app_context():
        moderation.set_question_hidden(_staff(), db.session.get(Question, question_id), True,
                                       "Duplicate of an older question.")


def test_a_question_hidden_since_is_left_out(app, world, digest_of):  # noqa: F811
    follower = digest_of("premium@demo.test", "community")
    other = ask(app, "xtreme@demo.test", world.open_slug, "Month-end close is slow")
    _follow_answered(app, follower, world.open_question, "Clear the posting queue first.")
    _follow_answered(app, follower, other, "Archive last year's periods.")
    _hide(app, world.open_question)

    assert _send(app) == 1
    [sent] = _digests_to(app, follower)
    assert "1 update" in sent and "Month-end close is slow" in sent
    assert "Posting job stuck in queue" not in sent
    assert f"/community/questions/{world.open_question}" not in sent


def test_a_digest_whose_every_entry_became_unreadable_is_not_sent(
        app, world, digest_of):  # noqa: F811 - the fixture imported above
    follower = digest_of("premium@demo.test", "community")
    _follow_answered(app, follower, world.open_question, "Clear the posting queue first.")
    _hide(app, world.open_question)

    assert _send(app) == 0
    assert _digests_to(app, follower) == []
