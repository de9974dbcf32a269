"""A search on an unchanged index reuses this thread's searcher without listing the index
directory or opening a file; a commit (in this process or another) or a reindex is seen by the
very next search; segment files are read through memory maps."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from whoosh.index import FileIndex

from kb.search import maintenance
from kb.search.whoosh import index
from tests.conftest import REPO_ROOT
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


def test_an_unchanged_index_is_searched_without_listing_or_opening_files(
        reader, publish, monkeypatch):
    publish("Kestrel guide", "All about kestrels.")
    staff = reader("staff")
    assert titles(staff, "kestrel") == ["Kestrel guide"]
    listed = counting(monkeypatch, os, "listdir")
    scanned = counting(monkeypatch, os, "scandir")
    opened = counting(monkeypatch, index.MappedStorage, "open_file")
    for word in ("kestrel", "guide", "kestrels", "falcon"):
        titles(staff, word)
    assert listed == scanned == opened == []


def test_a_commit_in_another_process_is_seen_by_the_next_search_without_a_listing(
        app, reader, publish, monkeypatch):
    publish("Kite guide", "All about kites.")
    staff = reader("staff")
    assert titles(staff, "osprey") == []  # this thread's searcher is open
    environment = {**os.environ, "KB_DATA_DIR": app.config["DATA_DIR"],
                   "KB_DATABASE_URL": app.config["DATABASE_URL"],
                   "KB_SECRET_KEY": "test-secret-key-not-for-production"}
    published = subprocess.run(
        [sys.executable, "-m", "tests.search.writer", "publish",
         json.dumps({"title": "Osprey guide"})],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert published.returncode == 0, published.stderr
    listings = counting(monkeypatch, FileIndex, "latest_generation")
    assert titles(staff, "osprey") == ["Osprey guide"]
    assert listings == []  # the commit stamp, not a listing, said the searcher was behind


def test_a_reindex_is_seen_by_the_next_search(reader, publish):
    publish("Harrier guide", "All about harriers.")
    staff = reader("staff")
    assert titles(staff, "harrier") == ["Harrier guide"]
    before = index.searcher()
    maintenance.rebuild()
    assert titles(staff, "harrier") == ["Harrier guide"]
    assert index.searcher() is not before


def test_segment_files_are_read_through_memory_maps(reader, publish, monkeypatch):
    staff = reader("staff")
    assert titles(staff, "merlin") == []
    files = []
    real = index.MappedStorage.open_file

    def keep(storage, name, **keywords):
        files.append((storage, name, real(storage, name, **keywords)))
        return files[-1][2]

    monkeypatch.setattr(index.MappedStorage, "open_file", keep)
    publish("Merlin guide", "All about merlins.")
    assert titles(staff, "merlin") == ["Merlin guide"]
    mapped = {name.rsplit(".", 1)[-1] for _, name, file in files
              if isinstance(file, index.MappedFile)}
    assert {"trm", "pst", "toc"} <= mapped
    unmapped = [(storage, name) for storage, name, file in files
                if not isinstance(file, index.MappedFile)]
    assert all(storage.file_length(name) == 0 for storage, name in unmapped)  # cannot be mapped
