"""The Elite customer's early adopter pages: the programmes, one programme with the
organisation's application, and, for members while it runs, its downloads, articles and
space."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.errors import Conflict, Invalid
from kb.programmes import queries, service
from kb.programmes.forms import ApplicationForm

blueprint = Blueprint("programmes", __name__)


@blueprint.get("/programmes")
@login_required
def index():
    return render_template("programmes/index.html",
                           entries=queries.programmes_for(current_user))


@blueprint.get("/programmes/<int:programme_id>")
@login_required
def show(programme_id: int):
    return _page(programme_id, ApplicationForm())


@blueprint.post("/programmes/<int:programme_id>/apply")
@login_required
def apply(programme_id: int):
    service.require_feature(current_user)
    form = ApplicationForm()
    if not form.validate_on_submit():
        return _page(programme_id, form, 422)
    try:
        service.apply(current_user, programme_id, form.note.data or "")
    except (Invalid, Conflict) as refusal:
        return _page(programme_id, form, refusal.status, refusal.message)
    flash("Your organisation's application is sent. You will hear when staff have decided.",
          "success")
    return redirect(url_for("programmes.show", programme_id=programme_id))


def _page(programme_id: int, form: ApplicationForm, status: int = 200,
          problem: str | None = None):
    entry = queries.programme_for(current_user, programme_id)
    programme = entry.programme
    return render_template(
        "programmes/show.html", entry=entry, programme=programme, form=form, problem=problem,
        takes_applications=programme.takes_applications_on(policy.today()),
        downloads=queries.downloads_of(current_user, programme) if entry.member else [],
        articles=queries.articles_of(current_user, programme) if entry.member else [],
        space=queries.space_of(current_user, programme) if entry.member else None), status
