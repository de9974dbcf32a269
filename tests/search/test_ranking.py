"""Ranking through the real stack (import or service, index, query layer): known items are found
first from their description, words are scored once over the fields, dashed words match their
parts, stop words are never required, a word typed twice weighs twice."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from whoosh.query import Term

from kb.articles.importing.importer import import_paths
from kb.search.whoosh import index
from kb.search.whoosh.bm25f import WordInFields
from tests.engines import both_search_backends, whoosh_only
from tests.search.conftest import titles

pytestmark = both_search_backends

DESCRIPTIONS = {
    "germany/process-for-digital-audits.md": (
        "Digital audits in Germany",
        "Export data according to the digital audit process (GoBD/GDPdU) based on German tax "
        "law."),
    "germany/export-data-for-a-digital-audit.md": (
        "Export data for a digital audit",
        "Learn how to export data for a digital audit of your German company."),
    "wmi/sslbinding-class.md": (
        "SSLBinding class",
        "Describes the SSLBinding class and provides the class' syntax, methods, properties, "
        "and requirements."),
    "wmi/siteusessslbinding-class.md": (
        "SiteUsesSSLBinding class",
        "Describes the SiteUsesSSLBinding class and provides the class' syntax and methods."),
}


@pytest.fixture
def imported(app_context, tmp_path: Path) -> None:
    """A few articles as documentation sets write them, imported as ``kb import`` does."""
    folder = tmp_path / "docs"
    for relative, (title, description) in DESCRIPTIONS.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(f"""\
            ---
            title: {title}
            description: "{description}"
            ---
            # {title}

            Data, audit, export, class, syntax and methods, as reference pages have them.
            """))
    assert import_paths([folder]).committed


@pytest.mark.parametrize("relative", list(DESCRIPTIONS))
def test_a_description_finds_its_article_first(reader, imported, relative):
    # with stop words, parentheses and an apostrophe: none of them may be required or read
    # as query syntax that stops the search from relaxing to any of the words
    title, description = DESCRIPTIONS[relative]
    assert titles(reader("staff"), description)[:1] == [title]


@whoosh_only
def test_a_word_in_several_fields_saturates_once(app_context, publish):
    # Whoosh's own BM25F adds a full score per field: about three times the body's alone here
    publish("Turbine turbine", "Turbine " * 40, summary="Turbine turbine turbine")
    publish("Pumps", "Pumps and valves.")
    searcher = index.searcher()
    every_field = WordInFields([Term(name, "turbin") for name in ("title", "summary", "body")])
    [combined] = searcher.search(every_field)
    [body_only] = searcher.search(WordInFields([Term("body", "turbin")]))
    assert body_only.score < combined.score < 1.2 * body_only.score


def test_dashed_words_match_their_parts_both_ways(reader, publish):
    publish("Laminar flow", "The boundary-layer thickens downstream.")
    publish("Separation", "Where the boundary layer separates from the wing.")
    publish("Cooling", "Film cooling of turbine blades.")
    staff = reader("staff")
    assert set(titles(staff, "boundary layer")) == {"Laminar flow", "Separation"}
    assert set(titles(staff, "boundary-layer")) == {"Laminar flow", "Separation"}
    assert titles(staff, '"boundary layer separates"') == ["Separation"]


def test_stop_words_are_never_required(reader, publish):
    publish("Posting dates", "Choose the posting date of a journal.")
    publish("Journal lines", "Lines of a journal.")
    # a phrase keeps every word required (no second search for any of them): "of" and "the"
    # must not be required anywhere, not even as identifiers
    assert titles(reader("staff"), '"posting date" of the journal') == ["Posting dates"]


def test_a_word_typed_twice_weighs_twice(reader, publish):
    # the same length and rarity; the first one written wins a tie
    publish("Theory", "A theory of wings.")
    publish("Membrane", "A membrane of wings.")
    for number in range(8):
        publish(f"Filler {number}", f"Pumps and valves {number}.")
    assert titles(reader("staff"), "membrane theory of a membrane")[0] == "Membrane"
    assert titles(reader("staff"), "theory membrane of a theory")[0] == "Theory"


def test_a_rare_word_weighs_more_than_common_ones(reader, publish):
    # "configure" and "printers" are in most articles, "kerberos" in one: the article about
    # it comes first, though another has two of the words in its title
    publish("Configure printers", "Configure the printers of each site.")
    publish("Kerberos sign-in", "Tickets expire after ten hours; configure their renewal.")
    for topic in ("mail", "backups", "users", "reports", "taxes", "ledgers"):
        publish(f"Configure {topic}", f"Configure {topic} and the printers they use.")
    assert titles(reader("staff"), "configure printers kerberos")[0] == "Kerberos sign-in"


def test_a_version_is_found_whole_and_by_its_parts(reader, publish):
    publish("Orbit 12.0 released", "Cumulative update CU1 of version 12.0 fixes posting.")
    publish("Twelve items", "Pick 12 lines and 0 returns from the 2026 list.")
    publish("Orbit 2026.1", "The 2026.1 wave brings new reports; CU2 follows.")
    staff = reader("staff")
    # whole: a 12 and a 0 apart are not version 12.0
    assert titles(staff, "12.0") == ["Orbit 12.0 released"]
    assert titles(staff, "2026.1") == ["Orbit 2026.1"]
    assert titles(staff, "CU1") == ["Orbit 12.0 released"]
    assert titles(staff, '"version 12.0 fixes"') == ["Orbit 12.0 released"]
    # by its parts: 2026 finds the 2026 list and the 2026.1 wave
    assert set(titles(staff, "2026")) == {"Twelve items", "Orbit 2026.1"}
    assert set(titles(staff, "12")) == {"Twelve items", "Orbit 12.0 released"}
