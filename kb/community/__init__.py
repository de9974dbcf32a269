"""The online community: Q&A spaces per product (some for higher plans), questions, answers,
votes, accepted answers, following, moderation and the step from a solved question to an
article."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.community import commands, demo, staff_views, views
    from kb.demo import register_loader
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    app.cli.add_command(commands.community_group)
    add_nav_entry(app, NavEntry("Community", "community.spaces", "community"))
    add_nav_entry(app, NavEntry("Community moderation", "community_staff.queue",
                                staff_only=True, group="Staff"))
    register_loader(app, demo.load)
