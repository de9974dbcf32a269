"""Every write of the early adopter programmes: staff open, edit and end programmes and keep
patches and articles to them; Elite customers apply; staff accept (seats counted under the
programme's row lock) or decline, and the organisation's users are told through the alerts
path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from kb import db, plans, policy, search
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization
from kb.alerts.critical import alert_of_article
from kb.alerts.dispatch import Notice, tell
from kb.articles.models import Article
from kb.community.models import Space
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.links import path_for
from kb.locking import row_locked
from kb.patches.models import Patch
from kb.products import service as products
from kb.products.names import slugify
from kb.programmes.models import Programme, ProgrammeApplication

FEATURE = "early_adopter"
NOTE_LIMIT = 1000
TEXT_LIMIT = 5000
MAX_SEATS = 1000


@dataclass
class ProgrammeFields:
    title: str
    product: str
    offer: str
    conditions: str
    seats: int
    opens_on: date
    ends_on: date


def _checked(fields: ProgrammeFields) -> ProgrammeFields:
    title = " ".join((fields.title or "").split())
    if not 3 <= len(title) <= 200:
        raise Invalid("Give the programme a title of 3 to 200 characters.")
    if not (fields.product or "").strip():
        raise Invalid("Name the product the programme is about.")
    if len(fields.offer or "") > TEXT_LIMIT or len(fields.conditions or "") > TEXT_LIMIT:
        raise Invalid(f"Keep what is offered and the conditions under {TEXT_LIMIT:,} characters.")
    if not isinstance(fields.seats, int) or not 1 <= fields.seats <= MAX_SEATS:
        raise Invalid(f"Seats are a number from 1 to {MAX_SEATS}.")
    if fields.opens_on is None or fields.ends_on is None or fields.ends_on < fields.opens_on:
        raise Invalid("The programme ends on or after the day it opens.")
    if fields.ends_on < policy.today():
        # a last day gone by would end the programme behind its members' backs, unrecorded
        raise Invalid("The programme's last day has passed: choose today or a later day (to "
                      "end a programme now, use End programme).")
    return ProgrammeFields(title, fields.product.strip(), (fields.offer or "").strip(),
                           (fields.conditions or "").strip(), fields.seats, fields.opens_on,
                           fields.ends_on)


def open_programme(actor, fields: ProgrammeFields) -> Programme:
    """A new programme, with its private community space for the members."""
    policy.require_staff(actor)
    fields = _checked(fields)
    programme = Programme(created_by=actor)
    _apply_fields(programme, fields)
    db.session.add(programme)
    db.session.flush()
    db.session.add(Space(name=f"{programme.title}: members", min_plan="elite",
                         slug=f"programme-{programme.id}-{slugify(programme.title)}"[:120],
                         description=f"The private space of the {programme.title} programme's "
                                     "members.",
                         product=programme.product, programme_id=programme.id))
    record_audit(actor, "programme.open", "programme", programme.id, None, _snapshot(programme))
    db.session.commit()
    return programme


def _apply_fields(programme: Programme, fields: ProgrammeFields) -> None:
    programme.title, programme.offer, programme.conditions = (fields.title, fields.offer,
                                                              fields.conditions)
    programme.product = products.ensure_product(fields.product)
    programme.seats, programme.opens_on, programme.ends_on = (fields.seats, fields.opens_on,
                                                              fields.ends_on)


def _snapshot(programme: Programme) -> dict:
    return {"title": programme.title, "seats": programme.seats,
            "opens_on": programme.opens_on.isoformat(), "ends_on": programme.ends_on.isoformat()}


def staff_programme(actor, programme_id: int) -> Programme:
    policy.require_staff(actor)
    return _programme(programme_id)


def _programme(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id) if 0 < programme_id < 2**31 else None
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def edit_programme(actor, programme_id: int, fields: ProgrammeFields) -> Programme:
    """Change a running programme; seats never below the organisations already accepted."""
    policy.require_staff(actor)
    fields = _checked(fields)
    with row_locked(Programme, programme_id) as programme:
        if programme is None:
            raise NotFound("No such programme.")
        if programme.ended_at is not None:
            raise Conflict("This programme has ended; open a new one instead.")
        taken = seats_taken(programme)
        if fields.seats < taken:
            raise Invalid(f"{taken} organisations are accepted already: keep at least {taken} "
                          "seats.")
        before = _snapshot(programme)
        _apply_fields(programme, fields)
        record_audit(actor, "programme.edit", "programme", programme.id, before,
                     _snapshot(programme))
        db.session.commit()
    return programme


def end_programme(actor, programme_id: int) -> Programme:
    """End the programme now: its members lose the programme's downloads and space at once."""
    policy.require_staff(actor)
    programme = _programme(programme_id)
    if programme.ended_at is not None:
        return programme
    programme.ended_at = utcnow()
    for application in accepted_applications(programme):
        _tell_organization(application.organization, Notice(
            kind="programme.ended", title=f"The {programme.title} programme has ended",
            url=path_for("programmes.show", programme_id=programme.id),
            body="Thank you for taking part. The programme's downloads and its community "
                 "space are closed now.", key=f"programme:{programme.id}:ended"))
    record_audit(actor, "programme.end", "programme", programme.id, None, {"ended": True})
    db.session.commit()
    return programme


def seats_taken(programme: Programme) -> int:
    return db.session.scalar(select(func.count(ProgrammeApplication.id)).where(
        ProgrammeApplication.programme_id == programme.id,
        ProgrammeApplication.status == "accepted")) or 0


def accepted_applications(programme: Programme) -> list[ProgrammeApplication]:
    return list(db.session.scalars(select(ProgrammeApplication).where(
        ProgrammeApplication.programme_id == programme.id,
        ProgrammeApplication.status == "accepted")))


def require_feature(user) -> None:
    policy.require(user, FEATURE)


def apply(user, programme_id: int, note: str) -> ProgrammeApplication:
    """The customer's organisation applies to a programme that takes applications."""
    require_feature(user)
    if user.organization is None:
        raise Invalid("Staff do not apply to programmes; customers' organisations do.")
    programme = _programme(programme_id)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise Invalid(f"Keep the note under {NOTE_LIMIT:,} characters.")
    if not programme.takes_applications_on(policy.today()):
        raise Conflict("This programme takes no applications now.")
    if application_of(user.organization, programme) is not None:
        raise Conflict(f"{user.organization.name} has applied to this programme already.")
    application = ProgrammeApplication(programme=programme, organization=user.organization,
                                       note=note, applied_by=user)
    db.session.add(application)
    db.session.flush()
    if programme.created_by is not None and programme.created_by.is_enabled:
        tell(programme.created_by, Notice(
            kind="programme.applied",
            title=f"{user.organization.name} applied to {programme.title}",
            url=path_for("programmes_staff.show", programme_id=programme.id)))
    record_audit(user, "programme.apply", "programme_application", application.id, None,
                 {"programme_id": programme.id})
    db.session.commit()
    return application


def application_of(organization: Organization | None, programme: Programme
                   ) -> ProgrammeApplication | None:
    if organization is None:
        return None
    return db.session.scalar(select(ProgrammeApplication).where(
        ProgrammeApplication.programme_id == programme.id,
        ProgrammeApplication.organization_id == organization.id))


def application_by_id(application_id: int) -> ProgrammeApplication:
    application = db.session.get(ProgrammeApplication, application_id) \
        if 0 < application_id < 2**31 else None
    if application is None:
        raise NotFound("No such application.")
    return application


def decide(actor, application_id: int, accept: bool, answer: str = "") -> ProgrammeApplication:
    """Accept or decline an application (staff, at their discretion). Acceptance counts the
    seats under the programme's row lock, so two at once never exceed them."""
    policy.require_staff(actor)
    application = application_by_id(application_id)
    answer = " ".join((answer or "").split())
    if len(answer) > NOTE_LIMIT:
        raise Invalid(f"Keep the answer under {NOTE_LIMIT:,} characters.")
    with row_locked(Programme, application.programme_id) as programme:
        db.session.refresh(application)
        status = "accepted" if accept else "declined"
        if application.status == status:
            return application
        if accept:
            _check_seat_free(programme, application.organization)
        application.status, application.answer = status, answer
        application.decided_by, application.decided_at = actor, utcnow()
        _tell_decision(application)
        record_audit(actor, f"programme.{status}", "programme_application", application.id,
                     None, {"status": status})
        db.session.commit()
    return application


def _check_seat_free(programme: Programme, organization: Organization) -> None:
    if programme.has_ended_on(policy.today()):
        raise Conflict("This programme has ended.")
    if organization.plan not in plans.feature(FEATURE).plans:
        raise Conflict(f"{organization.name} is no longer on Elite.")
    if seats_taken(programme) >= programme.seats:
        raise Conflict(f"All {programme.seats} seats are taken: decline someone first or add "
                       "seats.")


def _tell_decision(application: ProgrammeApplication) -> None:
    programme = application.programme
    accepted = application.status == "accepted"
    title = (f"{application.organization.name} is in the {programme.title} programme"
             if accepted else f"Your application to {programme.title} was declined")
    body = ("The programme's downloads and its members' community space are open to you."
            if accepted else "")
    _tell_organization(application.organization, Notice(
        kind=f"programme.{application.status}", title=title, body=(
            f"{body}\n\n{application.answer}".strip()),
        url=path_for("programmes.show", programme_id=programme.id),
        product_id=programme.product_id))


def _tell_organization(organization: Organization, notice: Notice) -> None:
    for user in organization.users:
        if user.is_enabled:
            tell(user, notice)


# what staff may keep to a programme: kind -> (model, its name in messages and the index)
KEPT_KINDS = {"patch": (Patch, "patch"), "article": (Article, "article")}


def keep_to_programme(actor, programme_id: int, kind: str, item_id: int,
                      restricted: bool) -> Patch | Article:
    """Keep a patch or an article to the programme's members (or open it to every reader of
    its kind again); search follows at once."""
    policy.require_staff(actor)
    programme = _programme(programme_id)
    model, name = KEPT_KINDS[kind]
    item = db.session.get(model, item_id) if 0 < item_id < 2**31 else None
    if item is None:
        raise NotFound(f"No such {name}.")
    if restricted and item.programme_id not in (None, programme.id):
        raise Conflict(f"This {name} belongs to another programme.")
    if restricted and programme.has_ended_on(policy.today()):
        raise Conflict("This programme has ended: nobody but staff would read it.")
    if restricted and item.programme_id is None and kind == "article" \
            and alert_of_article(item) is not None:
        raise Conflict("This article is the workaround of a critical-issue alert, which "
                       "everyone it concerns reads.")
    if not restricted and item.programme_id != programme.id:
        raise Conflict(f"This {name} is not the programme's.")
    before = item.programme_id
    item.programme_id = programme.id if restricted else None
    search.record_change(name, item.id)
    record_audit(actor, f"programme.{name}", name, item.id, {"programme_id": before},
                 {"programme_id": item.programme_id})
    db.session.commit()
    return item
