"""Moderation (staff): the newest questions and answers with hidden ones, opening spaces,
hiding, locking, merging duplicates, and turning a solved question into a draft article."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from kb import policy
from kb.community import moderation, queries, reports, service, spaces
from kb.community.forms import MergeForm, NoteForm, SpaceForm
from kb.community.views import RefusedNote, answer_named, question_page
from kb.errors import Conflict, Invalid
from kb.forms import choices, database_id

blueprint = Blueprint("community_staff", __name__)


@blueprint.get("/staff/community")
def queue():
    policy.require_staff(current_user)
    return _queue_page(SpaceForm())


def _queue_page(space_form: SpaceForm, status: int = 200):
    questions, answers = queries.moderation_queue(current_user)
    return render_template("community/staff.html", questions=questions, answers=answers,
                           reports=reports.open_reports(current_user),
                           space_form=space_form, note_form=NoteForm(),
                           spaces=queries.list_spaces(current_user)), status


@blueprint.post("/staff/community/spaces")
def create_space():
    policy.require_staff(current_user)
    form = SpaceForm()
    if not form.validate_on_submit():
        return _queue_page(form, 422)
    try:
        created = spaces.create_space(current_user, spaces.SpaceFields(
            name=form.name.data, description=form.description.data or "",
            product=form.product.data or "", min_plan=form.min_plan.data))
    except (Conflict, Invalid) as refusal:  # a space of that name: the form again, as typed
        form.name.errors.append(refusal.message)
        return _queue_page(form, 422)
    flash(f"The space “{created.name}” is open.", "success")
    return redirect(url_for("community.space", slug=created.slug))


def _staff_question(question_id: int):
    policy.require_staff(current_user)
    return queries.get_question(current_user, question_id)


@blueprint.post("/community/questions/<int:question_id>/<any(hide, show):action>")
def hide_question(question_id: int, action: str):
    question = _staff_question(question_id)
    note = NoteForm().note.data or ""
    try:
        moderation.set_question_hidden(current_user, question, action == "hide", note)
    except Invalid as refusal:
        return question_page(question, status=refusal.status,
                             refused_note=RefusedNote("hide-note", note, refusal.message,
                                                      "Reason for hiding the question"))
    flash("The question is hidden from customers." if action == "hide"
          else "The question is visible again.", "success")
    return redirect(url_for("community.question", question_id=question.id))


@blueprint.post("/community/answers/<int:answer_id>/<any(hide, show):action>")
def hide_answer(answer_id: int, action: str):
    policy.require_staff(current_user)
    answer = service.get_answer(current_user, answer_id)
    note = NoteForm().note.data or ""
    try:
        moderation.set_answer_hidden(current_user, answer, action == "hide", note)
    except Invalid as refusal:
        return question_page(answer.question, status=refusal.status, refused_note=RefusedNote(
            f"hide-note-answer-{answer.id}", note, refusal.message,
            f"Reason for hiding {answer_named(answer)}"))
    flash("The answer is hidden from customers." if action == "hide"
          else "The answer is visible again.", "success")
    return redirect(url_for("community.question", question_id=answer.question_id,
                            _anchor=f"answer-{answer.id}"))


@blueprint.post("/community/questions/<int:question_id>/<any(lock, unlock):action>")
def lock(question_id: int, action: str):
    question = _staff_question(question_id)
    reason = NoteForm().note.data or ""
    try:
        moderation.set_locked(current_user, question, action == "lock", reason)
    except Invalid as refusal:
        return question_page(question, status=refusal.status,
                             refused_note=RefusedNote("lock-note", reason, refusal.message,
                                                      "Reason for locking the question"))
    flash("The question is locked." if action == "lock" else "The question is open again.",
          "success")
    return redirect(url_for("community.question", question_id=question.id))


@blueprint.post("/community/questions/<int:question_id>/merge")
def merge(question_id: int):
    duplicate = _staff_question(question_id)
    form = MergeForm()
    form.target_id.choices = choices(
        (str(q.id), q.title) for q in moderation.questions_to_merge_into(duplicate))
    if not form.validate_on_submit():  # the page again, the reason beside the list
        return question_page(duplicate, status=422, merge_form=form)
    target = queries.get_question(current_user, database_id(form.target_id.data))
    moderation.merge(current_user, duplicate, target)
    flash(f"Merged into “{target.title}”; answers and followers moved.", "success")
    return redirect(url_for("community.question", question_id=target.id))


@blueprint.post("/community/questions/<int:question_id>/convert")
def convert(question_id: int):
    question = _staff_question(question_id)
    article = moderation.convert_to_article(current_user, question)
    flash("A draft article was made of the question and its accepted answer. Edit it, then "
          "publish it.", "success")
    return redirect(url_for("article_editor.edit", article_id=article.id))


@blueprint.post("/staff/community/reports/<int:report_id>/dismiss")
def dismiss_report(report_id: int):
    reports.dismiss(current_user, report_id)
    flash("The report is dismissed.", "success")
    return redirect(url_for("community_staff.queue"))
