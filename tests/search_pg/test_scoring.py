"""How many documents have a word, as the ranking weighs it (``scoring.document_frequencies``):
a common word's share from the statistics ANALYZE keeps (counting it would read most of the
table) of the documents the planner estimates there are, every other word counted through the
index."""

from __future__ import annotations

from sqlalchemy import text

from kb import db
from kb.search.postgresql import schema
from kb.search.postgresql.clauses import word_queries
from kb.search.postgresql.scoring import document_frequencies
from tests.search_pg.conftest import only_on_postgres

pytestmark = only_on_postgres


def frequencies(*words: str) -> tuple[float, dict[str, float]]:
    with db.database().engine.connect() as connection:
        queries = word_queries(connection, list(words))
        total, found = document_frequencies(connection, tuple(queries))
    return total, {word: found[query] for word, query in zip(words, queries, strict=True)}


def analyze() -> None:
    with db.database().engine.begin() as connection:
        connection.execute(text(f"ANALYZE {schema.DOCUMENTS}"))


def test_before_any_analyze_every_word_is_counted(put):
    for number in range(5):
        put(f"Configure printer {number}", "Configure the printer.")
    put("Kerberos", "Tickets; configure their renewal.")
    assert frequencies("configure", "kerberos", "zeppelin") == (
        6, {"configure": 6, "kerberos": 1, "zeppelin": 0})


def test_a_common_word_is_read_from_the_statistics_and_a_new_word_counted(put):
    for number in range(12):
        put(f"Configure printer {number}", "Configure the printer.")
    analyze()
    for number in range(3):  # written after ANALYZE: its statistics do not know them
        put(f"Zeppelin hangar {number}", "Moor the zeppelin.")
    total, found = frequencies("configure", "zeppelin")
    assert total >= 15  # the rows per page ANALYZE saw, times the pages there are now
    # every document had "configure" when ANALYZE looked: as many as there are (counted, it
    # would be the 12 of 15)
    assert found["configure"] == total
    assert found["zeppelin"] == 3  # counted: not among the words ANALYZE saw
