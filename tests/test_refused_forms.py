"""Forms of several areas, refused through the real app: each answers 422 with a title starting
"Error:", lands on a summary at the top of the refused form whose every problem links to its
field, shows the error beside that field in words that say what to do (not WTForms' stock "This
field is required." or "Not a valid choice."), and keeps what was typed. The incident page's
forms are held to it in ``tests/support``, the Elite staff forms in ``tests/elite``, the
helpful vote in ``tests/articles/test_reading.py`` and the response targets in
``tests/support/test_target_pages.py``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length

import kb
from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import critical
from kb.products.service import ensure_product
from tests.a11y import described_by, problems, refused_summary

STAFF = "staff@demo.test"
STOCK_MESSAGES = ("This field is required.", "Not a valid choice.", "Not a valid date value.",
                  "Field must be", "Field cannot be longer than",
                  "Not a valid datetime value.", "Not a valid integer value.")


def _product_id(app) -> int:
    with app.app_context():
        product = ensure_product("Orbit ERP")
        db.session.commit()
        return product.id


def _alert_id(app) -> int:
    with app.app_context():
        ensure_product("Orbit ERP")
        db.session.commit()
        return critical.open_alert(user_by_email(STAFF), "Posting stops at midnight",
                                   "Totals stay open.", ["Orbit ERP"]).id


@dataclass
class Case:
    url: str | Callable  # or the address made from the app (what the form acts on exists)
    fields: dict
    summary_id: str
    link: str  # the summary's link to the refused field, and the message beside it
    message: str
    kept: tuple[str, str]  # an element of the page and the text typed into it
    who: str = STAFF
    others: dict = field(default_factory=dict)


CASES = {
    "alert opened without a title": Case(
        "/staff/alerts", {"title": "", "summary": "Totals stay open.", "products": "Orbit ERP"},
        "alert-problem", "#title", "Give the alert a title.", ("summary", "Totals stay open.")),
    "alert moved to a step not on the list": Case(
        lambda app: f"/staff/alerts/{_alert_id(app)}",
        {"state": "forgotten", "note": "A fix is on its way."},
        "advance-problem", "#state", "Choose the next step from the list.",
        ("note", "A fix is on its way.")),
    "alert text saved without a title": Case(
        lambda app: f"/staff/alerts/{_alert_id(app)}/text",
        {"title": "", "summary": "Totals stay open until 02:00."},
        "revise-problem", "#title", "Give the alert a title.",
        ("summary", "Totals stay open until 02:00.")),
    "product added without a name": Case(
        "/staff/products/", {"name": "", "description": "The ledger."},
        "product-problem", "#name", "Give the product's name.", ("description", "The ledger.")),
    "product renamed to nothing": Case(
        lambda app: f"/staff/products/{_product_id(app)}", {"name": "", "description": "ERP."},
        "product-problem", "#name", "Give the product's name.", ("description", "ERP.")),
    "version released on a day that is none": Case(
        lambda app: f"/staff/products/{_product_id(app)}/versions",
        {"version_name": "12.1", "released_on": "2030-02-30"}, "version-problem",
        "#released_on", "Give the release day as a date, such as 2030-01-31, or leave it empty.",
        ("version_name", "12.1")),
    "community space with too short a name": Case(
        "/staff/community/spaces", {"name": "ab", "description": "For the ledger."},
        "space-problem", "#name", "Give a name of 3 to 200 characters.",
        ("description", "For the ledger.")),
    "organisation whose term ends before it starts": Case(
        "/staff/organizations/new", {"name": "Tailspin Toys", "plan": "premium",
                                     "term_start": "2030-06-01", "term_end": "2030-01-01"},
        "organization-problem", "#term_end",
        "The term cannot end before it starts: give a later end.", ("name", "Tailspin Toys")),
    "organisation without a name": Case(
        "/staff/organizations/new", {"name": "", "plan": "gold", "term_start": "2030-01-01",
                                     "term_end": "2030-12-31", "products": "Orbit ERP: 12.0"},
        "organization-problem", "#name", "Give the organisation's name.",
        ("products", "Orbit ERP: 12.0"), others={"#plan": "Choose a support plan from the list."}),
    "live session with no seats": Case(
        "/sessions/staff/live/new", {"title": "Closing the year", "local_start": "2030-01-15T10:00",
                                     "time_zone": "UTC", "duration_minutes": "60",
                                     "capacity": "0"},
        "session-problem", "#capacity", "Give the number of seats, from 1 to 100000.",
        ("title", "Closing the year")),
    "live session without a start": Case(
        "/sessions/staff/live/new", {"title": "Closing the year", "local_start": "",
                                     "time_zone": "UTC", "duration_minutes": "sixty",
                                     "capacity": "50"},
        "session-problem", "#local_start", "Give the day and time the session starts.",
        ("title", "Closing the year"),
        others={"#duration_minutes": "Give the length in whole minutes, such as 60."}),
    "recording on a day that is none": Case(
        "/sessions/staff/recordings/new", {"title": "Year-end closing", "recorded_on": "2030-02-30",
                                           "status": "published"},
        "recording-problem", "#recorded_on",
        "Give the day it was recorded as a date, such as 2030-01-31.",
        ("title", "Year-end closing")),
    # WTForms' stock length messages ("Field cannot be longer than 200 characters.") read
    # oddly after the label: each says what to keep within, naming the field (kb.forms.length)
    "product with too long a description": Case(
        "/staff/products/", {"name": "Orbit Gatehouse", "description": "x" * 5001},
        "product-problem", "#description", "Keep the description to 5,000 characters or fewer.",
        ("name", "Orbit Gatehouse")),
    "alert text with too long a title": Case(
        lambda app: f"/staff/alerts/{_alert_id(app)}/text",
        {"title": "Posting stops " * 40, "summary": "Totals stay open until 02:00."},
        "revise-problem", "#title", "Keep the title to 500 characters or fewer.",
        ("summary", "Totals stay open until 02:00.")),
    "topic with too long a title": Case(
        "/sessions/topics/new", {"title": "Closing " * 40, "details": "How to close a year."},
        "topic-problem", "#title", "Keep the topic to 300 characters or fewer.",
        ("details", "How to close a year."), who="premium@demo.test"),
    "invitation with too long a name": Case(
        "/organization/users", {"email": "new.colleague@example.test", "name": "Ana " * 51,
                                "role": "customer"},
        "invite-problem", "#name", "Keep the name to 200 characters or fewer.",
        ("email", "new.colleague@example.test"), who="premium-admin@demo.test"),
    "programme with too short a title": Case(
        "/staff/programmes/", {"title": "EA", "product": "Orbit ERP", "seats": "3",
                               "opens_on": "2030-01-01", "ends_on": "2030-06-30"},
        "programme-problem", "#title", "Make the title 3 to 200 characters long.",
        ("product", "Orbit ERP")),
    "topic without a title": Case(
        "/sessions/topics/new", {"title": "", "details": "How to close a fiscal year."},
        "topic-problem", "#title", "Say in a few words what the session should be about.",
        ("details", "How to close a fiscal year."), who="premium@demo.test"),
}


def _value(page, element_id: str) -> str:
    element = page.get_element_by_id(element_id)
    return element.text_content().strip() if element.tag == "textarea" else element.get("value")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_refused_form_is_summarised_and_keeps_what_was_typed(app, auth, demo_accounts, case):
    url = case.url(app) if callable(case.url) else case.url
    auth.login(case.who)

    answer = auth.post(url, case.fields)

    assert answer.status_code == 422
    page, summary = refused_summary(answer, case.summary_id)
    found = problems(summary)
    label = page.xpath(f'//label[@for="{case.link[1:]}"]')[0].text_content().strip()
    assert found[case.link] == f"{label}: {case.message}"
    for link, message in case.others.items():
        assert message in found[link]
    assert case.message in described_by(page, case.link[1:])
    assert page.get_element_by_id(case.link[1:]).get("aria-invalid") == "true"
    assert _value(page, case.kept[0]) == case.kept[1]
    assert not any(stock in answer.text for stock in STOCK_MESSAGES)


def test_a_refused_invitation_answers_422_and_keeps_the_name(auth, customer_on):
    auth.login(customer_on("premium", role="customer_admin"))

    answer = auth.post("/organization/users", {"email": "", "name": "Dana Scully",
                                               "role": "owner"})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "invite-problem")
    assert problems(summary) == {
        "#email": "E-mail address: Give the e-mail address of the person to invite.",
        "#role": "Role: Choose a role from the list."}
    assert _value(page, "name") == "Dana Scully"


@pytest.mark.parametrize("url, who", [
    ("/staff/alerts", STAFF), ("/staff/products/", STAFF), ("/staff/community", STAFF),
    ("/staff/organizations/new", STAFF), ("/sessions/staff/live/new", STAFF),
    ("/sessions/topics/new", "premium@demo.test"),
])
def test_a_form_not_sent_yet_is_no_error(client, auth, demo_accounts, url, who):
    auth.login(who)

    answer = client.get(url)

    assert answer.status_code == 200
    assert not answer.text.split("<title>", 1)[1].startswith("Error")
    assert "error-summary" not in answer.text


def _forms_of_kb() -> list[type]:
    for module in pkgutil.walk_packages(kb.__path__, "kb."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "views", "staff_views"):
            importlib.import_module(module.name)
    found, pending = [], [FlaskForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("kb."):
                found.append(sub)
    return found


def _validators(unbound) -> list:
    positional = unbound.args[1] if len(unbound.args) > 1 else ()
    return [*unbound.kwargs.get("validators", ()), *(positional or ())]


def _validators_of_kb() -> list[tuple[str, object]]:
    """Every validator of every field of kb's form classes, by "Form.field"."""
    forms = _forms_of_kb()
    assert len(forms) > 40
    return [(f"{form.__name__}.{name}", validator) for form in forms
            for name, unbound in vars(form).items() if isinstance(unbound, UnboundField)
            for validator in _validators(unbound)]


def test_no_form_of_kb_keeps_the_stock_length_message():
    """Every Length says in words what to keep within (``kb.forms.length``), not WTForms'
    "Field cannot be longer than 200 characters."."""
    stock = [field for field, validator in _validators_of_kb()
             if isinstance(validator, Length) and validator.message is None]
    assert stock == []


def test_no_form_of_kb_keeps_the_stock_required_message():
    """Every field that must be filled says which and how (``kb.forms.required``: "Enter a
    title.", "Choose a product."), not WTForms' "This field is required."."""
    found = _validators_of_kb()
    assert sum(isinstance(validator, DataRequired | InputRequired) for _, validator in found) > 40
    stock = [field for field, validator in found
             if isinstance(validator, DataRequired | InputRequired) and validator.message is None]
    assert stock == []


def test_no_list_of_kb_keeps_the_stock_choice_message():
    """Every list whose value is checked against its choices says what to do with a value it
    does not offer ("Choose a product from the list."), not WTForms' "Not a valid choice."."""
    lists = [(f"{form.__name__}.{name}", unbound) for form in _forms_of_kb()
             for name, unbound in vars(form).items() if isinstance(unbound, UnboundField)
             and issubclass(unbound.field_class, SelectField | SelectMultipleField | RadioField)
             and unbound.kwargs.get("validate_choice", True)]
    assert len(lists) > 30
    assert [field for field, unbound in lists
            if not (unbound.kwargs.get("invalid_choice_message")
                    or _default(unbound.field_class, "invalid_choice_message"))] == []


def _default(field_class, name: str):
    """A keyword's default in a field class's constructor (kb's own fields set messages)."""
    parameter = inspect.signature(field_class.__init__).parameters.get(name)
    return parameter.default if parameter is not None else None
