"""Fixtures of the search tests: articles written through the service, readers by plan."""

from __future__ import annotations

import pytest

from kb.accounts.queries import user_by_email
from kb.search.query import SearchRequest, search
from kb.search.whoosh import index
from tests.search import writer


@pytest.fixture(autouse=True)
def _fresh_searcher():
    yield
    index.close_searcher()


@pytest.fixture
def publish(app_context):
    """publish(title, body, min_plan=..., status=..., ...) -> article id, committed."""
    return writer.publish


@pytest.fixture
def reader(app_context, demo_accounts):
    """The demo user of a role: reader("xtreme"|"premium"|"elite"|"lapsed"|"staff")."""
    return lambda name: user_by_email(f"{name}@demo.test")


def titles(user, text: str, **filters) -> list[str]:
    return [hit.title for hit in search(user, SearchRequest(text=text, **filters)).hits]
