"""Closing a critical incident from the customer's page asks first: a Severity 1 incident is
closed only from a page that says what closing means, with a tick the customer sets. No
JavaScript is needed, and the close button of a page opened before lands on the same question."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.support import incidents, queries
from kb.support.forms import ConfirmCloseForm
from kb.support.views import blueprint

CONFIRMED_SEVERITIES = frozenset({1})


def needs_confirmation(user, incident, status: str) -> bool:
    """Whether closing asks first: a customer closing a critical incident (staff change a
    status with a form of their own, where status and message are chosen)."""
    return (status == "closed" and incident.severity in CONFIRMED_SEVERITIES
            and incident.status != "closed" and not policy.acts_as_staff(user))


@blueprint.route("/incidents/<int:incident_id>/close", methods=["GET", "POST"])
def confirm_close(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    if not needs_confirmation(current_user, incident, "closed"):
        return redirect(url_for("incidents.show", incident_id=incident.id))
    form = ConfirmCloseForm()
    if form.validate_on_submit():
        incidents.change_status(current_user, incident, "closed", form.message.data or "")
        flash(f"The incident is now {incident.status_name.lower()}.", "success")
        return redirect(url_for("incidents.show", incident_id=incident.id))
    status = 422 if form.is_submitted() else 200
    return render_template("support/confirm_close.html", incident=incident, form=form), status
