"""Part 2 of the relevance bench: known-item search on the shared articles, each found by its
description, cut out of the imported files; MRR@10 and success@1 (bench/relevance.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench.relevance_engines import kb_apps, kb_rankings
from bench.relevance_loading import (
    ARTICLES,
    FRONT_MATTER,
    front_matter,
    indexed_texts,
    load_folder,
    make_app,
)
from bench.relevance_ranking import Fts5
from bench.relevance_split import print_split, split_keys


def known_items(folder: Path) -> dict[str, str]:
    """Path in ``folder`` without .md -> description, of every article that has one."""
    found = {}
    for path in sorted(folder.rglob("*.md")):
        if "includes" in path.relative_to(folder).parts:
            continue
        data, _ = front_matter(path.read_text(encoding="utf-8-sig"))
        description = " ".join(str(data.get("description") or "").split())
        if description:
            found[path.relative_to(folder).with_suffix("").as_posix()] = description
    return found


DESCRIPTION_KEY = re.compile(r"description\s*:")


def without_description(text: str) -> str:
    """The file with the ``description`` key (and the lines it continues on) cut out of its
    front matter; everything else as it was."""
    match = FRONT_MATTER.match(text)
    if not match:
        return text
    kept, skipping, indent = [], False, 0
    for line in match.group(1).split("\n"):
        stripped = line.lstrip()
        depth = len(line) - len(stripped)
        if skipping and (not stripped or depth > indent):
            continue
        skipping = bool(DESCRIPTION_KEY.match(stripped))
        if skipping:
            indent = depth
        else:
            kept.append(line)
    return text[:match.start(1)] + "\n".join(kept) + text[match.end(1):]


def copy_without_descriptions(source: Path, target: Path) -> None:
    """Every Markdown file of ``source`` (includes too) into ``target``, descriptions cut."""
    for path in sorted(source.rglob("*.md")):
        copied = target / path.relative_to(source)
        copied.parent.mkdir(parents=True, exist_ok=True)
        copied.write_text(without_description(path.read_text(encoding="utf-8-sig")),
                          encoding="utf-8")


def plain(text: str) -> str:
    """Lower-cased words separated by single spaces, for comparing texts word for word."""
    return " ".join(re.findall(r"\w+", text.lower()))


def inside(query: str, document: tuple[str, ...]) -> bool:
    """Whether the query's words, in order, are in one of the document's indexed texts."""
    words = plain(query)
    return any(words in plain(text) for text in document)


def honest_items(descriptions: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """slug -> query of the imported articles (by path) whose indexed texts do not hold their
    description, and the paths left out because they do."""
    slugs, texts = slug_index(), indexed_texts()
    items, leaking = {}, []
    for path, description in descriptions.items():
        slug = slugs.get(path)
        if slug is None:
            continue
        if inside(description, texts[slug]):
            leaking.append(path)
        else:
            items[slug] = description
    return items, leaking


def slug_index() -> dict[str, str]:
    """Source path (without .md) -> slug of the imported articles."""
    from sqlalchemy import select

    from kb import db
    from kb.articles.models import Article

    rows = db.session.execute(select(Article.slug, Article.source_path))
    return {Path(source_path).with_suffix("").as_posix(): slug for slug, source_path in rows}


def known_items_app(work: Path):
    """The application holding the shared articles without their descriptions (imported into
    ``work`` once)."""
    folder = work / "articles"
    reuse = (work / "articles-imported").exists()
    if not reuse:
        copy_without_descriptions(ARTICLES, folder)
    app = make_app(work / "articles-data")
    with app.app_context():
        started = time.perf_counter()
        if not reuse:
            load_folder(folder)
            (work / "articles-imported").touch()
        print(f"Known items: {len(indexed_texts())} articles imported without their "
              f"descriptions in {time.perf_counter() - started:.1f} s")
    return app


def run_known_items(work: Path, part: str, engines: tuple[str, ...] = ("whoosh",),
                    postgres_url: str | None = None) -> dict[str, float]:
    """Each engine's results are named by the article's source path: the engines' applications
    import the same files, each naming its articles itself."""
    app = known_items_app(work)
    with app.app_context():
        all_items, leaking = honest_items(known_items(ARTICLES))
        by_path = {slug: path for path, slug in slug_index().items()}
        baseline = Fts5(indexed_texts())
    print(f"  {len(all_items)} articles with a description; {len(leaking)} left out, their "
          "text holds the description word for word")
    print_split("known items", [by_path[slug] for slug in all_items], part)
    chosen = set(split_keys([by_path[slug] for slug in all_items], part))
    items = {by_path[slug]: text for slug, text in all_items.items() if by_path[slug] in chosen}
    with kb_apps(engines, app, postgres_url, "articles", work / "articles") as apps:
        rankings = kb_rankings(apps, list(items.values()), 10, path_of)
    rankings["FTS5 bm25"] = [[by_path.get(slug) for slug in baseline.ranking(text, 10)]
                             for text in items.values()]
    print(f"  {len(items)} queries              MRR@10   success@1")
    figures = {}
    for name, ranked in rankings.items():
        ranks = [found.index(path) + 1 if path in found else None
                 for path, found in zip(items, ranked, strict=True)]
        mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
        first = sum(1 for rank in ranks if rank == 1) / len(ranks)
        figures[name] = mrr
        print(f"  {name:<24} {mrr:.4f}   {first:.4f}")
    return figures


def path_of(slug: str) -> str | None:
    """The source path (without .md) of the article ``slug`` of the current application."""
    from flask import g

    if "bench_paths" not in g:
        g.bench_paths = {found: path for path, found in slug_index().items()}
    return g.bench_paths.get(slug)
