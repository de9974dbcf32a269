"""The watchers of an incident on its page: who is kept informed, adding colleagues and
removing them (``kb.support.watchers`` writes, ``kb.policy`` decides)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from kb import policy
from kb.support import queries, watchers
from kb.support.forms import WatchersForm
from kb.support.views import blueprint, incident_page


def watchers_form(incident, submitted: bool = True) -> WatchersForm | None:
    """The form that adds colleagues, for whoever may choose the incident's watchers."""
    if not policy.may_watch_incident(current_user, incident, managing=True):
        return None
    form = WatchersForm() if submitted else WatchersForm(formdata=None)
    form.watchers.choices = [(user.id, f"{user.display_name} ({user.email})")
                             for user in watchers.candidates(current_user, incident)]
    return form


@blueprint.post("/incidents/<int:incident_id>/watchers")
def add_watchers(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    form = watchers_form(incident)
    if form is None:
        raise policy.AccessDenied("Only who logged the incident, or your organisation's "
                                  "customer administrator, chooses its watchers.",
                                  reason="staff_only")
    if not form.validate_on_submit() or not form.watchers.data:
        form.watchers.errors = ["Tick the colleagues to keep informed."]
        return incident_page(incident, problem=None, status=422, watchers_form=form)
    added = watchers.add(current_user, incident, form.watchers.data)
    flash(f"Kept informed from now on: {', '.join(user.display_name for user in added)}.",
          "success")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#watchers")


@blueprint.post("/incidents/<int:incident_id>/watchers/<int:user_id>/remove")
def remove_watcher(incident_id: int, user_id: int):
    incident = queries.get_incident(current_user, incident_id)
    watchers.remove(current_user, incident, user_id)
    flash("You no longer watch this incident." if user_id == current_user.id
          else "The colleague is no longer kept informed.", "success")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#watchers")
