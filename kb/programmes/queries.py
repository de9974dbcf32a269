"""Reading the programmes: what an Elite customer sees (programmes taking applications, their
own organisation's applications, and what membership opens), and staff's overview."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from kb import db, gating, policy
from kb.articles.models import Article
from kb.community.models import Space
from kb.errors import NotFound
from kb.listing import Listing
from kb.patches.models import Patch
from kb.products.models import Product
from kb.programmes.models import Programme, ProgrammeApplication
from kb.programmes.service import FEATURE, _programme, application_of, seats_taken


@dataclass(frozen=True)
class ProgrammeEntry:
    programme: Programme
    state: str  # upcoming, open, ended
    application: ProgrammeApplication | None
    member: bool  # reads the programme's downloads and space now
    seats_left: int


def entry_of(user, programme: Programme) -> ProgrammeEntry:
    organization = None if policy.acts_as_staff(user) else user.organization
    return ProgrammeEntry(programme, programme.state_on(policy.today()),
                          application_of(organization, programme),
                          programme.id in policy.programmes_of(user),
                          max(0, programme.seats - seats_taken(programme)))


def programmes_for(user) -> list[ProgrammeEntry]:
    """The programmes that have not ended, and those the user's organisation applied to."""
    return programme_listing(user).all()


def programme_listing(user) -> Listing[ProgrammeEntry]:
    """``programmes_for`` as a Listing, to read a page of it."""
    policy.require(user, FEATURE)
    applied = select(ProgrammeApplication.programme_id).where(
        ProgrammeApplication.organization_id == user.organization_id)
    running = (Programme.ended_at.is_(None)) & (Programme.ends_on >= policy.today())
    return Listing(select(Programme).where(or_(running, Programme.id.in_(applied)))
                   .order_by(Programme.ends_on.desc(), Programme.id.desc()),
                   lambda found: [entry_of(user, programme) for programme in found])


def programme_for(user, programme_id: int) -> ProgrammeEntry:
    """One programme for a customer: a running one, or one their organisation applied to."""
    policy.require(user, FEATURE)
    entry = entry_of(user, _programme(programme_id))
    if entry.state == "ended" and entry.application is None and not policy.acts_as_staff(user):
        raise NotFound("No such programme.")
    return entry


def downloads_of(user, programme: Programme) -> list[Patch]:
    """The programme's patches the user may open (members while it runs, and staff)."""
    query = select(Patch).where(Patch.programme_id == programme.id,
                                gating.read_filter(Patch, policy.read_scope(user)))
    return list(db.session.scalars(query.order_by(Patch.released_on.desc(), Patch.id.desc())))


def space_of(user, programme: Programme) -> Space | None:
    """The programme's private community space, if the user may read it."""
    space = db.session.scalar(select(Space).where(Space.programme_id == programme.id))
    return space if space is not None and policy.can_read(user, space) else None


def all_programmes(actor) -> list[ProgrammeEntry]:
    policy.require_staff(actor)
    found = db.session.scalars(select(Programme).order_by(Programme.ends_on.desc(),
                                                          Programme.id.desc()))
    return [entry_of(actor, programme) for programme in found]


def applications_to(actor, programme: Programme) -> list[ProgrammeApplication]:
    return application_listing(actor, programme).all()


def application_listing(actor, programme: Programme) -> Listing[ProgrammeApplication]:
    """A programme's applications (staff): open ones first, then by when they came."""
    policy.require_staff(actor)
    return Listing(select(ProgrammeApplication).where(
        ProgrammeApplication.programme_id == programme.id)
        .order_by(ProgrammeApplication.status != "applied", ProgrammeApplication.applied_at,
                  ProgrammeApplication.id))


def patches_to_restrict(actor, programme: Programme) -> list[Patch]:
    """The product's patches staff may keep to the programme (not another programme's)."""
    policy.require_staff(actor)
    return list(db.session.scalars(select(Patch).where(
        Patch.product_id == programme.product_id, Patch.programme_id.is_(None))
        .order_by(Patch.id.desc()).limit(200)))


def articles_of(user, programme: Programme) -> list[Article]:
    """The programme's articles and release notes the user may open (members while it runs
    read the published ones; staff every one, drafts too)."""
    query = select(Article).where(Article.programme_id == programme.id,
                                  gating.read_filter(Article, policy.read_scope(user)))
    return list(db.session.scalars(query.order_by(Article.updated_at.desc(), Article.id.desc())))


def articles_to_restrict(actor, programme: Programme) -> list[Article]:
    """The product's articles and release notes staff may keep to the programme (not another
    programme's), the most recently changed first."""
    policy.require_staff(actor)
    about_product = or_(Article.products.any(Product.id == programme.product_id),
                        Article.release_product_id == programme.product_id)
    return list(db.session.scalars(select(Article).where(
        about_product, Article.programme_id.is_(None))
        .order_by(Article.updated_at.desc(), Article.id.desc()).limit(200)))
