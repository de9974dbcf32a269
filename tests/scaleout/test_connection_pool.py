"""Each worker process keeps the PostgreSQL connections its settings allow, so several servers
can be sized to the database's max_connections (README "Running several servers")."""

from __future__ import annotations

import os

import pytest

from tests.conftest import app_settings, on_postgres

pytestmark = pytest.mark.skipif(not on_postgres(), reason="SQLite opens a connection per use")


def test_the_pool_follows_the_settings(new_app, tmp_path, monkeypatch):
    monkeypatch.setenv("KB_DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("KB_DATABASE_MAX_OVERFLOW", "1")
    app = new_app(app_settings(tmp_path, os.environ["KB_DATABASE_URL"]))

    pool = app.extensions["kb.database"].engine.pool
    assert (pool.size(), pool._max_overflow) == (3, 1)
