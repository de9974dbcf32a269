"""Bad input answers a clear 4xx, never a 500 (issue 11, point 9): one regression per finding,
through the real client, in the pages and in the API."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.articles import web_fixtures
from tests.conftest import bearer, csrf_token
from tests.sessions import conftest as sessions_fixtures

write_article = web_fixtures.write_article  # a fixture shared by the article tests
schedule = sessions_fixtures.schedule  # a fixture shared by the session tests

HUGE = "99999999999999999999999"
LISTS = ["/articles/", "/release-notes/", "/staff/articles/", "/patches/", "/search?q=ledger",
         "/api/v1/articles", "/api/v1/release-notes", "/api/v1/patches",
         "/api/v1/search?q=ledger"]


@pytest.fixture
def staff_client(client, auth, demo_accounts):
    auth.login("staff@demo.test")
    return client


@pytest.fixture
def elite_headers(api_token, demo_accounts):
    return bearer(api_token("elite@demo.test"))


def separator(url: str) -> str:
    return "&" if "?" in url else "?"


@pytest.mark.parametrize("url", LISTS)
def test_a_page_number_out_of_range_is_refused_with_a_clear_message(staff_client, url):
    response = staff_client.get(f"{url}{separator(url)}page={HUGE}")
    assert response.status_code == 422
    assert "page must be from 1 to 1000000" in response.get_data(as_text=True)
    past_the_last = staff_client.get(f"{url}{separator(url)}page=1000000")
    assert past_the_last.status_code == 200


@pytest.mark.parametrize("typed", ['type:""', 'product:""', 'version:""', 'kind:""'])
def test_an_empty_typed_search_filter_narrows_nothing(client, auth, elite_headers, typed):
    auth.login("elite@demo.test")
    assert client.get("/search", query_string={"q": typed}).status_code == 200
    answer = client.get("/api/v1/search", query_string={"q": typed}, headers=elite_headers)
    assert answer.status_code == 200 and answer.get_json()["total"] == 0


@pytest.fixture
def release_note(write_article):
    return write_article("Orbit ERP 12.1", "Notes", type="release-note", product="Orbit ERP",
                         version="12.1", slug="orbit-erp-12-1")


@pytest.mark.parametrize("query", ["slug=x", "_method=POST", "_external=1&_scheme=https",
                                   "print=1&_anchor=x"])
def test_an_article_redirect_keeps_the_query_but_never_reads_it(client, auth, release_note,
                                                                 query):
    auth.login("elite@demo.test")
    response = client.get(f"/articles/{release_note}?{query}",
                          headers={"Host": "attacker.example"})
    assert response.status_code == 301
    assert response.headers["Location"] == f"/release-notes/{release_note}?{query}"


def test_a_lone_surrogate_in_a_topic_title_is_refused(client, elite_headers):
    response = client.post("/api/v1/topics", headers=elite_headers,
                           data='{"title": "Queues \\ud800 explained"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert "lone surrogates" in response.get_json()["error"]


def test_a_nul_in_a_form_or_a_query_is_dropped(staff_client, app):
    from kb import db
    from kb.sessions.models import TopicRequest

    response = staff_client.post("/sessions/topics/new", data={
        "title": "Queues\x00 explained", "csrf_token": csrf_token(staff_client)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(TopicRequest.title)).all() == ["Queues explained"]
    assert staff_client.get("/search?q=a%00b").status_code == 200
    # but a filter's value with one is no value an item can have (tests/test_list_filter_pages)
    assert staff_client.get("/articles/?tag=a%00b").status_code == 422


def test_control_characters_in_a_form_are_dropped_and_in_json_refused(staff_client, app,
                                                                      elite_headers, client):
    from kb import db
    from kb.sessions.models import TopicRequest

    response = staff_client.post("/sessions/topics/new", data={
        "title": "Queues\x07\x1b[31m explained\x7f", "details": "Line one\r\n\tLine two",
        "csrf_token": csrf_token(staff_client)})
    assert response.status_code == 302
    with app.app_context():
        topic = db.session.scalar(select(TopicRequest))
        assert (topic.title, topic.details) == ("Queues[31m explained", "Line one\r\n\tLine two")
    refused = client.post("/api/v1/topics", headers=elite_headers,
                          json={"title": "Queues \u0001 explained"})
    assert refused.status_code == 400 and "control characters" in refused.get_json()["error"]



@pytest.mark.parametrize("administrator", ["abc", HUGE, "-1", "²"])
def test_a_staff_form_refuses_an_id_that_is_not_one(staff_client, app, administrator):
    response = staff_client.post("/staff/organizations/1", data={
        "name": "Northwind Traders", "plan": "xtreme", "term_start": "2026-01-01",
        "term_end": "2026-12-31", "administrator": administrator,
        "csrf_token": csrf_token(staff_client)})
    assert response.status_code == 422
    assert "Choose the administrator from the list." in response.get_data(as_text=True)
    users = staff_client.post("/staff/users", data={
        "email": "new@example.test", "role": "customer", "organization": administrator,
        "csrf_token": csrf_token(staff_client)})
    page = users.get_data(as_text=True)
    assert users.status_code == 422 and "could not coerce" not in page
    assert 'id="organization-error" class="field-error">Choose an organisation from the list.' \
        in page
    assert 'value="new@example.test"' in page  # the page stays usable, as typed


def test_an_unlisted_organisation_is_refused_and_nobody_is_invited(staff_client, app):
    from kb import db
    from kb.accounts.models import User

    response = staff_client.post("/staff/users", data={
        "email": "new@example.test", "role": "customer", "organization": "999999",
        "csrf_token": csrf_token(staff_client)})
    assert response.status_code == 422
    assert "Choose an organisation from the list." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new@example.test")) is None


def test_live_session_staff_forms_refuse_ids_that_are_not_ones(staff_client, schedule):
    session_id = schedule()
    token = csrf_token(staff_client)
    attach = staff_client.post(f"/sessions/staff/live/{session_id}/recording",
                               data={"recording_id": "²", "csrf_token": token})
    assert attach.status_code == 422
    begun = schedule(starts_in=-timedelta(hours=1))  # attendance is marked once begun
    attendance = staff_client.post(f"/sessions/staff/live/{begun}/attendance",
                                   data={"attended": ["²", HUGE], "csrf_token": token})
    assert attendance.status_code == 302


@pytest.mark.parametrize("url", [f"/patches/{HUGE}", "/patches/2147483648",
                                 f"/api/v1/patches/{HUGE}", f"/staff/users/{HUGE}"])
def test_an_id_in_an_address_beyond_any_row_is_not_found(staff_client, url):
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize(("method", "url"), [
    ("GET", "/api/v1/programmes/2147483648/applications"),
    ("POST", "/staff/programmes/2147483648"), ("GET", f"/staff/programmes/{HUGE}")])
def test_such_an_id_is_not_found_where_the_address_has_other_methods(staff_client, method,
                                                                      url):
    assert staff_client.open(url, method=method).status_code == 404


def test_a_revision_number_beyond_any_row_is_not_found(staff_client, write_article, app):
    from kb import db
    from kb.articles.models import Article

    slug = write_article("Printing invoices", "Body")
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
    response = staff_client.get(f"/staff/articles/{article_id}/diff?from={HUGE}&to=1")
    assert response.status_code == 404


def test_an_overflowing_supersedes_is_refused(client, api_token, demo_accounts):
    response = client.post("/api/v1/patches", headers=bearer(api_token("staff@demo.test")),
                           content_type="multipart/form-data", data={
                               "product": "Orbit ERP", "version": "12.1", "title": "Fix",
                               "supersedes": HUGE,
                               "files": [(io.BytesIO(b"one"), "fix.zip")]})
    assert response.status_code == 422
    assert f"no patch #{HUGE}" in response.get_json()["error"]


def test_a_title_filter_longer_than_any_title_finds_nothing(staff_client, api_token):
    long_title = "x" * 100_000
    assert staff_client.get(f"/staff/articles/?title={long_title}").status_code == 200
    answer = staff_client.get(f"/api/v1/articles?q={long_title}",
                              headers=bearer(api_token("staff@demo.test")))
    assert answer.status_code == 200 and answer.get_json()["items"] == []


@pytest.mark.parametrize("referrer, shown", [("http://localhost/sessions/topics/new", True),
                                             ("https://elsewhere.example/form", False),
                                             (None, False)])
def test_an_expired_form_shows_back_what_was_typed_on_our_own_page(staff_client, referrer,
                                                                    shown):
    typed = {"title": "Year-end close <b>walkthrough</b>",
             "details": "Two hours I spent writing this.\nSecond line."}
    headers = {"Referer": referrer} if referrer else {}
    answer = staff_client.post("/sessions/topics/new", headers=headers,
                               data={"csrf_token": "expired-token", "password": "hunter2",
                                     **typed})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "expired-token" not in page and "hunter2" not in page
    for value in typed.values():
        escaped = value.replace("<", "&lt;").replace(">", "&gt;")
        assert (f">{escaped}</textarea>" in page) is shown
    assert ('<a href="/sessions/topics/new">Open the form again</a>' in page) is shown
    assert ("What you typed is below: copy it, reload the form and send it again." in page) \
        is shown


@pytest.mark.parametrize("url, fields, field, message", [
    ("/sessions/staff/recordings/new", {"recorded_on": "2026-02-30"}, "recorded_on",
     "Give the day it was recorded as a date, such as 2030-01-31."),
    ("/sessions/staff/live/new", {"local_start": "2027-02-30T10:00"}, "local_start",
     "Give when the session starts as a date and time, such as 2030-01-31T14:00."),
    ("/sessions/staff/live/new", {"capacity": "0"}, "capacity",
     "Give the number of seats, from 1 to 100000."),
    ("/sessions/staff/live/new", {"duration_minutes": "1,5"}, "duration_minutes",
     "Give the length in whole minutes, such as 60."),
    ("/staff/programmes/", {"seats": "0"}, "seats", "Give from 1 to 1,000 seats."),
])
def test_a_date_or_number_that_is_no_such_thing_is_not_called_missing(staff_client, url,
                                                                         fields, field,
                                                                         message):
    staff_client.get(url)
    answer = staff_client.post(url, data={"csrf_token": csrf_token(staff_client), **fields})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    error = page.split(f'id="{field}-error" class="field-error">', 1)[1].split("</small>")[0]
    assert error.startswith(message) and "This field is required." not in error
    assert f'value="{next(iter(fields.values()))}"' in page
