"""The support activity review of an Elite organisation: every incident of the period with who
logged it, open and closed summaries, response-target attainment, top products and linked
articles, as a page, a CSV and a PDF; for the organisation's users and staff only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.db import utcnow
from kb.support import incident_articles, incidents
from kb.support import service as support
from kb.support.models import Incident
from tests.conftest import Auth
from tests.elite.conftest import make_elite_customer


def log(email: str, title: str, severity: int = 3, product: str = "Orbit ERP") -> int:
    return incidents.log_incident(user_by_email(email), incidents.IncidentDetails(
        product=product, severity=severity, title=title)).id


def set_times(incident_id: int, *, days_ago: int, responded_after: timedelta | None,
              due_after: timedelta = timedelta(hours=4), resolved: bool = False) -> None:
    incident = db.session.get(Incident, incident_id)
    incident.created_at = utcnow() - timedelta(days=days_ago)
    incident.response_due = incident.created_at + due_after
    incident.responded_at = incident.created_at + responded_after if responded_after else None
    if resolved:
        incident.status, incident.resolved_at = "resolved", incident.created_at + timedelta(days=1)
    clock = incident.clocks[0]  # the response clock of its logging
    clock.started_at, clock.due = incident.created_at, incident.response_due
    clock.responded_at = incident.responded_at
    db.session.commit()


def test_the_review_counts_incidents_targets_products_and_articles(auth, app, make_user,
                                                                  api_token):
    customer = make_elite_customer(app, make_user, api_token)
    colleague = make_user(organization_id=customer.organization_id)
    with app.app_context():
        support.ensure_default_table()
        met = log(customer.email, "Posting stops", severity=1)
        missed = log(colleague, "Report slow", product="Orbit Analytics")
        pending = log(customer.email, "Question on ledgers", severity=4)
        old = log(customer.email, "Closed long ago")
        set_times(met, days_ago=10, responded_after=timedelta(hours=1), resolved=True)
        set_times(missed, days_ago=5, responded_after=timedelta(hours=9))
        set_times(pending, days_ago=0, responded_after=None, due_after=timedelta(days=3))
        set_times(old, days_ago=200, responded_after=timedelta(hours=1), resolved=True)
        staff = user_by_email(customer.csm_email)
        article = articles.create_article(staff, ArticleFields(title="Posting checklist",
                                                               body="Check."))
        incident_articles.link_article(staff, db.session.get(Incident, met), article)
    auth.login(customer.email)

    page = auth.client.get("/elite/review")
    exported = auth.client.get("/elite/review.csv")
    pdf = auth.client.get("/elite/review.pdf")

    assert page.status_code == 200
    text = page.text
    assert "Closed long ago" not in text
    assert "3</h3><p>incidents in the period (3 logged in it)" in text
    assert "50%" in text and "(1 met, 1 missed, 1 pending)" in text
    assert "Orbit ERP (2), Orbit Analytics (1)" in text
    assert "Posting checklist" in text
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert exported.headers["Content-Disposition"].startswith("attachment; filename=")
    assert {(row["title"], row["target"]) for row in rows} == {
        ("Posting stops", "met"), ("Report slow", "missed"), ("Question on ledgers", "pending")}
    with app.app_context():
        reporter = user_by_email(colleague).display_name
    assert {row["logged_by"] for row in rows if row["title"] == "Report slow"} == {reporter}
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"


def test_a_period_before_an_incident_leaves_it_out_and_bad_dates_are_refused(auth, app,
                                                                            make_user,
                                                                            api_token):
    customer = make_elite_customer(app, make_user, api_token)
    with app.app_context():
        support.ensure_default_table()
        set_times(log(customer.email, "Recent"), days_ago=2, responded_after=None)
    auth.login(customer.email)
    before = (utcnow() - timedelta(days=30)).date().isoformat()

    earlier = auth.client.get(f"/elite/review?start=2025-01-01&end={before}")

    assert earlier.status_code == 200 and "Recent" not in earlier.text
    assert auth.client.get("/elite/review?start=yesterday").status_code == 422
    assert auth.client.get("/elite/review?start=2026-05-01&end=2026-04-01").status_code == 422


def test_a_title_a_spreadsheet_would_run_stays_text(auth, app, make_user, api_token):
    customer = make_elite_customer(app, make_user, api_token)
    with app.app_context():
        support.ensure_default_table()
        log(customer.email, "=HYPERLINK(\"http://evil.test\")")
    auth.login(customer.email)

    rows = list(csv.reader(io.StringIO(auth.client.get("/elite/review.csv").data
                                       .decode("utf-8-sig"))))

    assert rows[1][1] == "'=HYPERLINK(\"http://evil.test\")"


def test_only_the_organisation_and_staff_see_its_review(client, app, make_user, api_token,
                                                        customer_on):
    customer = make_elite_customer(app, make_user, api_token)
    with app.app_context():
        support.ensure_default_table()
        log(customer.email, "Our private incident")
    other = make_elite_customer(app, make_user, api_token)
    stranger = Auth(app.test_client())
    stranger.login(other.email)
    staff = Auth(client)
    staff.login(customer.csm_email)

    assert "Our private incident" not in stranger.client.get("/elite/review").text
    for suffix in ("", ".csv", ".pdf"):
        path = f"/staff/elite/organizations/{customer.organization_id}/review{suffix}"
        assert stranger.client.get(path).status_code == 403
        assert staff.client.get(path).status_code == 200
    assert "Our private incident" in staff.client.get(
        f"/staff/elite/organizations/{customer.organization_id}/review").text
    premium = Auth(app.test_client())
    premium.login(customer_on("premium"))
    for suffix in ("", ".csv", ".pdf"):
        assert premium.client.get(f"/elite/review{suffix}").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Incident.id).where(
            Incident.organization_id == other.organization_id)) is None
