"""kb's data directory holds the secret key, the SQLite database with its WAL and -shm files,
the search index and the stored patch and recording files: it is the portal's own, every
directory in it 0700 and every file owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# the permission bits of group and others
GROUP_AND_OTHERS = 0o077


def prepare(data_dir: Path) -> None:
    """Create the data directory owner-only and make every file and directory this process
    creates from now on owner-only. A umask rather than a mode per file, because SQLite (WAL
    and -shm files), Whoosh (segments, locks) and the upload code create files of their own."""
    os.umask(os.umask(GROUP_AND_OTHERS) | GROUP_AND_OTHERS)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)


def make_owner_only(data_dir: Path) -> list[str]:
    """Take every permission of group and others from the data directory and everything in
    it (one made by an earlier kb, or by hand); symbolic links are left alone. Returns what
    could not be changed, with why."""
    problems = []
    for directory, _subdirectories, files in os.walk(data_dir):
        for path in (Path(directory), *(Path(directory) / name for name in files)):
            try:
                _remove_group_and_others(path)
            except OSError as error:
                problems.append(f"{path}: {error.strerror}")
    return problems


def _remove_group_and_others(path: Path) -> None:
    status = path.lstat()
    mode = stat.S_IMODE(status.st_mode)
    if not stat.S_ISLNK(status.st_mode) and mode & GROUP_AND_OTHERS:
        path.chmod(mode & ~GROUP_AND_OTHERS)
