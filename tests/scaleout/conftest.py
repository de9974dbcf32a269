"""The portal of two servers (``tests/scaleout/portal.py``), started once per module."""

from __future__ import annotations

import shutil

import pytest

from kb import create_app
from tests.browser.conftest import LiveServer
from tests.conftest import IsolatedDatabase, app_settings
from tests.scaleout.portal import SHARED_SECRET, Portal
from tests.stores import new_bucket


@pytest.fixture(scope="module")
def portal(tmp_path_factory, s3_endpoint):
    directory = tmp_path_factory.mktemp("two-servers")
    database = IsolatedDatabase(directory)
    shared = {**SHARED_SECRET, "KB_STORAGE_URL": f"s3://{new_bucket(s3_endpoint)}/kb",
              "KB_S3_ENDPOINT_URL": s3_endpoint, "KB_SEARCH_BACKEND": "postgresql"}
    first = LiveServer(directory / "first", database.url, workers=1, environment=shared)
    second = LiveServer(directory / "second", database.url, workers=1, demo=False,
                        environment=shared)
    app = create_app({**app_settings(directory / "tests", database.url),
                      "SEARCH_BACKEND": "postgresql"})
    try:
        first.start()
        second.start()
        yield Portal(first, second, app)
    finally:
        first.stop()
        second.stop()
        app.extensions["kb.database"].engine.dispose()
        database.drop()
        shutil.rmtree(directory, ignore_errors=True)
