"""One content file: Markdown with optional YAML front matter, read into ``ArticleFields``.

Tolerates what real documentation sets contain (a byte-order mark, CRLF, a front-matter block
indented as a whole, an unquoted ``: `` inside a value, keys kb does not know) and reports what
is truly wrong as ``(line, message)`` pairs with the line of the offending key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from kb import plans
from kb.articles.fields import ArticleFields
from kb.articles.importing.front_matter import (
    Entry,
    FrontMatterError,
    load_front_matter,
    read_text,
    split_front_matter,
)
from kb.articles.models import KINDS, STATUSES, TYPES

# keys of the CONTRACT; every other key is kept in ``extra``
LIST_KEYS = ("products", "versions", "tags")
TEXT_KEYS = ("title", "slug", "summary", "product", "version")
# the longest name the database keeps for a product, a version and a tag
# (a version may be qualified by its product's name: "Orbit ERP 12.0")
NAME_LIMITS = {"products": 200, "product": 200, "versions": 261, "version": 60, "tags": 80}
KNOWN_KEYS = {
    "type", "title", "slug", "summary", "kind", "products", "versions", "tags", "min_plan",
    "critical", "status", "published", "product", "version", "released", "highlights",
}
TITLE_SUFFIX = re.compile(r"\s*\|\s*Microsoft Docs\s*$", re.IGNORECASE)
US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
ATX_HEADING_1 = re.compile(r"^ {0,3}#(?!#)[ \t]*(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


@dataclass
class FileProblem:
    line: int
    message: str


@dataclass
class ContentFile:
    """A parsed file. ``fields.title`` is empty when the front matter has none: the importer
    takes the first heading of the assembled body, else ``fallback_title``."""

    path: Path
    fields: ArticleFields
    explicit_slug: bool = False
    fallback_title: str = ""
    # the line of the file the body starts on, after the front matter
    body_line: int = 1
    # the products ``versions:`` names when it lists versions by product
    version_products: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def parse_content_file(path: Path, relative: str) -> ContentFile:
    """Read one content file; problems are collected, never raised."""
    fields = ArticleFields(title="")
    parsed = ContentFile(path=path, fields=fields, fallback_title=_title_from_file_name(relative))
    try:
        text = read_text(path)
    except UnicodeDecodeError as error:
        parsed.problems.append(FileProblem(1, f"not UTF-8 text ({error.reason})"))
        return parsed
    try:
        block, first_line, fields.body, parsed.body_line = split_front_matter(text)
        entries = load_front_matter(block, first_line) if block is not None else {}
    except FrontMatterError as error:
        parsed.problems.append(FileProblem(error.line, error.message))
        return parsed
    _fill_fields(parsed, entries)
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


def _fill_fields(parsed: ContentFile, entries: dict[str, Entry]) -> None:
    fields = parsed.fields

    def problem(key: str, message: str) -> None:
        parsed.problems.append(FileProblem(entries[key].line, message))

    for key, entry in entries.items():
        if key in KNOWN_KEYS:
            try:
                _apply_known_key(parsed, key, entry)
            except ValueError as error:
                problem(key, str(error))
        else:
            fields.extra[key] = json_safe(entry.value)
    unlisted = [name for name in parsed.version_products
                if name.casefold() not in {product.casefold() for product in fields.products}]
    if unlisted:
        problem("versions", f"'versions' names {unlisted[0]!r}, which 'products' does not list")
    if fields.published is None and "published" not in entries:
        fields.published = _us_date(fields.extra.get("ms.date"))
    if not fields.summary:
        fields.summary = _default_summary(fields)
    if fields.type == "release-note" and not fields.product:
        parsed.problems.append(FileProblem(
            entries["type"].line if "type" in entries else 1,
            "a release note needs 'product:' (and usually 'version:' and 'released:')"))


def _apply_known_key(parsed: ContentFile, key: str, entry: Entry) -> None:
    fields = parsed.fields
    if key in TEXT_KEYS:
        value = _text(key, entry)
        if key == "title":
            fields.title = TITLE_SUFFIX.sub("", value)
        elif key == "slug":
            fields.slug, parsed.explicit_slug = value, bool(value)
        elif key in ("product", "version"):
            setattr(fields, key, _checked_names(key, [value])[0] or None)
        else:
            setattr(fields, key, value)
    elif key == "versions" and isinstance(entry.node, yaml.MappingNode):
        fields.versions = _checked_names(key, _versions_by_product(entry))
        parsed.version_products = [str(node.value).strip() for node, _ in entry.node.value]
    elif key in LIST_KEYS:
        setattr(fields, key, _checked_names(key, _text_list(key, entry)))
    elif key == "type":
        fields.type = _choice(key, entry, TYPES)
    elif key == "kind":
        fields.kind = _choice(key, entry, KINDS) if entry.value not in (None, "") else None
    elif key == "status":
        fields.status = _choice(key, entry, STATUSES)
    elif key == "min_plan":
        fields.min_plan = _choice(key, entry, plans.PLANS)
    elif key == "critical":
        fields.critical = _boolean(key, entry.value)
    elif key == "published":
        fields.published = _date(key, entry.value)
        # a date in the future schedules the publication
        fields.publish_at = datetime.combine(fields.published, time.min, tzinfo=UTC)
    elif key == "released":
        fields.released_on = _date(key, entry.value)
    elif key == "highlights":
        fields.highlights = _highlights(entry.value)


def _text(key: str, entry: Entry) -> str:
    """A scalar as written (so that version 12.10 stays '12.10', not the number 12.1)."""
    if entry.value is None:
        return ""
    if isinstance(entry.node, yaml.ScalarNode):
        return str(entry.node.value).strip()
    if isinstance(entry.value, (str, int, float)):
        return str(entry.value).strip()
    raise ValueError(f"'{key}' must be a single value, not a list or a mapping")


def _text_list(key: str, entry: Entry) -> list[str]:
    if entry.value is None:
        return []
    if isinstance(entry.node, yaml.SequenceNode):
        items = []
        for item in entry.node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise ValueError(f"'{key}' must be a list of names")
            items.append(str(item.value).strip())
        return [item for item in items if item]
    if isinstance(entry.value, (str, int, float)):
        return [part.strip() for part in str(_text(key, entry)).split(",") if part.strip()]
    raise ValueError(f"'{key}' must be a list of names, like [a, b]")


def _versions_by_product(entry: Entry) -> list[str]:
    """``versions: {Orbit ERP: ["12.0"], Orbit Analytics: ["2026.1"]}`` as qualified names
    ("Orbit ERP 12.0"); each product named here must also be in ``products``."""
    names = []
    for product_node, versions_node in entry.node.value:
        product = str(product_node.value).strip()
        versions = versions_node.value if isinstance(versions_node, yaml.SequenceNode) \
            else [versions_node]
        for version in versions:
            if not isinstance(version, yaml.ScalarNode) or not str(version.value).strip():
                raise ValueError("'versions' by product must look like "
                                 "{Orbit ERP: [\"12.0\"], Orbit Analytics: [\"2026.1\"]}")
            names.append(f"{product} {str(version.value).strip()}")
    return names


def _checked_names(key: str, names: list[str]) -> list[str]:
    for name in names:
        if len(name) > NAME_LIMITS[key]:
            raise ValueError(f"'{key}': {name[:40]!r}... is longer than {NAME_LIMITS[key]}"
                             " characters")
    return names


def _choice(key: str, entry: Entry, allowed: tuple[str, ...]) -> str:
    value = str(entry.value or "").strip().lower()
    if value not in allowed:
        raise ValueError(f"unknown {key} {entry.value!r}: use one of {', '.join(allowed)}")
    return value


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0", "", "none"):
        return False
    raise ValueError(f"'{key}' must be true or false, not {value!r}")


def _date(key: str, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = _us_date(value)
    if parsed is None:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(
                f"'{key}' is not a date: {value!r} (write YYYY-MM-DD, e.g. 2026-01-31)"
            ) from None
    return parsed


def _us_date(value: Any) -> date | None:
    """``MM/DD/YYYY`` (``ms.date``), with or without zero padding; None if not such a date."""
    match = US_DATE.match(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _highlights(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(f"- {item}" for item in value if item is not None)
    return "" if value is None else str(value).strip()


def _default_summary(fields: ArticleFields) -> str:
    description = fields.extra.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    if fields.type == "release-note" and fields.highlights:
        return "; ".join(line.removeprefix("- ").strip()
                         for line in fields.highlights.split("\n") if line.strip())
    return ""


def json_safe(value: Any) -> Any:
    """A front-matter value as JSON can store it (dates become ISO text)."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def first_heading(body: str) -> str:
    """The text of the first ``# `` heading, without Markdown emphasis or code marks."""
    match = ATX_HEADING_1.search(body)
    if not match:
        return ""
    return re.sub(r"[*_`]+", "", match.group(1)).strip()


def _title_from_file_name(relative: str) -> str:
    stem = Path(relative).stem
    words = re.sub(r"[-_\s]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else stem
