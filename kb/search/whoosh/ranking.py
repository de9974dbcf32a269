"""How results are ranked: BM25F over the title, summary and body (a typed word is scored once
over the three, ``kb.search.whoosh.bm25f``), identifiers boosted on their own, and for questions of
several words the telling words of the first results added to the query (pseudo-relevance
feedback).

The numbers were tuned with bench/relevance.py on its train split only (Cranfield nDCG@10 and
known-item search on the shared articles without their descriptions), with one setting for
both; see the comments for what each one does."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from math import log2

from whoosh.qparser import syntax
from whoosh.query import AndMaybe, Or, Query, Term

from kb.search.whoosh import evaluate
from kb.search.whoosh.bm25f import FieldsBM25F, WordInFields, weigh_repeated_words

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
# a question of several words ("what ... of ... under ...") names its subject with several
# words: its words saturate sooner, and a document with more of them counts more, whatever
# their rarity (each word's idf is raised by this floor; the default weighting's is 1)
QUESTION_K1 = 2.0
QUESTION_IDF_FLOOR = 2.0
# query syntax that makes a query more than a list of words (parentheses alone only group
# words, and an apostrophe is part of one: "(SSI)" or "the class' methods" stay plain words)
OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[\"*]")
# a word as typed, between spaces: KB-1042 or boundary-layer is one
TYPED_WORD = re.compile(r"\S*\w\S*")


def weighting() -> FieldsBM25F:
    return FieldsBM25F(FIELD_WEIGHTS, B=B, K1=K1, **FIELD_B)


def weighting_for(text: str) -> FieldsBM25F | None:
    """The weighting of a question's words; None for the default."""
    if not asks_question(text):
        return None
    return FieldsBM25F(FIELD_WEIGHTS, B=B, K1=QUESTION_K1, idf_floor=QUESTION_IDF_FLOOR,
                       **FIELD_B)


class WordGroup(syntax.OrGroup):
    """The query parser's group for one typed word looked for in several fields."""

    qclass = WordInFields


def parse(parser, text: str) -> Query:
    """The parsed query, a word typed twice weighing twice."""
    return weigh_repeated_words(parser.parse(text, normalize=False)).normalize()


# pseudo-relevance feedback: for questions of several words, the most telling body words of
# the first results (Bo1 model) re-rank the documents that match the typed words. Only for a
# question ("what is ...", "how can ...", "...?"): a question asks about a subject, which the
# first results' shared words fill in; a description of one article ("Learn how to ...") is
# pulled by them towards its neighbours (on the train split, feedback for every long query took
# 0.10 off the known-item MRR@10)
QUESTION = re.compile(r"\s*(what|how|why|which|who|whom|whose|where|can|could|does|do|did|is|"
                      r"are|was|were|has|have|had|should|would|will|shall|may|might)\b", re.I)
FEEDBACK_MIN_WORDS = 4
FEEDBACK_DOCUMENTS = 8
# a word must be in this many of those documents: one long result cannot steer the query
FEEDBACK_MIN_DOCUMENTS = 3
FEEDBACK_TERMS = 20
# weight of the most telling word, as a fraction of a typed word's
FEEDBACK_WEIGHT = 1.0


def asks_question(text: str) -> bool:
    """Whether ``text`` is a question of several words (the queries feedback helps)."""
    return (len(TYPED_WORD.findall(text)) >= FEEDBACK_MIN_WORDS
            and (QUESTION.match(text) is not None or text.rstrip().endswith("?")))


def with_feedback(searcher, parsed: Query, text: str, allowed: set[int] | None) -> Query:
    """``parsed`` with the key words of its own top results as optional extra words, scored
    like typed ones. Runs inside the reader's gate (``allowed``: global document numbers, None
    for all), so the extra words come only from documents they may read. Costs a first search
    and reading the bodies of its FEEDBACK_DOCUMENTS best results."""
    if FEEDBACK_WEIGHT <= 0 or not asks_question(text):
        return parsed
    found = evaluate.matches(searcher, parsed, allowed, weighting_for(text))
    first = heapq.nsmallest(FEEDBACK_DOCUMENTS, found, key=lambda docnum: (-found[docnum], docnum))
    if not first:
        return parsed
    terms = key_terms(searcher, first)
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
