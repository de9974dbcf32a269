"""Who e-mail comes from, and the domain of its Message-IDs."""

from __future__ import annotations

import ipaddress
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from urllib.parse import urlparse

from flask import current_app

from kb.config import ConfigurationError
from kb.links import base_url


def portal_name() -> str:
    return current_app.config["PORTAL_NAME"]


def sender(domain: str | None = None) -> str:
    """The From header: MAIL_FROM, or the portal's name at noreply@ ``domain``, by default the
    host of the portal's links."""
    configured = current_app.config["MAIL_FROM"]
    if configured:
        return configured
    return formataddr((portal_name(), f"noreply@{domain or mail_domain()}"))


def sender_address(domain: str | None = None) -> str:
    """The bare address of the sender (the SMTP envelope's MAIL FROM)."""
    return parseaddr(sender(domain))[1]


def sender_of(message) -> str:
    """The From of a queued message: its sender at the domain of its Message-ID, the host its
    links were made with when it was queued (a ``kb outbox run`` of its own, not started by
    ``kb serve``, would otherwise take 127.0.0.1 for the portal and send from localhost)."""
    return sender(message.message_id.rstrip(">").rpartition("@")[2])


def sender_address_of(message) -> str:
    return parseaddr(sender_of(message))[1]


def organizer_address() -> str:
    """The organiser of calendar invites: INVITE_ORGANIZER, else the sender's address."""
    return current_app.config["INVITE_ORGANIZER"] or sender_address()


def mail_domain() -> str:
    """The domain of MAIL_FROM, else the host of the portal's links (``localhost`` when that
    is an IP address, which an address or a Message-ID cannot carry bare)."""
    configured = current_app.config["MAIL_FROM"]
    if configured:
        return Address(addr_spec=parseaddr(configured)[1]).domain
    host = urlparse(base_url(for_email=True)).hostname or "localhost"
    return "localhost" if _is_ip_address(host) else host


def sender_warnings() -> list[str]:
    """What is wrong with the sender while e-mail leaves through SMTP: an address at localhost
    or at an IP address, which receiving servers commonly refuse."""
    if not current_app.config["SMTP_URL"]:
        return []
    address = sender_address()
    domain = address.rpartition("@")[2].strip("[]").lower()
    if not (domain == "localhost" or domain.endswith(".localhost") or _is_ip_address(domain)):
        return []
    return [f"E-mail leaves from {address}, an address at {domain}: mail servers commonly "
            "refuse it. Set KB_BASE_URL to the portal's public address (e-mail then comes from "
            "noreply@ its host) or KB_MAIL_FROM to an address of your domain."]


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check_address_setting(name: str, value: str) -> None:
    """``ConfigurationError`` unless ``value`` is empty, an address or ``Name <address>``."""
    if not value:
        return
    address = parseaddr(value)[1]
    try:
        domain = Address(addr_spec=address).domain if "@" in address else ""
    except (ValueError, IndexError):
        domain = ""
    if not domain:
        raise ConfigurationError(f"KB_{name}={value!r} is not an e-mail address: give "
                                 "name@example.com or 'Name <name@example.com>'.")
