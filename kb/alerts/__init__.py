"""Alerts and everything that tells a user something; today the e-mail outbox, its delivery
through SMTP, one-click unsubscribe, and personal Atom and calendar feeds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.alerts import commands, feeds_views, views
    from kb.web import NavEntry, add_nav_entry, csrf

    app.register_blueprint(views.blueprint)
    app.register_blueprint(feeds_views.blueprint)
    add_nav_entry(app, NavEntry("Feeds", "alerts.feeds_page", group="Account"))
    add_nav_entry(app, NavEntry("E-mail outbox", "alerts.staff_outbox", staff_only=True,
                                group="Staff"))
    csrf.exempt(views.unsubscribe_now)
    app.cli.add_command(commands.outbox_group)
