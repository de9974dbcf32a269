"""Files in an S3-compatible object store (``KB_STORAGE_URL=s3://BUCKET/PREFIX``): AWS S3,
MinIO, Ceph RGW, or anything else that speaks the S3 API, through ``boto3``.

A key lives at ``PREFIX/<namespace>/<key>`` of the bucket. An upload is streamed into a
multipart upload under ``PREFIX/<namespace>/tmp/`` while its SHA-256 is computed
(``s3_io.S3Upload``), then copied inside the store to its real key, with the SHA-256 in the
object's metadata: as on disk, a half-written file never appears under a real key. Credentials
and region come from the usual ``AWS_*`` variables (or an instance role); ``KB_S3_ENDPOINT_URL``
names a store other than AWS. Any error of the store is ``StorageUnavailable`` (503), never a
500; a missing or damaged object is ``StoredFileProblem``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from kb.storage.base import (
    CHUNK_SIZE,
    TEMP_FOLDER,
    SavesStreams,
    StorageUnavailable,
    StoredBlob,
    checked_key,
    content_key,
    problem,
)
from kb.storage.s3_io import PART_SIZE, S3RangeReader, S3Upload, began_at

log = logging.getLogger(__name__)
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()


def s3_client(endpoint_url: str = "", max_attempts: int = 3, timeout: int | None = None):
    """One client per process and endpoint (clients are thread-safe; after a fork a worker
    makes its own, never sharing the parent's connections); ``timeout`` seconds to connect
    and to read, instead of 5 and 60."""
    identity = (os.getpid(), endpoint_url, max_attempts, timeout)
    with _clients_lock:
        if identity not in _clients:
            session = boto3.session.Session()
            _clients[identity] = session.client("s3", endpoint_url=endpoint_url or None,
                                                region_name=session.region_name or "us-east-1",
                                                config=_client_config(endpoint_url, max_attempts,
                                                                      timeout))
        return _clients[identity]


def _client_config(endpoint_url: str, max_attempts: int, timeout: int | None) -> Config:
    return Config(
        retries={"max_attempts": max_attempts, "mode": "standard"},
        connect_timeout=timeout or 5, read_timeout=timeout or 60,
        # other stores (MinIO, Ceph RGW) serve buckets under the path, not as host names
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        # checksums only where S3 requires them: several S3-compatible stores refuse the
        # CRC trailers newer botocore sends by default; kb checks SHA-256 itself
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


class S3FileStore(SavesStreams):
    def __init__(self, client, bucket: str, prefix: str, namespace: str,
                 part_size: int = PART_SIZE):
        self.client = client
        self.bucket = bucket
        self.root = "/".join(part for part in (prefix.strip("/"), namespace) if part)
        self.part_size = part_size

    def __repr__(self) -> str:
        return f"S3FileStore(s3://{self.bucket}/{self.root})"

    # --- names and calls --------------------------------------------------------------------

    def object_name(self, key: str) -> str:
        return f"{self.root}/{'/'.join(checked_key(key))}"

    def temp_object(self, name: str) -> str:
        return f"{self.root}/{TEMP_FOLDER}/{name}"

    def call(self, operation: str, **params) -> dict:
        """The store's answer to one S3 operation on this bucket; ``StorageUnavailable`` if
        it does not answer or refuses."""
        return self.guarded(getattr(self.client, operation), Bucket=self.bucket, **params)

    def guarded(self, function: Callable, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            raise self._unavailable(error) from error

    def _unavailable(self, error: Exception) -> StorageUnavailable:
        log.error("file store s3://%s failed: %s", self.bucket, error)
        return StorageUnavailable("The file store is not available at the moment; nothing was "
                                  "stored or sent. Please try again later.")

    def health(self) -> str:
        """"ok" when the bucket answers, else the kind of failure (never its details: /healthz
        answers anyone)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            log.warning("file store s3://%s failed its health check: %s", self.bucket, error)
            return f"error: {error.__class__.__name__}"
        return "ok"

    def _head(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.object_name(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise self._unavailable(error) from error
        except BotoCoreError as error:
            raise self._unavailable(error) from error

    # --- writing ----------------------------------------------------------------------------

    def stage(self, limit: int | None = None, filename: str = "") -> S3Upload:
        return S3Upload(self, limit, filename)

    def save(self, staged: S3Upload, key: str | None = None) -> StoredBlob:
        """Complete the upload, then copy it inside the store to its key (by default its
        content address); a copy over an identical file is harmless and repairs a damaged one."""
        staged.finish()
        key = key or content_key(staged.sha256)
        already_stored = self._head(key) is not None
        self.guarded(self.client.copy, {"Bucket": self.bucket, "Key": staged.object_key},
                     self.bucket, self.object_name(key),
                     ExtraArgs={"Metadata": {"sha256": staged.sha256,
                                             "written": str(time.time_ns())},
                                "MetadataDirective": "REPLACE"})
        staged.discard()
        return StoredBlob(staged.sha256, staged.size, key, already_stored)

    def delete(self, key: str) -> None:
        self.call("delete_object", Key=self.object_name(key))

    # --- reading ----------------------------------------------------------------------------

    def open(self, key: str, start: int = 0, stop: int | None = None,
             on_close=None) -> S3RangeReader:
        """A reader of bytes [start, stop); with ``stop`` given (a download, whose size the
        database knows) nothing is asked of the store until the first read."""
        size = None
        if stop is None:
            size = self.size(key)
            if size is None:
                raise problem(key, "is missing from the file store")
            stop = size
        return S3RangeReader(self, key, start, stop, size, on_close or _ignore)

    def get_range(self, key: str, start: int, stop: int):
        """The streaming body of bytes [start, stop) of an object."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.object_name(key),
                                            Range=f"bytes={start}-{stop - 1}")
        except ClientError as error:
            if _missing(error):
                raise problem(key, "is missing from the file store") from None
            raise self._unavailable(error) from error
        except BotoCoreError as error:
            raise self._unavailable(error) from error
        return answer["Body"]

    def size(self, key: str) -> int | None:
        head = self._head(key)
        return None if head is None else head["ContentLength"]

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def fingerprint(self, key: str) -> str | None:
        """The object's ETag, size and time of writing (S3 gives it in whole seconds, so kb
        adds its own in nanoseconds): any new write changes it."""
        head = self._head(key)
        if head is None:
            return None
        return ":".join((head["ETag"].strip('"'), str(head["ContentLength"]),
                         head["LastModified"].isoformat(),
                         head.get("Metadata", {}).get("written", "")))

    def written_at(self, key: str) -> float | None:
        """kb's own time of writing (nanoseconds), else the store's (whole seconds)."""
        head = self._head(key)
        if head is None:
            return None
        written = head.get("Metadata", {}).get("written", "")
        return int(written) / 1e9 if written.isdigit() else head["LastModified"].timestamp()

    def verify(self, key: str, sha256: str, size: int, label: str) -> None:
        head = self._head(key)
        if head is None:
            raise problem(label, "is missing from the file store")
        if head["ContentLength"] != size:
            raise problem(label, f"has {head['ContentLength']} bytes in the file store "
                                 f"instead of {size}")
        if self.sha256_of(key) != sha256:
            raise problem(label, "is damaged in the file store (its SHA-256 does not match)")

    def sha256_of(self, key: str) -> str:
        """The SHA-256 of the object's bytes as the store sends them now (read in full)."""
        digest = hashlib.sha256()
        with self.open(key) as reader:
            while chunk := reader.read(CHUNK_SIZE):
                digest.update(chunk)
        return digest.hexdigest()

    def keys(self) -> Iterator[str]:
        for entry in self._listed(f"{self.root}/"):
            key = entry["Key"][len(self.root) + 1:]
            if not key.startswith(f"{TEMP_FOLDER}/"):
                yield key

    def _listed(self, prefix: str) -> Iterator[dict]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix)
        yield from self.guarded(lambda: [entry for page in pages
                                         for entry in page.get("Contents", [])])

    def remove_stale_uploads(self, older_than_seconds: int = 86400) -> int:
        """Abort multipart uploads and remove temporary objects older than the cutoff (an
        S3 lifecycle rule for incomplete multipart uploads does the same inside the store)."""
        cutoff = time.time() - older_than_seconds
        temp = f"{self.root}/{TEMP_FOLDER}/"
        removed = 0
        unfinished = self.call("list_multipart_uploads", Prefix=temp).get("Uploads", [])
        for upload in unfinished:
            if _began(upload["Key"], upload["Initiated"]) < cutoff:
                self.call("abort_multipart_upload", Key=upload["Key"],
                          UploadId=upload["UploadId"])
                removed += 1
        for entry in self._listed(temp):
            if _began(entry["Key"], entry["LastModified"]) < cutoff:
                self.call("delete_object", Key=entry["Key"])
                removed += 1
        return removed


def _began(object_key: str, listed: datetime) -> float:
    started = began_at(object_key)
    return listed.timestamp() if started is None else started


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in MISSING_CODES


def _ignore(bytes_delivered: int) -> None:
    """A reader nobody needs to hear back from."""
