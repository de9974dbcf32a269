"""Community pages: the spaces, a space's questions (with the solved filter), one question with
its answers, asking (with similar questions and articles while typing), answering, voting,
accepting, following and marking an answer outdated."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from kb import policy
from kb.community import duplicates, moderation, queries, reports, service
from kb.community.forms import AnswerForm, AskForm, EditQuestionForm, MergeForm, NoteForm
from kb.errors import Conflict, Invalid, Throttled
from kb.forms import choices, database_id
from kb.paging import page_number
from kb.search.views import SEARCH_FEATURE

blueprint = Blueprint("community", __name__, url_prefix="/community")


@blueprint.get("/")
def spaces():
    words = request.args.get("q", "").strip()
    if words:  # the community's search box: the portal's search, of questions only
        return redirect(url_for("search.search_page", q=words, type="question"))
    entries = queries.list_spaces(current_user)
    state = request.args.get("filter", "")
    found = queries.find_questions(current_user, state=state, page=page_number(request.args),
                                   per_page=current_app.config["PAGE_SIZE"])
    return render_template("community/spaces.html", entries=entries, found=found, state=state,
                           filters=queries.FILTERS,
                           can_search=policy.can(current_user, SEARCH_FEATURE),
                           answers=queries.answer_counts(found.questions))


@blueprint.get("/<slug>")
def space(slug: str):
    shown = queries.get_space(current_user, slug)
    state = request.args.get("filter", "")
    found = queries.find_questions(current_user, space=shown, state=state,
                                   page=page_number(request.args),
                                   per_page=current_app.config["PAGE_SIZE"])
    return render_template("community/space.html", space=shown, found=found, state=state,
                           filters=queries.FILTERS,
                           answers=queries.answer_counts(found.questions))


@blueprint.route("/ask", methods=["GET", "POST"])
def ask():
    policy.require(current_user, queries.FEATURE)
    form = AskForm(spaces=queries.readable_spaces(current_user),
                   space=request.args.get("space", ""), title=request.args.get("title", ""))
    problem, status = None, 200
    if form.validate_on_submit():
        try:
            chosen = queries.get_space(current_user, form.space.data)
            question = service.ask(current_user, chosen, form.title.data, form.body.data)
        except (Invalid, Throttled) as refusal:
            problem, status = refusal.message, refusal.status
        else:
            flash("Your question is posted. You will hear of every answer.", "success")
            return redirect(url_for("community.question", question_id=question.id))
    elif request.method == "POST":
        status = 422
    return render_template("community/ask.html", form=form, problem=problem), status


@blueprint.get("/suggest")
def suggest():
    return jsonify(duplicates.similar(current_user, request.args.get("q", "")))


@blueprint.get("/questions/<int:question_id>")
def question(question_id: int):
    target = queries.merge_target(current_user, question_id)
    if target is not None:
        return redirect(url_for("community.question", question_id=target.id), 301)
    shown = queries.get_question(current_user, question_id)
    return question_page(shown, AnswerForm())


@dataclass(frozen=True)
class RefusedNote:
    """A short note refused (a report without a reason, a note too long): the page shows it as
    typed in the input ``input_id``, the reason beside it, and atop the page a summary naming
    the note by ``label`` ("Report on the answer by Ana"), as the page has one per answer."""

    input_id: str
    text: str
    message: str
    label: str


def answer_named(answer) -> str:
    """An answer as a refused note's summary names it."""
    return f"the answer by {answer.author.public_name if answer.author else 'a former user'}"


def question_page(shown, answer_form: AnswerForm | None = None, problem: str | None = None,
                  status: int = 200, refused_note: RefusedNote | None = None,
                  merge_form: MergeForm | None = None):
    """The question's page; ``merge_form``: a refused merge, as sent."""
    answer_form = answer_form or AnswerForm(formdata=None)
    if policy.acts_as_staff(current_user):
        merge_form = merge_form or MergeForm(formdata=None)
        merge_form.target_id.choices = choices(
            (str(other.id), other.title) for other in moderation.questions_to_merge_into(shown))
    return render_template(
        "community/question.html", question=shown, answer_form=answer_form, problem=problem,
        merged=queries.merged_questions(shown),
        answers=queries.visible_answers(current_user, shown),
        my_votes=queries.votes_of(current_user, shown),
        my_question_vote=queries.question_vote_of(current_user, shown),
        following=queries.is_following(current_user, shown),
        may_accept=queries.may_accept(current_user, shown),
        may_mark_outdated=queries.may_mark_outdated, may_edit=service.may_edit,
        note_form=NoteForm(), refused_note=refused_note,
        article=queries.related_article(current_user, shown), merge_form=merge_form), status


@blueprint.post("/questions/<int:question_id>/answers")
def answer(question_id: int):
    shown = queries.get_question(current_user, question_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return question_page(shown, form, status=422)
    try:
        new = service.answer(current_user, shown, form.body.data)
    except (Invalid, Throttled, Conflict) as refusal:
        return question_page(shown, form, refusal.message, refusal.status)
    flash("Your answer is posted.", "success")
    return redirect(url_for("community.question", question_id=shown.id,
                            _anchor=f"answer-{new.id}"))


@blueprint.post("/answers/<int:answer_id>/vote")
def vote(answer_id: int):
    found = service.get_answer(current_user, answer_id)
    service.vote(current_user, found, _vote_sent())
    return redirect(url_for("community.question", question_id=found.question_id,
                            _anchor=f"answer-{found.id}"))


@blueprint.post("/questions/<int:question_id>/vote")
def vote_question(question_id: int):
    shown = queries.get_question(current_user, question_id)
    service.vote_question(current_user, shown, _vote_sent())
    return redirect(url_for("community.question", question_id=shown.id))


def _vote_sent() -> int:
    """The vote the form sends: 1, -1 or 0 (any other text is refused, never read as a number)."""
    value = request.form.get("value", "")
    if value not in ("1", "-1", "0"):
        raise Invalid("A vote is 1 (up), -1 (down) or 0 (take it back).")
    return int(value)


@blueprint.post("/questions/<int:question_id>/accept")
def accept(question_id: int):
    shown = queries.get_question(current_user, question_id)
    raw = request.form.get("answer_id", "")
    try:
        chosen = service.get_answer(current_user, database_id(raw)) if raw else None
    except ValueError:
        raise Invalid("Choose one of the question's answers.") from None
    service.accept(current_user, shown, chosen)
    flash("The accepted answer is marked; followers were told." if chosen
          else "No answer is accepted now.", "success")
    return redirect(url_for("community.question", question_id=shown.id))


@blueprint.post("/questions/<int:question_id>/<any(follow, unfollow):action>")
def follow(question_id: int, action: str):
    shown = queries.get_question(current_user, question_id)
    service.set_following(current_user, shown, action == "follow")
    flash("You follow this question: new answers reach you as notifications."
          if action == "follow" else "You no longer follow this question.", "success")
    return redirect(url_for("community.question", question_id=shown.id))


@blueprint.post("/answers/<int:answer_id>/<any(outdated, current):action>")
def outdated(answer_id: int, action: str):
    found = service.get_answer(current_user, answer_id)
    note = NoteForm().note.data or ""
    try:
        service.mark_outdated(current_user, found, action == "outdated", note)
    except Invalid as refusal:
        return question_page(found.question, status=refusal.status, refused_note=RefusedNote(
            f"outdated-note-{found.id}", note, refusal.message,
            f"Why {answer_named(found)} is outdated"))
    return redirect(url_for("community.question", question_id=found.question_id,
                            _anchor=f"answer-{found.id}"))


@blueprint.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(question_id: int):
    shown = queries.get_question(current_user, question_id)
    form = EditQuestionForm(obj=shown)
    return _edited(form, lambda: service.edit_question(
        current_user, shown, form.title.data, form.body.data), shown, None)


@blueprint.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
def edit_answer(answer_id: int):
    found = service.get_answer(current_user, answer_id)
    form = AnswerForm(obj=found)
    return _edited(form, lambda: service.edit_answer(current_user, found, form.body.data),
                   found.question, found)


def _edited(form, save, question, answer):
    """The edit page, or the saved edit (the author or staff only, checked before showing)."""
    service.require_edit(current_user, question, answer)
    problem, status = None, 200
    if form.validate_on_submit():
        try:
            save()
        except Invalid as refusal:
            problem, status = refusal.message, refusal.status
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("community.question", question_id=question.id,
                                    _anchor=f"answer-{answer.id}" if answer else None))
    elif request.method == "POST":
        status = 422
    return render_template("community/edit.html", form=form, question=question, answer=answer,
                           problem=problem), status


@blueprint.post("/questions/<int:question_id>/report")
def report_question(question_id: int):
    shown = queries.get_question(current_user, question_id)
    return _reported(shown, None)


@blueprint.post("/answers/<int:answer_id>/report")
def report_answer(answer_id: int):
    found = service.get_answer(current_user, answer_id)
    return _reported(found.question, found)


def _reported(question, answer):
    note = NoteForm().note.data or ""
    try:
        added = reports.report(current_user, question, answer, note)
    except Invalid as refusal:
        input_id = f"report-answer-{answer.id}" if answer else "report-question"
        label = f"Report on {answer_named(answer) if answer else 'the question'}"
        return question_page(question, status=refusal.status,
                             refused_note=RefusedNote(input_id, note, refusal.message, label))
    flash("Thank you: a moderator will look at it." if added
          else "You reported this already; a moderator will look at it.", "success")
    return redirect(url_for("community.question", question_id=question.id,
                            _anchor=f"answer-{answer.id}" if answer else None))
