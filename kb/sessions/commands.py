"""``kb sessions ...``: schedule a live session and check a Campus code from the shell."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from kb import db
from kb.accounts.models import STAFF_ROLES, User
from kb.db import utcnow
from kb.errors import DomainError
from kb.sessions.campus import service as campus
from kb.sessions.live import service as live
from kb.sessions.live import times as live_times


@click.group("sessions")
def sessions_group() -> None:
    """Live sessions and the Campus offer."""


def _staff_member(email: str | None) -> User:
    query = select(User).where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True))
    if email:
        query = query.where(User.email == email.strip().lower())
    user = db.session.scalar(query.order_by(User.id))
    if user is None:
        raise click.ClickException("No such staff member." if email else "No staff user exists.")
    return user


@sessions_group.command("schedule")
@click.option("--title", required=True)
@click.option("--start", "start", help="Wall-clock start in the zone, e.g. 2026-12-01T15:00.")
@click.option("--starts-in", "starts_in", type=float,
              help="Start this many minutes from now (instead of --start).")
@click.option("--time-zone", default="UTC", show_default=True)
@click.option("--duration", default=60, show_default=True, help="Minutes.")
@click.option("--capacity", default=20, show_default=True)
@click.option("--join-minutes", default=15, show_default=True,
              help="Show the join details this many minutes before the start.")
@click.option("--presenter", default="")
@click.option("--meeting-url", default="")
@click.option("--meeting-number", default="")
@click.option("--meeting-password", default="")
@click.option("--staff", "staff_email", help="Staff member who schedules (default: the first).")
@with_appcontext
def schedule_command(title, start, starts_in, time_zone, duration, capacity, join_minutes,
                     presenter, meeting_url, meeting_number, meeting_password, staff_email):
    """Schedule a live session; its id alone is the last line."""
    if (start is None) == (starts_in is None):
        raise click.UsageError("Give exactly one of --start and --starts-in.")
    try:
        tz = live_times.zone(time_zone)
        local_start = (datetime.fromisoformat(start) if start else
                       (utcnow() + timedelta(minutes=starts_in)).astimezone(tz)
                       .replace(tzinfo=None))
        live_session = live.schedule_session(_staff_member(staff_email), live.LiveSessionFields(
            title=title, local_start=local_start, time_zone=time_zone,
            duration_minutes=duration, capacity=capacity, presenter=presenter,
            meeting_url=meeting_url, meeting_number=meeting_number,
            meeting_password=meeting_password, join_details_minutes=join_minutes))
    except (DomainError, ValueError) as error:
        raise click.ClickException(getattr(error, "message", str(error))) from None
    click.echo(f"Scheduled {live_session.title!r} at {live_session.starts_at:%Y-%m-%d %H:%M} UTC.")
    click.echo(live_session.id)


@sessions_group.command("campus-check")
@click.argument("code")
@with_appcontext
def campus_check_command(code: str) -> None:
    """Say whether a Campus discount code works now (exit 1 if not)."""
    status = campus.code_status(code)
    click.echo(f"{code}: {status}")
    if status != "valid":
        raise SystemExit(1)
