"""The ``multipart/form-data`` bodies of the API's uploads (a patch, a recording, a
recording's new media), as the OpenAPI document describes them: the fields the views read
(``kb/api/patches.py``, ``kb/api/sessions.py``) and the files they take."""

from __future__ import annotations

from typing import Any

from kb import plans
from kb.patches.file_names import MAX_FILES_PER_PATCH
from kb.patches.models import KINDS as PATCH_KINDS
from kb.sessions.recordings.captions import DEFAULT_LANGUAGE, LANGUAGES

FILE = {"type": "string", "format": "binary"}
TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
DURATION = {"type": "integer", "minimum": 0,
            "description": "seconds; without it, read from the video where the file tells it"}
EXTERNAL_URL = {"type": "string", "description": "an https:// address of the media, instead "
                                                 "of the video file"}


def form_body(properties: dict[str, dict[str, Any]], required: list[str] | None = None,
              *, repeated: tuple[str, ...] = ()) -> dict[str, Any]:
    """The media type object of a form with these fields; ``repeated`` fields are sent once
    per value (an array in the schema, ``form`` style with ``explode``)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    body: dict[str, Any] = {"schema": schema}
    if repeated:
        body["encoding"] = {name: {"style": "form", "explode": True} for name in repeated}
    return body


PATCH_FORM = form_body({
    "product": {**TEXT, "description": "the product's name (created when first named)"},
    "title": TEXT,
    "version": {"type": "array", "items": TEXT,
                "description": "versions or ranges (11.0..12.0, 12.0..), repeatable or "
                               "comma-separated; none: every version"},
    "kind": {"type": "string", "enum": list(PATCH_KINDS)},
    "summary": TEXT, "description": TEXT, "prerequisites": TEXT, "install_notes": TEXT,
    "known_issues": TEXT,
    "min_plan": {"type": "string", "enum": list(plans.PLANS)},
    "released": DATE,
    "fixed_issues": {**TEXT, "description": "one a line: ID text"},
    "supersedes": {**TEXT, "description": "ids of the patches it supersedes, comma-separated"},
    "release_notes": {**TEXT, "description": "slugs of the release notes it belongs to"},
    "publish": {"type": "string", "enum": ["true", "false"],
                "description": "false: a draft (default true)"},
    "files": {"type": "array", "items": FILE, "maxItems": MAX_FILES_PER_PATCH,
              "description": "the patch's files (every file part is taken)"},
}, ["product", "title", "files"], repeated=("version", "files"))

RECORDING_FORM = form_body({
    "title": TEXT, "recorded_on": DATE, "summary": TEXT, "presenter": TEXT,
    "product": {**TEXT, "description": "the product's name"}, "topic": TEXT,
    "status": {"type": "string", "enum": ["published", "draft"]},
    "duration_seconds": DURATION,
    "video": {**FILE, "description": "MP4, M4V, MOV or WebM"},
    "external_url": EXTERNAL_URL,
    "transcript": {**FILE, "description": "WebVTT or SRT"},
    "language": {"type": "string", "enum": list(LANGUAGES), "default": DEFAULT_LANGUAGE,
                 "description": "the transcript's language"},
}, ["title", "recorded_on"])

MEDIA_FORM = form_body({"video": FILE, "external_url": EXTERNAL_URL,
                        "duration_seconds": DURATION})
