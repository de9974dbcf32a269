"""Every setting of kb once, with its default.

Order of precedence (lowest first): these defaults, ``KB_DATA_DIR/config.py``, ``KB_*``
environment variables, then the overrides a caller (usually a test) passes to ``create_app``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # where the SQLite database, the search index and stored files live
    "DATA_DIR": "./instance",
    # SQLAlchemy URL; empty means SQLite in DATA_DIR
    "DATABASE_URL": "",
    # where stored files (patch files, recordings, attachments) live: empty, under DATA_DIR;
    # s3://BUCKET/PREFIX, an S3-compatible store (credentials from the usual AWS_* variables)
    "STORAGE_URL": "",
    # the address of an S3-compatible store other than AWS (MinIO, Ceph RGW)
    "S3_ENDPOINT_URL": "",
    # tries of each request to the S3 store before it counts as unavailable (503)
    "S3_MAX_ATTEMPTS": 3,
    # signs sessions and CSRF tokens; generated once into DATA_DIR when empty
    "SECRET_KEY": "",
    # smtp://host:port, smtps://host:port or smtp://user:password@host:port?starttls=1;
    # empty keeps e-mail in the outbox table
    "SMTP_URL": "",
    # seconds to wait for the SMTP server before a delivery attempt counts as failed
    "SMTP_TIMEOUT": 30.0,
    # absolute address links start with; empty: the address a page was requested at, or
    # for e-mail and background work the one `kb serve` was started on
    "BASE_URL": "",
    # set by `kb serve` to the address it listens on (do not set by hand)
    "SERVE_URL": "",
    # the portal's name, in e-mail subjects, senders and calendar invites
    "PORTAL_NAME": "Orbitec Support",
    # sender of e-mail, "Name <address>" or an address; empty: PORTAL_NAME <noreply@host>
    "MAIL_FROM": "",
    # organiser of live-session invites; empty: the address of MAIL_FROM
    "INVITE_ORGANIZER": "",
    # seconds between looks at the outbox by `kb outbox run` and `kb serve`
    "OUTBOX_POLL_SECONDS": 5.0,
    # seconds a worker holds the messages it took; afterwards another worker may take them
    "OUTBOX_LEASE_SECONDS": 300,
    # wait before the first retry of a failed delivery, doubled after each failure...
    "OUTBOX_RETRY_SECONDS": 30,
    # ...up to this many seconds between tries
    "OUTBOX_MAX_RETRY_SECONDS": 3600,
    # delivery attempts before a message is marked failed (about a day with the defaults)
    "OUTBOX_MAX_ATTEMPTS": 30,
    # hour of the day (UTC, 0-23) from which each user's daily digest e-mail is sent
    "DIGEST_HOUR": 7,
    # the organisation's time zone and public holidays ("US", "DE-BY"; "" none) that
    # `kb support target` assumes when not told
    "SUPPORT_TIME_ZONE": "UTC",
    "SUPPORT_HOLIDAYS": "",
    # largest file attached to an incident, a reply or a note, in bytes (413 above it)
    "SUPPORT_MAX_ATTACHMENT_BYTES": 25 * 1024**2,
    # extensions of programs and scripts refused as incident attachments (a program's bytes
    # are refused under any name); "" lets every name through
    "SUPPORT_REFUSED_ATTACHMENT_TYPES": (
        "ade adp apk app appx appxbundle bat chm cmd com command cpl deb diagcab diagcfg "
        "diagpack dll dmg dylib ex_ exe gadget hta img ins inf iso isp jar jnlp js jse ko lib "
        "lnk mde msc msh msi msix msixbundle msp mst nsh pif pkg ps1 psm1 reg rpm run scf scr "
        "sct sh shb so sys url vb vbe vbs vhd vhdx vxd ws wsc wsf wsh xll"),
    # largest image an article shows (uploaded in the editor or imported), in bytes
    "ARTICLE_IMAGE_MAX_BYTES": 5 * 1024**2,
    # an incident whose response is due within this many minutes is "about to breach"
    "SUPPORT_BREACH_WARNING_MINUTES": 60,
    # the support phone lines, "Label: number" separated by ";"; "" none (the portal then
    # tells customers to log an incident instead of showing a number). None by default: a
    # deployment shows only numbers it was given (`kb demo` writes its example numbers into
    # DATA_DIR/config.py)
    "SUPPORT_PHONE_LINES": "",
    # send session cookies over HTTPS only (set when served behind TLS)
    "SECURE_COOKIES": False,
    # number of reverse proxies in front of kb whose X-Forwarded-* headers are trusted
    "PROXY_COUNT": 0,
    # PostgreSQL connections each worker process keeps open, and how many more it may open for
    # a burst (kb serve's 8 request threads and its outbox loop each hold one while working);
    # servers x workers x (pool + overflow) must stay below the server's max_connections
    "DATABASE_POOL_SIZE": 10,
    "DATABASE_MAX_OVERFLOW": 5,
    # largest request body accepted, in bytes (uploads stream to disk below this cap)
    "MAX_UPLOAD_BYTES": 2 * 1024**3,
    # sign-in backoff (README "Sign-in throttling"): failures per account and client address
    # before each further attempt waits, the first wait in seconds (it doubles), the longest
    "SIGN_IN_FREE_FAILURES": 5,
    "SIGN_IN_FIRST_WAIT_SECONDS": 30,
    "SIGN_IN_MAX_WAIT_SECONDS": 900,
    # failures per account from all addresses together before every attempt waits, and the
    # longest such wait in seconds (kept short: it also slows the customer)
    "SIGN_IN_ACCOUNT_FREE_FAILURES": 100,
    "SIGN_IN_ACCOUNT_MAX_WAIT_SECONDS": 60,
    # failures per client address, any accounts, before its attempts wait
    "SIGN_IN_ADDRESS_FREE_FAILURES": 20,
    # staff who sign in without two-step sign-in (an authenticator app) are sent to turn it on
    # and can open nothing else until they have
    "REQUIRE_TWO_STEP_FOR_STAFF": False,
    # how long a password-reset link stays valid, in minutes
    "PASSWORD_RESET_MINUTES": 60,
    # how long the link of an invitation (to choose a first password) stays valid, in days
    "INVITATION_DAYS": 7,
    # reset e-mails per account before further requests for it are dropped for a while (the
    # answer stays the same), and reset requests per client address before they get 429
    "PASSWORD_RESET_FREE_REQUESTS": 3,
    "PASSWORD_RESET_ADDRESS_FREE_REQUESTS": 10,
    # werkzeug password hash method; tests lower the scrypt cost to stay fast
    "PASSWORD_HASH_METHOD": "scrypt",
    # items per page in lists
    "PAGE_SIZE": 20,
    # largest single patch file accepted by a browser or API upload, in bytes (413 above it)
    "PATCH_MAX_FILE_BYTES": 4 * 1024**3,
    # how patch files leave the server: "" (kb sends them), "x-accel-redirect" (nginx) or
    # "x-sendfile" (Apache, lighttpd); kb still checks access and records every download
    "PATCH_SEND_VIA": "",
    # the internal nginx location that maps to DATA_DIR/files, for X-Accel-Redirect
    "PATCH_ACCEL_PREFIX": "/_kb_files/",
    # the search engine: "whoosh" (the embedded default, an index under DATA_DIR/index) or
    # "postgresql" (full-text search inside the PostgreSQL database, for several servers)
    "SEARCH_BACKEND": "whoosh",
    # seconds a change waits for the search index's write lock before it stays queued
    "SEARCH_LOCK_TIMEOUT": 10.0,
    # queued index changes older than this many seconds are retried by any request
    "SEARCH_RETRY_SECONDS": 5,
}

ENVIRONMENT_PREFIX = "KB_"
# set empty in the environment, these mean "none" (an empty list of refused extensions refuses
# no name; a portal without phone lines shows none, even if DATA_DIR/config.py names some);
# any other setting set empty counts as unset, keeping its default
EMPTY_MEANS_NONE = frozenset({"SUPPORT_REFUSED_ATTACHMENT_TYPES", "SUPPORT_PHONE_LINES"})


class ConfigurationError(ValueError):
    """A setting kb cannot run with: ``kb`` commands say it in one line, without a traceback."""


def _coerce(name: str, value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise ConfigurationError(f"{ENVIRONMENT_PREFIX}{name}={value!r} is not {kind} "
                                 f"(default {default}).") from None
    return value


def from_environment(environ: os._Environ | dict[str, str]) -> dict[str, Any]:
    """The settings given as ``KB_<NAME>`` environment variables, typed like their defaults."""
    found = {}
    for name, default in DEFAULTS.items():
        raw = environ.get(ENVIRONMENT_PREFIX + name)
        if raw is None or (raw == "" and name not in EMPTY_MEANS_NONE):
            continue
        found[name] = _coerce(name, raw, default)
    return found


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'kb.sqlite3'}"


def load_or_create_secret_key(data_dir: Path) -> str:
    """The secret key kept in DATA_DIR, created on first use with owner-only permissions."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker process created it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
