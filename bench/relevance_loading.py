"""Loading the relevance bench's documents into a kb application of its own, and reading back
the texts kb indexes (bench/relevance.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KB_SHARED_DIR", REPO.parent / "shared"))
CRANFIELD = SHARED / "corpus" / "relevance" / "cranfield"
ARTICLES = SHARED / "corpus" / "articles"


def make_app(data_dir: Path, database_url: str | None = None):
    """A kb application on a fresh SQLite database and Whoosh index in ``data_dir``; or, given
    the URL of an empty PostgreSQL database, searching with PostgreSQL inside it."""
    import kb.models  # noqa: F401
    from kb import create_app, db, search
    from kb.db import Base

    data_dir.mkdir(parents=True, exist_ok=True)
    config = {"DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
              "DATABASE_URL": f"sqlite:///{data_dir / 'kb.sqlite3'}"}
    if database_url:
        config.update(DATABASE_URL=database_url, SEARCH_BACKEND="postgresql")
    app = create_app(config)
    with app.app_context():
        Base.metadata.create_all(db.database().engine)
        search.ensure_index()
    return app


def staff_reader():
    from kb.accounts.models import User

    return User(email="bench@staff.test", role="staff", is_enabled=True)


def yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_folder(folder: Path) -> None:
    """Import every Markdown file of ``folder`` as ``kb import`` does."""
    from kb import search
    from kb.articles.importing.importer import import_paths

    with search.deferred():
        report = import_paths([folder], keep_going=True, prune=False)
    if report.errors:
        print(f"  {len(report.errors)} files not imported, e.g. {report.errors[0]}")


FRONT_MATTER = re.compile(r"\A\ufeff?\s*---\s*\n(.*?)\n\s*---\s*\n", re.S)


def front_matter(text: str) -> tuple[dict, str]:
    """Front matter (tolerant of the unquoted colons some files have) and the body."""
    import yaml

    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    block = match.group(1)
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        data = dict(re.findall(r"^\s*([\w.:-]+):\s*(.*?)\s*$", block, re.M))
    return (data if isinstance(data, dict) else {}), text[match.end():]


def indexed_texts() -> dict[str, tuple[str, str, str]]:
    """slug -> (title, summary, plain text) of every loaded article: the texts kb indexes."""
    from sqlalchemy import select

    from kb import db
    from kb.articles.models import Article

    rows = db.session.execute(
        select(Article.slug, Article.title, Article.summary, Article.rendered_text))
    return {slug: (title, summary or "", text or "") for slug, title, summary, text in rows}
