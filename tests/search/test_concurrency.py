"""Several `kb serve` workers answer searches while parallel processes publish, edit, re-gate
and unpublish articles; afterwards the index holds exactly what the database holds and no
request failed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import LiveServer, running_server
from tests.conftest import REPO_ROOT

WRITERS = 3
ROUNDS = 12
SEARCH_PAUSE = 0.05  # seconds


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path, workers=3) as live:
        yield live


def _search(server: LiveServer, token: str, text: str) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/v1/search?{urllib.parse.urlencode({'q': text})}",
        headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_parallel_writers_and_searchers_leave_no_drift_and_no_failure(server):
    token = server.kb("token", "create", "staff@demo.test").stdout.strip().splitlines()[-1]
    failures: list[str] = []
    stop = threading.Event()
    answered = []

    def keep_searching():
        # a pause between searches: four searchers still overlap every write, without keeping
        # both cores busy and so slowing the writers (and the rest of the suite) down
        while not stop.wait(SEARCH_PAUSE):
            try:
                answered.append(_search(server, token, "round OR item")["total"])
            except Exception as failure:  # noqa: BLE001 - collected and asserted below
                failures.append(repr(failure))

    searchers = [threading.Thread(target=keep_searching) for _ in range(4)]
    for thread in searchers:
        thread.start()
    writers = [subprocess.Popen([sys.executable, "-m", "tests.search.writer", "loop",
                                 f"writer{number}", str(ROUNDS)],
                                env=server.environment, cwd=REPO_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for number in range(WRITERS)]
    outcomes = [writer.communicate(timeout=300) + (writer.returncode,) for writer in writers]
    stop.set()
    for thread in searchers:
        thread.join()

    assert [code for _, _, code in outcomes] == [0] * WRITERS, outcomes
    log = server.log_path.read_text()
    assert failures == [], log[log.find('Traceback'):][:4000]
    assert len(set(answered)) > 1, "no search ran while the writers changed the index"
    check = server.kb("search", "check", "--no-repair", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "The index matches the database." in check.stdout
    pending = server.kb("search", "apply")
    assert "Applied 0 item(s)." in pending.stdout
    # each writer's five items, in their last state (the fifth round of each slot)
    published = _search(server, token, "writer0 OR writer1 OR writer2")
    assert published["total"] == WRITERS * 5
    log = server.log_path.read_text()
    assert '" 500 ' not in log and "Traceback" not in log
