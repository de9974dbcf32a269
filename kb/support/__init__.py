"""The support desk: response targets by severity, plan and product, the coverage calendar
each plan's clock runs on, and incidents (issue 16): logging, the thread, the staff queue,
remote access, notifications and the API."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.demo import register_loader
    from kb.support import (  # noqa: F401 - notices registers the breach job
        close_views,
        commands,
        demo,
        download_views,
        notices,
        staff_views,
        target_views,
        views,
        watcher_views,
    )
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    app.register_blueprint(target_views.blueprint)
    app.cli.add_command(commands.support_group)
    add_nav_entry(app, NavEntry("Incidents", "incidents.index", "online_portal",
                                group="Support"))
    add_nav_entry(app, NavEntry("Coverage and phone", "incidents.coverage_page",
                                "phone_support", group="Support"))
    add_nav_entry(app, NavEntry("Incident queue", "incident_staff.queue", staff_only=True,
                                group="Staff"))
    add_nav_entry(app, NavEntry("Response targets", "support_targets.index", staff_only=True,
                                group="Staff"))
    register_loader(app, demo.load)
