"""`kb migrate-data`: an embedded installation (SQLite with the demo) copied whole into another
database (and its stored files into an S3 store on loopback), verified, and served from there.
The target is a fresh PostgreSQL schema in the PostgreSQL pass and another SQLite file
otherwise."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app
from kb.db import Base
from tests.conftest import Auth, app_settings, on_postgres
from tests.stores import StoredFiles, new_bucket


def sqlite_settings(data_dir: Path) -> dict:
    return app_settings(data_dir, f"sqlite:///{data_dir / 'kb.sqlite3'}")


@pytest.fixture(scope="module")
def demo_installation(tmp_path_factory) -> Path:
    """The data directory of an installation on the embedded default after `kb init` and
    `kb demo` (made once; each test copies it)."""
    data_dir = tmp_path_factory.mktemp("embedded") / "installation"
    application = create_app(sqlite_settings(data_dir))
    runner = application.test_cli_runner()
    for command in (["init"], ["demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    application.extensions["kb.database"].engine.dispose()
    return data_dir


@pytest.fixture
def embedded(demo_installation, tmp_path, new_app):
    data_dir = tmp_path / "installation"
    shutil.copytree(demo_installation, data_dir)
    return new_app(sqlite_settings(data_dir))


def migrate_data(application, target_url: str):
    return application.test_cli_runner().invoke(args=["migrate-data", "--to", target_url])


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        counts = {table.name: connection.scalar(select(func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables}
    engine.dispose()
    return counts


def test_the_demo_installation_moves_whole_and_serves_from_the_copy(
        embedded, isolated_database, new_app):
    result = migrate_data(embedded, isolated_database.url)

    assert result.exit_code == 0, result.output
    assert f"Copied and verified {len(Base.metadata.sorted_tables)} tables" in result.output
    source_counts = row_counts(embedded.config["DATABASE_URL"])
    assert row_counts(isolated_database.url) == source_counts
    assert source_counts["articles"] > 10 and source_counts["users"] >= 5

    moved = new_app(app_settings(embedded.config["DATA_DIR"], isolated_database.url))
    runner = moved.test_cli_runner()
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and "The index matches the database." in check.output

    client = moved.test_client()
    Auth(client).login("elite@demo.test", "demo-password")
    assert client.get("/api/v1/me").get_json()["organization"]["plan"] == "elite"

    # new rows get ids past the copied ones (PostgreSQL's sequences were moved on)
    with moved.app_context():
        from kb import db
        from kb.accounts import organizations
        from kb.accounts.models import User

        staff = db.session.scalar(select(User).where(User.email == "staff@demo.test"))
        added = organizations.create_organization(
            staff, "Moved Ltd", "premium", date(2026, 1, 1), date(2026, 12, 31))
    assert added.id > source_counts["organizations"]


def test_a_target_with_kb_tables_is_refused_and_left_alone(embedded, isolated_database):
    assert migrate_data(embedded, isolated_database.url).exit_code == 0
    before = row_counts(isolated_database.url)

    again = migrate_data(embedded, isolated_database.url)

    assert again.exit_code == 1
    assert "already has kb tables" in again.output
    assert row_counts(isolated_database.url) == before


def test_the_installation_cannot_copy_onto_itself(embedded):
    result = migrate_data(embedded, embedded.config["DATABASE_URL"])

    assert result.exit_code == 1
    assert "the installation's own database" in result.output


@pytest.mark.skipif(not on_postgres(), reason="SQLite does not enforce column lengths")
def test_a_row_the_target_refuses_leaves_the_target_empty(embedded, isolated_database):
    source = create_engine(embedded.config["DATABASE_URL"], poolclass=NullPool)
    with source.begin() as connection:
        connection.execute(text("UPDATE organizations SET name = :long WHERE plan = 'elite'"),
                           {"long": "E" * 300})
    source.dispose()

    result = migrate_data(embedded, isolated_database.url)

    assert result.exit_code == 1
    assert "Table organizations: the target refused a row" in result.output
    target = create_engine(isolated_database.url, poolclass=NullPool)
    with target.connect() as connection:
        tables = connection.scalar(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"))
    target.dispose()
    assert tables == 0


def local_files(data_dir: Path) -> dict[str, bytes]:
    """Every stored file of an installation on the local store, by namespace/key."""
    return {path.relative_to(data_dir).as_posix(): path.read_bytes()
            for namespace in ("files", "media") for path in (data_dir / namespace).rglob("*")
            if path.is_file() and path.relative_to(data_dir / namespace).parts[0] != "tmp"}


@pytest.fixture
def embedded_with_endpoint(demo_installation, tmp_path, new_app, s3_endpoint):
    """The embedded installation, told where the S3-compatible store is (as
    KB_S3_ENDPOINT_URL would)."""
    data_dir = tmp_path / "installation"
    shutil.copytree(demo_installation, data_dir)
    return new_app({**sqlite_settings(data_dir), "S3_ENDPOINT_URL": s3_endpoint,
                    "S3_MAX_ATTEMPTS": 1})


def test_every_stored_file_moves_into_the_s3_store_verified_and_is_served_from_there(
        embedded_with_endpoint, isolated_database, new_app, s3_endpoint):
    embedded = embedded_with_endpoint
    storage_url = f"s3://{new_bucket(s3_endpoint)}/kb"
    result = embedded.test_cli_runner().invoke(
        args=["migrate-data", "--to", isolated_database.url, "--storage", storage_url])

    assert result.exit_code == 0, result.output
    originals = local_files(Path(embedded.config["DATA_DIR"]))
    assert any(key.startswith("files/sha256/") for key in originals)
    assert any(key.startswith("media/") for key in originals)
    assert f"Copied and verified {len(originals)} files" in result.output

    moved = new_app({**app_settings(embedded.config["DATA_DIR"], isolated_database.url),
                     "STORAGE_URL": storage_url, "S3_ENDPOINT_URL": s3_endpoint})
    copied = StoredFiles(moved)
    assert {f"{namespace}/{key}": copied.read(key, namespace)
            for namespace in ("files", "media") for key in copied.keys(namespace)} == originals
    verify = moved.test_cli_runner().invoke(args=["patch", "verify"])
    assert verify.exit_code == 0 and "0 problem(s)" in verify.output

    client = moved.test_client()
    Auth(client).login("elite@demo.test", "demo-password")
    patch_id = client.get("/api/v1/patches").get_json()["patches"][0]["id"]
    patch = client.get(f"/api/v1/patches/{patch_id}").get_json()
    first = patch["files"][0]
    part = client.get(first["url"].removeprefix("http://kb.test"), headers={"Range": "bytes=1-"},
                      buffered=True)
    whole = originals[f"files/sha256/{first['sha256'][:2]}/{first['sha256'][2:4]}/"
                      f"{first['sha256']}"]
    assert part.status_code == 206 and part.data == whole[1:]


def test_a_damaged_stored_file_is_refused_not_carried_over(embedded_with_endpoint, s3_endpoint):
    embedded = embedded_with_endpoint
    data_dir = Path(embedded.config["DATA_DIR"])
    damaged = next(path for path in (data_dir / "files" / "sha256").rglob("*") if path.is_file())
    damaged.write_bytes(b"not what it was")
    storage_url = f"s3://{new_bucket(s3_endpoint)}/kb"

    result = embedded.test_cli_runner().invoke(args=["migrate-data", "--storage", storage_url])

    assert result.exit_code == 1
    assert f"sha256/{damaged.parent.parent.name}/{damaged.parent.name}/{damaged.name} is " \
           "damaged in the installation's store" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_migrate_data_needs_a_target(embedded):
    result = embedded.test_cli_runner().invoke(args=["migrate-data"])
    assert result.exit_code == 2 and "--to DATABASE_URL, --storage" in result.output


@pytest.mark.parametrize("target", [
    "postgresql+psycopg://kb:s3cret@127.0.0.1:1/kb",  # nothing listens there
    "sqlite:///{tmp}/no/such/directory/kb.sqlite3",
])
def test_a_target_kb_cannot_reach_is_said_in_one_line_without_its_password(
        embedded, tmp_path, target):
    result = migrate_data(embedded, target.format(tmp=tmp_path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # said, not a traceback
    assert "Error: kb cannot connect to the target database" in result.output
    assert "create it first (an empty database)" in result.output
    assert "s3cret" not in result.output


def test_a_target_url_of_no_known_database_says_which_form_works(embedded):
    result = migrate_data(embedded, "postgres://kb:s3cret@db.example.com/kb")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "kb cannot use a target URL starting 'postgres:'" in result.output
    assert "postgresql+psycopg://USER@HOST/DATABASE" in result.output
    assert "s3cret" not in result.output
