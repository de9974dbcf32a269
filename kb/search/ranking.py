"""How results are ranked: BM25F over the title, summary and body (a typed word is scored once
over the three, ``kb.search.bm25f``), identifiers boosted on their own, and for questions of
several words the telling words of the first results added to the query (pseudo-relevance
feedback).

The numbers were tuned with bench/relevance.py on its train split only (Cranfield nDCG@10 and
known-item search on the shared articles without their descriptions), with one setting for
both; see the comments for what each one does."""

from __future__ import annotations

import re
from collections import Counter
from math import log2

from whoosh.qparser import syntax
from whoosh.query import AndMaybe, Or, Query, Term

from kb.search.bm25f import FieldsBM25F, WordInFields, weigh_repeated_words

# the text fields a typed word is scored over together, with the weight of an occurrence in
# each: a word of the title or the summary (the description) says more than one of the body
FIELD_WEIGHTS = {"title": 6.0, "summary": 3.0, "body": 1.0}
# identifiers (slugs, tags, fixed-issue numbers) match whole words only and score on their own
FIELD_BOOSTS = {"identifiers": 3.0}
# BM25F: term-frequency saturation (late: a word the body repeats is what it is about), and
# length normalisation per field (short fields such as titles are normalised less)
K1 = 4.0
B = 0.75
FIELD_B = {"title_B": 0.5, "summary_B": 0.5}
# query syntax that makes a query more than a list of words (parentheses alone only group
# words, and an apostrophe is part of one: "(SSI)" or "the class' methods" stay plain words)
OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[\"*]")
# a word as typed, between spaces: KB-1042 or boundary-layer is one
TYPED_WORD = re.compile(r"\S*\w\S*")


def weighting() -> FieldsBM25F:
    return FieldsBM25F(FIELD_WEIGHTS, B=B, K1=K1, **FIELD_B)


class WordGroup(syntax.OrGroup):
    """The query parser's group for one typed word looked for in several fields."""

    qclass = WordInFields


def parse(parser, text: str) -> Query:
    """The parsed query, a word typed twice weighing twice."""
    return weigh_repeated_words(parser.parse(text, normalize=False)).normalize()


# pseudo-relevance feedback: for questions of several words, the most telling body words of
# the first results (Bo1 model) re-rank the documents that match the typed words
FEEDBACK_MIN_WORDS = 4
FEEDBACK_DOCUMENTS = 8
# a word must be in this many of those documents: one long result cannot steer the query
FEEDBACK_MIN_DOCUMENTS = 3
FEEDBACK_TERMS = 20
# weight of the most telling word, as a fraction of a typed word's. Off: on the train split it
# added 0.01 to Cranfield's nDCG@10 but took 0.10 off the known-item MRR@10 (a customer's
# description of one article is pulled towards its neighbours' words)
FEEDBACK_WEIGHT = 0.0


def with_feedback(searcher, parsed: Query, text: str, allowed) -> Query:
    """``parsed`` with the key words of its own top results as optional extra words, scored
    like typed ones. Runs inside the reader's gate, so the extra words come only from
    documents they may read. Costs a first search of FEEDBACK_DOCUMENTS results and reading
    their bodies."""
    if FEEDBACK_WEIGHT <= 0 or len(TYPED_WORD.findall(text)) < FEEDBACK_MIN_WORDS:
        return parsed
    first = searcher.search(parsed, limit=FEEDBACK_DOCUMENTS, filter=allowed)
    if first.is_empty():
        return parsed
    terms = key_terms(searcher, [hit.docnum for hit in first])
    if not terms:
        return parsed
    extra = Or([WordInFields([Term(fieldname, term) for fieldname in FIELD_WEIGHTS],
                             boost=FEEDBACK_WEIGHT * weight) for term, weight in terms])
    return AndMaybe(parsed, extra)


def key_terms(searcher, docnums: list[int]) -> list[tuple[str, float]]:
    """The FEEDBACK_TERMS body words that best tell these documents from the collection (Bo1
    divergence from randomness), each with its weight relative to the best one's."""
    reader = searcher.reader()
    field = searcher.schema["body"]
    in_top: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for docnum in docnums:
        words = Counter(field.analyzer.words(reader.stored_fields(docnum).get("body") or ""))
        in_top.update(words)
        documents.update(words.keys())
    count = reader.doc_count_all() or 1
    scores = {}
    for word, weight in in_top.items():
        frequency = reader.frequency("body", field.to_bytes(word))
        if documents[word] >= FEEDBACK_MIN_DOCUMENTS and frequency:
            mean = frequency / count
            scores[word] = weight * log2((1 + mean) / mean) + log2(1 + mean)
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:FEEDBACK_TERMS]
    return [(word, score / best[0][1]) for word, score in best] if best else []
