"""Every JSON response body of /api/v1 declared once, as a pydantic model: ``respond`` checks
what an endpoint answers against its model (a shape the model does not describe is a server
error in tests, never a silent change for customers' scripts), and ``documented(...,
response_model=...)`` puts the same model into /api/v1/openapi.json under components/schemas.

The models are strict and forbid extra keys; a field without a default must be present (``X |
None`` when it may be null), a field declared with ``may_be_absent()`` is left out of the answer
unless the endpoint gives it. Dates and times are written as Python's ``isoformat()`` has always
written them (UTC times end in ``+00:00``), not pydantic's ``Z``."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

from flask import Response, jsonify
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, TypeAdapter, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue

from kb.links import absolute_url


def _isoformat(value: date) -> str:
    return value.isoformat()


IsoDateTime = Annotated[datetime, PlainSerializer(_isoformat, return_type=str),
                        WithJsonSchema({"type": "string", "format": "date-time"})]
IsoDate = Annotated[date, PlainSerializer(_isoformat, return_type=str),
                    WithJsonSchema({"type": "string", "format": "date"})]


class ResponseBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def may_be_absent(description: str = "") -> Any:
    """A field some answers leave out (never ``null``)."""
    return Field(None, description=description or None, json_schema_extra=_drop_default)


@cache
def _adapter(shape: Any) -> TypeAdapter:
    return TypeAdapter(shape)


def body_of(shape: Any, data: Any) -> Any:
    """``data`` checked against ``shape`` (a model, or ``list[Model]``), as JSON values."""
    adapter = _adapter(shape)
    return adapter.dump_python(adapter.validate_python(data), mode="json", by_alias=True,
                               exclude_unset=True)


def respond(shape: Any, data: Any, status: int = 200) -> tuple[Response, int]:
    """The JSON answer ``data`` in the shape the document gives for the endpoint."""
    return jsonify(body_of(shape, data)), status


def created(shape: Any, data: Any, location: str) -> tuple[Response, int]:
    """A 201 answer ``data`` for a new resource, with ``Location``: its API address."""
    response, status = respond(shape, data, 201)
    response.headers["Location"] = absolute_url(location)
    return response, status


def document_schemas(shapes: list[Any]) -> tuple[dict[Any, JsonSchemaValue],
                                                 dict[str, JsonSchemaValue]]:
    """Each shape's schema (a ``$ref`` into components/schemas, or an array of one) and the
    components/schemas entries they name."""
    inputs = [(shape, "serialization", _adapter(shape)) for shape in shapes]
    mapping, definitions = TypeAdapter.json_schemas(
        inputs, ref_template="#/components/schemas/{model}")
    return ({shape: schema for (shape, _), schema in mapping.items()},
            definitions.get("$defs", {}))
