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


def sender() -> str:
    """The From header: MAIL_FROM, or the portal's name at noreply@ the portal's host."""
    configured = current_app.config["MAIL_FROM"]
    if configured:
        return configured
    return formataddr((portal_name(), f"noreply@{mail_domain()}"))


def sender_address() -> str:
    """The bare address of the sender (the SMTP envelope's MAIL FROM)."""
    return parseaddr(sender())[1]


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
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host
    return "localhost"


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
