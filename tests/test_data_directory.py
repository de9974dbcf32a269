"""kb's data directory (secret key, SQLite database and its WAL, search index, stored patch
and recording files) is the portal's own: every directory 0700, every file owner-only, even
when the operator's umask would let others read them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import app_settings, on_postgres

GROUP_AND_OTHERS = 0o077


@pytest.fixture
def operator_umask():
    """The usual umask of an operator's shell, under which files are world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def kb_on(new_app, isolated_database, operator_umask):
    """``kb`` on a data directory: SQLite inside it (or PostgreSQL), its secret key generated
    there."""

    def make(data_dir: Path):
        settings = app_settings(data_dir, isolated_database.url if on_postgres() else "")
        settings["SECRET_KEY"] = ""
        application = new_app(settings)
        runner = application.test_cli_runner()

        def kb(*args: str) -> str:
            result = runner.invoke(args=list(args))
            assert result.exit_code == 0, result.output
            return result.output

        return kb

    return make


def modes(data_dir: Path) -> dict[str, int]:
    """The permission bits of the data directory and of everything in it."""
    found = {".": stat.S_IMODE(data_dir.stat().st_mode)}
    for directory, subdirectories, files in os.walk(data_dir):
        for name in subdirectories + files:
            path = Path(directory) / name
            if path.is_symlink():  # always 0777 on Linux: the folder holding it guards it
                continue
            found[str(path.relative_to(data_dir))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def readable_by_others(data_dir: Path) -> dict[str, str]:
    return {name: oct(mode) for name, mode in modes(data_dir).items()
            if mode & GROUP_AND_OTHERS}


def test_everything_kb_writes_in_its_data_directory_is_owner_only(kb_on, tmp_path):
    data_dir = tmp_path / "data"
    kb = kb_on(data_dir)
    kb("init")
    kb("demo")
    kb("reindex")

    written = modes(data_dir)
    assert written["."] == 0o700
    assert written["secret_key"] == 0o600
    if not on_postgres():
        assert written["kb.sqlite3"] == 0o600
        assert written["kb.sqlite3-wal"] == 0o600
        assert written["kb.sqlite3-shm"] == 0o600
    assert any(name.startswith("files/sha256/") for name in written), "no patch file stored"
    assert any(name.startswith("media/recordings/") for name in written), "no media stored"
    assert any(name.endswith(".trm") for name in written), "no index segment written"
    assert readable_by_others(data_dir) == {}


def test_kb_init_makes_an_existing_data_directory_owner_only(kb_on, tmp_path):
    """A data directory created by an earlier kb, or by hand, is tightened by ``kb init``."""
    data_dir = tmp_path / "data"
    for relative in ("secret_key", "files/sha256/ab/cd/abcd", "media/recordings/x.mp4"):
        (data_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / relative).write_text("written by an earlier kb")
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert readable_by_others(data_dir)

    kb_on(data_dir)("init")

    assert readable_by_others(data_dir) == {}
    assert modes(data_dir)["files/sha256/ab/cd"] == 0o700
    assert modes(data_dir)["media/recordings/x.mp4"] == 0o600
