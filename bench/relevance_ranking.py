"""The rankings the relevance bench compares (kb's query layer, plain BM25 with SQLite FTS5) and
the measures of a ranking (bench/relevance.py)."""

from __future__ import annotations

import math
import re
import sqlite3

from bench.relevance_loading import indexed_texts, staff_reader

__all__ = ["Fts5", "average_precision", "indexed_texts", "kb_ranking", "ndcg_at", "recall_at"]

# what the API accepts (kb.search.params.MAX_QUERY_CHARACTERS)
QUERY_CHARACTERS = 500


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
