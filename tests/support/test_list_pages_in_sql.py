"""A page of a long bare list is read in the database: the count and the slice of the same
policy-checked query, so a page loads no more rows than it shows and counts none the reader
may not see (another organisation's incidents)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select

from kb import db
from kb.accounts.queries import user_by_email
from kb.support.models import Incident
from tests.conftest import bearer
from tests.support.test_list_pages import links, query

MANY = 250


def _copies(incident: Incident, count: int, first_number: int) -> list[dict]:
    """``count`` rows like ``incident``, each an hour older than the one before."""
    columns = {column.key: getattr(incident, column.key)
               for column in Incident.__table__.columns if column.key != "id"}
    return [{**columns, "number": first_number + n, "title": f"Copy {n}",
             "created_at": incident.created_at - timedelta(hours=n + 1)}
            for n in range(count)]


@pytest.fixture
def many_incidents(desk, log_incident) -> list[int]:
    """``MANY`` incidents of the Elite organisation, newest first; the Premium organisation has
    incidents of its own, which no Elite list may show or count."""
    elite = log_incident(title="Logged through the service")
    premium = log_incident(email="premium@demo.test", title="Another organisation's")
    with desk.app_context():
        logged = db.session.get(Incident, elite)
        db.session.execute(insert(Incident), _copies(logged, MANY - 1, logged.number + 1))
        db.session.execute(insert(Incident),
                           _copies(db.session.get(Incident, premium), 30, 1000))
        db.session.commit()
        return list(db.session.scalars(
            select(Incident.id).where(Incident.organization_id == logged.organization_id)
            .order_by(Incident.created_at.desc(), Incident.id.desc())))


@pytest.fixture
def token(desk, api_token):
    return api_token("elite@demo.test")


@contextmanager
def incidents_loaded():
    """Counts the Incident rows the ORM builds objects from while the block runs."""
    loaded = []

    def count(target, context):
        loaded.append(target.id)

    event.listen(Incident, "load", count)
    try:
        yield loaded
    finally:
        event.remove(Incident, "load", count)


def test_a_middle_page_of_250_has_its_rows_links_and_total(app, client, token, many_incidents):
    assert len(many_incidents) == MANY

    page = client.get("/api/v1/incidents?per_page=20&page=7", headers=bearer(token))

    assert page.status_code == 200
    assert [item["id"] for item in page.json] == many_incidents[120:140]
    assert page.headers["X-Total-Count"] == str(MANY)
    found = links(page)
    for relation, number in {"first": 1, "prev": 6, "next": 8, "last": 13}.items():
        assert query(found[relation]) == {"per_page": ["20"], "page": [str(number)]}


def test_the_last_page_of_250_holds_the_oldest_ten(client, token, many_incidents):
    last = client.get("/api/v1/incidents?per_page=20&page=13", headers=bearer(token))

    assert [item["id"] for item in last.json] == many_incidents[240:]
    assert "next" not in links(last) and last.headers["X-Total-Count"] == str(MANY)


def test_a_page_loads_only_its_own_rows(client, token, many_incidents):
    with incidents_loaded() as for_a_page:
        page = client.get("/api/v1/incidents?per_page=25&page=3", headers=bearer(token))
    with incidents_loaded() as for_the_whole:
        whole = client.get("/api/v1/incidents", headers=bearer(token))

    assert len(page.json) == 25 and sorted(for_a_page) == sorted(many_incidents[50:75])
    assert len(whole.json) == len(for_the_whole) == MANY


def test_the_count_leaves_out_what_the_reader_may_not_see(app, client, desk, api_token,
                                                         many_incidents):
    premium = client.get("/api/v1/incidents?per_page=10", headers=bearer(
        api_token("premium@demo.test")))

    with app.app_context():
        theirs = user_by_email("premium@demo.test").organization_id
        own = set(db.session.scalars(select(Incident.id).where(
            Incident.organization_id == theirs)))
    assert premium.headers["X-Total-Count"] == "31" and len(own) == 31
    assert {item["id"] for item in premium.json} <= own
    assert not set(many_incidents) & {item["id"] for item in premium.json}


def test_the_status_filter_is_counted_in_the_same_query(app, client, token, many_incidents):
    with app.app_context():
        closed = many_incidents[::5]
        for incident in db.session.scalars(select(Incident).where(Incident.id.in_(closed))):
            incident.status = "closed"
        db.session.commit()

    page = client.get("/api/v1/incidents?status=closed&per_page=20&page=2",
                      headers=bearer(token))

    assert page.headers["X-Total-Count"] == str(len(closed)) == "50"
    assert [item["id"] for item in page.json] == closed[20:40]
    assert query(links(page)["last"]) == {"status": ["closed"], "per_page": ["20"],
                                          "page": ["3"]}
