"""Early adopter programmes (Elite): staff open programmes, Elite organisations apply, staff
accept at their discretion; members read the programme's gated patches and its private
community space until the programme ends."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.demo import register_loader
    from kb.programmes import demo, staff_views, views
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    add_nav_entry(app, NavEntry("Early adopter programmes", "programmes.index", "early_adopter",
                                group="Support"))
    add_nav_entry(app, NavEntry("Programmes", "programmes_staff.index", staff_only=True,
                                group="Staff"))
    register_loader(app, demo.load)
