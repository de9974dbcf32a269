"""Refused programme forms land on a summary that takes the focus, titled "Error: ..."."""

from __future__ import annotations

from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.programmes.forms import NOTE_LIMIT
from tests.a11y import described_by, parsed, problems, refused_summary
from tests.conftest import csrf_token


def test_a_note_too_long_is_summarised_above_the_application(world, signed_in):
    customer = signed_in("elite")

    answer = customer.post(f"/programmes/{world.programme}/apply",
                           data={"note": "x" * (NOTE_LIMIT + 1)})

    assert answer.status_code == 422
    _, summary = refused_summary(answer, "apply-problem")
    assert list(problems(summary)) == ["#note"]


def test_a_programme_ending_before_it_opens_is_summarised(world, signed_in):
    staff = signed_in("staff")

    answer = staff.post("/staff/programmes/", data={
        "title": "Beta", "product": "Orbit ERP", "seats": "3", "opens_on": "2027-01-10",
        "ends_on": "2027-01-01"})

    assert answer.status_code == 422
    _, summary = refused_summary(answer, "programme-problem")
    assert "ends on or after" in summary.text_content()


def test_keeping_nothing_to_the_programme_is_summarised_beside_the_list(app, world, signed_in):
    with app.app_context():
        articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Orbit ERP 13 preview", body="What changes.", products=["Orbit ERP"],
            status="published"))
    staff = signed_in("staff")
    token = csrf_token(staff.client, f"/staff/programmes/{world.programme}")

    answer = staff.client.post(f"/staff/programmes/{world.programme}/articles",
                               data={"article-item": "", "article-csrf_token": token})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "articles-problem")
    message = "Choose one of the product's articles from the list."
    assert problems(summary) == {"#article-item": f"Article: {message}"}
    assert described_by(page, "article-item") == [message]
    assert page.get_element_by_id("article-item").get("aria-invalid") == "true"
    assert not page.xpath('//*[@id="patches-problem"]')  # the other list is not refused


def test_a_programme_with_seats_and_days_that_are_none_is_told_in_words(world, signed_in):
    staff = signed_in("staff")

    answer = staff.post("/staff/programmes/", data={
        "title": "Beta", "product": "Orbit ERP", "seats": "five", "opens_on": "2030-02-30",
        "ends_on": "2030-06-31"})

    assert answer.status_code == 422
    _, summary = refused_summary(answer, "programme-problem")
    day = "Give the day as a date, such as 2030-01-31."
    assert problems(summary) == {
        "#seats": "Seats (organisations): Give the seats as a whole number, such as 5.",
        "#opens_on": f"Takes applications from: {day}", "#ends_on": f"Ends on (last day): {day}"}


def test_a_refused_decision_titles_the_page_as_refused(world, signed_in):
    staff = signed_in("staff")
    with_application = signed_in("elite").post(f"/programmes/{world.programme}/apply",
                                                data={"note": ""})
    assert with_application.status_code == 302
    page = parsed(staff.client.get(f"/staff/programmes/{world.programme}"))
    action = page.xpath('//form[contains(@action, "/accept")]/@action')[0].split("#")[0]

    answer = staff.post(action, data={"answer": "x" * (NOTE_LIMIT + 1)})

    assert answer.status_code == 422
    assert parsed(answer).findtext(".//title").startswith("Error: ")
