"""How product and version names become slugs and sort keys. No imports from kb, so that any
area (search included) may use them without an import loop."""

from __future__ import annotations

import re


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


def version_sort_key(name: str) -> str:
    """A string that sorts versions naturally: '9.1' < '10.0' < '10.0.1'."""
    parts = re.split(r"(\d+)", name.lower())
    return "".join(part.zfill(8) if part.isdigit() else part for part in parts)
