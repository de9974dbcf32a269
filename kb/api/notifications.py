"""/api/v1/notifications: the user's in-app notifications, newest first."""

from __future__ import annotations

from flask_login import current_user

from kb import notifications
from kb.api import blueprint
from kb.api.lists import page_answer, page_asked
from kb.api.openapi import ON_REQUEST, documented
from kb.api.responses import respond
from kb.api.responses.accounts import Notification


def notification_json(notification: notifications.Notification) -> dict:
    return {"id": notification.id, "kind": notification.kind, "title": notification.title,
            "url": notification.url, "created": notification.created_at,
            "read": notification.read_at is not None}


@blueprint.get("/notifications")
@documented("Your notifications, newest first: id, kind, title, url, created, read; the "
            f"newest {notifications.API_LIMIT}, or any page of all of them",
            response_model=list[Notification], paged=ON_REQUEST)
def api_notifications():
    asked = page_asked()
    if asked is None:
        return respond(list[Notification], [notification_json(n) for n in
                                             notifications.notifications_for(current_user)])
    found = notifications.notifications_page(current_user, asked.page, asked.per_page)
    return page_answer(list[Notification], [notification_json(n) for n in found.items],
                       found.total, asked)


@blueprint.post("/notifications/<int:notification_id>/read")
@documented("Mark one notification read", responses={"204": "Marked", "404": "Not yours"})
def api_mark_notification_read(notification_id: int):
    notifications.mark_read(current_user, notification_id)
    return "", 204


@blueprint.post("/notifications/read")
@documented("Mark all your notifications read", responses={"204": "Marked"})
def api_mark_all_notifications_read():
    notifications.mark_read(current_user)
    return "", 204
