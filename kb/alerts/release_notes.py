"""New release notes told to the subscribers of their products who may read them (family
``release_note``): when a note is published, or when the time it was scheduled for comes.
A note first published long ago and saved again is not news, and nobody hears of a note
twice (the notice is keyed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from kb import db, policy
from kb.alerts import subscriptions
from kb.alerts.dispatch import Notice, tell
from kb.alerts.schedule import due_job
from kb.articles.models import Article
from kb.db import utcnow
from kb.links import path_for
from kb.products.models import ProductVersion

# how long after its publication a note is still told to the subscribers it has not reached
NEWS_FOR = timedelta(days=7)


def announce_release_note(article: Article, now: datetime | None = None) -> int:
    """Tell the subscribers of a published release note's products (in the caller's
    transaction); returns how many were told."""
    now = now or utcnow()
    visible_from = article.visible_from
    if article.type != "release-note" or visible_from is None or visible_from > now \
            or not article.products:
        return 0
    if article.published_at is not None and article.published_at < now - NEWS_FOR:
        return 0
    notice = _notice(article)
    return sum(tell(user, _for_product(notice, product_id))
               for user, product_id in subscriptions.subscribers(
                   {product.id for product in article.products}, _covers(article))
               if policy.can_read(user, article))


def _notice(article: Article) -> Notice:
    products = ", ".join(sorted(product.name for product in article.products))
    lines = [article.title]
    if _versions(article):
        lines.append("For " + ", ".join(sorted(str(version) for version in _versions(article)))
                     + ".")
    if article.lead:
        lines.append(article.lead)
    if article.highlights.strip():
        lines.append("Highlights:\n" + article.highlights.strip())
    return Notice("release_note.published", f"New release note for {products}: {article.title}",
                  path_for("articles.release_note", slug=article.slug),
                  body="\n\n".join(lines), key=f"release-note:{article.id}:published")


def _for_product(notice: Notice, product_id: int) -> Notice:
    return replace(notice, product_id=product_id)


def _versions(article: Article) -> list[ProductVersion]:
    """The note's own version and the others it names."""
    own = [article.release_version] if article.release_version is not None else []
    return list(dict.fromkeys([*own, *article.versions]))


def _covers(article: Article):
    """A note naming versions is for the subscribers of those versions (or of every version);
    one naming none, for all of its products' subscribers."""
    named = {version.id for version in _versions(article)}

    def covers(version: ProductVersion) -> bool:
        return not named or version.id in named

    return covers


@due_job
def announce_scheduled_release_notes(now: datetime) -> int:
    """Release notes published for a later time are told once that time has come."""
    due = db.session.scalars(select(Article).where(
        Article.type == "release-note", Article.status == "published",
        Article.publish_at.is_not(None), Article.publish_at <= now,
        Article.publish_at > now - NEWS_FOR))
    told = sum(announce_release_note(article, now) for article in list(due))
    db.session.commit()
    return told
