"""Part 1 of the relevance bench: Cranfield (1,400 aeronautics abstracts), nDCG@10, MAP and
recall@100 of kb search beside FTS5 (bench/relevance.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench.relevance_engines import kb_apps, kb_rankings
from bench.relevance_loading import CRANFIELD, indexed_texts, load_folder, make_app, yaml_string
from bench.relevance_ranking import Fts5, average_precision, ndcg_at, recall_at
from bench.relevance_split import print_split, split_keys


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


def run_cranfield(work: Path, part: str, engines: tuple[str, ...] = ("whoosh",),
                  postgres_url: str | None = None) -> dict[str, float]:
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
    chosen = [key.split(":", 1)[1] for key in split_keys(keys, part)]
    texts = [queries[query_id]["W"] for query_id in chosen]
    with kb_apps(engines, app, postgres_url, "cranfield", work / "cranfield") as apps:
        rankings = kb_rankings(apps, texts, 100)
    rankings["FTS5 bm25"] = [baseline.ranking(text, 100) for text in texts]
    print(f"  {len(chosen)} queries                nDCG@10   MAP      recall@100")
    figures = {}
    for name, ranked in rankings.items():
        rows = []
        for query_id, ranking in zip(chosen, ranked, strict=True):
            judged = judgments[query_id]
            gains = {doc: 5 - code for doc, code in judged.items()}
            rows.append([ndcg_at(ranking, gains), average_precision(ranking, set(judged)),
                         recall_at(ranking, set(judged))])
        means = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
        figures[name] = means[0]
        print(f"  {name:<24} {means[0]:.4f}    {means[1]:.4f}   {means[2]:.4f}")
    return figures
