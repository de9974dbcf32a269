"""Alerts and everything that tells a user something; today the e-mail outbox, its delivery
through SMTP, and one-click unsubscribe."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.alerts import commands, views
    from kb.web import csrf

    app.register_blueprint(views.blueprint)
    csrf.exempt(views.unsubscribe_now)
    app.cli.add_command(commands.outbox_group)
