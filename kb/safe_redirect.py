"""Redirect targets that only ever stay on this site."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ``//host``, ``/\\host`` (browsers read the backslash
    as a slash), other schemes, control characters, and the same tricks percent-encoded."""
    if not target or len(target) > 2000:
        return None
    decoded = target
    for _ in range(4):  # look through repeated percent-encoding
        if not _is_local_path(decoded):
            return None
        again = unquote(decoded)
        if again == decoded:
            return target
        decoded = again
    return None


def _is_local_path(candidate: str) -> bool:
    if _CONTROL.search(candidate) or "\\" in candidate:
        return False
    if not candidate.startswith("/") or candidate.startswith("//"):
        return False
    parts = urlsplit(candidate)
    return not parts.scheme and not parts.netloc
