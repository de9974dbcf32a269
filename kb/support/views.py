"""The customer's support pages: their organisation's incidents, logging one, one incident
with its thread, files and remote access, and what their plan covers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kb import notifications, policy
from kb.db import utcnow
from kb.errors import DomainError, Invalid, TooLarge
from kb.products.known import products_to_name
from kb.products.service import all_products
from kb.storage import human_size
from kb.support import attachments, coverage, incidents, notices, queries, remote_access, watchers
from kb.support import reclassify as classification
from kb.support.display import target_view
from kb.support.forms import (
    ClassificationForm,
    GrantForm,
    IncidentForm,
    ReplyForm,
    StatusForm,
    uploads_of,
)
from kb.support.models import SEVERITY_DEFINITIONS
from kb.time_zones import zone_of
from kb.web import csrf

blueprint = Blueprint("incidents", __name__, url_prefix="/support")
LIST_CHOICES = {"open": "Open", "closed": "Resolved and closed", "all": "All"}


# a file's URL answers a missing sign-in itself, as every download does (never a redirect
# that a script would save as the file)
OWN_SIGN_IN_CHECK = {"incidents.attachment"}


@blueprint.before_request
def _signed_in():
    return None if request.endpoint in OWN_SIGN_IN_CHECK else _page_signed_in()


@login_required
def _page_signed_in():
    return None


def limit_upload_size() -> None:
    """Refuse (413) a body larger than an incident form may carry, before reading it."""
    limit = attachments.request_limit()
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"The upload is too large: {attachments.limits_text()} "
                       f"(at most {human_size(limit)} in all); nothing was saved.")
    request.max_content_length = limit


@blueprint.get("/incidents")
def index():
    if policy.acts_as_staff(current_user):
        return redirect(url_for("incident_staff.queue"))
    show = request.args.get("show", "open")
    show = show if show in LIST_CHOICES else "open"
    text = request.args.get("q", "")[:200]
    found = queries.incidents_of_organization(current_user, show, text, reading=True)
    return render_template("support/index.html", incidents=found, show=show, text=text,
                           choices=LIST_CHOICES, now=utcnow(), target_view=target_view,
                           **_read_only())


def _read_only() -> dict:
    """Whether the customer only reads incidents now (their term ended)."""
    return {"read_only": not policy.can(current_user, policy.INCIDENT_FEATURE)}


def _incident_form() -> IncidentForm:
    form = IncidentForm()
    installed = [item.product.name for item in (current_user.organization.installed
                                                if current_user.organization else [])]
    others = [product.name for product in products_to_name(current_user)
              if product.name not in installed]
    form.product.choices = [("", "Choose the product")] + [
        (name, name) for name in dict.fromkeys(installed + others)]
    form.watchers.choices = [(user.id, f"{user.display_name} ({user.email})")
                             for user in watchers.colleagues_of(current_user)]
    return form


@blueprint.route("/incidents/new", methods=["GET", "POST"])
@csrf.exempt  # the size is checked before the body is read; IncidentForm checks CSRF
def new():
    policy.require(current_user, policy.INCIDENT_FEATURE)
    if request.method == "POST":
        limit_upload_size()
    form = _incident_form()
    if not form.is_submitted():
        form.title.data = request.args.get("title", "")[:300]
        form.contact.data = ""
    problem, status = None, 422 if form.is_submitted() else 200
    attachments_error = None
    if form.validate_on_submit():
        try:
            incident = incidents.log_incident(current_user, form.details())
        except DomainError as refusal:  # a file over the limit too: the text stays
            status = refusal.status
            if _about_attachments(refusal):
                problem = "The incident is not logged yet: see Attachments below."
                attachments_error = refusal.message
            else:
                problem = _refusal_shown(form, refusal)
        else:
            flash(f"Incident {incident.reference} is logged.", "success")
            return redirect(url_for("incidents.show", incident_id=incident.id))
    plan = policy.effective_plan(current_user)
    return render_template("support/new.html", form=form, problem=problem,
                           attachments_error=attachments_error,
                           definitions=SEVERITY_DEFINITIONS, limits=attachments.limits_text(),
                           unavailable=_unavailable_by_product(plan)), status


def _unavailable_by_product(plan: str | None) -> dict[str, list[int]]:
    """The severities without a response target on ``plan``, by product: the form tells them
    for the product chosen, never before one is."""
    found: dict[str, list[int]] = {}
    for severity, product in coverage.unavailable_targets(current_user, plan) if plan else []:
        found.setdefault(product, []).append(severity)
    return found


def _about_attachments(refusal: DomainError) -> bool:
    """Whether a refusal is about the files sent (shown beside the file input)."""
    return getattr(refusal, "field", None) == "attachments"


def _refusal_shown(form: IncidentForm, refusal: DomainError) -> str:
    """The refusal beside the field it is about (the banner then points there), else the
    banner's text."""
    field = getattr(form, getattr(refusal, "field", None) or "", None)
    if field is None:
        return refusal.message
    field.errors = [*field.errors, refusal.message]
    return "The incident is not logged yet: see below."


@blueprint.get("/incidents/<int:incident_id>")
def show(incident_id: int):
    incident = queries.get_incident(current_user, incident_id, reading=True)
    notifications.mark_read_leading_to(current_user, notices.incident_url(incident))
    return incident_page(incident)


def incident_page(incident, reply_form: ReplyForm | None = None, problem: str | None = None,
                  status: int = 200, grant_form: GrantForm | None = None,
                  attachments_error: str | None = None, staff_forms: dict | None = None,
                  status_form: StatusForm | None = None,
                  classification_form: ClassificationForm | None = None, watchers_form=None):
    """The incident page; after a refused reply, grant or staff form (``staff_forms``, by
    name: ``staff_panels``), with what was typed."""
    extra = {}
    reply_form = reply_form or ReplyForm(formdata=None)
    if policy.acts_as_staff(current_user):
        from kb.support.staff_views import canned_text, staff_panels
        extra = staff_panels(incident, **(staff_forms or {}))
        if extra["canned"] is not None and not reply_form.is_submitted():
            reply_form.body.data = canned_text(extra["canned"])
    status_form = status_form or StatusForm(formdata=None, status=incident.status)
    now = utcnow()
    from kb.support.close_views import needs_confirmation
    from kb.support.watcher_views import watchers_form as adding_form
    extra.setdefault("watchers_form", watchers_form or adding_form(incident, submitted=False))
    extra["close_asks_first"] = needs_confirmation(current_user, incident, "closed")
    return render_template(
        "support/show.html", incident=incident, now=now,
        thread=queries.thread(current_user, incident),
        files=queries.attachments_of(current_user, incident),
        articles=queries.linked_articles(current_user, incident),
        accesses=queries.remote_access_of(incident), target=target_view(incident, now),
        reply_form=reply_form, problem=problem, status_form=status_form,
        classification_form=classification_form or _classification_form(incident),
        grant_form=grant_form or _grant_form(now), staff=policy.acts_as_staff(current_user),
        limits=attachments.limits_text(), attachments_error=attachments_error,
        **_read_only(), **extra), status


def _grant_form(now) -> GrantForm:
    form = GrantForm()
    form.prefill(zone_of(current_user), now)
    return form


@blueprint.post("/incidents/<int:incident_id>/replies")
@csrf.exempt  # the size is checked before the body is read; ReplyForm checks CSRF
def reply(incident_id: int):
    limit_upload_size()
    incident = queries.get_incident(current_user, incident_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return incident_page(incident, form, "The form expired: nothing was sent. Your "
                                                 "reply is below; send it again.", 400)
        return incident_page(incident, form, "Your reply is not sent yet: see below.", 422)
    try:
        if form.kind.data == "note" and policy.acts_as_staff(current_user):
            incidents.add_note(current_user, incident, form.body.data or "", uploads_of())
            if form.status.data:  # told to the customer on its own: the note is not
                incidents.change_status(current_user, incident, form.status.data)
            flash("Your note is added (staff only).", "success")
        else:
            status = form.status.data if policy.acts_as_staff(current_user) else ""
            incidents.reply(current_user, incident, form.body.data or "", uploads_of(),
                            status=status or None)
            flash("Your reply is sent.", "success")
    except DomainError as refusal:
        if _about_attachments(refusal):
            return incident_page(incident, form,
                                 "Your reply is not sent yet: see Attachments below.",
                                 refusal.status, attachments_error=refusal.message)
        if getattr(refusal, "field", None) == "body":  # beside the reply box, tied to it
            form.body.errors = [*form.body.errors, refusal.message]
            return incident_page(incident, form, "Your reply is not sent yet: see below.",
                                 refusal.status)
        return incident_page(incident, form, refusal.message, refusal.status)
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#thread-end")


@blueprint.post("/incidents/<int:incident_id>/status")
def change_status(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    form = StatusForm()
    if not form.validate_on_submit():  # the choice and message as sent, the reason beside
        return incident_page(incident, status=422, status_form=form)
    from kb.support.close_views import needs_confirmation
    if needs_confirmation(current_user, incident, form.status.data):  # asks on its own page
        return redirect(url_for("incidents.confirm_close", incident_id=incident.id), 303)
    try:
        incidents.change_status(current_user, incident, form.status.data,
                                form.message.data or "")
    except Invalid as refusal:  # the status and message as chosen stay, the reason beside
        if refusal.field != "message":
            raise
        form.message.errors = [*form.message.errors, refusal.message]
        return incident_page(incident, status=422, status_form=form)
    flash(f"The incident is now {incident.status_name.lower()}.", "success")
    return redirect(url_for("incidents.show", incident_id=incident.id))


def _classification_form(incident, formdata=None) -> ClassificationForm:
    form = ClassificationForm(formdata=formdata, prefix="change", severity=str(incident.severity),
                              product=incident.product.name)
    form.product.choices = [(product.name, product.name) for product in all_products()]
    return form


@blueprint.post("/incidents/<int:incident_id>/classification")
def reclassify(incident_id: int):
    """A new severity (staff: and product), with the reason (``kb.support.reclassify``)."""
    incident = queries.get_incident(current_user, incident_id)
    form = _classification_form(incident, request.form)
    if form.validate_on_submit():
        try:
            classification.reclassify(current_user, incident, int(form.severity.data),
                                      form.product.data or None, form.reason.data)
        except Invalid as refusal:  # the choice and reason as typed, the refusal beside
            getattr(form, refusal.field or "reason").errors.append(refusal.message)
        else:
            flash("The incident is changed; the other side is told.", "success")
            return redirect(url_for("incidents.show", incident_id=incident.id))
    return incident_page(incident, status=422, classification_form=form)


@blueprint.post("/incidents/<int:incident_id>/remote-access/<int:access_id>/<decision>")
def decide_remote_access(incident_id: int, access_id: int, decision: str):
    incident = queries.get_incident(current_user, incident_id)
    access = remote_access.get_access(current_user, incident, access_id)
    if decision == "grant":
        form = _grant_form(utcnow())
        if not form.validate_on_submit():
            return incident_page(incident, status=422, grant_form=form)
        try:
            remote_access.grant(current_user, access, *form.window(zone_of(current_user)))
        except Invalid as refusal:  # the window as typed stays, the reason beside its field
            getattr(form, refusal.field or "ends").errors.append(refusal.message)
            return incident_page(incident, status=422, grant_form=form)
        flash("Remote access is granted for the window you chose.", "success")
    elif decision in ("refuse", "revoke", "withdraw"):
        getattr(remote_access, decision)(current_user, access)
        flash(f"Remote access: {access.status}.", "success")
    else:
        raise DomainError("Unknown decision.")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#remote-access")


@blueprint.get("/coverage")
def coverage_page():
    return render_template("support/coverage.html",
                           coverage=coverage.coverage_of(current_user, utcnow(),
                                                         request.args.get("plan")),
                           plan_name=coverage.plan_name)
