"""Unlimited incidents: no cap on how many an organisation logs, also when many are logged
at the same moment, each in its own thread, connection and transaction: the numbers are 1..N
without a gap or a repeat."""

from __future__ import annotations

import threading

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.support import incidents
from kb.support.models import Incident

RACERS = 12


def _log_at_once(app, email: str, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def worker(position: int):
        with app.app_context():
            user = user_by_email(email)
            details = incidents.IncidentDetails(product="Orbit ERP", severity=1 + position % 4,
                                                title=f"Parallel {position}",
                                                description="Logged at the same moment.")
            barrier.wait()
            try:
                incidents.log_incident(user, details)
            except BaseException as failure:  # noqa: BLE001 - reported by the test
                failures.append(failure)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_parallel_logging_numbers_every_incident_once(desk, log_incident):
    log_incident("elite@demo.test")  # number 1 exists before the race
    assert _log_at_once(desk, "elite@demo.test", RACERS) == []
    with desk.app_context():
        numbers = sorted(db.session.scalars(select(Incident.number)))
    assert numbers == list(range(1, RACERS + 2))


def test_there_is_no_cap_on_the_number_of_incidents(desk, log_incident):
    for _ in range(60):
        log_incident("xtreme@demo.test", severity=4)
    with desk.app_context():
        assert len(db.session.scalars(select(Incident.id)).all()) == 60
