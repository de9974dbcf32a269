"""The kb search engines the relevance bench measures (bench/relevance.py): Whoosh, in the
application on SQLite each part loads its documents into once, and PostgreSQL full-text search,
in an application of its own on a fresh schema of the given PostgreSQL database (created for
the part, the same documents imported, dropped at the end)."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from bench.relevance_loading import load_folder, make_app
from bench.relevance_ranking import kb_ranking

ENGINES = {"whoosh": "kb search (Whoosh)", "postgresql": "kb search (PostgreSQL)"}
WHOOSH, POSTGRESQL = ENGINES["whoosh"], ENGINES["postgresql"]


@contextmanager
def postgres_schema(base_url: str, part: str) -> Iterator[str]:
    """The URL of a fresh schema of the database at ``base_url``, dropped when the block ends."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    schema = f"kb_bench_{os.getpid()}_{part}"
    admin = create_engine(base_url, poolclass=NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        options = quote(f"-csearch_path={schema}")
        yield f"{base_url}{'&' if '?' in base_url else '?'}options={options}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def kb_apps(engines: tuple[str, ...], whoosh_app, postgres_url: str | None, part: str,
            folder: Path) -> Iterator[dict]:
    """Engine name -> the application searching with it, ``folder`` imported into each."""
    apps = {WHOOSH: whoosh_app} if "whoosh" in engines else {}
    if "postgresql" not in engines:
        yield apps
        return
    with postgres_schema(postgres_url, part) as url, \
            tempfile.TemporaryDirectory(prefix="kb-relevance-pg-") as data:
        app = make_app(Path(data), url)
        try:
            with app.app_context():
                started = time.perf_counter()
                load_folder(folder)
                print(f"  PostgreSQL: {folder.name} imported into a schema of its own in "
                      f"{time.perf_counter() - started:.1f} s")
            yield {**apps, POSTGRESQL: app}
        finally:
            app.extensions["kb.database"].engine.dispose()


def kb_rankings(apps: dict, texts: list[str], depth: int,
                key_of: Callable[[str], str] = str) -> dict[str, list[list[str]]]:
    """Engine name -> the top ``depth`` results of each text as a staff reader, each result
    named by ``key_of`` its slug (called in the engine's application)."""
    from kb import db

    rankings = {}
    for name, app in apps.items():
        with app.app_context():
            rankings[name] = [[key_of(slug) for slug in kb_ranking(text, depth)]
                              for text in texts]
            db.session.close()
    return rankings
