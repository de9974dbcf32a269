"""Staff's early adopter pages: open, edit and end programmes, answer applications, and keep
patches to a programme's members."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.errors import Conflict, Invalid
from kb.forms import choices, database_id
from kb.programmes import queries, service
from kb.programmes.forms import DecisionForm, ProgrammeForm, RestrictPatchForm

blueprint = Blueprint("programmes_staff", __name__, url_prefix="/staff/programmes")


@blueprint.get("/")
def index():
    policy.require_staff(current_user)
    return _index_page(ProgrammeForm())


def _index_page(form: ProgrammeForm, problem: str | None = None, status: int = 200):
    return render_template("programmes/staff_index.html", form=form, problem=problem,
                           entries=queries.all_programmes(current_user)), status


@blueprint.post("/")
def create():
    policy.require_staff(current_user)
    form = ProgrammeForm()
    if not form.validate_on_submit():
        return _index_page(form, status=422)
    try:
        programme = service.open_programme(current_user, form.fields())
    except Invalid as refusal:
        return _index_page(form, refusal.message, refusal.status)
    flash(f"The programme “{programme.title}” is open, with its members' space.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme.id))


@blueprint.get("/<int:programme_id>")
def show(programme_id: int):
    programme = service.staff_programme(current_user, programme_id)
    return _programme_page(programme, ProgrammeForm.of(programme))


def _programme_page(programme, form: ProgrammeForm, problem: str | None = None,
                    status: int = 200):
    restrict_form = RestrictPatchForm()
    restrict_form.patch.choices = choices(
        [("", "Choose a patch")] + [(str(patch.id), f"{patch.title} (#{patch.id})")
                                    for patch in queries.patches_to_restrict(current_user,
                                                                             programme)])
    return render_template(
        "programmes/staff_programme.html", programme=programme, form=form, problem=problem,
        entry=queries.entry_of(current_user, programme), decision_form=DecisionForm(),
        applications=queries.applications_to(current_user, programme),
        downloads=queries.downloads_of(current_user, programme),
        space=queries.space_of(current_user, programme), restrict_form=restrict_form), status


@blueprint.post("/<int:programme_id>")
def edit(programme_id: int):
    programme = service.staff_programme(current_user, programme_id)
    form = ProgrammeForm()
    if not form.validate_on_submit():
        return _programme_page(programme, form, status=422)
    try:
        service.edit_programme(current_user, programme_id, form.fields())
    except (Invalid, Conflict) as refusal:
        return _programme_page(programme, form, refusal.message, refusal.status)
    flash("The programme is saved.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id))


@blueprint.post("/<int:programme_id>/end")
def end(programme_id: int):
    programme = service.end_programme(current_user, programme_id)
    flash(f"“{programme.title}” has ended: its members' downloads and space are closed.",
          "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id))


@blueprint.post("/applications/<int:application_id>/<any(accept, decline):action>")
def decide(application_id: int, action: str):
    policy.require_staff(current_user)
    form = DecisionForm()
    if not form.validate_on_submit():
        raise Invalid("Keep the word to the organisation under 1,000 characters.")
    application = service.decide(current_user, application_id, action == "accept",
                                 form.answer.data or "")
    flash(f"{application.organization.name}: {application.status}. Its users were told.",
          "success")
    return redirect(url_for("programmes_staff.show", programme_id=application.programme_id)
                    + "#applications")


@blueprint.post("/<int:programme_id>/patches")
def restrict(programme_id: int):
    programme = service.staff_programme(current_user, programme_id)
    form = RestrictPatchForm()
    form.patch.choices = choices((str(patch.id), patch.title) for patch in
                                 queries.patches_to_restrict(current_user, programme))
    if not form.validate_on_submit():
        raise Invalid("Choose one of the product's patches.")
    patch = service.restrict_patch(current_user, programme_id, database_id(form.patch.data),
                                   True)
    flash(f"{patch.title} is for the programme's members only now.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id) + "#downloads")


@blueprint.post("/<int:programme_id>/patches/<int:patch_id>/release")
def release(programme_id: int, patch_id: int):
    patch = service.restrict_patch(current_user, programme_id, patch_id, False)
    flash(f"{patch.title} is open to every reader of patches again.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id) + "#downloads")
