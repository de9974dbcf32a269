"""Page numbers and page sizes read from request arguments, the same way on every list."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kb.errors import Invalid

# far beyond any list, and small enough that every offset is an ordinary database integer
MAX_PAGE = 1_000_000
# a negative number is a whole number too: out of range, and told so as 0 is
WHOLE_NUMBER = re.compile(r"(-?)([0-9]+)")
# longer numbers are simply "too large" (and int() refuses thousands of digits)
MOST_DIGITS = 18


def _whole_number(arguments: Mapping[str, str], name: str, default: int) -> int:
    raw = arguments.get(name, "").strip()
    if raw == "":
        return default
    number = WHOLE_NUMBER.fullmatch(raw)
    if not number:
        raise Invalid(f"{name} must be a whole number, not {raw[:40]!r}.")
    sign, digits = number.groups()
    size = int(digits) if len(digits) <= MOST_DIGITS else 10**MOST_DIGITS
    return -size if sign else size


def page_number(arguments: Mapping[str, str], name: str = "page") -> int:
    """The page asked for, from 1 (the default) to ``MAX_PAGE``; anything else is refused
    with a message that says so. A page past the last is the lists' business (an empty page)."""
    page = _whole_number(arguments, name, 1)
    if not 1 <= page <= MAX_PAGE:
        raise Invalid(f"{name} must be from 1 to {MAX_PAGE}.")
    return page


def page_size(arguments: Mapping[str, str], default: int, maximum: int,
              name: str = "per_page") -> int:
    """Items per page: ``default`` when not given, at least 1, and at most ``maximum``
    (a larger number asks for the largest page)."""
    size = _whole_number(arguments, name, default)
    if size < 1:
        raise Invalid(f"{name} must be 1 or more.")
    return min(size, maximum)
