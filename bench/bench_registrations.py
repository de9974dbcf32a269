"""Registrations under contention: N threads (each its own connection) register for one live
session at once; prints throughput and latency of the locked registration path.

    .venv/bin/python -m bench.bench_registrations [--people 200] [--threads 16] [--capacity 50]

Runs on SQLite by default; set KB_DATABASE_URL=postgresql+psycopg://... for PostgreSQL (a
throwaway schema is created and dropped)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app, db
from kb.accounts.models import Organization, User
from kb.db import Base, utcnow
from kb.policy import today
from tests.conftest import IsolatedDatabase, app_settings


def _setup(app, people: int, capacity: int) -> tuple[int, list[int]]:
    from datetime import timedelta

    from kb.sessions.live import service as live

    with app.app_context():
        Base.metadata.create_all(db.database().engine)
        organization = Organization(name="Bench", plan="premium", term_start=today(),
                                    term_end=today() + timedelta(days=300))
        staff = User(email="staff@bench.test", role="staff")
        users = [User(email=f"u{i}@bench.test", organization=organization) for i in range(people)]
        db.session.add_all([organization, staff, *users])
        db.session.commit()
        session = live.schedule_session(staff, live.LiveSessionFields(
            title="Bench", local_start=(utcnow() + timedelta(days=1)).replace(tzinfo=None),
            time_zone="UTC", duration_minutes=60, capacity=capacity))
        return session.id, [user.id for user in users]


def _run(app, session_id: int, user_ids: list[int], threads: int) -> list[float]:
    from kb.sessions.live import service as live

    latencies: list[float] = []
    queue = list(user_ids)
    guard = threading.Lock()

    def worker():
        with app.app_context():
            while True:
                with guard:
                    if not queue:
                        return
                    user_id = queue.pop()
                user = db.session.get(User, user_id)
                started = time.perf_counter()
                live.register(user, session_id)
                latencies.append(time.perf_counter() - started)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--capacity", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        database = IsolatedDatabase(Path(directory))
        try:
            app = create_app(app_settings(Path(directory) / "data", database.url))
            session_id, user_ids = _setup(app, options.people, options.capacity)
            started = time.perf_counter()
            latencies = _run(app, session_id, user_ids, options.threads)
            elapsed = time.perf_counter() - started
            with app.app_context():
                from kb.sessions.live.queries import confirmed_count
                from kb.sessions.models import LiveSession

                seats = confirmed_count(db.session.get(LiveSession, session_id))
                db.database().engine.dispose()
        finally:
            database.drop()
    latencies.sort()
    backend = "postgresql" if database.schema else "sqlite"
    print(f"{backend}: {options.people} registrations, {options.threads} threads, "
          f"capacity {options.capacity} -> {seats} confirmed")
    print(f"  {options.people / elapsed:.0f} registrations/s; latency median "
          f"{statistics.median(latencies) * 1000:.1f} ms, p95 "
          f"{latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
