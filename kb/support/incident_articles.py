"""Knowledge-base articles staff link to an incident (the thread names each link)."""

from __future__ import annotations

from kb import db, policy
from kb.articles.models import Article
from kb.errors import Conflict
from kb.support.incidents import add_event
from kb.support.models import Incident


def link_article(user, incident: Incident, article: Article) -> None:
    """Staff link an article (the customer sees it if they may read it); the thread names it,
    so one kept to an early-adopter programme is linked only to its members' incidents."""
    policy.require_staff(user)
    if not policy.programme_admits_organization(incident.organization, article):
        raise Conflict(f"“{article.title}” is for the members of an early adopter programme, "
                       "and this organisation is not one: link another article.")
    if article not in incident.articles:
        incident.articles.append(article)
        add_event(user, incident, f"Linked the article “{article.title}”")
        db.session.commit()


def unlink_article(user, incident: Incident, article: Article) -> None:
    policy.require_staff(user)
    if article in incident.articles:
        incident.articles.remove(article)
        db.session.commit()
