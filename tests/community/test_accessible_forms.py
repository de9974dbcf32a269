"""Refused community forms for assistive technology: the question or answer comes back with a
summary where the browser lands (title "Error: ..."), and similar questions are told through a
live region present from the start, not one unhidden with them."""

from __future__ import annotations

from tests.a11y import described_by, parsed, problems, refused_summary


def test_a_question_without_title_is_summarised(world, signed_in):
    asker = signed_in("xtreme")

    answer = asker.post("/community/ask", {"space": world.open_slug, "title": "",
                                           "body": "Details."})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "form-problem")
    assert list(problems(summary)) == ["#title"]
    assert page.get_element_by_id("title").get("aria-invalid") == "true"
    assert described_by(page, "title")[-1] == "Enter a title."


def test_similar_questions_are_told_by_a_live_region_present_from_the_start(world, signed_in):
    page = parsed(signed_in("xtreme").client.get("/community/ask"))

    status = page.get_element_by_id("similar-status")
    assert status.get("role") == "status" and status.text_content() == ""
    assert not page.xpath('//*[@aria-live and @hidden]')


def test_an_empty_answer_is_summarised_above_the_answer_box(world, signed_in):
    reader = signed_in("xtreme")

    answer = reader.post(f"/community/questions/{world.open_question}/answers", {"body": ""})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "form-problem")
    assert list(problems(summary)) == ["#body"]
    assert "not posted yet" in summary.text_content()


def test_a_refused_edit_posts_to_its_own_address_and_its_summary_takes_the_focus(world,
                                                                                 signed_in):
    # the saved edit goes to the question: an action ending in #form-problem would stay in
    # the address bar after that redirect, so the summary takes the focus itself
    asker = signed_in("xtreme")

    answer = asker.post(f"/community/questions/{world.open_question}/edit",
                        {"title": "", "body": "My kept text"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "form-problem")
    assert summary.get("autofocus") is not None
    assert next(summary.iterancestors("form")).get("action") is None
    assert list(problems(summary)) == ["#title"]


def test_a_question_page_not_refused_has_no_summary(world, signed_in):
    page = parsed(signed_in("xtreme").client.get(f"/community/questions/{world.open_question}"))

    assert not page.xpath('//*[@id="form-problem"]')
    assert not page.findtext(".//title").startswith("Error")
