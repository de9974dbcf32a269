"""Meetings on the Elite pages: customers ask for them on /elite/meetings; staff schedule or
decline them from the organisation's page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.elite import csm, known_issues, meetings, queries
from kb.elite.forms import DeclineForm, MeetingRequestForm, MessageForm, ScheduleForm
from kb.elite.models import MEETING_KINDS
from kb.elite.staff_views import booking_form_of, render_organization
from kb.elite.views import to_the_staff_side
from kb.errors import Invalid
from kb.forms import choices
from kb.time_zones import zone_of

blueprint = Blueprint("elite_meetings", __name__)


@blueprint.get("/elite/meetings")
@login_required
def index():
    if policy.acts_as_staff(current_user):
        return to_the_staff_side()  # staff schedule meetings from an organisation's page
    return _render(_request_form())


@blueprint.post("/elite/meetings")
@login_required
def request_meeting():
    form = _request_form()
    if not form.validate_on_submit():
        return _render(form, status=422)
    try:
        meeting = meetings.request_meeting(
            current_user, form.kind.data, form.subject.data, form.details.data or "",
            form.preferred_times.data or "", form.product.data or "",
            form.target_version.data or "")
    except Invalid as refusal:
        getattr(form, refusal.field or "subject").errors.append(refusal.message)
        return _render(form, status=422)
    flash(f"Your request is with your customer success manager: {meeting.kind_name}.",
          "success")
    return redirect(url_for("elite_meetings.index") + f"#meeting-{meeting.id}")


@blueprint.post("/elite/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int):
    meeting = meetings.cancel(current_user, meeting_id)
    flash(f"Cancelled: {meeting.subject}.", "info")
    if current_user.is_staff:
        return _back_to_organization_meetings(meeting)
    return redirect(url_for("elite_meetings.index"))


@blueprint.post("/staff/elite/meetings/<int:meeting_id>/schedule")
@login_required
def schedule(meeting_id: int):
    policy.require_staff(current_user)
    form = ScheduleForm()
    meeting = meetings.meeting_for(current_user, meeting_id)
    if not form.validate_on_submit():
        return _organization_page_again(meeting, "schedule", form)
    try:
        meetings.schedule(current_user, meeting.id,
                          form.starts_at.data.replace(tzinfo=zone_of(current_user)),
                          form.duration_minutes.data, form.location.data or "",
                          form.attendees.data or "")
    except Invalid as refusal:
        getattr(form, refusal.field or "starts_at").errors.append(refusal.message)
        return _organization_page_again(meeting, "schedule", form)
    flash("Scheduled; both sides have the invite.", "success")
    return _back_to_organization_meetings(meeting)


@blueprint.post("/staff/elite/meetings/<int:meeting_id>/decline")
@login_required
def decline(meeting_id: int):
    policy.require_staff(current_user)
    form = DeclineForm()
    meeting = meetings.meeting_for(current_user, meeting_id)
    if not form.validate_on_submit():
        return _organization_page_again(meeting, "decline", form)
    try:
        meetings.decline(current_user, meeting.id, form.answer.data)
    except Invalid as refusal:
        form.answer.errors.append(refusal.message)
        return _organization_page_again(meeting, "decline", form)
    flash("Declined; the customer has been told why.", "info")
    return _back_to_organization_meetings(meeting)


def _organization_page_again(meeting, kind: str, form):
    """The organisation's page (422), the refused form open as typed, its errors beside it."""
    organization = queries.organization_for_staff(current_user, meeting.organization_id)
    return render_organization(organization, MessageForm(), booking_form_of(organization),
                               status=422,
                               retry={"meeting_id": meeting.id, "kind": kind, "form": form})


def _back_to_organization_meetings(meeting):
    """Staff return to the meetings on the page of the meeting's organisation."""
    return redirect(url_for("elite_staff.organization",
                            organization_id=meeting.organization_id) + "#meetings")


def _request_form() -> MeetingRequestForm:
    form = MeetingRequestForm()
    form.kind.choices = choices((kind, name) for kind, (feature, name) in MEETING_KINDS.items()
                                if policy.can(current_user, feature))
    organization = current_user.organization
    installed = sorted({entry.product.name for entry in organization.installed}) \
        if organization else []
    form.product.choices = choices([("", "(not an update planning call)")]
                                   + [(name, name) for name in installed])
    return form


def _render(form: MeetingRequestForm, status: int = 200):
    organization = csm.own_organization(current_user)
    found = meetings.meetings_of(organization)
    return render_template(
        "elite/meetings.html", organization=organization, manager=csm.csm_of(organization),
        form=form, meetings=found,
        issues={m.id: known_issues.of_update(current_user, m) for m in found}), status
