"""Every JSON request body of /api/v1 declared once, as a pydantic model: the model checks the
body (``read_body``) and is the body's schema in /api/v1/openapi.json (``documented``), so the
document and the checks cannot disagree.

A refusal of any body is the contract's ``{"error": ...}`` with 422 (``Invalid``), worded by the
model: its ``not_an_object`` message for a body that is not a JSON object (or not JSON at all),
``wrong_type`` when a value has another JSON type or a required one is missing, ``too_long`` for
an oversized string, and a field's message in ``field_messages`` when it is missing, empty or out
of range. Strict: a number is never a string, a boolean never a number. A body that is well formed
but breaks a rule of the service (an unknown product, a booking rule) is refused by the service,
after the model, in the same JSON form."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from flask import request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kb.community.models import BODY_LIMIT, TITLE_LIMITS
from kb.elite.special_events import NOTES_LIMIT
from kb.errors import Invalid
from kb.programmes.service import NOTE_LIMIT
from kb.support.incidents import MAX_TEXT, MAX_TITLE, SEVERITIES

_EMPTY_OR_MISSING = {"missing", "string_too_short", "string_pattern_mismatch"}


class RequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    not_an_object: ClassVar[str] = "Send a JSON object."
    # a request without any body stands for {} (every field optional)
    may_be_empty: ClassVar[bool] = False
    wrong_type: ClassVar[str] = "A value has the wrong type."
    too_long: ClassVar[str] = "A value is too long."
    field_messages: ClassVar[dict[str, str]] = {}


Body = TypeVar("Body", bound="RequestBody")


def read_body(model: type[Body]) -> Body:
    """The current request's JSON body as ``model``; ``Invalid`` (422) with the model's words."""
    body = request.get_json(silent=True)
    if body is None and model.may_be_empty and not request.get_data(cache=True):
        body = {}
    if not isinstance(body, dict):
        raise Invalid(f"{_why_not_json()}{model.not_an_object}")
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise Invalid(_message(model, error)) from None


def _why_not_json() -> str:
    """What kept a body that is no JSON object from being read, if it is not JSON at all: a
    client told only "send a JSON object" cannot see that its header or its bytes were wrong."""
    if not request.get_data(cache=True):
        return "The request has no body. "
    if not request.is_json:
        return (f"The body is sent as {request.mimetype or 'no content type'}, not as JSON "
                "(Content-Type: application/json). ")
    try:
        json.loads(request.get_data(cache=True))
    except UnicodeDecodeError:
        return "The body is not UTF-8 text. "
    except ValueError as error:
        return f"The body is not valid JSON ({error}). "
    return ""


def _message(model: type[RequestBody], error: ValidationError) -> str:
    for problem in error.errors():
        if problem["type"] in _EMPTY_OR_MISSING and _field(problem) in model.field_messages:
            return model.field_messages[_field(problem)]
    problem = error.errors()[0]
    if problem["type"].endswith("_type") or problem["type"] == "missing":
        return model.wrong_type
    if problem["type"] == "string_too_long":
        return model.too_long
    if _field(problem) in model.field_messages:
        return model.field_messages[_field(problem)]
    return f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}."


def _field(problem: dict[str, Any]) -> str:
    return str(problem["loc"][0]) if problem["loc"] else ""


def json_schema(model: type[RequestBody]) -> dict[str, Any]:
    """The body's JSON Schema for the OpenAPI document."""
    return model.model_json_schema()


NOT_BLANK = r"\S"


class TopicRequestBody(RequestBody):
    """POST /api/v1/topics"""

    title: str = Field(min_length=1, max_length=300, pattern=NOT_BLANK)
    details: str = Field("", max_length=10000)
    product: str = Field("", description="product name or slug; empty: none")

    not_an_object: ClassVar[str] = "Send a JSON object with title, details and product."
    wrong_type: ClassVar[str] = "title, details and product must be strings."
    too_long: ClassVar[str] = "Keep the title under 300 and the details under 10,000 characters."
    field_messages: ClassVar[dict[str, str]] = {
        "title": "Say which topic you would like a session on."}


class SubscriptionBody(RequestBody):
    """POST /api/v1/alerts/subscriptions"""

    product: str = Field(min_length=1, pattern=NOT_BLANK, description="product name or slug")
    version: str | None = Field(None, description="one version; absent: every version")

    not_an_object: ClassVar[str] = (
        'Send a JSON object such as {"product": "Orbit ERP", "version": "12.0"}.')
    wrong_type: ClassVar[str] = "product must be a string, and version a string or absent."
    field_messages: ClassVar[dict[str, str]] = {
        "product": "Name the product whose alerts you want."}


class IncidentBody(RequestBody):
    """POST /api/v1/incidents"""

    product: str = Field(min_length=1, pattern=NOT_BLANK, description="product name or slug")
    version: str | None = Field(None, max_length=60)
    severity: int = Field(ge=min(SEVERITIES), le=max(SEVERITIES), description="1 (highest) to 4")
    title: str = Field(min_length=1, max_length=MAX_TITLE, pattern=NOT_BLANK)
    description: str = Field(min_length=1, max_length=MAX_TEXT, pattern=NOT_BLANK)
    contact: str | None = Field(None, max_length=300, description="who support reaches; "
                                                                  "default: you")

    not_an_object: ClassVar[str] = (
        "Send a JSON object with product, severity, title and description.")
    wrong_type: ClassVar[str] = ("severity must be a whole number from 1 to 4, and product, "
                                 "version, title, description and contact strings.")
    too_long: ClassVar[str] = (f"Keep the title under {MAX_TITLE}, the description under "
                               f"{MAX_TEXT:,}, the version under 60 and the contact under 300 "
                               "characters.")
    field_messages: ClassVar[dict[str, str]] = {
        "product": "Name the product the incident is about.",
        "severity": "Severity must be 1, 2, 3 or 4.",
        "title": "Give the incident a title: what goes wrong, in a line.",
        "description": "Describe the incident: what happened, and what you expected."}


class ReplyBody(RequestBody):
    """POST /api/v1/incidents/{incident_id}/replies"""

    body: str = Field(min_length=1, max_length=MAX_TEXT, pattern=NOT_BLANK)

    not_an_object: ClassVar[str] = 'Send a JSON object {"body": "..."}.'
    wrong_type: ClassVar[str] = 'Send a JSON object {"body": "..."}: body is a string.'
    too_long: ClassVar[str] = f"Keep a message under {MAX_TEXT:,} characters."
    field_messages: ClassVar[dict[str, str]] = {"body": "Write something."}


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("not a date") from None
    return value  # anything else is refused as the wrong type by the strict date


class SpecialEventBody(RequestBody):
    """POST /api/v1/elite/special-events"""

    weekend: Annotated[date, BeforeValidator(_iso_date)] = Field(
        description="the weekend's Saturday, YYYY-MM-DD")
    product: str = Field(min_length=1, pattern=NOT_BLANK, description="product name or slug")
    notes: str | None = Field(None, max_length=NOTES_LIMIT)

    not_an_object: ClassVar[str] = ('Send a JSON object such as {"weekend": "2027-03-06", '
                                    '"product": "Orbit ERP"}.')
    wrong_type: ClassVar[str] = ("weekend and product must be strings, and notes a string or "
                                 "absent.")
    too_long: ClassVar[str] = f"Notes hold at most {NOTES_LIMIT} characters."
    field_messages: ClassVar[dict[str, str]] = {
        "weekend": "weekend must be a date, YYYY-MM-DD (the weekend's Saturday).",
        "product": "Name the product the weekend is for."}


class QuestionBody(RequestBody):
    """POST /api/v1/community/questions"""

    space: str = Field(min_length=1, pattern=NOT_BLANK, description="a space's slug or name")
    title: str = Field(min_length=TITLE_LIMITS[0], max_length=TITLE_LIMITS[1])
    body: str = Field(min_length=1, max_length=BODY_LIMIT, pattern=NOT_BLANK,
                      description="Markdown")

    not_an_object: ClassVar[str] = "Send a JSON object with space, title and body."
    wrong_type: ClassVar[str] = "space, title and body must be strings."
    too_long: ClassVar[str] = (f"Keep the title under {TITLE_LIMITS[1]} and the body under "
                               f"{BODY_LIMIT:,} characters.")
    field_messages: ClassVar[dict[str, str]] = {
        "space": "Name the space to ask in: its slug or name.",
        "title": f"Give the question a title of at least {TITLE_LIMITS[0]} characters: what "
                 "is it about?",
        "body": "Write the question."}


class AnswerBody(RequestBody):
    """POST /api/v1/community/questions/{question_id}/answers"""

    body: str = Field(min_length=1, max_length=BODY_LIMIT, pattern=NOT_BLANK,
                      description="Markdown")

    not_an_object: ClassVar[str] = 'Send a JSON object {"body": "..."}.'
    wrong_type: ClassVar[str] = "body must be a string."
    too_long: ClassVar[str] = f"Keep the answer under {BODY_LIMIT:,} characters."
    field_messages: ClassVar[dict[str, str]] = {"body": "Write the answer."}


class VoteBody(RequestBody):
    """PUT /api/v1/community/answers/{answer_id}/vote"""

    value: int = Field(ge=-1, le=1, description="1 up, -1 down, 0 takes the vote back")

    not_an_object: ClassVar[str] = 'Send {"value": 1}, {"value": -1} or {"value": 0}.'
    wrong_type: ClassVar[str] = not_an_object
    field_messages: ClassVar[dict[str, str]] = {"value": not_an_object}


class AcceptedAnswerBody(RequestBody):
    """PUT /api/v1/community/questions/{question_id}/accepted-answer"""

    answer_id: int | None = Field(description="one of the question's answers; null: none")

    not_an_object: ClassVar[str] = 'Send {"answer_id": N} or {"answer_id": null}.'
    wrong_type: ClassVar[str] = "answer_id must be a whole number or null."
    field_messages: ClassVar[dict[str, str]] = {"answer_id": not_an_object}


class ApplicationBody(RequestBody):
    """POST /api/v1/programmes/{programme_id}/applications"""

    note: str | None = Field(default=None, max_length=NOTE_LIMIT,
                             description="why the organisation would like to take part")

    may_be_empty: ClassVar[bool] = True
    not_an_object: ClassVar[str] = ('Send a JSON object such as '
                                    '{"note": "We run 12.0 in three plants."}.')
    wrong_type: ClassVar[str] = "note must be a string or null."
    too_long: ClassVar[str] = f"Keep the note under {NOTE_LIMIT:,} characters."


class DecisionBody(RequestBody):
    """POST /api/v1/programmes/applications/{application_id}/decision (staff)"""

    decision: Literal["accept", "decline"] = Field(description="accept or decline")
    answer: str | None = Field(default=None, max_length=NOTE_LIMIT,
                               description="staff's word to the organisation")

    not_an_object: ClassVar[str] = 'Send {"decision": "accept"} or {"decision": "decline"}.'
    wrong_type: ClassVar[str] = "decision must be a string and answer a string or null."
    too_long: ClassVar[str] = f"Keep the answer under {NOTE_LIMIT:,} characters."
    field_messages: ClassVar[dict[str, str]] = {"decision": 'decision is "accept" or "decline".'}
