"""Elite services: the dedicated customer success manager and the conversation with them,
meetings they arrange (senior consultation, update planning with the update's known issues,
activity reviews) and special event support (one weekend per term)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.demo import register_loader
    from kb.elite import demo, meeting_views, review_views, staff_views, views
    from kb.elite.web_links import with_web_links
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    app.register_blueprint(meeting_views.blueprint)
    app.register_blueprint(review_views.blueprint)
    add_nav_entry(app, NavEntry("Success manager", "elite.index", "dedicated_csm",
                                group="Support"))
    add_nav_entry(app, NavEntry("Elite services", "elite_staff.index", staff_only=True,
                                group="Staff"))
    register_loader(app, demo.load)
    app.add_template_filter(with_web_links, "with_web_links")
