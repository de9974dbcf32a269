"""Staff pages of the Elite services: the Elite organisations and their CSMs, a CSM's own
organisations at a glance, one organisation's conversation and special events, and the
products special-event support is not available for."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import db, policy
from kb.accounts import queries as account_queries
from kb.accounts.models import User
from kb.elite import csm, known_issues, meetings, queries, special_events
from kb.elite.forms import (
    AssignCsmForm,
    BookingForm,
    CancelBookingForm,
    ExclusionForm,
    MessageForm,
    SupportPersonForm,
    booking_form,
)
from kb.errors import Invalid
from kb.forms import choices, database_id
from kb.products.models import Product
from kb.products.service import all_products

blueprint = Blueprint("elite_staff", __name__, url_prefix="/staff/elite")


@blueprint.get("")
@login_required
def index():
    policy.require_staff(current_user)
    return _render_index(_exclusion_form())


def _exclusion_form(**data) -> ExclusionForm:
    form = ExclusionForm(**data)
    form.product.choices = choices([("", "Choose a product")]
                                   + [(str(p.id), p.name) for p in all_products()])
    return form


def _render_index(exclusion_form: ExclusionForm, status: int = 200, refused_csm=None):
    """The page; ``refused_csm`` is (organisation id, the CSM form it refused)."""
    refused_for, csm_form = refused_csm or (None, _csm_form())
    return render_template(
        "elite/staff_index.html", mine=queries.elite_organizations(current_user, current_user),
        everyone=queries.elite_organizations(current_user), csm_form=csm_form,
        refused_for=refused_for, exclusion_form=exclusion_form,
        support_person_of=special_events.support_person_of,
        exclusions=queries.exclusions()), status


@blueprint.post("/organizations/<int:organization_id>/csm")
@login_required
def assign_csm(organization_id: int):
    """A staff member of the list becomes the CSM; anything else (a customer's id sent with
    devtools, an organisation not on Elite) is refused beside the choice and changes nothing."""
    organization = queries.organization_for_staff(current_user, organization_id)
    form = _csm_form()
    if form.validate_on_submit():
        try:
            manager = _staff_member(form.csm.data)
            csm.assign(current_user, organization, manager)
        except Invalid as refusal:
            form.csm.errors.append(refusal.message)
        else:
            flash(f"{manager.display_name} is the customer success manager of "
                  f"{organization.name}.", "success")
            return redirect(url_for("elite_staff.index") + "#all-organizations")
    return _render_index(_exclusion_form(formdata=None), 422, (organization.id, form))


@blueprint.get("/organizations/<int:organization_id>")
@login_required
def organization(organization_id: int):
    found = queries.organization_for_staff(current_user, organization_id)
    return render_organization(found, MessageForm(), booking_form_of(found))


@blueprint.post("/organizations/<int:organization_id>/messages")
@login_required
def send_message(organization_id: int):
    found = queries.organization_for_staff(current_user, organization_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return render_organization(found, form, booking_form_of(found), status=422)
    try:
        csm.send_message(current_user, found, form.body.data)
    except Invalid as refusal:
        form.body.errors.append(refusal.message)
        return render_organization(found, form, booking_form_of(found), status=422)
    flash("Message sent.", "success")
    return redirect(url_for("elite_staff.organization", organization_id=found.id)
                    + "#conversation")


@blueprint.post("/organizations/<int:organization_id>/special-events")
@login_required
def book_special_event(organization_id: int):
    """Staff book the organisation's weekend on its behalf, under the customers' rules."""
    found = queries.organization_for_staff(current_user, organization_id)
    form = booking_form_of(found)
    if not form.validate_on_submit():
        return render_organization(found, MessageForm(), form, status=422)
    try:
        booking = special_events.book(current_user, found, form.weekend.data, form.product.data,
                                      form.notes.data or "")
    except Invalid as refusal:
        form.weekend.errors.append(refusal.message)
        return render_organization(found, MessageForm(), form, status=422)
    flash(f"The weekend of {booking.weekend.isoformat()} is booked for {found.name}.",
          "success")
    return redirect(url_for("elite_staff.organization", organization_id=found.id)
                    + "#special-events")


@blueprint.post("/special-events/<int:booking_id>/support-person")
@login_required
def name_support_person(booking_id: int):
    policy.require_staff(current_user)
    booking = special_events.booking_for(current_user, booking_id)
    form = _support_person_form()
    if form.validate_on_submit():
        try:
            person = _staff_member(form.person.data)
            special_events.assign_support_person(current_user, booking.id, person)
        except Invalid as refusal:
            form.person.errors.append(refusal.message)
        else:
            flash(f"{person.display_name} is the support person for the weekend of "
                  f"{booking.weekend.isoformat()}.", "success")
            return _to_special_events(booking)
    return _refused_booking_form(booking, "person", form)


@blueprint.post("/special-events/<int:booking_id>/cancel")
@login_required
def cancel_special_event(booking_id: int):
    policy.require_staff(current_user)
    booking = special_events.booking_for(current_user, booking_id)
    form = CancelBookingForm()
    if form.validate_on_submit():
        try:
            special_events.cancel(current_user, booking.id, form.reason.data or "")
        except Invalid as refusal:  # cancelled already, or its weekend has begun
            form.form_errors.append(refusal.message)
        else:
            flash(f"The weekend of {booking.weekend.isoformat()} is cancelled for "
                  f"{booking.organization.name}; the person who booked it was told.", "info")
            return _to_special_events(booking)
    return _refused_booking_form(booking, "cancel", form)


def _to_special_events(booking):
    return redirect(url_for("elite_staff.organization", organization_id=booking.organization_id)
                    + "#special-events")


def _refused_booking_form(booking, kind: str, form):
    """The organisation's page again, the booking's refused form (``kind``: person or cancel)
    with what is wrong at its top."""
    found = queries.organization_for_staff(current_user, booking.organization_id)
    return render_organization(found, MessageForm(formdata=None),
                               booking_form_of(found, formdata=None), status=422,
                               retry={"booking_id": booking.id, "kind": kind, "form": form})


@blueprint.post("/exclusions")
@login_required
def exclude():
    policy.require_staff(current_user)
    form = _exclusion_form()
    if not form.validate_on_submit():  # the page again, what was typed and why beside it
        return _render_index(form, status=422)
    product = db.session.get(Product, database_id(form.product.data))
    special_events.exclude_product(current_user, product, form.reason.data or "")
    flash(f"Special-event support is no longer offered for {product.name}.", "info")
    return redirect(url_for("elite_staff.index") + "#exclusions")


@blueprint.post("/exclusions/<int:product_id>/delete")
@login_required
def include(product_id: int):
    special_events.include_product(current_user, product_id)
    flash("Special-event support is offered for that product again.", "info")
    return redirect(url_for("elite_staff.index") + "#exclusions")


def render_organization(found, message_form: MessageForm, booking: BookingForm,
                         status: int = 200, retry: dict | None = None):
    """The organisation's page; ``retry`` names a meeting form refused (``meeting_id``,
    ``kind``: schedule or decline, ``form``), shown again as typed with its errors."""
    listed = meetings.meetings_of(found)
    return render_template(
        "elite/staff_organization.html", organization=found, manager=csm.csm_of(found),
        messages=csm.conversation(current_user, found), message_form=message_form,
        bookings=special_events.bookings_of(found),
        support_person_of=special_events.support_person_of,
        person_form=_support_person_form(formdata=None),
        cancel_form=CancelBookingForm(formdata=None), today=policy.today(),
        booking_form=booking, term_booking=special_events.booking_in_term(found),
        first_bookable=special_events.first_bookable(),
        meetings=listed, issues={m.id: known_issues.of_update(current_user, m) for m in listed},
        contacts=sorted(found.users, key=lambda user: user.email), retry=retry or {}), status


def booking_form_of(organization, **data) -> BookingForm:
    return booking_form(special_events.eligible_products(organization), **data)


def _staff_choices():
    return choices((str(user.id), f"{user.display_name} ({user.email})")
                   for user in account_queries.staff_members())


def _csm_form() -> AssignCsmForm:
    form = AssignCsmForm()
    form.csm.choices = _staff_choices()
    return form


def _support_person_form(**data) -> SupportPersonForm:
    form = SupportPersonForm(**data)
    form.person.choices = _staff_choices()
    return form


def _staff_member(raw: str) -> User:
    try:
        user = db.session.get(User, database_id(raw))
    except ValueError:
        user = None
    if user is None:
        raise Invalid("Choose a staff member from the list.")
    return user
