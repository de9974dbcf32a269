"""The starter ``content/`` and the ``kb import`` command line."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import func, select

from kb import PROJECT_ROOT, db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article

CONTENT = PROJECT_ROOT / "content"


def test_starter_content_imports_cleanly(app_context):
    report = import_paths([CONTENT])
    assert report.errors == []
    items = db.session.scalars(select(Article)).all()
    articles = [item for item in items if item.type == "article"]
    notes = [item for item in items if item.type == "release-note"]
    assert len(articles) >= 30 and len(notes) == 10
    assert set(Counter(item.kind for item in articles)) == {
        "how-to", "reference", "troubleshooting", "workaround"}
    assert sum(item.critical and item.kind == "workaround" for item in articles) >= 2
    assert {item.min_plan for item in articles} == {"xtreme", "premium", "elite"}
    assert {product.name for item in items for product in item.products} == {
        "Orbit ERP", "Orbit Integration Hub", "Orbit Analytics"}
    assert {(note.release_product.name, note.release_version.name) for note in notes} == {
        ("Orbit ERP", "11.0"), ("Orbit ERP", "11.1"), ("Orbit ERP", "12.0"),
        ("Orbit Integration Hub", "3.5"), ("Orbit Integration Hub", "4.0"),
        ("Orbit Analytics", "2025.2"), ("Orbit Analytics", "2026.1")}
    assert all(note.released_on and note.highlights for note in notes)
    slugs = {item.slug for item in items}
    for item in items:
        # every link between files points at an imported article
        assert ".md" not in item.body and "[!INCLUDE" not in item.body, item.slug
        for target in re.findall(r'href="/articles/([^"#]+)', item.rendered_html):
            assert target in slugs, (item.slug, target)
    # a release note's articles are the ones it links to
    erp_12 = next(note for note in notes if note.slug == "orbit-erp-12-0")
    assert {linked.slug for linked in erp_12.related_articles} == {
        "erp/user-roles-and-permissions", "erp/rest-api-rate-limits",
        "erp/upgrade-11-1-to-12-0", "erp/configuration-keys",
        "erp/invoice-numbering-duplicates-12-0"}
    assert "README" not in " ".join(slugs) and not any("includes" in slug for slug in slugs)


def test_cli_imports_default_folder_and_is_idempotent(app, runner, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no content/ here: the project's own is the default
    first = runner.invoke(args=["import"])
    assert first.exit_code == 0, first.output
    assert re.search(r"Imported 44 files: 44 created, 0 updated, 0 unchanged", first.output)
    second = runner.invoke(args=["import"])
    assert second.exit_code == 0
    assert "0 created, 0 updated, 44 unchanged, 0 archived" in second.output


def test_cli_reports_bad_files_and_exits_non_zero(app, runner, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n")
    (folder / "bad.md").write_text("---\ntitle: Bad\npublished: someday\n---\n")
    result = runner.invoke(args=["import", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'bad.md'}:3: 'published' is not a date: 'someday'" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Article.id))) == 0

    kept = runner.invoke(args=["import", "--keep-going", str(folder)])
    assert kept.exit_code == 1
    assert f"{folder / 'bad.md'}:3:" in kept.output
    assert "1 bad files skipped; 1 created" in kept.output

    (folder / "bad.md").unlink()
    (folder / "good.md").unlink()
    pruned = runner.invoke(args=["import", "--prune", str(folder)])
    assert pruned.exit_code == 0 and "1 archived" in pruned.output


def test_demo_loads_the_content_once(app, runner):
    runner.invoke(args=["demo"])
    with app.app_context():
        count = db.session.scalar(select(func.count(Article.id)))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "Content: Imported 44 files: 0 created" in result.output
    with app.app_context():
        # the 44 files and the demo programme's preview notes, written in kb
        assert db.session.scalar(select(func.count(Article.id))) == count == 45


def test_cli_database_refusal_is_a_clear_message(app, runner, monkeypatch, tmp_path):
    from sqlalchemy.exc import IntegrityError

    from kb.articles import commands

    def refuse(*args, **kwargs):
        raise IntegrityError("INSERT INTO articles ...", {}, Exception("duplicate key: slug"))

    monkeypatch.setattr(commands.importer, "import_paths", refuse)
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code == 1
    assert "The database refused the import, nothing was changed: duplicate key: slug" \
        in result.output
