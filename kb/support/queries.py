"""Reading incidents: a customer's own organisation's, one incident with the part of its
thread the reader may see, its files, and the staff queue. Never writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from kb import db, gating, policy
from kb.accounts.models import Organization
from kb.articles.models import Article
from kb.errors import NotFound
from kb.forms import MAX_DATABASE_ID
from kb.listing import Listing, nothing
from kb.support.models import (
    OPEN_STATUSES,
    Incident,
    IncidentAttachment,
    IncidentEntry,
    RemoteAccess,
)
from kb.support.priority import in_queue_order

QUEUE_LIMIT = 500
LIST_FILTERS = {"open": OPEN_STATUSES, "closed": ("resolved", "closed")}


def incidents_of_organization(user, show: str = "open", text: str = "", *,
                              reading: bool = False) -> list[Incident]:
    """The incidents of the customer's organisation, newest first: open ones, closed ones, or
    all; ``text`` narrows them to titles containing it. ``reading``: see ``policy``."""
    return organization_incidents(user, show, text, reading=reading).all()


def organization_incidents(user, show: str = "open", text: str = "", *,
                           reading: bool = False) -> Listing[Incident]:
    """``incidents_of_organization`` as a Listing, to read a page of it."""
    denial = policy.incident_denial(user, reading=reading)
    if denial is not None:
        raise denial
    if user.organization_id is None:
        return nothing(Incident)
    query = select(Incident).where(Incident.organization_id == user.organization_id)
    if show in LIST_FILTERS:
        query = query.where(Incident.status.in_(LIST_FILTERS[show]))
    if text.strip():
        query = query.where(or_(_title_contains(text), _numbered(text)))
    return Listing(query.options(selectinload(Incident.product))
                   .order_by(Incident.created_at.desc(), Incident.id.desc()))


def _title_contains(text: str):
    return func.lower(Incident.title).contains(text.strip().lower()[:200], autoescape=True)


# an incident's number as people quote it: "4", "#4", "Contoso #4", "#4 · Contoso Manufacturing"
QUOTED_NUMBER = re.compile(r"(?:(?P<before>[^#]*?)\s*#\s*)?(?P<number>\d{1,9})"
                           r"(?:(?:\s*·\s*|\s+)(?P<after>[^\d\s].*))?")


def _numbered(text: str):
    """The incidents ``text`` quotes by number, with part of their organisation's name if it
    names one; nothing when it quotes no number."""
    quoted = QUOTED_NUMBER.fullmatch(text.strip())
    if quoted is None:
        return false()
    named = (quoted["before"] or quoted["after"] or "").strip(" ·").lower()
    found = select(Incident.id).where(Incident.number == int(quoted["number"]))
    if named:
        found = found.join(Organization, Organization.id == Incident.organization_id).where(
            func.lower(Organization.name).contains(named, autoescape=True))
    return Incident.id.in_(found)


def get_incident(user, incident_id: int, *, reading: bool = False) -> Incident:
    """The incident if ``user`` may open it (``reading``: to read it, see ``policy``); another
    organisation's is not found."""
    incident = db.session.get(Incident, incident_id) if 1 <= incident_id <= MAX_DATABASE_ID \
        else None
    if incident is None:
        policy.require_incident(user, None, reading=reading)  # a lapsed term, not "not found"
        raise NotFound("No such incident.")
    policy.require_incident(user, incident, reading=reading)
    return incident


def thread(user, incident: Incident) -> list[IncidentEntry]:
    """The replies and events, and for staff the notes too, oldest first."""
    staff = policy.acts_as_staff(user)
    return [entry for entry in incident.entries if staff or entry.is_public]


def attachments_of(user, incident: Incident) -> list[IncidentAttachment]:
    staff = policy.acts_as_staff(user)
    return [item for item in incident.attachments if staff or item.is_public]


def attachment_for_download(user, incident_id: int, attachment_id: int,
                            name: str) -> IncidentAttachment:
    """A file of the incident the reader may see (a note's file only for staff)."""
    incident = get_incident(user, incident_id, reading=True)
    found = next((item for item in attachments_of(user, incident)
                  if item.id == attachment_id and item.name == name), None)
    if found is None:
        raise NotFound("No such file on this incident.")
    return found


def linked_articles(user, incident: Incident) -> list[Article]:
    """Linked articles the reader may learn of (a draft stays hidden from customers)."""
    return gating.visible(user, incident.articles)


def remote_access_of(incident: Incident) -> list[RemoteAccess]:
    return list(db.session.scalars(select(RemoteAccess).where(
        RemoteAccess.incident_id == incident.id).order_by(RemoteAccess.id)))


@dataclass
class QueueFilters:
    """What the staff queue shows: open incidents, narrowed by these."""

    mine: bool = False
    unassigned: bool = False
    breaching: bool = False
    product_id: int | None = None
    organization_id: int | None = None
    text: str = ""
    statuses: tuple[str, ...] = field(default=OPEN_STATUSES)


def breach_warning() -> timedelta:
    return timedelta(minutes=current_app.config["SUPPORT_BREACH_WARNING_MINUTES"])


def about_to_breach(incident: Incident, now: datetime) -> bool:
    """Unanswered, and due within the warning time (or overdue already)."""
    return (incident.is_open and incident.responded_at is None
            and incident.response_due is not None
            and incident.response_due <= now + breach_warning())


def queue(user, filters: QueueFilters, now: datetime) -> list[Incident]:
    """Open incidents in the order support works on them (``kb.support.priority``)."""
    policy.require_staff(user)
    query = select(Incident).where(Incident.status.in_(filters.statuses))
    if filters.mine:
        query = query.where(Incident.assignee_id == user.id)
    if filters.unassigned:
        query = query.where(Incident.assignee_id.is_(None))
    if filters.breaching:
        query = query.where(Incident.responded_at.is_(None),
                            Incident.response_due <= now + breach_warning())
    if filters.product_id:
        query = query.where(Incident.product_id == filters.product_id)
    if filters.organization_id:
        query = query.where(Incident.organization_id == filters.organization_id)
    if filters.text.strip():
        query = query.where(or_(_title_contains(filters.text), _numbered(filters.text),
                                Incident.contact.contains(filters.text.strip(),
                                                          autoescape=True)))
    found = db.session.scalars(query.options(
        selectinload(Incident.organization), selectinload(Incident.product),
        selectinload(Incident.assignee)).limit(QUEUE_LIMIT))
    return in_queue_order(found)


def open_incidents_of(organization: Organization, but: Incident | None = None
                      ) -> list[Incident]:
    """The organisation's other open incidents, in queue order (beside an incident)."""
    found = db.session.scalars(select(Incident).where(
        Incident.organization_id == organization.id, Incident.status.in_(OPEN_STATUSES),
        Incident.id != (but.id if but else 0)))
    return in_queue_order(found)


def organizations_with_incidents() -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(
        Organization.id.in_(select(Incident.organization_id))).order_by(Organization.name)))


def articles_for_replies(user, incident: Incident) -> list[Article]:
    """Published articles staff may answer the incident with or link to it (by title): not
    one kept to an early-adopter programme the incident's organisation is not in."""
    policy.require_staff(user)
    programmes = policy.organization_programmes(incident.organization)
    return list(db.session.scalars(select(Article).where(
        Article.type == "article", Article.status == "published",
        Article.programme_filter(programmes))
        .order_by(Article.title).limit(500)))


def get_article(article_id: int) -> Article:
    article = db.session.get(Article, article_id) if 1 <= article_id <= MAX_DATABASE_ID \
        else None
    if article is None:
        raise NotFound("No such article.")
    return article
