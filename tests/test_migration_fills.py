"""Migrations that fill in what older versions left: 0040 gives locked questions the reason
of their last lock, 0041 merges open topic requests that repeat one another."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from kb import migrate
from kb.accounts.queries import user_by_email
from kb.db import make_engine
from tests.migration_data import demo_at_head, read


def test_0040_gives_locked_questions_the_reason_of_their_last_lock(
        tmp_path, isolated_database, new_app):
    from kb import db
    from kb.community import moderation
    from kb.community import service as community
    from kb.community.models import Question

    app = demo_at_head(tmp_path, isolated_database, new_app)
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        space = db.session.scalars(select(Question).order_by(Question.id)).first().space
        elite = user_by_email("elite@demo.test")
        kept, relocked, reopened = (community.ask(elite, space, f"Locked question {n}", "Text.")
                                    for n in range(3))
        moderation.set_locked(staff, kept, True, "Answered in the 12.1 notes")
        for question in (relocked, reopened):
            moderation.set_locked(staff, question, True, "First reason")
            moderation.set_locked(staff, question, False)
        moderation.set_locked(staff, relocked, True)  # locked again, without a reason
        ids = kept.id, relocked.id, reopened.id
    command.downgrade(migrate.alembic_config(app), "0039_outbox_body_html")
    command.upgrade(migrate.alembic_config(app), "head")
    reasons = dict(read(isolated_database.url, "SELECT id, lock_reason FROM community_questions"
                        " WHERE id IN (:a, :b, :c)", a=ids[0], b=ids[1], c=ids[2]))
    assert reasons == {ids[0]: "Answered in the 12.1 notes", ids[1]: "", ids[2]: ""}


def test_0041_merges_open_topic_requests_that_repeat_one_another(
        tmp_path, isolated_database, new_app):
    from kb import db
    from kb.sessions.models import TopicRequest
    from kb.sessions.topics import service as topics

    app = demo_at_head(tmp_path, isolated_database, new_app)
    with app.app_context():
        staff, premium, elite = (user_by_email(f"{who}@demo.test")
                                 for who in ("staff", "premium", "elite"))
        first = topics.request_topic(premium, "Closing 1", "", "Orbit ERP")
        topics.upvote(elite, first)
        furthest = topics.request_topic(elite, "Closing 2", "", "Orbit ERP")
        topics.upvote(staff, furthest)
        topics.change_status(staff, furthest, "planned")
        general = topics.request_topic(premium, "Closing 3")
        declined = topics.request_topic(elite, "Closing 4", "", "Orbit ERP")
        topics.change_status(staff, declined, "declined", reason="Covered")
        earlier = topics.request_topic(premium, "Closing 5", "", "Orbit ERP")
        topics.merge(staff, earlier, first)
        ids = [topic.id for topic in (first, furthest, general, declined, earlier)]
    command.downgrade(migrate.alembic_config(app), "0040_question_lock_reason")
    engine = make_engine(isolated_database.url)
    try:
        with engine.begin() as connection:  # repeats the old code let in
            for topic_id, title in zip(ids[:4], ("Year-end closing", "YEAR-END  closing",
                                                 "Year-end closing", "Year-end closing"),
                                       strict=True):
                connection.execute(text("UPDATE topic_requests SET title = :t WHERE id = :i"),
                                   {"t": title, "i": topic_id})
        command.upgrade(migrate.alembic_config(app), "head")
    finally:
        engine.dispose()
    with app.app_context():
        rows = {topic.id: topic for topic in db.session.scalars(select(TopicRequest))}
        first, furthest, general, declined, earlier = (rows[i] for i in ids)
        assert (first.status, first.merged_into_id, first.open_key) == ("merged", ids[1], None)
        assert earlier.merged_into_id == ids[1]
        assert (furthest.status, furthest.open_key) == ("planned", f"{furthest.product_id} "
                                                                   "year-end closing")
        assert {vote.user.email for vote in furthest.votes} == {
            "premium@demo.test", "elite@demo.test", "staff@demo.test"}
        assert (general.status, general.open_key) == ("new", "0 year-end closing")
        assert (declined.status, declined.open_key) == ("declined", None)
