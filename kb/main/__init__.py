"""The pages every visitor shares: home, the plan comparison, feature pages and health."""

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.main import contacts, views

    contacts.init_app(app)
    app.register_blueprint(views.blueprint)
