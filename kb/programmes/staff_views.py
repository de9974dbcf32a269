"""Staff's early adopter pages: open, edit and end programmes, answer applications, and keep
patches and articles to a programme's members."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.errors import Conflict, Invalid
from kb.forms import choices, database_id
from kb.programmes import queries, service
from kb.programmes.forms import DecisionForm, ProgrammeForm, RestrictForm

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
                    status: int = 200, decision: dict | None = None,
                    restricting: dict | None = None):
    """The programme's page; ``decision`` names a refused decision on an application
    (``application_id``, ``answer`` as typed, ``problem``), shown beside it; ``restricting``
    a refused form keeping an item to the programme, by the kinds it keeps."""
    restrict_forms = {kinds: _restrict_form(programme, kinds) for kinds in KEPT}
    return render_template(
        "programmes/staff_programme.html", programme=programme, form=form, problem=problem,
        entry=queries.entry_of(current_user, programme), decision=decision or {},
        applications=queries.applications_to(current_user, programme),
        downloads=queries.downloads_of(current_user, programme),
        articles=queries.articles_of(current_user, programme),
        space=queries.space_of(current_user, programme),
        restrict_forms=restrict_forms | (restricting or {})), status


class Kept(NamedTuple):
    """What staff keep to a programme, by the word in its address."""

    kind: str  # as the programme service names it
    label: str
    prompt: str
    section: str  # where the programme's page lists them
    candidates: Callable  # (staff, programme) -> the product's items not kept to any programme


KEPT = {"patches": Kept("patch", "Patch", "Choose a patch", "downloads",
                        queries.patches_to_restrict),
        "articles": Kept("article", "Article", "Choose an article", "articles",
                         queries.articles_to_restrict)}


def _restrict_form(programme, kinds: str) -> RestrictForm:
    """The form keeping one of the product's patches or articles to the programme."""
    kept = KEPT[kinds]
    form = RestrictForm(prefix=kept.kind)
    form.item.label.text = kept.label
    form.item.choices = choices([("", kept.prompt)] + [
        (str(item.id), f"{item.title} (#{item.id}, {item.status})")
        for item in kept.candidates(current_user, programme)])
    return form


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
    try:
        if not form.validate_on_submit():
            raise Invalid("Keep the word to the organisation under 1,000 characters.")
        application = service.decide(current_user, application_id, action == "accept",
                                     form.answer.data or "")
    except (Invalid, Conflict) as refusal:  # the page again, the word typed kept
        return _decision_refused(application_id, form.answer.data or "", refusal)
    flash(f"{application.organization.name}: {application.status}. Its users were told.",
          "success")
    return redirect(url_for("programmes_staff.show", programme_id=application.programme_id)
                    + "#applications")


def _decision_refused(application_id: int, answer: str, refusal):
    programme = service.staff_programme(current_user,
                                        service.application_by_id(application_id).programme_id)
    return _programme_page(programme, ProgrammeForm.of(programme), status=refusal.status,
                           decision={"application_id": application_id, "answer": answer,
                                     "problem": refusal.message})


@blueprint.post("/<int:programme_id>/<any(patches, articles):kinds>")
def restrict(programme_id: int, kinds: str):
    programme = service.staff_programme(current_user, programme_id)
    kept = KEPT[kinds]
    form = _restrict_form(programme, kinds)
    try:
        if not form.validate_on_submit():
            raise Invalid(f"Choose one of the product's {kinds} from the list.")
        item = service.keep_to_programme(current_user, programme_id, kept.kind,
                                         database_id(form.item.data), True)
    except (Invalid, Conflict) as refusal:  # the page again, the reason beside the list
        form.item.errors = [refusal.message]
        return _programme_page(programme, ProgrammeForm.of(programme), status=refusal.status,
                               restricting={kinds: form})
    flash(f"{item.title} is for the programme's members only now.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id)
                    + f"#{kept.section}")


@blueprint.post("/<int:programme_id>/<any(patches, articles):kinds>/<int:item_id>/release")
def release(programme_id: int, kinds: str, item_id: int):
    kept = KEPT[kinds]
    item = service.keep_to_programme(current_user, programme_id, kept.kind, item_id, False)
    flash(f"{item.title} is open to every reader of {kinds} again.", "success")
    return redirect(url_for("programmes_staff.show", programme_id=programme_id)
                    + f"#{kept.section}")
