"""The daily digest: notices routed to it leave as one e-mail a day from the set hour, listing
everything since the last digest, exactly once (a second run, or a second server at the same
moment, sends nothing), with plain-text and HTML parts and an unsubscribe link that works
signed out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from kb import db
from kb.accounts.queries import user_by_email
from kb.alerts import digest, preferences
from kb.alerts.dispatch import Notice, tell
from kb.alerts.models import OutboxEmail
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from tests.alerts.critical_helpers import _patch, _staff
from tests.conftest import on_postgres

DIGEST_HOUR = 9
BEFORE = datetime(2026, 12, 3, DIGEST_HOUR - 1, 59, tzinfo=UTC)
AT_THE_HOUR = datetime(2026, 12, 3, DIGEST_HOUR, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 12, 4, DIGEST_HOUR, 30, tzinfo=UTC)


@pytest.fixture
def digest_reader(app, catalogue, customer_on):
    """A customer who collects patches and alerts into the digest; notices told to them."""
    app.config["DIGEST_HOUR"] = DIGEST_HOUR
    email = customer_on("premium")
    with app.app_context():
        user = user_by_email(email)
        preferences.save(user, {("patch", "digest"): True, ("alert", "digest"): True}, {}, [])
    return email


@pytest.fixture
def patch_url(app, catalogue):
    """The page of a published patch ``n`` (made on first use): a digest lists only what its
    reader may still open when it leaves (``test_digest_rereads``)."""
    made: dict[int, str] = {}

    def url(n: int) -> str:
        if n not in made:
            made[n] = f"/patches/{_patch(app, f'Patch {n}')}"
        return made[n]

    return url


def _tell(app, email: str, *notices: Notice) -> None:
    with app.app_context():
        for notice in notices:
            tell(user_by_email(email), notice)
        db.session.commit()


def _article(app, title: str) -> str:
    """A published article's slug."""
    with app.app_context():
        return articles.create_article(_staff(), ArticleFields(title=title, body="Unlock it.")
                                       ).slug


def _run_job(app, now: datetime) -> int:
    with app.app_context():
        return digest.send_daily_digests(now)


def _queued_digests(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxEmail.id)).where(
            OutboxEmail.kind == "digest"))


def _deliver(runner) -> None:
    # the run's own due jobs use the real clock; they find nothing left waiting
    assert runner.invoke(args=["outbox", "run", "--once"]).exit_code == 0


def test_two_notices_leave_as_one_e_mail_at_the_hour_and_once(
        app, runner, smtp, digest_reader, patch_url):
    ledger = f"/articles/{_article(app, 'Workaround for the ledger lock')}"
    _tell(app, digest_reader,
          Notice("patch.published", "Patch 7.1.2 is out", patch_url(3)),
          Notice("alert.workaround", "Workaround for the ledger lock", ledger))
    assert smtp.inbox.to(digest_reader) == []  # no e-mail of their own

    assert _run_job(app, BEFORE) == 0 and _queued_digests(app) == 0
    assert _run_job(app, AT_THE_HOUR) == 1
    assert _run_job(app, AT_THE_HOUR) == 0  # the second run sends nothing
    _deliver(runner)

    [arrived] = smtp.inbox.to(digest_reader)
    assert "daily digest: 2 updates" in arrived["Subject"]
    plain = arrived.get_body(("plain",)).get_content()
    html = arrived.get_body(("html",)).get_content()
    for part in (plain, html):
        assert "Patch 7.1.2 is out" in part and "Workaround for the ledger lock" in part
        assert patch_url(3) in part and ledger in part
    assert plain.index("Critical-issue alerts") < plain.index("New patches")
    assert "/notifications/settings" in plain
    assert arrived["List-Unsubscribe"].startswith("<http")


def test_the_next_digest_lists_only_what_came_after_the_last(
        app, runner, smtp, digest_reader, patch_url):
    _tell(app, digest_reader, Notice("patch.published", "First patch", patch_url(1)))
    assert _run_job(app, AT_THE_HOUR) == 1
    _tell(app, digest_reader, Notice("patch.published", "Second patch", patch_url(2)))
    assert _run_job(app, AT_THE_HOUR) == 0  # today's digest is gone: tomorrow's
    assert _run_job(app, NEXT_DAY) == 1
    _deliver(runner)

    first, second = smtp.inbox.to(digest_reader)
    assert "First patch" in first.get_body(("plain",)).get_content()
    assert "Second patch" not in first.get_body(("plain",)).get_content()
    assert "Second patch" in second.get_body(("plain",)).get_content()
    assert "First patch" not in second.get_body(("plain",)).get_content()


def test_unsubscribing_from_the_digest_signed_out_stops_it_without_e_mail_each(
        app, client, runner, smtp, digest_reader, patch_url):
    _tell(app, digest_reader, Notice("patch.published", "First patch", patch_url(1)))
    _run_job(app, AT_THE_HOUR)
    _deliver(runner)
    [arrived] = smtp.inbox.to(digest_reader)

    page = client.post(urlsplit(arrived["List-Unsubscribe"].strip("<>")).path)
    assert page.status_code == 200 and "the daily digest" in page.get_data(as_text=True)

    _tell(app, digest_reader, Notice("patch.published", "Second patch", patch_url(2)),
          Notice("topic.scheduled", "Your topic is scheduled", "/topics/1"))
    assert _run_job(app, NEXT_DAY) == 0
    _deliver(runner)
    assert [m["Subject"].split(": ", 1)[-1] for m in smtp.inbox.to(digest_reader)[1:]] == [
        "Your topic is scheduled"]  # topics never went to the digest: still e-mailed


@pytest.mark.skipif(not on_postgres(), reason="two servers' transactions overlap on PostgreSQL")
def test_a_second_server_running_the_job_at_the_same_moment_sends_nothing_twice(
        app, runner, smtp, digest_reader, patch_url, monkeypatch):
    """Server A claims the digest and holds its transaction open; server B runs the job
    meanwhile, waits on A's row, and gives up when A commits."""
    _tell(app, digest_reader, Notice("patch.published", "Patch A", patch_url(1)),
          Notice("patch.published", "Patch B", patch_url(2)))
    claimed, release = threading.Event(), threading.Event()
    queue_email = digest.queue_email

    def queue_and_hold(*arguments, **keywords):
        message = queue_email(*arguments, **keywords)
        if threading.current_thread().name == "server-a":
            claimed.set()
            release.wait(120)
        return message

    monkeypatch.setattr(digest, "queue_email", queue_and_hold)
    results: dict[str, int] = {}

    def server(name: str) -> None:
        results[name] = _run_job(app, AT_THE_HOUR)

    server_a = threading.Thread(target=server, args=("server-a",), name="server-a")
    server_b = threading.Thread(target=server, args=("server-b",), name="server-b")
    server_a.start()
    assert claimed.wait(120)
    server_b.start()
    _wait_until_a_backend_waits_for_a_lock(app)
    release.set()
    server_a.join(120)
    server_b.join(120)

    assert results == {"server-a": 1, "server-b": 0}
    _deliver(runner)
    [arrived] = smtp.inbox.to(digest_reader)
    assert "Patch A" in arrived.get_body(("plain",)).get_content()
    assert "Patch B" in arrived.get_body(("plain",)).get_content()


def _wait_until_a_backend_waits_for_a_lock(app) -> None:
    """Until server B is blocked behind A's uncommitted digest (a condition, not a delay)."""
    deadline = 600
    with app.app_context():
        for _ in range(deadline * 20):
            waiting = db.session.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"))
            db.session.rollback()
            if waiting:
                return
            threading.Event().wait(0.05)
    raise AssertionError("server B never waited for server A's digest")
