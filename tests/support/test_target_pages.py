"""Staff edit the target table and the calendars on a page (the service checks and audits);
customers cannot open it; bad figures are refused with a message and change nothing."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from kb import db
from kb.products.models import Product
from kb.support.models import CoverageCalendar, ResponseTarget
from tests.a11y import described_by, parsed, problems
from tests.conftest import csrf_token

PAGE = "/staff/support/targets"


def _general(app, plan, severity):
    with app.app_context():
        row = db.session.scalar(select(ResponseTarget).where(
            ResponseTarget.plan == plan, ResponseTarget.severity == severity,
            ResponseTarget.product_id.is_(None)))
        return row.response_minutes, row.clock


def test_staff_edit_targets_product_rows_and_calendars(client, auth, desk):
    auth.login("staff@demo.test")
    assert client.get(PAGE).status_code == 200
    token = csrf_token(client, PAGE)
    client.post(PAGE, data={"csrf_token": token, "plan": "xtreme", "severity": "2",
                            "minutes": "6h", "clock": "business_hours"})
    assert _general(desk, "xtreme", 2) == (360, "business_hours")
    refused = client.post(PAGE, data={"csrf_token": token, "plan": "xtreme", "severity": "2",
                                      "minutes": "-5", "clock": "business_hours"},
                          follow_redirects=True)
    assert "positive number of minutes" in refused.get_data(as_text=True)
    assert _general(desk, "xtreme", 2) == (360, "business_hours")
    with desk.app_context():
        product_id = db.session.scalar(select(Product.id).where(Product.name == "Orbit ERP"))
    client.post(PAGE, data={"csrf_token": token, "plan": "premium", "severity": "1",
                            "product": str(product_id), "minutes": "", "clock": "weekdays"})
    page = client.get(PAGE).get_data(as_text=True)
    assert "Orbit ERP · Premium · severity 1: not available" in page
    client.post(PAGE + "/remove", data={"csrf_token": token, "plan": "premium",
                                        "severity": "1", "product": str(product_id)})
    client.post("/staff/support/calendars", data={
        "csrf_token": token, "plan": "elite", "business_days": "123456", "opens": "08:00",
        "closes": "18:00"})
    with desk.app_context():
        assert db.session.scalar(select(ResponseTarget).where(
            ResponseTarget.product_id.is_not(None))) is None
        calendar = db.session.get(CoverageCalendar, "elite")
        assert (calendar.business_days, calendar.opens, calendar.closes) == (
            "123456", time(8), time(18))


def test_customers_cannot_open_the_target_pages(client, auth, desk):
    auth.login("elite@demo.test")
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"csrf_token": csrf_token(client), "plan": "elite",
                                   "severity": "1", "minutes": "1",
                                   "clock": "around_the_clock"}).status_code == 403
    assert _general(desk, "elite", 1) == (60, "around_the_clock")


def test_absurd_figures_are_refused_with_a_message(client, auth, desk):
    auth.login("staff@demo.test")
    token = csrf_token(client, PAGE)
    for minutes in ("9" * 5000, "1e309h", "NaNh", "99999999999999999999999"):
        response = client.post(PAGE, data={"csrf_token": token, "plan": "elite",
                                           "severity": "3", "minutes": minutes,
                                           "clock": "business_hours"})
        assert response.status_code in (302, 422), minutes
    assert _general(desk, "elite", 3) == (240, "business_hours")


def test_a_severity_of_thousands_of_digits_is_refused(client, auth, desk):
    auth.login("staff@demo.test")
    response = client.post(PAGE + "/remove", data={
        "csrf_token": csrf_token(client, PAGE), "plan": "elite", "severity": "9" * 5000,
        "product": "1"})
    assert response.status_code == 422


def test_a_refused_figure_is_shown_again_in_its_row_with_the_reason(client, auth, desk):
    auth.login("staff@demo.test")
    token = csrf_token(client, PAGE)

    row = client.post(PAGE, data={"csrf_token": token, "plan": "elite", "severity": "2",
                                  "minutes": "2 hours", "clock": "around_the_clock"})
    assert row.status_code == 422
    assert ('value="2 hours" aria-label="Minutes, Elite severity 2" placeholder="not available"'
            ' aria-invalid="true"' in row.text)
    assert ('<small id="target-elite-2-error" class="field-error">&#39;2 hours&#39; is no '
            "number of minutes (or hours, such as 4h).</small>" in row.text)
    page = parsed(row)
    assert page.findtext(".//title").startswith("Error: Response targets")
    summary = page.get_element_by_id("targets-problem")
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert problems(summary) == {"#target-elite-2-minutes": "Minutes, Elite severity 2: "
                                 "'2 hours' is no number of minutes (or hours, such as 4h)."}
    # its success goes to the page without a fragment: the summary takes the focus itself
    assert summary.get("autofocus") is not None
    assert "#" not in page.get_element_by_id("target-elite-2").get("action")
    assert page.get_element_by_id("target-elite-2-minutes").get("value") == "2 hours"

    own = client.post(PAGE, data={"csrf_token": token, "plan": "premium", "severity": "3",
                                  "product": "1", "minutes": "-5", "clock": "weekdays"})
    assert own.status_code == 422
    assert 'value="-5" aria-invalid="true" aria-describedby="own-error"' in own.text
    assert list(problems(parsed(own).get_element_by_id("targets-problem"))) == ["#own-minutes"]
    assert '<option value="premium" selected>' in own.text
    assert '<option value="3" selected>' in own.text

    calendar = client.post("/staff/support/calendars", data={
        "csrf_token": token, "plan": "xtreme", "business_days": "12345", "opens": "25:00",
        "closes": "17:00"})
    assert calendar.status_code == 422
    assert 'name="opens" value="25:00"' in calendar.text
    assert ('<p id="calendar-xtreme-error" class="field-error">Give the hours as '
            "HH:MM, such as 09:00.</p>" in calendar.text)
    page = parsed(calendar)
    assert problems(page.get_element_by_id("targets-problem")) == {
        "#opens-xtreme": "Opens, Xtreme: Give the hours as HH:MM, such as 09:00."}
    assert described_by(page, "opens-xtreme") == ["Give the hours as HH:MM, such as 09:00."]
    assert page.get_element_by_id("opens-xtreme").get("aria-invalid") == "true"
    assert "#" not in page.get_element_by_id("calendar-xtreme").get("action")
    assert _general(desk, "elite", 2) != (120, "around_the_clock")


def _summary(refused):
    """The page's summary (above the tables, so in no form), where the browser lands."""
    page = parsed(refused)
    assert page.findtext(".//title").startswith("Error: Response targets")
    summary = page.get_element_by_id("targets-problem")
    assert summary.get("role") == "alert" and summary.get("autofocus") is not None
    return page, summary


def _product_rows(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(ResponseTarget).where(
            ResponseTarget.product_id.is_not(None))).all())


@pytest.mark.parametrize("name, tampered, message", [
    ("product", "abc", "Choose a product from the list."),
    ("product", "999999", "Choose a product from the list."),
    ("plan", "platinum", "Choose a plan from the list."),
    ("severity", "9", "Choose a severity from 1 to 4."),
    ("clock", "sometimes", "Choose how the target's clock runs from the list."),
])
def test_a_products_row_with_a_value_never_offered_is_refused_beside_that_field(
        client, auth, desk, name, tampered, message):
    auth.login("staff@demo.test")
    with desk.app_context():
        product_id = db.session.scalar(select(Product.id).where(Product.name == "Orbit ERP"))
    sent = {"csrf_token": csrf_token(client, PAGE), "product": str(product_id),
            "plan": "premium", "severity": "3", "minutes": "90", "clock": "weekdays",
            name: tampered}

    refused = client.post(PAGE, data=sent)

    assert refused.status_code == 422
    page, summary = _summary(refused)
    label = name.capitalize()
    assert problems(summary) == {f"#own-{name}": f"{label}: {message}"}
    assert described_by(page, f"own-{name}") == [message]
    assert page.get_element_by_id(f"own-{name}").get("aria-invalid") == "true"
    assert page.get_element_by_id("own-minutes").get("value") == "90"  # the rest kept
    chosen = {field: page.get_element_by_id(f"own-{field}").xpath("option[@selected]/@value")
              for field in ("product", "plan", "severity", "clock") if field != name}
    assert chosen == {field: [value] for field, value in sent.items() if field in chosen}
    assert page.get_element_by_id("own-minutes").get("aria-invalid") is None
    assert _product_rows(desk) == 0


def test_a_plans_row_with_a_clock_never_offered_is_refused_beside_the_clock(
        client, auth, desk):
    auth.login("staff@demo.test")
    refused = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "plan": "elite",
                                      "severity": "2", "minutes": "45", "clock": "sometimes"})

    assert refused.status_code == 422
    page, summary = _summary(refused)
    message = "Choose how the target's clock runs from the list."
    assert problems(summary) == {"#target-elite-2-clock": f"Clock, Elite severity 2: {message}"}
    assert described_by(page, "target-elite-2-clock") == [message]
    assert page.get_element_by_id("target-elite-2-minutes").get("value") == "45"
    assert _general(desk, "elite", 2) != (45, "sometimes")


@pytest.mark.parametrize("name, tampered, what", [
    ("plan", "platinum", "plan"), ("plan", "", "plan"),
    ("severity", "9", "severity"), ("severity", "9" * 5000, "severity"),
])
def test_a_plans_row_sent_with_a_hidden_value_changed_is_refused_beside_that_row(
        client, auth, desk, name, tampered, what):
    auth.login("staff@demo.test")
    sent = {"csrf_token": csrf_token(client, PAGE), "plan": "elite", "severity": "2",
            "row": "target-elite-2", "minutes": "45", "clock": "business_hours",
            name: tampered}

    refused = client.post(PAGE, data=sent)

    assert refused.status_code == 422
    page, summary = _summary(refused)
    message = f"The row came back with a {what} the table does not have. Save it again."
    assert problems(summary) == {"#target-elite-2-save": f"Elite severity 2: {message}"}
    assert described_by(page, "target-elite-2-save") == [message]
    assert page.get_element_by_id("target-elite-2-minutes").get("value") == "45"
    assert page.get_element_by_id("target-elite-2-clock").xpath(
        "option[@selected]/@value") == ["business_hours"]
    # the row's own values, for the next press of its button
    form = page.get_element_by_id("target-elite-2")
    assert form.xpath("input[@name='plan']/@value") == ["elite"]
    assert form.xpath("input[@name='severity']/@value") == ["2"]
    assert _general(desk, "elite", 2) != (45, "business_hours")


@pytest.mark.parametrize("row", ["", "target-platinum-2", "own"])
def test_a_plans_row_from_no_row_of_the_page_is_refused_atop_the_page(client, auth, desk, row):
    auth.login("staff@demo.test")
    refused = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE),
                                      "plan": "platinum", "severity": "2", "row": row,
                                      "minutes": "45", "clock": "business_hours"})

    assert refused.status_code == 422
    page, summary = _summary(refused)
    assert " ".join(summary.text_content().split()) == (
        "Not saved yet: The row came back with a plan the table does not have. Save it again.")
    assert not page.xpath('//*[@aria-invalid="true"]')
