"""``kb serve`` delivers e-mail in the background: a password reset asked for over HTTP
arrives at the SMTP server, its link naming the address kb serve listens on."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from tests.alerts.conftest import KB_COMMAND, free_port
from tests.conftest import CSRF_PATTERN, REPO_ROOT


@pytest.fixture
def served(app):
    """Start ``kb serve`` on the app's database with the given KB_* settings."""
    processes = []

    def start(**settings: str) -> str:
        port = free_port()
        environment = {name: value for name, value in os.environ.items()
                       if name != "KB_BASE_URL"}
        environment.update({
            "KB_DATA_DIR": app.config["DATA_DIR"], "KB_DATABASE_URL": app.config["DATABASE_URL"],
            "KB_SECRET_KEY": app.config["SECRET_KEY"], "KB_OUTBOX_POLL_SECONDS": "0.2",
            **{f"KB_{name}": value for name, value in settings.items()}})
        log = open(os.path.join(app.config["DATA_DIR"], "serve.log"), "w")
        processes.append((subprocess.Popen(
            [*KB_COMMAND, "serve", "--port", str(port), "--workers", "2"], env=environment,
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT), log))
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, processes[-1][0])
        return url

    yield start
    for process, log in processes:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        assert process.poll() is None, "kb serve exited"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("kb serve did not answer")


def _ask_for_reset(url: str, email: str, host: str | None = None) -> None:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(url + "/reset-password") as page:
        token = CSRF_PATTERN.search(page.read().decode()).group(1)
    form = urllib.parse.urlencode({"email": email, "csrf_token": token}).encode()
    request = urllib.request.Request(url + "/reset-password", data=form,
                                     headers={"Host": host} if host else {})
    with opener.open(request) as answer:
        assert answer.status == 200


def test_kb_serve_delivers_a_reset_in_the_background_with_a_link_to_itself(
        app, smtp, served, customer_on):
    email = customer_on("premium")
    url = served(SMTP_URL=smtp.url)

    _ask_for_reset(url, email, host="attacker.example")

    smtp.inbox.wait_for(1)
    [arrived] = smtp.inbox.to(email)
    text = arrived.get_body(("plain",)).get_content()
    link = re.search(r"http\S+/reset-password/\S+", text).group()
    assert link.startswith(url + "/reset-password/")
    with urllib.request.urlopen(link) as page:
        assert page.status == 200


def test_kb_base_url_names_the_links_when_set(app, smtp, served, customer_on):
    email = customer_on("premium")
    url = served(SMTP_URL=smtp.url, BASE_URL="https://support.example.test/")

    _ask_for_reset(url, email)

    smtp.inbox.wait_for(1)
    text = smtp.inbox.to(email)[0].get_body(("plain",)).get_content()
    assert "https://support.example.test/reset-password/" in text
