""""Did you mean": each word no readable document has is replaced by the most similar word
(pg_trgm) of ``search_words`` that a readable document has. A word only readers of other
items could know is never offered."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb.search.postgresql.clauses import Clause
from kb.search.postgresql.schema import DOCUMENTS, STEMMED, WORDS, trigram_schema

# a word worth correcting: three letters or more, no digits, not a prefix*
CORRECTABLE = re.compile(r"(?<![\w*])[^\W\d_]{3,}(?![\w*])")
CANDIDATES = 5


def suggestion(connection: Connection, readable: Clause, typed: str) -> str | None:
    """The typed text with its unknown words corrected; None when nothing changes (or
    pg_trgm is not installed)."""
    trigrams = trigram_schema(connection)
    if trigrams is None:
        return None
    changed = False

    def correct(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word.isupper():
            return word
        found = _correction(connection, trigrams, readable, word.lower())
        if found is None:
            return word
        changed = True
        return found

    corrected = CORRECTABLE.sub(correct, typed)
    return " ".join(corrected.split()) if changed else None


def _correction(connection: Connection, trigrams: str, readable: Clause, word: str
                ) -> str | None:
    """A readable word like ``word``; None when ``word`` itself is readable or none is."""
    known = f"""EXISTS (SELECT 1 FROM {DOCUMENTS} AS d WHERE ({readable.sql})
                  AND d.document @@ plainto_tsquery('{STEMMED}', {{word}}))"""
    return connection.scalar(text(f"""
SELECT CASE WHEN {known.format(word=':word')} THEN NULL ELSE (
    SELECT candidate.word FROM (
        SELECT word, {trigrams}.similarity(word, :word) AS likeness FROM {WORDS}
        WHERE word OPERATOR({trigrams}.%) :word AND word <> :word
        ORDER BY likeness DESC, word LIMIT {CANDIDATES}) AS candidate
    WHERE {known.format(word='candidate.word')}
    ORDER BY candidate.likeness DESC, candidate.word LIMIT 1) END"""),
        {**readable.params, "word": word})
