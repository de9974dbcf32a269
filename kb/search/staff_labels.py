"""What staff are told beside a search result that customers do not see: staff find every
item, so a draft, a scheduled article, a withdrawn patch or an item kept to an early-adopter
programme says so. Read from the items' own gates (``kb.gating``), never from the index."""

from __future__ import annotations

from collections import defaultdict

from kb import db
from kb.db import utcnow
from kb.gating import Gated
from kb.search.documents import content_type
from kb.search.results import Hit
from kb.time_zones import local_time

# the content type whose rows a hit's type is (release notes are rows of the articles' table)
CONTENT_TYPE_OF = {"release-note": "article"}
STATUS_NAMES = {"review": "In review"}


def state_labels(hits: list[Hit]) -> dict[str, str]:
    """By hit key, the state of each hit's item that keeps it from customers (or from most of
    them); hits customers see alike have none."""
    wanted: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        wanted[CONTENT_TYPE_OF.get(hit.type, hit.type)].append(hit)
    labels = {}
    for type_name, of_type in wanted.items():
        found = content_type(type_name)
        rows = found.rows(db.session, [hit.item_id for hit in of_type]) if found else {}
        for hit in of_type:
            label = state_label(rows[hit.item_id]) if hit.item_id in rows else None
            if label:
                labels[hit.key] = label
    return labels


def state_label(item: Gated) -> str | None:
    """"Withdrawn", "Draft", "Scheduled for <time>", "Early access: <programme>", or None for
    an item every customer whose plan reaches it sees."""
    start = item.visible_from
    if start is None:  # a draft, or taken back (a withdrawn patch)
        return STATUS_NAMES.get(item.status, item.status.capitalize())
    if start > utcnow():
        return f"Scheduled for {local_time(start)}"
    programme = getattr(item, "programme", None)
    return f"Early access: {programme.title}" if programme is not None else None
