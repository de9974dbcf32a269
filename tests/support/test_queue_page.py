"""The staff queue page: priority order, filters (mine, unassigned, about to breach, product,
organisation), bulk assignment; customers cannot open it."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.support.models import Incident
from tests.a11y import described_by, parsed, problems, refused_summary
from tests.conftest import csrf_token


def _order(html: str) -> list[str]:
    return re.findall(r'data-incident="(\d+)"', html)


def test_the_queue_orders_filters_and_assigns(client, auth, log_incident, desk):
    xtreme = log_incident("xtreme@demo.test", severity=1, title="X one")
    premium = log_incident("premium@demo.test", severity=1, title="P one")
    elite = log_incident("elite@demo.test", severity=1, title="E one")
    elite_low = log_incident("elite@demo.test", severity=4, title="E four",
                             product="Orbit Integration Hub")
    auth.login("staff@demo.test")
    page = client.get("/staff/incidents").get_data(as_text=True)
    assert _order(page) == [str(i) for i in (elite, premium, xtreme, elite_low)]
    hub = client.get("/staff/incidents?q=four").get_data(as_text=True)
    assert _order(hub) == [str(elite_low)]
    response = client.post("/staff/incidents/assign", data={
        "csrf_token": csrf_token(client, "/staff/incidents"), "incident": [str(xtreme),
                                                                        str(premium)],
        "assignee": str(_staff_id(desk))})
    assert response.status_code == 302
    mine = client.get("/staff/incidents?mine=1").get_data(as_text=True)
    assert _order(mine) == [str(premium), str(xtreme)]
    unassigned = client.get("/staff/incidents?unassigned=1").get_data(as_text=True)
    assert _order(unassigned) == [str(elite), str(elite_low)]
    # Sev 1 targets are an hour or a few away: about to breach within the default 60 min
    breaching = client.get("/staff/incidents?breaching=1").get_data(as_text=True)
    assert str(elite) in _order(breaching) and str(elite_low) not in _order(breaching)
    with desk.app_context():
        organization_id = db.session.get(Incident, premium).organization_id
    by_organization = client.get(f"/staff/incidents?organization={organization_id}")
    assert _order(by_organization.get_data(as_text=True)) == [str(premium)]


def test_staff_tell_every_organisations_first_incident_apart(client, auth, log_incident):
    first_ones = {email: log_incident(email, severity=2, title="Posting fails")
                  for email in ("xtreme@demo.test", "premium@demo.test", "elite@demo.test")}
    auth.login("staff@demo.test")
    queue = client.get("/staff/incidents").get_data(as_text=True)
    references = re.findall(r"#1 · [^<]+?(?=</strong> · Orbit ERP)", queue)
    assert len(references) == 3 and len(set(references)) == 3
    assert "#1 · Contoso Manufacturing" in references
    incident_page = client.get(f"/support/incidents/{first_ones['elite@demo.test']}")
    assert "<h1>#1 · Fabrikam Logistics: Posting fails</h1>" in incident_page.get_data(
        as_text=True)
    auth.logout()
    auth.login("elite@demo.test")  # a customer sees their own organisation's numbers only
    own_page = client.get(f"/support/incidents/{first_ones['elite@demo.test']}")
    assert "<h1>#1 Posting fails</h1>" in own_page.get_data(as_text=True)
    assert "#1 · " not in client.get("/support/incidents").get_data(as_text=True)


def test_assigning_one_incident_says_so(client, auth, log_incident, desk):
    incident = log_incident("elite@demo.test", severity=2, title="E two")
    auth.login("staff@demo.test")
    page = f"/support/incidents/{incident}"
    response = client.post(f"/staff/incidents/{incident}/assign", data={
        "csrf_token": csrf_token(client, page), "assignee": str(_staff_id(desk))},
        follow_redirects=True)
    assert response.status_code == 200
    assert re.search(r"is assigned to [^<]+\.", response.get_data(as_text=True))


def _staff_id(app) -> int:
    from kb.accounts.models import User
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == "staff@demo.test"))


def test_customers_cannot_open_the_queue(client, auth, desk):
    auth.login("elite@demo.test")
    assert client.get("/staff/incidents").status_code == 403


def test_the_staff_incident_page_shows_the_customer_and_canned_replies(client, auth,
                                                                      log_incident, desk):
    from kb.articles.models import Article
    with desk.app_context():
        db.session.add(Article(type="article", slug="erp/fix-totals", title="Fixing totals",
                               summary="Rebuild the totals index.", body="Steps.",
                               status="published"))
        db.session.commit()
        article_id = db.session.scalar(select(Article.id))
    first = log_incident("premium@demo.test", title="First")
    log_incident("premium@demo.test", title="Second open one")
    auth.login("staff@demo.test")
    page = client.get(f"/support/incidents/{first}?canned={article_id}").get_data(as_text=True)
    assert "Contoso Manufacturing" in page and "Orbit Integration Hub 4.0" in page
    assert "Second open one" in page
    assert "Rebuild the totals index." in page  # the reply box starts from the article


def test_the_queue_finds_an_incident_by_its_number_as_customers_quote_it(
        client, auth, log_incident):
    contoso = [log_incident("premium@demo.test", severity=3, title=f"Contoso {n}")
               for n in ("first", "second")]
    fabrikam = [log_incident("elite@demo.test", severity=3, title=f"Fabrikam {n}")
                for n in ("first", "second")]
    auth.login("staff@demo.test")

    def found(query: str) -> set[str]:
        page = client.get("/staff/incidents", query_string={"q": query})
        return set(_order(page.get_data(as_text=True)))

    both_seconds = {str(contoso[1]), str(fabrikam[1])}
    assert found("#2") == found("2") == found("# 2") == both_seconds
    assert found("Contoso #2") == found("#2 · Contoso Manufacturing") == {str(contoso[1])}
    assert found("fabrikam#1") == {str(fabrikam[0])}
    assert found("#9") == set() and found("second") == both_seconds
    # each row names the organisation with its number: two #2 rows are told apart
    page = client.get("/staff/incidents", query_string={"q": "#2"}).get_data(as_text=True)
    assert "#2 · Contoso Manufacturing" in page and "#2 · Fabrikam Logistics" in page


def test_customers_find_their_incident_by_number_too(client, auth, log_incident):
    first = log_incident("premium@demo.test", severity=3, title="Payroll run stuck")
    second = log_incident("premium@demo.test", severity=3, title="Totals off")
    log_incident("elite@demo.test", severity=3, title="Elite's own")
    auth.login("premium@demo.test")
    page = client.get("/support/incidents?show=all&q=%232").get_data(as_text=True)
    assert f"/support/incidents/{second}\"" in page
    assert f"/support/incidents/{first}\"" not in page and "Elite's own" not in page


def test_assigning_nothing_ticked_shows_the_queue_again_with_the_reason(
        client, auth, log_incident, desk):
    log_incident("elite@demo.test", severity=2, title="E two")
    hub = log_incident("elite@demo.test", severity=4, title="E four",
                       product="Orbit Integration Hub")
    auth.login("staff@demo.test")
    token = csrf_token(client, "/staff/incidents?q=four&unassigned=1")

    refused = client.post("/staff/incidents/assign", data={
        "csrf_token": token, "assignee": str(_staff_id(desk)),
        "back": "/staff/incidents?q=four&unassigned=1"})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "assign-problem")
    assert summary.text_content().strip() == "Tick the incidents to assign first."
    assert _order(refused.text) == [str(hub)]  # the filtered list the user was looking at
    assert page.get_element_by_id("filter-q").get("value") == "four"
    assert page.xpath('//details[contains(@class, "filters-box")]/@open')  # on a phone too
    assert page.xpath('//input[@name="unassigned"]/@checked')
    assert not page.xpath('//input[@name="mine"]/@checked')
    assert page.get_element_by_id("assignee").xpath("option[@selected]/@value") == [
        str(_staff_id(desk))]
    assert page.xpath('//input[@name="back"]/@value') == [
        "/staff/incidents?q=four&unassigned=1"]
    assert not page.xpath("//*[@data-refresh-seconds]")  # a reload would post it again


def test_a_refused_assignment_from_elsewhere_shows_the_whole_queue(
        client, auth, log_incident, desk):
    incidents = [log_incident("elite@demo.test", severity=2, title="E two"),
                 log_incident("elite@demo.test", severity=4, title="E four")]
    auth.login("staff@demo.test")
    token = csrf_token(client, "/staff/incidents")

    for back in ("https://elsewhere.example/staff/incidents?q=four", "/staff/users?q=four", ""):
        refused = client.post("/staff/incidents/assign", data={
            "csrf_token": token, "assignee": str(_staff_id(desk)), "back": back})

        assert refused.status_code == 422
        assert sorted(_order(refused.text)) == sorted(map(str, incidents)), back


def test_an_assignee_not_on_the_list_is_refused_beside_the_list(client, auth, log_incident,
                                                                desk):
    incident = log_incident("elite@demo.test", severity=2, title="E two")
    auth.login("staff@demo.test")
    token = csrf_token(client, "/staff/incidents")

    queue = client.post("/staff/incidents/assign", data={
        "csrf_token": token, "incident": str(incident), "assignee": "abc"})
    one = client.post(f"/staff/incidents/{incident}/assign", data={
        "csrf_token": token, "assignee": "abc"})

    for refused in (queue, one):
        assert refused.status_code == 422
        page, summary = refused_summary(refused, "assign-problem")
        assert described_by(page, "assignee") == ["Choose a staff member."]
    ticked = parsed(queue).xpath('//input[@name="incident"][@checked]/@value')
    assert ticked == [str(incident)]  # as sent
    with desk.app_context():
        assert db.session.get(Incident, incident).assignee_id is None


def test_linking_no_article_is_refused_beside_the_list(client, auth, log_incident, desk):
    incident = log_incident("elite@demo.test", severity=2, title="E two")
    auth.login("staff@demo.test")
    page_url = f"/support/incidents/{incident}"

    refused = client.post(f"/staff/incidents/{incident}/articles", data={
        "csrf_token": csrf_token(client, page_url), "article_id": ""})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "link-problem")
    assert problems(summary) == {"#article_id": "Article: Choose an article to link."}
    assert described_by(page, "article_id") == ["Choose an article to link."]


def test_bulk_assignment_returns_only_to_a_queue_address(client, auth, log_incident, desk):
    """The queue's address to return to (``back``) is sent by the form: one with a line break
    (a header it would add) or leaving the queue is replaced by the queue's own, never a
    server error after the assignment is saved."""
    incident = log_incident("elite@demo.test", severity=2, title="E two")
    auth.login("staff@demo.test")
    for back, returned in [("/staff/incidents?mine=1", "/staff/incidents?mine=1"),
                           ("/staff/incidents\r\nSet-Cookie: x=1", "/staff/incidents"),
                           ("/staff/incidents/../../account", "/staff/incidents"),
                           ("/staff/incidentsX", "/staff/incidents")]:
        response = client.post("/staff/incidents/assign", data={
            "csrf_token": csrf_token(client, "/staff/incidents"), "incident": str(incident),
            "assignee": str(_staff_id(desk)), "back": back})
        assert response.status_code == 302, back
        assert response.headers["Location"] == returned, back
        assert "Set-Cookie" not in response.headers or "x=1" not in response.headers[
            "Set-Cookie"]
