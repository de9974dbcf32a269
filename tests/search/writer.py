"""Writes articles through the article service, in the calling app context or, run as a
script, in a process of its own against KB_DATA_DIR/KB_DATABASE_URL (for the crash, lock and
concurrency tests): ``python -m tests.search.writer publish|loop|crash ...``."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime

from sqlalchemy import select

from kb import db
from kb.articles import service
from kb.articles.fields import ArticleFields, apply_fields
from kb.articles.models import Article


def publish(title: str, body: str = "", *, slug: str | None = None, min_plan: str = "xtreme",
            status: str = "published", publish_at: datetime | None = None,
            type: str = "article", products: tuple[str, ...] = (),
            versions: tuple[str, ...] = (), kind: str | None = None, summary: str = "",
            product: str | None = None) -> int:
    """Create (or, when the slug exists, replace) an article the way the services do."""
    slug = slug or title.lower().replace(" ", "-")[:80]
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        article = Article(slug=slug)
        db.session.add(article)
    fields = ArticleFields(
        title=title, body=body or f"About {title}.", slug=slug, min_plan=min_plan,
        status=status, publish_at=publish_at, type=type, products=list(products),
        versions=list(versions), kind=kind, summary=summary, product=product)
    apply_fields(article, fields)
    service.record_index_change(article)
    db.session.commit()
    return article.id


def delete(article_id: int) -> None:
    db.session.delete(db.session.get(Article, article_id))
    db.session.flush()
    from kb import search

    search.record_change("article", article_id)
    db.session.commit()


def _main(arguments: list[str]) -> None:
    from kb import create_process_app

    app = create_process_app()
    with app.app_context():
        command = arguments[0]
        if command == "publish":
            print(publish(**json.loads(arguments[1])))
        elif command == "crash":
            # commit the change, then die before the index learns it (the crash window)
            from kb.search import sync

            sync.apply_pending = lambda: os._exit(3)
            publish(**json.loads(arguments[1]))
        elif command == "loop":
            prefix, rounds = arguments[1], int(arguments[2])
            for number in range(rounds):
                plan = ("xtreme", "premium", "elite")[number % 3]
                publish(f"{prefix} item {number % 5}", f"Round {number} of {prefix}.",
                        slug=f"{prefix}-{number % 5}", min_plan=plan,
                        status="draft" if number % 4 == 3 else "published")


if __name__ == "__main__":
    _main(sys.argv[1:])
