"""A small seeded fuzzer over the pages: every GET route of ``app.url_map`` (path parameters
filled from the demo data), its query arguments, and the forms on those pages submitted with
hostile values, as each kind of user. Whatever is sent, no answer is a server error."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import Organization, User
from kb.articles.models import Article
from kb.patches.models import Patch, PatchFile
from kb.sessions.models import LiveSession, Recording, RecordingAttachment, TopicRequest
from tests.robustness.conftest import ROLES, signed_in_client

pytestmark = pytest.mark.xdist_group("demo_app")

SEED = 11
REQUESTS_PER_ROLE = 250  # the bound: a fixed number of requests, whatever they find
HOSTILE = [
    "", " ", "0", "-1", "99999999999999999999999", "2147483648", "9" * 5000, "1e309", "NaN",
    "\x00", "a\x00b", "\ud800", "\udfff", "x" * 100_000, "<script>alert(1)</script>",
    "'; DROP TABLE users; --", "../../../etc/passwd", "%00", "%", "\\", '"', "*", "*:*",
    'type:"" product:"" version:"" kind:""', "[" * 500 + "x" + "]" * 500, "> " * 2000,
    "*" * 3000, "`" * 1000, "[a](javascript:alert(1))", "Ünïcödé ✓ 日本語 𝔘 \u202e",
    "2026-13-45", "2026-02-30T25:61", "@" * 300, "a@b", "1,2,3", "#1, #999999999999",
]
QUERY_NAMES = ["page", "per_page", "q", "type", "product", "version", "kind", "tag", "sort",
               "status", "title", "mine", "from", "to", "next", "print", "topic", "slug",
               "_method", "_external"]
# forms that only sign out or change who may sign in would stop the walk, not test input
SKIPPED_ACTIONS = re.compile(r"/sign-out|/deactivate|/reactivate|/revoke|/password")


class FormParser(HTMLParser):
    """The forms of a page: action, method and fields (name -> default value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "",
                               "method": (attributes.get("method") or "get").lower(),
                               "fields": {}})
        elif self.forms and tag in ("input", "textarea", "select") and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind in ("submit", "file", "button", "image"):
                return
            self.forms[-1]["fields"].setdefault(attributes["name"], attributes.get("value")
                                                 or "")
            self._select = attributes["name"] if tag == "select" else None
        elif tag == "option" and self.forms and self._select:
            fields = self.forms[-1]["fields"]
            if not fields[self._select] or "selected" in attributes:
                fields[self._select] = attributes.get("value") or ""


def demo_path_values(application) -> dict[str, list]:
    """Values for each path parameter name, from the demo data."""
    with application.app_context():
        def ids(column):
            return list(db.session.scalars(select(column).limit(3)))

        files = db.session.execute(select(PatchFile.patch_id, PatchFile.id,
                                          PatchFile.name).limit(1)).first()
        attachment = db.session.execute(select(RecordingAttachment.recording_id,
                                               RecordingAttachment.id).limit(1)).first()
        return {
            "slug": list(db.session.scalars(select(Article.slug).limit(4))),
            "article_id": ids(Article.id), "patch_id": [files.patch_id, *ids(Patch.id)],
            "file_id": [files.id], "name": [files.name], "recording_id": ids(Recording.id),
            "attachment_id": [attachment.id] if attachment else [1],
            "session_id": ids(LiveSession.id), "topic_id": ids(TopicRequest.id),
            "organization_id": ids(Organization.id), "user_id": ids(User.id),
            "product_id": [1], "version_id": [1], "number": [1], "notification_id": [1],
            "token_id": [1], "key": ["patches", "interactive_sessions"], "token": ["x"],
            "action": ["draft"], "filename": ["kb.css"],
        }


def get_urls(application, values: dict[str, list], rng: random.Random) -> list[str]:
    """One address per GET route, its path parameters filled from the demo data."""
    urls = []
    for rule in application.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        arguments = {name: rng.choice(values.get(name) or [1]) for name in rule.arguments}
        with application.test_request_context():
            urls.append(urlsplit(application.url_for(rule.endpoint, **arguments)).path)
    return sorted(set(urls))


def hostile_query(rng: random.Random) -> str:
    names = rng.sample(QUERY_NAMES, rng.randint(1, 3))
    return urlencode({name: rng.choice(HOSTILE) for name in names}, errors="surrogatepass")


def hostile_form(form: dict, rng: random.Random) -> dict:
    """The form's own values with one to three fields made hostile (the CSRF token kept)."""
    data = dict(form["fields"])
    candidates = [name for name in data if name != "csrf_token"]
    for name in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
        data[name] = rng.choice(HOSTILE)
    return {name: value.encode("utf-8", "surrogatepass") for name, value in data.items()}


def walk(application, client, rng: random.Random) -> list[str]:
    """GET every route, then spend the rest of the bound on hostile queries and forms."""
    server_errors = []

    def send(method: str, url: str, data=None) -> str | None:
        """The HTML of the answer, if it is a page."""
        with client.open(url, method=method, data=data) as response:
            if response.status_code >= 500:
                server_errors.append(f"{method} {url[:200]} {str(data)[:200]}")
            return response.get_data(as_text=True) if response.mimetype == "text/html" else None

    pages = {}
    for url in get_urls(application, demo_path_values(application), rng):
        if (html := send("GET", url)) is not None:
            pages[url] = html
    forms = []
    for url, html in pages.items():
        parser = FormParser()
        parser.feed(html)
        forms += [{**form, "action": urljoin(url, form["action"] or url)}
                  for form in parser.forms if not SKIPPED_ACTIONS.search(form["action"])]
    for _ in range(REQUESTS_PER_ROLE - len(pages)):
        if forms and rng.random() < 0.6:
            form = rng.choice(forms)
            if form["method"] == "post":
                send("POST", form["action"], hostile_form(form, rng))
            else:
                send("GET", f"{form['action'].split('?')[0]}?{hostile_query(rng)}")
        else:
            send("GET", f"{rng.choice(sorted(pages or ['/']))}?{hostile_query(rng)}")
    return server_errors


@pytest.mark.parametrize("role", ROLES)
def test_hostile_queries_and_forms_never_get_a_server_error(demo_app, role):
    client = signed_in_client(demo_app, role)
    assert walk(demo_app, client, random.Random(f"{SEED}:{role}")) == []
