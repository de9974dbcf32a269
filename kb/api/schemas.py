"""Every JSON request body of /api/v1 declared once, as a pydantic model: the model checks the
body (``read_body``) and is the body's schema in /api/v1/openapi.json (``documented``), so the
document and the checks cannot disagree.

A refusal is the contract's ``{"error": ...}`` with 422 (``Invalid``), worded by the model: its
``not_an_object`` message, a field's message in ``field_messages`` when it is missing or empty,
and ``wrong_type`` when a value has another JSON type. Strict: a number is never a string."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kb.errors import Invalid

_EMPTY_OR_MISSING = {"missing", "string_too_short", "string_pattern_mismatch"}


class RequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    not_an_object: ClassVar[str] = "Send a JSON object."
    wrong_type: ClassVar[str] = "A value has the wrong type."
    too_long: ClassVar[str] = "A value is too long."
    field_messages: ClassVar[dict[str, str]] = {}


Body = TypeVar("Body", bound="RequestBody")


def read_body(model: type[Body]) -> Body:
    """The current request's JSON body as ``model``; ``Invalid`` (422) with the model's words."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid(model.not_an_object)
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise Invalid(_message(model, error)) from None


def _message(model: type[RequestBody], error: ValidationError) -> str:
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        if problem["type"] in _EMPTY_OR_MISSING and field in model.field_messages:
            return model.field_messages[field]
    problem = error.errors()[0]
    if problem["type"].endswith("_type") or problem["type"] == "missing":
        return model.wrong_type
    if problem["type"] == "string_too_long":
        return model.too_long
    return f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}."


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
