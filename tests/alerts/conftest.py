"""A real SMTP server on loopback (aiosmtpd) that keeps what arrives, and helpers to queue
e-mail and to run ``kb outbox run`` in processes of its own."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from kb import db
from kb.products import service as products
from tests.alerts.critical_helpers import ERP
from tests.conftest import REPO_ROOT

KB_COMMAND = [sys.executable, "-m", "kb.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: records every accepted message; tests may refuse recipients or
    act (e.g. kill a worker) when a recipient is named or a message's content arrives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelope_senders: list[str] = []  # the MAIL FROM of each message, in order
        self.refused: dict[str, str] = {}
        self.on_recipient: Callable[[str], None] | None = None
        self.on_content: Callable[[EmailMessage], None] | None = None
        self.arrived = threading.Condition()
        # hold every recipient until this many connections have named one (workers overlap)
        self.meet_connections = 0
        self.connections: set = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        await self._meet(session)
        if self.on_recipient:
            self.on_recipient(address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def _meet(self, session) -> None:
        self.connections.add(session.peer)
        deadline = asyncio.get_running_loop().time() + 60
        while (len(self.connections) < self.meet_connections
               and asyncio.get_running_loop().time() < deadline):
            await asyncio.sleep(0.05)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        with self.arrived:
            self.messages.append(message)
            self.envelope_senders.append(envelope.mail_from)
            self.arrived.notify_all()
        if self.on_content:
            self.on_content(message)
        return "250 Message accepted for delivery"

    def to(self, recipient: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == recipient]

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]

    def wait_for(self, count: int, timeout: float = 60) -> None:
        """Block until ``count`` messages arrived (a background sender is at work)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        assert len(self.messages) >= count, f"only {len(self.messages)} message(s) arrived"


class SmtpServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A stopped SMTP server on a free port: ``start()`` it (or leave it down)."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server, app):
    """The running SMTP server, with the app's KB_SMTP_URL pointing at it."""
    smtp_server.start()
    app.config["SMTP_URL"] = smtp_server.url
    return smtp_server


@pytest.fixture
def queue(app):
    """Queue and commit an e-mail: queue(recipient, subject, body, **keywords) -> row id."""
    from kb import db
    from kb.mail import queue_email

    def make(recipient: str, subject: str = "Hello", body: str = "Body", **keywords):
        with app.app_context():
            message = queue_email(recipient, subject, body, **keywords)
            db.session.commit()
            return message.id if message else None

    return make


@pytest.fixture
def outbox_row(app):
    """The outbox row with this id, read afresh."""
    from kb import db
    from kb.alerts.models import OutboxEmail

    def read(message_id: int) -> OutboxEmail:
        with app.app_context():
            return db.session.get(OutboxEmail, message_id)

    return read


@pytest.fixture
def outbox_process(app):
    """Start ``kb outbox run --once`` (or without ``--once``: ``once=False``) in a process of
    its own on the app's database."""

    def start(smtp_url: str, once: bool = True, **settings: str) -> subprocess.Popen:
        environment = {
            **os.environ, "KB_DATA_DIR": app.config["DATA_DIR"],
            "KB_DATABASE_URL": app.config["DATABASE_URL"],
            "KB_SECRET_KEY": app.config["SECRET_KEY"], "KB_SMTP_URL": smtp_url,
            **{f"KB_{name}": value for name, value in settings.items()},
        }
        arguments = ["outbox", "run", "--once"] if once else ["outbox", "run"]
        return subprocess.Popen([*KB_COMMAND, *arguments], env=environment,
                                cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)

    return start


@pytest.fixture
def catalogue(app, demo_accounts):
    """Orbit ERP 11.1 and 12.0, and Orbit Analytics."""
    with app.app_context():
        erp = products.ensure_product(ERP)
        products.ensure_version(erp, "11.1")
        products.ensure_version(erp, "12.0")
        products.ensure_product("Orbit Analytics")
        db.session.commit()
