"""Never lost, never twice: workers in processes of their own, killed with SIGKILL at the two
points that matter, and two workers draining the same outbox at once (also the moment one
worker's claim loses the rows it picked to the other)."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from kb import db
from kb.alerts import outbox
from kb.alerts.models import OutboxEmail
from kb.db import utcnow
from tests.databases import on_postgres

RECIPIENTS = ["a@example.test", "b@example.test", "c@example.test"]


def _kill_once(process_holder: dict, trigger: str):
    def act(value) -> None:
        recipient = value if isinstance(value, str) else value["To"]
        if recipient == trigger and not process_holder.get("killed"):
            process_holder["killed"] = True
            os.kill(process_holder["process"].pid, signal.SIGKILL)
    return act


def _crash_then_recover(smtp, runner, outbox_process, queue, hook: str) -> list[int]:
    ids = [queue(recipient, f"Message to {recipient}") for recipient in RECIPIENTS]
    holder: dict = {}
    setattr(smtp.inbox, hook, _kill_once(holder, "b@example.test"))
    # a lease of 0 s: the dead worker's claims are free to take over at once
    holder["process"] = outbox_process(smtp.url, OUTBOX_LEASE_SECONDS="0")
    holder["process"].communicate(timeout=120)
    assert holder["process"].returncode == -signal.SIGKILL
    recovery = runner.invoke(args=["outbox", "run", "--once"])
    assert recovery.exit_code == 0, recovery.output
    return ids


def test_a_worker_killed_after_claiming_loses_nothing_and_sends_nothing_twice(
        app, smtp, runner, outbox_process, queue, outbox_row):
    ids = _crash_then_recover(smtp, runner, outbox_process, queue, "on_recipient")

    assert Counter(message["To"] for message in smtp.inbox.messages) == Counter(RECIPIENTS)
    assert [outbox_row(message_id).status for message_id in ids] == ["sent"] * 3


def test_a_worker_killed_after_smtp_accepted_a_message_never_causes_a_duplicate(
        app, smtp, runner, outbox_process, queue, outbox_row):
    ids = _crash_then_recover(smtp, runner, outbox_process, queue, "on_content")

    assert Counter(message["To"] for message in smtp.inbox.messages) == Counter(RECIPIENTS)
    interrupted = outbox_row(ids[1])
    assert interrupted.status == "failed" and "may have arrived" in interrupted.last_error
    assert [outbox_row(ids[0]).status, outbox_row(ids[2]).status] == ["sent", "sent"]
    assert smtp.inbox.to("b@example.test")[0]["Message-ID"] == interrupted.message_id


def test_two_workers_draining_at_once_send_every_message_exactly_once(
        app, smtp, outbox_process, queue, outbox_row):
    ids = [queue(f"user{number}@example.test", f"Message {number}") for number in range(40)]
    # neither worker sends before the other has claimed a batch (20 messages) of its own
    smtp.inbox.meet_connections = 2

    workers = [outbox_process(smtp.url), outbox_process(smtp.url)]
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert all("Sent 20," in output for output in outputs), outputs
    counts = Counter(smtp.inbox.message_ids())
    assert len(counts) == 40 and set(counts.values()) == {1}
    assert {outbox_row(message_id).status for message_id in ids} == {"sent"}


@pytest.mark.skipif(on_postgres(), reason="PostgreSQL's FOR UPDATE SKIP LOCKED keeps claims "
                                          "apart before they are made")
def test_a_claim_lost_to_another_worker_looks_again_instead_of_ending_the_drain(app, queue):
    # on SQLite two workers may pick the same due rows; the one whose claim then finds them
    # taken must take the next ones, not report "nothing due" with 20 messages waiting
    ids = [queue(f"user{number}@example.test", f"Message {number}") for number in range(40)]
    with app.app_context():
        engine = db.database().engine
        interleaved = []

        def other_worker_first(connection, cursor, statement, *_):
            if statement.startswith("UPDATE outbox_emails") and not interleaved:
                interleaved.append(True)
                with engine.connect() as other:  # the other worker claims the same 20 rows
                    other.execute(update(OutboxEmail).where(OutboxEmail.id.in_(ids[:20]))
                                  .values(claimed_by="other", claimed_until=utcnow()
                                          + timedelta(minutes=5)))
                    other.commit()

        event.listen(engine, "before_cursor_execute", other_worker_first)
        try:
            claimed = outbox.claim_due("this", utcnow(), 20)
        finally:
            event.remove(engine, "before_cursor_execute", other_worker_first)
        assert interleaved and [message.id for message in claimed] == ids[20:]
