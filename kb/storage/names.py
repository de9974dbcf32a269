"""Safe names for stored files (patch files, recording attachments): whatever a client sends,
the name that is stored and served has no directory part, no control or invisible characters
and nothing a shell or a browser reads specially, and keeps the letters of every script."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from werkzeug.utils import secure_filename

from kb.errors import Invalid

# separators of every platform, so that "..\\..\\boot.ini" loses its directories too
_SEPARATORS = re.compile(r"[/\\]")
_WHITESPACE = re.compile(r"\s+")
KEPT_PUNCTUATION = "._-"
MAX_NAME_LENGTH = 200
MAX_EXTENSION_LENGTH = 16  # ".tar.gz", ".pkg.tar.zst"; a longer "suffix" is part of the name
ASCII_FALLBACK_STEM = "download"


def _visible(text: str) -> str:
    """``text`` without control, format, surrogate, private-use or unassigned characters."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def _kept(ch: str) -> bool:
    return ch in KEPT_PUNCTUATION or unicodedata.category(ch)[0] in "LNM"


def safe_file_name(raw: str) -> str:
    """The last path component of ``raw`` with letters, marks and digits of any script and
    ``._-`` only; spaces become ``_``.

    Compatibility forms are folded first (NFKC: a fullwidth solidus becomes "/" and then
    separates), control and format characters (NUL, right-to-left overrides, zero-width
    joiners) are dropped, and leading or trailing dots and underscores go (no hidden files).
    The name is composed (NFC) once more at the end: a dropped joiner may leave an accent
    beside its letter. Raises ``Invalid`` when nothing usable is left."""
    visible = _visible(unicodedata.normalize("NFKC", raw or ""))
    last_component = _SEPARATORS.split(visible)[-1].strip()
    joined = _WHITESPACE.sub("_", last_component)
    kept = unicodedata.normalize("NFC", "".join(ch for ch in joined if _kept(ch)))
    name = _shortened(kept).strip("._")
    if not name:
        raise Invalid(f"The file name {_visible(raw or '')!r} has no usable characters; "
                      "rename the file.")
    return name


def requested_name(name: str) -> str:
    """A file name as a download URL gives it, spelt as stored names are (``safe_file_name``:
    composed, NFC): "e" followed by a combining acute accent (as a macOS path or a copied name
    may spell it) finds "\u00e9"."""
    return unicodedata.normalize("NFC", name)


def _shortened(name: str) -> str:
    """``name`` cut to ``MAX_NAME_LENGTH`` characters, its extension kept (a file saved
    without its ``.zip`` opens with nothing, and its type is guessed from it)."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    extension = _extension(name)
    return name[: MAX_NAME_LENGTH - len(extension)] + extension


def _extension(name: str) -> str:
    """The last two suffixes (``.tar.gz``) or the last one, if short enough to be one."""
    suffixes = PurePosixPath(name).suffixes
    for count in (2, 1):
        extension = "".join(suffixes[-count:])
        if len(suffixes) >= count and len(extension) <= MAX_EXTENSION_LENGTH:
            return extension
    return ""


# Latin letters NFKD leaves whole (no base letter plus accent to keep the base of)
_LATIN_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def _ascii_fallback(name: str) -> str:
    """The name for clients that ignore ``filename*`` (``curl -OJ``, older tools): the name
    itself if it is plain ASCII, else transliterated, accents dropped and what has no ASCII
    form left out (``walk-ü_é.bin`` is ``walk-u_e.bin``, so that several such files do not
    all land on one name); ``download`` with the name's extension when nothing of the
    name is left (one in another script)."""
    if secure_filename(name) == name:
        return name
    suffix = PurePosixPath(name).suffix
    suffix = suffix if suffix[1:].isascii() and suffix[1:].isalnum() else ""
    # secure_filename: NFKD, non-ASCII dropped, only [A-Za-z0-9_.-], no leading dot
    stem = secure_filename(name[: len(name) - len(suffix)].translate(_LATIN_LETTERS))
    return (stem or ASCII_FALLBACK_STEM) + suffix


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment`` (or ``inline``) with an ASCII fallback and the RFC 5987 UTF-8 form of
    the name; safe for any stored name (control characters and lone surrogates are left out)."""
    shown = _visible(name) or ASCII_FALLBACK_STEM
    return (f"{disposition}; filename=\"{_ascii_fallback(shown)}\"; "
            f"filename*=UTF-8''{quote(shown, safe='')}")
