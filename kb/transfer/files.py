"""Copy every stored file of the installation into another store (``--storage s3://...``) and
prove the copy equal.

Each file is streamed from the installation's store into the target under the same key (a
multipart upload, hashed on the way), then read back from the target and hashed again. A patch
file or attachment is stored by content, so its key names the SHA-256 it must have: a file that
was damaged before the copy is refused, never carried over. Copying again is harmless (the
same keys get the same bytes), so an interrupted copy is finished by running it again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb.errors import DomainError
from kb.storage import NAMESPACES, FileStore, StoredBlob, store_at
from kb.transfer.references import referenced_keys

CONTENT_PREFIX = "sha256/"


class FilesRefused(DomainError):
    pass


@dataclass(frozen=True)
class FilesCopy:
    namespace: str
    files: int
    bytes: int


def copy_files(source: Callable[[str], FileStore], target_url: str, *, endpoint_url: str = "",
               max_attempts: int = 3,
               echo: Callable[[str], None] = lambda line: None) -> list[FilesCopy]:
    """Copy each namespace's files from ``source(namespace)`` into the store at ``target_url``
    and verify counts and SHA-256 checksums; ``FilesRefused`` says what differs."""
    copies = []
    for namespace in NAMESPACES:
        origin = source(namespace)
        target = store_at(target_url, namespace, endpoint_url=endpoint_url,
                          max_attempts=max_attempts)
        echo(f"Copying the stored files of {namespace!r} into {target_url} ...")
        blobs = [_copy_one(origin, target, key) for key in list(origin.keys())]
        echo(f"  {len(blobs)} files; verifying ...")
        _verify(target, namespace, blobs)
        copies.append(FilesCopy(namespace, len(blobs), sum(blob.size for blob in blobs)))
    return copies


def _copy_one(origin: FileStore, target: FileStore, key: str) -> StoredBlob:
    with origin.open(key) as reader:
        blob = target.save_stream(reader, key=key)
    if blob.size != origin.size(key):
        raise FilesRefused(f"{key} changed while it was copied; run the copy again.")
    if key.startswith(CONTENT_PREFIX) and blob.sha256 != key.rsplit("/", 1)[-1]:
        raise FilesRefused(f"{key} is damaged in the installation's store (its SHA-256 does not "
                           "match its name): restore it, check with `kb patch verify`, then "
                           "run the copy again.")
    return blob


def _verify(target: FileStore, namespace: str, blobs: list[StoredBlob]) -> None:
    """Every copied file is in the target with its size and SHA-256, read back from there."""
    stored = set(target.keys())
    missing = [blob.key for blob in blobs if blob.key not in stored]
    if missing:
        raise FilesRefused(f"{len(missing)} of {len(blobs)} files of {namespace!r} are missing "
                           f"from the target after the copy (first: {missing[0]}).")
    for blob in blobs:
        target.verify(blob.key, blob.sha256, blob.size, f"{blob.key} (copy)")


def unstored_references(source: Callable[[str], FileStore]) -> list[str]:
    """Keys the database names that the installation's store does not hold (left out of any
    copy: the installation misses them already)."""
    return sorted(f"{namespace}/{key}" for namespace in NAMESPACES
                  for key in referenced_keys(namespace) if not source(namespace).exists(key))
