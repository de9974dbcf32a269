"""Browser journeys: the real server (`kb serve`) on a free loopback port with a fresh data
directory and the demo data, driven by Playwright in the system's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, IsolatedDatabase

# Debian's build of Chromium's old headless mode: what Playwright itself runs headless. The whole
# browser (`/usr/bin/chromium`, its "new" headless mode) took twice the CPU for the same tests
# (186 against 97 s for tests/browser), and is used where the shell is not installed
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = os.environ.get("KB_CHROMIUM") or next(
    (path for path in (HEADLESS_SHELL, "/usr/bin/chromium") if Path(path).exists()),
    HEADLESS_SHELL)
KB_COMMAND = [sys.executable, "-m", "kb.cli"]


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_tests:
        # with `-n auto --dist loadgroup`, one worker runs them all against one live server
        item.add_marker(pytest.mark.xdist_group("browser"))
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"browser tests need Chromium at {CHROMIUM} (apt-get install "
                                "chromium-headless-shell); .ci/run installs it")
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install chromium-headless-shell")
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """`kb init`, `kb demo` and `kb serve` in a data directory of their own."""

    def __init__(self, data_dir: Path, database_url: str, workers: int = 2, *,
                 demo: bool = True, environment: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.environment = {
            **os.environ,
            "KB_DATA_DIR": str(data_dir),
            "KB_DATABASE_URL": database_url,
            "KB_BASE_URL": self.url,
            "PYTHONUNBUFFERED": "1",
            # fast hashing, as in the in-process tests: with scrypt every `kb demo` spent 1.2 s
            # of CPU on its ten users and every sign-in 0.12 s (the browser tests sign in often)
            "KB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **(environment or {}),
        }
        self.log_path = data_dir / "server.log"
        self.process: subprocess.Popen | None = None
        self.workers = workers
        self.demo = demo

    def kb(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*KB_COMMAND, *arguments], env=self.environment, cwd=REPO_ROOT,
            capture_output=True, text=True, check=check, timeout=600,
        )

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.kb("init")
        if self.demo:
            self.kb("demo")
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [*KB_COMMAND, "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.environment, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()

    # generous: with CI's two passes at once on 2 cores, a server's start (an app per process)
    # waits for CPU; at a load of 16 some took over 30 s
    def _wait_until_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kb serve exited:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"kb serve did not become healthy:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_server(directory: Path, **options) -> Iterator[LiveServer]:
    """A ``LiveServer`` (``options``: its own) on a database of its own in ``directory``;
    stopped, its database dropped and its data directory removed afterwards."""
    database = IsolatedDatabase(directory)
    server = LiveServer(directory / "data", database.url, **options)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        database.drop()
        shutil.rmtree(directory / "data", ignore_errors=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("live")
    with running_server(directory) as server:
        yield server
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


def sign_in(page, base_url: str, email: str, password: str = "demo-password") -> None:
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def reveal(locator):
    """Open the header menus (the phone's Menu button, a dropdown) that hide `locator`."""
    # the stylesheets decide which menu buttons show (the phone's Menu button is hidden on a
    # wide screen): judged before they have loaded, a button seen then vanishes under the click
    locator.page.wait_for_load_state("load")
    for summary in locator.locator("xpath=ancestor::details/summary").all():
        if not locator.is_visible() and summary.is_visible():
            summary.click()
    return locator


def offer_unlisted(page, select: str, value: str) -> None:
    """What devtools can do: add to ``select`` an option no page offered, and choose it."""
    page.locator(select).evaluate(
        "(select, value) => { select.add(new Option(value, value)); select.value = value; }",
        value)


def menu_link(page, label: str):
    """An entry of the header's navigation, its menus opened."""
    navigation = page.get_by_role("navigation", name="Main")
    return reveal(navigation.get_by_role("link", name=label, exact=True, include_hidden=True))


@pytest.fixture(scope="module")
def signed_in(browser, base_url):
    # imported here: layout_pages imports sign_in from this module
    from tests.browser.layout_pages import SignedInPages

    pages = SignedInPages(browser, base_url)
    yield pages
    pages.close()
