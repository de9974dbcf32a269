"""A refused Elite booking or meeting request comes back with what is wrong at the top of the
form, each problem linked to its field, and the browser lands there (the form's action names
the summary): the errors are not left below the fold of a page scrolled to its top."""

from __future__ import annotations

import lxml.html

from tests.a11y import parsed, refused_summary
from tests.conftest import Auth
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


def _staff_page(app, elite_customer) -> tuple[Auth, str]:
    manager = Auth(app.test_client())
    manager.login(elite_customer.csm_email)
    return manager, f"/staff/elite/organizations/{elite_customer.organization_id}"


def test_a_refused_staff_booking_is_summarised_with_the_notes_kept(app, elite_customer):
    manager, page = _staff_page(app, elite_customer)

    answer = manager.post(f"{page}/special-events", {"weekend": "2027-02-30",
                                                     "product": "Orbit ERP",
                                                     "notes": "Plant go-live"})

    form, summary = summary_of(answer, "book-special-event", "booking-problem")
    assert parsed(answer).findtext(".//title").startswith("Error: ")
    assert problems(summary) == {"#weekend": "Saturday of the weekend: Give the Saturday as a "
                                             "date, such as 2030-06-01."}
    assert text_of(form, "notes").strip() == "Plant go-live"
    assert form.xpath('.//*[@id="weekend"]')[0].get("value") == "2027-02-30"


def test_a_refused_staff_message_is_summarised_and_kept(app, elite_customer):
    manager, page = _staff_page(app, elite_customer)
    too_long = "The upgrade weekend is set. " * 400

    answer = manager.post(f"{page}/messages", {"body": too_long})

    assert answer.status_code == 422
    page_html, summary = refused_summary(answer, "message-problem")
    assert page_html.findtext(".//title").startswith("Error: ")
    assert list(problems(summary)) == ["#body"]
    assert page_html.get_element_by_id("body").text_content().strip() == too_long.strip()


def test_a_product_not_on_the_list_is_not_excluded_and_the_reason_is_kept(app, elite_customer):
    manager, _ = _staff_page(app, elite_customer)

    answer = manager.post("/staff/elite/exclusions", {"product": "999999",
                                                      "reason": "Retired in 2030"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "exclusion-problem")
    assert page.findtext(".//title").startswith("Error: Elite services")
    assert problems(summary) == {"#product": "Product: Choose a product from the list."}
    assert page.get_element_by_id("reason").get("value") == "Retired in 2030"


def test_a_meeting_request_without_a_kind_is_summarised_naming_the_field(auth, elite_customer):
    auth.login(elite_customer.email)

    answer = ask(auth, kind="", details="The month-end run")

    form, summary = summary_of(answer, "meeting-request", "request-problem")
    assert parsed(answer).findtext(".//title").startswith("Error: Meetings")
    assert form.get("novalidate") is not None  # the server's words, not the browser's bubble
    assert problems(summary) == {"#kind": "What kind of meeting: Choose what kind of meeting."}
    assert text_of(form, "kind-error") == "Choose what kind of meeting."
    assert text_of(form, "details").strip() == "The month-end run"


def test_a_meeting_kind_or_product_never_offered_is_told_in_words(auth, elite_customer):
    auth.login(elite_customer.email)

    answer = ask(auth, kind="golf", product="Orbit Golf", subject="Tee times")

    _, summary = summary_of(answer, "meeting-request", "request-problem")
    assert problems(summary) == {
        "#kind": "What kind of meeting: Choose what kind of meeting from the list.",
        "#product": "Product to update (update planning): Choose a product from the list."}
