"""Alerts and everything that tells a user something: critical-issue alerts and their
subscriptions, the e-mail outbox, its delivery through SMTP, one-click unsubscribe, and
personal Atom and calendar feeds."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.alerts import commands, digest, staff_views, views  # noqa: F401
    from kb.web import NavEntry, add_nav_entry, csrf

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    add_nav_entry(app, NavEntry("Critical-issue alerts", "alerts.index",
                                feature="workaround_alerts", group="Support"))
    add_nav_entry(app, NavEntry("Notification settings", "alerts.notification_settings",
                                group="Account"))
    add_nav_entry(app, NavEntry("Feeds", "alerts.feeds_page", group="Account"))
    add_nav_entry(app, NavEntry("Critical alerts", "alerts_staff.alerts", staff_only=True,
                                group="Staff"))
    add_nav_entry(app, NavEntry("E-mail outbox", "alerts_staff.outbox_page", staff_only=True,
                                group="Staff"))
    csrf.exempt(views.unsubscribe_now)
    app.cli.add_command(commands.outbox_group)
