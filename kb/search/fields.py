"""The fields of an index document, whatever engine holds it: one document per searchable
item (or per part of one, such as a transcript segment). The content types build documents of
these fields (``kb.search.documents``); each engine maps them to its own schema."""

from __future__ import annotations

from datetime import datetime

# name -> kind: "id" (one exact value), "text" (words, ranked), "keywords" (comma-separated
# values, filters and facets), "datetime", "number", "stored" (kept, never searched)
FIELDS: dict[str, str] = {
    "key": "id",            # "<type>:<id>[#part]": the one true key of a document
    "item_key": "id",       # "<content type>:<id>" of the item: its documents go together
    "type": "id",           # article, release-note, patch, recording, topic, live-session, ...
    "item_id": "id",        # the database id of the item (its parts share it)
    "title": "text",
    "title_prefix": "text",  # the title's words again, for "starts with" autocomplete
    "identifiers": "keywords",  # typed verbatim: slugs, fixed-issue numbers, error codes
    "summary": "text",
    "body": "text",         # plain text of the body (rendered Markdown, includes inlined)
    "products": "keywords",  # product slugs: filter and facet
    "versions": "keywords",  # "product-slug@version": filter and facet
    "kind": "id",           # article kind (how-to, reference, ...) or patch kind
    "tags": "keywords",
    "feature": "id",        # gate: the plan feature reading needs, or a programme's key
    "min_plan": "id",       # gate: the lowest plan that may read the item
    "status": "id",         # gate: "published" reaches customers, anything else only staff
    "visible_from": "datetime",  # gate: when a published item becomes visible to customers
    "updated": "datetime",  # last change of the item, for sorting by date
    "url": "stored",        # where the result opens (#t=95 for a transcript line)
    "position": "number",   # position of a part in its item (transcript line start, seconds)
    "fingerprint": "id",    # hash of the document's fields, for `kb search check`
}

NUMBER_RANGE = (-(2**31), 2**31 - 1)


def check_document(document: dict) -> None:
    """Raise ValueError, naming the field, for a value the index cannot hold: an unknown
    field, a number outside its field's range, a date that is not a datetime, indexed text
    that is not a string. Checked before a document reaches a writer, since an engine may
    fail half-way through adding it."""
    for name, value in document.items():
        if value is None or name.startswith("_"):
            continue
        kind = FIELDS.get(name)
        if kind is None:
            raise ValueError(f"{name!r} is not a field of the index")
        problem = _problem(kind, value)
        if problem:
            raise ValueError(f"field {name!r}: {problem}")


def _problem(kind: str, value: object) -> str | None:
    if kind == "datetime":
        return None if isinstance(value, datetime) else f"{type(value).__name__} is not a datetime"
    if kind == "number":
        low, high = NUMBER_RANGE
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"{value!r} is not a number in [{low}, {high}]"
    if kind == "stored":
        return None
    return None if isinstance(value, str) else f"{type(value).__name__} is not text"
