"""Cost of the search API's product and version filter checks (kb/filter_values.py, which ask
kb/products/known.py what the caller may name): 200 calls of /api/v1/search through the test
client per query shape and reader, printing the median wall and CPU time per call and the SQL
statements per call.

    KB_DATA_DIR=/tmp/kbdemo/instance .venv/bin/python -m bench.filter_checks

on a data directory holding the demo (``kb init && kb demo``); it adds one API token to each
reader. Run it with another checkout first on PYTHONPATH to compare."""

from __future__ import annotations

import statistics
import time

from sqlalchemy import event

from kb import create_app, db

CALLS = 200
READERS = ("elite@demo.test", "staff@demo.test")
SHAPES = {
    "no filter": {"q": "connector"},
    "product": {"q": "connector", "product": "Orbit Integration Hub"},
    "product+version": {"q": "connector", "product": "orbit-integration-hub", "version": "3.5"},
}


def main() -> None:
    app = create_app()
    with app.app_context():
        from kb.accounts.queries import user_by_email
        from kb.accounts.tokens import create_api_token

        tokens = {who: create_api_token(user_by_email(who), "bench")[1] for who in READERS}
        engine = db.database().engine
    statements = [0]

    def count(*_arguments) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    client = app.test_client()
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        for name, arguments in SHAPES.items():
            for _ in range(10):  # warm the statement cache and the searcher
                assert client.get("/api/v1/search", query_string=arguments,
                                  headers=headers).status_code == 200
            statements[0] = 0
            walls, cpus = [], []
            for _ in range(CALLS):
                wall, cpu = time.perf_counter(), time.process_time()
                answer = client.get("/api/v1/search", query_string=arguments, headers=headers)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert answer.status_code == 200, answer.json
            print(f"{who:18} {name:16} wall median {statistics.median(walls) * 1000:6.2f} ms  "
                  f"cpu median {statistics.median(cpus) * 1000:6.2f} ms  "
                  f"statements/call {statements[0] / CALLS:4.1f}")


if __name__ == "__main__":
    main()
