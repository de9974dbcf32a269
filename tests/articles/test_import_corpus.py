"""The whole shared corpus (about 3,500 real Microsoft Learn articles) imports completely."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from tests.conftest import SHARED_DIR, needs_shared

CORPUS = SHARED_DIR / "corpus" / "articles"
ARTICLE_FILES = 3502  # the corpus README: 1,792 + 1,710 articles, besides 584 include fragments

pytestmark = needs_shared(CORPUS)


def count(*conditions) -> int:
    return db.session.scalar(select(func.count(Article.id)).where(*conditions))


def test_whole_corpus_imports(app_context):
    report = import_paths([CORPUS], keep_going=True)

    assert report.errors == []
    assert report.files == len(report.created) == count() == ARTICLE_FILES
    # fragments are inlined, never imported
    assert count(Article.source_path.like("%includes/%")) == 0
    assert count(or_(Article.title == "", Article.title.is_(None))) == 0
    assert count(Article.rendered_html.is_(None)) == 0
    assert count(Article.rendered_html.like("%[!INCLUDE%")) == 0
    assert count(Article.rendered_html.like("%<script%")) == 0
    # 16 archive pages only load with the tolerant front-matter reader
    tolerant = db.session.scalar(select(Article).where(Article.source_path.like(
        "%archive/Troubleshooting/troubleshooting-compression-option-in-iis.md")))
    assert tolerant.title == "Troubleshooting: Compression Option in IIS"

    page = db.session.scalar(select(Article).where(
        Article.slug == "dynamics365smb-docs/business-central/about-export-data"))
    assert "From inside Business Central, you can open any list in Excel" in page.rendered_text
    assert '<a href="/articles/dynamics365smb-docs/business-central/finance-analyze-excel">' \
        in page.rendered_html

    again = import_paths([CORPUS], keep_going=True)
    assert again.created == again.updated == [] and len(again.unchanged) == ARTICLE_FILES
