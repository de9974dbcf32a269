"""In-app notifications: a short message with a link, kept per user until read.

``notify`` adds to the caller's transaction, so a notification exists only if the change it
announces was committed (``kb.alerts.dispatch.tell`` calls it when the user's preferences
want it). The page ``/notifications`` lists them a page at a time; opening one marks it read
and goes to its item. The API's ``GET /api/v1/notifications`` returns the newest.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from kb import db
from kb.articles.queries import Page
from kb.db import Base, UTCDateTime, utcnow
from kb.errors import NotFound
from kb.paging import page_number
from kb.safe_redirect import safe_next_url


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # what happened, e.g. "topic.scheduled", "session.promoted"
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def notify(user, kind: str, title: str, url: str = "") -> Notification:
    """Add a notification for ``user`` to the current transaction (the caller commits)."""
    notification = Notification(user_id=user.id, kind=kind, title=title[:500], url=url)
    db.session.add(notification)
    return notification


# the newest this many, when the API is not asked for a page
API_LIMIT = 100


def notifications_for(user, limit: int = API_LIMIT) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def notifications_page(user, page: int, per_page: int) -> Page:
    """One page of the user's notifications, newest first."""
    total = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id)) or 0
    items = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)


def open_notification(user, notification_id: int) -> str:
    """Mark one of the user's notifications read (commits) and return where it leads: its
    item's path on this site, or the notifications page when it has none (or a stored
    address that is not a path here)."""
    notification = _own(user, notification_id)
    target = safe_next_url(notification.url)
    mark_read(user, notification_id)
    return target or url_for("notifications.index")


def unread_count(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user, notification_id: int | None = None) -> None:
    """Mark one of the user's notifications read (or all of them when no id is given)."""
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == _own(user, notification_id).id)
    db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()


def mark_read_leading_to(user, url: str) -> int:
    """Mark read the user's unread notifications that lead to ``url``, the page they opened
    (an incident's); how many. Writes (and commits) only when there are some."""
    unread = (Notification.user_id == user.id, Notification.read_at.is_(None),
              Notification.url == url)
    if not db.session.scalar(select(func.count()).select_from(Notification).where(*unread)):
        return 0
    marked = db.session.execute(update(Notification).where(*unread).values(read_at=utcnow()))
    db.session.commit()
    return marked.rowcount


def _own(user, notification_id: int) -> Notification:
    """The user's notification; another user's is as absent as a missing one (404)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("No such notification.")
    return notification


blueprint = Blueprint("notifications", __name__)


@blueprint.get("/notifications")
@login_required
def index():
    listing = notifications_page(current_user, page_number(request.args),
                                 current_app.config["PAGE_SIZE"])
    return render_template("notifications/index.html", listing=listing)


@blueprint.post("/notifications/<int:notification_id>/open")
@login_required
def open_item(notification_id: int):
    return redirect(open_notification(current_user, notification_id))


@blueprint.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index"))


@blueprint.post("/notifications/read")
@login_required
def read_all():
    mark_read(current_user)
    return redirect(url_for("notifications.index"))


def _unread_context() -> dict:
    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(current_user)}


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.context_processor(_unread_context)
