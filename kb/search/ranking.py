"""How results are ranked: BM25F with per-field parameters, a coordination factor for
queries of several words, and a bonus for the words appearing close together. The numbers are
tuned on the shared relevance collections with bench/relevance.py."""

from __future__ import annotations

import re

from whoosh import scoring
from whoosh.query import AndMaybe, Or, Phrase, Query

# how much a document matching more of the query's words gains (whoosh OrGroup factor)
COORDINATION = 0.9
# BM25F: term-frequency saturation, and length normalisation per field
K1 = 1.2
B = 0.75
FIELD_B = {"title_B": 0.5, "summary_B": 0.5}
# the words of a plain query of several words, found together
TITLE_PHRASE_BOOST = 2.0
BODY_PROXIMITY_BOOST = 1.0
BODY_PROXIMITY_SLOP = 5
PLAIN = re.compile(r"^[\w\s.\-]+$")


def weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=B, K1=K1, **FIELD_B)


def _words(schema, fieldname: str, text: str) -> list[str]:
    return [token.text for token in schema[fieldname].analyzer(text)]


def with_proximity(schema, parsed: Query, text: str) -> Query:
    """For plain queries of several words, reward documents where they stand together: an
    optional phrase in the title and a loose phrase in the body."""
    if not PLAIN.match(text) or len(text.split()) < 2:
        return parsed
    bonuses: list[Query] = []
    title_words = _words(schema, "title", text)
    if len(title_words) > 1 and TITLE_PHRASE_BOOST:
        bonuses.append(Phrase("title", title_words, slop=1, boost=TITLE_PHRASE_BOOST))
    body_words = _words(schema, "body", text)
    if len(body_words) > 1 and BODY_PROXIMITY_BOOST:
        bonuses.append(Phrase("body", body_words, slop=BODY_PROXIMITY_SLOP,
                              boost=BODY_PROXIMITY_BOOST))
    return AndMaybe(parsed, Or(bonuses)) if bonuses else parsed
