"""The customer's Elite services page (/elite): their customer success manager and the
conversation with them, and the special-event weekend of the term."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.elite import csm, special_events
from kb.elite.forms import BookingForm, MessageForm, booking_form
from kb.errors import Invalid, RuleBroken

blueprint = Blueprint("elite", __name__)
PRODUCT_RULES = ("standard_product", "csm_assigned")


@blueprint.get("/elite")
@login_required
def index():
    if policy.acts_as_staff(current_user):
        return to_the_staff_side()
    return _render(MessageForm(), _booking_form())


def to_the_staff_side():
    """Staff have no success manager of their own: the customer's Elite pages (and the menu
    entry that leads there) take them to their side of Elite services, the organisations
    and their managers, as the customer's incident list takes them to the queue."""
    return redirect(url_for("elite_staff.index"))


@blueprint.post("/elite/messages")
@login_required
def send_message():
    organization = csm.own_organization(current_user)
    form = MessageForm()
    if not form.validate_on_submit():
        return _render(form, _booking_form(), status=422)
    try:
        csm.send_message(current_user, organization, form.body.data)
    except Invalid as refusal:
        form.body.errors.append(refusal.message)
        return _render(form, _booking_form(), status=422)
    flash("Your message is on its way to your customer success manager.", "success")
    return redirect(url_for("elite.index") + "#conversation")


@blueprint.post("/elite/special-events")
@login_required
def book():
    organization = csm.own_organization(current_user)
    form = _booking_form()
    if not form.validate_on_submit():
        return _render(MessageForm(), form, status=422)
    try:
        booking = special_events.book(current_user, organization, form.weekend.data,
                                      form.product.data, form.notes.data or "")
    except RuleBroken as refusal:
        _field_of(form, refusal).errors.append(refusal.message)
        return _render(MessageForm(), form, status=422)
    except Invalid as refusal:
        form.notes.errors.append(refusal.message)
        return _render(MessageForm(), form, status=422)
    flash(f"The weekend of {booking.weekend.isoformat()} is booked. Your customer success "
          "manager names your support person.", "success")
    return redirect(url_for("elite.index") + "#special-events")


@blueprint.post("/elite/special-events/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int):
    booking = special_events.cancel(current_user, booking_id)
    flash(f"The weekend of {booking.weekend.isoformat()} is cancelled.", "info")
    return redirect(url_for("elite.index") + "#special-events")


def _field_of(form: BookingForm, refusal: RuleBroken):
    """The field a broken booking rule is about: the product, or else the weekend."""
    return form.product if refusal.rule in PRODUCT_RULES else form.weekend


def _booking_form() -> BookingForm:
    organization = current_user.organization
    return booking_form(special_events.eligible_products(organization) if organization else [])


def _render(message_form: MessageForm, booking_form: BookingForm, status: int = 200):
    organization = csm.own_organization(current_user)
    return render_template(
        "elite/index.html", organization=organization, manager=csm.csm_of(organization),
        messages=csm.conversation(current_user, organization), message_form=message_form,
        booking_form=booking_form, bookings=special_events.bookings_of(organization),
        support_person_of=special_events.support_person_of,
        term_booking=special_events.booking_in_term(organization),
        conditions=special_events.CONDITIONS, today=policy.today(),
        first_bookable=special_events.first_bookable()), status
