"""A meeting's place as typed by staff ("Teams: https://...", "Room 4.12"): its web addresses
become links, everything else stays text."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]"  # punctuation after an address in a sentence is not part of it


def with_web_links(text: str) -> Markup:
    """``text`` escaped, each http(s) address in it a link that opens the address."""
    parts, start = [], 0
    for found in WEB_ADDRESS.finditer(text or ""):
        address = found.group().rstrip(TRAILING)
        end = found.start() + len(address)
        parts += [escape(text[start:found.start()]),
                  Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(address)]
        start = end
    parts.append(escape((text or "")[start:]))
    return Markup("").join(parts)
