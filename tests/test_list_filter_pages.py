"""The knowledge base, release note, recording and patch pages refuse a filter value nothing
can have as the API lists and search do: 422, the page and its filters still shown, a
sentence naming the value and a link to the list without that filter. A product or version
only drafts name is refused in the very same words as a made-up one; a value holding a
control character (``product=%00``) is refused, everywhere, rather than read as no filter.
One who may not use the list at all is told that first, by the page and the API alike."""

from __future__ import annotations

import re
from html import unescape

import pytest

from kb.accounts.queries import user_by_email
from tests.catalogue import write_catalogue, write_hidden_drafts
from tests.conftest import bearer

PAGES = {"/articles/": "Knowledge base", "/release-notes/": "Release notes",
         "/sessions/recordings": "Recorded sessions", "/patches/": "Downloads"}
API = {"/articles/": "/api/v1/articles", "/release-notes/": "/api/v1/release-notes",
       "/sessions/recordings": "/api/v1/recordings", "/patches/": "/api/v1/patches"}
# a filter each page keeps while another is cleared
KEPT = {"/sessions/recordings": ("topic", "Finance"), "/patches/": ("withdrawn", "1")}
CSRF = re.compile(r'(name="csrf-token" content=|name="csrf_token" value=)"[^"]*"')


@pytest.fixture
def catalogue(app, demo_accounts):
    """Orbit ERP 12.0 in an article (tagged Year-End), a release note, a patch and a recording
    (topic Finance); Orbit Nova, and Orbit ERP 13.0, only in drafts."""
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        write_catalogue(staff)
        write_hidden_drafts(staff)


@pytest.fixture
def reader(auth, catalogue):
    auth.login("elite@demo.test")
    return auth.client


def _text(answer) -> str:
    return unescape(answer.get_data(as_text=True))


def _banner(answer) -> str:
    found = re.search(r'<div class="banner banner-danger filter-problem" role="alert">(.*?)</div>',
                      answer.get_data(as_text=True), re.S)
    assert found, answer.get_data(as_text=True)
    return unescape(re.sub(r"\s+", " ", found.group(1)))


@pytest.mark.parametrize("path, field, value", [
    ("/articles/", "product", "Orbitt"),
    ("/articles/", "version", "99.0"),
    ("/articles/", "version", "orbit-erp@99.0"),
    ("/articles/", "kind", "bogus"),
    ("/articles/", "tag", "nope"),
    ("/release-notes/", "product", "Orbitt"),
    ("/release-notes/", "version", "99.0"),
    ("/sessions/recordings", "product", "Orbitt"),
    ("/sessions/recordings", "topic", "nope"),
    ("/patches/", "product", "Orbitt"),
    ("/patches/", "version", "99.0"),
    ("/patches/", "version", "orbit-erp@99.0"),
    ("/patches/", "kind", "bogus"),
    ("/patches/", "kind", "how-to"),  # an article's kind, never a patch's
])
def test_a_list_page_names_the_value_nothing_has_and_offers_to_clear_it(reader, path, field,
                                                                       value):
    kept = dict([KEPT[path]]) if path in KEPT and KEPT[path][0] != field else {}
    answer = reader.get(path, query_string={field: value, **kept, "page": "2"})
    assert answer.status_code == 422
    page = _text(answer)
    assert f"<h1>{PAGES[path]}</h1>" in page and 'aria-label="Filter' in page
    assert f"There is no {field} called '{value}'." in _banner(answer)
    link = re.search(r'<a href="([^"]*)"[^>]*>Clear the ' + field + " filter</a>",
                     answer.get_data(as_text=True))
    assert link, page
    cleared = reader.get(unescape(link.group(1)))
    assert cleared.status_code == 200 and "filter-problem" not in cleared.get_data(as_text=True)
    assert f"{field}=" not in link.group(1) and "page=" not in link.group(1)
    assert all(f"{name}={kept_value}" in link.group(1) for name, kept_value in kept.items())
    # the API says the same of the same value
    api = reader.get(API[path], query_string={field: value})
    assert api.status_code == 422 and api.json["unknown"] == [value]


@pytest.mark.parametrize("path, query, listed", [
    ("/articles/", {"product": "Orbit ERP", "version": "12.0", "kind": "How-To",
                    "tag": "year-end"}, "Closing the year"),
    ("/articles/", {"version": "orbit-erp@12.0"}, "Closing the year"),
    ("/release-notes/", {"product": "orbit-erp", "version": "Orbit ERP@12.0"}, "ERP 12.0"),
    ("/sessions/recordings", {"product": "orbit-erp", "topic": "FINANCE"},
     "Year-end walkthrough"),
    ("/patches/", {"product": "Orbit ERP", "version": "12.0", "kind": "PATCH"}, "Ledger fix"),
    ("/patches/", {"version": "Orbit ERP@12.0"}, "Ledger fix"),
])
def test_known_values_still_filter(reader, path, query, listed):
    answer = reader.get(path, query_string=query)
    assert answer.status_code == 200
    assert listed in _text(answer) and "filter-problem" not in _text(answer)


HIDDEN_PRODUCTS = [("product", "Orbit Nova", "Orbit Imaginary"),
                   ("product", "orbit-nova", "orbit-imaginary")]
HIDDEN_VERSIONS = [("version", "13.0", "99.0"), ("version", "Orbit ERP@13.0", "Orbit ERP@99.0")]


@pytest.mark.parametrize("path, field, hidden, made_up", [
    *[(path, *values) for path in PAGES for values in HIDDEN_PRODUCTS],
    *[(path, *values) for path in ("/articles/", "/release-notes/", "/patches/")
      for values in HIDDEN_VERSIONS],  # recordings have no version
])
def test_a_hidden_value_is_refused_exactly_as_a_made_up_one(reader, path, field, hidden,
                                                             made_up):
    secret = reader.get(path, query_string={field: hidden})
    unknown = reader.get(path, query_string={field: made_up})
    assert secret.status_code == unknown.status_code == 422
    assert f"There is no {field} called '{hidden}'." in _banner(secret)

    def masked(answer, value):
        page = CSRF.sub("csrf", answer.get_data(as_text=True))
        return page.replace(value, "VALUE").replace(value.replace(" ", "+"), "VALUE")

    assert masked(secret, hidden) == masked(unknown, made_up)


def test_staff_who_see_drafts_filter_by_what_they_name(auth, catalogue):
    auth.login("staff@demo.test")
    assert auth.client.get("/articles/", query_string={"product": "Orbit Nova"}).status_code \
        == 200
    assert auth.client.get("/articles/", query_string={"version": "13.0"}).status_code == 200


CONTROLLED = ["\x00", "\x1f", "\x07", "Orbit ERP\x00", "orbit-erp\x1f"]


@pytest.mark.parametrize("value", CONTROLLED)
@pytest.mark.parametrize("path", PAGES)
def test_a_product_with_a_control_character_is_refused_on_every_list_page(reader, path,
                                                                         value):
    answer = reader.get(path, query_string={"product": value})
    assert answer.status_code == 422
    assert f"There is no product called {value!r}." in _banner(answer)


@pytest.mark.parametrize("value", CONTROLLED)
def test_a_filter_with_a_control_character_is_refused_by_search_and_the_api(
        client, api_token, catalogue, value):
    headers = bearer(api_token("elite@demo.test"))
    for path in [*API.values(), "/api/v1/patches", "/api/v1/search"]:
        answer = client.get(path, query_string={"q": "year", "product": value},
                            headers=headers)
        assert answer.status_code == 422, (path, answer.json)
        assert answer.json["field"] == "product" and answer.json["unknown"] == [value]
    for field in ("version", "kind", "type"):
        answer = client.get("/api/v1/search", query_string={"q": "year", field: value},
                            headers=headers)
        assert answer.status_code == 422 and answer.json["unknown"] == [value], field
    tagged = client.get("/api/v1/articles", query_string={"tag": value}, headers=headers)
    assert tagged.status_code == 422 and tagged.json["field"] == "tag"


def test_the_search_page_refuses_a_product_with_a_control_character(reader):
    answer = reader.get("/search", query_string={"q": "year", "product": "\x00"})
    assert answer.status_code == 422
    assert "Unknown product '\\x00'" in _text(answer)


def test_the_recordings_filters_show_the_values_as_read(reader):
    """A product by its name and a topic in any case are the options chosen."""
    page = reader.get("/sessions/recordings", query_string={"product": "Orbit ERP",
                                                            "topic": "FINANCE"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<option value="orbit-erp" selected>', html)
    assert re.search(r'<option value="Finance" selected>', html)


@pytest.mark.parametrize("path", ["/sessions/recordings", "/patches/"])
def test_one_who_may_not_use_the_list_is_told_that_not_the_filter(auth, catalogue, path):
    auth.login("lapsed@demo.test")
    plain = auth.client.get(path)
    refused = auth.client.get(path, query_string={"product": "Orbitt"})
    assert plain.status_code == refused.status_code == 403
    assert "filter-problem" not in refused.get_data(as_text=True)
    api = auth.client.get(API[path], query_string={"product": "Orbitt"})
    assert api.status_code == 403 and api.json["reason"] == "term_lapsed"


@pytest.mark.parametrize("value", ["\u202eexe.pdf", "\u2066Orbitt", "a\u200bb"])
@pytest.mark.parametrize("path", PAGES)
def test_a_refused_value_that_reorders_text_is_shown_escaped(reader, path, value):
    """A direction override or isolate (or any character Python does not print) in a refused
    value shows as its escape in the select too, as the sentence above shows it: a link
    cannot make the page show text reversed ("fdp.exe" as "exe.pdf")."""
    answer = reader.get(path, query_string={"product": value})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert value not in page
    escaped = repr(value)[1:-1]
    assert f'<option value="{escaped}" selected>{escaped} (not found)</option>' in page
