"""``kb import`` reads only files whose real path is inside the imported folder, and never
anything inside kb's data directory: symbolic links that lead out are refused as
``PATH:LINE: ...`` file errors, and nothing is published."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from tests.articles.test_import import write

SECRET = "the-secret-key-of-this-portal"
GUIDE = """
    ---
    title: Guide
    ---
    # Guide

    [!INCLUDE[notes](includes/notes.md)]
    """
INCLUDE_LINE = 6
LEAVES = "leads outside the imported folder"
DATA_DIRECTORY = "kb's data directory"


@pytest.fixture
def secret_key(app) -> Path:
    """A generated secret key, where kb keeps one when ``KB_SECRET_KEY`` is unset."""
    path = Path(app.config["DATA_DIR"]) / "secret_key"
    path.write_text(SECRET)
    return path


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "elsewhere"
    write(folder, "notes.md", f"Outside: {SECRET}\n")
    write(folder, "article.md", f"# Outside\n\n{SECRET}\n")
    return folder


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    write(folder, "welcome.md", "# Welcome\n\nGood content.\n")
    return folder


def article_count() -> int:
    return db.session.scalar(select(func.count(Article.id)))


def published_anywhere(text: str) -> bool:
    return db.session.scalar(select(func.count(Article.id)).where(
        Article.body.contains(text) | Article.rendered_html.contains(text))) > 0


def assert_refused(report, path: Path, line: int, reason: str) -> None:
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(f"{path}:{line}: "), report.errors
    assert reason in report.errors[0]
    assert not report.committed
    assert article_count() == 0
    assert not published_anywhere(SECRET)


def test_a_symlinked_include_file_is_refused(app_context, docs, secret_key):
    write(docs, "guide.md", GUIDE)
    (docs / "includes").mkdir()
    (docs / "includes/notes.md").symlink_to(secret_key)

    assert_refused(import_paths([docs]), docs / "guide.md", INCLUDE_LINE, LEAVES)


def test_a_symlinked_folder_inside_includes_is_refused(app_context, docs, outside):
    write(docs, "guide.md", GUIDE.replace("includes/notes.md", "includes/shared/notes.md"))
    (docs / "includes").mkdir()
    (docs / "includes/shared").symlink_to(outside, target_is_directory=True)

    assert_refused(import_paths([docs]), docs / "guide.md", INCLUDE_LINE, LEAVES)


def test_a_fragment_including_a_symlink_is_refused_at_the_articles_line(
        app_context, docs, secret_key):
    write(docs, "guide.md", GUIDE)
    write(docs, "includes/notes.md", "Notes.\n\n[!INCLUDE[key](key.md)]\n")
    (docs / "includes/key.md").symlink_to(secret_key)

    report = import_paths([docs])
    assert_refused(report, docs / "guide.md", INCLUDE_LINE, LEAVES)
    assert "'includes/notes.md'" in report.errors[0] and "'key.md'" in report.errors[0]


def test_a_symlinked_article_file_is_refused(app_context, docs, outside):
    (docs / "leak.md").symlink_to(outside / "article.md")

    assert_refused(import_paths([docs]), docs / "leak.md", 1, LEAVES)
    assert_refused(import_paths([docs / "leak.md"]), docs / "leak.md", 1, LEAVES)


def test_a_symlinked_sub_folder_is_refused(app_context, docs, outside):
    (docs / "more").symlink_to(outside, target_is_directory=True)

    assert_refused(import_paths([docs]), docs / "more", 1, LEAVES)


def test_an_include_into_the_data_directory_is_refused(app_context, tmp_path, secret_key):
    """A content folder that contains the data directory: the data directory stays unread,
    its Markdown files are not articles, and an include into it is a file error."""
    write(tmp_path, "guide.md", GUIDE.replace("includes/notes.md", "data/secret_key"))
    write(tmp_path, "data/planted.md", f"# Planted\n\n{SECRET}\n")
    assert secret_key.parent == tmp_path / "data"

    assert_refused(import_paths([tmp_path]), tmp_path / "guide.md", INCLUDE_LINE,
                   DATA_DIRECTORY)
    (tmp_path / "guide.md").unlink()
    report = import_paths([tmp_path])
    assert report.errors == []
    assert not published_anywhere(SECRET)


def test_a_content_folder_inside_the_data_directory_is_refused(app_context, secret_key):
    content = Path(current_app.config["DATA_DIR"]) / "content"
    write(content, "page.md", "# Page\n")

    assert_refused(import_paths([content]), content, 1, DATA_DIRECTORY)
    assert_refused(import_paths([content / "page.md"]), content / "page.md", 1, DATA_DIRECTORY)


def test_the_imported_folder_may_be_reached_through_a_symlink(app_context, docs, tmp_path):
    write(docs, "guide.md", GUIDE)
    write(docs, "includes/support.md", "Call **support**.\n")
    (docs / "includes/notes.md").symlink_to(docs / "includes/support.md")
    link = tmp_path / "linked-docs"
    link.symlink_to(docs, target_is_directory=True)

    report = import_paths([link])
    assert report.errors == []
    assert sorted(report.created) == ["guide", "welcome"]
    guide = db.session.scalar(select(Article).where(Article.slug == "guide"))
    assert "<strong>support</strong>" in guide.rendered_html


def test_an_include_written_outside_the_folder_is_not_read(app_context, docs, outside):
    """As real documentation sets do (``~/../shared-content/...``): kb shows the include as
    unavailable and reads nothing."""
    write(docs, "guide.md", GUIDE.replace("includes/notes.md", f"../{outside.name}/notes.md"))
    write(docs, "absolute.md", GUIDE.replace("includes/notes.md", str(outside / "notes.md")))

    report = import_paths([docs])
    assert report.errors == []
    assert not published_anywhere(SECRET)
    assert published_anywhere("Included content not available")


def test_the_command_exits_non_zero_names_the_line_and_publishes_nothing(
        app, runner, docs, secret_key):
    write(docs, "guide.md", GUIDE)
    (docs / "includes").mkdir()
    (docs / "includes/notes.md").symlink_to(secret_key)

    result = runner.invoke(args=["import", str(docs)])
    assert result.exit_code == 1
    assert f"{docs / 'guide.md'}:{INCLUDE_LINE}: " in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert article_count() == 0

    kept = runner.invoke(args=["import", "--keep-going", str(docs)])
    assert kept.exit_code == 1
    with app.app_context():
        assert [row.slug for row in db.session.scalars(select(Article))] == ["welcome"]
        assert not published_anywhere(SECRET)
