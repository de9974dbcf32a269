"""The one-click unsubscribe page (no sign-in: the signed link is the credential), and the
staff view of e-mail that could not be delivered."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb.alerts import outbox
from kb.alerts import unsubscribe as service

blueprint = Blueprint("alerts", __name__)


@blueprint.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    return render_template("alerts/unsubscribe.html", token=token, done=False,
                           unsubscription=service.read_token(token))


@blueprint.post("/unsubscribe/<token>")
def unsubscribe_now(token: str):
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without any CSRF token
    return render_template("alerts/unsubscribe.html", token=token, done=True,
                           unsubscription=service.unsubscribe(token))


@blueprint.get("/staff/outbox")
@login_required
def staff_outbox():
    return render_template("alerts/outbox.html",
                           messages=outbox.troubled_messages(current_user),
                           counts=outbox.counts_by_status())


@blueprint.post("/staff/outbox/<int:message_id>/resend")
@login_required
def resend(message_id: int):
    outbox.resend(current_user, message_id)
    flash("The message is queued again.", "success")
    return redirect(url_for("alerts.staff_outbox"))
