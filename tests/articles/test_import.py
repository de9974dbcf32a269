"""``kb import``: articles and release notes created, includes inlined, links, idempotent
re-imports, changes recorded as revisions, default titles and slugs, slug redirects, progress.
Bad files are in test_import_errors.py, prune and scope in test_import_scope.py."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article, ArticleRevision, SlugRedirect
from kb.search.outbox import IndexTask
from tests.articles.import_helpers import article, snapshot, write
from tests.conftest import indexed_status


def test_import_creates_articles_and_release_notes(app_context, docs):
    report = import_paths([docs])
    assert report.errors == []
    assert sorted(report.created) == ["erp/close-period", "hub/posting-errors", "notes/erp-12-0"]
    close = article("erp/close-period")
    assert close.source_root == str(docs.resolve()) and close.source_path == "erp/close-period.md"
    assert [p.name for p in close.products] == ["Orbit ERP"]
    assert [v.name for v in close.versions] == ["11.1", "12.0"]
    assert [t.name for t in close.tags] == ["finance", "period-close"]
    assert (close.kind, close.min_plan, close.status) == ("how-to", "premium", "published")
    note = article("notes/erp-12-0")
    assert note.type == "release-note" and note.release_version.name == "12.0"
    assert note.highlights == "Faster period close." and note.summary == "Faster period close."
    assert db.session.scalar(select(func.count(ArticleRevision.id))) == 3
    assert db.session.scalar(select(func.count(IndexTask.id))) == 0  # all applied
    for item in (close, note, article("hub/posting-errors")):
        assert indexed_status(f"article:{item.id}") == "published"


def test_includes_are_inlined_and_fragments_are_not_articles(app_context, docs):
    import_paths([docs])
    close = article("erp/close-period")
    assert "[!INCLUDE" not in close.body and "+1 555 0100" in close.body
    assert '<div class="admonition tip">' in close.rendered_html
    assert db.session.scalar(select(func.count(Article.id))) == 3


def test_relative_links_point_at_the_imported_articles(app_context, docs):
    import_paths([docs])
    html = article("erp/close-period").rendered_html
    assert '<a href="/articles/hub/posting-errors#doc-error-4011">' in html
    assert 'id="doc-error-4011"' in article("hub/posting-errors").rendered_html


def test_reimport_is_a_no_op(app_context, docs):
    import_paths([docs])
    before = snapshot()
    report = import_paths([docs])
    assert report.errors == [] and report.created == report.updated == []
    assert len(report.unchanged) == 3
    assert snapshot() == before


def test_changed_file_is_updated_with_a_revision(app_context, docs):
    import_paths([docs])
    path = docs / "hub/posting-errors.md"
    path.write_text(path.read_text().replace("Retry the batch.", "Rerun the posting job."))
    report = import_paths([docs])
    assert report.updated == ["hub/posting-errors"] and len(report.unchanged) == 2
    changed = article("hub/posting-errors")
    assert "Rerun the posting job." in changed.rendered_html
    numbers = db.session.scalars(select(ArticleRevision.number).where(
        ArticleRevision.article_id == changed.id).order_by(ArticleRevision.number)).all()
    assert numbers == [1, 2]
    from kb.accounts.models import User
    from kb.search import query

    staff = User(email="reader@staff.test", role="staff", is_enabled=True)
    found = query.search(staff, query.SearchRequest(text="rerun"))
    assert [hit.item_id for hit in found.hits] == [changed.id]  # the index has the new text


def test_changed_include_updates_the_articles_using_it(app_context, docs):
    import_paths([docs])
    write(docs, "includes/support.md", "Call support on **+1 555 0199**.\n")
    report = import_paths([docs])
    assert report.updated == ["erp/close-period"]
    assert "+1 555 0199" in article("erp/close-period").rendered_html


def test_default_titles_and_slugs(app_context, tmp_path):
    folder = tmp_path / "set"
    write(folder, "Admin Guide/Set Up_Mail.md", "Intro\n\n# Set up **mail**\n")
    write(folder, "Admin Guide/set-up-mail.md", "No heading at all.\n")
    write(folder, "notes/working-with-$-p_1-product-name-$-.md", "---\ntitle: ''\n---\nx\n")
    report = import_paths([folder])
    assert report.errors == []
    assert sorted(report.created) == ["admin-guide/set-up-mail", "admin-guide/set-up-mail-2",
                                      "notes/working-with-p-1-product-name"]
    assert article("admin-guide/set-up-mail").title == "Set up mail"
    assert article("admin-guide/set-up-mail-2").title == "Set up mail"
    assert article("notes/working-with-p-1-product-name").title.startswith("Working with $")


def test_slug_change_leaves_a_redirect(app_context, docs):
    import_paths([docs])
    path = docs / "hub/posting-errors.md"
    path.write_text(path.read_text().replace("title: Posting errors",
                                             "title: Posting errors\nslug: hub/errors"))
    # the article linking to it follows the new slug
    assert sorted(import_paths([docs]).updated) == ["erp/close-period", "hub/errors"]
    assert 'href="/articles/hub/errors#doc-error-4011"' in article("erp/close-period").rendered_html
    redirect = db.session.scalar(select(SlugRedirect))
    assert redirect.old_slug == "hub/posting-errors"
    assert redirect.article_id == article("hub/errors").id


def test_progress_is_reported_per_stage(app_context, docs):
    calls = []
    import_paths([docs], progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls == [("reading", 1, 3), ("reading", 2, 3), ("reading", 3, 3),
                     ("writing", 1, 3), ("writing", 2, 3), ("writing", 3, 3)]
