"""Safe names for patch files: whatever a client sends, the name that is stored and served has
no directory part, no control or invisible characters and nothing a shell or a browser reads
specially."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from werkzeug.utils import secure_filename

from kb.errors import Invalid

# separators of every platform, so that "..\\..\\boot.ini" loses its directories too
_SEPARATORS = re.compile(r"[/\\]")
MAX_NAME_LENGTH = 200


def safe_file_name(raw: str) -> str:
    """The last path component of ``raw``, reduced to safe ASCII (``secure_filename``).

    Compatibility forms are folded first (a fullwidth solidus becomes "/" and then separates),
    control and format characters (NUL, right-to-left overrides, zero-width joiners) are
    dropped. Raises ``Invalid`` when nothing usable is left."""
    folded = unicodedata.normalize("NFKC", raw or "")
    visible = "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C")
    last_component = _SEPARATORS.split(visible)[-1]
    name = secure_filename(last_component)[:MAX_NAME_LENGTH].strip("._")
    if not name:
        raise Invalid(f"The file name {raw!r} has no usable characters; rename the file.")
    return name


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the RFC 5987 UTF-8 form of the name."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
