"""A setting kb cannot run with stops every ``kb`` command with one line saying which setting
and what is wrong (exit 1), not a traceback that ends in it. Each case runs ``kb`` in a
process of its own, as an operator would."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def kb(tmp_path, **environment) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KB_DATA_DIR": str(tmp_path / "data"),
           **environment}
    return subprocess.run([sys.executable, "-m", "kb.cli", "outbox", "status"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("setting, says", [
    ({"KB_SEARCH_BACKEND": "elastic"},
     "KB_SEARCH_BACKEND='elastic': choose one of whoosh, postgresql."),
    ({"KB_STORAGE_URL": "ftp://files.example.com/kb"}, "KB_STORAGE_URL 'ftp://files.example.com/kb'"
                                                       " is not s3://BUCKET/PREFIX"),
    ({"KB_OUTBOX_MAX_ATTEMPTS": "lots"}, "KB_OUTBOX_MAX_ATTEMPTS='lots' is not a whole number"),
    ({"KB_SMTP_TIMEOUT": "soon"}, "KB_SMTP_TIMEOUT='soon' is not a number"),
    ({"KB_DATABASE_URL": "postgres://kb:s3cret@db.example.com/kb"},
     "KB_DATABASE_URL: kb cannot use a database URL starting 'postgres:'"),
])
def test_a_setting_kb_cannot_use_is_one_line_not_a_traceback(tmp_path, setting, says):
    result = kb(tmp_path, **setting)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {says}"), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert "s3cret" not in result.stderr


def test_the_database_url_error_names_the_url_that_works(tmp_path):
    result = kb(tmp_path, KB_DATABASE_URL="postgres://db.example.com/kb")
    assert "postgresql+psycopg://USER@HOST/DATABASE" in result.stderr
