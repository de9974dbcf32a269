"""In-app notifications: added in the caller's transaction, listed newest first on the page and
by the API in the contract's shape, marked read one by one or all at once, private per user."""

from __future__ import annotations

import re

from kb import db, notifications
from kb.accounts.queries import user_by_email
from tests.conftest import bearer


def _notify(app, email, *titles, commit=True):
    with app.app_context():
        user = user_by_email(email)
        for title in titles:
            notifications.notify(user, "test.kind", title, f"/somewhere/{title}")
        if commit:
            db.session.commit()
        else:
            db.session.rollback()


def _unread_badge(page: str) -> str | None:
    """The number in the navigation's unread badge, None when there is no badge."""
    found = re.search(r'id="unread-count">.*?</span>(\w+)<span', page)
    return found.group(1) if found else None


def test_api_lists_newest_first_in_the_contract_shape(app, client, demo_accounts, api_token):
    _notify(app, "premium@demo.test", "first", "second")
    _notify(app, "elite@demo.test", "not yours")
    body = client.get("/api/v1/notifications", headers=bearer(api_token("premium@demo.test"))).json
    assert [n["title"] for n in body] == ["second", "first"]
    assert set(body[0]) == {"id", "kind", "title", "url", "created", "read"}
    assert body[0]["url"] == "/somewhere/second" and body[0]["read"] is False


def test_a_rolled_back_change_leaves_no_notification(app, client, demo_accounts, api_token):
    _notify(app, "premium@demo.test", "never", commit=False)
    assert client.get("/api/v1/notifications",
                      headers=bearer(api_token("premium@demo.test"))).json == []


def test_page_shows_unread_count_and_marks_read(app, client, auth, demo_accounts):
    _notify(app, "xtreme@demo.test", "one", "two")
    auth.login("xtreme@demo.test")
    page = client.get("/notifications").get_data(as_text=True)
    main = page[page.index("<main"):]
    assert _unread_badge(page) == "2" and main.index("two") < main.index("one")
    first_id = client.get("/api/v1/notifications").json[1]["id"]
    auth.post(f"/notifications/{first_id}/read")
    assert [n["read"] for n in client.get("/api/v1/notifications").json] == [False, True]
    auth.post("/notifications/read")
    assert _unread_badge(client.get("/notifications").get_data(as_text=True)) is None


def test_nobody_marks_anothers_notification(app, client, auth, demo_accounts):
    _notify(app, "elite@demo.test", "private")
    with app.app_context():
        theirs = notifications.notifications_for(user_by_email("elite@demo.test"))[0].id
    auth.login("premium@demo.test")
    assert auth.post(f"/notifications/{theirs}/read").status_code == 404
    assert b"private" not in client.get("/notifications").data
