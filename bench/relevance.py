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
import``'s ``import_paths``); queries go through the query layer as a staff reader.

kb has two search engines (``kb.search.backend``): Whoosh, the default, and PostgreSQL full-text
search. Given a PostgreSQL database (``--postgres-url`` or KB_BENCH_POSTGRES_URL), both are
measured on the same queries, PostgreSQL in a schema the run creates and drops
(bench/relevance_engines.py); the goals are judged on Whoosh. Run:
``.venv/bin/python bench/relevance.py [--part cranfield|known-items] [--split held-out|train]
[--engine whoosh|postgresql|both] [--postgres-url postgresql+psycopg://...]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# the repository, not this folder, whose markdown.py would hide the Markdown package
sys.path[:] = [str(REPO), *(entry for entry in sys.path
                            if Path(entry or ".").resolve() != REPO / "bench")]

# the parts, and the names other benches and tests use, kept here
from bench.relevance_cranfield import (  # noqa: E402
    cranfield_app,
    cranfield_judgments,
    cranfield_queries,
    cranfield_records,
    run_cranfield,
)
from bench.relevance_engines import POSTGRESQL, WHOOSH  # noqa: E402
from bench.relevance_known_items import (  # noqa: E402
    copy_without_descriptions,
    honest_items,
    inside,
    known_items,
    known_items_app,
    run_known_items,
    slug_index,
    without_description,
)
from bench.relevance_loading import (  # noqa: E402
    ARTICLES,
    CRANFIELD,
    SHARED,
    front_matter,
    indexed_texts,
    load_folder,
    make_app,
)
from bench.relevance_ranking import Fts5, kb_ranking, ndcg_at  # noqa: E402
from bench.relevance_split import SPLIT_RULE, digest, held_out, split_keys  # noqa: E402

__all__ = ["ARTICLES", "CRANFIELD", "SHARED", "Fts5", "copy_without_descriptions", "cranfield_app",
           "cranfield_judgments", "cranfield_queries", "cranfield_records", "digest",
           "front_matter", "held_out", "honest_items", "indexed_texts", "inside", "kb_ranking",
           "known_items", "known_items_app", "load_folder", "make_app", "ndcg_at", "slug_index",
           "split_keys", "without_description"]

# the goals of issue 14, on the held-out queries
GOALS = {"Cranfield nDCG@10": 0.42, "known-item MRR@10": 0.80}


def report_goal(name: str, figures: dict[str, float], part: str) -> None:
    """The goal is judged on Whoosh, kb's default engine; PostgreSQL's figure is shown beside."""
    fts5 = figures["FTS5 bm25"]
    line = f"  goal ({part}): {name} >= {GOALS[name]} and >= FTS5 bm25 ({fts5:.4f}), on Whoosh: "
    if WHOOSH in figures:
        kb = figures[WHOOSH]
        met = kb >= GOALS[name] and kb >= fts5
        line += f"{kb:.4f}, {'met' if met else 'NOT met'}"
    else:
        line += "not measured"
    if POSTGRESQL in figures:
        line += f" (PostgreSQL: {figures[POSTGRESQL]:.4f}, not judged)"
    print(line)


def chosen_engines(parser: argparse.ArgumentParser, arguments) -> tuple[str, ...]:
    engine = arguments.engine or ("both" if arguments.postgres_url else "whoosh")
    engines = ("whoosh", "postgresql") if engine == "both" else (engine,)
    if "postgresql" in engines and not (arguments.postgres_url or "").startswith("postgresql"):
        parser.error("--engine postgresql|both needs --postgres-url postgresql+psycopg://... "
                     "(or KB_BENCH_POSTGRES_URL)")
    return engines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["cranfield", "known-items", "all"], default="all")
    parser.add_argument("--split", choices=["held-out", "train", "all"], default="held-out",
                        help="the queries measured: tune on train, report held-out")
    parser.add_argument("--engine", choices=["whoosh", "postgresql", "both"],
                        help="kb's engines measured (default: both given a PostgreSQL URL, "
                        "else whoosh)")
    parser.add_argument("--postgres-url", default=os.environ.get("KB_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL database; the run works in a schema of its own, "
                        "dropped at the end (default: KB_BENCH_POSTGRES_URL)")
    parser.add_argument("--work", type=Path, help="keep the imported data in this folder and "
                        "use it again next time (after a change to the index schema, delete it)")
    arguments = parser.parse_args()
    engines = chosen_engines(parser, arguments)
    print(f"Split: {SPLIT_RULE}")
    print(f"Engines: {', '.join(engines)}")
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as temporary:
        work = arguments.work or Path(temporary)
        if arguments.part in ("cranfield", "all"):
            figures = run_cranfield(work, arguments.split, engines, arguments.postgres_url)
            report_goal("Cranfield nDCG@10", figures, arguments.split)
        if arguments.part in ("known-items", "all"):
            figures = run_known_items(work, arguments.split, engines, arguments.postgres_url)
            report_goal("known-item MRR@10", figures, arguments.split)


if __name__ == "__main__":
    main()
