"""Password-reset requests for addresses with and without an account: how long each takes
through the real route (``POST /reset-password`` with the Flask test client), so that a
difference an attacker could measure shows up.

    .venv/bin/python -m bench.reset_timing [--rounds 400]

Each round asks once for a fresh address that has an account and once for a fresh one that has
none, in random order, each from a client address of its own (so neither throttle holds either
back). Prints the median and 90th percentile of both. Runs on SQLite by default; set
KB_DATABASE_URL=postgresql+psycopg://... for PostgreSQL (a throwaway schema is created and
dropped)."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app, db
from kb.accounts.models import Organization, User
from kb.db import Base
from kb.policy import today
from tests.conftest import IsolatedDatabase, app_settings, csrf_token

WARM_UP_ROUNDS = 10


def _address(n: int, *, known: bool) -> str:
    """Addresses of one shape for both sides (their length or sort order must not differ)."""
    return f"person{2 * n + (0 if known else 1):06d}@bench.test"


def _create_accounts(app, count: int) -> list[str]:
    with app.app_context():
        Base.metadata.create_all(db.database().engine)
        organization = Organization(name="Bench", plan="premium", term_start=today(),
                                    term_end=today() + timedelta(days=300))
        # the hash's value does not matter: a reset request never checks it
        users = [User(email=_address(n, known=True), organization=organization,
                      password_hash="pbkdf2:sha256:1000$bench$0") for n in range(count)]
        db.session.add_all([organization, *users])
        db.session.commit()
        return [user.email for user in users]


def _measure(app, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds per request: (known addresses, unknown addresses), warm-up rounds left out."""
    total = rounds + WARM_UP_ROUNDS
    known_addresses = _create_accounts(app, total)
    client = app.test_client()
    form = {"csrf_token": csrf_token(client, "/reset-password")}
    times: dict[bool, list[float]] = {True: [], False: []}
    for n in range(total):
        pair = [(True, known_addresses[n]), (False, _address(n, known=False))]
        random.shuffle(pair)
        for side, (known, email) in enumerate(pair):
            client_address = f"10.{n // 250 % 250}.{n % 250}.{side + 1}"
            started = time.perf_counter()
            response = client.post("/reset-password", data={**form, "email": email},
                                   environ_overrides={"REMOTE_ADDR": client_address})
            elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise SystemExit(f"unexpected answer {response.status_code} for {email}")
            if n >= WARM_UP_ROUNDS:
                times[known].append(elapsed)
    return times[True], times[False]


def _summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
    return f"median {statistics.median(ordered) * 1000:6.2f} ms, p90 {p90 * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    random.seed(options.seed)
    with tempfile.TemporaryDirectory() as directory:
        database = IsolatedDatabase(Path(directory))
        try:
            app = create_app(app_settings(Path(directory) / "data", database.url))
            known, unknown = _measure(app, options.rounds)
            with app.app_context():
                db.database().engine.dispose()
        finally:
            database.drop()
    backend = "postgresql" if database.schema else "sqlite"
    print(f"{backend}: POST /reset-password, {options.rounds} rounds")
    print(f"  known address:   {_summary(known)}")
    print(f"  unknown address: {_summary(unknown)}")
    difference = statistics.median(known) - statistics.median(unknown)
    paired = statistics.median(k - u for k, u in zip(known, unknown, strict=True))
    print(f"  known - unknown: difference of the medians {difference * 1000:+.2f} ms, median "
          f"of the per-round differences {paired * 1000:+.2f} ms")


if __name__ == "__main__":
    main()
