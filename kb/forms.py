"""Form helpers shared by every area, and what every request's text passes before a view
reads it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import flask
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from wtforms import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, StopValidation

from kb.errors import DomainError

# ids are INTEGER columns, PostgreSQL's int4: a larger number could never name a row and
# would make the database refuse the query
MAX_DATABASE_ID = 2**31 - 1
DIGITS = re.compile(r"[0-9]{1,10}")
# control characters other than tab and line breaks: no keyboard types them, they carry no
# text, and NUL cannot even be stored by PostgreSQL
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")
# those, and lone surrogates, which no encoding can write
UNREADABLE = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff]")
# the embeddings, overrides and isolates that reorder the text around them
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class UnreadableText(DomainError):
    status = 400


def one_line(text: str | None) -> str:
    """A text meant as one line (a title, a name, a subject) as one: every run of white space,
    line breaks included, is one space, and no bidirectional override or isolate is left. A
    line break would otherwise ride along into an e-mail's subject or a notice's title, and
    an override would show other readers its text backwards ("fdp.exe" as "exe.pdf")."""
    return " ".join(BIDI_CONTROLS.sub("", text or "").split())


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def readable(form, field) -> None:
    """First of a number's validators: a value that is no number at all is told so once (its
    ``invalid_value_message``), not also that it is out of range."""
    if field.process_errors:
        raise StopValidation()


def database_id(raw) -> int:
    """A row id chosen or typed in a form: whole digits from 1 to ``MAX_DATABASE_ID``, else
    ValueError (the error WTForms' ``coerce`` and ``request.args.get(type=...)`` expect)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not DIGITS.fullmatch(raw.strip()):
        raise ValueError(f"not an id: {raw!r}")
    value = int(raw)
    if not 1 <= value <= MAX_DATABASE_ID:
        raise ValueError(f"not an id: {raw!r}")
    return value


def optional_database_id(raw) -> int | None:
    """``database_id``, or None for an empty choice (a select's "(none)")."""
    return None if raw in ("", None) else database_id(raw)


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in routes: an address with a number no row can have is not found.

    Werkzeug converts a path's values only after it chose the rule, and a value its converter
    refuses makes the path match nothing: 405 where the path has rules for other methods
    (``GET`` of an address only ``POST`` goes to). Such a number is refused with 404 itself."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if self.max is not None and int(value) > self.max:
            raise NotFound()
        return super().to_python(value)


def has_unreadable_text(value) -> bool:
    """Whether a text, or any text inside JSON lists and objects, holds NUL or a lone
    surrogate."""
    if isinstance(value, str):
        return UNREADABLE.search(value) is not None
    if isinstance(value, dict):
        return any(has_unreadable_text(key) or has_unreadable_text(item)
                   for key, item in value.items())
    if isinstance(value, list):
        return any(has_unreadable_text(item) for item in value)
    return False


def _without_controls(pairs) -> Iterator[tuple[str, object]]:
    for name, value in pairs:
        if not isinstance(name, str):  # a multipart part whose header names no field
            continue
        yield CONTROLS.sub("", name), (CONTROLS.sub("", value) if isinstance(value, str)
                                       else value)


def _sent_with_controls(pairs: list) -> dict[str, list[str]]:
    """The values as sent of each (cleaned) name that was sent any holding a control
    character."""
    sent: dict[str, list] = {}
    for name, value in pairs:
        if isinstance(name, str):
            sent.setdefault(CONTROLS.sub("", name), []).append(value)
    return {name: values for name, values in sent.items()
            if any(isinstance(value, str) and CONTROLS.search(value) for value in values)}


class ArgumentsWithoutNul(ImmutableMultiDict):
    """Query arguments and form fields as parsed, less any control character but tab and line
    breaks (``CONTROLS``): no browser sends one, and PostgreSQL cannot store NUL. The values
    as sent are kept for ``sent_values``."""

    def __init__(self, mapping=None):
        pairs = list(iter_multi_items(mapping or ()))
        super().__init__(list(_without_controls(pairs)))
        self.with_controls = _sent_with_controls(pairs)


def sent_values(arguments, name: str) -> list[str]:
    """``arguments.getlist(name)``, but as sent where any held a control character: for a
    filter, which refuses such a value as one nothing can have rather than read it cleaned
    (``product=%00`` as no filter at all)."""
    return getattr(arguments, "with_controls", {}).get(name) or arguments.getlist(name)


def sent_value(arguments, name: str) -> str:
    """The first of ``sent_values``, or ""."""
    return next(iter(sent_values(arguments, name)), "")


class Request(flask.Request):
    parameter_storage_class = ArgumentsWithoutNul


def length(what: str, min: int = -1, max: int = -1) -> Length:
    """WTForms' ``Length`` saying what to do in words naming the field (``what``: "the title")
    and the limit: its stock "Field must be between 1 and 200 characters long." reads oddly
    after the field's label in a refused form's summary."""
    if min > 0 and max > 0:
        message = f"Make {what} {min:,} to {max:,} characters long."
    elif min > 0:
        message = f"Make {what} at least {min:,} characters long."
    else:
        message = f"Keep {what} to {max:,} characters or fewer."
    return Length(min=min, max=max, message=message)


def required(what: str, verb: str = "Enter", typed: bool = False) -> DataRequired | InputRequired:
    """WTForms' ``DataRequired`` saying what to do, naming the field (``what``: "a title",
    ``verb``: "Choose" for a list or a file): "Enter a title.", where its stock "This field is
    required." says neither which field nor what to do, read in a refused form's summary.
    ``typed``: ``InputRequired``, which asks only that something was sent (a number that may
    be 0, a date, whose value may be false)."""
    return (InputRequired if typed else DataRequired)(message=f"{verb} {what}.")
