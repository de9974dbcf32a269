"""Following an article or release note, and telling its followers when staff say a change
matters (through the alerts path, ``kb.alerts.dispatch.tell``). Someone who may no longer read
the item (plan, term, an archived item) is not told; small corrections tell nobody."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from kb import db, policy
from kb.accounts.models import User
from kb.alerts.dispatch import Notice, tell
from kb.articles.models import Article
from kb.articles.reader_models import ArticleFollow
from kb.links import path_for

# the most of a revision note a notice quotes
NOTE_LIMIT = 600


def is_following(user, article: Article) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(ArticleFollow.id).where(
        ArticleFollow.article_id == article.id, ArticleFollow.user_id == user.id)) is not None


def follower_count(article: Article) -> int:
    return db.session.scalar(select(func.count(ArticleFollow.id)).where(
        ArticleFollow.article_id == article.id)) or 0


def set_following(user, article: Article, following: bool) -> None:
    """Follow or stop following an item the user may read; twice changes nothing. Commits."""
    policy.require_read(user, article, "article")
    if following and not is_following(user, article):
        db.session.add(ArticleFollow(article_id=article.id, user_id=user.id))
    elif not following:
        db.session.execute(delete(ArticleFollow).where(ArticleFollow.article_id == article.id,
                                                       ArticleFollow.user_id == user.id))
    db.session.commit()


def followed_by(user) -> list[Article]:
    """The items ``user`` follows and may still read, most recently followed first."""
    articles = db.session.scalars(
        select(Article).join(ArticleFollow, ArticleFollow.article_id == Article.id)
        .where(ArticleFollow.user_id == user.id).order_by(ArticleFollow.id.desc()))
    return [article for article in articles if policy.can_read(user, article)]


def followers(article: Article) -> list[User]:
    return list(db.session.scalars(
        select(User).join(ArticleFollow, ArticleFollow.user_id == User.id)
        .where(ArticleFollow.article_id == article.id).order_by(ArticleFollow.id)))


def tell_followers(article: Article, actor: User, note: str, revision: int) -> int:
    """Tell (in the caller's transaction) every follower who may read the item now that it
    changed, quoting ``note``; the number told. An item readers cannot see yet tells nobody."""
    if not article.is_published:
        return 0
    notice = _notice(article, note, revision)
    return sum(tell(person, notice) for person in followers(article)
               if person.id != actor.id and policy.can_read(person, article))


def _notice(article: Article, note: str, revision: int) -> Notice:
    noun = "a release note" if article.is_release_note else "an article"
    endpoint = "articles.release_note" if article.is_release_note else "articles.show"
    changed = note.strip()[:NOTE_LIMIT]
    body = f"“{article.title}”, {noun} you follow, was updated."
    if changed:
        body += f"\n\nWhat changed: {changed}"
    products = article.products
    return Notice("article.updated", f"“{article.title}” was updated",
                  path_for(endpoint, slug=article.slug), body=body,
                  product_id=products[0].id if len(products) == 1 else None,
                  key=f"article:{article.id}:revision:{revision}")
