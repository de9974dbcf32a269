"""Learning sessions: recordings, topic requests, live interactive sessions, the Campus offer."""

from __future__ import annotations

from flask import Flask


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
    from kb.time_zones import local_time
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
