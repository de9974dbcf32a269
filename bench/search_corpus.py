"""The corpus of the search speed bench (bench/search.py): perturbed copies of the loaded
articles up to a size, and queries people type."""

from __future__ import annotations

import random
import re
import time


def replicate(total: int, seed: int = 7) -> int:
    """Add copies of the loaded articles with about 5 % of their words replaced, until the
    table holds ``total`` articles (rows written directly: this measures indexing, not the
    Markdown renderer). Returns the number of rows added."""
    from sqlalchemy import insert, select

    from kb import db
    from kb.articles.models import Article

    originals = db.session.execute(
        select(Article.title, Article.slug, Article.rendered_text, Article.summary)).all()
    vocabulary = sorted({word for _, _, text, _ in originals[:400]
                         for word in re.findall(r"[a-z]{4,}", (text or "").lower())})
    generator = random.Random(seed)
    added, copy = 0, 1
    now = time.time()
    from datetime import UTC, datetime

    stamp = datetime.fromtimestamp(now, UTC)
    while len(originals) + added < total:
        rows = []
        for title, slug, text, summary in originals:
            if len(originals) + added + len(rows) >= total:
                break
            words = (text or "").split()
            for _ in range(len(words) // 20):
                words[generator.randrange(len(words))] = generator.choice(vocabulary)
            rows.append({"type": "article", "slug": f"{slug}-copy-{copy}",
                         "title": f"{title} ({copy})", "summary": summary or "",
                         "body": "", "min_plan": "xtreme", "status": "published",
                         "critical": False, "rendered_text": " ".join(words), "extra": {},
                         "highlights": "", "created_at": stamp, "updated_at": stamp,
                         "published_at": stamp})
        db.session.execute(insert(Article), rows)
        db.session.commit()
        added += len(rows)
        copy += 1
    return added


def make_queries(count: int, seed: int = 11) -> list[str]:
    """Queries people type: two or three words of a title, some with a prefix or a phrase."""
    from sqlalchemy import select

    from kb import db
    from kb.articles.models import Article

    titles = list(db.session.scalars(select(Article.title).limit(4000)))
    generator = random.Random(seed)
    queries = []
    while len(queries) < count:
        words = [w for w in re.findall(r"[A-Za-z]{3,}", generator.choice(titles))]
        if len(words) < 2:
            continue
        picked = generator.sample(words, min(len(words), generator.choice([1, 2, 2, 3])))
        text = " ".join(picked).lower()
        if generator.random() < 0.1:
            text = text[:-1] + "*" if len(picked[-1]) > 4 else text
        queries.append(text)
    return queries
