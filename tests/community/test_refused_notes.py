"""A short note refused on the question page (a report without a reason, a report, hiding or
"outdated" note longer than 500 characters, sent past the browser's own checks) answers with
the question page again: the note as typed in its own input, opened, the reason beside it, and
nothing reported, hidden or marked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from kb import db
from kb.community.models import Answer, Question, Report
from tests.a11y import described_by, parsed, problems

LONG = "Spam with a link to a shop. " * 18 + "End"  # 507 characters


def _refused(response, input_id: str, text: str, message: str, label: str = "") -> str:
    """The page again with the note refused: as typed in its input, the reason beside it and in
    a focused summary atop the page naming which of the page's notes it is (``label``, its
    start where given)."""
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    tree = parsed(response)
    assert tree.findtext(".//title").startswith("Error: ")
    summary = tree.get_element_by_id("note-problem")
    assert summary.get("autofocus") is not None and summary.get("role") == "alert"
    [(link, said)] = problems(summary).items()
    assert link == f"#{input_id}" and said.startswith(label) and said.endswith(f": {message}")
    assert described_by(tree, input_id) == [message]
    assert (f'<input id="{input_id}" name="note" maxlength="500"' in page)
    tag = re.search(rf'<input id="{input_id}"[^>]*>', page).group(0)
    assert f'value="{text}"' in tag and 'aria-invalid="true"' in tag
    assert f'aria-describedby="{input_id}-error"' in tag
    assert f'<small id="{input_id}-error" class="field-error">{message}</small>' in page
    return page


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(("note", "message"), [
    (" ", "Say briefly what is wrong with it (spam, abuse, wrong space...)."),
    (LONG, "Keep the reason under 500 characters."),
])
def test_a_refused_report_shows_the_reason_as_typed_beside_its_input(app, world, signed_in,
                                                                     note, message):
    premium = signed_in("premium")
    response = premium.post(f"/community/questions/{world.open_question}/report",
                            {"note": note})
    page = _refused(response, "report-question", note, message, "Report on the question")
    assert '<details class="report-form" open><summary>Report the question' in page
    response = premium.post(f"/community/answers/{world.answer}/report", {"note": note})
    page = _refused(response, f"report-answer-{world.answer}", note, message,
                    "Report on the answer by ")
    assert '<details class="report-form" open><summary>Report the answer' in page
    assert "Posting job stuck in queue" in page  # the question's own page
    assert _count(app, Report) == 0


def test_a_refused_hiding_note_keeps_the_post_shown_and_the_note_as_typed(app, world,
                                                                         signed_in):
    staff = signed_in("staff")
    response = staff.post(f"/community/questions/{world.open_question}/hide", {"note": LONG})
    _refused(response, "hide-note", LONG, "Keep the note under 500 characters.",
             "Reason for hiding the question")
    response = staff.post(f"/community/answers/{world.answer}/hide", {"note": LONG})
    page = _refused(response, f"hide-note-answer-{world.answer}", LONG,
                    "Keep the note under 500 characters.", "Reason for hiding the answer by ")
    assert '<details class="hide-form" open><summary>Hide the answer' in page
    assert _count(app, Question, Question.status == "hidden") == 0
    assert _count(app, Answer, Answer.status == "hidden") == 0


def test_staff_hide_an_answer_with_a_reason(app, world, signed_in):
    staff = signed_in("staff")
    page = staff.client.get(f"/community/questions/{world.open_question}").get_data(
        as_text=True)
    assert f'<label for="hide-note-answer-{world.answer}">Reason (optional)</label>' in page
    hidden = staff.post(f"/community/answers/{world.answer}/hide", {"note": "Off topic"})
    assert hidden.status_code == 302
    with app.app_context():
        answer = db.session.get(Answer, world.answer)
        assert (answer.status, answer.moderation_note) == ("hidden", "Off topic")


def test_a_refused_outdated_note_keeps_the_answer_current_and_the_note_as_typed(
        app, world, signed_in):
    asker = signed_in("xtreme")
    response = asker.post(f"/community/answers/{world.answer}/outdated", {"note": LONG})
    page = _refused(response, f"outdated-note-{world.answer}", LONG,
                    "Keep the note under 500 characters.", "Why the answer by ")
    assert '<details class="outdated-form" open><summary>Mark as outdated' in page
    assert _count(app, Answer, Answer.outdated.is_(True)) == 0
