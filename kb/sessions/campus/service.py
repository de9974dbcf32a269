"""The Campus learning-card discount (Elite only): staff set the offer; each Elite organisation
gets a code of its own, issued the first time one of its users opens it, and every reveal is
recorded.

A code works while its organisation is on Elite within its term, the offer is valid and the
code is not revoked. A lapsed term only suspends the code (the policy refuses; renewal brings
the same code back). Leaving Elite revokes it for good: a later return to Elite issues a new
code, so a code that was passed around during the downgrade cannot come back to life.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from kb import db, markdown, plans, policy
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization
from kb.db import utcnow
from kb.errors import Invalid, NotFound
from kb.locking import row_locked
from kb.sessions.models import CampusCode, CampusOffer, CampusReveal

CAMPUS_FEATURE = "campus_discount"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


@dataclass(frozen=True)
class Reveal:
    offer: CampusOffer
    code: str | None  # None for staff, who have no organisation of their own


def current_offer() -> CampusOffer | None:
    return db.session.scalar(select(CampusOffer).order_by(CampusOffer.id.desc()).limit(1))


def offer_is_valid(offer: CampusOffer | None) -> bool:
    return offer is not None and offer.valid_until >= policy.today()


def set_offer(actor, *, percentage: int, terms: str, how_to_redeem: str,
              valid_until: date, redeem_url: str = "") -> CampusOffer:
    """Create or change the Campus offer (staff only)."""
    policy.require_staff(actor)
    if not 1 <= percentage <= 100:
        raise Invalid("The discount is a percentage between 1 and 100.")
    redeem_url = redeem_url.strip()
    if redeem_url and not redeem_url.startswith("https://"):
        raise Invalid("The address where the code is used must start with https://.")
    offer = current_offer() or CampusOffer()
    offer.redeem_url = redeem_url
    offer.percentage, offer.terms, offer.how_to_redeem = percentage, terms, how_to_redeem
    offer.terms_html = markdown.render(terms).html
    offer.how_to_redeem_html = markdown.render(how_to_redeem).html
    offer.valid_until, offer.updated_at = valid_until, utcnow()
    db.session.add(offer)
    db.session.flush()
    record_audit(actor, "campus.offer", "campus_offer", offer.id, None,
                 {"percentage": percentage, "valid_until": valid_until.isoformat()})
    db.session.commit()
    return offer


def new_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    return "CAMPUS-" + "-".join(groups)


def _active_code(organization_id: int) -> CampusCode | None:
    return db.session.scalar(select(CampusCode).where(
        CampusCode.organization_id == organization_id, CampusCode.revoked_at.is_(None)))


def reveal(user, channel: str) -> Reveal:
    """The offer and the code of the user's organisation (issued on first use), recording who
    saw it. ``AccessDenied`` for every plan but Elite and for a lapsed term."""
    policy.require(user, CAMPUS_FEATURE)
    offer = current_offer()
    if not offer_is_valid(offer):
        raise NotFound("There is no Campus offer at the moment.")
    if policy.acts_as_staff(user) or user.organization is None:
        return Reveal(offer, None)
    with row_locked(Organization, user.organization_id):  # one code per organisation
        code = _active_code(user.organization_id)
        if code is None:
            code = CampusCode(organization_id=user.organization_id, code=new_code())
            db.session.add(code)
            db.session.flush()
        db.session.add(CampusReveal(code_id=code.id, user_id=user.id, channel=channel))
        db.session.commit()
    return Reveal(offer, code.code)


def _has_campus(plan: str | None) -> bool:
    """Whether a plan includes the Campus discount (the plan matrix decides, not this module)."""
    return plan in plans.feature(CAMPUS_FEATURE).plans


def code_status(code: str) -> str:
    """'valid', or why the code does not work (for the shop's check and for staff)."""
    found = db.session.scalar(select(CampusCode).where(CampusCode.code == code.strip().upper()))
    if found is None:
        return "unknown code"
    if found.revoked_at is not None:
        return "revoked (the organisation left Elite)"
    organization = found.organization
    if not _has_campus(organization.plan):
        return f"the organisation's plan ({plans.plan_name(organization.plan)}) has no Campus " \
            "discount"
    if not organization.term_active_on(policy.today()):
        return "the organisation's support term has lapsed"
    if not offer_is_valid(current_offer()):
        return "the offer has expired"
    return "valid"


def codes_overview(actor) -> list[tuple[CampusCode, list[CampusReveal]]]:
    """Every code with its reveals, newest first (staff only)."""
    policy.require_staff(actor)
    codes = db.session.scalars(select(CampusCode).order_by(CampusCode.issued_at.desc()))
    return [(code, reveals_of(code)) for code in codes]


def reveals_of(code: CampusCode) -> list[CampusReveal]:
    return list(db.session.scalars(select(CampusReveal).where(CampusReveal.code_id == code.id)
                                   .order_by(CampusReveal.revealed_at.desc())))


def revoke_codes_if_campus_lost(organization: Organization, previous_plan: str) -> None:
    """Revoke ``organization``'s codes when its plan changed from one with the Campus discount
    to one without. Called by the organisation service in the transaction that changes the
    plan; does not commit."""
    if _has_campus(previous_plan) and not _has_campus(organization.plan):
        db.session.execute(update(CampusCode).where(
            CampusCode.organization_id == organization.id,
            CampusCode.revoked_at.is_(None)).values(revoked_at=utcnow()))
