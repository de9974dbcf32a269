"""Reading a front-matter block: its text from a file, and its keys with the line of each.

YAML as written by real documentation teams: the whole block may be indented, and a value with
an unquoted ``: `` (``title: Troubleshooting: Slow posting``) is read as text; anything else
YAML rejects raises ``FrontMatterError`` naming the line."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# libyaml when available: front matter is read for every file on every import
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FALLBACK_KEY = re.compile(r"^([^\s#'\"\-][^\s]*?):(?:\s+(.*))?$")


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass
class Entry:
    """One front-matter key: its line in the file, its YAML node (for values as written) and
    its value as YAML reads it."""

    line: int
    node: yaml.Node | None
    value: Any


def read_text(path: Path) -> str:
    """The file's text without a byte-order mark, with LF line endings."""
    text = path.read_bytes().decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(front-matter block or None, its first line number, body, the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    raise FrontMatterError(1, "the front matter opened by '---' is never closed by a '---' line")


def load_front_matter(block: str, first_line: int) -> dict[str, Entry]:
    """The front matter's keys with their file line numbers. An unquoted ``: `` inside a value
    is tolerated; anything else YAML rejects is a ``FrontMatterError`` at the line it names."""
    block = textwrap.dedent(block)
    try:
        return _load_mapping(block, first_line)
    except yaml.YAMLError as error:
        line = first_line + _error_line(error, block)
        reason = getattr(error, "problem", None) or str(error)
        fallback = _load_line_by_line(block, first_line)
        if fallback is None:
            raise FrontMatterError(line, f"front matter is not valid YAML: {reason}") from None
        return fallback


def _error_line(error: yaml.YAMLError, block: str) -> int:
    """The block line YAML complains about; at the end of the block (an unclosed bracket or
    quote), the line where the unclosed construct starts."""
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    last_line = max(len(block.rstrip("\n").split("\n")) - 1, 0)
    if problem is not None and problem.line <= last_line:
        return problem.line
    return context.line if context is not None else last_line


def _load_mapping(block: str, first_line: int) -> dict[str, Entry]:
    loader = YAML_LOADER(block)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            raise FrontMatterError(first_line + root.start_mark.line,
                                   "front matter must be 'key: value' lines")
        entries = {}
        for key_node, value_node in root.value:
            key = str(key_node.value)
            entries[key] = Entry(first_line + key_node.start_mark.line, value_node,
                                  _construct(loader, value_node))
        return entries
    finally:
        loader.dispose()


def _construct(loader, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        # e.g. "2026-13-01" resolves to a timestamp YAML cannot build: keep the text
        return node.value if isinstance(node, yaml.ScalarNode) else None


def _load_line_by_line(block: str, first_line: int) -> dict[str, Entry] | None:
    """Top-level ``key: value`` lines, each value read alone; a value YAML rejects only because
    it holds ``: `` is taken as plain text. None when the block has any other problem."""
    grouped: list[tuple[int, str, list[str]]] = []
    for index, line in enumerate(block.split("\n")):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = FALLBACK_KEY.match(line) if not line[0].isspace() else None
        if match:
            grouped.append((index, match.group(1), [f"value: {match.group(2) or ''}"]))
        elif grouped and line[0].isspace():
            grouped[-1][2].append(line)
        else:
            return None
    entries = {}
    for index, key, lines in grouped:
        try:
            entry = _load_mapping("\n".join(lines), first_line + index)["value"]
        except (yaml.YAMLError, FrontMatterError, KeyError):
            raw = lines[0][len("value: "):].strip()
            if len(lines) > 1 or ": " not in raw + " ":
                return None
            entry = Entry(first_line + index, None, raw.strip("'\""))
        entries[key] = Entry(first_line + index, entry.node, entry.value)
    return entries
