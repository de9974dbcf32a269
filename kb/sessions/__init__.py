"""Learning sessions: recordings, topic requests, live interactive sessions, the Campus offer.

One sub-package per part, each with the usual files (``service.py`` writes, ``queries.py``
reads, ``views.py`` pages, ``forms.py``; ``staff_views.py`` for staff pages) and helpers named
for their job (``live/notices.py``, ``recordings/media.py``, ...). The models of every part are
in ``models.py``, since the parts refer to each other (a topic is covered by a recording, a live
session's recording)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb import demo
    from kb.sessions import commands
    from kb.sessions.campus import views as campus_views
    from kb.sessions.demo_data import load_demo
    from kb.sessions.live import reminders  # noqa: F401 - registers its scheduled job
    from kb.sessions.live import staff_views as live_staff_views
    from kb.sessions.live import views as live_views
    from kb.sessions.models import LiveSession, Recording, TopicRequest
    from kb.sessions.recordings import staff_views as recording_staff_views
    from kb.sessions.recordings import views as recording_views
    from kb.sessions.recordings.transcripts import format_length, format_time
    from kb.sessions.topics import views as topic_views
    from kb.time_zones import local_time
    from kb.web import NavEntry, add_nav_entry

    for module in (recording_views, recording_staff_views, topic_views, live_views,
                   live_staff_views, campus_views):
        app.register_blueprint(module.blueprint)
    app.cli.add_command(commands.sessions_group)
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(format_time, "transcript_time")
    app.add_template_filter(format_length, "recording_length")
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
