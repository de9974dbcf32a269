"""Stored files, one store for every area: patch files, recording media and attachments.

``file_store()`` answers the application's store of one namespace: ``FILES`` (patch files and
incident attachments, content-addressed) or ``MEDIA`` (recordings and their attachments).
``KB_STORAGE_URL`` chooses where: empty, a folder of ``DATA_DIR`` per namespace
(``LocalFileStore``); ``s3://BUCKET/PREFIX``, the key prefix ``PREFIX/<namespace>`` of an
S3-compatible bucket (``S3FileStore``). Everything an area needs is the ``FileStore`` protocol
(``kb/storage/base.py``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from kb.config import ConfigurationError
from kb.storage.base import (
    CHUNK_SIZE,
    FileStore,
    StorageUnavailable,
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
HEALTH_TIMEOUT = 3  # seconds

__all__ = ["CHUNK_SIZE", "FILES", "MEDIA", "FileStore", "LocalFileStore", "StagedFile",
           "StorageUnavailable", "StoredBlob", "StoredFileProblem", "Upload",
           "check_storage_url", "content_key", "file_store", "health", "human_size", "store_at"]


def file_store(namespace: str = FILES) -> FileStore:
    """The application's store for ``namespace``."""
    config = current_app.config
    return store_at(config["STORAGE_URL"], namespace, data_dir=config["DATA_DIR"],
                    endpoint_url=config["S3_ENDPOINT_URL"],
                    max_attempts=config["S3_MAX_ATTEMPTS"])


def health() -> str:
    """"ok", or what is wrong with the application's store, for /healthz: asked with one
    attempt and HEALTH_TIMEOUT seconds to answer (a load balancer waits for /healthz)."""
    config = current_app.config
    return store_at(config["STORAGE_URL"], FILES, data_dir=config["DATA_DIR"],
                    endpoint_url=config["S3_ENDPOINT_URL"], max_attempts=1,
                    timeout=HEALTH_TIMEOUT).health()


def store_at(url: str, namespace: str, *, data_dir: str = "", endpoint_url: str = "",
             max_attempts: int = 3, timeout: int | None = None) -> FileStore:
    """The store of ``namespace`` at ``url`` (empty: under ``data_dir``)."""
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown storage namespace: {namespace!r}")
    check_storage_url(url)
    if not url:
        return LocalFileStore(Path(data_dir) / namespace)
    from kb.storage.s3 import S3FileStore, s3_client  # boto3 loads only when it is used

    parts = urlsplit(url)
    return S3FileStore(s3_client(endpoint_url, max_attempts, timeout), parts.netloc,
                       parts.path.strip("/"), namespace)


def check_storage_url(url: str) -> None:
    """``ConfigurationError`` with what is wrong unless ``url`` is empty or ``s3://BUCKET[/PREFIX]``."""
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(f"KB_STORAGE_URL {url!r} is not s3://BUCKET/PREFIX (leave it "
                                 "empty to keep files under KB_DATA_DIR).")
