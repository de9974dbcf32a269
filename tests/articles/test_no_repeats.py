"""What a page says once: an imported article's title (not again as its first heading), a
release note's highlights (not again as its summary), its related items (one list), and its
address (/release-notes/x, not /release-notes/release-notes/x; old addresses redirect)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text

from kb import migrate
from kb.articles.importing.importer import import_paths
from tests.articles.test_import import write
from tests.conftest import app_settings


def _docs(folder):
    write(folder, "erp/stuck-job.md", """
        ---
        title: A posting job stays in Running
        products: [Orbit ERP]
        ---
        # A posting job stays in Running

        ## Cause

        The server process ended.
        """)
    write(folder, "release-notes/orbit-erp-11-1.md", """
        ---
        type: release-note
        title: Orbit ERP 11.1
        product: Orbit ERP
        version: "11.1"
        released: 2025-07-08
        highlights: |
          - Approval workflows with delegation
          - Faster trial balance
        ---
        # Orbit ERP 11.1

        ## New

        See [the stuck job](../erp/stuck-job.md).
        """)
    return folder


def test_each_thing_is_said_once(app, client, auth, demo_accounts, tmp_path):
    with app.app_context():
        assert not import_paths([_docs(tmp_path / "docs")]).errors
    auth.login("elite@demo.test")

    article = client.get("/articles/erp/stuck-job").get_data(as_text=True)
    note_page = client.get("/release-notes/orbit-erp-11-1")
    note = note_page.get_data(as_text=True)

    assert article.count("A posting job stays in Running</h1>") == 1
    assert "<h1" not in article.split('class="article-body"', 1)[1].split("</div>", 1)[0]
    assert note_page.status_code == 200
    assert note.count("Approval workflows with delegation") == 1
    assert 'class="lead"' not in note
    outside_body = note.split('class="article-body"', 1)[1].split("</div>", 1)[1]
    assert outside_body.count('href="/articles/erp/stuck-job"') == 1
    assert 'datetime="2025-07-08' in note


def test_the_release_note_list_says_highlights_once(app, client, auth, demo_accounts, tmp_path):
    """The list, like the note's page, leaves out a summary that only repeats the highlights:
    imported (the summary strung from them) or written so by staff; another summary stays."""
    from kb.accounts.queries import user_by_email
    from kb.articles.fields import ArticleFields
    from kb.articles.service import create_article

    sentence = "Faster first extracts and CSV export without row limits."
    with app.app_context():
        assert not import_paths([_docs(tmp_path / "docs")]).errors
        staff = user_by_email("staff@demo.test")
        for title, summary in [("Orbit Analytics 2026.1 update 1", sentence),
                               ("Orbit Analytics 2026.1 update 2", "A maintenance release.")]:
            create_article(staff, ArticleFields(
                type="release-note", title=title, summary=summary, highlights=sentence,
                product="Orbit Analytics", version="2026.1", body="Fixes."))
    auth.login("elite@demo.test")

    listing = client.get("/release-notes/").get_data(as_text=True)

    assert listing.count(sentence) == 2  # once in each update's entry
    assert listing.count("Approval workflows with delegation") == 1
    assert "A maintenance release." in listing


def test_the_old_doubled_release_note_address_redirects(app, client, auth, demo_accounts,
                                                        tmp_path):
    with app.app_context():
        import_paths([_docs(tmp_path / "docs")])
    auth.login("elite@demo.test")

    doubled = client.get("/release-notes/release-notes/orbit-erp-11-1")

    assert doubled.status_code in (301, 404)


def test_the_migration_renames_doubled_slugs_and_keeps_them_redirecting(
        tmp_path, isolated_database, new_app):
    app = new_app(app_settings(tmp_path / "data", isolated_database.url))
    config = migrate.alembic_config(app)
    command.upgrade(config, "0013_notices")
    engine = create_engine(isolated_database.url)
    with engine.begin() as connection:
        for slug, type_ in [("release-notes/erp-12", "release-note"),
                            ("release-notes/taken", "release-note"), ("taken", "article"),
                            ("release-notes/guide", "article")]:
            connection.execute(text(
                "INSERT INTO articles (slug, type, title, summary, body, min_plan, critical, "
                "status, created_at, updated_at, extra, highlights) VALUES (:slug, :type, 't', "
                "'', '', 'xtreme', false, 'published', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                "'{}', '')"), {"slug": slug, "type": type_})

    command.upgrade(config, "head")

    with engine.connect() as connection:
        slugs = set(connection.scalars(text("SELECT slug FROM articles")))
        redirects = set(connection.scalars(text("SELECT old_slug FROM slug_redirects")))
    engine.dispose()
    assert slugs == {"erp-12", "release-notes/taken", "taken", "release-notes/guide"}
    assert redirects == {"release-notes/erp-12"}
