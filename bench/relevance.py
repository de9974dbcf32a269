"""Relevance of kb search, measured beside plain BM25 (SQLite FTS5) on the same texts.

1. Cranfield (1,400 aeronautics abstracts, the shared half of the queries): nDCG@10 with graded
   gain 5 - code (codes 1-4), MAP and recall@100.
2. Known-item search on the shared articles: each article's front-matter ``description`` is the
   query, the article is the answer: MRR@10 and success@1. kb imports the description as the
   article's summary, which it indexes; FTS5 gets the title and body, and a second time the
   summary too.

Documents are Markdown files loaded through the importer (``kb import``'s ``import_paths``);
queries go through the query layer as a staff reader. Run:
``.venv/bin/python bench/relevance.py [--part cranfield|known-items]``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("KB_SHARED_DIR", REPO.parent / "shared"))
CRANFIELD = SHARED / "corpus" / "relevance" / "cranfield"
ARTICLES = SHARED / "corpus" / "articles"


# --- loading -------------------------------------------------------------------------------

def make_app(data_dir: Path):
    """A kb application on a fresh SQLite database and index in ``data_dir``."""
    import kb.models  # noqa: F401
    from kb import create_app, db, search
    from kb.db import Base

    data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{data_dir / 'kb.sqlite3'}"})
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


# --- searching -----------------------------------------------------------------------------

def kb_ranking(text: str, depth: int) -> list[str]:
    """Slugs of the top ``depth`` results of the query layer."""
    from kb.search import query

    asked = query.SearchRequest(text=text, per_page=depth)
    return [hit.url.split("/", 2)[-1] for hit in query.search(staff_reader(), asked).hits]


class Fts5:
    """Plain BM25 with SQLite FTS5 (porter stemming, equal weights): title and body, and the
    summary too ``with_summary``."""

    def __init__(self, texts: dict[str, tuple[str, str, str]], with_summary: bool = False):
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, "
                                "body, tokenize='porter unicode61')")
        self.connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [(slug, title, f"{summary}\n{body}" if with_summary else body)
             for slug, (title, summary, body) in texts.items()])

    def ranking(self, text: str, depth: int) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{word}"' for word in words)
        rows = self.connection.execute(
            "SELECT slug FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, depth))
        return [slug for (slug,) in rows]


# --- metrics -------------------------------------------------------------------------------

def ndcg_at(ranking: list[str], gains: dict[str, float], depth: int = 10) -> float:
    dcg = sum(gains.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranking[:depth]))
    ideal = sorted(gains.values(), reverse=True)[:depth]
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def average_precision(ranking: list[str], relevant: set[str]) -> float:
    found, total = 0, 0.0
    for rank, doc in enumerate(ranking, start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def recall_at(ranking: list[str], relevant: set[str], depth: int = 100) -> float:
    return len(relevant & set(ranking[:depth])) / len(relevant) if relevant else 0.0


# --- Cranfield -----------------------------------------------------------------------------

def cranfield_records(text: str) -> dict[str, dict[str, str]]:
    records: dict[str, dict[str, str]] = {}
    for block in re.split(r"^\.I\s+", text, flags=re.M)[1:]:
        number, _, rest = block.partition("\n")
        fields: dict[str, str] = {}
        for marker, value in re.findall(r"^\.([TAWB])\n(.*?)(?=^\.[TAWB]\n|\Z)", rest, re.M | re.S):
            fields[marker] = (fields.get(marker, "") + " " + " ".join(value.split())).strip()
        records[number.strip()] = fields
    return records


def cranfield_judgments() -> dict[str, dict[str, int]]:
    query_numbers = {}
    for line in (CRANFIELD / "query-id-map.tsv").read_text().splitlines()[1:]:
        qrel_number, query_id = line.split("\t")
        query_numbers[qrel_number.strip()] = query_id.strip()
    judgments: dict[str, dict[str, int]] = {}
    for line in (CRANFIELD / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and 1 <= int(parts[2]) <= 4:
            query_id = query_numbers[parts[0]]
            judgments.setdefault(query_id, {})[f"cran-{parts[1]}"] = int(parts[2])
    return judgments


def write_cranfield(folder: Path) -> None:
    for number, fields in cranfield_records((CRANFIELD / "cran.all.1400").read_text()).items():
        title = fields.get("T") or f"Cranfield {number}"
        front = f"---\ntitle: {yaml_string(title)}\nslug: cran-{number}\n---\n\n"
        (folder / f"cran-{number}.md").write_text(front + fields.get("W", "") + "\n")


def run_cranfield(work: Path) -> None:
    folder = work / "cranfield"
    folder.mkdir()
    write_cranfield(folder)
    app = make_app(work / "cranfield-data")
    with app.app_context():
        started = time.perf_counter()
        load_folder(folder)
        print(f"Cranfield: {len(indexed_texts())} documents imported in "
              f"{time.perf_counter() - started:.1f} s")
        baseline = Fts5(indexed_texts())
        queries = cranfield_records((CRANFIELD / "cran.qry").read_text())
        judgments = cranfield_judgments()
        scores: dict[str, list[list[float]]] = {"kb search (Whoosh)": [], "FTS5 bm25": []}
        for query_id, judged in judgments.items():
            text = queries[query_id]["W"]
            gains = {doc: 5 - code for doc, code in judged.items()}
            relevant = set(judged)
            for name, ranking in (("kb search (Whoosh)", kb_ranking(text, 100)),
                                  ("FTS5 bm25", baseline.ranking(text, 100))):
                scores[name].append([ndcg_at(ranking, gains), average_precision(ranking, relevant),
                                     recall_at(ranking, relevant)])
        print(f"  {len(judgments)} queries   nDCG@10   MAP      recall@100")
        for name, rows in scores.items():
            means = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
            print(f"  {name:<20} {means[0]:.4f}    {means[1]:.4f}   {means[2]:.4f}")


# --- known items ---------------------------------------------------------------------------

def known_items(folder: Path) -> dict[str, str]:
    """Path in ``folder`` without .md -> description, of every article that has one."""
    found = {}
    for path in sorted(folder.rglob("*.md")):
        if "includes" in path.relative_to(folder).parts:
            continue
        data, _ = front_matter(path.read_text(encoding="utf-8-sig"))
        description = str(data.get("description") or "").strip()
        if description:
            found[str(path.relative_to(folder).with_suffix(""))] = description
    return found


def slug_index() -> dict[str, str]:
    """Source path (without .md) -> slug of the imported articles."""
    from sqlalchemy import select

    from kb import db
    from kb.articles.models import Article

    rows = db.session.execute(select(Article.slug, Article.source_path))
    return {str(Path(source_path).with_suffix("")): slug for slug, source_path in rows}


def run_known_items(work: Path) -> None:
    app = make_app(work / "articles-data")
    with app.app_context():
        started = time.perf_counter()
        load_folder(ARTICLES)
        print(f"Known items: {len(indexed_texts())} articles imported in "
              f"{time.perf_counter() - started:.1f} s")
        engines = {"kb search (Whoosh)": kb_ranking,
                   "FTS5 bm25": Fts5(indexed_texts()).ranking,
                   "FTS5 bm25 +summary": Fts5(indexed_texts(), with_summary=True).ranking}
        slugs = slug_index()
        items = {slugs[path]: description
                 for path, description in known_items(ARTICLES).items() if path in slugs}
        results: dict[str, list[int | None]] = {name: [] for name in engines}
        for slug, description in items.items():
            for name, ranking in engines.items():
                found = ranking(description, 10)
                results[name].append(found.index(slug) + 1 if slug in found else None)
        print(f"  {len(items)} queries   MRR@10   success@1")
        for name, ranks in results.items():
            mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
            first = sum(1 for rank in ranks if rank == 1) / len(ranks)
            print(f"  {name:<20} {mrr:.4f}   {first:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["cranfield", "known-items", "all"], default="all")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as work:
        if arguments.part in ("cranfield", "all"):
            run_cranfield(Path(work))
        if arguments.part in ("known-items", "all"):
            run_known_items(Path(work))


if __name__ == "__main__":
    main()
