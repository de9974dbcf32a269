"""How fast readers get the knowledge base: list pages (filtered, deep pages), one article and
the API list, with N published articles on SQLite (or KB_DATABASE_URL). Prints figures.

    .venv/bin/python bench/reading.py [--articles 3000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb import create_app, db, demo  # noqa: E402
from kb.accounts.queries import user_by_email  # noqa: E402
from kb.articles import service  # noqa: E402
from kb.articles.fields import ArticleFields  # noqa: E402
from kb.db import Base  # noqa: E402
from kb.plans import PLANS  # noqa: E402

PRODUCTS = [("Orbit ERP", ["11.0", "11.1", "12.0"]), ("Orbit Integration Hub", ["3.5", "4.0"]),
            ("Orbit Analytics", ["2025.2", "2026.1"])]
KINDS = ["how-to", "reference", "troubleshooting", "workaround"]
BODY = "## Symptoms\n\nThe job stops.\n\n## Steps\n\n1. Open the console\n2. Restart it\n\n" \
       "| Setting | Value |\n|---|---|\n| timeout | 600 |\n\n```python\nprint('ok')\n```\n"


def fill(count: int) -> None:
    staff = user_by_email("staff@demo.test")
    for number in range(count):
        product, versions = PRODUCTS[number % len(PRODUCTS)]
        service.create_article(staff, ArticleFields(
            title=f"Article {number}", body=BODY * 3, summary=f"Summary {number}",
            kind=KINDS[number % len(KINDS)], products=[product],
            versions=[versions[number % len(versions)]], tags=[f"tag{number % 40}"],
            min_plan=PLANS[number % len(PLANS)], status="published"))


def timed(client, url: str, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"DATA_DIR": directory, "SECRET_KEY": "bench",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            Base.metadata.create_all(db.database().engine)
            demo.load_accounts()
            started = time.perf_counter()
            fill(options.articles)
            seconds = time.perf_counter() - started
        print(f"{options.articles} articles written through the service in {seconds:.1f} s "
              f"({options.articles / seconds:.0f}/s, each with a revision and an index task)")
        client = app.test_client()
        sign_in(client)
        last_page = -(-options.articles // 20)
        for label, url in [
            ("list, page 1", "/articles/"),
            ("list, last page", f"/articles/?page={last_page}"),
            ("list, product+version+kind", "/articles/?product=orbit-erp&version=12.0&kind=how-to"),
            ("list, tag", "/articles/?tag=tag7"),
            ("one article", "/articles/article-42"),
            ("API list, 100 per page", "/api/v1/articles?per_page=100"),
            ("API one article", "/api/v1/articles/article-42"),
            ("release notes", "/release-notes/"),
        ]:
            median, worst = timed(client, url, options.repeat)
            print(f"{label:32s} median {median:7.1f} ms   max {worst:7.1f} ms")


def sign_in(client) -> None:
    import re

    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"email": "premium@demo.test", "password": "demo-password",
                                  "csrf_token": token, "next": ""})


if __name__ == "__main__":
    main()
