"""``create_process_app``: the app of a command or a server worker, built with the garbage
collector paused and then frozen. Each case runs in a process of its own: freezing is for
good, and would keep every later test's garbage in this worker process."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

PROBE = """
import gc, json, sys
from kb import create_process_app
outcome = {"frozen_before": gc.get_freeze_count()}
try:
    app = create_process_app({"DATA_DIR": sys.argv[1], "SECRET_KEY": "probe",
                              "SEARCH_BACKEND": sys.argv[2]})
    outcome["built"] = bool(app.url_map._rules)
except ValueError as refused:
    outcome["refused"] = str(refused)
outcome.update(enabled=gc.isenabled(), frozen_after=gc.get_freeze_count())
print(json.dumps(outcome))
"""


def probe(tmp_path, search_backend: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "data"), search_backend],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_app_is_built_and_frozen_with_the_collector_running_again(tmp_path):
    outcome = probe(tmp_path, "whoosh")
    assert outcome["built"] and outcome["enabled"]
    # the modules, the app and its routes: far more than the interpreter's own objects
    assert outcome["frozen_after"] > outcome["frozen_before"] + 50_000


def test_a_refused_configuration_leaves_the_collector_running(tmp_path):
    outcome = probe(tmp_path, "no-such-engine")
    assert "KB_SEARCH_BACKEND='no-such-engine'" in outcome["refused"]
    assert outcome["enabled"] and outcome["frozen_after"] == outcome["frozen_before"]
