"""``kb import`` is transactional: a bad file (or a missing path, a duplicate slug, a fragment
as an article, a body the renderer cannot take) changes nothing; every bad file is listed;
``--keep-going`` imports the good ones."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from tests.articles.import_helpers import article, snapshot, write


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
    assert report.errors == [f"{docs / 'nested.md'}:1: the Markdown is too laborious to render:"
                             " thousands of headings, rules or definitions in a row without"
                             " blank lines between them, tags or definitions that never end,"
                             " code fences with dozens of quoted options, or lists or quotes"
                             " nested hundreds deep"]
    assert snapshot() == before


def test_missing_path(app_context, tmp_path):
    report = import_paths([tmp_path / "nowhere"])
    assert report.errors == [f"{tmp_path / 'nowhere'}:1: no such Markdown file or folder"]
