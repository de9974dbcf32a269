"""The notification centre: the unread count on every page's navigation, a paged list, opening
an item marks it read and goes to the item's own path only, another user's notifications are
absent (404), and the API marks one or all read."""

from __future__ import annotations

import re

import pytest

from kb import db, notifications
from kb.accounts.queries import user_by_email
from tests.conftest import bearer

BADGE = re.compile(r'id="unread-count">.*?</span>(\w+)<span')


def _notify(app, email: str, title: str, url: str = "") -> int:
    with app.app_context():
        made = notifications.notify(user_by_email(email), "patch.published", title, url)
        db.session.commit()
        return made.id


def _badge(page: str) -> str | None:
    found = BADGE.search(page)
    return found.group(1) if found else None


def _read(app, notification_id: int) -> bool:
    with app.app_context():
        return db.session.get(notifications.Notification, notification_id).read_at is not None


def test_the_unread_count_is_in_the_navigation_of_every_page(app, client, auth, customer_on):
    email = customer_on("premium")
    _notify(app, email, "One")
    _notify(app, email, "Two")
    auth.login(email)
    for path in ("/plans", "/account", "/notifications/settings"):
        assert _badge(client.get(path).get_data(as_text=True)) == "2", path
    auth.post("/notifications/read")
    assert _badge(client.get("/plans").get_data(as_text=True)) is None


def test_opening_an_item_marks_it_read_and_goes_to_the_item(app, client, auth, customer_on):
    email = customer_on("premium")
    opened = _notify(app, email, "Patch 7.1.2", "/patches/3?tab=files#download")
    other = _notify(app, email, "Another", "/patches/4")
    auth.login(email)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'action="/notifications/{opened}/open"' in page

    response = auth.post(f"/notifications/{opened}/open")

    assert response.status_code == 302
    assert response.headers["Location"] == "/patches/3?tab=files#download"
    assert _read(app, opened) and not _read(app, other)
    assert _badge(client.get("/plans").get_data(as_text=True)) == "1"


@pytest.mark.parametrize("stored", ["https://evil.example/x", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)", ""])
def test_opening_never_leaves_the_site(app, client, auth, customer_on, stored):
    email = customer_on("premium")
    notification_id = _notify(app, email, "Odd link", stored)
    auth.login(email)
    response = auth.post(f"/notifications/{notification_id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications"
    assert _read(app, notification_id)


def test_another_users_notification_is_not_found(app, client, auth, customer_on, api_token):
    owner, intruder = customer_on("elite"), customer_on("elite")
    theirs = _notify(app, owner, "Private", "/patches/9")
    auth.login(intruder)
    assert auth.post(f"/notifications/{theirs}/open").status_code == 404
    assert auth.post(f"/notifications/{theirs}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs}/read",
                       headers=bearer(api_token(intruder))).status_code == 404
    assert not _read(app, theirs)


def test_opening_needs_the_csrf_token(app, client, auth, customer_on):
    email = customer_on("premium")
    notification_id = _notify(app, email, "Patch", "/patches/3")
    auth.login(email)
    assert client.post(f"/notifications/{notification_id}/open").status_code == 400
    assert not _read(app, notification_id)


def test_the_list_is_paged_newest_first(app, client, auth, customer_on):
    app.config["PAGE_SIZE"] = 2
    email = customer_on("premium")
    for number in range(1, 6):
        _notify(app, email, f"Notice number {number}")
    auth.login(email)

    first = client.get("/notifications").get_data(as_text=True)
    third = client.get("/notifications?page=3").get_data(as_text=True)

    assert re.findall(r'class="notification-title">Notice number (\d)', first) == ["5", "4"]
    assert "Page 1 of 3" in first and 'href="/notifications?page=2"' in first
    assert re.findall(r'class="notification-title">Notice number (\d)', third) == ["1"]
    assert client.get("/notifications?page=9").status_code == 200
    assert client.get("/notifications?page=x").status_code == 422


def test_the_api_marks_one_or_all_read(app, client, customer_on, api_token):
    email = customer_on("premium")
    first, second, third = (_notify(app, email, title) for title in ("a", "b", "c"))
    headers = bearer(api_token(email))

    assert client.post(f"/api/v1/notifications/{first}/read", headers=headers).status_code == 204
    listed = client.get("/api/v1/notifications", headers=headers).json
    assert [(n["id"], n["read"]) for n in listed] == [(third, False), (second, False),
                                                      (first, True)]
    assert set(listed[0]) == {"id", "kind", "title", "url", "created", "read"}

    assert client.post("/api/v1/notifications/read", headers=headers).status_code == 204
    assert all(n["read"] for n in client.get("/api/v1/notifications", headers=headers).json)


def test_the_openapi_document_describes_the_mark_read_calls(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/notifications/{notification_id}/read"]
    assert "post" in paths["/api/v1/notifications/read"]
