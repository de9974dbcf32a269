"""Learning sessions: recordings, topic requests, live interactive sessions, the Campus offer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user

from kb.links import path_for  # noqa: F401 - the areas' modules import it from here


def user_zone() -> ZoneInfo:
    """The signed-in user's time zone (their profile setting), UTC otherwise."""
    return zone_of(current_user)


def zone_of(user) -> ZoneInfo:
    """``user``'s time zone (their profile setting), UTC when unset or unknown."""
    name = getattr(user, "time_zone", None) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(value: datetime | None, pattern: str = "%a %d %b %Y, %H:%M %Z") -> str:
    """A UTC time as the reader's wall-clock time."""
    return value.astimezone(user_zone()).strftime(pattern) if value else ""


def init_app(app: Flask) -> None:
    from kb import demo
    from kb.sessions import (  # noqa: F401 - reminders registers its scheduled job
        campus_views,
        commands,
        live_views,
        recording_views,
        reminders,
        staff_views,
        topic_views,
    )
    from kb.sessions.demo_data import load_demo
    from kb.sessions.models import LiveSession, Recording, TopicRequest
    from kb.sessions.transcripts import format_time
    from kb.web import NavEntry, add_nav_entry

    for module in (recording_views, topic_views, live_views, staff_views, campus_views):
        app.register_blueprint(module.blueprint)
    app.cli.add_command(commands.sessions_group)
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(format_time, "transcript_time")
    # every plan sees the live-session schedule; registering is what Premium and Elite add
    for entry in (NavEntry("Recordings", "recordings.index", Recording.access_feature,
                           group="Learning"),
                  NavEntry("Live sessions", "live.index", LiveSession.access_feature,
                           group="Learning"),
                  NavEntry("Topic requests", "topics.index", TopicRequest.access_feature,
                           group="Learning"),
                  NavEntry("Campus", "campus.index", "campus_discount", group="Learning")):
        add_nav_entry(app, entry)
    demo.register_loader(app, load_demo)
