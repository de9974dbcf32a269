"""Delivering the outbox through SMTP (``KB_SMTP_URL``), in batches, by any number of workers.

What "never lost, never twice" means here. Every message has an idempotency key, sent as its
``Message-ID``. A worker takes due messages under a lease (``claim_due``); for each one it opens
the SMTP envelope (MAIL FROM, RCPT TO), then records ``sending`` (an attempt), then sends the
content (DATA), then records ``sent``. So:

- A worker that stops before ``sending`` has handed nothing over: when its lease expires
  another worker takes the message, which arrives once.
- A worker that lost its lease to another (it was too slow) finds the message no longer its
  own at ``sending`` and leaves it alone: only one worker ever reaches DATA for a message.
- A message found ``sending`` with an expired lease may or may not have been accepted (the
  worker stopped between DATA and recording the answer), and a connection lost during DATA
  leaves the same doubt. It is not resent automatically: it is marked ``failed`` with that
  explanation, for staff to see and resend (``kb outbox retry``) with the same Message-ID,
  by which receiving systems recognise a duplicate.

Thus each message is handed to SMTP at most once by kb, and every message not caught in that
narrow window is delivered: refusals and outages are retried with exponential backoff until
``OUTBOX_MAX_ATTEMPTS``, and a permanent refusal (a 5xx reply to the message) fails it at once.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlparse

from flask import current_app
from markupsafe import Markup

from kb.alerts import addresses, outbox
from kb.alerts.mail_body import html_paragraph
from kb.alerts.models import OutboxEmail
from kb.db import utcnow

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
TRUE_WORDS = {"1", "true", "yes", "on"}
URL_HEADERS = {"list-unsubscribe"}
# RFC 5322's hard limit: a header of <URL>s is written on one line up to it
UNFOLDED = email_policy.SMTP.clone(max_line_length=998)


class _SmtpPolicy(EmailPolicy):
    """SMTP's policy, except that a header of <URL>s is never encoded: folding a line longer
    than 78 characters with no space in it writes RFC 2047 encoded words, which RFC 2369 does
    not allow there, and mail clients then offer no unsubscribe button."""

    def fold_binary(self, name, value):
        if name.lower() in URL_HEADERS:
            return UNFOLDED.fold_binary(name, value)
        return super().fold_binary(name, value)


SMTP_POLICY = _SmtpPolicy(linesep="\r\n")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str = ""
    password: str = ""


def smtp_server(url: str) -> SmtpServer:
    """``smtp://host:port``, ``smtps://host:port`` (TLS from the start) or
    ``smtp://user:password@host:port?starttls=1`` (upgrade to TLS, then sign in)."""
    parts = urlparse(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"KB_SMTP_URL must look like smtp://host:port or smtps://host:port, "
                         f"not {_without_password(url)!r}")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ValueError("KB_SMTP_URL must look like smtp://host:port or smtps://host:port "
                         "(its port is not a number from 0 to 65535)") from None
    starttls = parse_qs(parts.query).get("starttls", [""])[0].lower() in TRUE_WORDS
    return SmtpServer(host=parts.hostname, port=port,
                      implicit_tls=parts.scheme == "smtps", starttls=starttls,
                      username=unquote(parts.username or ""),
                      password=unquote(parts.password or ""))


def _without_password(url: str) -> str:
    """``url`` with what comes before its host's ``@`` hidden: it may hold the password."""
    if "@" not in url:
        return url
    head, _, host = url.rpartition("@")
    scheme, slashes, _ = head.partition("//")
    return f"{scheme}{slashes}...@{host}" if slashes else f"...@{host}"


def connect(server: SmtpServer) -> smtplib.SMTP:
    timeout = current_app.config["SMTP_TIMEOUT"]
    if server.implicit_tls:
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout,
                                      context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=timeout)
    try:
        if server.starttls:
            connection.starttls(context=ssl.create_default_context())
        if server.username:
            connection.login(server.username, server.password)
    except BaseException:
        connection.close()
        raise
    return connection


def build_message(message: OutboxEmail) -> EmailMessage:
    """The e-mail as it leaves: plain text and HTML alternatives, unsubscribe headers."""
    email = EmailMessage()
    email["From"] = addresses.sender_of(message)
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    context = {"message": message, "portal_name": addresses.portal_name(),
               "html_body": Markup(message.body_html),  # noqa: S704 - sanitised when queued
               "paragraphs": [html_paragraph(text) for text in _paragraphs(message.body)]}
    email.set_content(_render("mail/message.txt", context))
    email.add_alternative(_render("mail/message.html", context), subtype="html")
    for attachment in outbox.attachments_of(message):
        _attach(email, attachment)
    return email


def _attach(email: EmailMessage, attachment) -> None:
    maintype, _, rest = attachment.content_type.partition("/")
    subtype, *parameters = [part.strip() for part in rest.split(";")]
    params = dict(parameter.split("=", 1) for parameter in parameters if "=" in parameter)
    email.add_attachment(attachment.content.encode(), maintype=maintype, subtype=subtype,
                         filename=attachment.filename, params=params)


def _render(template: str, context: dict) -> str:
    # the app's Jinja environment without the page context processors, which need a request
    return current_app.jinja_env.get_template(template).render(context)


def _paragraphs(body: str) -> list[str]:
    return [part.strip("\n") for part in re.split(r"\n\s*\n", body) if part.strip()]


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    interrupted: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed

    def add(self, other: Report) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.interrupted += other.interrupted
        self.errors += other.errors


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def drain(worker: str, batch_size: int = 20) -> Report:
    """Deliver every message due when the call began, batch by batch (a retry it schedules
    itself waits for the next call), and fail interrupted ones. Needs ``KB_SMTP_URL``."""
    server = smtp_server(current_app.config["SMTP_URL"])
    due_by = utcnow()
    report = Report(interrupted=outbox.fail_interrupted())
    while batch := outbox.claim_due(worker, due_by, batch_size):
        report.add(_deliver_batch(server, worker, batch))
    return report


def _deliver_batch(server: SmtpServer, worker: str, batch: list[OutboxEmail]) -> Report:
    report = Report()
    try:
        connection = connect(server)
    except (OSError, smtplib.SMTPException) as problem:
        for message in batch:
            _release(report, message, worker, f"SMTP server unreachable: {problem}")
        return report
    with connection:
        for position, message in enumerate(batch):
            if not _deliver_one(report, connection, message, worker):
                for unsent in batch[position + 1:]:
                    _release(report, unsent, worker, "SMTP connection lost")
                break
    return report


def _deliver_one(report: Report, connection: smtplib.SMTP, message: OutboxEmail,
                 worker: str) -> bool:
    """Deliver one claimed message; False when the connection is no longer usable."""
    try:
        content = build_message(message).as_bytes(policy=SMTP_POLICY)
    except Exception as problem:  # noqa: BLE001 - it fails alone; the others still go out
        log.exception("outbox message #%s could not be built", message.id)
        _release(report, message, worker, f"The message could not be built: {problem}",
                 permanent=True)
        return True
    try:
        _open_envelope(connection, message)
    except smtplib.SMTPResponseException as refusal:
        _release(report, message, worker, _describe(refusal), permanent=refusal.smtp_code >= 500)
        return _reset(connection)
    except (OSError, smtplib.SMTPException) as problem:
        _release(report, message, worker, f"SMTP connection lost: {problem}")
        return False
    if not outbox.mark_sending(message, worker):
        return _reset(connection)
    try:
        code, reply = connection.data(content)
    except (OSError, smtplib.SMTPException) as problem:
        _release(report, message, worker, f"Connection lost while sending the content, which "
                 f"may have arrived; not sent again automatically: {problem}", permanent=True,
                 counted=True)
        return False
    if code != 250:
        refusal = smtplib.SMTPResponseException(code, reply)
        _release(report, message, worker, _describe(refusal), permanent=code >= 500,
                 counted=True)
        return _reset(connection)
    outbox.mark_sent(message, worker)
    report.sent += 1
    return True


def _open_envelope(connection: smtplib.SMTP, message: OutboxEmail) -> None:
    connection.ehlo_or_helo_if_needed()
    code, reply = connection.mail(addresses.sender_address_of(message))
    if code != 250:
        raise smtplib.SMTPResponseException(code, reply)
    code, reply = connection.rcpt(message.recipient)
    if code not in (250, 251):
        raise smtplib.SMTPResponseException(code, reply)


def _reset(connection: smtplib.SMTP) -> bool:
    try:
        connection.rset()
    except (OSError, smtplib.SMTPException):
        return False
    return True


def _release(report: Report, message: OutboxEmail, worker: str, error: str, *,
             permanent: bool = False, counted: bool = False) -> None:
    outbox.release_unsent(message, worker, error, permanent=permanent, counted=counted)
    if message.status == "failed":
        report.failed += 1
    else:
        report.retried += 1
    report.errors.append(f"#{message.id} to {message.recipient}: {error}")


def _describe(refusal: smtplib.SMTPResponseException) -> str:
    reply = refusal.smtp_error
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return f"SMTP server answered {refusal.smtp_code} {text}"
