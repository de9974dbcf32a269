"""The staff Elite overview: each Elite organisation with its CSM, its next special event and
its last CSM message, read in the same few statements however many organisations there are."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from kb import db
from kb.accounts.queries import user_by_email
from kb.elite import csm, queries, special_events
from tests.elite.conftest import make_elite_customer


@contextmanager
def counted_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _overview(staff) -> list[tuple]:
    """What the overview shows of each organisation."""
    return [(glance.organization.name, glance.csm and glance.csm.email,
             glance.next_event and (glance.next_event.weekend, glance.next_event.product.name,
                                    glance.next_event.support_person),
             glance.last_message and (glance.last_message.body,
                                      glance.last_message.author.email),
             glance.term_active)
            for glance in queries.elite_organizations(staff)]


def test_the_overview_shows_each_organisations_next_event_and_last_message(
        app, today, make_user, api_token):
    first, second, third = (make_elite_customer(app, make_user, api_token) for _ in range(3))
    with app.app_context():
        customer = user_by_email(first.email)
        special_events.book(customer, customer.organization, date(2027, 5, 1), "Orbit ERP")
        csm.send_message(customer, customer.organization, "Hello")
        csm.send_message(user_by_email(first.csm_email), customer.organization, "Welcome")
        other = user_by_email(second.email)
        csm.send_message(other, other.organization, "Question")
        staff = user_by_email(first.csm_email)
        shown = {row[0]: row[1:] for row in _overview(staff)}
        names = {c.email: user_by_email(c.email).organization.name
                 for c in (first, second, third)}
        assert shown[names[first.email]] == (
            first.csm_email, (date(2027, 5, 1), "Orbit ERP", None),
            ("Welcome", first.csm_email), True)
        assert shown[names[second.email]] == (second.csm_email, None,
                                              ("Question", second.email), True)
        assert shown[names[third.email]] == (third.csm_email, None, None, True)
        mine = queries.elite_organizations(staff, staff)
        assert [glance.organization.name for glance in mine] == [names[first.email]]


def test_more_organisations_take_no_more_statements(app, today, make_user, api_token):
    def statements_for_the_overview() -> int:
        with app.app_context():
            staff = user_by_email(first.csm_email)
            with counted_statements() as statements:
                _overview(staff)
            return len(statements)

    first = make_elite_customer(app, make_user, api_token)
    with app.app_context():
        customer = user_by_email(first.email)
        special_events.book(customer, customer.organization, date(2027, 5, 1), "Orbit ERP")
        csm.send_message(customer, customer.organization, "Hello")
    few = statements_for_the_overview()
    for _ in range(4):
        more = make_elite_customer(app, make_user, api_token)
        with app.app_context():
            customer = user_by_email(more.email)
            special_events.book(customer, customer.organization, date(2027, 5, 8), "Orbit ERP")
            csm.send_message(customer, customer.organization, "Hello")
    assert statements_for_the_overview() == few
