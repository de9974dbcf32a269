"""The honest relevance benchmark (bench/relevance.py): a known-item query (an article's
description) is never inside the document it must find, as kb indexes it, and the split of the
queries into train and held-out is fixed and disjoint. The corpus parts run where the shared
corpus is (always in CI)."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from kb.search.documents import build_items
from tests.conftest import REPO_ROOT, SHARED_DIR, needs_shared
from tests.databases import reaches_no_database

CORPUS = SHARED_DIR / "corpus"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_relevance",
                                                  REPO_ROOT / "bench" / "relevance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench()

# source path -> (file text, description); the description is what the bench asks
FILES = {
    "setup/vat-rates": ("""\
        ---
        title: Set up VAT rates
        description: "Learn how to define the rates your country charges on sales."
        ms.date: 05/02/2024
        ---
        # Set up VAT rates

        Open the posting setup page and fill in a percentage per group.

        [!INCLUDE[footer](includes/footer.md)]
        """, "Learn how to define the rates your country charges on sales."),
    # the indented front matter of the archive pages, a description over two lines
    "archive/reminders": ("""\
        ---
            title: Reminders | Microsoft Docs
            description: Send customers a letter when an invoice is overdue,
              with interest and fees added.
            author: someone
        ---
        # Reminders

        Reminder terms decide the levels and the grace period of each.
        """, "Send customers a letter when an invoice is overdue, with interest and fees added."),
    # the body repeats the description word for word: no honest known item
    "iis/url-rewrite": ("""\
        ---
        title: URL Rewrite
        description: Rewrite the addresses that clients ask for.
        ---
        # URL Rewrite

        Rewrite the addresses that clients ask for. Rules match a pattern and act on it.
        """, "Rewrite the addresses that clients ask for."),
}
FOOTER = "Share your feedback about this page with the documentation team.\n"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    for relative, (text, _) in FILES.items():
        path = folder / f"{relative}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (folder / "setup" / "includes").mkdir()
    (folder / "setup" / "includes" / "footer.md").write_text(FOOTER)
    return folder


def _indexed(slug: str) -> tuple[str, str, str]:
    """The title, summary and body kb's index holds for the article ``slug``."""
    article_id = db.session.scalar(select(Article.id).where(Article.slug == slug))
    [built] = build_items(db.session, "article", [article_id])  # what either engine is given
    [stored] = built.documents
    return stored["title"], stored.get("summary") or "", stored.get("body") or ""


def test_known_item_queries_are_not_inside_their_indexed_documents(app_context, source,
                                                                   tmp_path):
    target = tmp_path / "imported"
    bench.copy_without_descriptions(source, target)
    assert import_paths([target]).committed
    descriptions = bench.known_items(source)
    assert descriptions == {path: description for path, (_, description) in FILES.items()}

    items, leaking = bench.honest_items(descriptions)

    assert leaking == ["iis/url-rewrite"]
    assert sorted(items.values()) == sorted(descriptions[path] for path in
                                            ("setup/vat-rates", "archive/reminders"))
    for slug, query in items.items():
        title, summary, body = _indexed(slug)
        assert not bench.inside(query, (title, summary, body)), slug
        assert title and body  # the title and the body stay: only the description is cut
    assert "Share your feedback" in _indexed(_slug_of("setup/vat-rates"))[2]  # includes stay


def _slug_of(path: str) -> str:
    return bench.slug_index()[path]


@reaches_no_database
def test_a_description_is_cut_with_the_lines_it_continues_on():
    text = textwrap.dedent(FILES["archive/reminders"][0])
    data, body = bench.front_matter(bench.without_description(text))
    assert data == {"title": "Reminders | Microsoft Docs", "author": "someone"}
    assert body == bench.front_matter(text)[1]


@reaches_no_database
def test_the_split_is_fixed_and_disjoint():
    keys = [f"cranfield:{number:03d}" for number in range(1, 366)] + list(FILES)
    train, held = bench.split_keys(keys, "train"), bench.split_keys(keys, "held-out")
    assert not set(train) & set(held)
    assert sorted(train + held) == sorted(keys)
    assert bench.split_keys(keys, "all") == keys
    assert 0.4 < len(held) / len(keys) < 0.6
    # the rule never changes: these keys were on these sides when the figures were reported
    assert [bench.held_out(key) for key in (
        "cranfield:001", "cranfield:018", "cranfield:022",
        "iis-docs/iis/get-started/introduction-to-iis/iis-web-server-overview",
        "dynamics365smb-docs/business-central/finance-setup-finance")] == [
        False, True, True, False, True]


@reaches_no_database
@needs_shared(CORPUS)
def test_the_corpus_split_is_the_reported_one():
    cranfield = [f"cranfield:{query_id}" for query_id in bench.cranfield_judgments()]
    held = bench.split_keys(cranfield, "held-out")
    assert (len(cranfield) - len(held), len(held), bench.digest(held)) == (52, 61, "620aea8b03b8")
    articles = bench.known_items(bench.ARTICLES)
    held = bench.split_keys(articles, "held-out")
    assert (len(articles), len(held), bench.digest(held)) == (3501, 1743, "598054d1f7c5")


@reaches_no_database
@needs_shared(CORPUS)
def test_no_corpus_file_keeps_its_description():
    for path in sorted(bench.ARTICLES.rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig")
        data, body = bench.front_matter(bench.without_description(text))
        assert "description" not in data, path
        assert body == bench.front_matter(text)[1], path
