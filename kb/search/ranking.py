"""How results are ranked: BM25F with per-field parameters, a coordination factor for
queries of several words, and a bonus for the words appearing close together. The numbers are
tuned on the shared relevance collections with bench/relevance.py."""

from __future__ import annotations

import re

from whoosh import scoring
from whoosh.query import AndMaybe, Or, Phrase, Query, Term

# weight of a match in each field the typed words are looked for in
FIELD_BOOSTS = {"title": 1.0, "summary": 1.0, "body": 1.0, "identifiers": 3.0}
# how much a document matching more of the query's words gains (whoosh OrGroup factor)
COORDINATION = 0.9
# BM25F: term-frequency saturation, and length normalisation per field
K1 = 1.6
B = 0.75
FIELD_B = {"title_B": 0.5, "summary_B": 0.5}
# the words of a plain query of several words, found together
TITLE_PHRASE_BOOST = 0.0
BODY_PROXIMITY_BOOST = 0.0
BODY_PROXIMITY_SLOP = 5
# query syntax that makes a query more than a list of words
OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[\"'()*]")
PLAIN_WORD = re.compile(r"\w+")


def weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=B, K1=K1, **FIELD_B)


def _words(schema, fieldname: str, text: str) -> list[str]:
    return [token.text for token in schema[fieldname].analyzer(text)]


def with_proximity(schema, parsed: Query, text: str) -> Query:
    """For plain queries of several words, reward documents where neighbouring words of the
    query stand together: each adjacent pair as a loose phrase in the title and the body."""
    if OPERATOR.search(text) or len(text.split()) < 2:
        return parsed
    bonuses: list[Query] = []
    for fieldname, boost, slop in (("title", TITLE_PHRASE_BOOST, 1),
                                   ("body", BODY_PROXIMITY_BOOST, BODY_PROXIMITY_SLOP)):
        words = _words(schema, fieldname, text)
        if boost:
            bonuses.extend(Phrase(fieldname, pair, slop=slop, boost=boost)
                           for pair in dict.fromkeys(zip(words, words[1:], strict=False))
                           if pair[0] != pair[1])
    return AndMaybe(parsed, Or(bonuses)) if bonuses else parsed


# pseudo-relevance feedback: for questions of several words, the most telling body words of
# the first results (Bo1 model) re-rank the documents that match the typed words
FEEDBACK_MIN_WORDS = 4
FEEDBACK_DOCUMENTS = 10
FEEDBACK_TERMS = 20
FEEDBACK_WEIGHT = 3.0


def with_feedback(searcher, parsed: Query, text: str, allowed) -> Query:
    """``parsed`` with the key terms of its own top results as optional extra words. Runs
    inside the reader's gate, so the extra words come only from documents they may read."""
    if FEEDBACK_WEIGHT <= 0 or len(PLAIN_WORD.findall(text)) < FEEDBACK_MIN_WORDS:
        return parsed
    first = searcher.search(parsed, limit=FEEDBACK_DOCUMENTS, filter=allowed)
    if first.is_empty():
        return parsed
    documents = [hit.docnum for hit in first]
    terms = searcher.key_terms(documents, "body", numterms=FEEDBACK_TERMS)
    if not terms:
        return parsed
    extra = Or([Term("body", term, boost=FEEDBACK_WEIGHT * weight) for term, weight in terms])
    return AndMaybe(parsed, extra)
