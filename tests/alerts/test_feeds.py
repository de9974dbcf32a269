"""Personal feeds read back as a feed reader and a calendar would: Atom feeds per product that
parse without complaint and hold exactly what the token's user may read, a calendar of exactly
the user's confirmed sessions, and refusals for a missing, wrong, revoked or lapsed token."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import pytest
from icalendar import Calendar

from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.db import utcnow
from kb.patches import service as patches
from kb.sessions.live import service as live
from kb.storage import file_store

TOKEN_IN_PAGE = re.compile(r"token=(kbf_[\w-]+)")


def _note(staff, title, product="Orbit ERP", **fields):
    return articles.create_article(staff, ArticleFields(
        title=title, body="Text.", type="release-note", product=product, version="12.0",
        summary=f"Summary of {title} <b>&</b>", **fields))


def _patch(staff, title, *, publish=True, **details):
    staged = file_store().stage(filename="fix.zip")
    staged.write(b"patch bytes " + title.encode())
    return patches.publish_patch(
        staff, patches.PatchDetails(product="Orbit ERP", title=title, **details),
        [patches.Upload("fix.zip", staged)], publish=publish)


@pytest.fixture
def content(app, demo_accounts):
    """Release notes and patches of Orbit ERP for every plan, drafts, a scheduled note, and a
    note of another product."""
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        _note(staff, "ERP 12.0 for everyone")
        _note(staff, "ERP 12.0 Elite extras", min_plan="elite")
        _note(staff, "ERP draft note", status="draft")
        _note(staff, "ERP scheduled note", publish_at=utcnow() + timedelta(days=3))
        _note(staff, "Analytics 2026.1 notes", product="Orbit Analytics")
        _patch(staff, "Hotfix for everyone")
        _patch(staff, "Elite-only hotfix", min_plan="elite")
        _patch(staff, "Unreleased hotfix", publish=False)


def _new_token(auth, email: str) -> str:
    auth.login(email)
    response = auth.post("/account/feeds/token")
    assert response.status_code == 201
    token = TOKEN_IN_PAGE.search(response.get_data(as_text=True)).group(1)
    auth.logout()
    return token


def _feed(client, kind: str, token: str | None, product: str = "orbit-erp"):
    query = f"?token={token}" if token is not None else ""
    return client.get(f"/feeds/products/{product}/{kind}.atom{query}")


def _entries(client, kind: str, token: str, product: str = "orbit-erp") -> dict[str, object]:
    response = _feed(client, kind, token, product)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/atom+xml"
    assert "private" in response.headers["Cache-Control"]
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return {entry.title: entry for entry in parsed.entries}


def test_release_notes_feed_holds_the_products_notes_the_plan_may_read(
        client, auth, content, customer_on):
    elite = _entries(client, "release-notes", _new_token(auth, customer_on("elite")))
    assert set(elite) == {"ERP 12.0 for everyone", "ERP 12.0 Elite extras"}
    entry = elite["ERP 12.0 for everyone"]
    assert entry.link.startswith("http://kb.test/release-notes/")
    assert entry.summary == "Summary of ERP 12.0 for everyone <b>&</b>"

    xtreme = _entries(client, "release-notes", _new_token(auth, customer_on("xtreme")))
    assert set(xtreme) == {"ERP 12.0 for everyone"}
    analytics = _entries(client, "release-notes", _new_token(auth, customer_on("xtreme")),
                         product="orbit-analytics")
    assert set(analytics) == {"Analytics 2026.1 notes"}


def test_patches_feed_never_shows_xtreme_an_elite_only_or_unreleased_patch(
        client, auth, content, customer_on):
    xtreme = _entries(client, "patches", _new_token(auth, customer_on("xtreme")))
    assert set(xtreme) == {"Patch: Hotfix for everyone"}
    elite = _entries(client, "patches", _new_token(auth, customer_on("elite")))
    assert set(elite) == {"Patch: Hotfix for everyone", "Patch: Elite-only hotfix"}
    assert all(re.fullmatch(r"http://kb.test/patches/\d+", entry.link)
               for entry in elite.values())


def test_a_product_without_items_gives_a_valid_empty_feed(client, auth, content, customer_on):
    token = _new_token(auth, customer_on("elite"))
    assert _entries(client, "patches", token, product="orbit-analytics") == {}


def test_a_missing_wrong_or_revoked_token_is_refused(client, auth, content, customer_on):
    email = customer_on("elite")
    missing = _feed(client, "release-notes", None)
    assert missing.status_code == 401 and missing.mimetype == "text/plain"
    assert b"feed token" in missing.data
    assert _feed(client, "release-notes", "kbf_made-up").status_code == 403

    first = _new_token(auth, email)
    assert _feed(client, "release-notes", first).status_code == 200
    second = _new_token(auth, email)
    replaced = _feed(client, "release-notes", first)
    assert replaced.status_code == 403 and b"revoked" in replaced.data
    assert _feed(client, "release-notes", second).status_code == 200

    auth.login(email)
    assert auth.post("/account/feeds/token/revoke").status_code == 302
    assert _feed(client, "release-notes", second).status_code == 403
    assert client.get(f"/feeds/live-sessions.ics?token={second}").status_code == 403
    assert client.get("/feeds/live-sessions.ics").status_code == 401


def test_a_lapsed_organisations_token_gets_the_lapsed_answer(client, auth, content, customer_on):
    token = _new_token(auth, customer_on("elite", lapsed=True))
    response = _feed(client, "release-notes", token)
    assert response.status_code == 403
    assert b"support term ended" in response.data


def test_unknown_products_and_kinds_answer_404(client, auth, content, customer_on):
    token = _new_token(auth, customer_on("elite"))
    assert _feed(client, "release-notes", token, product="no-such-product").status_code == 404
    assert _feed(client, "workarounds-someday", token).status_code == 404


def test_the_feeds_page_shows_addresses_once_then_a_placeholder(client, auth, demo_accounts):
    auth.login("premium@demo.test")
    page = client.get("/account/feeds").get_data(as_text=True)
    assert "You have no feed token" in page
    created = auth.post("/account/feeds/token").get_data(as_text=True)
    token = TOKEN_IN_PAGE.search(created).group(1)
    assert f"/feeds/products/orbit-erp/release-notes.atom?token={token}" in created
    assert f"/feeds/live-sessions.ics?token={token}" in created
    assert "orbit-analytics" not in created  # not a product Contoso runs
    later = client.get("/account/feeds").get_data(as_text=True)
    assert token not in later and token[:10] in later
    assert "token=YOUR-FEED-TOKEN" in later


def _schedule(app, title: str, capacity: int = 5) -> int:
    with app.app_context():
        start = (utcnow() + timedelta(days=2)).replace(tzinfo=None)
        return live.schedule_session(user_by_email("staff@demo.test"), live.LiveSessionFields(
            title=title, local_start=start, time_zone="UTC", duration_minutes=60,
            capacity=capacity)).id


def test_the_calendar_holds_exactly_the_users_confirmed_sessions(
        app, client, auth, demo_accounts, customer_on):
    confirmed, cancelled, full = (_schedule(app, "Confirmed session"),
                                  _schedule(app, "Cancelled session"),
                                  _schedule(app, "Full session", capacity=1))
    someone_else = customer_on("premium")
    email = customer_on("premium")
    with app.app_context():
        other, user = user_by_email(someone_else), user_by_email(email)
        live.register(other, full)
        live.register(other, confirmed)
        live.register(user, confirmed)
        live.register(user, cancelled)
        live.cancel(user, cancelled)
        assert live.register(user, full).status == "waitlisted"
    token = _new_token(auth, email)

    response = client.get(f"/feeds/live-sessions.ics?token={token}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert "METHOD" not in calendar
    events = calendar.walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Confirmed session"]
    assert str(events[0]["URL"]) == f"http://kb.test/sessions/live/{confirmed}"
    assert "ATTENDEE" not in events[0] and "ORGANIZER" not in events[0]


def test_a_session_staff_cancel_stays_in_the_calendar_marked_cancelled(
        app, client, auth, demo_accounts, customer_on):
    session_id = _schedule(app, "Called-off session")
    email = customer_on("elite")
    with app.app_context():
        live.register(user_by_email(email), session_id)
    token = _new_token(auth, email)
    [before] = Calendar.from_ical(
        client.get(f"/feeds/live-sessions.ics?token={token}").data).walk("VEVENT")
    with app.app_context():
        live.cancel_session(user_by_email("staff@demo.test"), session_id, "Presenter ill.")

    [after] = Calendar.from_ical(
        client.get(f"/feeds/live-sessions.ics?token={token}").data).walk("VEVENT")
    assert (str(before["STATUS"]), str(after["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]
    assert not after.walk("VALARM")
    assert str(after["DESCRIPTION"]).startswith("Cancelled: Presenter ill.")
    assert "Join details" not in str(after["DESCRIPTION"])


def test_the_calendar_refuses_a_plan_without_live_sessions(client, auth, customer_on):
    token = _new_token(auth, customer_on("xtreme"))
    response = client.get(f"/feeds/live-sessions.ics?token={token}")
    assert response.status_code == 403 and b"Interactive sessions" in response.data


def test_a_deactivated_users_token_is_refused(app, client, auth, content, customer_on):
    from kb import db

    email = customer_on("elite")
    token = _new_token(auth, email)
    with app.app_context():
        user_by_email(email).is_enabled = False
        db.session.commit()
    response = _feed(client, "patches", token)
    assert response.status_code == 403 and b"deactivated" in response.data
