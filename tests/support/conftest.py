"""Factories for the support-desk tests: the demo accounts, the default target table, and
incidents logged through the service as a customer would."""

from __future__ import annotations

import io

import pytest

from kb.accounts.queries import user_by_email
from kb.storage import Upload
from kb.support import incidents, service
from tests.alerts.conftest import smtp, smtp_server  # noqa: F401 - the real SMTP server


@pytest.fixture
def desk(app, demo_accounts):
    """The demo organisations with the default target table."""
    with app.app_context():
        service.ensure_default_table()
    return app


@pytest.fixture
def log_incident(desk):
    """log_incident(email, severity=2, title=..., files={name: bytes}) -> incident id."""

    def make(email: str = "elite@demo.test", severity: int = 2, title: str = "Posting fails",
             product: str = "Orbit ERP", files: dict[str, bytes] | None = None, **fields) -> int:
        uploads = [Upload(name, io.BytesIO(data))
                   for name, data in (files or {}).items()]
        with desk.app_context():
            details = incidents.IncidentDetails(
                product=product, severity=severity, title=title,
                description=fields.pop("description", "It fails."), uploads=uploads, **fields)
            return incidents.log_incident(user_by_email(email), details).id

    return make


@pytest.fixture
def as_user(desk):
    """Run ``action(user)`` as the user with this e-mail, in an app context."""

    def run(email: str, action):
        with desk.app_context():
            return action(user_by_email(email))

    return run
