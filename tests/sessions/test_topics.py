"""Topic requests: asking (page and API), suggestions while typing, one vote per user, the
staff workflow with notifications to requester and voters, decline, merge, safe rendering."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from kb import db, search
from kb.accounts.models import User
from kb.accounts.queries import user_by_email
from kb.articles.models import Article
from kb.db import utcnow
from kb.notifications import Notification
from kb.sessions.live import queries as live_queries
from kb.sessions.live import service as live_service
from kb.sessions.models import TopicRequest, TopicVote
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from tests.conftest import bearer


def _ask(app, email, title, details="", product=""):
    with app.app_context():
        return topics.request_topic(user_by_email(email), title, details, product).id


def _vote(app, email, topic_id):
    with app.app_context():
        user = user_by_email(email)
        topics.upvote(user, topic_queries.get_topic(user, topic_id))


def _told(app, email):
    with app.app_context():
        user = user_by_email(email)
        return [(n.kind, n.url) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_request_through_the_page_and_the_api(app, client, auth, demo_accounts, api_token):
    auth.login("xtreme@demo.test")
    response = auth.post("/sessions/topics/new", {"title": "Archiving old periods",
                                                  "details": "How?", "product": "Orbit ERP"})
    assert response.status_code == 302
    created = client.post("/api/v1/topics", headers=bearer(api_token("premium@demo.test")),
                          json={"title": "Mapping large XML", "details": "Streams?",
                                "product": "Orbit Integration Hub"})
    assert created.status_code == 201
    assert created.json["votes"] == 1 and created.json["product"] == "Orbit Integration Hub"
    listed = client.get("/api/v1/topics", headers=bearer(api_token("elite@demo.test"))).json
    assert {t["title"] for t in listed} == {"Archiving old periods", "Mapping large XML"}


@pytest.mark.parametrize("body, message", [
    ({"details": "x"}, "Say which topic"), ({"title": 5}, "must be strings"),
    ({"title": "A", "product": "No Such Product"}, "Unknown product"),
])
def test_api_refuses_bad_requests_clearly(client, demo_accounts, api_token, body, message):
    refused = client.post("/api/v1/topics", headers=bearer(api_token("premium@demo.test")),
                          json=body)
    assert refused.status_code == 422 and message in refused.json["error"]


def test_suggestions_find_recordings_articles_and_requests_the_user_may_see(
        app, client, auth, demo_accounts, publish):
    publish("Monitoring message queues")
    publish("Queue drafts", status="draft")
    _ask(app, "premium@demo.test", "Queue alerts at night")
    with app.app_context():
        for slug, min_plan in (("queue-basics", "xtreme"), ("queue-elite", "elite")):
            article = Article(slug=slug, title=f"Queue article {slug}", status="published",
                              min_plan=min_plan, published_at=utcnow())
            db.session.add(article)
            db.session.flush()
            search.record_change("article", article.id)
        db.session.commit()
    auth.login("xtreme@demo.test")
    found = client.get("/sessions/topics/suggest?q=monitor+QUEUE%25").json
    assert [r["title"] for r in found["recordings"]] == ["Monitoring message queues"]
    assert [a["url"] for a in found["articles"]] == ["/articles/queue-basics"]
    assert [t["title"] for t in found["topics"]] == ["Queue alerts at night"]
    assert client.get("/sessions/topics/suggest?q=a").json == {
        "exact": [], "recordings": [], "articles": [], "topics": []}


def test_one_vote_per_user(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Batch jobs")
    auth.login("elite@demo.test")
    for _ in range(2):
        auth.post(f"/sessions/topics/{topic_id}/vote")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TopicVote)) == 2
    assert b"2 votes" in client.get(f"/sessions/topics/{topic_id}").data


def test_a_voter_may_withdraw_and_then_hears_nothing_more(app, client, auth, demo_accounts,
                                                          staff):
    topic_id = _ask(app, "premium@demo.test", "Batch jobs")
    auth.login("elite@demo.test")
    auth.post(f"/sessions/topics/{topic_id}/vote")
    assert b"Withdraw my vote" in client.get(f"/sessions/topics/{topic_id}").data

    withdrawn = auth.post(f"/sessions/topics/{topic_id}/vote/withdraw")
    staff(lambda s: topics.change_status(s, topic_queries.get_topic(s, topic_id), "planned"))

    assert withdrawn.status_code == 302
    assert b"1 vote" in client.get(f"/sessions/topics/{topic_id}").data
    assert _told(app, "elite@demo.test") == []
    assert _told(app, "premium@demo.test") == [("topic.planned", f"/sessions/topics/{topic_id}")]


def test_the_requester_keeps_their_vote(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Batch jobs")
    auth.login("premium@demo.test")

    assert b"Withdraw my vote" not in client.get(f"/sessions/topics/{topic_id}").data
    assert auth.post(f"/sessions/topics/{topic_id}/vote/withdraw").status_code == 409
    assert b"1 vote" in client.get(f"/sessions/topics/{topic_id}").data


def test_workflow_tells_requester_and_voters_and_only_premium_up_get_the_sign_up_link(
        app, demo_accounts, schedule, publish, staff):
    topic_id = _ask(app, "xtreme@demo.test", "Year-end closing")
    _vote(app, "premium@demo.test", topic_id)
    _vote(app, "elite@demo.test", topic_id)
    session_id, recording_id = schedule(), publish()
    topic_url, session_url = f"/sessions/topics/{topic_id}", f"/sessions/live/{session_id}"
    recording_url = f"/sessions/recordings/{recording_id}"

    def move(status, **links):
        staff(lambda s: topics.change_status(s, topic_queries.get_topic(s, topic_id), status, **{
            key: getter(s, value) for key, (getter, value) in links.items()}))

    move("planned")
    move("scheduled", live_session=(live_queries.get_session, session_id))
    move("recorded", recording=(recording_queries.get_recording, recording_id))
    assert _told(app, "xtreme@demo.test") == [
        ("topic.planned", topic_url), ("topic.scheduled", topic_url),
        ("topic.recorded", recording_url)]
    for email in ("premium@demo.test", "elite@demo.test"):
        assert _told(app, email) == [("topic.planned", topic_url),
                                     ("topic.scheduled", session_url),
                                     ("topic.recorded", recording_url)]
    with pytest.raises(Exception, match="cannot become planned"):
        move("planned")


def test_decline_needs_a_reason_and_is_announced(app, client, auth, demo_accounts, staff):
    from kb.errors import Invalid

    topic_id = _ask(app, "premium@demo.test", "Custom kernel patches")
    with pytest.raises(Invalid):
        staff(lambda s: topics.change_status(s, topic_queries.get_topic(s, topic_id), "declined"))
    auth.login("staff@demo.test")
    auth.post(f"/sessions/topics/{topic_id}/status",
              {"status": "declined", "reason": "Modified components are out of scope."})
    assert _told(app, "premium@demo.test") == [("topic.declined", f"/sessions/topics/{topic_id}")]
    assert b"out of scope" in client.get(f"/sessions/topics/{topic_id}").data


def test_merge_carries_votes_over_without_double_votes(app, client, auth, demo_accounts):
    target = _ask(app, "premium@demo.test", "Currency revaluation")
    duplicate = _ask(app, "elite@demo.test", "Revaluing currencies")
    _vote(app, "premium@demo.test", duplicate)  # already behind the target
    _vote(app, "xtreme@demo.test", duplicate)
    auth.login("staff@demo.test")
    assert auth.post(f"/sessions/topics/{duplicate}/merge",
                     {"target_id": str(target)}).status_code == 302
    with app.app_context():
        voters = db.session.scalars(select(TopicVote.user_id).where(TopicVote.topic_id == target))
        emails = sorted(db.session.get(User, uid).email for uid in voters)
        assert emails == ["elite@demo.test", "premium@demo.test", "xtreme@demo.test"]
        assert db.session.get(TopicRequest, duplicate).status == "merged"
    assert ("topic.merged", f"/sessions/topics/{target}") in _told(app, "xtreme@demo.test")
    assert b"Revaluing currencies" not in client.get("/sessions/topics").data


def test_a_merged_requests_text_stays_on_the_request_it_joins(app, client, auth,
                                                              demo_accounts):
    target = _ask(app, "premium@demo.test", "Currency revaluation")
    duplicate = _ask(app, "elite@demo.test", "Revaluing currencies",
                     "We revalue **twelve** currencies at month end.")
    earlier = _ask(app, "xtreme@demo.test", "FX revaluation", "Show the rounding rules.")
    auth.login("staff@demo.test")
    auth.post(f"/sessions/topics/{earlier}/merge", {"target_id": str(duplicate)})
    auth.post(f"/sessions/topics/{duplicate}/merge", {"target_id": str(target)})
    staff_page = client.get(f"/sessions/topics/{target}").get_data(as_text=True)
    assert "by elite@demo.test" in staff_page and "by xtreme@demo.test" in staff_page
    auth.logout()
    auth.login("premium@demo.test")
    page = client.get(f"/sessions/topics/{target}").get_data(as_text=True)
    merged = page[page.index('id="merged-heading"'):]
    assert "Revaluing currencies" in merged
    assert "We revalue <strong>twelve</strong> currencies at month end." in merged
    assert "Show the rounding rules." in merged  # merged into the duplicate before
    assert "@demo.test" not in merged  # customers see no requester, as on every request


def test_request_text_renders_safely(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "<script>alert(1)</script> queues",
                    "<img src=x onerror=alert(2)> **bold**")
    auth.login("elite@demo.test")
    page = client.get(f"/sessions/topics/{topic_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "onerror" not in page and "<strong>bold</strong>" in page
    listing = client.get("/sessions/topics").get_data(as_text=True)
    assert "<script>alert(1)" not in listing


def test_a_search_can_prefill_the_request(client, auth, demo_accounts):
    auth.login("premium@demo.test")
    page = client.get("/sessions/topics/new?title=Payroll+exports").get_data(as_text=True)
    assert 'value="Payroll exports"' in page


def test_staff_topic_status_changes_are_staff_only(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Anything")
    auth.login("elite@demo.test")
    assert auth.post(f"/sessions/topics/{topic_id}/status",
                     {"status": "planned"}).status_code == 403
    with app.app_context():
        assert db.session.get(TopicRequest, topic_id).status == "new"


def test_declining_without_a_reason_shows_the_form_again_with_the_choice(app, client, auth,
                                                                         demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Anything")
    auth.login("staff@demo.test")
    refused = auth.post(f"/sessions/topics/{topic_id}/status", {"status": "declined"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Give the reason for declining." in page and "Change the status" in page
    assert re.search(r'<option[^>]*selected[^>]*value="declined"|'
                     r'<option[^>]*value="declined"[^>]*selected', page)
    with app.app_context():
        assert db.session.get(TopicRequest, topic_id).status == "new"


def test_a_choice_not_offered_is_refused_beside_its_field_keeping_the_reason(app, client, auth,
                                                                            demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Anything else")
    auth.login("staff@demo.test")
    reason = "Covered by the year-end session; see its recording."
    refused = auth.post(f"/sessions/topics/{topic_id}/status",
                        {"status": "declined", "reason": reason, "recording_id": "999999"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert ('<small id="recording_id-error" class="field-error">Choose a recording from the '
            "list.</small>" in page)
    assert f"{reason}</textarea>" in page and "Choose a valid status." not in page
    with app.app_context():
        assert db.session.get(TopicRequest, topic_id).status == "new"


def test_a_cancelled_session_puts_its_topic_back_to_planned_and_says_why(
        app, client, auth, demo_accounts, schedule, staff):
    topic_id = _ask(app, "premium@demo.test", "Closing periods in parallel")
    _vote(app, "elite@demo.test", topic_id)
    session_id = schedule()
    staff(lambda s: topics.change_status(s, topic_queries.get_topic(s, topic_id), "scheduled",
                                         live_session=live_queries.get_session(s, session_id)))

    staff(lambda s: live_service.cancel_session(s, session_id, "The presenter is ill."))

    with app.app_context():
        topic = db.session.get(TopicRequest, topic_id)
        assert (topic.status, topic.live_session_id) == ("planned", None)
    for email in ("premium@demo.test", "elite@demo.test"):
        assert _told(app, email)[-1] == ("topic.planned", f"/sessions/topics/{topic_id}")
    auth.login("premium@demo.test")
    page = client.get(f"/sessions/topics/{topic_id}").get_data(as_text=True)
    assert ">planned<" in page and f"/sessions/live/{session_id}" not in page


def test_topic_pages_style_the_status_badge(app, client, auth, demo_accounts):
    topic_id = _ask(app, "premium@demo.test", "Archiving old periods")
    auth.login("premium@demo.test")
    for path in ("/sessions/topics", f"/sessions/topics/{topic_id}"):
        page = client.get(path).data.decode()
        assert 'class="status-badge"' in page and "sessions.css" in page, path
