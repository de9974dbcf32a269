"""What the account security tests share: a browser at an address, counting password checks,
expiring the waits, reset links sent and used, the SQL statements a request sends (a reset
request's, a refused filter's)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import event, select, update

from kb import db
from kb.accounts import sign_in
from kb.accounts.models import Throttle
from kb.alerts.schedule import run_due_jobs
from kb.db import utcnow
from kb.mail import OutboxEmail
from tests.conftest import Auth, csrf_token

STRANGER = "198.51.100.66"


CUSTOMER_ADDRESS = "203.0.113.10"


def browser(app, address: str = "192.0.2.1") -> Auth:
    """A fresh test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Auth(client)


def count_password_checks(monkeypatch) -> list[int]:
    """Count the calls of the password hash check (the real check still runs)."""
    calls: list[int] = []
    real_check = sign_in.check_password_hash

    def counting_check(password_hash, password):
        calls.append(1)
        return real_check(password_hash, password)

    monkeypatch.setattr(sign_in, "check_password_hash", counting_check)
    return calls


def _expire_waits(app) -> None:
    """Let every wait end now, as if the time had passed."""
    with app.app_context():
        db.session.execute(update(Throttle).values(
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def _reset_links(app, email: str) -> list[str]:
    """The links e-mailed to ``email`` once the outbox loop answered the requests made."""
    with app.app_context():
        run_due_jobs()
        messages = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.recipient == email).order_by(OutboxEmail.id))
        return [line.removeprefix("http://kb.test") for message in messages
                for line in message.body.splitlines() if "/reset-password/" in line]


def _use_link(client, path: str, password: str = "a-brand-new-password"):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": password,
                                   "csrf_token": token})


WRITE = re.compile(r"^(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


def statements_sent(app, request) -> tuple[int, list[str]]:
    """The status of ``request()`` and the SQL statements (without their parameters) it sent."""
    statements: list[str] = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.database().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        status = request().status_code
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return status, statements


def _statements_of_reset_request(app, email: str, client_address: str) -> list[str]:
    """The SQL statements (without their parameters) one reset request for ``email`` sends."""
    requester = browser(app, client_address).client
    form = {"email": email, "csrf_token": csrf_token(requester, "/reset-password")}
    status, statements = statements_sent(app, lambda: requester.post("/reset-password",
                                                                      data=form))
    assert status == 302
    return statements


def _writes_per_table(statements: list[str]) -> Counter:
    return Counter(f"{match.group(1).upper()} {match.group(2)}"
                   for match in map(WRITE.match, statements) if match)
