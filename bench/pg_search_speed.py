"""Speed of the PostgreSQL search backend (kb.search.postgresql) on the shared articles and
on perturbed copies of them (bench/search_corpus.py): rebuild time, table size, and p50/p95
of 300 queries with snippets and facets for a staff reader and an Xtreme reader, and of
autocomplete. Runs in a PostgreSQL schema of its own, dropped at the end.

Run: ``KB_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.pg_search_speed
[--sizes 3500,50000]``, or beside Whoosh: ``bench/search.py --engine both``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.relevance_loading import ARTICLES, load_folder  # noqa: E402
from bench.search_corpus import make_queries, replicate  # noqa: E402

QUERY_COUNT = 300


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def timed(call, inputs) -> list[float]:
    times = []
    for value in inputs:
        start = time.perf_counter()
        call(value)
        times.append(time.perf_counter() - start)
    return times


def measure(size: int) -> None:
    from kb import db, policy
    from kb.accounts.queries import user_by_email
    from kb.search.postgresql import PostgresBackend
    from kb.search.results import SearchRequest

    added = replicate(size)
    backend = PostgresBackend()
    start = time.perf_counter()
    written = backend.rebuild().documents
    took = time.perf_counter() - start
    with db.database().engine.connect() as connection:
        bytes_ = connection.scalar(text("SELECT pg_total_relation_size('search_documents')"))
    print(f"{size} articles (+{added} copies): rebuild {took:.1f} s, {written} documents, "
          f"{bytes_ / 2**20:.0f} MiB")
    queries = make_queries(QUERY_COUNT)
    for role in ("staff", "xtreme"):
        user = user_by_email(f"{role}@demo.test")
        scope = policy.read_scope(user)
        locked = policy.sees_locked_titles(user)
        times = timed(lambda query, scope=scope, locked=locked: backend.search(
            scope, SearchRequest(text=query), locked_titles=locked), queries)
        print(f"  search as {role}: {percentiles(times)}")
    scope = policy.read_scope(user_by_email("xtreme@demo.test"))
    times = timed(lambda query: backend.suggest_titles(scope, query[:5], 8), queries)
    print(f"  autocomplete as xtreme: {percentiles(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3500,50000")
    arguments = parser.parse_args()
    run(os.environ["KB_DATABASE_URL"], [int(value) for value in arguments.sizes.split(",")])


def run(base: str, sizes: list[int]) -> None:
    """Measure at each of ``sizes`` in a fresh schema of the database at ``base``."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    options = quote(f"-csearch_path={schema}")
    url = f"{base}{'&' if '?' in base else '?'}options={options}"
    try:
        with tempfile.TemporaryDirectory(prefix="kb-pg-bench-") as work:
            import kb.models  # noqa: F401
            from kb import create_app, demo
            from kb.db import Base

            app = create_app({"DATA_DIR": str(Path(work) / "data"), "SECRET_KEY": "bench",
                              "DATABASE_URL": url})
            with app.app_context():
                from kb import db

                Base.metadata.create_all(db.database().engine)
                demo.load_accounts()
                load_folder(ARTICLES)
                for size in sizes:
                    measure(size)
                db.session.close()
            app.extensions["kb.database"].engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
