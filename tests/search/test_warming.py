"""A server worker warmed before it serves: its first searches decode no postings, its threads
share what is read from whole segments, words a segment lacks are kept nowhere, and every
request thread has its searcher open."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from whoosh.reading import MultiReader, SegmentReader

from kb import server
from kb.search.whoosh import index, searchers, segment_cache, warming
from tests.engines import whoosh_only
from tests.search.conftest import titles
from tests.search.test_segment_cache import counting

# Whoosh's own machinery, whichever engine the run chooses for the others
pytestmark = whoosh_only


def test_a_warmed_worker_decodes_no_postings_for_its_first_searches(
        reader, publish, monkeypatch):
    publish("Plover guide", "All about plovers.")
    publish("Plover care", "Plovers eat worms.")
    segment_cache.clear()
    warming.warm()
    decoded = counting(monkeypatch, segment_cache, "_read_postings")
    assert sorted(titles(reader("elite"), "plover care")) == ["Plover care", "Plover guide"]
    assert decoded == []


def searched_words_kept() -> tuple[int, int]:
    """How many postings and frequencies of words of the searched fields are kept (the gates'
    own terms, a few per field, are kept beside them)."""
    return (len(segment_cache._postings._items),
            sum(field in warming.SEARCHED_FIELDS for _, field, _ in segment_cache._frequencies))


def test_words_a_warmed_segment_lacks_are_not_kept(reader, publish):
    publish("Avocet guide", "All about avocets.")
    segment_cache.clear()
    warming.warm()
    kept = searched_words_kept()
    elite = reader("elite")
    for word in ("bittern", "curlew", "dunlin", "godwit"):
        assert titles(elite, word) == []
    assert searched_words_kept() == kept
    assert titles(elite, "avocet") == ["Avocet guide"]  # a word it has is still found


def test_the_threads_share_the_columns_read_once(reader, publish, monkeypatch, app):
    publish("Curlew guide", "All about curlews.")
    elite = reader("elite")
    assert titles(elite, "curlew") == ["Curlew guide"]
    read = counting(monkeypatch, SegmentReader, "column_reader")
    read += counting(monkeypatch, MultiReader, "column_reader")
    found = []

    def search_in_another_thread():
        with app.app_context():
            found.append(titles(reader("elite"), "curlew"))
            index.close_searcher()

    worker = threading.Thread(target=search_in_another_thread)
    worker.start()
    worker.join()
    assert found == [["Curlew guide"]]
    assert read == []


def test_every_request_thread_has_its_searcher_open_before_the_worker_serves(
        app, publish, app_context):
    publish("Dunlin guide", "All about dunlins.")
    with ThreadPoolExecutor(max_workers=4) as pool:
        worker = SimpleNamespace(cfg=SimpleNamespace(threads=4), tpool=pool, wsgi=app)
        server._warm_every_thread(worker)
        together = threading.Barrier(4)

        def searcher_was_open() -> bool:
            together.wait(timeout=30)  # one task on each thread of the pool
            held = getattr(searchers._per_thread, "open", None)
            if held is not None:
                searchers.close_searcher()
            return held is not None

        assert [task.result() for task in [pool.submit(searcher_was_open)
                                           for _ in range(4)]] == [True] * 4
