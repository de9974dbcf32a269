"""Following a question, and telling its followers through the alerts path
(``kb.alerts.dispatch.tell``): a new answer, the accepted answer, a merge. A follower who may
no longer read the question (plan, term, a hidden question) is not told. The same path tells
an author what a moderator did to their post: hidden (with the moderator's note), locked."""

from __future__ import annotations

from sqlalchemy import delete, select

from kb import db, policy
from kb.accounts.models import User
from kb.alerts.dispatch import Notice, tell
from kb.community.models import Answer, Follow, Question
from kb.links import path_for


def question_url(question: Question, answer: Answer | None = None) -> str:
    url = path_for("community.question", question_id=question.id)
    return f"{url}#answer-{answer.id}" if answer is not None else url


def follow(user, question: Question) -> None:
    """Start following (the caller commits); following twice changes nothing."""
    exists = db.session.scalar(select(Follow.id).where(
        Follow.question_id == question.id, Follow.user_id == user.id))
    if exists is None:
        db.session.add(Follow(question_id=question.id, user_id=user.id))


def unfollow(user, question: Question) -> None:
    db.session.execute(delete(Follow).where(Follow.question_id == question.id,
                                            Follow.user_id == user.id))


def followers(question: Question) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Follow, Follow.user_id == User.id)
        .where(Follow.question_id == question.id).order_by(Follow.id)))


def _tell_followers(question: Question, notice_for, *, except_user=None) -> None:
    for person in followers(question):
        if except_user is not None and person.id == except_user.id:
            continue
        if not policy.can_read(person, question):
            continue
        tell(person, notice_for(person))


def _product_id(question: Question) -> int | None:
    return question.space.product_id if question.space else None


def announce_answer(question: Question, answer: Answer) -> None:
    author = answer.author.public_name if answer.author else "Someone"
    _tell_followers(question, lambda person: Notice(
        "community.answer", f"New answer to “{question.title}”",
        question_url(question, answer),
        body=f"{author} answered “{question.title}”, a question you follow:\n\n"
             f"{answer.body_text[:600]}",
        product_id=_product_id(question), key=f"community.answer:{answer.id}"),
        except_user=answer.author)


def announce_accepted(question: Question, answer: Answer, actor) -> None:
    _tell_followers(question, lambda person: Notice(
        "community.solved", f"“{question.title}” is solved", question_url(question, answer),
        body=f"An answer to “{question.title}”, a question you follow, was accepted:\n\n"
             f"{answer.body_text[:600]}",
        product_id=_product_id(question), key=f"community.solved:{question.id}:{answer.id}"),
        except_user=actor)


def announce_merged(duplicate: Question, target: Question, told: list[User]) -> None:
    """Tell the duplicate's followers (``told``) where its answers went."""
    for person in told:
        if policy.can_read(person, target):
            tell(person, _merged_notice(duplicate, target))


def _merged_notice(duplicate: Question, target: Question) -> Notice:
    return Notice(
        "community.merged", f"“{duplicate.title}” was merged into “{target.title}”",
        question_url(target),
        body=f"“{duplicate.title}”, a question you follow, asks the same as “{target.title}”, "
             "so a moderator merged the two; its answers are there now.",
        product_id=_product_id(target), key=f"community.merged:{duplicate.id}")


# What a moderator did to someone's own post is told to its author only, through the same
# "community" family (so their settings for it apply); a moderator acting on their own post
# is not told. A hidden post is no longer shown to its author, so the notice carries the
# moderator's note and the start of the post's text, and links to where they can post again.
EXCERPT = 4000  # the author's Markdown, so they can post it again amended


def _excerpt(markdown: str) -> str:
    markdown = markdown.strip()
    return markdown if len(markdown) <= EXCERPT else markdown[:EXCERPT] + " …"


def _told_of_moderation(author, actor) -> bool:
    return author is not None and (actor is None or author.id != actor.id)


def _note_paragraph(note: str) -> str:
    return f"The moderator's note: {note}\n\n" if note else ""


def _amended(note: str) -> str:
    return ", amended as the note asks" if note else ""


def announce_question_hidden(question: Question, actor) -> None:
    if not _told_of_moderation(question.author, actor):
        return
    space_url = path_for("community.space", slug=question.space.slug)
    tell(question.author, Notice(
        "community.hidden", f"Your question “{question.title}” was hidden by a moderator",
        space_url,
        body=f"A moderator hid your question “{question.title}” in {question.space.name}; "
             "other customers no longer see it.\n\n" + _note_paragraph(question.moderation_note)
             + f"What you wrote:\n\n{_excerpt(question.body)}\n\n"
             "You may ask again in the space" + _amended(question.moderation_note) + ".",
        product_id=_product_id(question)))


def announce_answer_hidden(answer: Answer, actor) -> None:
    question = answer.question
    if not _told_of_moderation(answer.author, actor):
        return
    if not policy.can_read(answer.author, question):
        return
    tell(answer.author, Notice(
        "community.hidden", f"Your answer to “{question.title}” was hidden by a moderator",
        question_url(question),
        body=f"A moderator hid your answer to “{question.title}”; other customers no longer "
             "see it.\n\n" + _note_paragraph(answer.moderation_note)
             + f"What you wrote:\n\n{_excerpt(answer.body)}\n\n"
             "While the question takes answers, you may post it again"
             + _amended(answer.moderation_note) + ".",
        product_id=_product_id(question)))


def announce_locked(question: Question, actor, reason: str) -> None:
    if not _told_of_moderation(question.author, actor):
        return
    if not policy.can_read(question.author, question):
        return
    tell(question.author, Notice(
        "community.locked", f"Your question “{question.title}” was locked by a moderator",
        question_url(question),
        body=f"A moderator locked your question “{question.title}”: it stays readable, but "
             "takes no new answers, votes or acceptance.\n\n"
             + (f"The reason: {reason}" if reason else "No reason was given."),
        product_id=_product_id(question)))


# Who reported a post is told what became of it once staff hide it: that it is hidden, no more.
# Not who wrote it, nor the moderator's note, which is addressed to the author.
def tell_reporters_hidden(reporters: list[User], question: Question, answer: Answer | None,
                          actor) -> None:
    what = "answer" if answer is not None else "question"
    for person in reporters:
        if actor is not None and person.id == actor.id:
            continue
        readable = answer is not None and policy.can_read(person, question)
        url = (question_url(question) if readable
               else path_for("community.space", slug=question.space.slug))
        tell(person, Notice(
            "community.report_outcome",
            f"The {what} you reported in “{question.title}” is hidden",
            url,
            body=f"Thank you for your report. A moderator looked at the {what} you reported "
                 f"in “{question.title}” and hid it: other customers no longer see it.",
            product_id=_product_id(question),
            key=f"community.report_outcome:{what}:{(answer or question).id}"))
