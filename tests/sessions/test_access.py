"""Every sessions route and endpoint, for every kind of visitor (flaskr's test_login_required,
widened): anonymous visitors are sent to sign in (pages) or get 401 (API); a lapsed term gets
403; each plan gets 403 exactly where the plan matrix says it lacks the feature; staff-only
routes refuse customers."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from kb import plans
from tests.conftest import csrf_token

VISITORS = ["anonymous", "lapsed", "xtreme", "premium", "elite", "staff"]
STAFF = "staff"
# method, path template, what it needs (a feature key or STAFF), form or JSON body
ROUTES = [
    ("GET", "/sessions/recordings", "recorded_sessions", None),
    ("GET", "/sessions/recordings/{recording}", "recorded_sessions", None),
    ("GET", "/sessions/recordings/{recording}/media", "recorded_sessions", None),
    ("GET", "/sessions/recordings/{recording}/captions.vtt", "recorded_sessions", None),
    ("GET", "/sessions/recordings/{recording}/attachments/{attachment}", "recorded_sessions",
     None),
    ("POST", "/sessions/recordings/{recording}/watched", "recorded_sessions", {"watched": "1"}),
    ("GET", "/sessions/topics", "recorded_sessions", None),
    ("GET", "/sessions/topics/new", "recorded_sessions", None),
    ("POST", "/sessions/topics/new", "recorded_sessions", {"title": "Access matrix topic"}),
    ("GET", "/sessions/topics/suggest?q=queue", "recorded_sessions", None),
    ("GET", "/sessions/topics/{topic}", "recorded_sessions", None),
    ("POST", "/sessions/topics/{topic}/vote", "recorded_sessions", {}),
    ("GET", "/sessions/live", "recorded_sessions", None),
    ("GET", "/sessions/live/{session}", "recorded_sessions", None),
    ("POST", "/sessions/live/{session}/register", "interactive_sessions", {}),
    ("POST", "/sessions/live/{session}/cancel", "interactive_sessions", {}),
    ("GET", "/sessions/live/{session}/invite.ics", "interactive_sessions", None),
    ("GET", "/campus", "campus_discount", None),
    ("GET", "/campus/offer", STAFF, None),
    ("POST", "/campus/offer", STAFF, {"percentage": "10", "valid_until": "2031-01-01"}),
    ("POST", "/sessions/topics/{topic}/status", STAFF, {"status": "planned"}),
    ("POST", "/sessions/topics/{topic}/merge", STAFF, {"target_id": "{other_topic}"}),
    ("GET", "/sessions/staff/recordings/new", STAFF, None),
    ("GET", "/sessions/staff/recordings/{recording}/edit", STAFF, None),
    ("POST", "/sessions/staff/recordings/{recording}/transcript", STAFF, {}),
    ("POST", "/sessions/staff/recordings/{recording}/attachments", STAFF, {}),
    ("GET", "/sessions/staff/live/new", STAFF, None),
    ("GET", "/sessions/staff/live/{session}/edit", STAFF, None),
    ("GET", "/sessions/staff/live/{session}/attendees", STAFF, None),
    ("GET", "/sessions/staff/live/{session}/cancel", STAFF, None),
    ("POST", "/sessions/staff/live/{session}/cancel", STAFF, {"reason": "Presenter ill"}),
    ("GET", "/sessions/staff/live/{session}/attendees.csv", STAFF, None),
    ("POST", "/sessions/staff/live/{session}/attendance", STAFF, {}),
    ("POST", "/sessions/staff/live/{session}/recording", STAFF, {"recording_id": "{recording}"}),
    ("GET", "/api/v1/recordings", "recorded_sessions", None),
    ("GET", "/api/v1/recordings/{recording}", "recorded_sessions", None),
    ("GET", "/api/v1/topics", "recorded_sessions", None),
    ("POST", "/api/v1/topics", "recorded_sessions", {"title": "API matrix topic"}),
    ("GET", "/api/v1/live-sessions", "recorded_sessions", None),
    ("POST", "/api/v1/live-sessions/{session}/registration", "interactive_sessions", {}),
    ("DELETE", "/api/v1/live-sessions/{session}/registration", "interactive_sessions", None),
    ("GET", "/api/v1/live-sessions/{session}/invite.ics", "interactive_sessions", None),
    ("GET", "/api/v1/campus", "campus_discount", None),
]


@pytest.fixture
def things(app, client, auth, demo_accounts, publish, schedule, customer_on, staff):
    """One of everything the routes name, and a sign-in per visitor."""
    from kb.sessions.campus import service as campus
    from kb.sessions.topics import service as topics

    ids = {"recording": publish(), "session": schedule()}
    auth.login("staff@demo.test")
    auth.post(f"/sessions/staff/recordings/{ids['recording']}/attachments",
              {"attachment": (io.BytesIO(b"slides"), "slides.pdf")},
              content_type="multipart/form-data")
    ids["attachment"] = client.get(f"/api/v1/recordings/{ids['recording']}").json[
        "attachments"][0]["url"].rsplit("/", 1)[1]
    auth.logout()

    def make_topics(staff_user):
        from kb.accounts.queries import user_by_email

        asker = user_by_email("premium@demo.test")
        campus.set_offer(staff_user, percentage=10, terms="", how_to_redeem="",
                         valid_until=date.today() + timedelta(days=9))
        return [topics.request_topic(asker, title).id for title in ("Queues", "Queueing")]

    ids["topic"], ids["other_topic"] = staff(make_topics)
    emails = {"lapsed": customer_on("premium", lapsed=True), "xtreme": "xtreme@demo.test",
              "premium": "premium@demo.test", "elite": "elite@demo.test",
              "staff": "staff@demo.test"}
    return ids, emails


def _request(client, method, path, body):
    if path.startswith("/api/"):
        headers = {"X-CSRFToken": csrf_token(client)} if method != "GET" else {}
        return client.open(path, method=method, json=body, headers=headers)
    if method == "GET":
        response = client.get(path)
        response.close()
        return response
    return client.post(path, data={**body, "csrf_token": csrf_token(client)})


def _is_a_file(path: str) -> bool:
    return path.startswith("/sessions/recordings/") and (
        path.endswith(("/media", "/captions.vtt")) or "/attachments/" in path)


def _allowed(visitor: str, needs: str) -> bool:
    if visitor == "staff":
        return True
    if visitor in ("anonymous", "lapsed") or needs == STAFF:
        return False
    return visitor in plans.feature(needs).plans


@pytest.mark.parametrize("method, template, needs, body", ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_every_route_for_every_visitor(client, auth, things, method, template, needs, body):
    ids, emails = things
    path = template.format(**ids)
    body = {k: v.format(**ids) for k, v in body.items()} if body else body
    for visitor in VISITORS:
        if visitor != "anonymous":
            auth.login(emails[visitor])
        response = _request(client, method, path, body or {})
        status = response.status_code
        if visitor == "anonymous":
            # a file's URL, as the API's, answers a script (no Accept: text/html) with 401,
            # never the sign-in page it would save as the file
            expected = 401 if path.startswith("/api/") or _is_a_file(path) else 302
            assert status == expected, (visitor, status)
            if status == 302:
                assert "/sign-in" in response.location
        elif _allowed(visitor, needs):
            assert status not in (401, 403) and status < 500, (visitor, status, response.data)
        else:
            assert status == 403, (visitor, status)
            if path.startswith("/api/") and visitor != "lapsed":
                assert response.json["feature"] == needs
                assert response.json["required_plan"] == plans.feature(needs).lowest_plan
        if visitor != "anonymous":
            auth.logout()


@pytest.mark.parametrize("path", ["/notifications", "/api/v1/notifications"])
def test_notifications_need_a_sign_in(client, auth, demo_accounts, path):
    response = client.get(path)
    assert response.status_code == (401 if path.startswith("/api/") else 302)
    auth.login("xtreme@demo.test")
    assert client.get(path).status_code == 200
