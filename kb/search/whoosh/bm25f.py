"""BM25F: a typed word is scored once over the text fields together. Each field's occurrences
count with the field's weight and length normalisation, and the sum saturates once, so a word
found in the title and the body counts more than in the body alone, but not twice over.
(Whoosh's own BM25F scores every field as a separate term and adds the scores up: a common
word then scores again in every field it is in.)"""

from __future__ import annotations

import copy
from math import log

from whoosh import matching, scoring
from whoosh.matching import mcore
from whoosh.query import And, NullQuery, Or, Query, Term
from whoosh.query.compound import CompoundQuery


class FieldsBM25F(scoring.BM25F):
    """Whoosh's BM25F for every other query, with the parameters WordInFields reads."""

    def __init__(self, fields: dict[str, float], B: float, K1: float, idf_floor: float = 1.0,
                 **field_B: float):
        super().__init__(B=B, K1=K1, **field_B)
        self.fields = fields  # the text fields scored together: name -> weight
        # added to every word's idf: how much matching one more of the typed words counts
        # beside how rare the word is (Whoosh's BM25F adds 1)
        self.idf_floor = idf_floor

    def field_B(self, fieldname: str) -> float:
        return self._field_B.get(fieldname, self.B)


class WordInFields(CompoundQuery):
    """One typed word looked for in several fields (the Whoosh query parser's "group" for a
    word of a multi-field search): ``Term`` per field. Terms of the fields the weighting scores
    together are scored as one BM25F word; any other subquery (an identifier, a phrase, a
    prefix) adds its own score."""

    JOINT = " OR "

    def normalize(self) -> Query:
        subqueries = [query.normalize() for query in self.subqueries]
        subqueries = list(dict.fromkeys(q for q in subqueries if q is not NullQuery))
        if not subqueries:
            return NullQuery
        regrouped = _regroup_tokens(subqueries, self.boost)
        if regrouped is not None:
            return regrouped
        return self.__class__(subqueries, boost=self.boost)

    def requires(self):
        return self.subqueries[0].requires() if len(self.subqueries) == 1 else set()

    def matcher(self, searcher, context=None):
        weighting = context.weighting if context is not None else searcher.weighting
        together = getattr(weighting, "fields", {})
        terms = [q for q in self.subqueries
                 if isinstance(q, Term) and q.fieldname in together]
        others = [q for q in self.subqueries if q not in terms]
        matchers = [q.with_boost(q.boost * self.boost).matcher(searcher, context)
                    for q in others]
        if terms:
            matchers.append(_fields_matcher(searcher, weighting, terms, self.boost))
        matchers = [m for m in matchers if m.is_active()]
        if not matchers:
            return matching.NullMatcher()
        return _union(matchers)


def weigh_repeated_words(query: Query) -> Query:
    """A word typed twice among its neighbours (a long question names its subject again)
    counts twice: the repeats become one word with their number as its boost. Whoosh's
    normalisation would otherwise drop them as duplicates. Call before ``normalize()``."""
    if isinstance(query, WordInFields) or not isinstance(query, (And, Or)):
        return query
    counted: dict[Query, int] = {}
    for subquery in query.subqueries:
        subquery = weigh_repeated_words(subquery)
        counted[subquery] = counted.get(subquery, 0) + 1
    subqueries = [subquery.with_boost(subquery.boost * count) if count > 1 else subquery
                  for subquery, count in counted.items()]
    weighed = copy.copy(query)  # keeps the query's other settings
    weighed.subqueries = subqueries
    return weighed


def _union(matchers: list) -> mcore.Matcher:
    while len(matchers) > 1:
        matchers = [matching.UnionMatcher(matchers[i], matchers[i + 1])
                    if i + 1 < len(matchers) else matchers[i]
                    for i in range(0, len(matchers), 2)]
    return matchers[0]


def _regroup_tokens(subqueries: list[Query], boost: float) -> Query | None:
    """A word the analyzer splits (``boundary-layer``, ``10.2``) arrives as an And/Or of terms
    per field; regroup it as an And/Or of words, each in every field, so that each part is
    scored as a word. Subqueries of other shapes (an identifier kept whole) stay beside it."""
    split = [q for q in subqueries if isinstance(q, (And, Or)) and not isinstance(q, WordInFields)
             and all(isinstance(part, Term) for part in q.subqueries)]
    if not split:
        return None
    kind = type(split[0])
    texts = [part.text for part in split[0].subqueries]
    if any(type(q) is not kind or [part.text for part in q.subqueries] != texts for q in split):
        return None
    words = kind([WordInFields([q.subqueries[i] for q in split], boost=boost)
                  for i in range(len(texts))])
    rest = [q.with_boost(q.boost * boost) for q in subqueries if q not in split]
    return Or([words, *rest]) if rest else words


def word_statistics(searcher, terms: list[Term], idf_floor: float = 1.0
                    ) -> tuple[list[tuple[Term, bytes]], float]:
    """The terms of one word (one per field) with their indexed bytes, and the word's idf. The
    statistics are the whole index's, so that every segment (``searcher``) scores a word alike."""
    parent = searcher.get_parent()
    encoded, document_frequency = [], 0
    for term in terms:
        try:
            text = searcher.schema[term.fieldname].to_bytes(term.text)
        except ValueError:
            continue
        document_frequency = max(document_frequency, parent.doc_frequency(term.fieldname, text))
        encoded.append((term, text))
    if not document_frequency:  # no document has the word: nothing will be scored
        return encoded, 0.0
    # how many documents have the word in any of the fields is not stored; the largest of the
    # fields' counts is a close lower bound (Lucene's CombinedFieldQuery takes it too)
    idf = log(parent.doc_count_all() / (document_frequency + 1)) + idf_floor  # Whoosh's: 1
    return encoded, idf


def _fields_matcher(searcher, weighting: FieldsBM25F, terms: list[Term], boost: float):
    """The matcher of one word in one segment (``searcher``), over the scores the query layer
    gives every document (``evaluate.fields_scores``): BM25F is computed in one place."""
    from kb.search.whoosh import evaluate  # evaluate reads this module's queries

    scores = evaluate.fields_scores(searcher, weighting, terms, boost, None)
    if not scores:
        return matching.NullMatcher()
    ids = sorted(scores)
    return matching.ListMatcher(ids, weights=[scores[docnum] for docnum in ids])
