"""Opening, creating and checking the on-disk index under DATA_DIR."""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index

from kb.search.schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "kb-schema-version.json"


def index_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "index"


def _written_version(directory: Path) -> int | None:
    try:
        return json.loads((directory / VERSION_FILE).read_text())["schema_version"]
    except (OSError, ValueError, KeyError):
        return None


def create_index_in(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    index = whoosh_index.create_in(str(directory), build_schema())
    (directory / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    return index


def ensure_index() -> None:
    """Create an empty index if none exists yet."""
    root = index_root()
    if not whoosh_index.exists_in(str(root)):
        create_index_in(root)


def health() -> str:
    """'ok' when the current index opens with this schema version, otherwise what is wrong."""
    root = index_root()
    if not root.exists() or not whoosh_index.exists_in(str(root)):
        return "missing: run 'kb init' or 'kb reindex'"
    if _written_version(root) != SCHEMA_VERSION:
        return "outdated: run 'kb reindex'"
    try:
        whoosh_index.open_dir(str(root)).doc_count()
    except Exception as failure:  # noqa: BLE001 - reported, not raised
        return f"error: {failure.__class__.__name__}"
    return "ok"
