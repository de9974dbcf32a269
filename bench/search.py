"""Speed of kb search beside SQLite FTS5 (bm25 + snippet()) on the same documents and queries.

For the shared articles (about 3,500) and a 50,000-document corpus made from them (copies with
perturbed words), prints: full reindex time and index size; p50/p95 latency of 300 queries with
snippets through the query layer (searcher kept per thread and refreshed, and a new searcher
per query) and through HTTP against `kb serve` on loopback; FTS5's p50/p95 for the same
queries; how long a publish takes to become searchable through HTTP; and, at the first size,
the load run of bench/search_load.py (wrk for a minute, queries that never repeat).

With ``--engine both`` (or ``postgresql``) and a PostgreSQL database (``--postgres-url`` or
KB_BENCH_POSTGRES_URL), the PostgreSQL engine is measured at the same sizes after Whoosh
(bench/pg_search_speed.py: rebuild, size, p50/p95 through the backend).

Run: ``.venv/bin/python bench/search.py [--sizes 3500,50000] [--workers 2]
[--engine whoosh|postgresql|both] [--postgres-url postgresql+psycopg://...]``.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import search_load  # noqa: E402
from bench.relevance import ARTICLES, load_folder  # noqa: E402
from bench.search_corpus import make_queries, replicate  # noqa: E402
from bench.search_server import (  # noqa: E402
    Server,
    environment,
    kb,
    over_http,
    publish_to_searchable,
)

QUERY_COUNT = 300


def make_app(data_dir: Path):
    from kb import create_app

    os.environ.update(environment(data_dir))
    return create_app()


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


# --- measurements --------------------------------------------------------------------------

def staff_reader():
    from kb.accounts.models import User

    return User(email="bench@staff.test", role="staff", is_enabled=True)


def customer_reader():
    from kb.accounts.queries import user_by_email

    return user_by_email("elite@demo.test")


def in_process(queries: list[str], per_query_searcher: bool) -> list[float]:
    from kb.search import query
    from kb.search.whoosh import index

    user = customer_reader()
    samples = []
    query.search(user, query.SearchRequest(text=queries[0]))
    for text in queries:
        if per_query_searcher:
            index.close_searcher()
        started = time.perf_counter()
        results = query.search(user, query.SearchRequest(text=text, per_page=10))
        [str(hit.snippet) for hit in results.hits]
        samples.append(time.perf_counter() - started)
    return samples


def whole_body_highlighting(queries: list[str]) -> list[float]:
    """The same, with snippets read from whole bodies instead of their first
    snippets.CHARACTER_LIMIT characters."""
    from kb.search.whoosh import snippets

    limit = snippets.CHARACTER_LIMIT
    snippets.CHARACTER_LIMIT = 10**9
    try:
        return in_process(queries, per_query_searcher=False)
    finally:
        snippets.CHARACTER_LIMIT = limit


class Fts5:
    def __init__(self):
        from sqlalchemy import select

        from kb import db
        from kb.articles.models import Article

        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, "
                                "body, tokenize='porter unicode61')")
        started = time.perf_counter()
        rows = db.session.execute(select(Article.slug, Article.title, Article.rendered_text))
        self.connection.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
        self.connection.commit()
        self.build_seconds = time.perf_counter() - started

    def search(self, text: str) -> list:
        words = re.findall(r"\w+", text.lower())
        # every word, as kb's first pass asks (FTS5's own default for words side by side)
        match = " ".join(f'"{word}"' + ("*" if text.endswith("*") and word == words[-1]
                                         else "") for word in words)
        return self.connection.execute(
            "SELECT slug, title, snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs "
            "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)).fetchall()

    def measure(self, queries: list[str]) -> list[float]:
        samples = []
        for text in queries:
            started = time.perf_counter()
            self.search(text)
            samples.append(time.perf_counter() - started)
        return samples


def load(data_dir: Path):
    from kb import demo

    kb(data_dir, "init")
    app = make_app(data_dir)
    with app.app_context():
        demo.load_accounts()
        started = time.perf_counter()
        load_folder(ARTICLES)
        print(f"shared articles imported (kb import) in {time.perf_counter() - started:.0f} s")
    return app


def measure(app, data_dir: Path, size: int, workers: int, load_seconds: int = 0) -> None:
    from kb.search import maintenance
    from kb.search.whoosh import index

    with app.app_context():
        added = replicate(size)
        started = time.perf_counter()
        rebuilt = maintenance.rebuild()
        seconds = time.perf_counter() - started
        size_mb = directory_size(index.current_generation()) / 2**20
        print(f"\n== {rebuilt.documents:,} documents ({added:,} perturbed copies added)")
        print(f"full reindex: {seconds:6.1f} s, index {size_mb:.0f} MB")
        queries = make_queries(QUERY_COUNT)
        fts = Fts5()
        fts_samples = fts.measure(queries)
        kept = in_process(queries, per_query_searcher=False)
        fresh = in_process(queries, per_query_searcher=True)
        whole = whole_body_highlighting(queries)
        print(f"FTS5 bm25+snippet()              {percentiles(fts_samples)}")
        print(f"kb query layer, searcher kept    {percentiles(kept)}")
        print(f"kb query layer, searcher/query   {percentiles(fresh)}")
        print(f"  (highlighting whole bodies:    {percentiles(whole)})")
        index.close_searcher()
    token = kb(data_dir, "token", "create", "elite@demo.test").strip().splitlines()[-1]
    server = Server(data_dir, workers)
    try:
        samples, failures = over_http(server.port, token, queries)
        print(f"kb HTTP /api/v1/search ({workers} workers) {percentiles(samples)}"
              f"   failures {failures}")
        with app.app_context():
            visible = [publish_to_searchable(server.port, token) for _ in range(5)]
        print(f"publish -> searchable via HTTP: max {max(visible) * 1000:.0f} ms "
              f"(of 5; median {statistics.median(visible) * 1000:.0f} ms)")
    finally:
        server.stop()
    if load_seconds:
        print(f"\nunder load (bench/search_load.py), beside FTS5's {percentiles(fts_samples)}:")
        search_load.load_run(data_dir, seconds=load_seconds, workers=workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3500,50000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--load-seconds", type=int, default=60,
                        help="the load run at the first size (0: none)")
    parser.add_argument("--engine", choices=["whoosh", "postgresql", "both"], default="whoosh")
    parser.add_argument("--postgres-url", default=os.environ.get("KB_BENCH_POSTGRES_URL"),
                        help="the PostgreSQL database of --engine postgresql|both (a schema of "
                        "its own is created and dropped)")
    arguments = parser.parse_args()
    if arguments.engine != "whoosh" and not (arguments.postgres_url or "").startswith("postgres"):
        parser.error("--engine postgresql|both needs --postgres-url postgresql+psycopg://...")
    sizes = [int(value) for value in arguments.sizes.split(",")]
    print(f"{os.cpu_count()} CPU cores; {QUERY_COUNT} queries per measurement")
    if arguments.engine != "postgresql":
        print("== Whoosh")
        with tempfile.TemporaryDirectory(prefix="kb-search-bench-") as work:
            data_dir = Path(work) / "data"
            app = load(data_dir)
            for number, size in enumerate(sizes):
                measure(app, data_dir, size, arguments.workers,
                        load_seconds=arguments.load_seconds if number == 0 else 0)
    if arguments.engine != "whoosh":
        from bench import pg_search_speed

        print("== PostgreSQL")
        pg_search_speed.run(arguments.postgres_url, sizes)


if __name__ == "__main__":
    main()
