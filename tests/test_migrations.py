"""Migrations: an empty database reaches head through `kb init`, head matches the models,
every revision upgrades and downgrades, step by step and in one go, and a filled database keeps
every row through them."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

import kb.models  # noqa: F401
from kb import migrate
from kb.accounts.queries import user_by_email
from kb.alerts import critical
from kb.db import Base, make_engine
from tests.conftest import app_settings
from tests.migration_data import demo_at_head, read


def _schema_differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_kb_init_creates_the_schema_from_empty_and_is_safe_to_rerun(tmp_path, isolated_database,
                                                                   new_app):
    app = new_app(app_settings(tmp_path / "data", isolated_database.url))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    head = ScriptDirectory.from_config(migrate.alembic_config(app)).get_current_head()
    assert migrate.current_revision(app) == head
    assert _schema_differences(isolated_database.url) == []
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "data" / "index").is_dir()


def test_every_revision_upgrades_and_downgrades_step_by_step_and_in_one_go(
        tmp_path, isolated_database, new_app):
    # one go is one transaction (PostgreSQL), as `kb init` on a database at an old revision
    # runs: no step may rely on an earlier one having been committed. Upgrading from any
    # revision to head runs the steps the walk runs after it, in the same order
    app = new_app(app_settings(tmp_path / "data", isolated_database.url))
    config = migrate.alembic_config(app)
    script = ScriptDirectory.from_config(config)
    revisions = [r.revision for r in script.walk_revisions()][::-1]  # oldest first
    assert revisions[-1] == script.get_current_head()
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    for revision in revisions:
        command.upgrade(config, "+1")
        assert migrate.current_revision(app) == revision
    for revision in reversed(revisions[:-1]):
        command.downgrade(config, "-1")
        assert migrate.current_revision(app) == revision
    command.downgrade(config, "-1")
    assert migrate.current_revision(app) is None
    command.upgrade(config, "head")
    assert migrate.current_revision(app) == revisions[-1]
    assert _schema_differences(isolated_database.url) == []


def _row_counts(url: str, tables: list[str]) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(select(func.count()).select_from(
                Base.metadata.tables[table])).scalar_one() for table in tables}
    finally:
        engine.dispose()


def test_migrating_a_filled_database_keeps_every_row(tmp_path, isolated_database, new_app):
    # on SQLite, altering a table copies it into a new one and drops the old: with foreign
    # keys enforced, the drop deleted the rows referring to it (a patch's files, an article's
    # revisions). 0024, 0025 and 0026 alter the patches, articles and alerts tables
    app = new_app(app_settings(tmp_path / "data", isolated_database.url))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    demo = runner.invoke(args=["demo"])
    assert demo.exit_code == 0, demo.output
    with app.app_context():  # the demo's alerts were opened by their articles
        critical.open_alert(user_by_email("staff@demo.test"), "Opened by staff", "", ["Orbit ERP"])
    # tables the downgrade drops: made by later revisions
    kept = [name for name in Base.metadata.tables
            if name not in ("programmes", "programme_applications", "community_question_votes",
                            "article_images", "article_revision_images")]
    before = _row_counts(isolated_database.url, kept)
    assert before["patch_files"] and before["article_revisions"] and before["article_products"]
    config = migrate.alembic_config(app)
    own_words = _alerts_with_own_text(isolated_database.url)
    assert True in own_words.values() and False in own_words.values()
    command.downgrade(config, "0023_community")
    command.upgrade(config, "head")
    assert _row_counts(isolated_database.url, kept) == before
    # 0026 tells the alerts staff opened (their words are their own) from those articles opened
    assert _alerts_with_own_text(isolated_database.url) == own_words


def _alerts_with_own_text(url: str) -> dict[int, bool]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT id, own_text FROM alerts")).all())
    finally:
        engine.dispose()


def test_0030_keeps_the_text_of_questions_hidden_when_merged_hidden(
        tmp_path, isolated_database, new_app):
    from kb import db
    from kb.community import moderation
    from kb.community import service as community
    from kb.community.models import Question

    app = demo_at_head(tmp_path, isolated_database, new_app)
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        target = db.session.scalars(select(Question).order_by(Question.id)).first()
        first, second = (community.ask(user_by_email("elite@demo.test"), target.space,
                                       f"Duplicate {n}", "The same again.") for n in (1, 2))
        ids = first.id, second.id
        moderation.set_question_hidden(staff, first, True)  # no note: only the audit tells
        moderation.set_question_hidden(staff, second, True, "spam")
        moderation.set_question_hidden(staff, second, False)  # shown again before its merge
        for question in (first, second):  # merged as the old code let staff merge them
            question.status, question.merged_into_id = "merged", target.id
        db.session.commit()
    command.downgrade(migrate.alembic_config(app), "0029_article_images")
    command.upgrade(migrate.alembic_config(app), "head")
    notes = dict(read(isolated_database.url, "SELECT id, moderation_note FROM "
                      "community_questions WHERE id IN (:a, :b)", a=ids[0], b=ids[1]))
    assert notes == {ids[0]: "Hidden when it was merged.", ids[1]: ""}


def test_0031_titles_the_alerts_their_articles_opened_by_the_issue(
        tmp_path, isolated_database, new_app):
    app = demo_at_head(tmp_path, isolated_database, new_app)
    command.downgrade(migrate.alembic_config(app), "0030_hidden_merged_questions")
    engine = make_engine(isolated_database.url)
    try:
        with engine.begin() as connection:  # as the older code titled them
            connection.execute(text(
                "UPDATE alerts SET title = (SELECT title FROM articles "
                "WHERE articles.id = alerts.article_id) WHERE article_id IS NOT NULL"))
            article_titles = dict(connection.execute(text(
                "SELECT id, title FROM alerts WHERE article_id IS NOT NULL")).all())
            own = min(article_titles)
            connection.execute(text("UPDATE alerts SET own_text = true WHERE id = :id"),
                               {"id": own})
        command.upgrade(migrate.alembic_config(app), "head")
        with engine.connect() as connection:
            titles = dict(connection.execute(text(
                "SELECT id, title FROM alerts WHERE article_id IS NOT NULL")).all())
    finally:
        engine.dispose()
    assert any(title.startswith("Workaround: ") for title in article_titles.values())
    assert titles[own] == article_titles[own]  # staff's own words stay
    assert titles == {alert_id: title if alert_id == own else
                      title.removeprefix("Workaround: ")[:1].upper()
                      + title.removeprefix("Workaround: ")[1:]
                      for alert_id, title in article_titles.items()}


def test_0032_gives_each_articles_latest_revision_its_images_now(
        tmp_path, isolated_database, new_app):
    from kb import db
    from kb.articles import images, service
    from kb.articles.fields import ArticleFields
    from kb.articles.image_files import identify
    from tests.articles.image_samples import png

    app = demo_at_head(tmp_path, isolated_database, new_app)
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        article = service.create_article(staff, ArticleFields(title="Queue", body="Text"))
        images.store_image(article, "queue.png", png(30, 10), identify(png(30, 10), "q"))
        db.session.commit()
        service.update_article(staff, article, ArticleFields(title="Queue", body="Again"))
        article_id = article.id
    command.downgrade(migrate.alembic_config(app), "0031_alert_issue_titles")
    command.upgrade(migrate.alembic_config(app), "head")
    recorded = read(isolated_database.url,
                    "SELECT r.number, i.name, i.width FROM article_revision_images i "
                    "JOIN article_revisions r ON r.id = i.revision_id WHERE r.article_id = :a",
                    a=article_id)
    assert [tuple(row) for row in recorded] == [(2, "queue.png", 30)]


def test_0038_shows_the_placeholders_stored_renderings_had_stripped(
        tmp_path, isolated_database, new_app):
    app = demo_at_head(tmp_path, isolated_database, new_app)
    command.downgrade(migrate.alembic_config(app), "0037_idempotency_worked_at")
    typed = "Run `orbit lock clear` with --db <name> now."
    engine = make_engine(isolated_database.url)
    try:
        with engine.begin() as connection:  # as the older renderer left them
            reply, event = (connection.scalar(text(
                f"SELECT min(id) FROM support_incident_entries WHERE kind = '{kind}'"))
                for kind in ("reply", "event"))
            answer = connection.scalar(text("SELECT min(id) FROM community_answers"))
            stripped = "<p>Run <code>orbit lock clear</code> with --db  now.</p>"
            for table, row in (("support_incident_entries", reply), ("community_answers", answer)):
                connection.execute(text(f"UPDATE {table} SET body = :body, body_html = :html "
                                        "WHERE id = :id"), {"body": typed, "html": stripped,
                                                            "id": row})
            connection.execute(text("UPDATE support_incident_entries SET body = :body "
                                    "WHERE id = :id"), {"body": "Linked <x>", "id": event})
        command.upgrade(migrate.alembic_config(app), "head")
        with engine.connect() as connection:
            entries = dict(connection.execute(text(
                "SELECT id, body_html FROM support_incident_entries WHERE id IN (:a, :b)"),
                {"a": reply, "b": event}).all())
            answer_html, answer_text = connection.execute(text(
                "SELECT body_html, body_text FROM community_answers WHERE id = :id"),
                {"id": answer}).one()
    finally:
        engine.dispose()
    shown = "<p>Run <code>orbit lock clear</code> with --db &lt;name&gt; now.</p>"
    assert entries == {reply: shown, event: ""}
    assert answer_html == shown and answer_text == "Run orbit lock clear with --db <name> now."
