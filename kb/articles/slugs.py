"""Articles' addresses: slugs made from titles, kept unique, and old slugs kept as redirects."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.articles.models import Article, SlugRedirect
from kb.errors import Conflict, Invalid
from kb.products.names import slugify

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_./][a-z0-9]+)*$")


def wanted_slug(text: str) -> str:
    slug = text.strip().lower()
    if SLUG_PATTERN.match(slug):
        return slug
    return slugify(slug)


def unique_slug(base: str) -> str:
    slug, number = base, 2
    while _slug_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _slug_taken(slug: str) -> bool:
    in_use = db.session.scalar(select(Article.id).where(Article.slug == slug))
    redirected = db.session.scalar(select(SlugRedirect.id).where(SlugRedirect.old_slug == slug))
    return in_use is not None or redirected is not None


def rename_slug(article: Article, new_slug: str) -> None:
    """Give ``article`` a new slug and keep the old one as a redirect. Does not commit."""
    new_slug = new_slug.strip().lower()
    if not SLUG_PATTERN.match(new_slug):
        raise Invalid("A slug is lower-case letters and digits joined by - _ . or /.", "slug")
    if db.session.scalar(select(Article.id).where(Article.slug == new_slug,
                                                  Article.id != article.id)):
        raise Conflict(f"Another article already has the slug {new_slug!r}.", "slug")
    move_slug(article, new_slug)


def move_slug(article: Article, new_slug: str) -> None:
    """``article`` takes ``new_slug``, which stops being a redirect; its old slug keeps leading
    to it (an existing redirect of that slug is pointed at it). Does not commit. The editor
    (``rename_slug``) and the importer both move slugs this way."""
    redirects = {redirect.old_slug: redirect for redirect in db.session.scalars(
        select(SlugRedirect).where(SlugRedirect.old_slug.in_([article.slug, new_slug])))}
    if new_slug in redirects:
        db.session.delete(redirects[new_slug])
        db.session.flush()
    if article.slug in redirects:
        redirects[article.slug].article_id = article.id
    else:
        db.session.add(SlugRedirect(old_slug=article.slug, article_id=article.id))
    article.slug = new_slug
