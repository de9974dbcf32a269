"""Products and their versions: first-class records that content, patches and organisations name."""

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.products import views
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    add_nav_entry(app, NavEntry("Products", "products.index", staff_only=True, group="Staff"))
