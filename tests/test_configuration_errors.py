"""A setting kb cannot run with stops every ``kb`` command with one line saying which setting
and what is wrong (exit 1), not a traceback that ends in it. Each case runs ``kb`` in a
process of its own, as an operator would."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.databases import reaches_no_database

# each `kb` here is given no database but a malformed URL: the same in either pass
pytestmark = reaches_no_database


def kb(tmp_path, *arguments, **environment) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KB_DATA_DIR": str(tmp_path / "data"),
           **environment}
    return subprocess.run([sys.executable, "-m", "kb.cli", *(arguments or ("outbox", "status"))],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("setting, says", [
    ({"KB_SEARCH_BACKEND": "elastic"},
     "KB_SEARCH_BACKEND='elastic': choose one of whoosh, postgresql."),
    ({"KB_STORAGE_URL": "ftp://files.example.com/kb"}, "KB_STORAGE_URL 'ftp://files.example.com/kb'"
                                                       " is not s3://BUCKET/PREFIX"),
    ({"KB_OUTBOX_MAX_ATTEMPTS": "lots"}, "KB_OUTBOX_MAX_ATTEMPTS='lots' is not a whole number"),
    ({"KB_SMTP_TIMEOUT": "soon"}, "KB_SMTP_TIMEOUT='soon' is not a number"),
    ({"KB_DATABASE_URL": "postgres://kb:s3cret@db.example.com/kb"},
     "KB_DATABASE_URL: kb cannot use a database URL starting 'postgres:'"),
    ({"KB_SMTP_URL": "mail.example.com:25"},
     "KB_SMTP_URL must look like smtp://host:port or smtps://host:port"),
    ({"KB_SMTP_URL": "smtp://kb:s3cret@mail.example.com:twentyfive"},
     "KB_SMTP_URL must look like smtp://host:port or smtps://host:port (its port"),
    ({"KB_MAIL_FROM": "Orbitec Support"},
     "KB_MAIL_FROM='Orbitec Support' is not an e-mail address"),
    ({"KB_INVITE_ORGANIZER": "training@"}, "KB_INVITE_ORGANIZER='training@' is not an e-mail"),
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


@pytest.mark.parametrize("setting", [{"KB_DATABASE_URL": "nonsense"},
                                     {"KB_SMTP_URL": "mail.example.com:25"}])
def test_help_says_the_setting_in_one_line_and_still_lists_every_command(tmp_path, setting):
    result = kb(tmp_path, "--help", **setting)
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {next(iter(setting))}"), result.stderr
    commands = result.stdout.split("Commands:")[1]
    for command in ("init", "serve", "outbox", "search", "token", "routes"):
        assert f"\n  {command} " in commands, command
    assert "Create the data directory" in commands
    assert result.returncode == 0


def test_help_with_usable_settings_says_nothing_on_stderr(tmp_path):
    result = kb(tmp_path, "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "\n  outbox " in result.stdout


def test_a_command_of_an_area_stops_with_the_setting_not_no_such_command(tmp_path):
    result = kb(tmp_path, "serve", "--port", "1", KB_DATABASE_URL="nonsense")
    assert result.returncode == 1 and "No such command" not in result.stderr
    assert result.stderr.startswith("Error: KB_DATABASE_URL: kb cannot use a database URL")
