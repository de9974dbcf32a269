"""``kb import`` is scoped to its folder: prune archives only the items of that folder whose file
is gone (not those whose file is bad), a single file or a sub-folder updates only its own
items, other folders and items made in the browser are never touched."""

from __future__ import annotations

from kb import db
from kb.articles.fields import ArticleFields, apply_fields
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from tests.articles.import_helpers import article, write


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
