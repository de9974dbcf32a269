"""Staff pages of the alerts area: opening and advancing critical-issue alerts, and the e-mail
that could not be delivered (the outbox), with a resend."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.alerts import critical, fixes, outbox, queries
from kb.alerts.forms import AdvanceForm, OpenAlertForm, ReviseAlertForm
from kb.alerts.revising import revise_alert
from kb.errors import Invalid
from kb.forms import choices, optional_database_id
from kb.patches.details import split_list
from kb.patches.reach import reached, reaches_fewer

blueprint = Blueprint("alerts_staff", __name__, url_prefix="/staff")


@blueprint.route("/alerts", methods=["GET", "POST"])
@login_required
def alerts():
    policy.require_staff(current_user)
    form = OpenAlertForm()
    if form.validate_on_submit():
        try:
            opened = critical.open_alert(
                current_user, form.title.data, form.summary.data or "",
                split_list(form.products.data), split_list(form.versions.data or ""),
                form.min_plan.data)
        except Invalid as refusal:
            form.products.errors.append(refusal.message)
        else:
            flash(f"Alert #{opened.id} is open; its subscribers have been told.", "success")
            return redirect(url_for("alerts_staff.alert", alert_id=opened.id))
    status = 422 if form.errors else 200
    return render_template("alerts/staff_index.html", form=form,
                           alerts=queries.all_alerts(current_user)), status


@blueprint.route("/alerts/<int:alert_id>", methods=["GET", "POST"])
@login_required
def alert(alert_id: int):
    shown = queries.get_alert_for_staff(current_user, alert_id)
    form = _advance_form(shown)
    if form.validate_on_submit():
        try:
            if not _warned_of_fewer_reached(shown, form):
                critical.advance(current_user, shown.id, form.state.data,
                                 article_slug=form.article_slug.data or "",
                                 patch_id=_optional_id(form.patch_id.data),
                                 note=form.note.data or "")
                flash(_advanced_message(shown, form.state.data), "success")
                return redirect(url_for("alerts_staff.alert", alert_id=shown.id))
        except Invalid as refusal:
            form.state.errors.append(refusal.message)
    return _alert_page(shown, form, _revise_form(shown))


@blueprint.post("/alerts/<int:alert_id>/text")
@login_required
def revise(alert_id: int):
    shown = queries.get_alert_for_staff(current_user, alert_id)
    form = ReviseAlertForm()
    if form.validate_on_submit():
        try:
            revise_alert(current_user, shown.id, form.title.data, form.summary.data or "",
                         tell=form.tell.data, note=form.update_note.data or "")
        except Invalid as refusal:
            form.title.errors.append(refusal.message)
        else:
            told = "its subscribers have been told" if form.tell.data else "nobody was told"
            flash(f"The alert's title and summary are saved; {told}.", "success")
            return redirect(url_for("alerts_staff.alert", alert_id=shown.id))
    return _alert_page(shown, _advance_form(shown), form)


def _alert_page(alert, advance_form: AdvanceForm, revise_form: ReviseAlertForm):
    status = 422 if advance_form.errors or revise_form.errors else 200
    return render_template("alerts/staff_alert.html", alert=alert, form=advance_form,
                           revise_form=revise_form), status


def _revise_form(alert) -> ReviseAlertForm:
    return ReviseAlertForm(formdata=None, title=alert.title, summary=alert.summary)


@blueprint.get("/outbox")
@login_required
def outbox_page():
    return render_template("alerts/outbox.html",
                           messages=outbox.troubled_messages(current_user),
                           recent=outbox.recent_messages(current_user),
                           counts=outbox.counts_by_status(),
                           delivering=bool(current_app.config["SMTP_URL"]))


@blueprint.post("/outbox/<int:message_id>/resend")
@login_required
def resend(message_id: int):
    outbox.resend(current_user, message_id)
    flash("The message is queued again.", "success")
    return redirect(url_for("alerts_staff.outbox_page"))


def _advance_form(alert) -> AdvanceForm:
    """The next step's form, starting from the workaround and the fix the alert has."""
    form = AdvanceForm(article_slug=alert.article.slug if alert.article else "",
                       patch_id=str(alert.patch_id) if alert.patch_id else "")
    articles = ([alert.article] if alert.article else []) + queries.workaround_candidates()
    form.article_slug.choices = choices([("", "(none)")] + [
        (a.slug, a.title + _current(a is alert.article)) for a in articles])
    patches = ([alert.patch] if alert.patch else []) + [
        p for p in queries.fixing_candidates(alert) if p is not alert.patch]
    form.patch_id.choices = choices([("", "(none)")] + [
        (str(p.id), f"{p.kind_name} #{p.id}: {p.title}" + _current(p is alert.patch)
         + (f" — for {reached(p)} only" if reaches_fewer(p, alert.min_plan) else ""))
        for p in patches])
    return form


def _warned_of_fewer_reached(alert, form: AdvanceForm) -> bool:
    """Whether the fix chosen is for fewer plans than the alert and staff were warned of it now
    (not yet ticked "name it anyway")."""
    if form.state.data != "fixed" or form.fewer_reached.data:
        return False
    warning = fixes.fix_warning(alert, _optional_id(form.patch_id.data))
    if warning is not None:
        form.fewer_reached.errors = [warning]
    return warning is not None


def _current(is_current: bool) -> str:
    return " (current)" if is_current else ""


def _advanced_message(alert, wanted: str) -> str:
    if alert.state != wanted:  # a draft workaround: linked, told once published
        return ("The workaround article is linked: the alert becomes \"workaround available\" "
                "and its subscribers are told when the article is published.")
    return f"The alert is now {alert.state_name.lower()}; its subscribers have been told."


def _optional_id(raw: str | None) -> int | None:
    try:
        return optional_database_id(raw)
    except ValueError:
        raise Invalid("Choose a patch from the list.") from None
