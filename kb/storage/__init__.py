"""Stored files, one store for every area: patch files, recording media and attachments.

``file_store()`` answers the application's store of one namespace: ``FILES`` (patch files,
content-addressed) or ``MEDIA`` (recordings and their attachments). Locally a namespace is a
folder of ``DATA_DIR``; an object store would make it a key prefix. Everything an area needs
is the ``FileStore`` protocol (``kb/storage/base.py``); only ``LocalFileStore`` exists today.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from kb.storage.base import (
    CHUNK_SIZE,
    FileStore,
    StoredBlob,
    StoredFileProblem,
    Upload,
    content_key,
    human_size,
)
from kb.storage.local import LocalFileStore
from kb.storage.staging import StagedFile

FILES = "files"
MEDIA = "media"
NAMESPACES = (FILES, MEDIA)

__all__ = ["CHUNK_SIZE", "FILES", "MEDIA", "FileStore", "LocalFileStore", "StagedFile",
           "StoredBlob", "StoredFileProblem", "Upload", "content_key", "file_store",
           "human_size"]


def file_store(namespace: str = FILES) -> LocalFileStore:
    """The application's store for ``namespace``."""
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown storage namespace: {namespace!r}")
    return LocalFileStore(Path(current_app.config["DATA_DIR"]) / namespace)
