"""What the tests of data migrations share: the demo portal at head on a database of its own,
and rows read straight from that database once migrations have run."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from kb.db import make_engine
from tests.conftest import app_settings


def demo_at_head(tmp_path, database, new_app) -> Flask:
    """An app on ``database`` (``isolated_database``) after ``kb init`` and ``kb demo``."""
    app = new_app(app_settings(tmp_path / "data", database.url))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    demo = runner.invoke(args=["demo"])
    assert demo.exit_code == 0, demo.output
    return app


def read(url: str, sql: str, **parameters) -> list:
    """The rows ``sql`` selects, on a connection of its own (not the app's session)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), parameters).all()
    finally:
        engine.dispose()
