"""Relevance of kb search, measured beside plain BM25 (SQLite FTS5) on the same texts.

1. Cranfield (1,400 aeronautics abstracts, the shared half of the queries): nDCG@10 with graded
   gain 5 - code (codes 1-4), MAP and recall@100.
2. Known-item search on the shared articles: each article's front-matter ``description`` is the
   query, the article is the answer: MRR@10 and success@1. The description is cut out of every
   file before it is imported (title, body and includes stay), as a customer describes a
   problem in their own words; an article whose remaining text still holds its description
   word for word is no known item.

The queries are split once and for all (``held_out``: a hash of the article's path or the
Cranfield query id): tune on ``--split train`` only; the figure is the held-out part, which the
run prints with the split. Documents are Markdown files loaded through the importer (``kb
import``'s ``import_paths``); queries go through the query layer as a staff reader. Run:
``.venv/bin/python bench/relevance.py [--part cranfield|known-items] [--split held-out|train]``.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the repository, not this folder, whose markdown.py would hide the Markdown package
sys.path[:] = [str(REPO), *(entry for entry in sys.path
                            if Path(entry or ".").resolve() != REPO / "bench")]
SHARED = Path(os.environ.get("KB_SHARED_DIR", REPO.parent / "shared"))
CRANFIELD = SHARED / "corpus" / "relevance" / "cranfield"
ARTICLES = SHARED / "corpus" / "articles"
# the goals of issue 14, on the held-out queries
GOALS = {"Cranfield nDCG@10": 0.42, "known-item MRR@10": 0.80}
# what the API accepts (kb.search.params.MAX_QUERY_CHARACTERS)
QUERY_CHARACTERS = 500


# --- the split -----------------------------------------------------------------------------

SPLIT_SALT = "kb-relevance-split-1"
SPLIT_RULE = (f'held out when the first byte of sha256("{SPLIT_SALT}:" + key) is odd; key = '
              "an article's path under corpus/articles without .md, or \"cranfield:\" + the "
              "query's .I number")


def held_out(key: str) -> bool:
    """Whether the query of ``key`` belongs to the held-out part (never tuned on)."""
    return hashlib.sha256(f"{SPLIT_SALT}:{key}".encode()).digest()[0] % 2 == 1


def split_keys(keys, part: str) -> list[str]:
    """The keys of ``part`` (held-out, train or all), in their given order."""
    if part == "all":
        return list(keys)
    return [key for key in keys if held_out(key) == (part == "held-out")]


def digest(keys) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:12]


def print_split(name: str, keys: list[str], part: str) -> None:
    held = split_keys(keys, "held-out")
    print(f"  split: {len(keys) - len(held)} train, {len(held)} held-out (digest "
          f"{digest(held)}); reported: {part}")


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

    asked = query.SearchRequest(text=text[:QUERY_CHARACTERS], per_page=depth)
    return [hit.url.split("/", 2)[-1] for hit in query.search(staff_reader(), asked).hits]


class Fts5:
    """Plain BM25 with SQLite FTS5 (porter stemming, equal weights) over the title and the
    summary with the body: the texts kb indexes."""

    def __init__(self, texts: dict[str, tuple[str, str, str]]):
        self.connection = sqlite3.connect(":memory:")
        self.connection.execute("CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, "
                                "body, tokenize='porter unicode61')")
        self.connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [(slug, title, f"{summary}\n{body}")
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


def cranfield_app(work: Path):
    """The application holding the Cranfield documents (imported into ``work`` once)."""
    folder = work / "cranfield"
    reuse = (work / "cranfield-imported").exists()
    if not reuse:
        folder.mkdir(parents=True, exist_ok=True)
        write_cranfield(folder)
    app = make_app(work / "cranfield-data")
    with app.app_context():
        started = time.perf_counter()
        if not reuse:
            load_folder(folder)
            (work / "cranfield-imported").touch()
        print(f"Cranfield: {len(indexed_texts())} documents imported in "
              f"{time.perf_counter() - started:.1f} s")
    return app


def cranfield_queries() -> dict[str, tuple[str, dict[str, int]]]:
    """"cranfield:" + query id -> (query text, graded gains of its judged documents)."""
    queries = cranfield_records((CRANFIELD / "cran.qry").read_text())
    return {f"cranfield:{query_id}": (queries[query_id]["W"],
                                      {doc: 5 - code for doc, code in judged.items()})
            for query_id, judged in cranfield_judgments().items()}


def run_cranfield(work: Path, part: str) -> dict[str, float]:
    app = cranfield_app(work)
    with app.app_context():
        baseline = Fts5(indexed_texts())
        queries = cranfield_records((CRANFIELD / "cran.qry").read_text())
        judgments = cranfield_judgments()
        keys = [f"cranfield:{query_id}" for query_id in judgments]
        print_split("Cranfield", keys, part)
        if part == "held-out":
            print("  held-out queries: " + " ".join(key.split(":")[1] for key in
                                                     split_keys(keys, "held-out")))
        scores: dict[str, list[list[float]]] = {"kb search (Whoosh)": [], "FTS5 bm25": []}
        for key in split_keys(keys, part):
            query_id = key.split(":", 1)[1]
            judged = judgments[query_id]
            text = queries[query_id]["W"]
            gains = {doc: 5 - code for doc, code in judged.items()}
            relevant = set(judged)
            for name, ranking in (("kb search (Whoosh)", kb_ranking(text, 100)),
                                  ("FTS5 bm25", baseline.ranking(text, 100))):
                scores[name].append([ndcg_at(ranking, gains), average_precision(ranking, relevant),
                                     recall_at(ranking, relevant)])
        print(f"  {len(scores['FTS5 bm25'])} queries   nDCG@10   MAP      recall@100")
        figures = {}
        for name, rows in scores.items():
            means = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
            figures[name] = means[0]
            print(f"  {name:<20} {means[0]:.4f}    {means[1]:.4f}   {means[2]:.4f}")
        return figures


# --- known items ---------------------------------------------------------------------------

def known_items(folder: Path) -> dict[str, str]:
    """Path in ``folder`` without .md -> description, of every article that has one."""
    found = {}
    for path in sorted(folder.rglob("*.md")):
        if "includes" in path.relative_to(folder).parts:
            continue
        data, _ = front_matter(path.read_text(encoding="utf-8-sig"))
        description = " ".join(str(data.get("description") or "").split())
        if description:
            found[path.relative_to(folder).with_suffix("").as_posix()] = description
    return found


DESCRIPTION_KEY = re.compile(r"description\s*:")


def without_description(text: str) -> str:
    """The file with the ``description`` key (and the lines it continues on) cut out of its
    front matter; everything else as it was."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    kept, skipping, indent = [], False, 0
    for line in match.group(1).split("\n"):
        stripped = line.lstrip()
        depth = len(line) - len(stripped)
        if skipping and (not stripped or depth > indent):
            continue
        skipping = bool(DESCRIPTION_KEY.match(stripped))
        if skipping:
            indent = depth
        else:
            kept.append(line)
    return text[:match.start(1)] + "\n".join(kept) + text[match.end(1):]


def copy_without_descriptions(source: Path, target: Path) -> None:
    """Every Markdown file of ``source`` (includes too) into ``target``, descriptions cut."""
    for path in sorted(source.rglob("*.md")):
        copied = target / path.relative_to(source)
        copied.parent.mkdir(parents=True, exist_ok=True)
        copied.write_text(without_description(path.read_text(encoding="utf-8-sig")),
                          encoding="utf-8")


def plain(text: str) -> str:
    """Lower-cased words separated by single spaces, for comparing texts word for word."""
    return " ".join(re.findall(r"\w+", text.lower()))


def inside(query: str, document: tuple[str, ...]) -> bool:
    """Whether the query's words, in order, are in one of the document's indexed texts."""
    words = plain(query)
    return any(words in plain(text) for text in document)


def honest_items(descriptions: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """slug -> query of the imported articles (by path) whose indexed texts do not hold their
    description, and the paths left out because they do."""
    slugs, texts = slug_index(), indexed_texts()
    items, leaking = {}, []
    for path, description in descriptions.items():
        slug = slugs.get(path)
        if slug is None:
            continue
        if inside(description, texts[slug]):
            leaking.append(path)
        else:
            items[slug] = description
    return items, leaking


def slug_index() -> dict[str, str]:
    """Source path (without .md) -> slug of the imported articles."""
    from sqlalchemy import select

    from kb import db
    from kb.articles.models import Article

    rows = db.session.execute(select(Article.slug, Article.source_path))
    return {Path(source_path).with_suffix("").as_posix(): slug for slug, source_path in rows}


def known_items_app(work: Path):
    """The application holding the shared articles without their descriptions (imported into
    ``work`` once)."""
    folder = work / "articles"
    reuse = (work / "articles-imported").exists()
    if not reuse:
        copy_without_descriptions(ARTICLES, folder)
    app = make_app(work / "articles-data")
    with app.app_context():
        started = time.perf_counter()
        if not reuse:
            load_folder(folder)
            (work / "articles-imported").touch()
        print(f"Known items: {len(indexed_texts())} articles imported without their "
              f"descriptions in {time.perf_counter() - started:.1f} s")
    return app


def run_known_items(work: Path, part: str) -> dict[str, float]:
    app = known_items_app(work)
    with app.app_context():
        descriptions = known_items(ARTICLES)
        all_items, leaking = honest_items(descriptions)
        print(f"  {len(all_items)} articles with a description; {len(leaking)} left out, their "
              "text holds the description word for word")
        by_path = {slug: path for path, slug in slug_index().items()}
        print_split("known items", [by_path[slug] for slug in all_items], part)
        chosen = set(split_keys([by_path[slug] for slug in all_items], part))
        items = {slug: text for slug, text in all_items.items() if by_path[slug] in chosen}
        engines = {"kb search (Whoosh)": kb_ranking, "FTS5 bm25": Fts5(indexed_texts()).ranking}
        results: dict[str, list[int | None]] = {name: [] for name in engines}
        for slug, description in items.items():
            for name, ranking in engines.items():
                found = ranking(description, 10)
                results[name].append(found.index(slug) + 1 if slug in found else None)
        print(f"  {len(items)} queries   MRR@10   success@1")
        figures = {}
        for name, ranks in results.items():
            mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
            first = sum(1 for rank in ranks if rank == 1) / len(ranks)
            figures[name] = mrr
            print(f"  {name:<20} {mrr:.4f}   {first:.4f}")
        return figures


def report_goal(name: str, figures: dict[str, float], part: str) -> None:
    kb, fts5 = figures["kb search (Whoosh)"], figures["FTS5 bm25"]
    met = kb >= GOALS[name] and kb >= fts5
    print(f"  goal ({part}): {name} >= {GOALS[name]} and >= FTS5 bm25 ({fts5:.4f}): "
          f"{kb:.4f}, {'met' if met else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["cranfield", "known-items", "all"], default="all")
    parser.add_argument("--split", choices=["held-out", "train", "all"], default="held-out",
                        help="the queries measured: tune on train, report held-out")
    parser.add_argument("--work", type=Path, help="keep the imported data in this folder and "
                        "use it again next time (after a change to the index schema, delete it)")
    arguments = parser.parse_args()
    print(f"Split: {SPLIT_RULE}")
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as temporary:
        work = arguments.work or Path(temporary)
        if arguments.part in ("cranfield", "all"):
            figures = run_cranfield(work, arguments.split)
            report_goal("Cranfield nDCG@10", figures, arguments.split)
        if arguments.part in ("known-items", "all"):
            figures = run_known_items(work, arguments.split)
            report_goal("known-item MRR@10", figures, arguments.split)


if __name__ == "__main__":
    main()
