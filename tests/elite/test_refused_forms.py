"""A refused Elite booking or meeting request comes back with what is wrong at the top of the
form, each problem linked to its field, and the browser lands there (the form's action names
the summary): the errors are not left below the fold of a page scrolled to its top."""

from __future__ import annotations

import lxml.html

from tests.elite.test_meetings import ask


def book_on_the_page(auth, weekend: str, product: str = "Orbit ERP"):
    return auth.post("/elite/special-events", {"weekend": weekend, "product": product,
                                               "notes": ""})


def summary_of(response, form_id: str, summary_id: str):
    """The refused form and its summary, which must be the first thing in it."""
    assert response.status_code == 422
    form = lxml.html.fromstring(response.text).get_element_by_id(form_id)
    assert form.get("action").endswith(f"#{summary_id}")
    summary = form[0]
    assert summary.get("id") == summary_id and summary.get("role") == "alert"
    return form, summary


def problems(summary) -> dict[str, str]:
    return {item.find("a").get("href"): " ".join(item.text_content().split())
            for item in summary.iter("li")}


def text_of(form, element_id: str) -> str | None:
    found = form.xpath(f'.//*[@id="{element_id}"]')
    return found[0].text_content() if found else None


def test_a_friday_is_refused_at_the_top_of_the_booking_form(auth, elite_customer):
    auth.login(elite_customer.email)
    form, summary = summary_of(book_on_the_page(auth, "2027-04-02"), "book-weekend",
                               "booking-problem")

    assert "not booked yet" in summary.text_content()
    assert problems(summary) == {
        "#weekend": "Saturday of the weekend: Name the weekend by its Saturday."}
    assert text_of(form, "weekend-error") == "Name the weekend by its Saturday."


def test_too_short_notice_and_outside_the_term_are_summarised(auth, elite_customer, app):
    auth.login(elite_customer.email)
    _, summary = summary_of(book_on_the_page(auth, "2027-03-13"), "book-weekend",
                            "booking-problem")
    assert "Book at least 14 days ahead" in problems(summary)["#weekend"]

    _, summary = summary_of(book_on_the_page(auth, "2027-09-04"), "book-weekend",
                            "booking-problem")
    assert "inside your annual support term" in problems(summary)["#weekend"]


def test_a_page_without_a_refusal_has_no_summary(auth, elite_customer):
    auth.login(elite_customer.email)
    page = auth.client.get("/elite").text
    assert 'id="book-weekend"' in page and 'id="booking-problem"' not in page


def test_an_update_planning_call_without_a_product_is_refused_beside_the_product(
        auth, elite_customer):
    auth.login(elite_customer.email)
    form, summary = summary_of(ask(auth, kind="update_planning", subject="Next",
                                   target_version="4.0"), "meeting-request", "request-problem")

    assert list(problems(summary)) == ["#product"]
    assert "Name one of the products your organisation runs." in summary.text_content()
    assert text_of(form, "product-error") == "Name one of the products your organisation runs."
    assert text_of(form, "subject-error") is None


def test_an_unknown_version_is_refused_beside_the_version(auth, elite_customer):
    auth.login(elite_customer.email)
    _, summary = summary_of(ask(auth, kind="update_planning", subject="Next",
                                product="Orbit ERP", target_version="99.9"),
                            "meeting-request", "request-problem")
    assert list(problems(summary)) == ["#target_version"]
