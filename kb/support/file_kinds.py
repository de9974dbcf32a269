"""Which files an incident, a reply or a note may carry: anything but programs and scripts.

Like the blocked-extension lists of mail providers and help desks, kb refuses programs and
scripts a double click would run, by the name's extension (``SUPPORT_REFUSED_ATTACHMENT_TYPES``)
and, whatever the name, by the bytes of a program: a Windows program (MZ with its PE header),
a Linux one (ELF) or a macOS one (Mach-O). A core dump is an ELF or Mach-O file too, and stays
welcome, as do logs, text, PDFs, images, documents and archives. A program support asked for
travels inside an archive (.zip, .7z), which is not opened here: an archive runs nothing."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from flask import current_app

from kb.errors import Invalid
from kb.storage import Upload

ALLOWED_KINDS = ("logs, dumps, text, PDFs, images, documents and archives (.zip, .7z, .gz, "
                 ".tar)")
# enough for every header looked at below: ELF's and Mach-O's file type, the DOS header
HEAD_BYTES = 64
ELF_MAGIC = b"\x7fELF"
ELF_CORE = 4
MACH_O_MAGICS = {b"\xfe\xed\xfa\xce": "big", b"\xfe\xed\xfa\xcf": "big",
                 b"\xce\xfa\xed\xfe": "little", b"\xcf\xfa\xed\xfe": "little"}
MACH_O_CORE = 4
UNIVERSAL_BINARY = b"\xca\xfe\xba\xbe"  # a macOS universal program (and a Java class)
_SEPARATORS = re.compile(r"[\s,;]+")


def refused_suffixes() -> frozenset[str]:
    """The setting's extensions, lower case with their dot (".exe")."""
    raw = current_app.config["SUPPORT_REFUSED_ATTACHMENT_TYPES"]
    return frozenset("." + part.lstrip(".").lower() for part in _SEPARATORS.split(raw)
                     if part.lstrip("."))


def check_name(name: str) -> None:
    """``Invalid`` (about the attachments field) for the name of a program or script."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in refused_suffixes():
        _refuse(name, f"{suffix} files are programs or scripts")


def check_content(upload: Upload, name: str) -> None:
    """``Invalid`` for the bytes of a program, whatever the name says; the stream still gives
    every byte afterwards."""
    kind = program_kind(upload.peek(HEAD_BYTES))
    if kind is not None:
        _refuse(name, f"it is {kind}, whatever its name says")


def program_kind(head: bytes) -> str | None:
    """What kind of program the first bytes of a file begin, or None."""
    if head.startswith(ELF_MAGIC) and len(head) >= 18:
        order = "little" if head[5] == 1 else "big"
        return None if int.from_bytes(head[16:18], order) == ELF_CORE else "a Linux program"
    if head[:4] in MACH_O_MAGICS and len(head) >= 16:
        kind = int.from_bytes(head[12:16], MACH_O_MAGICS[head[:4]])
        return None if kind == MACH_O_CORE else "a macOS program"
    if head.startswith(UNIVERSAL_BINARY):
        return "a macOS or Java program"
    if head.startswith(b"MZ") and not _is_text(head):
        return "a Windows program"
    return None


def _is_text(head: bytes) -> bool:
    """Whether a file's first bytes read as text (a log line may begin with "MZ"; a program's
    DOS header never reads as text: it holds NUL bytes)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as cut:  # a character cut at the end of the head is text
        if cut.start < len(head) - 3:
            return False
        text = head[:cut.start].decode("utf-8")
    return all(char.isprintable() or char in "\t\r\n" for char in text)


def _refuse(name: str, why: str) -> None:
    raise Invalid(f"{name} cannot be attached: {why}. Attach {ALLOWED_KINDS}; a program "
                  "support asked for goes inside a .zip archive.", field="attachments")
