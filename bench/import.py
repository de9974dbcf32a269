"""Import throughput: the shared corpus (about 3,500 real articles) into a fresh data directory.

    .venv/bin/python bench/import.py                       # SQLite in a temporary folder
    .venv/bin/python bench/import.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

With PostgreSQL the run uses a schema of its own and drops it afterwards. Prints files,
seconds, files per second, errors and the size of the database."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import kb.models  # noqa: E402,F401 - every table on the metadata
from kb import create_app, db  # noqa: E402
from kb.articles.importing import importer  # noqa: E402
from kb.db import Base  # noqa: E402


def main() -> None:
    arguments = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="kb-bench-import-") as directory:
        data_dir = Path(directory)
        database_url, schema = database_for(arguments.database_url, data_dir)
        try:
            run(arguments.corpus, data_dir, database_url, schema)
        finally:
            if schema:
                execute(arguments.database_url, f'DROP SCHEMA "{schema}" CASCADE')


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--corpus", type=Path,
                        default=REPO_ROOT.parent / "shared" / "corpus" / "articles")
    return parser.parse_args()


def database_for(url: str, data_dir: Path) -> tuple[str, str | None]:
    if not url:
        return f"sqlite:///{data_dir / 'kb.sqlite3'}", None
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    execute(url, f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}", schema


def execute(url: str, statement: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        connection.execute(text(statement))
        connection.commit()
    engine.dispose()


def run(corpus: Path, data_dir: Path, database_url: str, schema: str | None) -> None:
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        Base.metadata.create_all(db.database().engine)
        started = time.perf_counter()
        report = importer.import_paths([corpus], keep_going=True)
        seconds = time.perf_counter() - started
        started_again = time.perf_counter()
        again = importer.import_paths([corpus], keep_going=True)
        seconds_again = time.perf_counter() - started_again
        size = database_size(database_url, data_dir, schema)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database:        {'PostgreSQL' if schema else 'SQLite'}")
    print(f"files:           {report.files}")
    print(f"created:         {len(report.created)}")
    print(f"errors:          {len(report.errors)}")
    for error in report.errors:
        print(f"  {error}")
    print(f"seconds:         {seconds:.1f}")
    print(f"files/second:    {report.files / seconds:.0f}")
    print(f"re-import:       {seconds_again:.1f} s, {len(again.unchanged)} unchanged")
    print(f"database size:   {size / 1_048_576:.1f} MiB")
    print(f"peak memory:     {peak_mib:.0f} MiB")


def database_size(url: str, data_dir: Path, schema: str | None) -> int:
    if schema is None:
        return sum(path.stat().st_size for path in data_dir.glob("kb.sqlite3*"))
    with db.session.get_bind().connect() as connection:
        return connection.execute(text(
            "SELECT coalesce(sum(pg_total_relation_size(quote_ident(schemaname) || '.' ||"
            " quote_ident(tablename))), 0) FROM pg_tables WHERE schemaname = :schema"),
            {"schema": schema}).scalar_one()


if __name__ == "__main__":
    main()
