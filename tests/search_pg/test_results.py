"""What a search on the PostgreSQL backend answers: ranking, all words relaxed to any word,
websearch syntax, filters (picked or typed) and facets, sorting, pages, and snippets marked
and escaped."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup

from kb import db
from kb.articles.models import Article
from kb.db import utcnow
from tests.search_pg.conftest import index, only_on_postgres, titles

pytestmark = only_on_postgres


def test_a_title_match_ranks_above_a_body_match(find, put):
    put("Posting groups explained", "How ledgers are set up.")
    put("Ledger setup", "Posting groups decide the accounts. Posting groups are many.")
    assert titles(find("xtreme", "posting groups")) == ["Posting groups explained",
                                                        "Ledger setup"]


def test_all_words_first_then_any_word_with_more_words_first(find, put):
    put("Heron feeding", "Heron diet and feeding times.")
    put("Heron nesting", "Where herons nest.")
    put("Feeding schedules", "Feeding for every bird.")
    relaxed = find("xtreme", "heron feeding")
    assert relaxed.total == 3 and relaxed.hits[0].title == "Heron feeding"
    # a word no document has leaves the others to find what they can
    assert set(titles(find("xtreme", "heron qwxzv"))) == {"Heron feeding", "Heron nesting"}


def test_websearch_syntax_phrases_and_exclusions(find, put):
    put("Ledger close", "Close the ledger at month end.")
    put("Month end checklist", "The end of the month and the ledger close.")
    assert titles(find("xtreme", '"close the ledger"')) == ["Ledger close"]
    assert titles(find("xtreme", "ledger -checklist")) == ["Ledger close"]
    assert set(titles(find("xtreme", "checklist or close"))) == {"Ledger close",
                                                                 "Month end checklist"}
    assert find("xtreme", "the and of").total == 0  # only stop words: nothing asked


def test_filters_picked_or_typed_and_facets_count_matches(find, put):
    put("Egret imports", "Egret data imports.", products=("Orbit ERP",), kind="how-to",
        versions=("12.0",))
    put("Egret exports", "Egret data exports.", products=("Orbit Analytics",),
        kind="reference")
    put("Egret reports", "Egret reports.", products=("Orbit ERP", "Orbit Analytics"),
        kind="how-to")
    results = find("xtreme", "egret")
    assert results.total == 3
    assert results.facets["product"] == [("orbit-analytics", 2), ("orbit-erp", 2)]
    assert results.facets["kind"] == [("how-to", 2), ("reference", 1)]
    assert results.facets["type"] == [("article", 3)]
    assert results.facets["version"] == [("orbit-erp@12.0", 1)]
    assert set(titles(find("xtreme", "egret", products=("Orbit ERP",)))) == {
        "Egret imports", "Egret reports"}
    assert titles(find("xtreme", "egret kind:reference")) == ["Egret exports"]
    assert titles(find("xtreme", 'egret version:"12.0"')) == ["Egret imports"]
    assert titles(find("xtreme", "egret", versions=("orbit-erp@12.0",))) == ["Egret imports"]
    narrowed = find("xtreme", "egret", kinds=("how-to",), products=("Orbit Analytics",))
    assert (titles(narrowed), narrowed.total) == (["Egret reports"], 1)
    assert narrowed.facets["product"] == [("orbit-analytics", 1), ("orbit-erp", 1)]
    # filters alone, no words
    assert find("xtreme", "", types=("articles",)).total == 3


def test_sorted_by_date_and_paged(find, put, backend):
    ids = [put(f"Ibis note {number}", "Ibis.") for number in range(5)]
    for days, article_id in enumerate(ids):
        db.session.get(Article, article_id).updated_at = utcnow() - timedelta(days=days)
    db.session.commit()
    index(backend, "article", *ids)
    newest_first = find("xtreme", "ibis", sort="date", per_page=2)
    assert (newest_first.total, newest_first.pages, titles(newest_first)) == (
        5, 3, ["Ibis note 0", "Ibis note 1"])
    last = find("xtreme", "ibis", sort="date", per_page=3, page=2)
    assert (last.page, titles(last)) == (2, ["Ibis note 3", "Ibis note 4"])
    past = find("xtreme", "ibis", sort="date", per_page=2, page=9)  # a script's loop ends here
    assert (past.page, past.pages, titles(past)) == (9, 3, [])


def test_snippets_mark_the_words_and_escape_everything_else(find, put):
    put("Kestrel script", 'Kestrel `<script>alert("x")</script>` & friends; a < b kestrel '
        "tips for `<b>bold</b>` birds.")
    hit = find("xtreme", "kestrel").hits[0]
    assert isinstance(hit.snippet, Markup)
    assert "<mark>Kestrel</mark>" in hit.snippet
    assert "<script" not in hit.snippet and "<b>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert str(hit.snippet).replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_snippet_without_a_match_in_the_body_is_the_summary(find, put):
    put("Osprey guide", "Nothing about the bird here.", summary="All <about> ospreys.")
    hit = find("xtreme", "osprey guide").hits[0]
    assert hit.snippet == Markup("All &lt;about&gt; ospreys.")


def test_pages_tile_the_results_beyond_the_ones_ranked_twice(find, put, monkeypatch):
    from kb.search.postgresql import hits

    monkeypatch.setattr(hits, "RERANKED", 3)  # the second ranking stops after three
    for number in range(7):
        put(f"Tern {number}", "Tern " * (number + 1))
    every = titles(find("xtreme", "tern", per_page=7))
    assert len(every) == 7
    paged = [title for page in (1, 2, 3, 4) for title in titles(
        find("xtreme", "tern", per_page=2, page=page))]
    assert paged == every


def test_accents_fold_both_ways_as_on_whoosh(find, put):
    put("Café Müller onboarding", "Open the Zürich office; résumé templates are shared.")
    put("Cafe rota", "Who runs the cafe this week.")
    assert titles(find("xtreme", "muller")) == ["Café Müller onboarding"]
    assert set(titles(find("xtreme", "café"))) == {"Café Müller onboarding", "Cafe rota"}
    assert set(titles(find("xtreme", "cafe"))) == {"Café Müller onboarding", "Cafe rota"}
    found = find("xtreme", "zurich resume")
    assert titles(found) == ["Café Müller onboarding"]
    assert "<mark>Zürich</mark>" in found.hits[0].snippet
    assert "<mark>résumé</mark>" in found.hits[0].snippet
