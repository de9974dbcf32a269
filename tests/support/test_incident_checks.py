"""What an incident must name: a version the product has (a qualifier may follow it), and a
title of at least five characters; the API answers 422 and the page keeps what was typed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kb import db
from kb.support.models import Incident
from tests.conftest import bearer, csrf_token

GOOD = {"product": "Orbit ERP", "version": "12.0", "severity": 2,
        "title": "Invoices post twice", "description": "Since this morning."}


@pytest.fixture
def token(desk, api_token):
    return api_token("premium@demo.test")


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Incident.id)))


def test_an_unknown_version_of_a_known_product_is_refused_naming_its_versions(
        desk, client, token):
    response = client.post("/api/v1/incidents", headers=bearer(token),
                           json={**GOOD, "version": "99.9"})
    assert response.status_code == 422
    assert response.json["error"] == (
        "Orbit ERP has no version '99.9' (versions: 11.0, 11.1, 12.0).")
    assert _count(desk) == 0


@pytest.mark.parametrize("version", ["12.0", " 12.0 ", "12.0 SP1", "12.0.4127", "12.0-CU1",
                                     ""])
def test_a_known_version_with_or_without_a_qualifier_is_accepted(desk, client, token,
                                                                 version):
    response = client.post("/api/v1/incidents", headers=bearer(token),
                           json={**GOOD, "version": version})
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("title", ["x", "Bug", " ab  c "])
def test_a_title_under_five_characters_is_refused_with_a_clear_message(desk, client, token,
                                                                       title):
    response = client.post("/api/v1/incidents", headers=bearer(token),
                           json={**GOOD, "title": title})
    assert response.status_code == 422
    assert response.json["error"] == ("Give the incident a title of at least 5 characters: "
                                      "what goes wrong, in a line.")
    assert _count(desk) == 0


def test_the_page_refuses_an_unknown_version_beside_the_field_keeping_what_was_typed(
        desk, client, auth):
    auth.login("premium@demo.test")
    response = client.post("/support/incidents/new", data={
        "csrf_token": csrf_token(client, "/support/incidents/new"), "product": "Orbit ERP",
        "version": "99.9", "severity": "2", "title": "Invoices post twice",
        "description": "Since this morning.", "contact": "Paula, +49 30 1234"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<small id="version-error" class="field-error">Orbit ERP has no version '
            "&#39;99.9&#39; (versions: 11.0, 11.1, 12.0).</small>") in html
    assert "The incident is not logged yet: see below." in html
    for typed in ('value="99.9"', 'value="Invoices post twice"', "Since this morning.",
                  'value="Paula, +49 30 1234"', '<option selected value="Orbit ERP">'):
        assert typed in html
    assert _count(desk) == 0


def test_the_page_asks_for_a_longer_title(desk, client, auth):
    auth.login("premium@demo.test")
    response = client.post("/support/incidents/new", data={
        "csrf_token": csrf_token(client, "/support/incidents/new"), "product": "Orbit ERP",
        "severity": "2", "title": "Bug", "description": "Since this morning."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<small id="title-error" class="field-error">Give a title of at least 5 '
            "characters.</small>") in html and 'value="Bug"' in html
    assert _count(desk) == 0
