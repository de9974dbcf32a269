"""Two `kb serve` processes on one PostgreSQL database and one S3 store, and the clients that
talk to them as a browser (one cookie jar across both) or an API script would."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tests.browser.conftest import LiveServer
from tests.conftest import CSRF_PATTERN, DEMO_PASSWORD

SHARED_SECRET = {"KB_SECRET_KEY": "two-servers-one-portal-secret"}


@dataclass
class Portal:
    first: LiveServer
    second: LiveServer
    app: object  # an app of the tests' own on the same database, for set-up as staff would

    @property
    def servers(self) -> tuple[LiveServer, LiveServer]:
        return self.first, self.second


class Browser:
    """A client with one cookie jar, as a browser keeps it across the servers of one site."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def copy(self) -> Browser:
        other = Browser()
        for cookie in self.cookies:
            other.cookies.set_cookie(cookie)
        return other

    def get(self, url: str) -> tuple[int, str]:
        return self._send(urllib.request.Request(url))

    def post_form(self, url: str, fields: dict, csrf_from: str) -> tuple[int, str]:
        _, page = self.get(csrf_from)
        fields = {**fields, "csrf_token": CSRF_PATTERN.search(page).group(1)}
        body = urllib.parse.urlencode(fields).encode()
        return self._send(urllib.request.Request(url, data=body, method="POST"))

    def _send(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(browser: Browser, server: LiveServer, email: str, password: str = DEMO_PASSWORD):
    return browser.post_form(f"{server.url}/sign-in", {"email": email, "password": password},
                             csrf_from=f"{server.url}/sign-in")


def api(server: LiveServer, method: str, path: str, token: str, *, body: bytes | None = None,
        headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"{server.url}{path}", method=method, data=body,
                                     headers={"Authorization": f"Bearer {token}",
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
