"""Evaluating a query a segment at a time: every matching document with its score, as Whoosh
scores it, in one pass over whole posting blocks.

The query layer needs every match anyway (totals and facets count them all), and Whoosh's
collectors walk them one document at a time through a tree of matchers, in Python: that walk
was most of a search's time (bench/search.py). Here a word's postings are read a block at a
time into plain lists and scored in a loop, and Or/And/AndMaybe/AndNot combine dictionaries.
Any other query (phrases, prefixes, ranges) is walked with its own Whoosh matcher, so every
query gets the same documents and scores as Whoosh would give it.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, NullQuery, Or, Query, Term
from whoosh.reading import SegmentReader

from kb.search.whoosh import segment_cache
from kb.search.whoosh.bm25f import WordInFields, word_statistics
from kb.search.whoosh.lengths import segment_lengths

Scores = dict[int, float]


def matches(searcher, query: Query, allowed: set[int] | None, weighting=None) -> Scores:
    """Global document number -> score of every document matching ``query`` that ``allowed``
    (global numbers; None for all) lets through, scored by ``weighting`` (the searcher's when
    None)."""
    found: Scores = {}
    weighting = weighting or searcher.weighting
    for subsearcher, offset in searcher.leaf_searchers():
        local = _scores(subsearcher, weighting, query)
        if allowed is None:
            found.update((offset + docnum, score) for docnum, score in local.items())
        else:
            found.update((offset + docnum, score) for docnum, score in local.items()
                         if offset + docnum in allowed)
    return found


def _scores(searcher, weighting, query: Query, within: set[int] | None = None) -> Scores:
    """The matches of ``query`` in one segment; only those in ``within`` when it is given (the
    documents an And has left: their postings are skipped to instead of read whole)."""
    if query is NullQuery:
        return {}
    if isinstance(query, WordInFields) and hasattr(weighting, "fields"):
        return _word_in_fields(searcher, weighting, query, within)
    if type(query) is Term:
        return _term(searcher, weighting, query, query.boost, within)
    if type(query) is Or and query.scale is None:
        combined: Scores = {}
        for subquery in query.subqueries:
            for docnum, score in _scores(searcher, weighting, subquery, within).items():
                combined[docnum] = combined.get(docnum, 0.0) + score
        return _boosted(combined, query.boost)
    if type(query) is And:
        combined = None
        for subquery in sorted(query.subqueries, key=lambda q: _estimate(searcher, q)):
            part = _scores(searcher, weighting, subquery,
                           within if combined is None else set(combined))
            combined = part if combined is None else {
                docnum: score + part[docnum] for docnum, score in combined.items()
                if docnum in part}
        return _boosted(combined or {}, query.boost)
    if type(query) is AndMaybe:
        required = _scores(searcher, weighting, query.a, within)
        optional = _scores(searcher, weighting, query.b, set(required)) if required else {}
        combined = {docnum: score + optional.get(docnum, 0.0)
                    for docnum, score in required.items()}
        return _boosted(combined, query.boost)
    if type(query) is AndNot:
        kept = _scores(searcher, weighting, query.a, within)
        excluded = _scores(searcher, weighting, query.b, set(kept)) if kept else {}
        return _boosted({docnum: score for docnum, score in kept.items()
                         if docnum not in excluded}, query.boost)
    walked = _walked(searcher, query)
    if within is None:
        return walked
    return {docnum: score for docnum, score in walked.items() if docnum in within}


def _estimate(searcher, query: Query) -> float:
    """About how many documents ``query`` matches, to evaluate an And's rarest part first."""
    if type(query) is Term:
        try:
            text = searcher.schema[query.fieldname].to_bytes(query.text)
        except (KeyError, ValueError):
            return 0
        return searcher.doc_frequency(query.fieldname, text)
    if isinstance(query, WordInFields) or type(query) is Or:
        return sum(_estimate(searcher, subquery) for subquery in query.subqueries)
    if type(query) is And:
        return min((_estimate(searcher, subquery) for subquery in query.subqueries), default=0)
    if type(query) in (AndMaybe, AndNot):
        return _estimate(searcher, query.a)
    return float("inf")


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}


def _walked(searcher, query: Query) -> Scores:
    """Any other query: its own Whoosh matcher, walked one document at a time."""
    matcher = query.matcher(searcher, searcher.context())
    scores: Scores = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


# a posting list is skipped through (to each document left) rather than read whole when it
# holds this many times more documents than are left
SKIP_RATIO = 8


def _postings(reader, fieldname: str, text: bytes, within: set[int] | None
              ) -> tuple[list[int], list[float]]:
    """Document numbers and weights of a term in one segment (of those in ``within``)."""
    if isinstance(reader, SegmentReader):  # decoded once per process (segment_cache)
        found = segment_cache.postings(reader, fieldname, text)
        return found.live(reader, within) if found is not None else ([], [])
    if (fieldname, text) not in reader:
        return [], []
    matcher = reader.postings(fieldname, text)
    if within is not None and len(within) * SKIP_RATIO < reader.doc_frequency(fieldname, text):
        return _skipped_to(matcher, within)
    ids, weights = _read_whole(matcher)
    if within is not None:
        kept = [index for index, docnum in enumerate(ids) if docnum in within]
        ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
    return ids, weights


def _skipped_to(matcher, within: set[int]) -> tuple[list[int], list[float]]:
    ids: list[int] = []
    weights: list[float] = []
    for docnum in sorted(within):
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            ids.append(docnum)
            weights.append(matcher.weight())
    return ids, weights


def _read_whole(matcher) -> tuple[list[int], list[float]]:
    """Document numbers and weights of a posting list, read a block at a time."""
    deleted: set[int] = set()
    if isinstance(matcher, FilterMatcher):  # the segment has deleted documents
        deleted, matcher = set(matcher._ids), matcher.child
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        if isinstance(matcher, W3LeafMatcher):
            matcher.id()  # reads the block's ids
            matcher.weight()  # and weights
            ids.extend(matcher._ids[matcher._i:])
            weights.extend(matcher._weights[matcher._i:])
            matcher._next_block()
        else:  # short posting lists are stored inline
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if deleted:
        kept = [index for index, docnum in enumerate(ids) if docnum not in deleted]
        ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
    return ids, weights


def _term(searcher, weighting, term: Term, boost: float, within: set[int] | None) -> Scores:
    """A term scored as Whoosh scores it (its weighting's scorer for the field)."""
    reader = searcher.reader()
    try:
        text = searcher.schema[term.fieldname].to_bytes(term.text)
    except (KeyError, ValueError):
        return {}
    ids, weights = _postings(reader, term.fieldname, text, within)
    if not ids:
        return {}
    scorer = weighting.scorer(searcher, term.fieldname, text)
    lengths = segment_lengths(reader, term.fieldname)
    if lengths is not None and hasattr(scorer, "_score") and hasattr(scorer, "dfl"):
        score = scorer._score
        return {docnum: score(weight, lengths[docnum] or 1) * boost
                for docnum, weight in zip(ids, weights, strict=True)}
    walked = _walked(searcher, term.with_boost(boost))
    return {docnum: walked[docnum] for docnum in ids if docnum in walked}


def _word_in_fields(searcher, weighting, query: WordInFields, within: set[int] | None
                    ) -> Scores:
    """As ``bm25f.WordInFields``: the text fields' occurrences scored as one BM25F word, any
    other subquery adding its own score."""
    together = weighting.fields
    terms = [q for q in query.subqueries if isinstance(q, Term) and q.fieldname in together]
    combined: Scores = {}
    for other in (q for q in query.subqueries if q not in terms):
        for docnum, score in _scores(searcher, weighting,
                                     other.with_boost(other.boost * query.boost), within).items():
            combined[docnum] = combined.get(docnum, 0.0) + score
    if terms:
        for docnum, score in fields_scores(searcher, weighting, terms, query.boost,
                                            within).items():
            combined[docnum] = combined.get(docnum, 0.0) + score
    return combined


def fields_scores(searcher, weighting, terms: list[Term], boost: float,
                   within: set[int] | None) -> Scores:
    """One word in several text fields scored as one BM25F word, for every document of one
    segment (of those in ``within``): ``idf * t * (K1 + 1) / (t + K1)`` where ``t`` adds up
    each field's occurrences times its weight over its length normalisation
    ``1 - B + B * length / average length``. The only place BM25F is computed."""
    parent, reader = searcher.get_parent(), searcher.reader()
    weighted: dict[int, float] = {}
    encoded, idf = word_statistics(searcher, terms, weighting.idf_floor)
    for term, text in encoded:
        ids, weights = _postings(reader, term.fieldname, text, within)
        if not ids:
            continue
        lengths = segment_lengths(reader, term.fieldname)
        field_weight = weighting.fields[term.fieldname] * term.boost
        B = weighting.field_B(term.fieldname)
        fixed, per_word = 1 - B, B / (parent.avg_field_length(term.fieldname) or 1.0)
        # a field holding the word is at least one word long (Whoosh stores lengths lossily)
        contributions = zip(ids, (
            field_weight * weight / (fixed + per_word * (lengths[docnum] or 1))
            for docnum, weight in zip(ids, weights, strict=True)), strict=True)
        if not weighted:
            weighted = dict(contributions)
        else:
            for docnum, contribution in contributions:
                weighted[docnum] = weighted.get(docnum, 0.0) + contribution
    if not weighted:
        return {}
    K1 = weighting.K1
    scale = idf * boost * (K1 + 1)
    return {docnum: scale * t / (t + K1) for docnum, t in weighted.items()}
