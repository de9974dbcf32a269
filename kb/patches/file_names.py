"""The names a patch's files are published under, checked before anything is stored: each
made safe (``kb.storage.names.safe_file_name``), and no two alike, not even in case only.

``Setup.exe`` and ``setup.exe`` are two files on Linux but one on Windows and macOS (whose
file systems ignore case), so a customer who downloads both keeps only the second. Compared as
Unicode caseless matching does (``casefold``; stored names are composed, NFC, already)."""

from __future__ import annotations

from collections.abc import Sequence

from kb.errors import Invalid
from kb.storage import Upload
from kb.storage.names import safe_file_name

MAX_FILES_PER_PATCH = 20
FIELD = "files"  # the refusals below are about the files sent: a form shows them there


def checked_file_names(uploads: Sequence[Upload]) -> list[str]:
    """The safe name of each upload, in order; ``Invalid`` (about ``FIELD``) for no files, too
    many, a name with nothing usable, or two names alike in full or but for case."""
    if not uploads:
        raise Invalid("Add at least one file to the patch.", field=FIELD)
    if len(uploads) > MAX_FILES_PER_PATCH:
        raise Invalid(f"A patch has at most {MAX_FILES_PER_PATCH} files.", field=FIELD)
    try:
        names = [safe_file_name(upload.name) for upload in uploads]
    except Invalid as refusal:
        raise Invalid(refusal.message, field=FIELD) from None
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise Invalid(f"Two files are named {', '.join(duplicates)}; file names must differ.",
                      field=FIELD)
    collisions = case_collisions(names)
    if collisions:
        raise Invalid(_collisions_message(collisions), field=FIELD)
    return names


def case_collisions(names: Sequence[str]) -> list[list[str]]:
    """The groups of ``names`` that differ in case only, each in the order given."""
    by_folded: dict[str, list[str]] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), []).append(name)
    return [group for group in by_folded.values() if len(set(group)) > 1]


def _collisions_message(collisions: list[list[str]]) -> str:
    groups = "; ".join(_listed(group) for group in collisions)
    return (f"{groups} differ only in upper and lower case: downloaded to Windows or macOS, "
            "one would overwrite the other. Rename one of them, or leave one out.")


def _listed(names: list[str]) -> str:
    return " and ".join(filter(None, (", ".join(names[:-1]), names[-1])))
