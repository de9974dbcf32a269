"""The support desk: response targets by severity, plan and product, and the coverage calendar
each plan's clock runs on. Incidents build on it later (issue 16)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.demo import register_loader
    from kb.support import commands, demo

    app.cli.add_command(commands.support_group)
    register_loader(app, demo.load)
