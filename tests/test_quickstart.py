"""README.md's two Quick start lines, run as written in a fresh clone of this repository."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from tests.browser.conftest import free_port
from tests.conftest import REPO_ROOT, on_postgres

# one worker runs them in order: the second line reuses the clone the first one set up
pytestmark = pytest.mark.xdist_group("quickstart")

# The lines run without any KB_ variable (a user's fresh clone): on the embedded default, the
# same two minutes of work whatever database the rest of the suite is pointed at.
runs_the_lines = pytest.mark.skipif(
    on_postgres(), reason="the Quick start lines run on the embedded default, in the SQLite pass")


def quick_start_lines() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_two_command_lines():
    lines = quick_start_lines()
    assert len(lines) == 2
    assert lines[0].endswith("kb serve") and "pytest" in lines[1]


def test_ci_runs_the_readme_test_line():
    script = (REPO_ROOT / ".ci" / "run").read_text()
    assert "grep -m1 -- '-m pytest'" in script and "KB_DATABASE_URL=postgresql" in script


def test_the_group_keeps_these_tests_on_one_worker(request):
    # `-n auto --dist loadgroup` sends a group to one worker by its node ids' "@group" suffix,
    # which pytest 9.2 dropped (tests/conftest.py adds it again)
    if getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith("@quickstart")


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone") / "kb"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    return clone


def _clean_environment(**extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("KB_", "VIRTUAL_ENV", "PYTEST"))}
    return {**environment, **extra}


@runs_the_lines
def test_first_line_sets_up_and_serves_the_demo(fresh_clone):
    port = free_port()
    process = subprocess.Popen(
        ["bash", "-c", quick_start_lines()[0]], cwd=fresh_clone,
        env=_clean_environment(KB_PORT=str(port)), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the portal did not come up")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5) as response:
            assert b"Sign in" in response.read()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert "premium@demo.test" in output and "demo-password" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert (fresh_clone / "instance" / "kb.sqlite3").exists()


@runs_the_lines
def test_second_line_sets_up_and_runs_the_tests(fresh_clone):
    # a user's clone has nothing beside it: no shared seed, no corpus
    assert not (fresh_clone.parent / "shared").exists()
    environment = _clean_environment(
        # quick tests of the plan matrix, which once read it from ../shared; this proves the line
        # installs and runs the suite, without recursion. Their files named: each of the line's
        # workers would otherwise collect the whole suite to find them (10 s of CPU)
        PYTEST_ADDOPTS="-q -p no:cacheprovider -k 'plan_data_matches or plans_endpoint_matches'"
                       " tests/test_plans_policy.py tests/api/test_api_foundation.py",
    )
    result = subprocess.run(["bash", "-c", quick_start_lines()[1]], cwd=fresh_clone,
                            env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
