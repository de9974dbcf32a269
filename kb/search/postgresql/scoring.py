"""How well a document matches the typed words: BM25's shape on PostgreSQL's functions.

``ts_rank`` of one word is a saturating function of how often, and in which field, a document
has it (title and identifiers weigh most); it knows nothing of the rest of the collection, so
a word in most documents ("configure") would count as much as the rare word that names the
subject ("kerberos"). Each word's rank is therefore weighed by its inverse document frequency
(``document_frequencies``: PostgreSQL's own statistics for common words, the index for the
others; nothing kept in step with the writers, the same on every server), and the words'
weighed ranks are summed: a document with more of the words, and rarer ones, comes first.
Tuned on the relevance bench's training split (``bench/relevance.py --engine postgresql
--split train``)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb.search.postgresql.schema import DOCUMENTS

# weights of the D, C, B, A parts of the document vector (unused, body, summary, identifiers
# and title)
WEIGHTS = "{0.05, 0.7, 0.8, 1.0}"
# ts_rank's normalisation of a word's rank: 1 divides it by 1 + the log of the document's
# length
NORMALISATION = 1
# what a word in the title adds to its rank
TITLE_BOOST = 0.75
# a word's tsquery of one plain lexeme, which ANALYZE's statistics may hold
LEXEME = re.compile(r"'([^']+)'")
# the most words ranked (a long description's first ones); beyond them they still match
RANKED_WORDS = 32


@dataclass(frozen=True)
class Scoring:
    """The typed words (tsquery texts) with their weights."""

    words: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()

    def params(self) -> dict[str, str]:
        return {f"scored_{index}": word for index, word in enumerate(self.words)}

    def sql(self, vector: str = "document", query_param: str = "q") -> str:
        """The score of a matching document ``d`` over its ``vector`` (``rank_words``, the
        body's opening, is cheap enough for every match; ``document`` is whole). Without
        words (titles, autocomplete): the cover density of the query ``query_param``."""
        if not self.words:
            query = f"CAST(:{query_param} AS tsquery)"
            return (f"(ts_rank_cd('{WEIGHTS}', d.{vector}, {query}, 1) "
                    f"+ {TITLE_BOOST!r} * ts_rank_cd(d.title_words, {query}))")
        parts = []
        for index, weight in enumerate(self.weights):
            word = f"CAST(:scored_{index} AS tsquery)"
            parts.append(f"{weight!r} * (ts_rank('{WEIGHTS}', d.{vector}, {word}, "
                         f"{NORMALISATION}) + {TITLE_BOOST!r} * ts_rank(d.title_words, {word}))")
        return "(" + " + ".join(parts) + ")"


# the whole query's cover density (titles, autocomplete, a search of only typed filters)
UNSCORED = Scoring()


def scoring(connection: Connection, typed: tuple[str, ...]) -> Scoring:
    """Each word's weight: ``log(1 + (N - n + 0.5) / (n + 0.5))`` for a word in ``n`` of the
    ``N`` documents (BM25's idf, never below zero), times how often it was typed. One word
    alone needs no weight: it orders nothing against another."""
    times = Counter(word for word in typed if not word.startswith("!"))
    words = tuple(times)[:RANKED_WORDS]
    if not words:
        return UNSCORED
    if len(words) == 1:
        return Scoring(words, (float(times[words[0]]),))
    total, found = document_frequencies(connection, words)
    return Scoring(words, tuple(round(times[word] * _idf(total, found[word]), 4)
                                for word in words))


def document_frequencies(connection: Connection, words: tuple[str, ...]
                         ) -> tuple[float, dict[str, float]]:
    """How many documents there are, and how many have each word. A common word's share is
    read from the statistics ANALYZE keeps of the document vectors (its most common lexemes,
    written by every rebuild): counting it would read most of the table. The others, rarer
    than any of those, are counted through the GIN index, as are all of them before the
    table's first ANALYZE."""
    row = connection.execute(text(f"""
SELECT c.reltuples / GREATEST(c.relpages, 1)
           * (pg_relation_size(c.oid) / current_setting('block_size')::int),
       c.relpages, CAST(CAST(s.most_common_elems AS text) AS text[]), s.most_common_elem_freqs
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_stats AS s ON s.schemaname = n.nspname AND s.tablename = c.relname
                        AND s.attname = 'document'
WHERE c.oid = to_regclass('{DOCUMENTS}')""")).first()
    # the documents now, as the planner estimates them: the rows per page ANALYZE counted
    # times the pages the table has today (it may have grown since)
    total, pages, lexemes, shares = row if row else (-1, 0, None, None)
    total = total if pages > 0 else -1
    common = dict(zip(lexemes, shares, strict=False)) if lexemes and total > 0 else {}
    found: dict[str, float] = {}
    for word in words:
        lexeme = LEXEME.fullmatch(word)
        if lexeme and lexeme.group(1) in common:
            found[word] = common[lexeme.group(1)] * total
    counted = [word for word in words if word not in found]
    if counted:
        rows = connection.execute(text(
            f"SELECT (SELECT count(*) FROM {DOCUMENTS}), word, (SELECT count(*) "
            f"FROM {DOCUMENTS} AS d WHERE d.document @@ CAST(word AS tsquery)) "
            "FROM unnest(CAST(:words AS text[])) AS word"), {"words": counted}).all()
        total = total if total > 0 else rows[0][0]
        found.update((word, count) for _, word, count in rows)
    return max(total, *found.values()), found


def _idf(total: float, found: float) -> float:
    return math.log(1 + max(total - found + 0.5, 0) / (found + 0.5))
