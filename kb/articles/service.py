"""Every change to articles and release notes. Imports, the staff editor and the API all write
through these functions; each public operation commits and records the index change."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from kb import db, markdown, policy, search
from kb.accounts.models import User
from kb.alerts import critical, release_notes
from kb.articles import follows, images, queries
from kb.articles.fields import ArticleFields, apply_fields, check_fields, ensure_rendered
from kb.articles.models import STATUSES, Article
from kb.articles.reader_models import HelpfulVote
from kb.articles.revisions import add_revision, fields_of_revision
from kb.articles.slugs import rename_slug, unique_slug, wanted_slug
from kb.db import utcnow
from kb.errors import Invalid, NotFound


class RestoredImages(NamedTuple):
    """What restoring a revision did to the article's images."""

    brought_back: list[str]
    lost: list[str]  # their stored files are gone


def record_index_change(article: Article) -> None:
    db.session.flush()
    search.record_change("article", article.id)


STATUS_NOTES = {"draft": "Saved as draft", "review": "Sent for review",
                "published": "Published", "archived": "Archived"}


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None:
        raise NotFound("No such article.")
    return article


def create_article(actor: User, fields: ArticleFields, note: str = "",
                   linked_slugs: list[str] | None = None,
                   programme_id: int | None = None) -> Article:
    """Create an article or release note written in the browser (staff only): its first
    revision, its slug (from the title unless given) and its index change, committed. With
    ``programme_id``, only that early-adopter programme's members may read it."""
    policy.require_staff(actor)
    check_fields(fields)
    article = Article(author=actor, source_root=None, extra={}, programme_id=programme_id)
    article.slug = unique_slug(wanted_slug(fields.slug or fields.title))
    _save(actor, article, fields, note, linked_slugs)
    return article


def update_article(actor: User, article: Article, fields: ArticleFields, note: str = "",
                   linked_slugs: list[str] | None = None, tell_followers: bool = False
                   ) -> Article:
    """Save an edit as the next revision. The slug changes only when ``fields.slug`` names a
    new one; the old slug then redirects to the new. ``tell_followers``: the change matters to
    readers, and those who follow the item are told, with ``note``."""
    policy.require_staff(actor)
    check_fields(fields)
    if tell_followers and not note.strip():
        raise Invalid("Say in the revision note what changed: it is what the followers are "
                      "told.", "note")
    if fields.slug and fields.slug.strip() != article.slug:
        rename_slug(article, fields.slug)
    _save(actor, article, fields, note, linked_slugs, tell_followers)
    return article


def _save(actor: User, article: Article, fields: ArticleFields, note: str,
          linked_slugs: list[str] | None, tell_followers: bool = False) -> None:
    linked = _articles_to_link(fields, linked_slugs) if linked_slugs is not None else None
    fields.extra = article.extra or {}
    db.session.add(article)
    apply_fields(article, fields)
    if fields.status == "published":
        _set_publication_time(article, fields.publish_at)
    if linked is not None:
        article.related_articles = linked
    revision = add_revision(article, actor,
                            note or _status_note(article.status, fields.publish_at))
    record_index_change(article)
    if tell_followers:
        follows.tell_followers(article, actor, note, revision.number)
    if fields.answers_alert is not None:
        critical.answer_alert(actor, fields.answers_alert, article)
    critical.announce_article(article, actor)
    release_notes.announce_release_note(article)
    db.session.commit()


def _set_publication_time(article: Article, publish_at: datetime | None) -> None:
    """Published at the scheduled time, or now when published at once (an earlier schedule
    for a later time no longer holds); a first publication date in the past is kept."""
    now = utcnow()
    if publish_at is not None:
        article.published_at = publish_at
    elif article.published_at is None or article.published_at > now:
        article.published_at = now


def _status_note(status: str, publish_at: datetime | None) -> str:
    if status == "published" and publish_at is not None and publish_at > utcnow():
        return f"Scheduled for {publish_at:%Y-%m-%d %H:%M} UTC"
    return STATUS_NOTES[status]


def _articles_to_link(fields: ArticleFields, slugs: list[str]) -> list[Article]:
    """The articles a release note names by slug; ``Invalid`` for an unknown slug."""
    wanted = [slug.strip() for slug in slugs if slug.strip()]
    if wanted and fields.type != "release-note":
        raise Invalid("Only a release note links to articles.", "linked_articles")
    found = list(db.session.scalars(select(Article).where(Article.slug.in_(wanted),
                                                          Article.type == "article")))
    missing = sorted(set(wanted) - {article.slug for article in found})
    if missing:
        raise Invalid(f"No article with the slug {', '.join(missing)}.", "linked_articles")
    return found


def change_status(actor: User, article: Article, status: str,
                  publish_at: datetime | None = None) -> Article:
    """Move an article through the workflow (draft, review, published now or at
    ``publish_at``, archived); each move is a revision."""
    policy.require_staff(actor)
    if status not in STATUSES:
        raise Invalid(f"Unknown status {status!r}.")
    if publish_at is not None and status != "published":
        raise Invalid("Only publication can be scheduled.")
    article.publish_at = publish_at if status == "published" else None
    if status == "published":
        _set_publication_time(article, publish_at)
    article.status = status
    article.updated_at = utcnow()
    add_revision(article, actor, _status_note(status, publish_at))
    record_index_change(article)
    critical.announce_article(article, actor)
    release_notes.announce_release_note(article)
    db.session.commit()
    return article


def restore_revision(actor: User, article: Article, number: int) -> RestoredImages:
    """Bring back the content, fields and images of revision ``number`` as a new revision;
    the article keeps its current slug and workflow status, and the images added since."""
    policy.require_staff(actor)
    revision = queries.get_revision(article, number)
    fields = fields_of_revision(revision)
    fields.status, fields.publish_at = article.status, article.publish_at
    restored = RestoredImages(*images.bring_back_images(article, revision))
    _save(actor, article, fields, f"Restored revision {number}", None)
    return restored


def record_helpful_vote(user: User, article: Article, helpful: bool, comment: str = "") -> None:
    """Record or change ``user``'s one vote on an article they may read."""
    policy.require_read(user, article, "article")
    vote = db.session.scalar(select(HelpfulVote).where(
        HelpfulVote.article_id == article.id, HelpfulVote.user_id == user.id))
    if vote is None:
        vote = HelpfulVote(article_id=article.id, user_id=user.id)
        db.session.add(vote)
    vote.helpful, vote.comment, vote.created_at = helpful, comment.strip()[:2000], utcnow()
    db.session.commit()


def refresh_rendering(article: Article) -> None:
    """Re-render an item whose cached HTML predates its source or the renderer version (a
    renderer upgrade), and keep the result."""
    if article.render_key == markdown.render_key(article.body) and article.rendered_html:
        return
    ensure_rendered(article)
    record_index_change(article)
    db.session.commit()
