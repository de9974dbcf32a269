"""What an import did and what it found wrong, as it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kb.articles.importing.source_files import SourceFile

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    """What an import did: slugs per outcome, and ``PATH:LINE: what is wrong`` per problem."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ExistingItem:
    id: int
    slug: str
    source_path: str
    source_hash: str | None
    status: str


def fail(report: ImportReport, source: SourceFile, line: int, message: str) -> None:
    source.failed = True
    report.errors.append(f"{source.shown}:{line}: {message}")
