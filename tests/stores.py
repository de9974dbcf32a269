"""The two file stores the tests run against: files under the data directory, and an S3 bucket
on a real S3 server on loopback (moto in server mode, one per worker process, a fresh bucket
per test). ``KB_TEST_STORAGE=s3`` runs every test on S3; a module that means to cover both
sets ``pytestmark = both_stores``. ``StoredFiles`` reaches behind kb's back into either store,
as a failing disk or an operator would (damage, remove, list)."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from kb.storage import FILES, LocalFileStore, file_store

STORES = ("local", "s3")
both_stores = pytest.mark.both_stores


def pytest_generate_tests(metafunc) -> None:
    """Under ``both_stores``, every test whose app (or anything else) uses the ``storage``
    fixture runs once per store; tests without an app run once."""
    if metafunc.definition.get_closest_marker("both_stores") \
            and "storage" in metafunc.fixturenames:
        metafunc.parametrize("storage", STORES, indirect=True)


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of an S3 server on loopback, started for this worker process."""
    from moto.server import ThreadedMotoServer

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        os.environ.setdefault(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint: str) -> str:
    from kb.storage.s3 import s3_client

    bucket = f"kb-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def storage(request) -> dict:
    """The settings of the store a test's app uses: ``{}`` for the local default, or an
    ``s3://`` URL of a fresh bucket on the loopback server."""
    kind = getattr(request, "param", None) or os.environ.get("KB_TEST_STORAGE", "local")
    if kind == "local":
        return {}
    endpoint = request.getfixturevalue("s3_endpoint")
    return {"STORAGE_URL": f"s3://{new_bucket(endpoint)}/kb", "S3_ENDPOINT_URL": endpoint,
            "S3_MAX_ATTEMPTS": 1}


class StoredFiles:
    """What the app's store holds, seen and changed from outside kb."""

    def __init__(self, app):
        self.app = app

    def store(self, namespace: str = FILES):
        with self.app.app_context():
            return file_store(namespace)

    @property
    def on_s3(self) -> bool:
        return not isinstance(self.store(), LocalFileStore)

    def overwrite(self, key: str, data: bytes, namespace: str = FILES) -> None:
        store = self.store(namespace)
        if isinstance(store, LocalFileStore):
            store.path(key).parent.mkdir(parents=True, exist_ok=True)
            store.path(key).write_bytes(data)
        else:
            store.client.put_object(Bucket=store.bucket, Key=store.object_name(key), Body=data)

    def age(self, key: str, seconds: float, namespace: str = FILES) -> None:
        """Make the file look last written ``seconds`` ago (its time of writing set back)."""
        store = self.store(namespace)
        then = time.time() - seconds
        if isinstance(store, LocalFileStore):
            os.utime(store.path(key), (then, then))
            return
        name = store.object_name(key)
        store.client.copy_object(Bucket=store.bucket, Key=name,
                                 CopySource={"Bucket": store.bucket, "Key": name},
                                 Metadata={"written": str(int(then * 1e9))},
                                 MetadataDirective="REPLACE")

    def remove(self, key: str, namespace: str = FILES) -> None:
        self.store(namespace).delete(key)

    def read(self, key: str, namespace: str = FILES) -> bytes:
        with self.store(namespace).open(key) as reader:
            return reader.read()

    def keys(self, namespace: str = FILES) -> list[str]:
        return sorted(self.store(namespace).keys())

    def unfinished(self, namespace: str = FILES) -> list[str]:
        """Temporary uploads: files in the local temporary folder, or temporary objects and
        multipart uploads in the bucket."""
        store = self.store(namespace)
        if isinstance(store, LocalFileStore):
            folder = store.temp_dir
            return sorted(os.listdir(folder)) if folder.exists() else []
        temp = f"{store.root}/tmp/"
        listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=temp)
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=temp)
        return sorted([entry["Key"] for entry in listed.get("Contents", [])]
                      + [upload["Key"] for upload in uploads.get("Uploads", [])])


@pytest.fixture
def stored_files(app) -> StoredFiles:
    return StoredFiles(app)
