"""What a page of an API bare list reads: the SQL statements and the incident rows the ORM
loads for /api/v1/incidents whole and for one page of it, with N incidents of one organisation
on SQLite (or KB_DATABASE_URL). Prints figures.

    .venv/bin/python bench/list_pages.py [--incidents 5000] [--per-page 20]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

# the project, not this folder (its markdown.py would hide the library)
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import event, insert  # noqa: E402

from kb import create_app, db, demo  # noqa: E402
from kb.accounts.queries import user_by_email  # noqa: E402
from kb.db import Base  # noqa: E402
from kb.support import incidents, service  # noqa: E402
from kb.support.models import Incident  # noqa: E402


def fill(count: int) -> None:
    """One incident logged through the service, and ``count - 1`` copies of its row."""
    service.ensure_default_table()
    logged = incidents.log_incident(user_by_email("elite@demo.test"), incidents.IncidentDetails(
        product="Orbit ERP", severity=3, title="Logged", description="It fails."))
    columns = {column.key: getattr(logged, column.key)
               for column in Incident.__table__.columns if column.key != "id"}
    db.session.execute(insert(Incident), [
        {**columns, "number": logged.number + n, "title": f"Copy {n}",
         "created_at": logged.created_at - timedelta(minutes=n)} for n in range(1, count)])
    db.session.commit()


@contextmanager
def reading(engine):
    """Counts the statements sent and the Incident objects built from rows."""
    figures = {"statements": 0, "incidents": 0}

    def statement(*_):
        figures["statements"] += 1

    def loaded(*_):
        figures["incidents"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Incident, "load", loaded)
    try:
        yield figures
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Incident, "load", loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=5000)
    parser.add_argument("--per-page", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"DATA_DIR": directory, "SECRET_KEY": "bench",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            engine = db.database().engine
            Base.metadata.create_all(engine)
            demo.load_accounts()
            fill(options.incidents)
        client = app.test_client()
        sign_in(client, "elite@demo.test")
        middle = max(1, options.incidents // options.per_page // 2)
        for label, url in [
            ("whole list", "/api/v1/incidents"),
            (f"page {middle}, {options.per_page} per page",
             f"/api/v1/incidents?per_page={options.per_page}&page={middle}"),
        ]:
            with reading(engine) as figures:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            print(f"{label:28s} {len(response.json):6d} items  "
                  f"{figures['incidents']:6d} incident rows loaded  "
                  f"{figures['statements']:3d} statements  "
                  f"X-Total-Count {response.headers.get('X-Total-Count', '-')}")


def sign_in(client, email: str) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"email": email, "password": "demo-password",
                                  "csrf_token": token, "next": ""})


if __name__ == "__main__":
    main()
