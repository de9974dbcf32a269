"""What people type, before any engine reads it: the filters they may type (``product:``,
``version:``, ``kind:``, ``type:``), which are cut out first and only ever narrow, and the plain
words of a query without its syntax."""

from __future__ import annotations

import re

# typed filters: `product:orbit-erp`, `type:release-note`, `version:"12.0"`, `kind:how-to`
TYPED_FILTER = re.compile(r'(?i)(?<![\w:])(product|version|kind|type):(?:"([^"]*)"|([^\s"]+))')
# a prefix needs two characters before the star; shorter stars are dropped
SHORT_PREFIX = re.compile(r"(?<!\w)(\w?)\*+")
OPERATORS = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()\"'*^~:]")
# a dotted word with digits in each part is a version (12.0, 2026.1, 10.0.17763, v2.1): every
# engine finds it whole and by its parts and leading versions (``version_parts``)
VERSION_PATTERN = r"\w*\d\w*(?:\.\w*\d\w*)+"
VERSION = re.compile(VERSION_PATTERN)
PART = re.compile(r"\w+")


def split_typed_filters(text: str) -> tuple[str, dict[str, list[str]]]:
    """Cut ``product:``/``version:``/``kind:``/``type:`` filters out of the typed text. An
    empty one (``type:""``) is cut out and narrows nothing, like an empty filter picked."""
    found: dict[str, list[str]] = {}

    def take(match: re.Match) -> str:
        quoted, bare = match.group(2), match.group(3)
        value = (quoted if quoted is not None else bare).strip()
        if value:
            found.setdefault(match.group(1).lower(), []).append(value)
        return " "

    return TYPED_FILTER.sub(take, text), found


def clean(text: str) -> str:
    return SHORT_PREFIX.sub(r"\1", text).strip()


def plain_words(text: str) -> str:
    """The words of a query without any syntax (the fallback for what cannot be parsed)."""
    return " ".join(OPERATORS.sub(" ", text).split())


def version_parts(word: str) -> list[str]:
    """What a version is also found by: its parts and its shorter leading versions
    ("12.4.1": "12", "4", "1", "12.4", so that "12.4" finds 12.4.1); none for a plain word."""
    if "." not in word:
        return []
    parts = PART.findall(word)
    leading = [".".join(parts[:count]) for count in range(2, len(parts))]
    return list(dict.fromkeys([*parts, *leading]))
