"""Every place that names articles keeps a programme's articles to its members: the article and
release-note lists and their API (as locked entries too), the list's tag filter, a critical
article's alert (page, API, home page), an incident's thread (staff link a kept article only to
a member's incident, canned replies alike), the activity review's CSV, and an alert's notices
naming a kept patch as its fix; an alert's workaround is never kept, and nothing is kept to a
programme that has ended. Found by two attack runs on the feature."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import critical, subscriptions
from kb.alerts.alert_models import Alert
from kb.alerts.models import OutboxEmail
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.errors import Conflict
from kb.programmes import service as programmes
from kb.support import incidents
from kb.support import service as support
from tests.programmes.conftest import PATCH_WORD, apply_and_accept

WORD = "glimmerfrost"
TAG = "beta-only-tag"


def _kept_article(app, world, **fields) -> tuple[int, str]:
    with app.app_context():
        article = articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title=f"Orbit ERP 13 {WORD} preview", summary=f"The {WORD} summary.",
            body=f"About {WORD}.", products=["Orbit ERP"], tags=[TAG], **fields),
            programme_id=world.programme)
        return article.id, article.slug


def _elite_incident(app) -> int:
    """An incident of the Elite organisation (a programme member once accepted)."""
    with app.app_context():
        support.ensure_default_table()
        return incidents.log_incident(user_by_email("elite@demo.test"), incidents.IncidentDetails(
            product="Orbit ERP", severity=2, title="Posting fails", description="It fails.")).id


def _listed(client, auth, headers, slug: str) -> dict[str, bool]:
    listed = client.get("/api/v1/articles", query_string={"q": WORD}, headers=headers).json
    page = auth.client.get("/articles/").get_data(as_text=True)
    return {"api": any(item["slug"] == slug for item in listed["items"]),
            "api_total": listed["total"] > 0,
            "page": slug in page or WORD in page, "tag": TAG in page}


def test_lists_their_api_and_the_tag_filter_leave_it_out_outside_the_programme(
        app, client, world, signed_in, token_for):
    _, slug = _kept_article(app, world)
    for reader in ("xtreme", "premium", "elite"):
        assert not any(_listed(client, signed_in(reader), token_for(reader), slug).values())
    apply_and_accept(app, world)
    assert all(_listed(client, signed_in("elite"), token_for("elite"), slug).values())


def test_a_kept_critical_article_opens_an_alert_only_members_learn_of(
        app, client, world, signed_in, token_for):
    _kept_article(app, world, critical=True, min_plan="xtreme")
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    assert alert_id is not None
    for reader in ("xtreme", "elite"):
        headers = token_for(reader)
        assert alert_id not in {a["id"] for a in client.get("/api/v1/alerts",
                                                             headers=headers).json}
        real = client.get(f"/api/v1/alerts/{alert_id}", headers=headers)
        unknown = client.get("/api/v1/alerts/999999", headers=headers)
        assert (real.status_code, real.json) == (unknown.status_code, unknown.json)
        auth = signed_in(reader)
        assert WORD not in auth.client.get("/").get_data(as_text=True)
        assert WORD not in auth.client.get("/alerts").get_data(as_text=True)
    apply_and_accept(app, world)
    member = token_for("elite")
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=member).status_code == 200
    assert WORD in signed_in("elite").client.get("/alerts").get_data(as_text=True)


def test_staff_link_a_kept_article_only_to_a_members_incident_and_the_csv_follows(
        app, world, signed_in):
    article_id, _ = _kept_article(app, world)
    incident_id = _elite_incident(app)
    staff = signed_in("staff")
    refused = staff.post(f"/staff/incidents/{incident_id}/articles",
                         data={"article_id": str(article_id)})
    assert refused.status_code == 409 and "early adopter programme" in refused.get_data(
        as_text=True)
    customer = signed_in("elite")
    assert WORD not in customer.client.get(f"/support/incidents/{incident_id}").get_data(
        as_text=True)

    apply_and_accept(app, world)
    linked = staff.post(f"/staff/incidents/{incident_id}/articles",
                        data={"article_id": str(article_id)})
    assert linked.status_code == 302
    assert WORD in customer.client.get("/elite/review.csv").get_data(as_text=True)
    assert staff.post(f"/staff/programmes/{world.programme}/end").status_code == 302
    assert WORD not in customer.client.get("/elite/review.csv").get_data(as_text=True)


def test_an_alert_fixed_by_a_kept_patch_names_the_patch_to_members_only(app, world):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        articles.create_article(staff, ArticleFields(  # Orbit ERP known outside the programme
            title="Orbit ERP posting", body="Posting.", products=["Orbit ERP"]))
        for email in ("xtreme@demo.test", "elite@demo.test"):
            subscriptions.subscribe(user_by_email(email), "Orbit ERP")
    apply_and_accept(app, world)
    with app.app_context():
        alert = critical.open_alert(staff, "Posting stops at midnight",
                                    product_names=["Orbit ERP"])
        critical.advance(staff, alert.id, "fixed", patch_id=world.patch)
        fixed = {email: db.session.scalars(select(OutboxEmail.body).where(
            OutboxEmail.recipient == email, OutboxEmail.subject.contains("fixed"))).all()
            for email in ("xtreme@demo.test", "elite@demo.test")}
    assert len(fixed["xtreme@demo.test"]) == len(fixed["elite@demo.test"]) == 1
    assert PATCH_WORD in fixed["elite@demo.test"][0]
    assert PATCH_WORD not in fixed["xtreme@demo.test"][0]
    assert "Posting stops at midnight" in fixed["xtreme@demo.test"][0]


def test_canned_replies_offer_a_kept_article_only_on_a_members_incident(app, world, signed_in):
    article_id, slug = _kept_article(app, world)
    incident_id = _elite_incident(app)
    staff = signed_in("staff")
    page = staff.client.get(f"/support/incidents/{incident_id}?canned={article_id}")
    assert WORD not in page.get_data(as_text=True)
    apply_and_accept(app, world)
    page = staff.client.get(f"/support/incidents/{incident_id}?canned={article_id}")
    assert f"/articles/{slug}" in page.get_data(as_text=True)


def test_a_kept_article_is_no_alerts_workaround_nor_kept_once_it_is_one(app, world):
    _, kept_slug = _kept_article(app, world, critical=True)
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        alert = critical.open_alert(staff, "Labels print blank", product_names=["Orbit ERP"])
        with pytest.raises(Conflict, match="kept to an early adopter programme"):
            critical.advance(staff, alert.id, "workaround", article_slug=kept_slug)
        public = articles.create_article(staff, ArticleFields(  # opens an alert of its own
            title="Print labels again", body="Restart the spooler.", products=["Orbit ERP"],
            critical=True))
        own = db.session.scalar(select(Alert).where(Alert.article_id == public.id))
        with pytest.raises(Conflict, match="workaround of a critical-issue alert"):
            programmes.keep_to_programme(staff, world.programme, "article", public.id, True)
        assert own.programme_gate is None and public.programme_id is None


def test_nothing_is_kept_to_a_programme_that_has_ended(app, world, signed_in):
    with app.app_context():
        article = articles.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Orbit ERP payroll", body="Payroll.", products=["Orbit ERP"]))
        article_id = article.id
    staff = signed_in("staff")
    assert staff.post(f"/staff/programmes/{world.programme}/end").status_code == 302
    page = staff.client.get(f"/staff/programmes/{world.programme}").get_data(as_text=True)
    assert "nothing more can be kept to it" in page
    with app.app_context(), pytest.raises(Conflict, match="has ended"):
        programmes.keep_to_programme(user_by_email("staff@demo.test"), world.programme,
                                     "article", article_id, True)
