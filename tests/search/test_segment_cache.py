"""What searches keep per process: decoded postings and stored fields by segment (they outlive
a commit that leaves their segment in place, and never show a document deleted since), gate
sets shared by the threads, and snippets that read only the words starting like a term."""

from __future__ import annotations

import threading

from kb.search.whoosh import gates, index, segment_cache, snippets, warming
from kb.search.whoosh.schema import normalized
from tests.engines import whoosh_only
from tests.search.conftest import titles

# Whoosh's own machinery, whichever engine the run chooses for the others
pytestmark = whoosh_only


def counting(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)

    def counted(*arguments, **keywords):
        calls.append(arguments)
        return real(*arguments, **keywords)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_document_changed_after_its_postings_were_kept_is_found_as_it_is_now(
        reader, publish):
    publish("Heron guide", "Herons wade.", slug="heron-guide")
    publish("Heron care", "Herons eat fish.", slug="heron-care")
    staff, elite = reader("staff"), reader("elite")
    assert sorted(titles(staff, "heron")) == ["Heron care", "Heron guide"]
    assert sorted(titles(elite, "heron")) == ["Heron care", "Heron guide"]
    # the old document is deleted in the segment whose postings are kept, a new one written
    publish("Egret care", "Egrets eat fish.", slug="heron-care")
    publish("Heron guide", "Herons wade.", slug="heron-guide", status="draft")
    assert titles(staff, "heron") == ["Heron guide"]  # staff read drafts too
    assert titles(elite, "heron") == []
    assert titles(elite, "egret") == ["Egret care"]


def test_decoded_postings_outlive_a_commit_that_keeps_their_segment(
        reader, publish, monkeypatch):
    publish("Kestrel guide", "All about kestrels.")
    staff = reader("staff")
    assert titles(staff, "kestrel") == ["Kestrel guide"]
    publish("Falcon guide", "All about falcons.")  # a new segment beside the first
    decoded = counting(monkeypatch, segment_cache, "_read_postings")
    assert titles(staff, "kestrel") == ["Kestrel guide"]
    kept_segments = {reader_._segid for reader_, *_ in decoded}
    first = index.searcher().reader()
    leaves = [leaf for leaf, _ in first.leaf_readers()]
    assert len(leaves) >= 2
    assert leaves[0]._segid not in kept_segments  # the first segment was not decoded again


def test_the_threads_of_a_process_share_gate_sets(reader, publish, monkeypatch, app):
    publish("Osprey guide", "All about ospreys.")
    elite = reader("elite")
    assert titles(elite, "osprey") == ["Osprey guide"]
    computed = counting(monkeypatch, gates, "_documents")
    found = []

    def search_in_another_thread():
        with app.app_context():
            found.append(titles(reader("elite"), "osprey"))
            index.close_searcher()

    worker = threading.Thread(target=search_in_another_thread)
    worker.start()
    worker.join()
    assert found == [["Osprey guide"]]
    assert computed == []


TEXTS = [
    "Configuring the server: configure, configured, CONFIGURATION and reconfigure.",
    "Capability and capabilities; queries, query and queried; sharing what was shared.",
    "fully_capability, probability and sensitivity; troubled hopping ratings.",
    "Version 12.0.1 is not 12.0, and 2026.1 has 2026 in it; v2.1.3 and CU1 too.",
    "a.1.2 end.Next x1.b y_1.2 12..0 _private __init__ 0.5",
    "Café, naïve façade: accents fold (résumé, resume).",
    "“Quoted” — dashes and ’apostrophes’ around plain words such as backup and restore.",
]


def test_snippets_mark_the_same_words_however_the_text_is_read():
    for text in TEXTS:
        words = snippets.WORD.findall(text)
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                terms = frozenset(form for form in map(normalized, words[start:start + size])
                                  if form)
                expected = snippets._matches_word_by_word(text, terms)
                if text.isascii():
                    assert snippets._matches_by_prefix(text, text.lower(), terms) == expected
                marked = snippets._matches(text, terms)
                assert marked == expected[:len(marked)]
                assert {form for *_, form in marked} == {form for *_, form in expected}


def test_a_word_whose_stem_replaces_its_last_letters_is_marked():
    marked = snippets.snippet("Its capability was limited.", frozenset({normalized("capable")}))
    assert "<mark>capability</mark>" in marked


def test_a_warmed_worker_reads_no_stored_fields_for_its_first_searches(
        reader, publish, monkeypatch):
    publish("Plover guide", "All about plovers.")
    publish("Plover care", "Plovers eat worms.")
    segment_cache.clear()
    warming.warm()
    read = counting(monkeypatch, segment_cache.SegmentReader, "stored_fields")
    assert sorted(titles(reader("elite"), "plover")) == ["Plover care", "Plover guide"]
    assert read == []
