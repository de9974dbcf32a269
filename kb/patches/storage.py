"""Patch files live in the application's one file store (``kb/storage``), namespace ``files``.

Kept so that code written against the patches' former file store keeps importing."""

from kb.storage import (  # noqa: F401
    CHUNK_SIZE,
    LocalFileStore,
    StagedFile,
    StoredBlob,
    StoredFileProblem,
    file_store,
    human_size,
)
