"""The segment-at-a-time evaluator finds exactly the documents Whoosh's own matchers find, with
the same scores, for every shape of query the parser makes (words in several fields, phrases,
prefixes, NOT, groups, field filters), across segments with deleted documents, whether an And's
later parts read their postings whole or skip to the documents left."""

from __future__ import annotations

import pytest
from whoosh.query import NullQuery, Term

from kb.search.whoosh import evaluate, index
from kb.search.whoosh.parsing import parse_text
from tests.engines import whoosh_only
from tests.search import writer

# Whoosh's own machinery, whichever engine the run chooses for the others
pytestmark = whoosh_only

QUERIES = [
    "turbine", "turbine blade", "Turbine blades cooling film", "blade*", '"film cooling"',
    "cooling NOT film", "(vane OR blade) AND cooling", "pump -valve", "title:pumps",
    "boundary-layer", "erp-4802", "the", "nothing-like-this", "a turbine pump valve blade vane",
]


@pytest.fixture
def articles(app_context):
    bodies = ["Film cooling of turbine blades.", "Turbine vanes need cooling too.",
              "Pumps and valves, and a turbine pump.", "The boundary-layer over a blade.",
              "Fix ERP-4802: valves stick.", "Cooling without film: pumps circulate water."]
    ids = [writer.publish(f"Note {number}", body, summary=f"About {body.split()[0]}")
           for number, body in enumerate(bodies)]
    writer.publish("Note 1", "Turbine vanes, rewritten: cooling by film.", slug="note-1")
    writer.delete(ids[3])  # a deleted document left in a segment
    for number in range(6):
        writer.publish(f"Extra {number}", f"Turbine pump number {number} with blade cooling.")
    return ids


def test_matches_and_scores_are_whooshs_own(articles, monkeypatch):
    """Every query in each of its forms, on one index (building it is most of the cost: one
    test per query built it fourteen times)."""
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) > 1  # several segments, one with a deletion
    for text in QUERIES:
        for every_word in (True, False):
            for skip_ratio in (evaluate.SKIP_RATIO, 0):  # 0: always skip to documents
                monkeypatch.setattr(evaluate, "SKIP_RATIO", skip_ratio)
                query, _ = parse_text(searcher, text, every_word=every_word)
                if query is NullQuery:
                    continue
                ours = evaluate.matches(searcher, query, allowed=None)
                whooshs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
                form = f"{text!r}, every_word={every_word}, skip_ratio={skip_ratio}"
                assert ours.keys() == whooshs.keys(), form
                for docnum, score in whooshs.items():
                    assert ours[docnum] == pytest.approx(score, rel=1e-9), form


def test_only_allowed_documents_are_matched(articles):
    searcher = index.searcher()
    query, _ = parse_text(searcher, "turbine", every_word=False)
    every = evaluate.matches(searcher, query, allowed=None)
    allowed = set(sorted(every)[::2])
    assert evaluate.matches(searcher, query, allowed=allowed).keys() == allowed


def test_a_word_in_several_fields_scores_as_one_bm25f_word(articles):
    """BM25F computed here by hand from the index's statistics: the occurrences of a word in
    the title, summary and body add up (each weighted and length-normalised) and saturate once."""
    from math import log

    from kb.search.whoosh import ranking
    from kb.search.whoosh.bm25f import WordInFields

    searcher = index.searcher()
    weighting = ranking.weighting()
    terms = [Term(field, "turbin") for field in ranking.FIELD_WEIGHTS]
    scores = evaluate.matches(searcher, WordInFields(terms), allowed=None, weighting=weighting)
    reader = searcher.reader()
    frequency = max(reader.doc_frequency(term.fieldname, "turbin") for term in terms)
    idf = log(reader.doc_count_all() / (frequency + 1)) + weighting.idf_floor
    assert scores
    for docnum, score in scores.items():
        saturating = 0.0
        for term in terms:
            postings = dict(reader.postings(term.fieldname, "turbin").items_as("weight")) \
                if (term.fieldname, "turbin") in reader else {}
            if docnum not in postings:
                continue
            B = weighting.field_B(term.fieldname)
            length = max(searcher.doc_field_length(docnum, term.fieldname, 1), 1)
            normalisation = 1 - B + B * length / searcher.avg_field_length(term.fieldname)
            saturating += ranking.FIELD_WEIGHTS[term.fieldname] * postings[docnum] / normalisation
        expected = idf * saturating * (weighting.K1 + 1) / (saturating + weighting.K1)
        assert score == pytest.approx(expected, rel=1e-6)
