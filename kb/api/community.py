"""/api/v1/community: spaces, questions (the contract's list and POST), one question with its
answers, answering, voting and accepting: the same services as the pages."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

from kb import policy
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import MAX_PER_PAGE, PageAsked, list_answer, page_answer
from kb.api.openapi import ALWAYS, ON_REQUEST, documented, query_parameter
from kb.api.responses import created, respond
from kb.api.responses.community import Answer, Question, QuestionWithAnswers, Score, Space
from kb.api.schemas import AcceptedAnswerBody, AnswerBody, QuestionBody, VoteBody, read_body
from kb.community import queries, service
from kb.paging import page_number, page_size


def space_json(entry: queries.SpaceEntry) -> dict:
    space = entry.space
    return {"id": space.id, "slug": space.slug, "name": space.name,
            "description": space.description,
            "product": space.product.name if space.product else None,
            "min_plan": space.min_plan, "readable": entry.readable,
            "questions": entry.questions if entry.readable else None,
            "url": url_for("community.space", slug=space.slug)}


def answer_json(answer, question) -> dict:
    return {"id": answer.id, "html": answer.body_html, "markdown": answer.body,
            "author": answer.author.public_name if answer.author else None,
            "staff": bool(answer.author and answer.author.is_staff),
            "score": answer.score, "accepted": answer.id == question.accepted_answer_id,
            "outdated": answer.outdated, "outdated_note": answer.outdated_note or None,
            "status": answer.status, "created": answer.created_at}


def question_json(question, answers: int) -> dict:
    return {"id": question.id, "space": question.space.slug, "title": question.title,
            "author": question.author.public_name if question.author else None,
            "solved": question.is_solved, "locked": question.locked,
            "lock_reason": (question.lock_reason or None) if question.locked else None,
            "score": question.score,
            "status": question.status, "min_plan": question.min_plan,
            "created": question.created_at, "last_activity": question.last_activity_at,
            "url": url_for("community.question", question_id=question.id), "answers": answers}


@blueprint.get("/community/spaces")
@documented("Community spaces; those above your plan come with \"readable\": false",
            response_model=list[Space], paged=ON_REQUEST)
def api_community_spaces():
    return list_answer(list[Space], queries.space_listing(current_user), space_json)


@blueprint.get("/community/spaces/<slug>")
@documented("One space", responses={"200": "OK", "404": "No such space"},
            response_model=Space)
def api_community_space(slug: str):
    space = queries.get_space(current_user, slug)
    return respond(Space, space_json(queries.SpaceEntry(space, True, *queries.space_counts(
        current_user, space))))


@blueprint.get("/community/questions")
@documented(
    "Community questions you may read, latest activity first, a page at a time",
    parameters=[query_parameter("space", description="a space's slug"),
                query_parameter("filter", description="solved, unsolved or unanswered")],
    responses={"200": "OK", "404": "No such space", "422": "A bad filter or page"},
    response_model=list[Question], paged=ALWAYS)
def api_community_questions():
    slug = request.args.get("space", "").strip()
    space = queries.get_space(current_user, slug) if slug else None
    asked = PageAsked(page_number(request.args),
                      page_size(request.args, current_app.config["PAGE_SIZE"], MAX_PER_PAGE))
    found = queries.find_questions(
        current_user, space=space, state=request.args.get("filter", ""),
        page=asked.page, per_page=asked.per_page)
    counts = queries.answer_counts(found.questions)
    return page_answer(list[Question], [question_json(question, counts.get(question.id, 0))
                                        for question in found.questions], found.total, asked)


@blueprint.post("/community/questions")
@documented(
    "Ask a question in a space (its slug or name); Markdown body",
    responses={"201": "Created", "422": "Invalid (the error says what)",
               "429": "Posting too fast; Retry-After says how long to wait"},
    request_body=QuestionBody, response_model=QuestionWithAnswers)
@idempotent
def api_ask_question():
    policy.require(current_user, queries.FEATURE)  # a lapsed term first, then the body
    _refuse_an_unknown_space()
    body = read_body(QuestionBody)
    space = queries.space_by_slug_or_name(current_user, body.space)
    question = service.ask(current_user, space, body.title, body.body)
    return created(QuestionWithAnswers, _question_with_answers(question),
                   url_for("api.api_community_question", question_id=question.id))


def _refuse_an_unknown_space() -> None:
    """An unknown space before the title or body: asked in no space, nothing else matters."""
    sent = request.get_json(silent=True)
    named = sent.get("space") if isinstance(sent, dict) else None
    if isinstance(named, str) and named.strip():
        queries.space_by_slug_or_name(current_user, named)


def _question_with_answers(question) -> dict:
    answers = queries.visible_answers(current_user, question)
    return {**question_json(question, len(answers)), "html": question.body_html,
            "markdown": question.body,
            "answer_list": [answer_json(answer, question) for answer in answers]}


@blueprint.get("/community/questions/<int:question_id>")
@documented("One question with its answers (accepted first)",
            responses={"200": "OK", "404": "No such question"},
            response_model=QuestionWithAnswers)
def api_community_question(question_id: int):
    return respond(QuestionWithAnswers,
                   _question_with_answers(queries.get_question(current_user, question_id)))


@blueprint.post("/community/questions/<int:question_id>/answers")
@documented("Answer a question; Markdown body",
            responses={"201": "Created", "404": "No such question", "409": "Locked",
                       "422": "Invalid", "429": "Posting too fast"},
            request_body=AnswerBody, response_model=Answer)
@idempotent
def api_answer_question(question_id: int):
    question = queries.get_question(current_user, question_id)
    new = service.answer(current_user, question, read_body(AnswerBody).body)
    return respond(Answer, answer_json(new, question), 201)


@blueprint.put("/community/answers/<int:answer_id>/vote")
@documented("Vote on an answer: {\"value\": 1 | -1 | 0 (take it back)}; one vote per user",
            responses={"200": "The answer's new score", "404": "No such answer",
                       "409": "Own answer, hidden answer or locked question",
                       "422": "A bad value"},
            request_body=VoteBody, response_model=Score)
def api_vote_answer(answer_id: int):
    answer = service.get_answer(current_user, answer_id)
    value = read_body(VoteBody).value
    return respond(Score,
                   {"id": answer.id, "score": service.vote(current_user, answer, value)})


@blueprint.put("/community/questions/<int:question_id>/vote")
@documented("Vote on a question: {\"value\": 1 | -1 | 0 (take it back)}; one vote per user",
            responses={"200": "The question's new score", "404": "No such question",
                       "409": "Own question, hidden or locked question",
                       "422": "A bad value"},
            request_body=VoteBody, response_model=Score)
def api_vote_question(question_id: int):
    question = queries.get_question(current_user, question_id)
    value = read_body(VoteBody).value
    return respond(Score, {"id": question.id,
                           "score": service.vote_question(current_user, question, value)})


@blueprint.put("/community/questions/<int:question_id>/accepted-answer")
@documented("Accept an answer (the asker or staff): {\"answer_id\": N}, or null for none",
            responses={"200": "OK", "403": "Not the asker", "404": "No such question",
                       "422": "Not an answer of this question"},
            request_body=AcceptedAnswerBody, response_model=QuestionWithAnswers)
def api_accept_answer(question_id: int):
    question = queries.get_question(current_user, question_id)
    raw = read_body(AcceptedAnswerBody).answer_id
    chosen = service.get_answer(current_user, raw) if raw is not None else None
    service.accept(current_user, question, chosen)
    return respond(QuestionWithAnswers, _question_with_answers(question))
