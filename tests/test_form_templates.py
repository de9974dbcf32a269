"""Every form of the templates that posts a field the browser could check carries
``novalidate``: the server checks each field and says what to do, in words that name it,
beside the field and in the form's summary, where the browser's own bubble ("Please fill out
this field.") would stop the form first, in the browser's language, and vanish.

A form of one button (hidden values and a button, nothing typed or chosen: Sign out, Follow,
a vote) has nothing for the browser to check, and is left without it."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
POST = re.compile(r"""\bmethod=["']?post\b""", re.I)
CALL = re.compile(r"\{\{-?\s*([\w.]+)\(")
# calls that write no field: a hidden token, an address
WRITE_NO_FIELD = ("csrf_token", "url_for")
FIELD_TAGS = re.compile(r"<(select|textarea)\b|\{%-?\s*(call|include|import)\b", re.I)


def _has_fields(body: str) -> bool:
    """Whether a form's body holds anything but hidden values and buttons: a visible input,
    a select or a text area, or a macro or field rendered (which may write any of them)."""
    visible = [tag for tag in re.findall(r"<input\b[^>]*>", body, re.I)
               if not re.search(r"""\btype=["']?hidden\b""", tag, re.I)]
    calls = [name for name in CALL.findall(body)
             if name not in WRITE_NO_FIELD and not name.endswith("hidden_tag")]
    return bool(visible or calls or FIELD_TAGS.search(body))


def _post_forms() -> list[tuple[str, str, str]]:
    """(where, the form's attributes, its body) of every posting form of the templates."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            if POST.search(match.group(1)):
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{path.relative_to(TEMPLATES)}:{line}", match.group(1),
                              match.group(2)))
    return found


def test_every_post_form_with_fields_leaves_the_checks_to_the_server():
    forms = _post_forms()
    with_fields = [(where, attrs) for where, attrs, body in forms if _has_fields(body)]
    assert len(forms) > 90 and len(with_fields) > 50  # the templates were read
    assert [where for where, attrs in with_fields if "novalidate" not in attrs] == []


def test_a_form_of_one_button_is_told_apart_from_one_with_fields():
    assert not _has_fields('<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
                           '<button type="submit">Follow</button>')
    assert not _has_fields("{{ form.hidden_tag() }}<button>Save</button>")
    for body in ('<input name="note">', "<select name=plan></select>", "<textarea></textarea>",
                 "{{ field(form.title) }}", "{{ form.title() }}", "{{ note_input('n') }}",
                 '{% include "support/_fields.html" %}'):
        assert _has_fields(body), body
