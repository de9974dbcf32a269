"""What a publisher says about a patch, and reading it from text: the browser form, the API and
the command line fill the same ``PatchDetails`` with the same parsers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from kb import plans
from kb.errors import Invalid

# "- ", "* ", "+ " or "1. " / "1) " before an issue, as when a list is pasted from Markdown
LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?=\s|$)")
# an issue identifier starts with a letter, a digit or # (ERP-4711, 4711, #4711)
IDENTIFIER = re.compile(r"^[\w#]")


@dataclass
class PatchDetails:
    """What a publisher says about a patch (browser form, API, command line)."""

    product: str
    title: str
    versions: list[str] = field(default_factory=list)  # "11.1", or a range "11.0..12.0"
    kind: str = "patch"
    summary: str = ""
    description: str = ""
    prerequisites: str = ""
    install_notes: str = ""
    known_issues: str = ""
    released_on: date | None = None
    min_plan: str = plans.LOWEST_PLAN
    fixed_issues: list[tuple[str, str]] = field(default_factory=list)
    supersedes: list[int] = field(default_factory=list)
    release_notes: list[str] = field(default_factory=list)  # slugs of release notes


def parse_fixed_issues(text: str) -> list[tuple[str, str]]:
    """Lines "ERP-4711: text" (or "ERP-4711 text") as (identifier, text) pairs; a Markdown list
    marker before the identifier ("- ", "* ", "+ ", "1. ") is dropped. ``Invalid`` names a
    line that has no identifier (a marker or punctuation alone)."""
    issues = []
    for line in (text or "").splitlines():
        line = LIST_MARKER.sub("", line.strip(), count=1).strip()
        if not line:
            continue
        identifier, _, rest = line.replace(":", " ", 1).partition(" ")
        if not IDENTIFIER.match(identifier):
            raise Invalid(f"Fixed issues: the line “{line}” does not start with an issue "
                          "identifier. Write one issue a line as ERP-4711: what was fixed.")
        issues.append((identifier.strip()[:60], rest.strip()))
    return issues


def issue_line(identifier: str, text: str) -> str:
    """A fixed issue as a publisher types it. One stored garbled (``garbled_issue``) comes
    back as it was typed, so that saving the edit form repairs it."""
    if garbled_issue(identifier):
        return f"{identifier} {text}".strip()
    return f"{identifier}: {text}".strip()


def garbled_issue(identifier: str) -> bool:
    """Whether a stored fixed issue came from a Markdown list before list markers were read:
    its identifier is the marker ("-", "1."), its text the real identifier and text."""
    return bool(LIST_MARKER.fullmatch(identifier))


def repaired_issue(identifier: str, text: str) -> list[tuple[str, str]]:
    """A garbled issue as saving the edit form stores it: read anew from the line it was typed
    as, one issue (none for a marker alone). ``Invalid`` when that line has no identifier."""
    return parse_fixed_issues(issue_line(identifier, text))


def split_list(text: str) -> list[str]:
    return [item.strip() for item in (text or "").replace("\n", ",").split(",") if item.strip()]


def parse_patch_ids(text: str) -> list[int]:
    """'12, #14' (comma- or line-separated ids, '#' optional) as ids: how the page and the API
    both read the patches a new one supersedes. ``Invalid`` for anything else."""
    try:
        return [int(item) for item in split_list((text or "").replace("#", ""))]
    except ValueError as error:
        raise Invalid(f"Bad value: {error}") from None


def details_from_text(values: Mapping[str, str], versions: Iterable[str],
                      released_on: date | None) -> PatchDetails:
    """The details as a publisher typed them, the same way for the page's form and the API's
    form fields: ``versions`` are entries of comma-separated versions or ranges; fixed issues
    one a line; superseded patches and release notes comma- or line-separated."""
    return PatchDetails(
        product=values.get("product", ""), title=values.get("title", ""),
        versions=[version for entry in versions for version in split_list(entry)],
        kind=values.get("kind", "patch"), summary=values.get("summary", ""),
        description=values.get("description", ""),
        prerequisites=values.get("prerequisites", ""),
        install_notes=values.get("install_notes", ""),
        known_issues=values.get("known_issues", ""), released_on=released_on,
        min_plan=values.get("min_plan", plans.LOWEST_PLAN),
        fixed_issues=parse_fixed_issues(values.get("fixed_issues", "")),
        supersedes=parse_patch_ids(values.get("supersedes", "")),
        release_notes=split_list(values.get("release_notes", "")),
    )
