"""/api/v1/articles and /api/v1/release-notes: the knowledge base for scripts.

Lists hold every published item; the ones the caller may not read are marked
``"locked": true`` and carry no summary or highlights (the same locked entries the pages
show). One article: 403 with ``feature`` and ``required_plan`` below its minimum plan, 404 for
drafts and unknown slugs, 301 to the new address for a renamed slug."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from kb.api import blueprint
from kb.api.openapi import LIST_RESPONSES, PAGE, PRODUCT, VERSION, documented, query_parameter
from kb.api.responses import respond
from kb.api.responses.articles import Article as ArticleAnswer
from kb.api.responses.articles import ArticlePage, ReleaseNotePage
from kb.articles import list_filters, queries, service
from kb.articles.image_views import article_html
from kb.articles.models import Article
from kb.articles.views import item_url
from kb.errors import NotFound
from kb.paging import page_number, page_size

PAGING = [PAGE,
          query_parameter("per_page", "integer", f"items per page, at most "
                                                 f"{queries.MAX_PER_PAGE}")]
LOCKED_NOTE = ("Items the caller may not read are listed with \"locked\": true and without "
               "their summary.")


def _common_json(article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "min_plan": article.min_plan,
        "products": [product.name for product in article.products],
        "updated": article.updated_at,
        "url": item_url(article),
    }


def article_summary_json(listed: queries.Listed) -> dict:
    article = listed.article
    return {
        **_common_json(article),
        "kind": article.kind,
        "versions": sorted({version.name for version in article.versions}),
        "tags": [tag.name for tag in article.tags],
        "critical": article.critical,
        "locked": not listed.readable,
        "summary": article.summary if listed.readable else None,
    }


def release_note_json(listed: queries.Listed) -> dict:
    note = listed.article
    return {
        **_common_json(note),
        "product": note.release_product.name if note.release_product else None,
        "version": note.release_version.name if note.release_version else None,
        "released": note.released_on,
        "locked": not listed.readable,
        "summary": note.summary if listed.readable else None,
        "highlights": note.highlights if listed.readable else None,
        "articles": [item_url(article) for article in
                     queries.readable_linked_articles(current_user, note)]
        if listed.readable else [],
    }


def _page_json(listing: queries.Page, items: list[dict]) -> dict:
    return {"total": listing.total, "page": listing.page, "per_page": listing.per_page,
            "pages": listing.pages, "items": items}


def _filters(type_: str) -> queries.Filters:
    """The filters asked for; a value no item can have is refused (422 naming the field)."""
    filters = list_filters.checked(current_user, request.args, type_)
    filters.title = request.args.get("q", "").strip()
    return filters


def _listing(type_: str) -> queries.Page:
    return queries.browse(current_user, _filters(type_), page_number(request.args),
                          page_size(request.args, 20, queries.MAX_PER_PAGE))


@blueprint.get("/articles")
@documented(
    "Published articles, newest first, with filters and pages. " + LOCKED_NOTE,
    parameters=[PRODUCT, VERSION,
                query_parameter("kind", description="how-to, reference, troubleshooting, "
                                                    "workaround; another is refused (422)"),
                query_parameter("tag", description="a tag of an article you may know of, "
                                                   "in any case; another is refused (422)"),
                query_parameter("q", description="words in the title"),
                *PAGING], responses=LIST_RESPONSES, response_model=ArticlePage)
def list_articles():
    listing = _listing("article")
    return respond(ArticlePage, _page_json(
        listing, [article_summary_json(item) for item in listing.items]))


@blueprint.get("/articles/<path:slug>")
@documented(
    "One article (or release note) with its sanitised HTML and its Markdown source",
    responses={"200": "The article", "301": "The slug was renamed: the new address",
               "404": "No published article with this slug"}, response_model=ArticleAnswer)
def get_article(slug: str):
    opened = queries.open_by_slug(current_user, slug, noun="article")
    if opened.renamed_to is not None:
        return redirect(url_for("api.get_article", slug=opened.renamed_to), 301)
    if opened.article is None:
        raise NotFound("No such article.")
    if opened.denial is not None:
        raise opened.denial
    article = opened.article
    service.refresh_rendering(article)
    return respond(ArticleAnswer, {
        **article_summary_json(queries.Listed(article, True)),
        "type": article.type,
        "html": article_html(article, article.rendered_html or ""),
        "toc": article.rendered_toc or "",
        "markdown": article.body,
        "published": article.published_at,
    })


@blueprint.get("/release-notes")
@documented(
    "Published release notes, newest release first. " + LOCKED_NOTE.replace(
        "summary", "summary and highlights"),
    parameters=[PRODUCT, VERSION, *PAGING], responses=LIST_RESPONSES,
    response_model=ReleaseNotePage)
def list_release_notes():
    listing = _listing("release-note")
    return respond(ReleaseNotePage, _page_json(
        listing, [release_note_json(item) for item in listing.items]))
