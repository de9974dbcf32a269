"""``kb import``: transactional, idempotent, scoped to its folder; includes, links, prune."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kb import db
from kb.articles.fields import ArticleFields, apply_fields
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article, ArticleRevision, SlugRedirect, Tag
from kb.products.models import Product, ProductVersion
from kb.search.outbox import IndexTask
from tests.conftest import indexed_status


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    write(folder, "erp/close-period.md", """
        ---
        title: Close an accounting period
        kind: how-to
        products: [Orbit ERP]
        versions: ["11.1", "12.0"]
        tags: [finance, period-close]
        min_plan: premium
        ---
        # Close an accounting period

        [!INCLUDE[support](../includes/support.md)]

        Check [the posting errors](../hub/posting-errors.md#error-4011) first.
        """)
    write(folder, "hub/posting-errors.md", """
        ---
        title: Posting errors
        kind: troubleshooting
        ---
        ## Error 4011
        Retry the batch.
        """)
    write(folder, "notes/erp-12-0.md", """
        ---
        type: release-note
        title: Orbit ERP 12.0
        product: Orbit ERP
        version: "12.0"
        released: 2026-03-02
        highlights: Faster period close.
        ---
        Details.
        """)
    write(folder, "includes/support.md", "> [!TIP]\n> Call support on **+1 555 0100**.\n")
    return folder


def snapshot() -> dict[str, object]:
    """Everything an import may change, to prove that a failed one changed nothing."""
    return {
        "articles": sorted(db.session.execute(select(
            Article.slug, Article.title, Article.body, Article.status, Article.source_hash,
            Article.updated_at)).all()),
        "revisions": db.session.scalar(select(func.count(ArticleRevision.id))),
        "tasks": db.session.scalar(select(func.count(IndexTask.id))),
        "products": db.session.scalar(select(func.count(Product.id))),
        "versions": db.session.scalar(select(func.count(ProductVersion.id))),
        "tags": db.session.scalar(select(func.count(Tag.id))),
    }


def article(slug: str) -> Article:
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.slug == slug))


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
    from kb.search.index import searcher

    indexed = next(searcher().documents(item_key=f"article:{changed.id}"))
    assert "Rerun the posting job." in indexed["body"]


def test_changed_include_updates_the_articles_using_it(app_context, docs):
    import_paths([docs])
    write(docs, "includes/support.md", "Call support on **+1 555 0199**.\n")
    report = import_paths([docs])
    assert report.updated == ["erp/close-period"]
    assert "+1 555 0199" in article("erp/close-period").rendered_html


@pytest.mark.parametrize(("relative", "text", "line", "message"), [
    ("bad-yaml.md", "---\ntitle: T\ntags: [a, b\n---\n", 3, "not valid YAML"),
    ("bad-date.md", "---\ntitle: T\n\npublished: 31.01.2026\n---\n", 4, "is not a date"),
    ("bad-kind.md", "---\ntitle: T\nkind: essay\n---\n", 3, "unknown kind 'essay'"),
])
def test_a_bad_file_stops_the_import_and_changes_nothing(app_context, docs, relative, text,
                                                         line, message):
    import_paths([docs])
    (docs / "hub/posting-errors.md").write_text("# Posting errors\n\nChanged.\n")
    write(docs, "new/fresh.md", "# A new article\n")
    write(docs, relative, text)
    before = snapshot()
    report = import_paths([docs])
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{docs / relative}:{line}: ")
    assert message in report.errors[0]
    assert not report.committed
    assert snapshot() == before


def test_every_bad_file_is_listed(app_context, docs):
    write(docs, "a.md", "---\nkind: x\n---\n")
    write(docs, "b.md", "---\ntitle: open\n")
    report = import_paths([docs])
    assert [error.split(": ")[0] for error in report.errors] == [
        f"{docs / 'a.md'}:2", f"{docs / 'b.md'}:1"]
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_keep_going_imports_the_good_files(app_context, docs):
    write(docs, "bad.md", "---\nmin_plan: platinum\n---\n")
    report = import_paths([docs], keep_going=True)
    assert report.errors == [f"{docs / 'bad.md'}:2: unknown min_plan 'platinum': use one of"
                             " xtreme, premium, elite"]
    assert len(report.created) == 3 and report.committed
    assert article("bad") is None


def test_prune_archives_items_whose_file_is_gone(app_context, docs):
    import_paths([docs])
    (docs / "hub/posting-errors.md").unlink()
    assert import_paths([docs]).archived == []
    assert article("hub/posting-errors").status == "published"
    report = import_paths([docs], prune=True)
    assert report.archived == ["hub/posting-errors"]
    assert article("hub/posting-errors").status == "archived"
    write(docs, "hub/posting-errors.md", "# Posting errors\n\nBack again.\n")
    assert import_paths([docs], prune=True).updated == ["hub/posting-errors"]
    assert article("hub/posting-errors").status == "published"


def test_prune_keeps_items_whose_file_is_bad(app_context, docs):
    import_paths([docs])
    write(docs, "hub/posting-errors.md", "---\nkind: nonsense\n---\n")
    report = import_paths([docs], keep_going=True, prune=True)
    assert len(report.errors) == 1 and report.archived == []
    assert article("hub/posting-errors").status == "published"


def test_other_folders_and_browser_items_are_never_touched(app_context, docs, tmp_path):
    other = tmp_path / "other"
    write(other, "legacy.md", "# Legacy\n")
    import_paths([docs])
    import_paths([other])
    browser = Article(slug="written-online", source_root=None)
    apply_fields(browser, ArticleFields(title="Written online", body="Hi"))
    db.session.add(browser)
    db.session.commit()
    write(docs, "written-online.md", "# Clash with the browser item\n")
    write(docs, "other-clash.md", "---\nslug: legacy\n---\n# Clash with another folder\n")
    report = import_paths([docs], keep_going=True, prune=True)
    assert sorted(report.errors) == sorted([
        f"{docs / 'other-clash.md'}:1: slug 'legacy' is already used by an article imported"
        f" from {other.resolve()}; set another 'slug:'",
        f"{docs / 'written-online.md'}:1: slug 'written-online' is already used by an article"
        " written in the browser; set another 'slug:'",
    ])
    assert report.archived == []
    assert article("legacy").status == "published" and article("legacy").title == "Legacy"
    assert article("written-online").title == "Written online"


def test_single_file_updates_the_article_of_its_folder(app_context, docs):
    import_paths([docs])
    path = docs / "hub/posting-errors.md"
    path.write_text(path.read_text().replace("Retry", "Re-run"))
    report = import_paths([path])
    assert report.updated == ["hub/posting-errors"]
    assert article("hub/posting-errors").source_root == str(docs.resolve())


def test_sub_folder_updates_the_items_of_its_folder_and_prunes_only_there(app_context, docs):
    import_paths([docs])
    (docs / "erp/close-period.md").unlink()
    write(docs, "hub/new-error.md", "# Error 5000\n")
    (docs / "notes/erp-12-0.md").unlink()
    report = import_paths([docs / "hub"], prune=True)
    assert report.created == ["hub/new-error"] and report.unchanged == ["hub/posting-errors"]
    assert report.archived == []
    assert article("hub/new-error").source_root == str(docs.resolve())
    assert import_paths([docs / "erp"], prune=True).archived == ["erp/close-period"]
    assert article("notes/erp-12-0").status == "published"


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


def test_duplicate_explicit_slug_is_an_error(app_context, tmp_path):
    folder = tmp_path / "dup"
    write(folder, "a.md", "---\nslug: same\n---\n# A\n")
    write(folder, "b.md", "---\nslug: same\n---\n# B\n")
    report = import_paths([folder])
    assert report.errors == [f"{folder / 'b.md'}:1: slug 'same' is also used by {folder / 'a.md'}"]


def test_fragments_are_refused_as_articles(app_context, docs):
    import_paths([docs])
    report = import_paths([docs / "includes", docs / "includes/support.md"])
    assert report.errors == [
        f"{docs / 'includes'}:1: include fragments (under includes/) are not articles;"
        " import the folder that uses them",
        f"{docs / 'includes/support.md'}:1: include fragments (under includes/) are not"
        " articles; import the folder that uses them"]


def test_a_body_the_renderer_cannot_take_is_a_file_error(app_context, docs):
    write(docs, "nested.md", "# Nested\n\n" + "- " * 2000 + "x\n")
    before = snapshot()
    report = import_paths([docs])
    assert report.errors == [f"{docs / 'nested.md'}:1: the Markdown is nested too deeply to"
                             " render (lists or quotes inside each other hundreds of times)"]
    assert snapshot() == before


def test_missing_path(app_context, tmp_path):
    report = import_paths([tmp_path / "nowhere"])
    assert report.errors == [f"{tmp_path / 'nowhere'}:1: no such Markdown file or folder"]


def test_progress_is_reported_per_stage(app_context, docs):
    calls = []
    import_paths([docs], progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls == [("reading", 1, 3), ("reading", 2, 3), ("reading", 3, 3),
                     ("writing", 1, 3), ("writing", 2, 3), ("writing", 3, 3)]
